"""A detail page's tabs in the browser (issue 15 §4): a tab link swaps the tab's panel in place
(htmx), the address follows, and both marking banners are those the same tab's own URL shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import banners

pytestmark = pytest.mark.e2e


def test_issue15_a_tab_loads_in_place_with_the_banners_of_what_it_shows(page_as):
    page = page_as("case.manager")
    page.goto("/cases/list/")
    page.get_by_role("link", name="XB-P-ZAC").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # htmx takes over the tab links once the page has loaded; a click before that is an ordinary
    # link (it works, as a full page load), which is not what this test is about
    page.wait_for_load_state("load")
    page.evaluate("window.__stayed = true")  # gone if the browser loads a new page
    for tab, heading in (("history", "History"), ("lines", "Lines"), ("overview", "LOA")):
        page.locator("#record-tabs").get_by_role("link", name=re.compile(f"^{tab}", re.I)).click()
        expect(page).to_have_url(re.compile(rf"\?tab={tab}$"))
        expect(
            page.locator("#tab-panel").get_by_role("heading", name=heading).first
        ).to_be_visible()
        expect(page.locator(f'#record-tabs a[href="?tab={tab}"]')).to_have_attribute(
            "aria-current", "page"
        )
        assert page.evaluate("window.__stayed === true"), "the tab was a full page load"
        swapped = banners(page)
        screenshot(page, f"case-tab-{tab}")
        page.reload()
        assert banners(page) == swapped, tab
        page.evaluate("window.__stayed = true")
