"""Browser test of closure (issue 13 item 6): a case delivered long ago is posted supply/services
complete with its conditions (the refusal names what is missing), is interim-closed once 12 months
have passed since SSC, and its closure certificate downloads as a marked PDF. The closure tab
passes axe. Dates are given in the milestone form relative to today (the server's clock is not
moved)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import screenshot
from .conftest import sign_in
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e
TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _step(page, name: str, on: str | None) -> None:
    page.locator("#milestone-on").fill(on or "")
    page.locator(f'button[data-milestone="{name}"]').click()
    expect(page.locator(".usa-alert--success, .usa-alert--error").first).to_be_visible()


def test_ssc_then_interim_closure_then_the_certificate(page, tmp_path):
    sign_in(page, "case.manager")
    page.goto("/cases/new/")
    page.locator("#id_identifier").fill("XB-B-ZTC")
    page.locator("#id_title").fill("Radio spares closing out")
    page.locator("#id_country").select_option("XBN")
    page.locator("#id_owner_org").select_option(label="USASAC")
    manager = page.locator("#id_case_manager option", has_text="Chris Patel").first
    page.locator("#id_case_manager").select_option(manager.get_attribute("value"))
    page.locator("#id_disclosure_approved_on").fill(_day(530))
    page.locator("#id_transfer_approved_on").fill(_day(530))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="XB-B-ZTC Radio spares closing out")).to_be_visible()
    case_url = page.url.split("?")[0]
    page.goto(case_url + "add/line/")
    page.locator("#id_number").fill("001")
    page.locator("#id_item").fill("Radio spares kit")
    page.locator("#id_quantity").fill("10")
    page.locator("#id_unit_value").fill("2500")
    page.get_by_role("button", name="Save").click()
    page.goto(case_url)
    for name, days_ago in (("write", 520), ("review", 519), ("propose", 518)):
        _step(page, name, _day(days_ago))
    # R-SEC-11: a second person in the IA approves the LOA the case manager wrote.
    page.context.clear_cookies()
    sign_in(page, "usasac.approver")
    page.goto(case_url)
    _step(page, "approve", _day(517))
    page.context.clear_cookies()
    sign_in(page, "case.manager")
    page.goto(case_url)
    _step(page, "offer", _day(516))
    page.locator("#signed-on").fill(_day(510))
    page.locator("#deposit-on").fill(_day(505))
    page.locator('button[data-milestone="accept"]').click()
    expect(page.get_by_test_id("case-status")).to_have_text("Accepted")
    _step(page, "implement", _day(500))
    expect(page.get_by_test_id("case-status")).to_have_text("Implemented")

    # SSC without the storage count: refused, naming it; then with every condition recorded.
    page.locator("#services-complete-on").fill(_day(401))
    _step(page, "complete", _day(400))
    expect(page.get_by_text("number of items held in storage is not recorded")).to_be_visible()
    page.locator("#services-complete-on").fill(_day(401))
    page.locator("#storage-quantity").fill("0")
    _step(page, "complete", _day(400))
    expect(page.get_by_test_id("case-status")).to_have_text("Supply/services complete")

    # Closure is due 12 months after SSC (no delivery recorded): interim closure today.
    _step(page, "interim", None)
    expect(page.get_by_test_id("case-status")).to_have_text("Interim closed")

    page.goto(case_url + "?tab=closure")
    expect(page.get_by_test_id("closure-dates")).to_contain_text("Interim closure")
    screenshot(page, "cases-closure-interim")
    assert_accessible(page, "cases-closure-interim")
    with page.expect_download() as info:
        page.get_by_test_id("closure-certificate").click()
    path = tmp_path / "certificate.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Case closure certificate: XB-B-ZTC" in text
    assert "Interim closure" in text and "CUI" in text


def test_the_demo_dd645_and_closure_hold_on_the_closure_tab(page):
    """XB-B-ZAF (demo): in SSC, its quarterly DD Form 645 with the reconciliation, on CLOSHOLD."""
    sign_in(page, "case.manager")
    page.goto("/cases/list/?q=XB-B-ZAF")
    page.get_by_role("link", name="XB-B-ZAF").first.click()
    page.goto(page.url.split("?")[0] + "?tab=closure")
    expect(page.get_by_test_id("statements")).to_contain_text("quarter ended 30 Sep 2026")
    expect(page.get_by_test_id("statements")).to_contain_text("in arrears")
    expect(page.get_by_test_id("closhold-state")).to_contain_text("On hold")
    screenshot(page, "cases-closure-dd645")
    assert_accessible(page, "cases-closure-dd645")
