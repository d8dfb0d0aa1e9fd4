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
        sco.locator(".usa-error-message").filter(has_text="R-AME-02").first
    ).to_be_visible()  # not a number: the report page shows it beside the value
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


def test_r_ame_01_the_sco_defines_an_indicator_and_a_period_then_reports_an_actual(
    page_as, tmp_path
):
    sco = page_as("sco.bandaria")
    sco.goto("/assessment/results/?q=drinking")
    sco.get_by_role("link", name="Border villages have safe drinking water").first.click()
    sco.get_by_role("link", name="New indicator").click()
    sco.get_by_label("Indicator name").fill("Water committees trained")
    sco.get_by_label("MOP or MOE").select_option("MOP")
    sco.get_by_label("Definition").fill("Committees whose members passed the pump course.")
    sco.get_by_label("Unit", exact=True).fill("committees")
    sco.get_by_label("Baseline", exact=True).fill("0")
    sco.get_by_label("Baseline assessed on").fill("2026-10-01")
    screenshot(sco, "assessment-indicator-form")
    assert_accessible(sco, "assessment-indicator-form")
    sco.get_by_role("button", name="Save").click()
    expect(sco.get_by_role("heading", name="Water committees trained")).to_be_visible()

    sco.get_by_role("link", name="New period").click()
    sco.get_by_label("Period start").fill("2026-10-01")
    sco.get_by_label("Period end").fill("2026-12-31")
    sco.get_by_label("Target", exact=True).fill("3")
    sco.locator("#id_parts-0-dimension").fill("district")
    sco.locator("#id_parts-0-category").fill("Kessa")
    sco.locator("#id_parts-0-amount").fill("2")
    screenshot(sco, "assessment-period-form")
    assert_accessible(sco, "assessment-period-form")
    sco.get_by_role("button", name="Save").click()
    expect(sco.get_by_role("heading", name="Water committees trained")).to_be_visible()
    expect(sco.get_by_text("district Kessa: 2 (target)")).to_be_visible()

    sco.get_by_role("link", name="Report with the actual by dimension").click()
    sco.get_by_label(re.compile("^Value")).fill("1")
    sco.get_by_label("Narrative").fill("The Kessa committee passed the course.")
    sco.locator("#id_parts-0-dimension").fill("district")
    sco.locator("#id_parts-0-category").fill("Kessa")
    sco.locator("#id_parts-0-amount").fill("1")
    sco.get_by_label("Evidence title").fill("Course roster")
    roster = tmp_path / "roster.pdf"
    roster.write_bytes(b"%PDF-1.4 roster")
    sco.locator("#id_evidence_file").set_input_files(str(roster))
    screenshot(sco, "assessment-report-form")
    assert_accessible(sco, "assessment-report-form")
    sco.get_by_role("button", name="Save as draft").click()
    expect(sco.get_by_test_id("update-status")).to_have_text("Draft")
    expect(sco.get_by_test_id("update-value")).to_have_text("1")
    screenshot(sco, "assessment-update-draft")
