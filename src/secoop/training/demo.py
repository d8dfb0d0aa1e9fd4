"""Demo data: Bandaria's four-year training plan FY2026–FY2029 and its FY2027 CETPP with IMET,
E-IMET, Regional Defense Fellowship and FMS lines; a small course catalog; students in every state
— just nominated (by the partner), in screening with an ITO the rule refuses, cleared and waiting
for the ITO, ITO issued with an overdue arrival notice, in training, graduated (with the after-training
records and positions), withdrawn, and a vetted alternate. Made through training.actions as the demo
users, so every record has its change-log entry. Idempotent: nothing is made if the plan exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from secoop.cases import actions as case_actions
from secoop.cases.models import CaseCategory
from secoop.cases.models import CaseLine
from secoop.cases.models import FmsCase
from secoop.cases.models import LoaType
from secoop.core import actions as core
from secoop.core import demo
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models.organizations import OrganizationKind

from . import actions
from .models import ArrivalNotice
from .models import Cetpp
from .models import CetppLine
from .models import Course
from .models import ImetPriority
from .models import Student
from .models import TrainingPlan
from .rules import Funding
from .rules import Program

TRAINING_CASE = "XB-B-YAA"

PLAN_TITLE = "Bandaria training plan FY2026–FY2029"
D = dt.date
REL = "CUI//REL TO USA, XBN"
SCHOOL_ORG = "DSCU"

# (course id, title, school, location, weeks, min ECL, prerequisites, E-IMET certified on)
COURSES = [
    (
        "B171100",
        "Maneuver Captains Career Course",
        "U.S. Army Maneuver Center of Excellence",
        "Fort Benning, GA",
        "22",
        80,
        "Commissioned officer, captain or senior first lieutenant",
        None,
    ),
    (
        "D177010",
        "English Language Instructor Course",
        "Defense Language Institute English Language Center",
        "JBSA-Lackland, TX",
        "20",
        70,
        "",
        None,
    ),
    (
        "P179054",
        "Naval Command College",
        "U.S. Naval War College",
        "Newport, RI",
        "44",
        80,
        "Commander or captain (O-5/O-6)",
        None,
    ),
    (
        "D309001",
        "Civil-Military Relations",
        "Institute for Security Governance",
        "Monterey, CA",
        "3",
        70,
        "",
        D(2024, 3, 1),
    ),
    (
        "D300040",
        "Combating Terrorism Fellows Program",
        "National Defense University, College of International Security Affairs",
        "Washington, DC",
        "44",
        80,
        "Field-grade officer or civilian equivalent",
        None,
    ),
    (
        "B123456",
        "Coastal Patrol Boat Maintenance",
        "U.S. Coast Guard Training Center",
        "Yorktown, VA",
        "8",
        65,
        "",
        None,
    ),
]
# course id → (program, tuition, travel and living)
COSTS = {
    "B171100": (Program.IMET, "38500", "21400"),
    "D177010": (Program.IMET, "24100", "18900"),
    "P179054": (Program.IMET, "61200", "44800"),
    "D309001": (Program.EIMET, "9800", "6100"),
    "D300040": (Program.RDFP, "58000", "39500"),
    "B123456": (Program.FMS, "31200", "12700"),
}
# (FY, course, program, seats, priority)
LINES = [
    (2027, "B171100", Program.IMET, 2, "A"),
    (2027, "D177010", Program.IMET, 1, "A"),
    (2027, "P179054", Program.IMET, 1, "B"),
    (2027, "D309001", Program.EIMET, 4, "A"),
    (2027, "D300040", Program.RDFP, 1, ""),
    (2027, "B123456", Program.FMS, 6, ""),
    (2028, "B171100", Program.IMET, 2, "A"),
    (2028, "D309001", Program.EIMET, 4, "A"),
    (2028, "D300040", Program.RDFP, 1, ""),
    (2028, "B123456", Program.FMS, 4, ""),
    (2029, "B171100", Program.IMET, 2, "A"),
    (2029, "P179054", Program.IMET, 1, "A"),
    (2029, "D309001", Program.EIMET, 3, "B"),
]
ALLOCATIONS = [
    (Program.IMET, 2026, "310000"),
    (Program.IMET, 2027, "350000"),
    (Program.IMET, 2028, "350000"),
    (Program.IMET, 2029, "360000"),
    (Program.RDFP, 2027, "100000"),
    (Program.RDFP, 2028, "100000"),
    (Program.FMS, 2027, "250000"),
    (Program.FMS, 2028, "150000"),
]


def _school_org(orgs: dict) -> Organization:
    org = Organization.objects.system().filter(short_name=SCHOOL_ORG).first()
    if org is None:
        org = Organization(
            name="Defense Security Cooperation University — international training catalog",
            short_name=SCHOOL_ORG,
            kind=OrganizationKind.DSCA,
            parent=orgs["dsca"],
        )
        org.marking = Marking.parse("UNCLASSIFIED")
        core.system_create(org, reason="demo data")
    return org


def _training_case(manager, ia: Organization) -> FmsCase:
    """Bandaria's blanket order training case, FMF-funded (the FMS lines name it, R-TRN-03)."""
    case = FmsCase.objects.system().filter(identifier=TRAINING_CASE).first()
    if case is not None:
        return case
    case = FmsCase(
        identifier=TRAINING_CASE,
        title="International military student training (blanket order)",
        country_id="XBN",
        owner_org=ia,
        loa_type=LoaType.BLANKET,
        category=CaseCategory.SERVICES,
    )
    case.marking = Marking.parse(REL)
    case = case_actions.create(manager, case, reason="demo data")
    line = CaseLine(
        case=case,
        number="001",
        item="Training of international military students",
        quantity=1,
        unit_value=Decimal("250000.00"),
        fmf_funded=True,
    )
    case_actions.create(manager, line, reason="demo data")
    return case


def student_named(family_name: str) -> Student:
    return Student.objects.system().get(family_name=family_name)


@demo.register
def load(made: dict) -> None:
    if TrainingPlan.objects.system().filter(title=PLAN_TITLE).exists():
        return
    orgs, users = made["orgs"], made["users"]
    sco, partner, ccmd = users["sco.bandaria"], users["partner.bandaria"], users["ccmd.planner"]
    school = _school_org(orgs)
    courses = {}
    for row in COURSES:
        # A row holds the catalog's columns in their order (Course.catalog_fields), as an import
        # file does; all but the E-IMET audience, which follows from the certification below.
        course = Course(**dict(zip(Course.catalog_fields, row, strict=False)), owner_org=school)
        course.length_weeks = Decimal(course.length_weeks)
        course.eimet_audience = "both" if course.eimet_certified_on else ""
        cid = course.course_id
        course.marking = Marking.parse("UNCLASSIFIED")
        courses[cid] = core.system_create(course, reason="demo data")
        program, tuition, tla = COSTS[cid]
        for fy in (2026, 2027, 2028, 2029):
            cost = actions.CourseCost(
                course=courses[cid],
                program=program,
                fiscal_year=fy,
                tuition=Decimal(tuition),
                travel_living=Decimal(tla),
            )
            cost.marking = Marking.parse("UNCLASSIFIED")
            core.system_create(cost, reason="demo data")

    plan = TrainingPlan(
        country_id="XBN",
        owner_org=orgs["sco"],
        title=PLAN_TITLE,
        first_fy=2026,
        last_fy=2029,
        notes="Prior/assessment year FY2026, current FY2027, budget FY2028, planning FY2029 (R-TRN-01).",
    )
    plan.marking = Marking.parse("CUI")
    actions.create_plan(sco, plan)
    for program, fy, amount in ALLOCATIONS:
        actions.set_allocation(sco, plan, program, fy, Decimal(amount))
    cetpp = Cetpp(
        plan=plan,
        fiscal_year=2027,
        notes="Drafted with the Bandaria MoD training directorate; for the AFRICOM SCETWG.",
    )
    cetpp.marking = Marking.parse("CUI")
    actions.create_cetpp(sco, cetpp)
    training_case = _training_case(users["case.manager"], orgs["usasac"])
    solic = users["osd.solic"]  # OSD/SOLIC approves RDFP nominations (R-TRN-03)
    lines = {}
    for fy, cid, program, seats, priority in LINES:
        _, tuition, tla = COSTS[cid]
        line = CetppLine(
            cetpp=cetpp,
            fiscal_year=fy,
            program=program,
            course=courses[cid],
            seats=seats,
            tuition=Decimal(tuition),
            travel_living=Decimal(tla),
            priority=ImetPriority.objects.get(code=priority) if priority else None,
            case=training_case if program == Program.FMS and fy == 2027 else None,
            funding=Funding.FMF if program == Program.FMS else "",
        )
        line.marking = Marking.parse("CUI")
        lines[(fy, cid)] = actions.add_line(sco, line)

    def nominate(
        who,
        given,
        family,
        rank,
        unit,
        cid,
        program,
        start,
        end,
        *,
        career=True,
        fy=2027,
        alternate_for=None,
        position="",
        accompanied=False,
    ):
        student = Student(
            country_id="XBN",
            owner_org=orgs["sco"],
            given_name=given,
            family_name=family,
            rank=rank,
            service="Bandaria Army",
            unit=unit,
            current_position=position,
            career_personnel=career,
            potential="Brigade command, general staff" if career else "",
            course=courses[cid],
            program=program,
            cetpp_line=lines.get((fy, cid)),
            class_start=start,
            class_end=end,
            alternate_for=alternate_for,
            accompanied=accompanied,
        )
        student.marking = Marking.parse(REL)
        return actions.nominate(who, student)

    def clear(student, *, medical, ecl, vet_on=None, screen_on=None):
        vet_on = vet_on or medical - dt.timedelta(days=20)
        screen_on = screen_on or medical - dt.timedelta(days=10)
        actions.record_ecl(sco, student, ecl, medical - dt.timedelta(days=20))
        actions.record_prerequisites(sco, student, True, "Confirmed from the personnel record")
        actions.record_medical(sco, student, medical, medical, medical)
        for subject in ("student", "unit"):
            v = actions.request_vetting(
                sco,
                student,
                subject,
                requested_on=vet_on - dt.timedelta(days=40),
                reference=f"INV-{student.pk}-{subject}",
            )
            actions.record_vetting_result(sco, v, "approved", completed_on=vet_on)
        for kind in ("rso", "dea", "consular"):
            actions.record_screening(sco, student, kind, "cleared", completed_on=screen_on)

    # 1. Just nominated by the partner.
    nominate(
        partner,
        "Aline",
        "Moreau",
        "1st Lt.",
        "3rd Infantry Battalion",
        "B171100",
        Program.IMET,
        D(2027, 4, 12),
        D(2027, 9, 10),
    )
    # 2. In screening; the ITO is refused (unit vetting open, medical too old, ECL below the minimum); time is short.
    halvik = nominate(
        sco,
        "Joren",
        "Halvik",
        "Capt.",
        "12th Border Brigade",
        "B171100",
        Program.IMET,
        D(2026, 12, 14),
        D(2027, 5, 14),
    )
    actions.record_ecl(sco, halvik, 74, D(2026, 6, 2))
    actions.record_prerequisites(sco, halvik, True)
    actions.record_medical(sco, halvik, D(2026, 7, 20), D(2026, 7, 20), None)
    v = actions.request_vetting(
        sco, halvik, "student", requested_on=D(2026, 9, 1), reference="INV-HALVIK-S"
    )
    actions.record_vetting_result(sco, v, "approved", completed_on=D(2026, 10, 20))
    actions.request_vetting(sco, halvik, "unit", requested_on=D(2026, 10, 1), reference="INV-12BB")
    actions.record_screening(sco, halvik, "rso", "cleared", completed_on=D(2026, 10, 5))
    actions.record_screening(sco, halvik, "dea", "pending")
    # The refusal the demo shows: the student page lists every missing item with its rule id.
    with contextlib.suppress(actions.Refused):
        actions.issue_ito(sco, [halvik], on=D(2026, 11, 20))
    # 2a. A vetted alternate for Halvik (R-TRN-06).
    alt = nominate(
        sco,
        "Tarek",
        "Lindqvist",
        "Capt.",
        "4th Mechanized Battalion",
        "B171100",
        Program.IMET,
        D(2026, 12, 14),
        D(2027, 5, 14),
        alternate_for=halvik,
    )
    clear(alt, medical=D(2026, 11, 2), ecl=82)
    # 3. Cleared, waiting for the ITO.
    durand = nominate(
        sco,
        "Sela",
        "Durand",
        "Maj.",
        "Joint Staff J7",
        "D309001",
        Program.EIMET,
        D(2027, 2, 8),
        D(2027, 2, 26),
    )
    clear(durand, medical=D(2026, 11, 10), ecl=78)
    # 4. ITO issued; the arrival notice (accompanied: 30 days) is overdue.
    ondra = nominate(
        sco,
        "Piet",
        "Ondra",
        "Lt. Col.",
        "Naval Staff",
        "P179054",
        Program.IMET,
        D(2027, 1, 4),
        D(2027, 11, 12),
        accompanied=True,
    )
    clear(ondra, medical=D(2026, 9, 15), ecl=88)
    actions.issue_ito(sco, [ondra], on=D(2026, 11, 2))
    actions.create_arrival_notice(
        sco,
        ArrivalNotice(
            student=ondra,
            installation="Naval Station Newport, International Programs Office",
            eta=D(2026, 12, 10),
            accompanied=True,
            travel_mode="air",
            flight="ET 500 / UA 1021",
            dependents=3,
            children_ages="6, 9",
        ),
    )
    # 5. In training: ITO, arrival notice sent on time, pre-departure briefing.
    kessel = nominate(
        sco,
        "Mira",
        "Kessel",
        "Capt.",
        "Coastal Squadron",
        "B123456",
        Program.FMS,
        D(2026, 10, 5),
        D(2026, 11, 27),
        career=True,
        fy=2027,
    )
    clear(kessel, medical=D(2026, 7, 1), ecl=70, vet_on=D(2026, 6, 1), screen_on=D(2026, 6, 15))
    actions.issue_ito(sco, [kessel], on=D(2026, 9, 1))
    notice = actions.create_arrival_notice(
        sco,
        ArrivalNotice(
            student=kessel,
            installation="USCG Training Center Yorktown",
            eta=D(2026, 10, 3),
            travel_mode="air",
            flight="ET 508",
        ),
    )
    actions.send_arrival_notice(sco, notice, sent_on=D(2026, 9, 8))
    actions.record_after(
        sco,
        kessel,
        "pre_departure",
        on=D(2026, 9, 25),
        notes="Briefed on the course, the installation and U.S. law.",
    )
    actions.transition_student(sco, kessel, "start")
    # 6. Graduated: interview, academic report, post-training use, positions for FY2026 and FY2027 (R-TRN-11).
    voss = nominate(
        sco,
        "Ander",
        "Voss",
        "Col.",
        "Army Staff",
        "D300040",
        Program.RDFP,
        D(2024, 8, 5),
        D(2025, 6, 6),
        fy=0,
    )
    clear(voss, medical=D(2024, 6, 1), ecl=90, vet_on=D(2024, 5, 1), screen_on=D(2024, 5, 10))
    actions.forward_rdfp(ccmd, voss, on=D(2024, 4, 15))
    actions.record_rdfp_approval(solic, voss, on=D(2024, 5, 20))
    actions.issue_ito(sco, [voss], on=D(2024, 7, 1))
    actions.record_after(sco, voss, "pre_departure", on=D(2024, 7, 20))
    actions.transition_student(sco, voss, "start")
    actions.transition_student(sco, voss, "graduate")
    actions.record_after(
        sco, voss, "interview", on=D(2025, 6, 20), notes="Will lead the new counterterrorism cell."
    )
    actions.record_after(
        sco, voss, "academic", on=D(2025, 7, 1), notes="Academic report delivered to the MoD."
    )
    actions.record_after(
        sco,
        voss,
        "use",
        on=D(2025, 9, 1),
        notes="Set up the Army Staff counterterrorism planning cell.",
    )
    actions.record_position(
        sco,
        voss,
        fiscal_year=2026,
        position="Chief, counterterrorism planning cell, Army Staff",
        prominent=False,
    )
    actions.record_position(
        sco,
        voss,
        fiscal_year=2027,
        position="Deputy Chief of the Army Staff for Operations",
        prominent=True,
    )
    # 6a. A Regional Defense Fellowship nominee the CCMD has yet to forward to OSD/SOLIC (R-TRN-03).
    orsk = nominate(
        sco,
        "Nadia",
        "Orsk",
        "Maj.",
        "Counterterrorism Directorate",
        "D300040",
        Program.RDFP,
        D(2027, 8, 2),
        D(2028, 6, 9),
        fy=2028,
    )
    actions.record_ecl(sco, orsk, 84, D(2026, 10, 12))
    # 7. Withdrawn.
    brand = nominate(
        sco,
        "Ilse",
        "Brandt",
        "2nd Lt.",
        "3rd Infantry Battalion",
        "D177010",
        Program.IMET,
        D(2027, 3, 1),
        D(2027, 7, 16),
    )
    actions.transition_student(sco, brand, "withdraw", reason="Withdrawn by the MoD: reassigned.")

    # The CETPP goes to the CCMD, where it awaits ccmd.planner's review.
    actions.submit_cetpp(sco, cetpp)
