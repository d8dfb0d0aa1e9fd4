"""Pure budget and forecast rules, R-BUD-01..05 and R-FCT-01..04 (no database), with hypothesis on
the Javits and FMS sales forecast inclusion rules (R-FCT-02, R-FCT-03)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from secoop.budget import rules
from secoop.budget.rules import Channel
from secoop.budget.rules import FundingSource
from secoop.budget.rules import Kind
from secoop.budget.rules import Purpose
from secoop.budget.rules import SaleKind
from secoop.budget.rules import Side
from secoop.budget.rules import Stage
from secoop.core.fiscal import fiscal_year

D = dt.date
M = Decimal(1_000_000)
# The figures of the dated facts as migration 0002 loads them; the rules take them as arguments.
T = rules.Thresholds(
    javits_mde=7 * M, javits_other=25 * M, forecast_probability=90, forecast_years=2
)

CHANNELS = st.sampled_from([Channel.FMS, Channel.DCS, Channel.EDA])
KINDS = st.sampled_from([SaleKind.MDE, SaleKind.OTHER])
VALUES = st.decimals(
    min_value=0, max_value=100 * M, places=2, allow_nan=False, allow_infinity=False
)
PROBABILITIES = st.integers(min_value=0, max_value=100)
DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31))


def any_sale(test):
    """Run `test` on 400 generated possible sales and report years."""
    strategies = {"channel": CHANNELS, "kind": KINDS, "value": VALUES, "on": DAYS}
    return settings(max_examples=400, deadline=None)(
        given(**strategies, probability=PROBABILITIES, year=st.integers(2025, 2030))(test)
    )


@any_sale
def test_r_fct_02_javits_lists_every_sale_over_its_threshold_in_the_calendar_year_whatever_its_probability(
    channel, kind, value, probability, on, year
):
    sale = rules.Sale(channel, kind, value, probability, on)
    threshold = T.javits_mde if kind == SaleKind.MDE else T.javits_other
    assert rules.in_javits(sale, year, T) == (on.year == year and value >= threshold)
    # the probability never matters (R-FCT-02: "however low")
    assert rules.in_javits(rules.Sale(channel, kind, value, 0, on), year, T) == rules.in_javits(
        sale, year, T
    )


@any_sale
def test_r_fct_03_sales_forecast_is_fms_only_next_two_fiscal_years_ninety_percent_any_amount(
    channel, kind, value, probability, on, year
):
    sale = rules.Sale(channel, kind, value, probability, on)
    expected = channel == Channel.FMS and fiscal_year(on) in (year, year + 1) and probability >= 90
    assert rules.in_sales_forecast(sale, year, T) == expected
    # no dollar threshold: the value never matters
    assert (
        rules.in_sales_forecast(
            rules.Sale(channel, kind, Decimal("0.01"), probability, on), year, T
        )
        == expected
    )


def test_r_fct_02_03_the_thresholds_are_taken_not_built_in():
    sale = rules.Sale(Channel.FMS, SaleKind.MDE, 8 * M, 85, D(2027, 3, 1))
    assert rules.in_javits(sale, 2027, T)
    assert not rules.in_javits(sale, 2027, rules.Thresholds(9 * M, 25 * M, 90, 2))
    assert not rules.in_sales_forecast(sale, 2027, T)
    assert rules.in_sales_forecast(sale, 2027, rules.Thresholds(7 * M, 25 * M, 80, 2))
    assert rules.forecast_years(2027, T) == (2027, 2028)


def test_r_bud_05_notional_dates_fall_two_years_before_execution():
    mid_aug = rules.NotionalTiming(8, 15, -2)
    mid_apr = rules.NotionalTiming(4, 15, -1)
    assert rules.notional_due(2028, mid_aug) == D(2026, 8, 15)
    assert rules.notional_due(2028, mid_apr) == D(2027, 4, 15)


def test_r_bud_05_the_request_travels_sco_ccmd_joint_staff_dsca_osd_dos():
    stage, path = Stage.SCO, []
    for name in ("submit", "to_joint_staff", "to_dsca", "to_osd", "to_dos", "allocate"):
        assert rules.REQUEST.problem(name, stage) is None
        stage = rules.REQUEST.target(name)
        path.append(stage)
    assert path == [
        Stage.CCMD,
        Stage.JOINT_STAFF,
        Stage.DSCA,
        Stage.OSD,
        Stage.DOS,
        Stage.ALLOCATED,
    ]
    assert "this one is" in rules.REQUEST.problem("to_dsca", Stage.SCO)
    assert rules.next_stage(Stage.DOS) == Stage.ALLOCATED


GOOD = {
    "objective": "Patrol the frontier",
    "capability_text": "Border surveillance",
    "time_to_achieve": "3 years",
    "end_state": "Frontier controlled",
    "justification": "Radars are critical",
    "priority": 1,
    "funding_source": FundingSource.FMF,
    "purpose": Purpose.MATERIEL,
}


def test_r_bud_01_every_element_and_an_out_year_need():
    assert rules.requirement_problems(GOOD, {2028: M}, 2028) == []
    for name, _ in rules.R_BUD_01_FIELDS:
        found = rules.requirement_problems({**GOOD, name: " "}, {2028: M}, 2028)
        assert [(f.rule, f.field) for f in found] == [("R-BUD-01", name)]
    assert (
        rules.requirement_problems({**GOOD, "priority": None}, {2028: M}, 2028)[0].field
        == "priority"
    )
    assert rules.requirement_problems(GOOD, {}, 2028)[0].field == "years"
    assert "before the budget year" in rules.requirement_problems(GOOD, {2027: M}, 2028)[-1].message
    assert rules.requirement_problems(GOOD, {2028: M, 2029: -M}, 2028)[0].message.startswith(
        "FY2029"
    )


def test_r_bud_01_funding_source_consistent_with_purpose():
    imet_materiel = rules.requirement_problems(
        {**GOOD, "funding_source": FundingSource.IMET}, {2028: M}, 2028
    )
    assert [f.field for f in imet_materiel] == ["funding_source"] and "IMET" in imet_materiel[
        0
    ].message
    imet_training = {**GOOD, "funding_source": FundingSource.IMET, "purpose": Purpose.TRAINING}
    assert rules.requirement_problems(imet_training, {2028: M}, 2028) == []


@settings(max_examples=100, deadline=None)
@given(amount=st.decimals(min_value=1, max_value=10**11, places=2))
def test_r_bud_02_requests_are_unconstrained_any_amount_is_accepted(amount):
    assert rules.requirement_problems(GOOD, {2028: amount, 2029: amount}, 2028) == []


def test_r_bud_03_uncommitted_fmf_needs_a_plan_and_a_timeframe():
    assert rules.uncommitted_problem(Decimal(0), "", None) is None
    assert rules.uncommitted_problem(M, "", None).field == "uncommitted_plan"
    assert rules.uncommitted_problem(M, "the radar case", None).field == "uncommitted_commit_by"
    assert rules.uncommitted_problem(M, "the radar case", D(2027, 9, 30)) is None


def test_r_bud_05_a_version_diff_names_each_changed_field_and_year():
    v1 = [
        {
            "id": 1,
            "title": "PME",
            "priority": 2,
            "years": {"2028": "650000.00", "2029": "700000.00"},
        }
    ]
    v2 = [
        {
            "id": 1,
            "title": "PME",
            "priority": 1,
            "years": {"2028": "650000.00", "2029": "750000.00"},
        },
        {"id": 2, "title": "Radars", "priority": 3, "years": {"2028": "1.00"}},
    ]
    diff = rules.diff_versions(v1, v2)
    assert [(d.key, d.kind) for d in diff] == [("1", "changed"), ("2", "added")]
    assert [(c.what, c.before, c.after) for c in diff[0].changes] == [
        ("Priority", "2", "1"),
        ("FY2029 need", "$700,000.00", "$750,000.00"),
    ]
    assert [d.kind for d in rules.diff_versions(v2, v1)] == ["changed", "removed"]
    assert rules.diff_versions(v1, v1) == []


S = Side("x", "/x/")


def test_r_fct_04_r_bud_04_each_kind_of_inconsistency_and_none_on_consistent_data():
    lors = {
        7: rules.LorFacts(Side("LOR", "/l/"), 10 * M),
        8: rules.LorFacts(Side("LOR 2", "/l2/"), M),
    }
    acts = {5: rules.ActivityFacts(Side("A", "/a/"), {2028: M}, {})}
    sales = [
        rules.SaleFacts(S, 10 * M, 1, 7),  # consistent
        rules.SaleFacts(S, 5 * M, None, 8),  # no objective; 5M vs 1M
    ]
    lines = [
        rules.LineFacts(S, 3, 5, FundingSource.FMF, {2028: M}),  # consistent
        rules.LineFacts(S, None, 5, FundingSource.FMF, {2028: 2 * M}),  # not in MSRP; 2M vs 1M
    ]
    found = rules.consonance(sales, lines, lors, acts, [1], [3], Decimal(10))
    assert sorted(i.kind for i in found) == sorted(
        [Kind.SALE_WITHOUT_OBJECTIVE, Kind.SALE_AMOUNT, Kind.LINE_NOT_IN_MSRP, Kind.LINE_AMOUNT]
    )
    amounts = [i for i in found if i.kind == Kind.SALE_AMOUNT][0]
    assert amounts.right.url == "/l2/" and amounts.rule == "R-FCT-04"
    assert [i.rule for i in found if i.kind == Kind.LINE_NOT_IN_MSRP] == ["R-BUD-04"]
    # an open LOR no sale names
    lonely = rules.consonance([], [], lors, {}, [], [], Decimal(10))
    assert [i.kind for i in lonely] == [Kind.LOR_WITHOUT_FORECAST] * 2
    # consistent data: nothing
    assert rules.consonance(sales[:1], lines[:1], {7: lors[7]}, acts, [1], [3], Decimal(10)) == []


@settings(max_examples=200, deadline=None)
@given(a=VALUES, b=VALUES, tolerance=st.decimals(min_value=0, max_value=50, places=1))
def test_r_fct_04_amounts_disagree_beyond_the_tolerance_only(a, b, tolerance):
    assert rules.disagree(a, b, tolerance) == rules.disagree(b, a, tolerance)
    assert not rules.disagree(a, a, tolerance)
    assert rules.disagree(a, b, tolerance) == (abs(a - b) > max(a, b) * tolerance / 100)


def test_the_chart_puts_each_year_in_its_own_slot():
    g = rules.chart_geometry([rules.Bar(2026, 2 * M, M), rules.Bar(2027, M, None)])
    assert [b["fy"] for b in g["bars"]] == [2026, 2027]
    assert g["bars"][0]["req_h"] > g["bars"][1]["req_h"] and g["bars"][1]["alloc_h"] == 0
    assert g["bars"][1]["allocated"] == "not yet"


def test_r_fct_04_fmf_funded_sales_and_fmf_lines_are_compared_in_the_years_both_cover():
    forecast, request = Side("2028 forecast", "/f/"), Side("FY2028 request", "/r/")

    def found(sales, lines, years=(2028, 2029)):
        facts = rules.FmfFacts(forecast, request, sales, lines, years)
        return rules.consonance([], [], {}, {}, [], [], Decimal(10), facts)

    # agree within the tolerance: nothing; a year with FMF lines and no FMF-funded sale: nothing
    assert found({2028: 5 * M}, {2028: Decimal(4_600_000), 2029: 3 * M}) == []
    (short,) = found({2028: 5 * M}, {2028: 2 * M})
    assert (short.kind, short.rule) == (Kind.FMF_AMOUNT, "R-FCT-04")
    assert short.left.url == "/f/" and short.right.url == "/r/" and "FY2028" in short.left.label
    assert "ask for the FMF those sales need" in short.message
    (over,) = found({2029: M}, {2029: 3 * M})
    assert "add the sales the FMF will buy" in over.message
    # a year only one side covers is not compared
    assert found({2030: 5 * M}, {2030: 0}, years=(2028, 2029)) == []


IDS = st.one_of(st.none(), st.integers(1, 4))
AMOUNTS = st.sampled_from([M, 2 * M, Decimal(1_050_000), 10 * M])
SALES = st.lists(st.tuples(AMOUNTS, IDS, IDS), max_size=8)
LINES = st.lists(
    st.tuples(
        IDS,
        IDS,
        st.sampled_from([FundingSource.FMF, FundingSource.IMET]),
        st.dictionaries(st.sampled_from([2028, 2029]), AMOUNTS, max_size=2),
    ),
    max_size=6,
)
BY_YEAR = st.dictionaries(st.sampled_from([2028, 2029]), AMOUNTS, max_size=2)


@settings(max_examples=150, deadline=None)
@given(
    sales=SALES,
    lines=LINES,
    lors=st.dictionaries(st.integers(1, 4), st.one_of(st.none(), AMOUNTS), max_size=4),
    acts=st.dictionaries(st.integers(1, 4), st.tuples(BY_YEAR, BY_YEAR), max_size=4),
    plan=st.frozensets(st.integers(1, 4)),
    msrp=st.frozensets(st.integers(1, 4)),
    fmf=st.one_of(st.none(), st.tuples(BY_YEAR, BY_YEAR)),
)
def test_r_fct_04_r_bud_04_the_rollups_counted_facts_give_the_checks_counts(
    sales, lines, lors, acts, plan, msrp, fmf
):
    """Issue 15: the roll-up counts in SQL (rows grouped by the keys the rules compare) what the
    consonance page finds row by row: same counts per kind, whatever the rows."""
    fmf_facts = rules.FmfFacts(S, S, fmf[0], fmf[1], (2028, 2029)) if fmf else None
    found = rules.consonance(
        [rules.SaleFacts(S, value, objective, lor) for value, objective, lor in sales],
        [rules.LineFacts(S, m, a, source, years) for m, a, source, years in lines],
        {pk: rules.LorFacts(S, value) for pk, value in lors.items()},
        {pk: rules.ActivityFacts(S, f, i) for pk, (f, i) in acts.items()},
        plan,
        msrp,
        Decimal(10),
        fmf_facts,
    )
    # The rows as the roll-up's GROUP BY queries count them.
    tally = rules.Tally(
        plan_objectives=plan,
        msrp_objectives=msrp,
        sales_by_objective=Counter(objective for _, objective, _ in sales),
        sales_by_lor=Counter((lor, value) for value, _, lor in sales if lor is not None),
        open_lors=len(lors),
        lor_values={lor: lors[lor] for _, _, lor in sales if lor in lors},
        lines_by_msrp=Counter(m for m, _, _, _ in lines),
        line_needs=Counter(
            (a, source, fy, amount)
            for _, a, source, years in lines
            if a in acts
            for fy, amount in years.items()
        ),
        planned={
            (pk, source, fy): amount
            for pk, (f, i) in acts.items()
            for source, by_year in ((FundingSource.FMF, f), (FundingSource.IMET, i))
            for fy, amount in by_year.items()
        },
        fmf=fmf_facts,
    )
    assert rules.consonance_counts(tally, Decimal(10)) == rules.count_by_kind(found)
