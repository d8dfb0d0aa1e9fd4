"""Browser test of an FMS case (SPEC §5): partner.bandaria submits an LOR; sco.bandaria routes it;
case.manager validates it, builds the LOA (an unknown IA code is refused on the way, with its rule),
moves it to offered; the partner accepts it; the case manager implements it and records a
delivery. axe-core finds no serious violation on the main cases pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .conftest import sign_in
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e
TITLE = "Thermal sights for the border brigade"
TODAY = dt.date.today()


def _submit(page):
    page.get_by_role("button", name="Save").click()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _milestone(page, name: str, on: str | None = None):
    # Steps are dated in the past (the date field of the milestones card), so that a delivery can
    # be recorded late after the acceptance (dates follow the lifecycle's order, SPEC §5).
    if on:
        page.locator("#milestone-on").fill(on)
    page.locator(f'button[data-milestone="{name}"]').click()
    expect(page.locator(".usa-alert--success, .usa-alert--error").first).to_be_visible()


def test_lor_from_partner_to_offered_loa_and_a_delivery(page, page_as):
    # The partner submits an LOR.
    sign_in(page, "partner.bandaria")
    page.goto("/cases/")
    assert_accessible(page, "cases-index-partner")
    page.goto("/cases/lors/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_owner_org").select_option(label="Bandaria MoD")
    page.locator("#id_requested_items").fill(
        "40 clip-on thermal weapon sights with spares and training."
    )
    page.locator("#id_estimated_value").fill("1800000")
    page.locator("#id_received_on").fill(_day(40))
    page.locator("#id_request_type").select_option("loa")
    _submit(page)
    expect(page.get_by_role("heading", name=f"LOR: {TITLE}")).to_be_visible()
    expect(page.get_by_text("Received by the SCO").first).to_be_visible()
    lor_url = page.url
    page.context.clear_cookies()
    as_user = page_as

    # The SCO routes it to USASAC.
    sco = as_user("sco.bandaria")
    sco.goto(lor_url)
    sco.locator("#ia").select_option(label="USASAC (B)")
    sco.locator("#route-on").fill(_day(39))
    sco.get_by_role("button", name="Route to the IA").click()
    expect(sco.get_by_text("LOR routed to the implementing agency.")).to_be_visible()

    # The case manager validates it and builds the LOA.
    cm = as_user("case.manager")
    cm.goto(lor_url)
    cm.locator("#validate-on").fill(_day(38))
    cm.locator("#complete-on").fill(_day(38))
    cm.get_by_role("button", name="Validate").click()
    expect(cm.get_by_text("LOR validated")).to_be_visible()
    cm.goto("/cases/new/")
    cm.locator("#id_identifier").fill("XB-Q-ZTS")
    cm.locator("#id_title").fill("Thermal weapon sights")
    cm.locator("#id_country").select_option("XBN")
    cm.locator("#id_owner_org").select_option(label="USASAC")
    cm.locator("#id_lor").select_option(label=f"LOR: {TITLE}")
    _submit(cm)
    expect(cm.get_by_text(re.compile(r"Q is not a known implementing agency code"))).to_be_visible()
    screenshot(cm, "cases-refusal")
    cm.locator("#id_identifier").fill("XB-B-ZTS")
    _submit(cm)
    expect(cm.get_by_role("heading", name="XB-B-ZTS Thermal weapon sights")).to_be_visible()
    case_url = cm.url.split("?")[0]
    cm.goto(case_url + "add/line/")
    cm.locator("#id_number").fill("001")
    cm.locator("#id_item").fill("Clip-on thermal weapon sight")
    cm.locator("#id_quantity").fill("40")
    cm.locator("#id_unit_value").fill("45000")
    _submit(cm)
    cm.goto(case_url)
    for name, days_ago in (("write", 30), ("review", 29), ("propose", 28)):
        _milestone(cm, name, _day(days_ago))

    # No one approves an LOA they wrote (R-SEC-11): the writer is refused; a second person approves.
    cm.locator('button[data-milestone="approve"]').click()
    expect(cm.get_by_text(re.compile(r"someone else must approve it"))).to_be_visible()
    approver = as_user("usasac.approver")
    approver.goto(case_url)
    # MILDEP approval needs the disclosure and transfer approvals first (R-FMS-04): a refusal, then the fix.
    approver.locator('button[data-milestone="approve"]').click()
    expect(
        approver.get_by_text(re.compile(r"Record the foreign disclosure approval"))
    ).to_be_visible()
    cm.goto(case_url + "edit/")
    cm.locator("#id_disclosure_approved_on").fill(_day(35))
    cm.locator("#id_transfer_approved_on").fill(_day(35))
    cm.locator("#id_case_manager").select_option(label="Chris Patel")
    _submit(cm)
    approver.goto(case_url)
    _milestone(approver, "approve", _day(27))
    cm.goto(case_url)
    _milestone(cm, "offer", _day(26))
    expect(cm.get_by_test_id("case-status")).to_have_text("Offered")
    screenshot(cm, "cases-offered")
    assert_accessible(cm, "cases-case-detail")

    partner = as_user("partner.bandaria")
    partner.goto(case_url)
    partner.locator("#signed-on").fill(_day(20))
    partner.locator("#deposit-on").fill(_day(20))
    partner.locator('button[data-milestone="accept"]').click()
    expect(partner.get_by_test_id("case-status")).to_have_text("Accepted")

    # Implementation and a delivery.
    cm.goto(case_url)
    _milestone(cm, "implement")
    expect(cm.get_by_test_id("case-status")).to_have_text("Implemented")
    cm.goto(case_url + "add/delivery/")
    cm.locator("#id_line").select_option(index=1)
    cm.locator("#id_planned_on").fill((TODAY - dt.timedelta(days=10)).isoformat())
    cm.locator("#id_planned_quantity").fill("40")
    _submit(cm)
    expect(cm.get_by_role("heading", name="Deliveries: planned and actual")).to_be_visible()
    row = cm.locator("tr", has_text="Clip-on thermal weapon sight")
    row.locator('input[type="date"]').fill((TODAY - dt.timedelta(days=6)).isoformat())
    row.get_by_role("button", name="Delivered").click()
    expect(cm.get_by_text("Delivery recorded.")).to_be_visible()
    expect(
        cm.locator("tr", has_text="Clip-on thermal weapon sight").get_by_text("4 days late")
    ).to_be_visible()
    screenshot(cm, "cases-deliveries")
    assert_accessible(cm, "cases-deliveries")

    # The partner sees the delivery status; the main lists and metrics are accessible.
    partner.goto(case_url + "?tab=deliveries")
    expect(partner.get_by_text("4 days late")).to_be_visible()
    for path, name in (
        ("/cases/", "cases-index"),
        ("/cases/list/", "cases-list"),
        ("/cases/metrics/", "cases-metrics"),
        (lor_url, "cases-lor"),
    ):
        cm.goto(path)
        screenshot(cm, name)
        assert_accessible(cm, name)
