"""Browser test of emergency implementation (issue 13 item 8, SAMM C6.1.2): the purchaser signed an
offered LOA but has not paid its initial deposit, so acceptance is refused naming what is missing;
the implementing agency sends its written request; DSCA records its approval (who, the reference);
the acceptance is then recorded on the signature alone. The metrics page shows LOAs, amendments and
modifications against the AOD goal (item 5). axe-core finds no serious violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e
TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def test_emergency_implementation_only_with_dscas_written_approval(page_as):
    cm = page_as("case.manager")
    cm.goto("/cases/list/?q=XB-B-ZAB")
    cm.get_by_role("link", name=re.compile("XB-B-ZAB")).first.click()
    expect(cm.get_by_test_id("case-status")).to_have_text("Offered")
    case_url = cm.url.split("?")[0]

    # Signed two days ago, no deposit: refused, naming the deposit or DSCA's written approval.
    cm.locator("#signed-on").fill(_day(2))
    cm.locator('button[data-milestone="accept"]').click()
    expect(
        cm.get_by_text("only DSCA's written approval of emergency implementation")
    ).to_be_visible()
    expect(cm.get_by_test_id("case-status")).to_have_text("Offered")

    # The implementing agency's written request, with the circumstances.
    cm.get_by_text("Request emergency implementation of DSCA").click()
    cm.locator("#id_signed_on").fill(_day(2))
    cm.locator("#id_circumstances").fill(
        "The contract award deadline is Friday; prices rise after it."
    )
    cm.locator('button[data-action="emergency-request"]').click()
    expect(cm.get_by_text("Emergency implementation requested of DSCA")).to_be_visible()
    expect(cm.get_by_test_id("emergency-status")).to_contain_text("Requested of DSCA")
    expect(cm.locator('button[data-action="emergency-approve"]')).to_have_count(0)

    # DSCA records its written decision: who, and the reference.
    dsca = page_as("dsca.analyst")
    dsca.goto(case_url)
    dsca.locator("#id_decided_by").fill("Country Finance Director, DSCA Business Operations")
    dsca.locator("#id_reference").fill("DSCA OBO e-mail, emergency implementation")
    dsca.locator('button[data-action="emergency-approve"]').click()
    expect(dsca.get_by_test_id("emergency-status")).to_contain_text("Approved by DSCA")
    screenshot(dsca, "cases-emergency-approved")
    assert_accessible(dsca, "cases-emergency-approved")

    # Acceptance on the signature alone, under the approval.
    cm.goto(case_url)
    cm.locator("#signed-on").fill(_day(2))
    cm.locator('button[data-milestone="accept"]').click()
    expect(cm.get_by_test_id("case-status")).to_have_text("Accepted")
    expect(cm.get_by_text("deposit not yet received")).to_be_visible()
    screenshot(cm, "cases-emergency-accepted")
    assert_accessible(cm, "cases-emergency-accepted")

    # The metrics page: LOAs, amendments and modifications against the goal, late ones by code.
    cm.goto("/cases/metrics/")
    expect(cm.get_by_test_id("documents-aod-amendment")).to_contain_text("1 of 1")
    expect(cm.get_by_test_id("documents-aod-modification")).to_contain_text("0 of 1")
    expect(cm.get_by_test_id("documents-late-by-code")).to_contain_text("B2")
    screenshot(cm, "cases-metrics-documents")
    assert_accessible(cm, "cases-metrics-documents")
