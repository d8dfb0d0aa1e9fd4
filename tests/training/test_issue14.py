"""Issue 14: Leahy vetting where U.S. money pays (14.1), the vetting clock (14.2), accompanied
students (14.3) — actions and the checklist on the demo's Bandaria records, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secoop.core.markings import Marking
from secoop.training import actions, findings
from secoop.training.models import Course, Student, TrainingSettings, Vetting
from secoop.training.rules import Funding, Program

from .conftest import DEMO_TODAY, log_for, org, person, snapshot_counts

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
