"""Roll-up with disaggregations (issue 17 item 10), monitoring (R-AME-04) and ROI from actual costs
(R-AME-07) as pure rules: each proven once, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.assessment import rules
from secoop.assessment.rules import Contribution
from secoop.assessment.rules import Contributor
from secoop.assessment.rules import MeasureType
from secoop.assessment.rules import RollUp

D = dt.date
UNIT = MeasureType.UNIT
# A: companies trained per month (a flow, declared `sum`); B: cumulative wells (declared `latest`).
A = Contributor(1, RollUp.SUM, "wells", UNIT)
B = Contributor(2, RollUp.LATEST, "wells", UNIT, weight=Decimal(3))
QUARTER = [
    Contribution(
        1, D(2026, 10, 31), Decimal(2), (("district", "Kessa", 1), ("district", "Tamar", 1))
    ),
    Contribution(1, D(2026, 11, 30), Decimal(3), (("district", "Kessa", 3),)),
    Contribution(2, D(2026, 10, 31), Decimal(4), (("district", "Kessa", 4),)),
    Contribution(
        2, D(2026, 11, 30), Decimal(6), (("district", "Kessa", 5), ("district", "Tamar", 1))
    ),
]


def _parts(rolled) -> dict:
    return {(d, c): a for d, c, a in rolled.parts}


def test_item10_each_contributor_combines_its_periods_by_its_own_method_then_the_sum_adds_them():
    rolled = rules.roll_up_period(RollUp.SUM, "wells", UNIT, [A, B], QUARTER)
    assert rolled.per_source == {1: Decimal(5), 2: Decimal(6)}  # 2 + 3; the latest of B is 6
    assert rolled.value == Decimal(11) and not rolled.skipped
    # Disaggregations carried through: A's months add (Kessa 4, Tamar 1), B's latest (5, 1).
    assert _parts(rolled) == {("district", "Kessa"): 9, ("district", "Tamar"): 2}


def test_item10_mean_weighted_and_latest_combine_the_contributors():
    mean = rules.roll_up_period(RollUp.MEAN, "wells", UNIT, [A, B], QUARTER)
    assert mean.value == Decimal("5.50") and _parts(mean)[("district", "Kessa")] == Decimal("4.50")
    weighted = rules.roll_up_period(RollUp.WEIGHTED, "wells", UNIT, [A, B], QUARTER)
    assert weighted.value == Decimal("5.75")  # (5×1 + 6×3) / 4
    latest = rules.roll_up_period(RollUp.LATEST, "wells", UNIT, [A, B], QUARTER)
    assert latest.value == Decimal(6) and _parts(latest) == {
        ("district", "Kessa"): 5,
        ("district", "Tamar"): 1,
    }
    assert rules.roll_up([Decimal(1)], RollUp.WEIGHTED, [Decimal(0)]) is None  # no weight, no mean


def test_item10_a_contributor_of_another_unit_or_measure_type_is_skipped_with_the_reason():
    patrols = Contributor(3, RollUp.SUM, "patrols", UNIT)
    share = Contributor(4, RollUp.SUM, "percent", MeasureType.PERCENTAGE)
    rolled = rules.roll_up_period(
        RollUp.SUM,
        "wells",
        UNIT,
        [A, patrols, share],
        [
            *QUARTER,
            Contribution(3, D(2026, 11, 30), Decimal(40)),
            Contribution(4, D(2026, 11, 30), Decimal(50)),
        ],
    )
    assert rolled.value == Decimal(5) and set(rolled.per_source) == {1}
    assert "counted in patrols, the objective's indicator in wells" in rolled.skipped[3]
    assert "measured as percentage" in rolled.skipped[4]
    levels = Contributor(5, RollUp.LATEST, "", MeasureType.QUALITATIVE)
    summed = rules.roll_up_period(RollUp.SUM, "", MeasureType.QUALITATIVE, [levels], [])
    assert summed.value is None and "do not add up" in summed.skipped[5]


def test_item10_the_link_is_refused_for_itself_a_non_objective_parent_another_unit_or_a_bad_weight():
    link = rules.contribution_link_problems
    A, I = rules.ACTIVITY, rules.IMO  # noqa: E741  (the levels, as the rule names them)
    assert "into itself" in link(I, A, True, None, Decimal(1), True)[0].message
    found = link(A, A, True, "it is counted in patrols, …", Decimal(0), False)
    assert [f.field for f in found] == ["contributes_to", "contributes_to", "roll_up_weight"]
    assert all(f.rule == "R-AME-02" for f in found) and "units differ" in found[1].message
    assert "does not serve this IMO" in link(I, A, False, None, None, False)[0].message
    assert link(I, A, True, None, Decimal(2), False) == []


def test_item10_an_imo_indicator_rolls_up_one_level_more_into_its_campaign_objective():
    link = rules.contribution_link_problems
    A, I, C = rules.ACTIVITY, rules.IMO, rules.CAMPAIGN_OBJECTIVE  # noqa: E741
    assert link(C, I, True, None, Decimal(1), False) == []
    # An activity skips no level; an IMO does not roll into another IMO; the top stays the top.
    assert "rolls up into an IMO/outcome's" in link(C, A, True, None, None, False)[0].message
    assert "rolls up into a campaign objective's" in link(I, I, True, None, None, False)[0].message
    assert "top of the roll-up" in link(C, C, True, None, None, False)[0].message
    refused = link(C, I, False, None, None, False)
    assert [f.rule for f in refused] == ["R-AME-02"]
    assert "does not serve this campaign objective" in refused[0].message


def test_r_ame_04_monitoring_records_what_happened_in_order_and_says_why_it_is_at_risk():
    today = D(2026, 12, 3)
    assert rules.monitoring_problems(today, D(2026, 10, 6), None, "on_track", "", today) == []
    fields = [
        f.field
        for f in rules.monitoring_problems(
            D(2026, 12, 10), D(2026, 12, 20), D(2026, 12, 1), "at_risk", " ", today
        )
    ]
    assert fields == ["as_of", "actual_start", "actual_end", "performance_note"]
    assert (
        rules.monitoring_problems(today, None, D(2026, 11, 1), "late", "", today)[0].field
        == "actual_start"
    )
    assert rules.schedule_variance(D(2026, 10, 1), D(2026, 10, 6)) == 5
    assert rules.schedule_variance(D(2026, 10, 1), None) is None


def test_r_ame_07_an_actual_cost_is_spent_money_in_usd():
    assert rules.actual_cost_problems("182400.00", 2027, 2027) == []
    assert [f.field for f in rules.actual_cost_problems("-1", 2028, 2027)] == [
        "amount",
        "fiscal_year",
    ]
    assert "not an amount" in rules.actual_cost_problems("a lot", 2027, 2027)[0].message
    assert "two decimals" in rules.actual_cost_problems("1.005", 2027, 2027)[0].message


def test_r_ame_07_cost_per_point_of_progress():
    assert rules.cost_per_point(Decimal(155500), Decimal("0.38")) == Decimal("4092.11")
    assert rules.cost_per_point(Decimal(1000), Decimal(0)) is None  # no progress, no ratio
    assert rules.cost_per_point(Decimal(1000), Decimal("-0.10")) is None
    assert rules.cost_per_point(None, Decimal("0.5")) is None
