"""Budget pages in the browser (PostgreSQL pass): each main page passes axe-core, the request
page shows the CCMD's version diff, and the consonance page lists the two seeded inconsistencies
with links to each side."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_main_budget_pages_are_accessible_and_show_the_consonance_check(page_as):
    page = page_as("ccmd.planner")
    for path in (
        "/budget/",
        "/budget/requests/",
        "/budget/forecasts/",
        "/budget/rollup/",
        "/budget/consonance/XBN/",
    ):
        assert page.goto(path).ok
        assert_accessible(page, path)
    expect(page.get_by_test_id("inconsistency")).to_have_count(2)
    screenshot(page, "budget-consonance")
    page.goto("/budget/")
    page.get_by_role("link", name="FY2028 FMF/IMET budget request, Bandaria").first.click()
    expect(page.get_by_role("button", name="Forward to the Joint Staff")).to_be_visible()
    assert_accessible(page, "budget request")
    page.get_by_role("link", name="Versions").click()
    expect(page.get_by_test_id("pending-changes")).to_contain_text(
        "FY2029 need: $700,000.00 → $750,000.00"
    )
    assert_accessible(page, "budget request versions")
    screenshot(page, "budget-request")
    page.goto("/budget/rollup/")
    expect(page.locator("svg.secoop-chart")).to_be_visible()
    screenshot(page, "budget-rollup")
    page.goto("/budget/")
    page.get_by_role("link", name=re.compile("2027 forecast")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Javits report"))).to_be_visible()
    assert_accessible(page, "forecast")
    screenshot(page, "budget-forecast")
