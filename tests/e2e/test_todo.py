"""Browser tests of the to-do lists and the training dashboard (issue 12 items 1, 4, 6 and 10):
LE staff are not told a NOFORN step is missing and see "with U.S. staff" instead; the partner's
home holds no student to act on and its training page is a styled table; the partner is offered no
"New activity"; the SCO's home lists each record once with the overdue LOR in red; the training
dashboard is one line per student. axe-core finds no serious violation on any of these pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_12_1_le_staff_are_not_told_a_hidden_step_is_missing(page_as):
    le = page_as("le.staff")
    le.goto("/")
    today = le.locator("#today-heading").locator("xpath=..")
    expect(today).not_to_contain_text("vetting")
    expect(today).to_contain_text("medical")
    screenshot(le, "todo-le-home")
    assert_accessible(le, "LE staff home")

    le.goto("/training/")
    expect(le.get_by_text("never requested")).to_have_count(0)
    row = le.get_by_test_id("student-row").filter(has_text="Lindqvist")
    expect(row).to_contain_text("Human-rights vetting")
    expect(row).to_contain_text("with U.S. staff")
    screenshot(le, "todo-le-training")
    assert_accessible(le, "LE staff training dashboard")


def test_12_6_the_partner_is_offered_only_what_it_may_do(page_as):
    partner = page_as("partner.bandaria")
    partner.goto("/")
    expect(partner.get_by_text("5 Aug 2024")).to_have_count(0)
    expect(partner.get_by_role("heading", name="Training")).to_have_count(0)
    screenshot(partner, "todo-partner-home")
    assert_accessible(partner, "partner home")

    partner.goto("/training/")
    table = partner.locator("table.usa-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("With U.S. staff")
    screenshot(partner, "todo-partner-training")
    assert_accessible(partner, "partner training home")

    partner.get_by_role("link", name=re.compile("Halvik")).click()
    expect(partner.locator("dl.secoop-dl")).to_be_visible()
    assert_accessible(partner, "partner student page")

    partner.goto("/planning/")
    expect(partner.get_by_role("link", name="New activity")).to_have_count(0)


def test_12_10_each_record_once_and_the_overdue_lor_in_red(page_as):
    sco = page_as("sco.bandaria")
    sco.goto("/")
    expect(
        sco.locator(".secoop-today-item").filter(has_text="Border surveillance radar")
    ).to_have_count(1)
    late = sco.locator(".secoop-today-item").filter(has_text="Patrol vehicle spare parts")
    expect(late).to_have_class(re.compile("secoop-today-item--error"))
    due = late.locator(".secoop-today-item__due")
    expect(due).to_contain_text("Overdue since")
    expect(due).to_have_css("color", "rgb(181, 9, 9)")
    screenshot(sco, "todo-sco-home")
    assert_accessible(sco, "SCO home")

    planner = page_as("ccmd.planner")
    planner.goto("/")
    expect(planner.locator(".secoop-today-item").filter(has_text="CETPP FY2027")).to_have_count(1)

    manager = page_as("case.manager")
    manager.goto("/")
    expect(manager.locator("#recent-heading")).to_have_text("Recent changes to your work")
    expect(manager.locator("table").filter(has_text="student")).to_have_count(0)


def test_12_4_training_dashboard_is_one_line_per_student(page_as):
    sco = page_as("sco.bandaria")
    sco.goto("/training/")
    rows = sco.get_by_test_id("student-row")
    expect(rows.filter(has_text="Halvik")).to_have_count(1)
    halvik = rows.filter(has_text="Halvik")
    count = int(halvik.get_by_test_id("open-count").inner_text())
    assert count > 3
    halvik.locator("summary").click()
    expect(halvik.locator("details li")).to_have_count(count)
    screenshot(sco, "todo-sco-training")
    assert_accessible(sco, "SCO training dashboard")
