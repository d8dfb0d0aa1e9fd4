"""Training actions: permission, the R-TRN rule (named, with the fix), the write and its change-log
entry — and nothing saved when refused."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from secoop.core.markings import Marking
from secoop.training import actions
from secoop.training.models import ArrivalNotice
from secoop.training.models import CetppLine
from secoop.training.models import Course
from secoop.training.models import Ito
from secoop.training.models import ScreeningCheck
from secoop.training.models import Student
from secoop.training.models import TrainingPlan
from tests.conftest import builds

from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts
from .conftest import student

pytestmark = pytest.mark.django_db
D = dt.date


def refused(call, rule: str):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert rule in " ".join(info.value.messages)
    assert snapshot_counts() == before, "a refused action saved something"
    return info.value


def test_r_trn_08_ito_for_two_students_is_refused(on_demo_day):
    refused(
        lambda: actions.issue_ito(person("sco.bandaria"), [student("Durand"), student("Ondra")]),
        "R-TRN-08",
    )


def test_r_trn_08_ito_needs_vetting(on_demo_day):
    exc = refused(
        lambda: actions.issue_ito(person("sco.bandaria"), [student("Halvik")]), "R-TRN-06"
    )
    text = " ".join(exc.messages)
    assert "R-TRN-05" in text and "R-TRN-07" in text and "R-TRN-04" in text


def test_r_trn_05_ito_with_expired_medical_is_refused():
    with __import__("time_machine").travel(dt.datetime(2027, 2, 20, 12, tzinfo=dt.UTC), tick=False):
        exc = refused(
            lambda: actions.issue_ito(
                person("sco.bandaria"), [student("Durand")], on=D(2027, 2, 20)
            ),
            "R-TRN-05",
        )
        assert "more than 3 months" in " ".join(exc.messages)


def test_r_trn_08_ito_issued_for_a_ready_student(on_demo_day):
    durand = student("Durand")
    ito = actions.issue_ito(person("sco.bandaria"), [durand])
    assert (
        ito.student_id == durand.pk
        and Student.objects.system().get(pk=durand.pk).status == "ito_issued"
    )
    assert log_for(ito)[0].user.username == "sco.bandaria"
    refused(lambda: actions.issue_ito(person("sco.bandaria"), [student("Durand")]), "R-TRN-08")


def test_r_trn_08_manual_ito_needs_ccmd_waiver(on_demo_day):
    sco = person("sco.bandaria")
    refused(lambda: actions.issue_ito(sco, [student("Durand")], manual=True), "R-TRN-08")
    with pytest.raises(PermissionDenied):
        actions.record_waiver(
            sco, student("Durand"), granted_on=on_demo_day, reference="W-1", reason="System down"
        )
    actions.record_waiver(
        person("ccmd.planner"),
        student("Durand"),
        granted_on=on_demo_day,
        reference="AFRICOM-W-27-01",
        reason="ITO system outage",
    )
    ito = actions.issue_ito(sco, [student("Durand")], manual=True)
    assert ito.manual and ito.waiver.reference == "AFRICOM-W-27-01"


def test_r_trn_08_only_the_managing_sco_issues(on_demo_day):
    with pytest.raises(PermissionDenied):
        actions.issue_ito(person("industry.rep"), [student("Durand")])


def test_r_trn_04_ecl_out_of_range_refused(on_demo_day):
    refused(
        lambda: actions.record_ecl(person("sco.bandaria"), student("Halvik"), 120, D(2026, 11, 1)),
        "R-TRN-04",
    )


def test_r_trn_06_vetting_result_recorded_and_logged(on_demo_day):
    halvik = student("Halvik")
    vetting = halvik.vettings.system().get(subject="unit", status="requested")
    done = actions.record_vetting_result(
        person("sco.bandaria"), vetting, "approved", completed_on=D(2026, 11, 30)
    )
    assert done.status == "approved" and log_for(done)[-1].transition == "approve"
    refused(
        lambda: actions.record_vetting_result(
            person("sco.bandaria"), done, "approved", completed_on=D(2026, 9, 1)
        ),
        "R-TRN-06",
    )


def test_r_trn_07_screening_kept_ten_years(on_demo_day):
    check = actions.record_screening(
        person("sco.bandaria"),
        student("Halvik"),
        "consular",
        "cleared",
        completed_on=D(2026, 11, 28),
    )
    assert check.retain_until == D(2036, 11, 28)
    assert ScreeningCheck.objects.system().get(pk=check.pk).marking_text == "CUI//NOFORN"


def test_r_trn_01_plan_of_three_years_refused(on_demo_day):
    plan = TrainingPlan(
        country_id="XBN", owner_org=org("SCO Bandaria"), title="Short", first_fy=2027, last_fy=2029
    )
    refused(lambda: actions.create_plan(person("sco.bandaria"), plan), "R-TRN-01")


def test_r_trn_02_cetpp_line_outside_plan_years_refused(cetpp, on_demo_day):
    course = Course.objects.system().get(course_id="B171100")
    actions.return_cetpp(
        person("ccmd.planner"), cetpp, comment="Add the FY2029 Naval Command College seat rationale"
    )
    line = CetppLine(
        cetpp=cetpp, fiscal_year=2030, program="imet", course=course, seats=1, tuition=Decimal("1")
    )
    refused(lambda: actions.add_line(person("sco.bandaria"), line), "R-TRN-02")


def test_r_trn_02_cetpp_review_and_finalize_fixes_current_year(cetpp, on_demo_day):
    with pytest.raises(PermissionDenied):
        actions.approve_cetpp(person("sco.bandaria"), cetpp)
    refused(lambda: actions.return_cetpp(person("ccmd.planner"), cetpp, comment=" "), "R-TRN-02")
    approved = actions.approve_cetpp(
        person("ccmd.planner"), cetpp, comment="Consistent with the CCP"
    )
    assert approved.status == "approved" and approved.reviewed_by.username == "ccmd.planner"
    actions.finalize_cetpp(person("sco.bandaria"), approved)
    fixed = CetppLine.objects.system().filter(cetpp=cetpp, fixed=True)
    assert fixed.exists() and set(fixed.values_list("fiscal_year", flat=True)) == {2027}
    refused(
        lambda: actions.update_line(person("sco.bandaria"), fixed.first(), {"seats": 9}), "R-TRN-02"
    )


def test_r_trn_11_submit_needs_graduates_positions(cetpp, on_demo_day):
    actions.return_cetpp(person("ccmd.planner"), cetpp, comment="Update positions")
    voss = student("Voss")
    with builds("a graduate without this year's position"):
        voss.positions.system().filter(fiscal_year=2027).delete()
    exc = refused(lambda: actions.submit_cetpp(person("sco.bandaria"), cetpp), "R-TRN-11")
    assert "Voss" in " ".join(exc.messages)


def test_r_trn_03_budget_over_allocation_blocks_submit(cetpp, plan, on_demo_day):
    actions.return_cetpp(person("ccmd.planner"), cetpp, comment="Budget")
    actions.set_allocation(person("sco.bandaria"), plan, "imet", 2028, Decimal("1000"))
    refused(lambda: actions.submit_cetpp(person("sco.bandaria"), cetpp), "R-TRN-03")
    refused(
        lambda: actions.set_allocation(person("sco.bandaria"), plan, "eimet", 2028, Decimal("1")),
        "R-TRN-03",
    )


def test_r_trn_13_imet_nominee_must_be_career_personnel(on_demo_day):
    s = Student(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        given_name="A",
        family_name="B",
        unit="U",
        course=Course.objects.system().get(course_id="B171100"),
        program="imet",
        class_start=D(2027, 5, 1),
        class_end=D(2027, 9, 1),
    )
    refused(lambda: actions.nominate(person("sco.bandaria"), s), "R-TRN-13")


def test_partner_nominates_a_student_managed_by_the_sco(on_demo_day):
    s = Student(
        country_id="XBN",
        owner_org=org("Bandaria MoD"),
        given_name="Nia",
        family_name="Okoro",
        unit="5th Battalion",
        career_personnel=True,
        course=Course.objects.system().get(course_id="D177010"),
        program="imet",
        class_start=D(2027, 6, 1),
        class_end=D(2027, 10, 15),
    )
    made = actions.nominate(person("partner.bandaria"), s)
    assert (
        made.owner_org.short_name == "SCO Bandaria" and made.marking_text == "CUI//REL TO USA, XBN"
    )
    assert log_for(made)[0].user.username == "partner.bandaria"
    assert Student.objects.visible_to(person("partner.bandaria")).filter(pk=made.pk).exists()
    other = Student(
        country_id="GBR",
        owner_org=org("SCO Bandaria"),
        given_name="X",
        family_name="Y",
        unit="U",
        career_personnel=True,
        course=Course.objects.system().get(course_id="D177010"),
        program="imet",
        class_start=D(2027, 6, 1),
        class_end=D(2027, 10, 1),
    )
    refused(lambda: actions.nominate(person("partner.bandaria"), other), "R-SEC-03")


def test_r_trn_09_arrival_notice_due_and_sent(on_demo_day):
    durand = student("Durand")
    actions.issue_ito(person("sco.bandaria"), [durand])
    notice = actions.create_arrival_notice(
        person("sco.bandaria"),
        ArrivalNotice(
            student=durand,
            installation="DLIELC",
            eta=D(2027, 2, 6),
            travel_mode="air",
            flight="ET 500",
        ),
    )
    assert notice.due_on == D(2027, 1, 21)
    sent = actions.send_arrival_notice(person("sco.bandaria"), notice, sent_on=D(2027, 1, 25))
    assert "sent late" in log_for(sent)[-1].reason
    bad = ArrivalNotice(
        student=durand,
        installation="DLIELC",
        eta=D(2027, 2, 6),
        accompanied=True,
        dependents=0,
        travel_mode="air",
        flight="",
    )
    refused(lambda: actions.create_arrival_notice(person("sco.bandaria"), bad), "R-TRN-09")


def test_r_trn_10_after_training_and_r_trn_11_positions(on_demo_day):
    refused(
        lambda: actions.record_after(
            person("sco.bandaria"), student("Durand"), "interview", on=on_demo_day
        ),
        "R-TRN-10",
    )
    kessel = student("Kessel")
    actions.record_after(
        person("sco.bandaria"), kessel, "interview", on=on_demo_day, notes="Back in the squadron"
    )
    refused(
        lambda: actions.record_after(person("sco.bandaria"), kessel, "use", on=on_demo_day),
        "R-TRN-13",
    )
    refused(
        lambda: actions.record_position(
            person("sco.bandaria"), kessel, fiscal_year=2027, position="X"
        ),
        "R-TRN-11",
    )
    pos = actions.record_position(
        person("sco.bandaria"),
        student("Voss"),
        fiscal_year=2027,
        position="Chief of the Army Staff",
        prominent=True,
    )
    assert pos.position == "Chief of the Army Staff"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = [
    "course_id",
    "title",
    "school",
    "location",
    "length_weeks",
    "min_ecl",
    "prerequisites",
    "program",
    "fiscal_year",
    "tuition",
    "travel_living",
]


def test_course_import_all_rows_or_none(on_demo_day):
    sco = person("sco.bandaria")
    data = _xlsx(
        [
            HEADER,
            ["L100", "Logistics", "ALU", "Fort Lee", 6, 70, "", "imet", 2027, 12000, 8000],
            ["L100", "Logistics", "ALU", "Fort Lee", 6, 70, "", "fms", 2027, 15000, 0],
            ["L200", "Bad", "ALU", "", "six", 140, "", "imex", 2027, "", ""],
        ]
    )
    before = snapshot_counts()
    report = actions.import_courses(sco, data, "catalog.xlsx", owner_org=org("SCO Bandaria"))
    assert not report.ok and [n for n, _ in report.errors] == [4]
    assert "length_weeks" in report.errors[0][1] and "program" in report.errors[0][1]
    assert snapshot_counts() == before
    good = actions.import_courses(
        sco,
        _xlsx(
            [
                HEADER,
                ["L100", "Logistics", "ALU", "Fort Lee", 6, 70, "", "imet", 2027, 12000, 8000],
                ["L100", "Logistics", "ALU", "Fort Lee", 6, 70, "", "fms", 2027, 15000, 0],
            ]
        ),
        "catalog.xlsx",
        owner_org=org("SCO Bandaria"),
    )
    assert good.ok and (good.created, good.costs) == (1, 2)
    assert Course.objects.system().get(course_id="L100").costs.system().count() == 2


def test_malformed_import_file_refused(on_demo_day):
    sco = person("sco.bandaria")
    refused(
        lambda: actions.import_courses(
            sco, b"not a workbook", "x.xlsx", owner_org=org("SCO Bandaria")
        ),
        "XLSX",
    )
    refused(
        lambda: actions.import_courses(
            sco, b"title,school\nA,B\n", "x.csv", owner_org=org("SCO Bandaria")
        ),
        "course_id",
    )
    refused(
        lambda: actions.import_courses(
            sco, b"\xff\xfe\x00", "x.csv", owner_org=org("SCO Bandaria")
        ),
        "UTF-8",
    )
    refused(
        lambda: actions.import_courses(sco, b"", "x.txt", owner_org=org("SCO Bandaria")), ".csv"
    )
    # A course the importer may not change (the DSCU catalog) is a row error, not an overwrite.
    report = actions.import_courses(
        sco,
        b"course_id,title,school,length_weeks\nB171100,X,Y,2\n",
        "x.csv",
        owner_org=org("SCO Bandaria"),
    )
    assert not report.ok and "not yours" in report.errors[0][1]


def test_fiscal_year_of_a_class_crossing_the_boundary(on_demo_day):
    s = student("Kessel")
    assert s.class_start == D(2026, 10, 5) and s.fiscal_year == 2027
    assert Ito.objects.system().get(student=s).issued_on == D(
        2026, 9, 1
    )  # issued in FY2026 for an FY2027 class
    assert Marking.parse(s.marking_text)


def test_r_trn_03_rdfp_forwarded_by_the_ccmd_and_approved_before_the_ito(on_demo_day):
    s = Student(
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        given_name="Ira",
        family_name="Quell",
        unit="CT cell",
        career_personnel=True,
        course=Course.objects.system().get(course_id="D300040"),
        program="rdfp",
        class_start=D(2027, 8, 2),
        class_end=D(2028, 6, 9),
    )
    s = actions.nominate(person("sco.bandaria"), s)
    refused(
        lambda: actions.record_rdfp_approval(person("osd.solic"), s, on=on_demo_day), "R-TRN-03"
    )
    with pytest.raises(PermissionDenied):
        actions.forward_rdfp(person("sco.bandaria"), s)
    assert any(f.rule == "R-TRN-03" for f in actions.ito_findings(s))
    actions.forward_rdfp(person("ccmd.planner"), s, on=D(2026, 11, 20))
    assert "OSD/SOLIC has not approved" in " ".join(f.message for f in actions.ito_findings(s))
    actions.record_rdfp_approval(person("osd.solic"), s, on=D(2026, 11, 30))
    assert not [f for f in actions.ito_findings(s) if f.rule == "R-TRN-03"]
