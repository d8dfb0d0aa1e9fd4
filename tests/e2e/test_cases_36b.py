"""Browser test of the 36(b) gate (issue 13 item 1): an LOA whose lines need congressional
notification records the informal review and the formal notification with their dates; the offer
is refused with the day it may be offered, and is offered on that day. Dates are given in the
milestone forms relative to today (the server's clock is not moved)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .conftest import sign_in
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e
TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _step(page, name: str, on: str | None) -> None:
    if on:
        page.locator("#milestone-on").fill(on)
    page.locator(f'button[data-milestone="{name}"]').click()
    expect(page.locator(".usa-alert--success, .usa-alert--error").first).to_be_visible()


def test_36b_offer_refused_until_the_day_it_may_be_offered(page):
    sign_in(page, "case.manager")
    page.goto("/cases/new/")
    page.locator("#id_identifier").fill("XB-B-ZTN")
    page.locator("#id_title").fill("Coastal radar towers")
    page.locator("#id_country").select_option("XBN")
    page.locator("#id_owner_org").select_option(label="USASAC")
    page.locator("#id_disclosure_approved_on").fill(_day(60))
    page.locator("#id_transfer_approved_on").fill(_day(60))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="XB-B-ZTN Coastal radar towers")).to_be_visible()
    case_url = page.url.split("?")[0]
    page.goto(case_url + "add/line/")
    page.locator("#id_number").fill("001")
    page.locator("#id_item").fill("Coastal surveillance radar (MDE)")
    page.locator("#id_quantity").fill("4")
    page.locator("#id_unit_value").fill("9000000")
    page.locator("label[for=id_mde]").click()
    page.get_by_role("button", name="Save").click()
    page.goto(case_url)
    expect(page.get_by_text("Required: MDE $36,000,000")).to_be_visible()
    for name, days_ago in (("write", 50), ("review", 49), ("propose", 48)):
        _step(page, name, _day(days_ago))
    # R-SEC-11: a second person in the IA approves the LOA the case manager wrote.
    page.context.clear_cookies()
    sign_in(page, "usasac.approver")
    page.goto(case_url)
    _step(page, "approve", _day(47))
    expect(page.get_by_test_id("case-status")).to_have_text("MILDEP approved")
    page.context.clear_cookies()
    sign_in(page, "case.manager")
    page.goto(case_url)

    # The informal (tiered) review, then the formal notification 31 days ago: 30 days' review.
    page.locator("#n36b-review-on").fill(_day(45))
    page.locator('button[data-milestone="n36b-review"]').click()
    expect(page.get_by_text("Recorded: the congressional notification step")).to_be_visible()
    page.locator("#n36b-notify-on").fill(_day(31))
    page.locator('button[data-milestone="n36b-notify"]').click()
    expect(page.get_by_test_id("n36b-offer-from")).to_contain_text(f"{TODAY.day} {TODAY:%b %Y}")

    # Offered yesterday: refused, naming the day it may be offered.
    _step(page, "offer", _day(1))
    expect(page.get_by_text(f"The LOA may be offered on {TODAY.day} {TODAY:%b %Y}")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("MILDEP approved")
    screenshot(page, "cases-36b-refused")
    assert_accessible(page, "cases-36b-refused")

    # Offered on that day (today).
    page.goto(case_url)
    _step(page, "offer", TODAY.isoformat())
    expect(page.get_by_test_id("case-status")).to_have_text("Offered")
