"""A long list in the browser (issue 15 item 1): Next, Previous and First by cursor, the count said
plainly, accessible (axe-core)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible


def first_column(page) -> list[str]:
    return page.locator("table tbody tr td:first-child").all_inner_texts()


def follow(page, name: str) -> None:
    """Click a pagination link and wait for the page it opens (reading rows mid-navigation reads none)."""
    with page.expect_navigation():
        page.get_by_role("link", name=name).click()


def test_a_long_list_pages_by_cursor_forward_and_back(page_as):
    page = page_as("sco.bandaria")
    page.goto("/countries/")  # every country: more than one page of 100
    expect(page.get_by_test_id("list-count")).to_have_text(
        re.compile(r"^\s*2\d\d records · 100 a page")
    )
    first = first_column(page)
    assert len(first) == 100 and not page.get_by_role("link", name="Previous page").count()
    follow(page, "Next page")
    second = first_column(page)
    assert second and not set(second) & set(first) and "cursor=" in page.url
    screenshot(page, "countries-page-2")
    assert_accessible(page, "countries, second page")
    follow(page, "Previous page")
    assert first_column(page) == first
    follow(page, "Next page")
    follow(page, "First page")
    assert first_column(page) == first and "cursor=" not in page.url
