"""Assessment rules (SPEC §4) as pure functions: each rule proven once, here, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.assessment import rules
from secoop.assessment.rules import IndicatorFacts
from secoop.assessment.rules import MeasureType

D = dt.date
COUNT = IndicatorFacts("MOP", MeasureType.UNIT, "wells", Decimal(0), D(2026, 9, 15))
NO_BASELINE = IndicatorFacts("MOP", MeasureType.UNIT, "wells", None, None)
SCALE = IndicatorFacts(
    "MOE",
    MeasureType.QUALITATIVE,
    "",
    Decimal(1),
    D(2026, 1, 1),
    scale=("1 = none", "2 = some", "3 = full"),
)
PERCENT = IndicatorFacts("MOE", MeasureType.PERCENTAGE, "percent", Decimal(55), D(2026, 1, 1))


def test_r_ame_01_no_actual_before_the_baseline_is_recorded():
    found = rules.baseline_problem(NO_BASELINE)
    assert (
        found.rule == "R-AME-01"
        and "no baseline" in found.message
        and "Record the baseline" in found.fix
    )
    assert rules.baseline_problem(COUNT) is None


def test_r_ame_01_no_actual_for_a_period_that_ended_before_the_baseline():
    found = rules.before_baseline_problem(COUNT, D(2026, 9, 1))
    assert found.rule == "R-AME-01" and "before the baseline of 15 Sep 2026" in found.message
    assert rules.before_baseline_problem(COUNT, D(2026, 9, 30)) is None


def test_r_ame_02_a_non_numeric_value_for_a_quantitative_indicator_says_what_to_give():
    found = rules.value_problem("about twelve", COUNT)
    assert found.rule == "R-AME-02" and "“about twelve” is not a number" in found.message
    assert "wells" in found.message and "12.5" in found.fix
    assert rules.value_problem("12.5", COUNT) is None
    assert rules.value_problem("-1", COUNT).message == "a count cannot be negative."
    assert (
        rules.value_problem("NaN", COUNT) is not None
        and rules.value_problem(True, COUNT) is not None
    )


def test_r_ame_02_a_qualitative_value_is_a_level_of_the_scale():
    assert rules.value_problem("2", SCALE) is None
    assert "1 to 3" in rules.value_problem("4", SCALE).fix
    assert "1 to 3" in rules.value_problem("1.5", SCALE).fix
    assert "not a level" in rules.value_problem("good", SCALE).message
    assert rules.value_problem("101", PERCENT).fix == "Give a value from 0 to 100."


def test_r_ame_02_a_target_of_another_unit_is_refused_not_converted():
    found = rules.target_unit_problem("liters", COUNT)
    assert (
        found.rule == "R-AME-02"
        and "the target is in liters" in found.message
        and found.field == "target_unit"
    )
    assert rules.target_unit_problem("Wells", COUNT) is None
    assert rules.target_unit_problem("", COUNT) is None
    assert rules.target_unit_problem("%", PERCENT) is None


def test_r_ame_02_the_reference_sheet_needs_kind_definition_unit_or_scale():
    bare = IndicatorFacts("", MeasureType.QUALITATIVE, "", None, None, scale=("only one",))
    fields = {f.field for f in rules.reference_sheet_problems(bare, "")}
    assert fields == {"kind", "definition", "scale"}
    unitless = IndicatorFacts("MOP", MeasureType.UNIT, "", None, None)
    assert {f.field for f in rules.reference_sheet_problems(unitless, "counted")} == {"unit"}


def test_a_period_outside_the_activitys_dates_or_overlapping_another_is_refused():
    activity = (D(2026, 10, 1), D(2026, 10, 31))
    outside = rules.period_problems(D(2026, 9, 1), D(2026, 10, 15), activity)
    assert "outside the activity's dates (01 Oct 2026–31 Oct 2026)" in outside[0].message
    overlap = rules.period_problems(
        D(2026, 10, 10), D(2026, 10, 20), activity, [(D(2026, 10, 1), D(2026, 10, 15))]
    )
    assert "overlaps" in overlap[0].message
    assert rules.period_problems(D(2026, 10, 20), D(2026, 10, 10), None)[0].field == "period_end"
    assert (
        rules.period_problems(
            D(2026, 10, 16), D(2026, 10, 31), activity, [(D(2026, 10, 1), D(2026, 10, 15))]
        )
        == []
    )


def test_periods_follow_the_reporting_frequency():
    quarters = rules.periods_by_frequency(D(2026, 10, 1), D(2027, 9, 30), rules.Frequency.QUARTERLY)
    assert quarters[0] == (D(2026, 10, 1), D(2026, 12, 31)) and len(quarters) == 4
    assert quarters[-1] == (D(2027, 7, 1), D(2027, 9, 30))


def test_r_ame_02_an_update_is_overdue_one_reporting_interval_after_the_last_period_reported():
    assert rules.update_due(D(2026, 11, 30), rules.Frequency.MONTHLY) == D(2026, 12, 30)
    assert not rules.update_overdue(D(2026, 11, 30), rules.Frequency.MONTHLY, D(2026, 12, 30))
    assert rules.update_overdue(D(2026, 11, 30), rules.Frequency.MONTHLY, D(2026, 12, 31))
    assert not rules.update_overdue(None, rules.Frequency.ANNUAL, D(2030, 1, 1))


def test_the_update_lifecycle_submits_then_approves_or_returns_and_resubmits():
    assert rules.UPDATE.target("submit") == "submitted"
    assert rules.UPDATE.allows("submit", "returned") and not rules.UPDATE.allows("approve", "draft")
    assert (
        "this one is approved"
        in rules.transition_problem(rules.UPDATE, "return", "approved").message
    )
    assert rules.return_comment_problem("  ").field == "comment"


def test_r_ame_04_an_evaluation_completes_only_with_findings_that_cite_evidence_and_adjustments():
    cited = rules.FindingFacts("Effectiveness", updates=2, documents=0)
    data = rules.FindingFacts("Sustainability", 0, 0, data="survey of committees")
    bare = rules.FindingFacts("Relevance: fits the plan", 0, 0)
    assert rules.completion_problems([cited, data], "train mechanics") == []
    found = rules.completion_problems([cited, bare], "")
    assert [f.rule for f in found] == ["R-AME-04", "R-AME-04"]
    assert "1 finding(s) cite no evidence: Relevance: fits the plan" in found[0].message
    assert found[1].field == "recommended_adjustments"
    assert "no findings" in rules.completion_problems([], "x")[0].message


def test_r_ame_04_post_project_evaluations_fall_due_the_given_days_after_the_end():
    assert rules.post_project_due(D(2026, 10, 31), 30) == D(2026, 11, 30)
    assert rules.post_project_due(D(2026, 10, 31), 365) == D(2027, 10, 31)
    assert rules.evaluation_overdue("planned", D(2026, 11, 30), D(2026, 12, 1))
    assert not rules.evaluation_overdue("completed", D(2026, 11, 30), D(2026, 12, 1))


def test_r_ame_05_tags_are_stored_once_in_lower_case_and_shown_as_a_list():
    stored = rules.tags_stored("Border, logistics; border ,  Night  Patrol")
    assert stored == ",border,logistics,night patrol,"
    assert rules.tags_shown(stored) == ["border", "logistics", "night patrol"]
    assert {f.field for f in rules.lesson_problems("", "seen", "")} == {"title", "recommendation"}


def test_progress_and_roll_up():
    assert rules.progress(Decimal(4), Decimal(25), Decimal(9)) == Decimal("0.24")
    assert rules.progress(Decimal(30), Decimal(10), Decimal(20)) == Decimal("0.50")  # descending
    assert rules.progress(Decimal(1), Decimal(1), Decimal(1)) is None
    values = [Decimal(2), Decimal(4)]
    assert rules.roll_up(values, "sum") == 6 and rules.roll_up(values, "mean") == 3
    assert rules.roll_up(values, "latest") == 4 and rules.roll_up([], "sum") is None


def test_only_unclassified_records_without_controls_and_approved_for_release_are_public():
    assert rules.public_problem(0, "", True) is None
    assert rules.public_problem(1, "", True) == "not UNCLASSIFIED"
    assert "dissemination control" in rules.public_problem(0, "REL", True)
    assert rules.public_problem(0, "", False) == "not approved for public release"
    assert [
        rules.iati_activity_status(s) for s in ("planned", "ongoing", "completed", "cancelled")
    ] == ["1", "2", "4", "5"]


def test_r_ame_04_criteria_are_stored_in_order_and_findings_judge_the_planned_ones():
    assert rules.criteria_stored(["impact", "relevance", "impact", "bogus"]) == ",relevance,impact,"
    assert rules.criteria_shown(",relevance,impact,") == ["relevance", "impact"]
    assert rules.unknown_criteria("relevance, vibes") == ["vibes"]
    assert rules.finding_criterion_problem("impact", []) is None  # no plan: any criterion
    problem = rules.finding_criterion_problem("impact", ["relevance"])
    assert problem.rule == "R-AME-04" and "judges relevance, not impact" in problem.message
    assert rules.unjudged_criteria(["relevance", "impact"], ["impact"]) == ["relevance"]
    found = [rules.FindingFacts("Relevance: fits.", updates=1, documents=0)]
    (problem,) = rules.completion_problems(found, "none", ["impact"])
    assert "no finding judges impact" in problem.message


def test_an_update_falls_due_when_its_period_ends_once_a_baseline_allows_it():
    end = D(2026, 12, 31)
    assert rules.period_falls_due(end, False, D(2026, 10, 1)) == D(2027, 1, 1)
    assert rules.period_falls_due(end, True, D(2026, 10, 1)) is None  # reported
    assert rules.period_falls_due(end, False, None) is None  # R-AME-01: no baseline yet
    assert rules.period_falls_due(end, False, D(2027, 2, 1)) is None  # ended before it
    today = D(2026, 12, 20)
    assert rules.due_state(D(2027, 1, 1), today) == "due"
    assert rules.due_state(D(2027, 1, 10), today) == ""  # beyond the 14 days
    assert rules.due_state(D(2026, 12, 19), today) == "overdue"
    assert rules.due_state(None, today) == ""
