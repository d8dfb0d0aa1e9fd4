"""Pure analysis rules, R-CBA-01..06 (no database), and the input parsers' messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from secoop.analysis import rules
from secoop.analysis.rules import Support

D = Decimal


def test_r_cba_01_a_bpc_program_needs_a_dotmlpf_class_on_the_gap():
    assert rules.bpc_needs_dotmlpf("M", ["10 USC 333"]) is None
    assert rules.bpc_needs_dotmlpf("", []) is None
    found = rules.bpc_needs_dotmlpf("", ["10 USC 333"])
    assert found.rule == "R-CBA-01" and "10 USC 333" in found.message and "DOTMLPF-P" in found.fix
    facts = rules.ReadyFacts("willing", dict.fromkeys(("prioritizing", "deriving", "integrating", "balancing", "sequencing", "resourcing"), "x"), 1, 1, ("Night surveillance",))  # fmt: skip
    assert [f.rule for f in rules.ready_findings(facts)] == ["R-CBA-01"]


def test_r_cba_02_no_will_is_flagged_and_never_resourced_but_uncertain_is_not_no():
    assert rules.partner_willing("willing") and rules.partner_willing("uncertain")
    assert not rules.partner_willing("unwilling")
    assert rules.desire_flag("uncertain") is None
    flag = rules.desire_flag("unwilling")
    assert flag.rule == "R-CBA-02" and "never resourced" in flag.message
    # Flagged, not hidden: an unwilling partner's analysis may still go to resourcing.
    facts = rules.ReadyFacts("unwilling", {k: "x" for k, _, _ in rules.CONSIDERATIONS}, 1, 1)
    assert rules.ready_findings(facts) == []


def test_r_cba_03_each_investment_consideration_is_recorded():
    found = rules.missing_considerations({"prioritizing": "risk first", "deriving": " "})
    assert [f.field for f in found] == ["deriving", "integrating", "balancing", "sequencing", "resourcing"]  # fmt: skip
    assert {f.rule for f in found} == {"R-CBA-03"}
    assert rules.missing_considerations({k: "x" for k, _, _ in rules.CONSIDERATIONS}) == []
    empty = rules.ReadyFacts("willing", {}, 0, 0)
    assert [f.rule for f in rules.ready_findings(empty)].count("R-CBA-03") == 6


def test_r_cba_04_the_sweet_spot_ranks_first_among_equals_and_is_drawn():
    sweet, two = Support(True, True, True), Support(True, False, True)
    assert sweet.sweet_spot and not two.sweet_spot and two.count == 2
    assert rules.rank_key(1.0, sweet, D(100)) < rules.rank_key(1.0, two, D(100))
    assert rules.rank_key(2.0, two, D(100)) < rules.rank_key(
        1.0, sweet, D(100)
    )  # only among equals
    assert rules.option_value(D(5), D("0.5"), sweet) > rules.option_value(D(5), D("0.5"), two)
    assert rules.option_value(D(5), D("0.5"), sweet) < rules.option_value(D(5), D("0.51"), two)
    svg = rules.sweet_spot_svg(sweet, title="Towers <b>")
    assert svg.startswith("<svg") and 'role="img"' in svg and "Sweet spot" in svg
    assert "<b>" not in svg and svg.count("<circle") == 3
    assert "★" not in rules.sweet_spot_svg(two)


def test_r_cba_05_resources_planned_by_others_reduce_the_usg_cost_not_below_zero():
    net = rules.net_of_planned({2028: D(1000), 2029: D(500)}, {2028: D(300), 2029: D(900)})
    assert net == {2028: D(700), 2029: D(0)}
    assert rules.costs_from_start({2028: D(1), 2030: D(3)}) == (D(1), D(0), D(3))
    assert rules.costs_from_start({}) == ()


def test_r_cba_06_every_option_not_funded_is_kept_with_its_reason():
    kept = rules.unfunded(
        ["O1", "O2", "O3"], ["O2"], {"O1": "program 333 budget in FY2028 exhausted"}
    )
    assert [(u.option_key, u.reason) for u in kept] == [
        ("O1", "program 333 budget in FY2028 exhausted"),
        ("O3", "not chosen: a better use of the same money was found"),
    ]


def test_costs_by_fiscal_year_are_read_or_each_bad_line_is_named():
    costs, problems = rules.parse_costs("FY2028: 150,000\nFY2029 $90,000.50")
    assert costs == {2028: D("150000"), 2029: D("90000.50")} and problems == []
    costs, problems = rules.parse_costs("FY2028: 1\nFY2028: 2\nnext year: lots")
    assert costs == {2028: D(1)}
    assert len(problems) == 2 and "given twice" in problems[0].message
    assert "FY2028: 150,000" in problems[1].fix
    assert rules.costs_text({2029: D(5), 2028: D("1000.5")}) == "FY2028: 1,000.50\nFY2029: 5.00"


def test_budget_lines_name_the_program_year_and_amount_or_say_what_is_wrong():
    lines, problems = rules.parse_budgets(
        "10 usc 333, FY2028, 1,500,000\nFMF; FY2031; 5\nNope, FY2028, 1\ngarbage", ["10 USC 333", "FMF"], 2028, 2030
    )  # fmt: skip
    assert lines == [rules.BudgetLine("10 USC 333", 2028, D(1500000))]
    assert [p.message for p in problems] == [
        "FY2031 is outside the scenario (FY2028–FY2030).",
        "“Nope” is not a program in the catalog.",
        "“garbage” is not a budget line.",
    ]


def test_a_scenario_looks_up_to_five_years_out_and_country_bounds_are_ordered():
    assert rules.scenario_period_problem(2028, 2032) is None
    assert "five" in rules.scenario_period_problem(2028, 2033).message
    assert rules.scenario_period_problem(2030, 2028).field == "last_fy"
    assert rules.country_limits_problem(D(5), D(4)).field == "min_total"
    assert rules.country_limits_problem(None, D(4)) is None


def test_weights_follow_imo_priority_and_lead_time_sets_the_earliest_start():
    assert [rules.default_weight(p) for p in (1, 2, 5, 9, None)] == [D(5), D(4), D(1), D(1), D(1)]
    today = dt.date(2026, 12, 3)  # FY2027
    assert rules.earliest_start(today, 0, 2027) == 2027
    assert rules.earliest_start(today, 18, 2027) == 2028  # June 2028
    assert rules.earliest_start(today, 10, 2027) == 2028  # October 2027 is FY2028
    assert rules.earliest_start(today, 1, 2029) == 2029


@given(st.integers(0, 120), st.integers(2020, 2040))
def test_the_earliest_start_is_never_before_the_scenario_nor_before_the_lead_time(months, first):
    today = dt.date(2026, 12, 3)
    fy = rules.earliest_start(today, months, first)
    ready_year, ready_month = 2026 + (11 + months) // 12, (11 + months) % 12 + 1
    ready_fy = ready_year + (1 if ready_month >= 10 else 0)  # FY starts 1 October
    assert fy == max(first, ready_fy)


def test_lifecycles_name_registered_actions():
    assert rules.ANALYSIS.allows("ready", "draft") and not rules.ANALYSIS.allows("ready", "ready")
    assert rules.SCENARIO.allows("solve", "solved") and rules.SCENARIO.is_final("committed")
    assert {row.action for row in rules.SCENARIO.values()} == {
        "secoop.analysis.actions.solve_scenario",
        "secoop.analysis.actions.commit_scenario",
    }
