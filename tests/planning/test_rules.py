"""Planning rules as pure functions (no database): R-PLN-01..10."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secoop.core.verdicts import Refused
from secoop.planning import rules
from secoop.planning.rules import ImoFacts
from secoop.planning.rules import Link
from secoop.planning.rules import MeasureFacts
from secoop.planning.rules import Span
from secoop.planning.rules import Status

D = dt.date


# --- R-PLN-03 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start, end", [(2027, 2029), (2027, 2030), (2027, 2031)])
def test_r_pln_03_three_to_five_years_is_a_plan_period(start, end):
    assert rules.plan_period_problem(start, end) is None


@pytest.mark.parametrize(
    "start, end, message",
    [
        (
            2027,
            2028,
            "a campaign plan spans 3 to 5 fiscal years; FY2027–FY2028 is 2. Set the last fiscal year to FY2029–FY2031.",
        ),
        (
            2027,
            2032,
            "a campaign plan spans 3 to 5 fiscal years; FY2027–FY2032 is 6. Set the last fiscal year to FY2029–FY2031.",
        ),
        (
            2027,
            2027,
            "a campaign plan spans 3 to 5 fiscal years; FY2027–FY2027 is 1. Set the last fiscal year to FY2029–FY2031.",
        ),
        (
            2027,
            2025,
            "the last fiscal year (FY2025) is before the first (FY2027): set the last fiscal year to FY2029–FY2031.",
        ),
        (
            None,
            2030,
            "give the plan's first and last fiscal years (a campaign plan spans 3 to 5 fiscal years).",
        ),
    ],
)
def test_r_pln_03_other_periods_are_refused_with_the_fix(start, end, message):
    found = rules.plan_period_problem(start, end)
    assert (found.rule, found.message, found.field) == ("R-PLN-03", message, "end_fy")


def test_r_pln_03_activity_dates_inside_the_plan_period():
    assert rules.dates_outside_period_problem(D(2026, 10, 1), D(2031, 9, 30), 2027, 2031) is None
    assert rules.dates_outside_period_problem(D(2026, 9, 30), D(2026, 10, 5), 2027, 2031).text == (
        "R-PLN-03: "
        "30 Sep 2026–5 Oct 2026 is outside the plan (FY2027–FY2031: 1 Oct 2026–30 Sep 2031). Move the dates "
        "inside that period, or link the activity to a plan that covers them."
    )
    phase = rules.dates_outside_period_problem(
        D(2031, 9, 1), D(2031, 10, 1), 2027, 2031, rule="R-PLN-09", otherwise="change the years"
    )
    assert phase.rule == "R-PLN-09" and phase.message.endswith("or change the years.")


def test_date_order():
    assert rules.date_order_problem(D(2027, 1, 2), D(2027, 1, 2), "R-PLN-08") is None
    assert rules.date_order_problem(D(2027, 1, 2), D(2027, 1, 1), "R-PLN-07").text == (
        "R-PLN-07: the end (1 Jan 2027) is before the start (2 Jan 2027): swap or correct the dates."
    )
    missing = rules.date_order_problem(None, D(2027, 1, 1), "R-PLN-09")
    assert (missing.message, missing.field) == ("give both the start and the end date.", "end_date")


def test_r_pln_05_country_plan_years_inside_the_campaign_plan():
    assert rules.fy_subrange_problem(2027, 2029, 2027, 2031, "the campaign plan") is None
    assert rules.fy_subrange_problem(2026, 2029, 2027, 2031, "the campaign plan").message == (
        "FY2026–FY2029 is outside the campaign plan (FY2027–FY2031): cover only fiscal years inside it."
    )
    assert (
        rules.fy_subrange_problem(2029, 2028, 2027, 2031, "x").text
        == "R-PLN-05: the last fiscal year (FY2028) is before the first (FY2029)."
    )


# --- R-PLN-02: SMART ----------------------------------------------------------------------------

GOOD_MEASURE = MeasureFacts(
    "MOE",
    "Illicit crossings interdicted",
    "Monthly border brigade reports, verified by the SCO",
    Decimal("60"),
)
GOOD = ImoFacts(
    statement="The border brigade patrols the northern frontier day and night",
    by_whom="Bandaria Border Brigade",
    with_whom="Bandaria MoD with the SCO and DHS",
    measures=(GOOD_MEASURE,),
    authority="10 U.S.C. 333",
    resources="$4.2M BPC, one MTT",
    partner_agreement_on=D(2026, 11, 2),
    political_risk_considered=True,
    fiscal_risk_considered=True,
    end_state_linked=True,
    priority=1,
    deadline=D(2029, 9, 30),
    plan_end=D(2031, 9, 30),
)


def letters(facts):
    return [f.message for f in rules.smart(facts)]


def test_r_pln_02_a_smart_imo_has_no_findings():
    assert rules.smart(GOOD) == []


def test_r_pln_02_imo_without_measure_fails_measurable():
    findings = rules.smart_measurable(ImoFacts(measures=()))
    assert [f.message for f in findings] == ["Measurable: no indicator or target quantity"]
    assert findings[0].rule == "R-PLN-02" and findings[0].letter == "Measurable"
    assert (
        findings[0].fix
        == "add a measure of performance (MOP) or effectiveness (MOE) with its method and target."
    )
    assert (
        findings[0].full
        == "Measurable: no indicator or target quantity — add a measure of performance (MOP) or effectiveness (MOE) with its method and target."
    )


def test_r_pln_02_measure_without_method_or_target_fails_measurable():
    incomplete = MeasureFacts("MOP", "Soldiers trained", "", None)
    assert [f.message for f in rules.smart_measurable(ImoFacts(measures=(incomplete,)))] == [
        "Measurable: no measure is complete (missing a method of measurement, a target quantity)"
    ]
    # One complete measure is enough.
    assert rules.smart_measurable(ImoFacts(measures=(incomplete, GOOD_MEASURE))) == []
    no_indicator = MeasureFacts("MOE", " ", "survey", Decimal("1"))
    assert (
        rules.smart_measurable(ImoFacts(measures=(no_indicator,)))[0].message
        == "Measurable: no measure is complete (missing an indicator)"
    )


def test_r_pln_02_a_target_of_zero_is_a_target():
    assert (
        rules.smart_measurable(
            ImoFacts(measures=(MeasureFacts("MOE", "incidents", "reports", Decimal("0")),))
        )
        == []
    )


def test_r_pln_02_specific_needs_what_by_whom_and_with_whom():
    assert [f.message for f in rules.smart_specific(ImoFacts())] == [
        "Specific: no statement of what is expected",
        "Specific: does not say by whom",
        "Specific: does not say for or with whom",
    ]
    assert rules.smart_specific(GOOD) == []


def test_r_pln_02_achievable_needs_authority_resources_agreement_and_risks():
    assert [f.message for f in rules.smart_achievable(ImoFacts())] == [
        "Achievable: no authority or program named",
        "Achievable: no resources named",
        "Achievable: no partner agreement recorded",
        "Achievable: political risk not considered",
        "Achievable: fiscal risk not considered",
    ]


def test_r_pln_02_relevant_needs_an_end_state_and_a_priority():
    assert [f.message for f in rules.smart_relevant(ImoFacts())] == [
        "Relevant: not linked to an end state",
        "Relevant: no priority",
    ]
    assert rules.smart_relevant(ImoFacts(end_state_linked=True, priority=3)) == []


def test_r_pln_02_time_bound_needs_a_deadline_inside_the_plan():
    assert [f.message for f in rules.smart_time_bound(ImoFacts())] == ["Time-bound: no deadline"]
    late = ImoFacts(deadline=D(2032, 1, 1), plan_end=D(2031, 9, 30))
    assert [f.message for f in rules.smart_time_bound(late)] == [
        "Time-bound: deadline 1 Jan 2032 is after the plan ends (30 Sep 2031)"
    ]
    assert rules.smart_time_bound(ImoFacts(deadline=D(2032, 1, 1))) == []


def test_r_pln_02_an_empty_imo_fails_every_letter_in_order():
    findings = rules.smart(ImoFacts())
    assert rules.failing_letters(findings) == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]
    assert all(f.rule == "R-PLN-02" and f.fix for f in findings)


def test_r_pln_02_approval_problem_lists_the_failing_imos():
    assert rules.approval_problem([]) is None
    finding = rules.smart(ImoFacts(**{**GOOD.__dict__, "measures": ()}))
    found = rules.approval_problem([("Border patrols", finding)])
    assert found.rule == "R-PLN-02"
    assert found.message == (
        "the plan cannot be approved while 1 IMO fails SMART: “Border patrols” (Measurable: no indicator "
        "or target quantity). Fix them, then approve."
    )
    assert "2 IMOs fail SMART" in rules.approval_problem([("A", finding), ("B", finding)]).message


# --- R-PLN-01 / -06 / -08 -------------------------------------------------------------------


def test_r_pln_01_activity_without_line_of_activity_is_unlinked():
    assert rules.is_unlinked(None) and not rules.is_unlinked(7)


@pytest.mark.parametrize(
    "current, transition, ok",
    [
        ("proposed", "plan", True),
        ("planned", "start", True),
        ("ongoing", "complete", True),
        ("proposed", "cancel", True),
        ("planned", "cancel", True),
        ("ongoing", "cancel", True),
        ("proposed", "start", False),
        ("proposed", "complete", False),
        ("planned", "complete", False),
        ("completed", "cancel", False),
        ("cancelled", "plan", False),
        ("completed", "start", False),
    ],
)
def test_r_pln_08_status_transitions(current, transition, ok):
    assert (rules.transition_problem(current, transition) is None) == ok


def test_r_pln_08_refused_transition_says_what_is_possible():
    found = rules.transition_problem("proposed", "complete")
    assert (found.rule, found.field) == ("R-PLN-08", "status")
    assert found.text == (
        "R-PLN-08: a proposed activity cannot be moved to completed. From proposed it can: plan, cancel."
    )
    assert rules.transition_problem("completed", "cancel").full == (
        "a completed activity cannot be moved to cancelled. — It is closed: nothing further."
    )
    assert (
        rules.transition_problem("planned", "fly").text
        == "R-PLN-08: unknown transition 'fly': use one of plan, start, complete, cancel."
    )


def test_r_pln_06_completed_without_assessment_is_overdue():
    assert rules.assessment_overdue(Status.COMPLETED, None)
    assert not rules.assessment_overdue(Status.COMPLETED, D(2027, 1, 1))
    assert not rules.assessment_overdue(Status.ONGOING, None)
    assert not rules.assessment_overdue(Status.CANCELLED, None)


def test_r_pln_06_assessment_only_after_completion():
    today = D(2027, 3, 1)
    assert rules.assessment_problem("completed", D(2027, 2, 1), D(2027, 2, 3), today) is None
    assert rules.assessment_problem("ongoing", None, today, today).text == (
        "R-PLN-06: only a completed activity is assessed; this one is ongoing. Complete it first."
    )
    assert rules.assessment_problem("completed", D(2027, 2, 1), D(2027, 1, 3), today).message == (
        "the assessment date 3 Jan 2027 is before the activity was completed (1 Feb 2027)."
    )
    assert rules.assessment_problem("completed", D(2027, 2, 1), D(2027, 4, 1), today).field == (
        "assessed_on"
    )
    assert rules.assessment_problem("completed", D(2027, 2, 1), D(2027, 4, 1), today).message == (
        "the assessment date 1 Apr 2027 is in the future: give the date it was made."
    )


def test_activity_linked_to_another_countrys_imo_is_refused():
    assert rules.country_mismatch_problem("XBN", "XBN", "t") is None
    assert (
        rules.country_mismatch_problem("XBN", None, "t") is None
    )  # a regional IMO serves any partner
    assert rules.country_mismatch_problem("KEN", "XBN", "Border patrols").text == (
        "R-PLN-01: "
        "the activity is with KEN but “Border patrols” is an objective for XBN: link it to a line of "
        "activity of a KEN IMO, or correct the activity's country."
    )


# --- R-PLN-10 -----------------------------------------------------------------------------------


def test_r_pln_10_inside_the_rff_lead_time_is_flagged_with_the_earliest_start():
    today = D(2026, 11, 23)
    assert rules.rff_problem(D(2027, 6, 1), True, 365, None, today).text == (
        "R-PLN-10: "
        "it needs U.S. forces and starts 1 Jun 2027, inside the 365-day request-for-forces lead time from "
        "today (no request for forces submitted yet). Start it on or after 23 Nov 2027, or record an "
        "earlier RFF submission."
    )
    assert rules.rff_problem(D(2027, 11, 23), True, 365, None, today) is None
    assert rules.rff_problem(D(2027, 6, 1), True, 365, D(2026, 5, 1), today) is None
    assert (
        "from the request for forces submitted 1 Sep 2026"
        in rules.rff_problem(D(2027, 6, 1), True, 365, D(2026, 9, 1), today).message
    )


def test_r_pln_10_no_forces_no_lead_time():
    assert rules.rff_problem(D(2026, 12, 1), False, 365, None, D(2026, 11, 23)) is None
    assert rules.rff_problem(D(2026, 12, 1), True, 0, None, D(2026, 11, 23)) is None


# --- R-PLN-04 / -05 / -07 ------------------------------------------------------------------


def test_r_pln_04_assumption_past_review_date_is_flagged():
    assert rules.assumption_overdue(D(2026, 11, 22), D(2026, 11, 23))
    assert not rules.assumption_overdue(D(2026, 11, 23), D(2026, 11, 23))
    assert rules.assumption_problems(True, True) == []
    assert [f.text for f in rules.assumption_problems(False, False)] == [
        "R-PLN-04: not marked valid (logical and realistic): revise it or drop it",
        "R-PLN-04: not marked necessary (planning could continue without it): drop it unless it is",
    ]


def test_r_pln_05_cscs_sections_and_annual_update():
    full = {key: "text" for key, _ in rules.CSCS_SECTIONS}
    assert rules.cscs_missing_sections(full) == []
    assert rules.cscs_missing_sections(
        {**full, "concept_of_engagement": " ", "ics_reference": ""}
    ) == [
        "Reference to the embassy ICS",
        "Concept of engagement",
    ]
    assert rules.cscs_update_due(D(2026, 10, 15)) == D(2027, 10, 15)
    assert rules.cscs_update_due(D(2028, 2, 29)) == D(2029, 2, 28)
    assert rules.cscs_update_due(None) is None


def test_r_pln_07_scetwg_usually_march_to_june():
    assert rules.planning_event_findings("scetwg", D(2027, 4, 12)) == []
    assert [f.text for f in rules.planning_event_findings("scetwg", D(2027, 9, 12))] == [
        "R-PLN-07: the SCETWG is usually held March–June; this one starts 12 Sep 2027."
    ]
    assert rules.planning_event_findings("tsc", D(2027, 9, 12)) == []


# --- R-PLN-09: dependencies ------------------------------------------------------------------


def test_r_pln_09_dependency_cycle_is_found_with_its_path():
    links = [Link(1, 2), Link(2, 3)]
    assert rules.find_cycle(links, Link(3, 1)) == [3, 1, 2, 3]
    assert rules.find_cycle(links, Link(1, 3)) is None
    assert rules.find_cycle(links, Link(4, 4)) == [4, 4]
    assert rules.find_cycle([], Link(1, 2)) is None
    cycle = rules.cycle_problem([3, 1, 2, 3], {1: "Vetting", 2: "Training", 3: "Exercise"})
    assert (cycle.rule, cycle.field) == ("R-PLN-09", "predecessor")
    assert cycle.message == (
        "this dependency would make a cycle (Exercise → Vetting → Training → Exercise): an activity cannot "
        "wait for itself. Remove one of these dependencies first."
    )


@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20),
    st.integers(0, 7),
    st.integers(0, 7),
)
def test_r_pln_09_adding_a_link_the_cycle_finder_accepts_keeps_the_graph_acyclic(pairs, a, b):
    links: list[Link] = []
    for p, s in pairs:
        if rules.find_cycle(links, Link(p, s)) is None:
            links.append(Link(p, s))
    rules.topological_order(range(8), links)  # raises on a cycle
    if rules.find_cycle(links, Link(a, b)) is None:
        rules.topological_order(range(8), [*links, Link(a, b)])


def spans(*items):
    return {s.id: s for s in items}


VET = Span(1, D(2027, 1, 4), D(2027, 1, 29), "Vetting")
TRAIN = Span(2, D(2027, 2, 1), D(2027, 3, 12), "Training")
EXER = Span(3, D(2027, 4, 5), D(2027, 4, 16), "Exercise")


def test_r_pln_09_violated_dependency_is_flagged():
    assert rules.dependency_violations(spans(VET, TRAIN), [Link(1, 2)]) == []
    early = Span(2, D(2027, 1, 20), D(2027, 2, 28), "Training")
    [v] = rules.dependency_violations(spans(VET, early), [Link(1, 2)])
    assert v.earliest == D(2027, 1, 30) and v.days_early == 10
    assert rules.violation_message(v, spans(VET, early)) == (
        "“Training” starts 20 Jan 2027, before “Vetting” ends (29 Jan 2027): start it on or after 30 Jan "
        "2027, or end “Vetting” earlier."
    )
    [lagged] = rules.dependency_violations(spans(VET, TRAIN), [Link(1, 2, 5)])
    assert lagged.earliest == D(2027, 2, 4)
    assert "ends (29 Jan 2027) plus 5 days" in rules.violation_message(lagged, spans(VET, TRAIN))


def test_r_pln_09_finish_to_start_means_the_day_after():
    assert rules.earliest_start(D(2027, 1, 29), 0) == D(2027, 1, 30)
    assert rules.earliest_start(D(2027, 1, 29), 3) == D(2027, 2, 2)


def test_r_pln_09_reschedule_pushes_dependents_and_keeps_durations():
    moves = rules.cascade(spans(VET, TRAIN, EXER), [Link(1, 2), Link(2, 3, 14)], 1, D(2027, 2, 1))
    assert [(m.id, m.new_start, m.new_end) for m in moves] == [
        (1, D(2027, 2, 1), D(2027, 2, 26)),
        (2, D(2027, 2, 27), D(2027, 4, 7)),
        (3, D(2027, 4, 22), D(2027, 5, 3)),
    ]
    assert moves[1].because_of == 1 and moves[2].because_of == 2 and moves[1].shift_days == 26


def test_r_pln_09_reschedule_moves_only_what_must_move():
    moves = rules.cascade(spans(VET, TRAIN, EXER), [Link(1, 2), Link(2, 3)], 1, D(2027, 1, 8))
    assert [(m.id, m.new_start) for m in moves] == [
        (1, D(2027, 1, 8)),
        (2, D(2027, 2, 3)),
    ]  # the exercise still has slack
    assert [m.id for m in rules.cascade(spans(VET, TRAIN), [Link(1, 2)], 1, D(2027, 1, 6))] == [
        1
    ]  # ends 31 Jan: no push
    earlier = rules.cascade(spans(VET, TRAIN, EXER), [Link(1, 2), Link(2, 3)], 1, D(2026, 12, 1))
    assert [m.id for m in earlier] == [1]  # moving earlier never pulls dependents


def test_r_pln_09_reschedule_before_a_predecessor_ends_is_refused():
    with pytest.raises(Refused) as exc:
        rules.cascade(spans(VET, TRAIN), [Link(1, 2)], 2, D(2027, 1, 25))
    assert exc.value.rule == "R-PLN-09"
    assert exc.value.findings[0].message == (
        "“Training” cannot start 25 Jan 2027: it depends on “Vetting”, which ends 29 Jan 2027. Start it on "
        "or after 30 Jan 2027, or move “Vetting” earlier first."
    )


def test_r_pln_09_reschedule_that_pushes_a_closed_activity_is_refused():
    done = Span(2, D(2027, 2, 1), D(2027, 3, 12), "Training", movable=False)
    with pytest.raises(Refused) as exc:
        rules.cascade(spans(VET, done), [Link(1, 2)], 1, D(2027, 1, 20))
    assert exc.value.findings[0].message == (
        "moving “Vetting” would push “Training” to 15 Feb 2027, but it is under way or closed and cannot "
        "move. Keep “Vetting” ending by 31 Jan 2027, or remove the dependency."
    )


def test_r_pln_09_reschedule_with_an_explicit_end():
    moves = rules.cascade(spans(VET), [], 1, D(2027, 1, 4), D(2027, 1, 10))
    assert moves[0].new_end == D(2027, 1, 10)
    with pytest.raises(Refused, match="the end .* is before the start"):
        rules.cascade(spans(VET), [], 1, D(2027, 1, 4), D(2027, 1, 1))


def test_r_pln_09_diamond_pushes_to_the_latest_predecessor():
    a = Span(1, D(2027, 1, 1), D(2027, 1, 10), "A")
    b = Span(2, D(2027, 1, 11), D(2027, 1, 20), "B")
    c = Span(3, D(2027, 1, 11), D(2027, 1, 31), "C")
    d = Span(4, D(2027, 2, 1), D(2027, 2, 5), "D")
    links = [Link(1, 2), Link(1, 3), Link(2, 4), Link(3, 4)]
    moves = {m.id: m for m in rules.cascade(spans(a, b, c, d), links, 1, D(2027, 1, 6))}
    assert moves[4].new_start == D(2027, 2, 6)  # pushed by C, the longer branch


def test_r_pln_09_critical_path_is_the_chain_that_sets_the_finish():
    side = Span(4, D(2027, 1, 4), D(2027, 2, 1), "Staff talks")
    cp = rules.critical_path([VET, TRAIN, EXER, side], [Link(1, 2), Link(2, 3, 14)])
    # Vetting ends 29 Jan, training starts 1 Feb: 2 days of slack there; training → exercise is
    # 13 Mar + 14 → 27 Mar earliest vs 5 Apr: 9 days. Only the exercise is tight against the finish.
    assert cp.finish == D(2027, 4, 16)
    assert cp.activities == [3] and cp.float_days == {1: 11, 2: 9, 3: 0, 4: 74}
    tight = [
        Span(1, D(2027, 1, 4), D(2027, 1, 29), "Vetting"),
        Span(2, D(2027, 1, 30), D(2027, 3, 12), "Training"),
        Span(3, D(2027, 3, 13), D(2027, 4, 16), "Exercise"),
        side,
    ]
    cp = rules.critical_path(tight, [Link(1, 2), Link(2, 3)])
    assert cp.activities == [1, 2, 3] and cp.links == [(1, 2), (2, 3)]


def test_r_pln_09_critical_path_with_a_broken_dependency_has_negative_float():
    early = Span(2, D(2027, 1, 20), D(2027, 4, 16), "Training")
    cp = rules.critical_path([VET, early], [Link(1, 2)])
    # The predecessor that is already too late carries the least (negative) float.
    assert cp.activities == [1] and cp.float_days == {1: -10, 2: 0} and cp.links == []


def test_r_pln_09_critical_path_of_nothing_and_of_a_cycle():
    assert rules.critical_path([], []).activities == []
    with pytest.raises(Refused):
        rules.critical_path([VET, TRAIN], [Link(1, 2), Link(2, 1)])


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 30)), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(0, 10)), max_size=20),
)
def test_r_pln_09_critical_path_properties(raw_spans, raw_links):
    base = D(2027, 1, 1)
    items = [
        Span(i, base + dt.timedelta(days=s), base + dt.timedelta(days=s + d))
        for i, (s, d) in enumerate(raw_spans)
    ]
    links: list[Link] = []
    for p, s, lag in raw_links:
        if p < len(items) and s < len(items) and rules.find_cycle(links, Link(p, s)) is None:
            links.append(Link(p, s, lag))
    cp = rules.critical_path(items, links)
    assert cp.activities, "there is always a critical path"
    least = min(cp.float_days.values())
    assert least <= 0
    # An activity that ends last and leads nowhere has no float.
    last = max(items, key=lambda s: s.end)
    if not any(link.predecessor == last.id for link in links):
        assert cp.float_days[last.id] == 0
    # After a cascade that fixes nothing, dependencies that held still hold.
    spans_by_id = {s.id: s for s in items}
    assert all(v.link in links for v in rules.dependency_violations(spans_by_id, links))


# --- issue 12 items 2 and 3: who must approve, the move one may make alone, undo -----------------


def test_r_pln_09_the_approver_is_the_lowest_office_above_every_sponsor():
    assert rules.common_approver(["/1/5/11/", "/1/5/"]) == "/1/5/"
    assert rules.common_approver(["/1/5/11/", "/1/5/12/"]) == "/1/5/"
    assert rules.common_approver(["/1/5/11/", "/18/20/"]) == ""
    assert rules.common_approver([]) == ""


def test_r_pln_09_the_latest_start_that_pushes_nothing_the_user_may_not_change():
    links = [Link(1, 2), Link(2, 3, 14)]
    # the training may not move: the vetting may slip until it ends the day before it starts
    assert rules.latest_start_alone(spans(VET, TRAIN, EXER), links, 1, D(2027, 3, 1), {2}) == D(
        2027, 1, 6
    )
    # the exercise may not move: the training absorbs 9 days of slack, the vetting 11 in all
    assert rules.latest_start_alone(spans(VET, TRAIN, EXER), links, 1, D(2027, 3, 1), {3}) == D(
        2027, 1, 15
    )
    assert (
        rules.latest_start_alone(spans(VET, TRAIN), [Link(1, 2, 2)], 1, D(2027, 3, 1), {2}) is None
    )
    assert rules.latest_start_alone(spans(VET, TRAIN), links, 1, D(2027, 1, 1), {2}) is None


def test_r_pln_09_needs_approval_names_the_activities_their_sponsors_and_the_fix():
    found = rules.needs_approval_finding([("“JCET”", "AFRICOM")], "AFRICOM", D(2027, 5, 5))
    assert found.rule == "R-PLN-09"
    assert found.text == (
        "R-PLN-09: this move pushes “JCET” (sponsored by AFRICOM), which you may not change. Send the "
        "move to AFRICOM for approval, or start it on or before 5 May 2027, which pushes nothing you "
        "cannot change."
    )


def test_r_pln_09_an_undo_is_refused_for_what_changed_or_closed_since():
    move = rules.Move(2, TRAIN.start, TRAIN.end, D(2027, 2, 8), D(2027, 3, 19))
    labels = {2: "“Training”"}
    moved = Span(2, D(2027, 2, 8), D(2027, 3, 19), "Training")
    assert rules.undo_problems([move], {2: moved}, labels) == []
    [changed] = rules.undo_problems([move], {2: TRAIN}, labels)
    assert changed.text.startswith(
        "R-PLN-09: “Training” changed since this move: it now runs 1 Feb 2027 – 12 Mar 2027, not "
        "8 Feb 2027 – 19 Mar 2027."
    )
    started = Span(2, D(2027, 2, 8), D(2027, 3, 19), "Training", movable=False)
    assert rules.undo_problems([move], {2: started}, labels)[0].rule == "R-PLN-08"
    assert "no longer exists" in rules.undo_problems([move], {}, labels)[0].message


def test_same_parent_problem_refuses_a_link_to_another_plans_record():
    assert rules.same_parent_problem(7, 7, "R-PLN-04", "other plan", "country_plan") is None
    found = rules.same_parent_problem(8, 7, "R-PLN-04", "other plan", "country_plan")
    assert (found.rule, found.field, found.message) == ("R-PLN-04", "country_plan", "other plan")
