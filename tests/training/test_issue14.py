"""Issue 14: Leahy vetting where U.S. money pays (14.1), the vetting clock (14.2), accompanied
students (14.3) — actions and the checklist on the demo's Bandaria records, on both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from secoop.cases.models import FmsCase
from secoop.core.markings import Marking
from secoop.training import actions
from secoop.training import findings
from secoop.training.demo import student_named
from secoop.training.models import CetppLine
from secoop.training.models import Course
from secoop.training.models import ImetPriority
from secoop.training.models import Student
from secoop.training.models import TrainingSettings
from secoop.training.models import Vetting
from secoop.training.rules import Funding
from secoop.training.rules import Program
from tests.conftest import builds

from .conftest import DEMO_TODAY
from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date
REL = "CUI//REL TO USA, XBN"
SPRING = D(2027, 3, 1)
VETTED_ON = D(2026, 11, 25)


def refused(call, rule: str):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert rule in " ".join(info.value.messages)
    assert snapshot_counts() == before, "a refused action saved something"
    return info.value


def nominate(
    family: str,
    *,
    program: str = Program.FMS,
    funding: str = "",
    start: dt.date = SPRING,
    accompanied: bool = False,
    course: str = "B123456",
    line=None,
) -> Student:
    sco = person("sco.bandaria")
    s = Student(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        given_name="Test",
        family_name=family,
        rank="Capt.",
        unit="Coastal Squadron",
        career_personnel=True,
        course=Course.objects.system().get(course_id=course),
        program=program,
        class_start=start,
        class_end=start + dt.timedelta(days=60),
        funding=funding,
        accompanied=accompanied,
        cetpp_line=line,
    )
    s.marking = Marking.parse(REL)
    return actions.nominate(sco, s)


def cleared_but_vetting(student: Student) -> Student:
    """Everything the ITO needs except human-rights vetting."""
    sco = person("sco.bandaria")
    actions.record_ecl(sco, student, 90, D(2026, 11, 1))
    actions.record_prerequisites(sco, student, True, "Checked")
    actions.record_medical(sco, student, D(2026, 11, 15), D(2026, 11, 15), D(2026, 11, 15))
    for kind in ("rso", "dea", "consular"):
        actions.record_screening(sco, student, kind, "cleared", completed_on=D(2026, 11, 20))
    return student


def vet(student: Student, on: dt.date = VETTED_ON) -> None:
    sco = person("sco.bandaria")
    for subject in ("student", "unit"):
        v = actions.request_vetting(sco, student, subject, requested_on=on - dt.timedelta(days=20))
        actions.record_vetting_result(sco, v, "approved", completed_on=on)


def checklist(student: Student):
    sco = person("sco.bandaria")
    return findings.checklists(
        Student.objects.visible_to(sco).filter(pk=student.pk), DEMO_TODAY, sco
    )[0]


# --- 14.1 Leahy vetting for FMS training paid with U.S. money -----------------------------------


def test_r_trn_06_fmf_funded_fms_training_is_vetted_before_the_ito(on_demo_day):
    student = cleared_but_vetting(nominate("Fmf", funding=Funding.FMF))
    error = refused(lambda: actions.issue_ito(person("sco.bandaria"), [student]), "R-TRN-06")
    assert "vetting of the student" in " ".join(error.messages)
    need = findings.vetting_need(checklist(student).student, False)
    assert need.required and "Foreign Military Financing" in need.why
    vet(student)
    ito = actions.issue_ito(person("sco.bandaria"), [student])
    assert ito.pk


def test_r_trn_06_national_funds_fms_training_needs_no_leahy_vetting(on_demo_day):
    student = cleared_but_vetting(nominate("National", funding=Funding.NATIONAL))
    found = checklist(student)
    assert not found.by_area("vetting")
    need = findings.vetting_need(found.student, False)
    assert not need.required and "national funds" in need.why
    assert actions.issue_ito(person("sco.bandaria"), [student]).pk


def test_r_trn_06_fms_student_follows_the_funding_of_its_cetpp_line(on_demo_day, cetpp):
    """The demo's FY2027 FMS line is FMF-funded: a student on it without a funding of its own
    is vetted; the student page says why."""
    line = cetpp.lines.system().get(program=Program.FMS, fiscal_year=2027)
    found = checklist(nominate("OnTheLine", line=line))
    assert findings.funding(found.student) == Funding.FMF
    assert [i.finding.rule for i in found.by_area("vetting")][:2] == ["R-TRN-06", "R-TRN-06"]


def test_the_student_page_says_why_vetting_is_or_is_not_needed(on_demo_day, login):
    national = nominate("PageNational", funding=Funding.NATIONAL)
    fmf = nominate("PageFmf", funding=Funding.FMF)
    client = login("sco.bandaria")
    page = client.get(national.get_absolute_url()).content.decode()
    assert "Not needed" in page and "national funds" in page
    page = client.get(fmf.get_absolute_url()).content.decode()
    assert "Needed" in page and "Foreign Military Financing" in page


# --- 14.2 the vetting clock ---------------------------------------------------------------------


def test_r_trn_06_an_old_request_is_warned_before_it_lapses(on_demo_day):
    student = nominate("Clock", program=Program.IMET, course="B171100")
    actions.request_vetting(
        person("sco.bandaria"), student, "student", requested_on=DEMO_TODAY - dt.timedelta(days=25)
    )
    items = [i for i in checklist(student).by_area("vetting") if "lapses" in i.finding.message]
    assert len(items) == 1 and items[0].due == DEMO_TODAY + dt.timedelta(days=5)
    assert "25 days old" in items[0].finding.message and not items[0].overdue


def test_r_trn_06_cancellation_and_resubmission_keep_their_own_dates(on_demo_day):
    sco = person("sco.bandaria")
    student = nominate("Resubmit", program=Program.IMET, course="B171100")
    first = actions.request_vetting(sco, student, "unit", requested_on=D(2026, 10, 1))
    refused(lambda: actions.resubmit_vetting(sco, first), "R-TRN-06")  # not cancelled yet
    cancelled = actions.cancel_vetting(sco, first, cancelled_on=D(2026, 10, 31))
    assert cancelled.status == "cancelled" and cancelled.cancelled_on == D(2026, 10, 31)
    assert log_for(cancelled)[-1].transition == "cancel"
    refused(lambda: actions.record_vetting_result(sco, cancelled, "approved"), "R-TRN-06")
    refused(
        lambda: actions.resubmit_vetting(sco, cancelled, requested_on=D(2026, 10, 20)), "R-TRN-06"
    )
    again = actions.resubmit_vetting(sco, cancelled, requested_on=D(2026, 11, 2))
    assert again.resubmission_of_id == first.pk and again.requested_on == D(2026, 11, 2)
    assert again.status == "requested"
    history = list(Vetting.objects.system().filter(student=student).order_by("requested_on"))
    assert [(v.status, v.requested_on) for v in history] == [
        ("cancelled", D(2026, 10, 1)),
        ("requested", D(2026, 11, 2)),
    ]
    refused(lambda: actions.resubmit_vetting(sco, cancelled), "R-TRN-06")  # resubmitted once


def test_r_trn_06_only_the_sco_records_a_cancellation(on_demo_day):
    student = nominate("NotLe", program=Program.IMET, course="B171100")
    v = actions.request_vetting(
        person("sco.bandaria"), student, "unit", requested_on=D(2026, 10, 1)
    )
    for who in ("le.staff", "partner.bandaria", "ccmd.planner"):
        with pytest.raises(PermissionDenied):
            actions.cancel_vetting(person(who), v, cancelled_on=D(2026, 11, 1))


def test_r_trn_06_time_is_short_is_each_scos_setting(on_demo_day):
    """ANSWERS: no public source gives the window for vetting an alternate: the SCO sets it."""
    student = nominate("Short", program=Program.IMET, course="B171100", start=D(2026, 12, 21))

    def asks_alternate() -> bool:
        return any("alternate" in i.finding.message for i in checklist(student).by_area("vetting"))

    assert asks_alternate()  # 20 days, within the default 30
    sco = person("sco.bandaria")
    actions.set_training_settings(
        sco, org("SCO Bandaria"), alternate_days=14, lapse_warning_days=5, reason="our practice"
    )
    assert not asks_alternate()
    assert TrainingSettings.objects.system().get(owner_org=org("SCO Bandaria")).alternate_days == 14
    for who in ("le.staff", "partner.bandaria"):
        with pytest.raises(PermissionDenied):
            actions.set_training_settings(
                person(who), org("SCO Bandaria"), alternate_days=60, lapse_warning_days=5
            )


# --- 14.3 accompanied or not --------------------------------------------------------------------


def test_r_trn_09_accompanied_student_arriving_in_20_days_without_notice_is_overdue(on_demo_day):
    student = cleared_but_vetting(
        nominate(
            "Family",
            funding=Funding.NATIONAL,
            start=DEMO_TODAY + dt.timedelta(days=20),
            accompanied=True,
        )
    )
    ito = actions.issue_ito(person("sco.bandaria"), [student])
    assert ito.accompanied
    (item,) = checklist(student).by_area("arrival")
    assert item.overdue and item.due == DEMO_TODAY - dt.timedelta(days=10)
    assert "30 days before arrival" in item.finding.message


def test_r_trn_09_unaccompanied_student_arriving_in_20_days_is_not_yet_due(on_demo_day):
    student = cleared_but_vetting(
        nominate("Alone", funding=Funding.NATIONAL, start=DEMO_TODAY + dt.timedelta(days=20))
    )
    actions.issue_ito(person("sco.bandaria"), [student])
    (item,) = checklist(student).by_area("arrival")
    assert not item.overdue and item.due == DEMO_TODAY + dt.timedelta(days=4)


# --- 14.4 corrections ---------------------------------------------------------------------------


def test_a_students_name_is_corrected_with_a_reason_and_logged(on_demo_day):
    moreau = student_named("Moreau")
    sco = person("sco.bandaria")
    refused(
        lambda: actions.correct_student(sco, moreau, {"given_name": "Aline-Marie"}, reason=" "),
        "",
    )
    done = actions.correct_student(
        sco, moreau, {"given_name": "Aline-Marie"}, reason="typo in the MoD's letter"
    )
    assert done.record.given_name == "Aline-Marie" and done.findings == []
    entry = log_for(moreau)[-1]
    assert entry.reason == "correction: typo in the MoD's letter"
    assert entry.before["given_name"] == "Aline" and entry.after["given_name"] == "Aline-Marie"


def test_a_correction_re_runs_the_date_rule_and_refuses_other_fields(on_demo_day):
    moreau = student_named("Moreau")
    sco = person("sco.bandaria")
    refused(
        lambda: actions.correct_student(
            sco, moreau, {"class_end": D(2027, 1, 1)}, reason="dates from the school"
        ),
        "before it starts",
    )
    refused(
        lambda: actions.correct_student(sco, moreau, {"status": "graduated"}, reason="x"),
        "cannot be corrected here",
    )
    for who in ("partner.bandaria", "ccmd.planner", "industry.rep"):
        with pytest.raises(PermissionDenied):
            actions.correct_student(person(who), moreau, {"rank": "Capt."}, reason="promoted")


def test_a_new_ecl_minimum_re_runs_r_trn_04_for_waiting_students(on_demo_day):
    course = Course.objects.system().get(course_id="B171100")
    with builds("the SCO keeps a local catalog entry"):
        course.owner_org = org("SCO Bandaria")
        course.save()
    done = actions.correct_course(
        person("sco.bandaria"),
        course,
        {"min_ecl": 95, "length_weeks": course.length_weeks + 1},
        reason="the school's new catalog entry",
    )
    assert done.record.min_ecl == 95
    assert any(f.rule == "R-TRN-04" and "Halvik" in f.message for f in done.findings)
    assert log_for(course)[-1].reason == "correction: the school's new catalog entry"
    with pytest.raises(PermissionDenied):
        actions.correct_course(person("partner.bandaria"), course, {"title": "x"}, reason="x")


def test_a_plan_correction_keeps_four_years_and_its_cetpps(on_demo_day, plan):
    sco = person("sco.bandaria")
    refused(
        lambda: actions.correct_plan(sco, plan, {"last_fy": 2028}, reason="shorter"), "R-TRN-01"
    )
    refused(
        lambda: actions.correct_plan(
            sco, plan, {"first_fy": 2028, "last_fy": 2032}, reason="moved"
        ),
        "R-TRN-02",
    )
    done = actions.correct_plan(
        sco, plan, {"title": "Bandaria training plan FY26-29"}, reason="title"
    )
    assert done.record.title == "Bandaria training plan FY26-29"


def test_corrections_through_the_api(on_demo_day, api):
    moreau = student_named("Moreau")
    url = f"/api/v1/training/students/{moreau.pk}/correct/"
    body = {
        "changes": {"family_name": "Moreau-Diallo", "class_start": "2027-04-19"},
        "reason": "passport",
    }
    response = api("sco.bandaria").post(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["record"]["family_name"] == "Moreau-Diallo"
    assert response.json()["record"]["class_start"] == "2027-04-19"
    bad = api("sco.bandaria").post(
        url, {"changes": {"class_start": "soon"}, "reason": "x"}, format="json"
    )
    assert bad.status_code == 400
    assert api("partner.bandaria").post(url, body, format="json").status_code == 403
    course = Course.objects.system().get(course_id="D177010")
    response = api("dsca.analyst").post(
        f"/api/v1/training/courses/{course.pk}/correct/",
        {"changes": {"length_weeks": "9.5"}, "reason": "catalog typo"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Course.objects.system().get(pk=course.pk).length_weeks == Decimal("9.5")


def test_corrections_on_the_page(on_demo_day, login):
    moreau = student_named("Moreau")
    client = login("sco.bandaria")
    page = client.get(moreau.get_absolute_url()).content.decode()
    assert f"/training/students/{moreau.pk}/correct/" in page
    form = client.get(f"/training/students/{moreau.pk}/correct/")
    assert form.status_code == 200 and "Why is it corrected?" in form.content.decode()
    data = {
        f: ("" if v is None else v.isoformat() if hasattr(v, "isoformat") else v)
        for f, v in form.context["form"].initial.items()
    }
    data = {k: v for k, v in data.items() if v is not False}
    data.update(rank="Capt.", reason="promoted")
    response = client.post(f"/training/students/{moreau.pk}/correct/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert student_named("Moreau").rank == "Capt."
    assert log_for(moreau)[-1].reason == "correction: promoted"
    assert login("partner.bandaria").get(
        f"/training/students/{moreau.pk}/correct/"
    ).status_code in (
        403,
        404,
    )


def test_a_course_correction_names_only_the_students_the_corrector_may_see(on_demo_day):
    """Students the catalog keeper may not see (or whose readiness they may not see) are counted,
    never named."""
    analyst = person("dsca.analyst")
    course = Course.objects.system().get(course_id="B171100")
    done = actions.correct_course(analyst, course, {"min_ecl": 95}, reason="new minimum")
    visible = {str(s) for s in Student.objects.visible_to(analyst)}
    named = [f.message.split(":")[0] for f in done.findings if "cannot see" not in f.message]
    assert done.findings and all(name in visible for name in named)


# --- 14.5 codes as data -------------------------------------------------------------------------


def new_line(cetpp, program: str, **kw) -> CetppLine:
    line = CetppLine(
        cetpp=cetpp,
        fiscal_year=2028,
        program=program,
        course=Course.objects.system().get(
            course_id="B123456" if program == Program.FMS else "B171100"
        ),
        seats=1,
        tuition=Decimal("1000"),
        **kw,
    )
    line.marking = cetpp.marking
    return line


@pytest.fixture
def draft(cetpp):
    """The demo CETPP returned to the SCO, so lines may be added."""
    actions.return_cetpp(person("ccmd.planner"), cetpp, comment="Add the lines")
    return cetpp


def test_r_trn_03_imet_priority_codes_are_reference_data(on_demo_day, draft):
    codes = {p.code: p for p in ImetPriority.objects.all()}
    assert {"A", "B", "C", "D"} <= set(codes) and all(p.source for p in codes.values())
    sco = person("sco.bandaria")
    line = actions.add_line(sco, new_line(draft, Program.IMET, priority=codes["B"]))
    assert line.priority.code == "B"
    refused(
        lambda: actions.add_line(sco, new_line(draft, Program.FMS, priority=codes["A"])),
        "R-TRN-03",
    )
    with builds("an administrator retires code D"):
        ImetPriority.objects.filter(code="D").update(active=False)
    refused(
        lambda: actions.add_line(sco, new_line(draft, Program.IMET, priority=codes["D"])),
        "no longer in use",
    )


def test_r_trn_03_an_fms_line_names_a_training_or_blanket_order_case(on_demo_day, draft):
    sco = person("sco.bandaria")
    blanket = FmsCase.objects.system().get(identifier="XB-B-YAA")
    line = actions.add_line(sco, new_line(draft, Program.FMS, case=blanket))
    assert line.case_id == blanket.pk
    assert line.funding == Funding.FMF  # the case holds FMF-funded lines: Leahy vetting applies
    materiel = FmsCase.objects.system().get(identifier="XB-B-ZAA")
    error = refused(
        lambda: actions.add_line(sco, new_line(draft, Program.FMS, case=materiel)), "R-TRN-03"
    )
    assert "blanket order" in " ".join(error.messages)
    refused(
        lambda: actions.add_line(sco, new_line(draft, Program.IMET, case=blanket)),
        "only an FMS training line",
    )
    assert not actions.cetpp_advisories(draft) or all(
        "names no case" in f.message for f in actions.cetpp_advisories(draft)
    )


def test_the_cetpp_shows_the_code_and_the_case(on_demo_day, cetpp, login, api):
    page = login("sco.bandaria").get(cetpp.get_absolute_url()).content.decode()
    assert "XB-B-YAA" in page
    lines = api("sco.bandaria").get(f"/api/v1/training/cetpps/{cetpp.pk}/").json()["lines"]
    fms = [ln for ln in lines if ln["program"] == "fms" and ln["fiscal_year"] == 2027]
    assert fms and fms[0]["case"] == FmsCase.objects.system().get(identifier="XB-B-YAA").pk
    assert fms[0]["funding"] == "fmf"


# --- 14.7 OSD/SOLIC approves RDFP nominations -----------------------------------------------------


def test_r_trn_03_osd_solic_approves_the_rdfp_nomination_itself(on_demo_day, login):
    orsk = student_named("Orsk")
    actions.forward_rdfp(person("ccmd.planner"), orsk, on=D(2026, 11, 20))
    for who in ("sco.bandaria", "ccmd.planner", "le.staff", "partner.bandaria"):
        with pytest.raises(PermissionDenied):
            actions.record_rdfp_approval(person(who), orsk, on=D(2026, 11, 30))
    page = login("osd.solic").get(orsk.get_absolute_url())
    assert page.status_code == 200 and "OSD/SOLIC approved" in page.content.decode()
    assert (
        "awaiting OSD/SOLIC" in login("sco.bandaria").get(orsk.get_absolute_url()).content.decode()
    )
    readiness = actions.record_rdfp_approval(person("osd.solic"), orsk, on=D(2026, 11, 30))
    assert readiness.rdfp_approved_on == D(2026, 11, 30)
    entry = log_for(readiness)[-1]
    assert entry.user.username == "osd.solic" and entry.transition == "rdfp_approve"
    assert not [f for f in actions.ito_findings(orsk) if "OSD/SOLIC" in f.message]
    refused(
        lambda: actions.record_rdfp_approval(person("osd.solic"), orsk, on=D(2026, 12, 1)),
        "R-TRN-03",
    )


def test_the_sco_sets_its_training_settings_on_the_page_and_the_api(on_demo_day, login, api):
    client = login("sco.bandaria")
    page = client.get("/training/settings/")
    assert page.status_code == 200 and "no public source" in page.content.decode()
    response = client.post(
        "/training/settings/", {"alternate_days": 21, "lapse_warning_days": 10, "reason": "SOP"}
    )
    assert response.status_code == 302
    assert api("sco.bandaria").get("/api/v1/training/settings/").json()["alternate_days"] == 21
    answer = api("sco.bandaria").post(
        "/api/v1/training/settings/", {"alternate_days": 45, "lapse_warning_days": 7}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["alternate_days"] == 45
    bad = api("sco.bandaria").post(
        "/api/v1/training/settings/",
        {"alternate_days": 999, "lapse_warning_days": 7},
        format="json",
    )
    assert bad.status_code == 400
    for who in ("le.staff", "partner.bandaria", "ccmd.planner"):
        assert login(who).get("/training/settings/").status_code == 403
        assert (
            api(who)
            .post(
                "/api/v1/training/settings/",
                {"alternate_days": 1, "lapse_warning_days": 1},
                format="json",
            )
            .status_code
            == 403
        )


def test_r_trn_06_the_national_funds_rule_is_a_dated_fact(on_demo_day):
    """Should the policy change (a later row of the fact), national-funds FMS training is vetted
    from that day on, and not before: the ITO rule reads the fact in force on the issue date."""
    from secoop.core.models import ReferenceFact
    from secoop.training import facts

    with builds("a later policy vets national-funds FMS training too"):
        ReferenceFact.objects.create(
            key=facts.VET_NATIONAL_FUNDS,
            label="test",
            value=Decimal("1"),
            unit="flag",
            effective_from=D(2027, 1, 1),
            source="test",
        )
    assert not facts.national_funds_vetted(D(2026, 12, 1))
    assert facts.national_funds_vetted(D(2027, 1, 15))
    student = cleared_but_vetting(nominate("Dated", funding=Funding.NATIONAL))
    sco = person("sco.bandaria")
    refused(lambda: actions.issue_ito(sco, [student], on=D(2027, 1, 15)), "R-TRN-06")
    assert actions.issue_ito(sco, [student], on=D(2026, 12, 1)).pk


def test_the_api_says_why_vetting_is_or_is_not_needed(on_demo_day, api):
    national = nominate("ApiNational", funding=Funding.NATIONAL)
    body = api("sco.bandaria").get(f"/api/v1/training/students/{national.pk}/").json()
    assert body["vetting"]["required"] is False and "national funds" in body["vetting"]["why"]
    listed = api("sco.bandaria").get("/api/v1/training/students/", {"search": "ApiNational"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["vetting"]["required"] is False
    partner = api("partner.bandaria").get(f"/api/v1/training/students/{national.pk}/").json()
    assert "vetting" not in partner
