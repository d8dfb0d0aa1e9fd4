"""Browser test of assessment (R-SEC-11, R-AME-01/02): the SCO reports an actual on an indicator
from its page and submits it; its own approval is refused with the rule; the CCMD planner
approves it and is shown as the approver. Then axe-core on the indicator and update pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_r_sec_11_an_update_submitted_by_one_user_is_approved_by_another_never_by_its_author(
    page_as,
):
    sco = page_as("sco.bandaria")
    sco.goto("/assessment/indicators/?q=Interagency")
    sco.get_by_role("link", name="Interagency coordination of border operations").first.click()
    expect(
        sco.get_by_role("heading", name="Interagency coordination of border operations")
    ).to_be_visible()
    expect(
        sco.locator("svg.assessment-chart")
    ).to_be_visible()  # target vs actual, drawn on the server
    assert_accessible(sco, "assessment-indicator")
    sco.get_by_label(re.compile("^Value")).fill("three")
    sco.get_by_role("button", name="Save as draft").click()
    expect(
        sco.locator(".usa-alert").filter(has_text="R-AME-02").first
    ).to_be_visible()  # not a number
    sco.get_by_label(re.compile("^Value")).fill("3")
    sco.get_by_label("Narrative").fill("The cell met monthly since the talks.")
    sco.get_by_role("button", name="Save as draft").click()
    expect(sco.get_by_test_id("update-status")).to_have_text("Draft")
    sco.get_by_role("button", name="Submit for approval").click()
    expect(sco.get_by_test_id("update-status")).to_have_text("Submitted")
    update_url = sco.url
    sco.get_by_role("button", name="Approve").click()
    expect(sco.locator(".usa-alert").filter(has_text="R-SEC-11").first).to_be_visible()
    expect(sco.get_by_test_id("update-status")).to_have_text("Submitted")
    screenshot(sco, "assessment-self-approval-refused")
    assert_accessible(sco, "assessment-update")

    planner = page_as("ccmd.planner")
    planner.goto(update_url)
    planner.get_by_label("Comment (optional)").fill("Matches the minutes.")
    planner.get_by_role("button", name="Approve").click()
    expect(planner.get_by_test_id("update-status")).to_have_text("Approved")
    expect(planner.get_by_test_id("decided-by")).to_contain_text("Matches the minutes.")
    screenshot(planner, "assessment-approved")
