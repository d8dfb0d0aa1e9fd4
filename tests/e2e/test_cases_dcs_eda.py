"""Browser test of DCS license requests beside the FMS cases (EO 14268) and the EDA offer
(issue 13 item 11): the applicant company enters and submits a request; DoS PM records DDTC's
receipt and the AECA §36(c) certification; the approval is refused with the day it may happen,
then recorded; the competitor's request never shows to the company (R-IND-01). Dates are given
relative to today (the server's clock is not moved)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e
TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _step(page, form_action: str, on: str, **fields) -> None:
    form = page.locator(f'form[action$="/{form_action}/"]')
    form.locator('input[name="on"]').fill(on)
    for name, value in fields.items():
        form.locator(f'[name="{name}"]').fill(value)
    form.locator('button[type="submit"]').click()
    expect(page.locator(".usa-alert--success, .usa-alert--error").first).to_be_visible()


def test_dcs_approval_waits_the_36c_certification_and_the_company_sees_its_own(page_as):
    industry = page_as("industry.rep")
    industry.goto("/cases/dcs/new/")
    industry.locator("#id_company").select_option(label="Meridian Defense")
    industry.locator("#id_country").select_option("XBN")
    industry.locator("#id_commodity").fill("Coastal patrol aircraft, 2")
    industry.locator("#id_license_type").select_option("dsp5")
    industry.locator("#id_value").fill("60000000")
    industry.get_by_role("button", name="Save").click()
    expect(industry.get_by_text("Required: articles/services $60,000,000")).to_be_visible()
    url = industry.url.split("?")[0]
    _step(industry, "submit", _day(40), reference="050199999")
    expect(industry.get_by_text("Submitted to DDTC").first).to_be_visible()
    industry.goto("/cases/dcs/")
    expect(industry.get_by_role("link", name="Coastal patrol aircraft, 2")).to_be_visible()
    expect(industry.get_by_text("Ground surveillance radar")).to_have_count(0)
    screenshot(industry, "cases-dcs-list-industry")
    assert_accessible(industry, "dcs-list-industry")

    state = page_as("state.pm")
    state.goto(url)
    _step(state, "receive", _day(39))
    _step(state, "notify", _day(31))
    _step(state, "approve", _day(1), provisos="No re-export without DDTC approval.")
    expect(state.get_by_text(f"may happen on {TODAY.day} {TODAY:%b %Y}")).to_be_visible()
    screenshot(state, "cases-dcs-refused")
    assert_accessible(state, "cases-dcs-refused")
    state.goto(url)
    _step(state, "approve", TODAY.isoformat(), provisos="No re-export without DDTC approval.")
    expect(state.get_by_text("Approved on").first).to_be_visible()
    expect(state.get_by_text("No re-export without DDTC approval.")).to_be_visible()
    screenshot(state, "cases-dcs-approved")


def test_eda_offer_page_is_finished_and_accessible(page_as):
    page = page_as("sco.bandaria")
    page.goto("/cases/eda/")
    page.get_by_role("link", name="Excess patrol boats for the Bandaria Coast Guard").click()
    expect(page.get_by_text("as is, where is").first).to_be_visible()
    expect(page.get_by_text("the articles may be transferred on 1 Nov 2026")).to_be_visible()
    screenshot(page, "cases-eda-offer")
    assert_accessible(page, "cases-eda-offer")
