"""Pure training rules, R-TRN-01..13 (no database), with hypothesis on the ITO rule (R-TRN-08)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from secoop.training import rules
from secoop.training.rules import Funding
from secoop.training.rules import Program

D = dt.date
MED = rules.MedicalFacts(3, True, True)


def test_r_trn_01_plan_covers_at_least_four_years():
    assert rules.plan_period_problem(2026, 2029) is None
    problem = rules.plan_period_problem(2027, 2029)
    assert problem.rule == "R-TRN-01" and "FY2030" in problem.fix
    assert rules.plan_period_problem(2029, 2026).rule == "R-TRN-01"
    assert rules.plan_period_problem(None, 2029).rule == "R-TRN-01"


def test_r_trn_02_line_inside_plan_years_and_cetpp_plans_budget_and_planning_year():
    assert rules.line_year_problem(2027, 2026, 2029) is None
    bad = rules.line_year_problem(2030, 2026, 2029)
    assert bad.rule == "R-TRN-02" and "FY2026 to FY2029" in bad.fix
    assert rules.cetpp_year_problem(2027, 2026, 2029) is None
    assert rules.cetpp_year_problem(2028, 2026, 2029).rule == "R-TRN-02"
    assert rules.year_role(2026, 2027) == "Prior / assessment year"
    assert rules.year_role(2029, 2027) == "Planning year"


def test_r_trn_02_cetpp_transitions_and_fixed_lines():
    assert rules.cetpp_transition_problem("draft", "submit") is None
    assert rules.cetpp_transition_problem("returned", "submit") is None
    assert rules.cetpp_transition_problem("draft", "approve").rule == "R-TRN-02"
    assert rules.cetpp_transition_problem("submitted", "finalize") is not None
    assert rules.line_edit_problem(True, "draft").rule == "R-TRN-02"
    assert rules.line_edit_problem(False, "submitted") is not None
    assert rules.line_edit_problem(False, "returned") is None


def test_r_trn_03_fms_lines_exclude_tla_by_default():
    assert rules.line_cost(Program.FMS, 2, Decimal("100"), Decimal("50"), None) == Decimal("200.00")
    assert rules.line_cost(Program.FMS, 2, Decimal("100"), Decimal("50"), True) == Decimal("300.00")
    assert rules.line_cost(Program.IMET, 2, Decimal("100"), Decimal("50"), None) == Decimal(
        "300.00"
    )
    assert rules.line_cost(Program.IMET, 1, Decimal("100"), Decimal("50"), False) == Decimal(
        "100.00"
    )


def test_r_trn_03_eimet_counts_against_the_imet_allocation():
    rows = rules.budget(
        [
            (Program.IMET, 2027, Decimal("300")),
            (Program.EIMET, 2027, Decimal("80")),
            (Program.FMS, 2027, Decimal("10")),
        ],
        [(Program.IMET, 2027, Decimal("350")), (Program.FMS, 2027, Decimal("10"))],
    )
    imet = next(r for r in rows if r.program == Program.IMET)
    assert imet.planned == Decimal("380") and imet.eimet == Decimal("80") and imet.over
    assert not any(r.program == Program.EIMET for r in rows)
    found = rules.budget_findings(rows)
    assert [f.rule for f in found] == ["R-TRN-03"] and "$380.00" in found[0].message


def test_r_trn_03_eimet_needs_a_current_certification():
    assert rules.eimet_problem(Program.EIMET, None, D(2027, 1, 1), 5).rule == "R-TRN-03"
    assert rules.eimet_problem(Program.EIMET, D(2024, 3, 1), D(2027, 1, 1), 5) is None
    assert rules.eimet_problem(Program.EIMET, D(2020, 3, 1), D(2026, 1, 1), 5).rule == "R-TRN-03"
    assert rules.eimet_problem(Program.IMET, None, D(2027, 1, 1), 5) is None


def test_r_trn_04_ecl_below_minimum_and_prerequisites():
    assert rules.ecl_findings(80, 80, None, "") == []
    low = rules.ecl_findings(74, 80, True, "x")
    assert (
        [f.rule for f in low] == ["R-TRN-04"] and "74" in low[0].message and "80" in low[0].message
    )
    assert rules.ecl_findings(None, 70, True, "")[0].rule == "R-TRN-04"
    assert rules.ecl_findings(90, None, None, "Captain")[0].message.startswith(
        "the course prerequisites are not confirmed"
    )
    assert "does not meet" in rules.ecl_findings(90, None, False, "Captain")[0].message


def test_r_trn_05_medical_within_three_months_of_the_issue_date():
    assert (
        rules.medical_findings(D(2026, 9, 15), D(2026, 9, 15), D(2026, 9, 15), D(2026, 12, 15), MED)
        == []
    )
    old = rules.medical_findings(
        D(2026, 9, 15), D(2026, 9, 15), D(2026, 9, 15), D(2026, 12, 16), MED
    )
    assert [f.rule for f in old] == ["R-TRN-05"] and "more than 3 months" in old[0].message
    # Month ends: 30 Nov + 3 months is 28 Feb; 29 Feb in a leap year.
    assert rules.medical_deadline(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert rules.medical_deadline(D(2027, 11, 30), 3) == D(2028, 2, 29)
    missing = rules.medical_findings(None, None, None, D(2026, 12, 1), MED)
    assert len(missing) == 3 and {f.rule for f in missing} == {"R-TRN-05"}
    assert (
        rules.medical_findings(
            D(2026, 11, 1), None, None, D(2026, 12, 1), rules.MedicalFacts(3, False, False)
        )
        == []
    )


def test_r_trn_06_vetting_of_student_and_unit_and_an_alternate_when_time_is_short():
    assert (
        rules.vetting_findings(
            Program.IMET, "approved", "approved", D(2027, 1, 1), D(2026, 12, 1), 30, False, False
        )
        == []
    )
    open_unit = rules.vetting_findings(
        Program.IMET, "approved", "in_process", D(2026, 12, 14), D(2026, 12, 1), 30, False, False
    )
    assert [f.rule for f in open_unit] == ["R-TRN-06", "R-TRN-06"]
    assert "unit" in open_unit[0].message and "alternate" in open_unit[1].message
    with_alt = rules.vetting_findings(
        Program.IMET, "approved", "in_process", D(2026, 12, 14), D(2026, 12, 1), 30, True, False
    )
    assert len(with_alt) == 1
    assert (
        "never requested"
        in rules.vetting_findings(
            Program.IMET, None, "approved", D(2027, 6, 1), D(2026, 12, 1), 30, False, False
        )[0].message
    )
    assert (
        rules.vetting_findings(
            Program.FMS,
            None,
            None,
            D(2027, 6, 1),
            D(2026, 12, 1),
            30,
            False,
            False,
            funding=Funding.NATIONAL,
        )
        == []
    )


def test_r_trn_07_screening_checklist_rso_dea_consular():
    assert (
        rules.screening_findings([("rso", "cleared"), ("dea", "cleared"), ("consular", "cleared")])
        == []
    )
    found = rules.screening_findings([("rso", "cleared"), ("dea", "pending")])
    assert [f.rule for f in found] == ["R-TRN-07", "R-TRN-07"]
    assert "DEA" in found[0].message and "CONSULAR" in found[1].message
    assert (
        "derogatory"
        in rules.screening_findings(
            [("rso", "derogatory"), ("dea", "cleared"), ("consular", "cleared")]
        )[0].message
    )
    assert rules.retention_until(D(2026, 12, 1), 10) == D(2036, 12, 1)
    assert rules.retention_until(D(2028, 2, 29), 10) == D(2038, 2, 28)


def ready(**over) -> rules.ItoFacts:
    base = dict(
        student_count=1,
        status="screening",
        program=Program.IMET,
        issue_on=D(2026, 12, 1),
        class_start=D(2027, 1, 4),
        vetting_student="approved",
        vetting_unit="approved",
        screenings=(("rso", "cleared"), ("dea", "cleared"), ("consular", "cleared")),
        medical_statement_on=D(2026, 10, 1),
        medical_form_on=D(2026, 10, 1),
        dental_form_on=D(2026, 10, 1),
        ecl_score=85,
        min_ecl=80,
        prerequisites_met=True,
        prerequisites="Captain",
        manual=False,
        waiver_on=None,
        medical=MED,
    )
    base.update(over)
    return rules.ItoFacts(**base)


def test_r_trn_08_ito_for_a_ready_student_has_no_findings():
    assert rules.ito_findings(ready()) == []


def test_r_trn_08_ito_names_one_student():
    assert rules.ito_findings(ready(student_count=2))[0].rule == "R-TRN-08"


def test_r_trn_08_ito_needs_vetting():
    found = rules.ito_findings(ready(vetting_unit="in_process"))
    assert [f.rule for f in found] == ["R-TRN-06"] and "unit" in found[0].message


def test_r_trn_08_ito_with_an_expired_medical_is_refused():
    assert [f.rule for f in rules.ito_findings(ready(medical_statement_on=D(2026, 8, 31)))] == [
        "R-TRN-05"
    ]


def test_r_trn_08_manual_ito_needs_a_ccmd_waiver():
    assert (
        rules.ito_findings(ready(manual=True))[0].message
        == "a manual ITO needs a recorded CCMD waiver."
    )
    assert rules.ito_findings(ready(manual=True, waiver_on=D(2026, 11, 30))) == []
    assert rules.ito_findings(ready(manual=True, waiver_on=D(2026, 12, 2))) != []


def test_r_trn_08_every_missing_item_is_listed_with_its_rule():
    found = rules.ito_findings(
        ready(
            vetting_student=None,
            screenings=(),
            medical_statement_on=None,
            ecl_score=60,
            prerequisites_met=None,
        )
    )
    assert {f.rule for f in found} == {"R-TRN-04", "R-TRN-05", "R-TRN-06", "R-TRN-07"}
    assert all(f.fix for f in found)


STATUSES = st.sampled_from(
    [None, "requested", "in_process", "approved", "denied", "suspended", "cancelled"]
)
FUNDING = st.sampled_from(["", Funding.FMF, Funding.US_OTHER, Funding.NATIONAL])
SCREEN = st.sampled_from(["pending", "cleared", "derogatory"])
DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(0, 3),
    program=st.sampled_from([p for p, _ in Program.CHOICES]),
    issue=DAYS,
    start=DAYS,
    vs=STATUSES,
    vu=STATUSES,
    screens=st.lists(
        st.tuples(st.sampled_from(["rso", "dea", "consular", "other"]), SCREEN), max_size=5
    ),
    med=st.one_of(st.none(), DAYS),
    forms=st.booleans(),
    ecl=st.one_of(st.none(), st.integers(0, 100)),
    min_ecl=st.one_of(st.none(), st.integers(0, 100)),
    prereq=st.sampled_from([None, True, False]),
    manual=st.booleans(),
    waiver=st.one_of(st.none(), DAYS),
    issued=st.booleans(),
    rdfp=st.sampled_from(["none", "forwarded", "approved"]),
    funding=FUNDING,
)
def test_r_trn_08_ito_rule_property(
    count,
    program,
    issue,
    start,
    vs,
    vu,
    screens,
    med,
    forms,
    ecl,
    min_ecl,
    prereq,
    manual,
    waiver,
    issued,
    rdfp,
    funding,
):
    """Hypothesis: the ITO is allowed exactly when every condition of R-TRN-08 holds, and every
    finding names a rule and says what to fix."""
    facts = ready(
        student_count=count,
        program=program,
        issue_on=issue,
        class_start=start,
        vetting_student=vs,
        vetting_unit=vu,
        screenings=tuple(screens),
        medical_statement_on=med,
        medical_form_on=med if forms else None,
        dental_form_on=med if forms else None,
        ecl_score=ecl,
        min_ecl=min_ecl,
        prerequisites_met=prereq,
        manual=manual,
        waiver_on=waiver,
        already_issued=issued,
        rdfp_forwarded_on=None if rdfp == "none" else D(2026, 1, 1),
        rdfp_approved_on=D(2026, 2, 1) if rdfp == "approved" else None,
        funding=funding,
    )
    found = rules.ito_findings(facts)
    by_kind = {}
    for kind, status in screens:
        by_kind.setdefault(kind, set()).add(status)
    screening_ok = all(
        "cleared" in by_kind.get(k, set()) and "derogatory" not in by_kind.get(k, set())
        for k in ("rso", "dea", "consular")
    ) and "derogatory" not in by_kind.get("other", set())
    # Every program is U.S.-funded but FMS training the purchaser pays with national funds.
    vetting_ok = (program == Program.FMS and funding == Funding.NATIONAL) or (
        vs == "approved" and vu == "approved"
    )
    medical_ok = med is not None and forms and med <= issue <= rules.medical_deadline(med, 3)
    ecl_ok = min_ecl is None or (ecl is not None and ecl >= min_ecl)
    allowed = (
        count == 1
        and not issued
        and issue <= start
        and vetting_ok
        and screening_ok
        and medical_ok
        and ecl_ok
        and prereq is True
        and (not manual or (waiver is not None and waiver <= issue))
        and (program != Program.RDFP or rdfp == "approved")
    )
    assert (found == []) == allowed
    assert all(f.rule.startswith("R-TRN-0") and f.message and f.fix for f in found)
    if not vetting_ok:
        assert any(f.rule == "R-TRN-06" for f in found)
    if not medical_ok:
        assert any(f.rule == "R-TRN-05" for f in found)
    if count != 1:
        assert any(f.rule == "R-TRN-08" and "one student" in f.message for f in found)


def test_r_trn_09_arrival_notice_16_or_30_days_before_arrival():
    assert rules.arrival_due(D(2026, 12, 10), False, 16, 30) == D(2026, 11, 24)
    assert rules.arrival_due(D(2026, 12, 10), True, 16, 30) == D(2026, 11, 10)
    # Across the fiscal-year boundary: arrival 10 Oct 2026 (FY2027), due in FY2026.
    due = rules.arrival_due(D(2026, 10, 10), True, 16, 30)
    assert due == D(2026, 9, 10) and rules.fiscal_year(due) == 2026
    assert rules.arrival_notice_overdue(D(2026, 11, 10), None, D(2026, 11, 11))
    assert not rules.arrival_notice_overdue(D(2026, 11, 10), D(2026, 11, 9), D(2026, 12, 1))
    assert (
        rules.arrival_findings(D(2026, 12, 10), True, 0, "", "air", "ET 500")[0].rule == "R-TRN-09"
    )
    assert {
        f.rule for f in rules.arrival_findings(D(2026, 12, 10), True, 2, "four", "air", "")
    } == {"R-TRN-09"}
    assert rules.arrival_findings(D(2026, 12, 10), True, 3, "6, 9", "air", "ET 500") == []
    assert rules.parse_ages("4; 9") == [4, 9] and rules.parse_ages("x") is None


def test_r_trn_10_and_13_after_training_records():
    missing = rules.after_training_missing(
        "graduated", D(2026, 6, 1), {"pre_departure"}, D(2026, 7, 1)
    )
    assert [f.rule for f in missing] == ["R-TRN-10", "R-TRN-10", "R-TRN-13"]
    assert (
        rules.after_training_missing(
            "graduated",
            D(2026, 6, 1),
            {"pre_departure", "interview", "academic", "use"},
            D(2026, 7, 1),
        )
        == []
    )
    assert rules.after_training_missing("ito_issued", D(2027, 6, 1), set(), D(2026, 12, 1))[
        0
    ].message.startswith("no pre-departure")
    assert rules.after_training_missing("nominated", D(2027, 6, 1), set(), D(2026, 12, 1)) == []


def test_r_trn_11_graduates_positions_updated_each_year():
    found = rules.positions_missing([(1, "Col. Voss", {2026}), (2, "Maj. Ray", {2026, 2027})], 2027)
    assert [(f.rule, "Voss" in f.message) for f in found] == [("R-TRN-11", True)]


def test_r_trn_12_report_covers_the_year_just_ended_and_the_one_in_progress():
    assert rules.fmt_report_years(D(2026, 12, 1)) == (2026, 2027)
    assert rules.fmt_report_years(D(2026, 9, 30)) == (2025, 2026)
    assert rules.fmt_report_years(D(2026, 10, 1)) == (2026, 2027)


def test_r_trn_03_rdfp_nominations_go_via_the_ccmd_to_osd_solic():
    assert rules.rdfp_findings(Program.RDFP, None, None)[0].message.startswith(
        "the RDFP nomination has not been forwarded"
    )
    assert (
        "OSD/SOLIC has not approved"
        in rules.rdfp_findings(Program.RDFP, D(2026, 1, 1), None)[0].message
    )
    assert rules.rdfp_findings(Program.RDFP, D(2026, 1, 1), D(2026, 2, 1)) == []
    assert rules.rdfp_findings(Program.IMET, None, None) == []
    assert [f.rule for f in rules.ito_findings(ready(program=Program.RDFP))] == ["R-TRN-03"]
    assert rules.fms_case_advisory(Program.FMS, "").rule == "R-TRN-03"
    assert rules.fms_case_advisory(Program.FMS, "XB-B-YAA") is None


def test_r_trn_13_imet_students_are_career_personnel():
    assert rules.nomination_problem(Program.IMET, False).rule == "R-TRN-13"
    assert rules.nomination_problem(Program.EIMET, False).rule == "R-TRN-13"
    assert rules.nomination_problem(Program.IMET, True) is None
    assert rules.nomination_problem(Program.FMS, False) is None


# --- issue 14 -----------------------------------------------------------------------------------


def test_r_trn_06_fms_training_is_vetted_when_us_money_pays():
    """Issue 14.1: FMF-funded FMS training is U.S. assistance; national funds are not."""
    fmf = rules.vetting_need(Program.FMS, Funding.FMF)
    assert fmf.required and "Foreign Military Financing" in fmf.why
    assert rules.vetting_need(Program.FMS, Funding.US_OTHER).required
    national = rules.vetting_need(Program.FMS, Funding.NATIONAL)
    assert not national.required and "national funds" in national.why and "C10.8" in national.why
    assert rules.vetting_need(Program.FMS, Funding.NATIONAL, national_funds_vetted=True).required
    unknown = rules.vetting_need(Program.FMS, "")
    assert unknown.required and "not recorded" in unknown.why
    assert rules.vetting_need(Program.IMET).required
    assert rules.funding_of("", Funding.FMF) == Funding.FMF
    assert rules.funding_of(Funding.NATIONAL, Funding.FMF) == Funding.NATIONAL
    open_fmf = rules.vetting_findings(
        Program.FMS, None, None, D(2027, 6, 1), D(2026, 12, 1), 30, False, False, funding="fmf"
    )
    assert [f.rule for f in open_fmf] == ["R-TRN-06", "R-TRN-06"]


@settings(max_examples=300, deadline=None)
@given(
    program=st.sampled_from([p for p, _ in Program.CHOICES]),
    funding=FUNDING,
    national_vetted=st.booleans(),
    vs=STATUSES,
    vu=STATUSES,
    start=DAYS,
    today=DAYS,
    alternate_days=st.integers(0, 120),
    has_alternate=st.booleans(),
    is_alternate=st.booleans(),
)
def test_r_trn_06_vetting_decision_property(
    program,
    funding,
    national_vetted,
    vs,
    vu,
    start,
    today,
    alternate_days,
    has_alternate,
    is_alternate,
):
    """Hypothesis (issue 14.1): funding source × program × dates. Vetting is required unless FMS
    training is paid with national funds and the fact in force does not vet it; when required,
    findings are empty exactly when student and unit are approved, and an alternate is asked for
    exactly when time is short (the SCO's window) for a principal without a vetted alternate."""
    need = rules.vetting_need(program, funding, national_vetted)
    required = not (program == Program.FMS and funding == Funding.NATIONAL and not national_vetted)
    assert need.required == required
    assert need.why or program != Program.FMS
    found = rules.vetting_findings(
        program,
        vs,
        vu,
        start,
        today,
        alternate_days,
        has_alternate,
        is_alternate,
        funding=funding,
        national_funds_vetted=national_vetted,
    )
    complete = vs == "approved" and vu == "approved"
    assert (found == []) == (not required or complete)
    asks_alternate = any("alternate" in f.message for f in found)
    assert asks_alternate == (
        required
        and not complete
        and not is_alternate
        and (start - today).days <= alternate_days
        and not has_alternate
    )
    assert all(f.rule == "R-TRN-06" and f.fix for f in found)


def test_r_trn_06_vetting_clock_warns_before_the_request_lapses():
    """Issue 14.2: a request's age, a warning before it lapses, and past the lapse."""
    asked = D(2026, 11, 1)
    assert rules.vetting_lapses_on(asked, 30) == D(2026, 12, 1)
    assert rules.vetting_age(asked, D(2026, 11, 20)) == 19
    assert rules.vetting_clock_finding("unit", "requested", asked, D(2026, 11, 20), 30, 7) is None
    warn = rules.vetting_clock_finding("unit", "in_process", asked, D(2026, 11, 24), 30, 7)
    assert warn.rule == "R-TRN-06" and "lapses on 1 Dec 2026" in warn.message
    lapsed = rules.vetting_clock_finding("unit", "requested", asked, D(2026, 12, 2), 30, 7)
    assert "31 days old" in lapsed.message and "resubmit" in lapsed.fix
    assert rules.vetting_clock_finding("unit", "approved", asked, D(2027, 1, 1), 30, 7) is None
    assert rules.vetting_clock_finding("unit", "cancelled", asked, D(2027, 1, 1), 30, 7) is None


def test_r_trn_06_vetting_and_screening_are_transitions_tables():
    assert rules.VETTING.allows("cancel", "in_process")
    assert not rules.VETTING.allows("cancel", "approved")
    assert rules.VETTING.allows("resubmit", "cancelled")
    assert rules.VETTING.problem("approve", "cancelled")
    assert rules.screening_transition("pending", "cleared") == "clear"
    assert rules.screening_transition("cleared", "derogatory") == "flag"
    assert rules.screening_transition("cleared", "cleared") == ""


@settings(max_examples=300, deadline=None)
@given(accompanied=st.booleans(), arrival=DAYS, today=DAYS)
def test_r_trn_09_missing_arrival_notice_follows_accompanied_property(accompanied, arrival, today):
    """Hypothesis (issue 14.3): accompanied × arrival date × today: due 30 days before arrival for
    an accompanied student, 16 for an unaccompanied one; overdue exactly after that day."""
    finding, due, overdue = rules.missing_arrival_notice(accompanied, arrival, today, 16, 30)
    assert due == arrival - dt.timedelta(days=30 if accompanied else 16)
    assert overdue == (today > due)
    assert finding.rule == "R-TRN-09"
    assert ("overdue" in finding.message) == overdue
    assert ("accompanied student" in finding.message) and (
        ("an accompanied" in finding.message) == accompanied
    )


def test_r_trn_09_accompanied_student_arriving_in_20_days_is_overdue():
    """Issue 14.3's example: arriving in 20 days with no notice is overdue when accompanied."""
    today = D(2026, 12, 1)
    _, _, overdue = rules.missing_arrival_notice(True, today + dt.timedelta(days=20), today, 16, 30)
    assert overdue
    _, _, overdue = rules.missing_arrival_notice(
        False, today + dt.timedelta(days=20), today, 16, 30
    )
    assert not overdue
