"""Browser test of analysis (issue 16): the planner opens the Bandaria analysis (the sweet-spot
circles, the flag on a partner with no will), solves an AFRICOM scenario, sees the optimizer and
the greedy baseline side by side with each unfunded option's reason, and commits the optimizer's
plan into planned activities. axe-core finds no serious violation on the analysis pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_browser import assert_accessible

pytestmark = pytest.mark.e2e


def test_the_planner_runs_a_scenario_sees_optimizer_vs_greedy_and_commits_it(page_as):
    pytest.importorskip("secoop.analysis.optimizer")
    page = page_as("ccmd.planner")
    page.goto("/analysis/")
    page.get_by_role("link", name=re.compile("Bandaria 1st Border Brigade")).first.click()
    expect(page.locator("svg.analysis-venn").first).to_be_visible()
    expect(
        page.get_by_text("Sweet spot: DoD, DoS / other agencies and the partner").first
    ).to_be_visible()
    assert_accessible(page, "analysis detail")
    screenshot(page, "analysis-detail")

    page.goto("/analysis/scenarios/")
    page.get_by_role("link", name="AFRICOM FY2028–FY2030: border and maritime security").click()
    page.get_by_role("button", name="Solve scenario").click()
    optimizer = page.locator('[data-method="milp"]')
    greedy = page.locator('[data-method="greedy"]')
    expect(optimizer).to_contain_text("Optimizer (MILP, HiGHS)")
    expect(greedy).to_contain_text("Greedy baseline")
    assert float(optimizer.locator("[data-value]").inner_text()) >= float(
        greedy.locator("[data-value]").inner_text()
    )
    expect(page.get_by_text(re.compile("R-CBA-02")).first).to_be_visible()  # Niger: never resourced
    assert_accessible(page, "scenario solved")
    screenshot(page, "analysis-scenario-solved")

    page.get_by_role("radio", name="Optimizer (MILP, HiGHS)").check()
    page.get_by_label("Why (kept in the history)").fill("FY2028 program review")
    page.get_by_role("button", name="Commit to planned activities").click()
    expect(
        page.get_by_text(re.compile("Committed: the chosen options are now proposed activities"))
    ).to_be_visible()
    page.goto("/planning/activities/?q=interdiction")
    expect(
        page.get_by_role("link", name=re.compile("Mobile training team: border interdiction"))
    ).to_be_visible()

    page.goto("/analysis/unfunded/")
    expect(page.get_by_text("Battalion pre-deployment training")).to_be_visible()
    assert_accessible(page, "unfunded requirements")
    for url in ("/analysis/programs/", "/analysis/analyses/", "/analysis/scenarios/"):
        page.goto(url)
        assert_accessible(page, url)
