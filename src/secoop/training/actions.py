"""Every training state change (ARCHITECTURE invariant 2): permission, rule check (errors name the
rule and the fix), the write and its change-log entry in one transaction — on core.actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from secoop.cases.models import CaseLine
from secoop.cases.models import FmsCase
from secoop.core import access
from secoop.core import actions as core
from secoop.core.action_reads import visible
from secoop.core.clock import acting_today as _today
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import Country
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.models.organizations import OrganizationKind
from secoop.core.permissions import Approval
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.rules import Audience
from secoop.core.rules import Role
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import refuse_if

from . import facts
from . import findings
from . import rules
from .findings import with_related
from .models import AfterTraining
from .models import Allocation
from .models import ArrivalNotice
from .models import Cetpp
from .models import CetppLine
from .models import Course
from .models import CourseCost
from .models import GraduatePosition
from .models import ImetPriority
from .models import Ito
from .models import Readiness
from .models import ScreeningCheck
from .models import Student
from .models import StudentStatus
from .models import TrainingPlan
from .models import TrainingSettings
from .models import Vetting
from .models import VettingSubject
from .models import Waiver
from .rules import Program

# Who acts in training (SPEC §1; ARCHITECTURE invariant 9). The administrator is not among them
# (R-SEC-11). The SCO's LE assistants enter data (scores, dates, notices, lines) but never attest,
# vet, screen, issue ITOs or record approvals (R-SEC-02).
CCMD_ROLES = Role.CCMD
COURSE_WRITERS = Role.SCO_CLERICAL | {Role.DSCA_STAFF}  # the catalog: DSCA's schools and the SCOs
# OSD/SOLIC approves RDFP nominations (R-TRN-03): its own users record the approval (issue 14.7).
RDFP_APPROVERS = frozenset({Role.OSD_POLICY})


@not_an_action("the roles a user holds, for the checks below")
def roles_of(user: User) -> set[str]:
    """The roles the user holds anywhere, from their cached access profile (core.access)."""
    profile = access.profile_for(user) if user and user.pk else None
    return {role for _path, role in profile.roles_by_path} if profile else set()


# --- courses and the catalog import -------------------------------------------------------------


@acts(COURSE_WRITERS, what="enter a course")
def create_course(user: User, course: Course, *, reason: str = "") -> Course:
    return core.create_record(user, course, reason=reason)


@acts(COURSE_WRITERS, what="change a course")
def update_course(user: User, course: Course, changes: dict, *, reason: str = "") -> Course:
    return core.update_record(user, course, changes, reason=reason)


@acts(COURSE_WRITERS, what="set a course cost")
def set_course_cost(
    user: User,
    course: Course,
    program: str,
    fiscal_year: int,
    tuition: Decimal,
    travel_living: Decimal,
) -> CourseCost:
    # One cost per course, program and fiscal year: a second entry changes the amounts.
    key = {"course": course, "program": program, "fiscal_year": fiscal_year}
    amounts = {"tuition": tuition, "travel_living": travel_living}
    existing = CourseCost.objects.editable_by(user).filter(**key).first()
    if existing:
        return core.update_record(user, existing, amounts)
    cost = CourseCost(**key, **amounts)
    cost.marking = course.marking
    return core.create_record(user, cost)


IMPORT_COLUMNS = [*Course.catalog_fields, *CourseCost.cost_fields]
REQUIRED_COLUMNS = ["course_id", "title", "school", "length_weeks"]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    costs: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the file, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(data: bytes, filename: str) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise Refused(
                Finding(
                    "",
                    f"the file is not a readable XLSX workbook ({type(exc).__name__}). Save it again as .xlsx or as CSV.",
                    field="file",
                )
            ) from None
        ws = wb.worksheets[0]
        return [
            [
                "" if c is None else (c.isoformat()[:10] if hasattr(c, "isoformat") else str(c))
                for c in row
            ]
            for row in ws.iter_rows(values_only=True)
        ]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refused(
                Finding("", "the CSV file is not UTF-8 text: save it as 'CSV UTF-8'.", field="file")
            ) from None
        return list(csv.reader(io.StringIO(text)))
    raise Refused(Finding("", "import a .csv or .xlsx file.", field="file"))


def _parse_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


@acts(COURSE_WRITERS, what="import the course catalog")
def import_courses(
    user: User,
    data: bytes,
    filename: str,
    *,
    owner_org: Organization,
    marking: str = "UNCLASSIFIED",
) -> ImportReport:
    """Courses (and their cost per program and year) from CSV/XLSX: every row or none. Rows with the
    same course_id add cost lines. The report names each bad row and what is wrong."""
    report = ImportReport()
    rows = [r for r in _read_rows(data, filename) if any(str(c).strip() for c in r)]
    if not rows:
        raise Refused(
            Finding(
                "",
                "the file is empty: the first row names the columns "
                + ", ".join(IMPORT_COLUMNS)
                + ".",
                field="file",
            )
        )
    header = [str(h).strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise Refused(
            Finding(
                "",
                f"the header lacks the column(s) {', '.join(missing)}; expected {', '.join(IMPORT_COLUMNS)}.",
                field="file",
            )
        )
    marking_obj = core.check_marking(marking)
    existing = {c.course_id: c for c in Course.objects.editable_by(user)}
    seen_hidden = set(
        Course.objects.system()
        .exclude(pk__in=[c.pk for c in existing.values()])
        .values_list("course_id", flat=True)
    )
    plans: list[tuple[dict, dict | None]] = []
    for number, raw in enumerate(rows[1:], start=2):
        report.rows += 1
        row = {h: (str(raw[i]).strip() if i < len(raw) else "") for i, h in enumerate(header)}
        problems = [f"{c} is empty" for c in REQUIRED_COLUMNS if not row.get(c)]
        values: dict = {}
        cost = None
        try:
            if row.get("length_weeks"):
                values["length_weeks"] = Decimal(row["length_weeks"])
                if values["length_weeks"] <= 0:
                    problems.append("length_weeks must be more than 0")
            values["min_ecl"] = int(row["min_ecl"]) if row.get("min_ecl") else None
            if values["min_ecl"] is not None and not 0 <= values["min_ecl"] <= 100:
                problems.append("min_ecl must be 0–100 (R-TRN-04)")
            values["eimet_certified_on"] = _parse_date(row.get("eimet_certified_on", ""))
        except (InvalidOperation, ValueError):
            problems.append(
                "length_weeks, min_ecl or eimet_certified_on is not a number/date (dates as YYYY-MM-DD)"
            )
        audience = row.get("eimet_audience", "")
        if audience and audience not in ("military", "civilian", "both"):
            problems.append("eimet_audience must be military, civilian or both")
        if row.get("program"):
            if row["program"] not in Program.LABELS:
                problems.append(f"program must be one of {', '.join(Program.LABELS)}")
            try:
                cost = {
                    "program": row["program"],
                    "fiscal_year": int(row.get("fiscal_year") or 0),
                    "tuition": Decimal(row.get("tuition") or "x"),
                    "travel_living": Decimal(row.get("travel_living") or "0"),
                }
                if not 2000 <= cost["fiscal_year"] <= 2100:
                    problems.append("fiscal_year must be a year such as 2027")
                if cost["tuition"] < 0 or cost["travel_living"] < 0:
                    problems.append("costs cannot be negative")
            except (InvalidOperation, ValueError):
                problems.append(
                    "a cost line needs fiscal_year, tuition (USD) and travel_living as numbers"
                )
        if row.get("course_id") in seen_hidden:
            problems.append(f"course {row['course_id']} exists and is not yours to change")
        if problems:
            report.errors.append((number, "; ".join(problems)))
            continue
        values.update(
            {
                k: row.get(k, "")
                for k in ("course_id", "title", "school", "location", "prerequisites")
            }
        )
        values["eimet_audience"] = audience
        plans.append((values, cost))
    if report.errors:
        return report
    with transaction.atomic():
        made: dict[str, Course] = {}
        for values, cost in plans:
            cid = values["course_id"]
            course = made.get(cid) or existing.get(cid)
            try:
                if course is None:
                    course = Course(owner_org=owner_org, **values)
                    course.marking = marking_obj
                    create_course(user, course, reason=f"imported from {filename}")
                    report.created += 1
                elif cid not in made:
                    update_course(
                        user,
                        course,
                        {k: v for k, v in values.items() if k != "course_id"},
                        reason=f"imported from {filename}",
                    )
                    report.updated += 1
                made[cid] = course
                if cost:
                    set_course_cost(user, course, **cost)
                    report.costs += 1
            except ValidationError as exc:
                report.errors.append((0, f"{cid}: " + "; ".join(exc.messages)))
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = report.costs = 0
    return report


# --- plans, allocations, CETPPs ---------------------------------------------------------------------


@acts(Role.SCO_CLERICAL, what="start a training plan")
def create_plan(user: User, plan: TrainingPlan, *, reason: str = "") -> TrainingPlan:
    refuse_if(rules.plan_period_problem(plan.first_fy, plan.last_fy), "last_fy")
    return core.create_record(user, plan, reason=reason)


@acts(Role.SCO, what="record an allocation")
def set_allocation(
    user: User,
    plan: TrainingPlan,
    program: str,
    fiscal_year: int,
    amount: Decimal,
    *,
    reason: str = "",
) -> Allocation:
    refuse_if(rules.line_year_problem(fiscal_year, plan.first_fy, plan.last_fy), "fiscal_year")
    if program == Program.EIMET:
        refuse_if(
            Finding(
                "R-TRN-03",
                "E-IMET is a part of the IMET allocation, not an allocation of its own.",
                "Record the allocation under IMET.",
            ),
            "program",
        )
    existing = (
        Allocation.objects.editable_by(user)
        .filter(plan=plan, program=program, fiscal_year=fiscal_year)
        .first()
    )
    if existing:
        return core.update_record(user, existing, {"amount": amount}, reason=reason)
    allocation = Allocation(plan=plan, program=program, fiscal_year=fiscal_year, amount=amount)
    allocation.marking = plan.marking
    return core.create_record(user, allocation, reason=reason)


@acts(Role.SCO_CLERICAL, what="start a CETPP")
def create_cetpp(user: User, cetpp: Cetpp, *, reason: str = "") -> Cetpp:
    plan = cetpp.plan
    refuse_if(
        rules.cetpp_year_problem(cetpp.fiscal_year, plan.first_fy, plan.last_fy), "fiscal_year"
    )
    if Cetpp.objects.system().filter(plan=plan, fiscal_year=cetpp.fiscal_year).exists():
        refuse_if(
            Finding(
                "R-TRN-02",
                f"the plan already has a CETPP for FY{cetpp.fiscal_year}: the CETPP is annual.",
                "Open that CETPP, or start the next year's.",
            ),
            "fiscal_year",
        )
    return core.create_record(user, cetpp, reason=reason)


def _line_checks(cetpp: Cetpp, line: CetppLine, user: User | None = None) -> None:
    plan = cetpp.plan
    refuse_if(rules.line_year_problem(line.fiscal_year, plan.first_fy, plan.last_fy), "fiscal_year")
    priority = (
        ImetPriority.objects.filter(pk=line.priority_id).first() if line.priority_id else None
    )
    refuse_if(
        rules.priority_problem(
            line.program,
            priority.code if priority else None,
            priority.active if priority else True,
        ),
        "priority",
    )
    case = None
    if line.case_id is not None:
        case = (
            (FmsCase.objects.visible_to(user) if user else FmsCase.objects.system())
            .filter(pk=line.case_id)
            .first()
        )
        if case is None:
            refuse_if(
                Finding("R-TRN-03", "no such FMS case.", "Choose one of the partner's cases."),
                "case",
            )
    refuse_if(
        rules.fms_case_problem(
            line.program,
            case.loa_type if case else None,
            case.category if case else None,
            case.country_id if case else None,
            plan.country_id,
            case.identifier if case else "",
        ),
        "case",
    )
    refuse_if(
        rules.eimet_problem(
            line.program,
            line.course.eimet_certified_on,
            rules.fy_start(line.fiscal_year),
            facts.whole(facts.EIMET_RECERT),
        ),
        "program",
    )


@acts(Role.SCO_CLERICAL, what="add a CETPP line")
def add_line(user: User, line: CetppLine, *, reason: str = "") -> CetppLine:
    cetpp = line.cetpp
    refuse_if(rules.line_edit_problem(False, cetpp.status))
    _line_checks(cetpp, line, user)
    if line.program == Program.FMS and line.case_id and not line.funding:
        line.funding = _case_funding(line.case_id)
    return core.create_record(user, line, reason=reason)


def _case_funding(case_id: int) -> str:
    """An FMS line's funding when it names none: FMF when the case holds FMF-funded lines or an FMF
    baseline (the case's own record of who pays), else unknown (R-TRN-06)."""
    case = FmsCase.objects.system().filter(pk=case_id).first()
    if case is None:
        return ""
    fmf = (
        case.fmf_baseline is not None
        or CaseLine.objects.system().filter(case_id=case_id, fmf_funded=True).exists()
    )
    return rules.Funding.FMF if fmf else ""


@acts(Role.SCO_CLERICAL, what="change a CETPP line")
def update_line(user: User, line: CetppLine, changes: dict, *, reason: str = "") -> CetppLine:
    refuse_if(rules.line_edit_problem(line.fixed, line.cetpp.status))
    probe = CetppLine(**{f.attname: getattr(line, f.attname) for f in line._meta.concrete_fields})
    for k, v in changes.items():
        if k != "marking":
            setattr(probe, k, v)
    _line_checks(line.cetpp, probe, user)
    return core.update_record(user, line, changes, reason=reason)


def _graduates(country: str) -> list[tuple[int, str, set[int]]]:
    grads = Student.objects.system().filter(country_id=country, status=StudentStatus.GRADUATED)
    years: dict[int, set[int]] = {}
    for sid, fy in (
        GraduatePosition.objects.system()
        .filter(student__in=grads)
        .values_list("student_id", "fiscal_year")
    ):
        years.setdefault(sid, set()).add(fy)
    return [(g.pk, str(g), years.get(g.pk, set())) for g in grads]


def cetpp_findings(cetpp: Cetpp) -> list[Finding]:
    """What stops a CETPP going to the CCMD: lines, budget (R-TRN-03), graduates' positions (R-TRN-11)."""
    out: list[Finding] = []
    lines = list(CetppLine.objects.system().filter(cetpp=cetpp))
    years = {ln.fiscal_year for ln in lines}
    for fy in (cetpp.fiscal_year + 1, cetpp.fiscal_year + 2):
        if fy not in years:
            out.append(
                Finding(
                    "R-TRN-02",
                    f"no lines for FY{fy} ({rules.year_role(fy, cetpp.fiscal_year).lower()}).",
                    "Add the courses planned for that year.",
                )
            )
    allocations = (
        Allocation.objects.system()
        .filter(plan_id=cetpp.plan_id)
        .values_list("program", "fiscal_year", "amount")
    )
    out += rules.budget_findings(
        rules.budget([(ln.program, ln.fiscal_year, ln.cost) for ln in lines], allocations)
    )
    out += rules.positions_missing(_graduates(cetpp.country_value()), cetpp.fiscal_year)
    return out


def _cetpp_transition(
    user: User, cetpp: Cetpp, transition: str, changes: dict, reason: str = ""
) -> Cetpp:
    refuse_if(rules.cetpp_transition_problem(cetpp.status, transition))
    to = rules.CETPP_TRANSITIONS.target(transition)
    return core.update_record(
        user, cetpp, {"status": to, **changes}, reason=reason, transition=transition
    )


def ccmd_of(country: str) -> Organization | None:
    """The geographic combatant command whose area holds the country (its J5 reviews the CETPP)."""
    ccmd = Country.objects.filter(pk=country).values_list("ccmd", flat=True).first()
    if not ccmd:
        return None
    return (
        Organization.objects.system()
        .filter(kind=OrganizationKind.CCMD, ccmd=ccmd)
        .order_by("pk")
        .first()
    )


@acts(Role.SCO, what="submit a CETPP to the CCMD (R-TRN-02)")
def submit_cetpp(user: User, cetpp: Cetpp, *, reason: str = "") -> Cetpp:
    refuse_if(cetpp_findings(cetpp))
    with transaction.atomic():
        done = _cetpp_transition(user, cetpp, "submit", {"submitted_on": _today(user)}, reason)
        core.notify(
            user,
            done,
            [ccmd_of(done.plan.country_id)],
            f"{done} submitted for CCMD review",
            rule="R-TRN-02",
            body="The SCO submitted the CETPP. Review it and approve it, or return it with a comment.",
        )
    return done


def _require_ccmd(user: User, what: str) -> None:
    if not roles_of(user) & CCMD_ROLES:
        raise NotPermitted(
            f"Only the combatant command (a CCMD planner or country desk officer) can {what} (R-TRN-02)."
        )


def _reviewed(user: User, cetpp: Cetpp, transition: str, comment: str, subject: str) -> Cetpp:
    with transaction.atomic():
        done = _cetpp_transition(
            user,
            cetpp,
            transition,
            {"reviewed_on": _today(user), "reviewed_by": user, "review_comment": comment},
            comment,
        )
        owner = Organization.objects.system().filter(pk=done.plan.owner_org_id).first()
        core.notify(
            user, done, [owner], f"{done} {subject} by the CCMD", rule="R-TRN-02", body=comment
        )
    return done


@acts(CCMD_ROLES, what="approve a CETPP (R-TRN-02)", approves=Approval("CETPP"))
def approve_cetpp(user: User, cetpp: Cetpp, *, comment: str = "") -> Cetpp:
    _require_ccmd(user, "approve a CETPP")
    return _reviewed(user, cetpp, "approve", comment, "approved")


@acts(CCMD_ROLES, what="return a CETPP (R-TRN-02)")
def return_cetpp(user: User, cetpp: Cetpp, *, comment: str) -> Cetpp:
    _require_ccmd(user, "return a CETPP")
    if not comment.strip():
        refuse_if(
            Finding("R-TRN-02", "say what the SCO should change.", "Write the review comment."),
            "comment",
        )
    return _reviewed(user, cetpp, "return", comment, "returned")


@acts(Role.SCO, what="finalize a CETPP at the SCETWG")
def finalize_cetpp(user: User, cetpp: Cetpp, *, on: dt.date | None = None) -> Cetpp:
    """At the SCETWG: the current-year selections become fixed."""
    on = on or _today(user)
    with transaction.atomic():
        result = _cetpp_transition(
            user, cetpp, "finalize", {"finalized_on": on}, "finalized at the SCETWG"
        )
        for line in CetppLine.objects.system().filter(
            cetpp=cetpp, fiscal_year=cetpp.fiscal_year, fixed=False
        ):
            core.update_record(
                user,
                line,
                {"fixed": True},
                transition="fix",
                reason="current-year selection finalized at the SCETWG",
            )
    return result


# --- students -------------------------------------------------------------------------------------


def sco_of(country: str) -> Organization | None:
    return (
        Organization.objects.system()
        .filter(kind=OrganizationKind.SCO, country_id=country)
        .order_by("pk")
        .first()
    )


def course_by_code(code: str) -> Course:
    """The catalog course with this ID (partners name courses by ID; they do not read the catalog)."""
    course = Course.objects.system().filter(course_id=code.strip().upper()).first()
    if course is None:
        refuse_if(
            Finding(
                "R-TRN-04",
                f"no course {code.strip()!r} in the catalog.",
                "Check the course ID with the SCO.",
            ),
            "course",
        )
    return course


@acts(Role.SCO_CLERICAL | Role.PURCHASER, what="nominate a student")
def nominate(user: User, student: Student, *, reason: str = "") -> Student:
    """Nominate a student for a course (SCO or partner). A partner's nominee is managed by the SCO
    of their country and released to them (REL TO USA, their country)."""
    refuse_if(
        rules.nomination_problem(student.program, student.career_personnel), "career_personnel"
    )
    refuse_if(rules.date_order_problem(student.class_start, student.class_end), "class_end")
    course = student.course
    student.course_title = f"{course.course_id} {course.title}"[:330]
    student.nominated_on = _today(user)
    student.status = StudentStatus.NOMINATED
    profile = access.profile_for(user)
    if profile is not None and profile.person.audience == Audience.PARTNER:
        country = profile.person.partner_country
        if not profile.write_paths or country is None:
            raise NotPermitted("Nominating takes a partner representative's role in your ministry.")
        if student.country_id != country:
            refuse_if(
                Finding(
                    "R-SEC-03",
                    "you can nominate students of your own country only.",
                    f"Choose {country}.",
                ),
                "country",
            )
        sco = sco_of(country)
        if sco is None:
            raise Refused(
                Finding("", "no security cooperation office manages students of your country.")
            )
        student.owner_org = sco
        student.marking = Marking.parse(f"CUI//REL TO USA, {country}")
        core.check_marking(student.marking)
        student.full_clean()
        with transaction.atomic():
            student.save()
            core.log_change(
                user,
                student,
                ChangeAction.CREATE,
                None,
                core.snapshot(student),
                reason or "nominated by the partner",
            )
            core.notify(
                user,
                student,
                [sco],
                f"{student} nominated for {student.course_title}",
                rule="R-TRN-13",
                body="The partner nominated a student: check the selection, then start the screening.",
            )
        return student
    return core.create_record(user, student, reason=reason)


def _student_update(
    user: User, student: Student, changes: dict, reason: str = "", transition: str = ""
) -> Student:
    if student.status in (StudentStatus.WITHDRAWN,):
        refuse_if(
            Finding("", "the student was withdrawn.", "Nominate the student again if they return.")
        )
    return core.update_record(user, student, changes, reason=reason, transition=transition)


def _into_screening(user: User, student: Student) -> None:
    if rules.STUDENT.allows("screen", student.status):
        _student_update(
            user,
            student,
            {"status": StudentStatus.SCREENING},
            transition="screen",
            reason="screening started",
        )


def _readiness(user: User, student: Student, changes: dict) -> Readiness:
    existing = Readiness.objects.editable_by(user).filter(student=student).first()
    if existing is not None:
        return core.update_record(user, existing, changes)
    if Readiness.objects.system().filter(student=student).exists():
        raise NotPermitted(
            "You cannot change this student's readiness record: it is not yours to edit."
        )
    record = Readiness(**changes)
    record.marking = (
        student.marking
    )  # whoever may see the student in the U.S. team may help with it
    record.student = student
    return core.create_record(user, record)


@acts(Role.SCO_CLERICAL, what="record an ECL score")
def record_ecl(user: User, student: Student, score: int, tested_on: dt.date) -> Readiness:
    if not 0 <= int(score) <= 100:
        refuse_if(
            Finding(
                "R-TRN-04",
                f"an ECL score is 0–100, not {score}.",
                "Enter the score from the test report.",
            ),
            "ecl_score",
        )
    if tested_on > _today(user):
        refuse_if(
            Finding(
                "R-TRN-04", "the test date is in the future.", "Enter the day the test was taken."
            ),
            "ecl_tested_on",
        )
    with transaction.atomic():
        _into_screening(user, student)
        return _readiness(user, student, {"ecl_score": int(score), "ecl_tested_on": tested_on})


@acts(Role.SCO, what="attest that a student meets the prerequisites")
def record_prerequisites(user: User, student: Student, met: bool, note: str = "") -> Readiness:
    with transaction.atomic():
        _into_screening(user, student)
        return _readiness(user, student, {"prerequisites_met": met, "prerequisites_note": note})


@acts(Role.SCO_CLERICAL, what="record medical statement dates")
def record_medical(
    user: User,
    student: Student,
    statement_on: dt.date,
    medical_form_on: dt.date | None = None,
    dental_form_on: dt.date | None = None,
) -> Readiness:
    today = _today(user)
    if statement_on is None:
        refuse_if(
            Finding(
                "R-TRN-05", "enter the date of the signed medical statement.", "Enter the date."
            ),
            "medical_statement_on",
        )
    for name, day in (
        ("medical_statement_on", statement_on),
        ("medical_form_on", medical_form_on),
        ("dental_form_on", dental_form_on),
    ):
        if day and day > today:
            refuse_if(
                Finding(
                    "R-TRN-05",
                    "the date is in the future.",
                    "Enter the date on the signed document.",
                ),
                name,
            )
    with transaction.atomic():
        _into_screening(user, student)
        return _readiness(
            user,
            student,
            {
                "medical_statement_on": statement_on,
                "medical_form_on": medical_form_on,
                "dental_form_on": dental_form_on,
            },
        )


@acts(CCMD_ROLES, what="forward an RDFP nomination to OSD/SOLIC (R-TRN-03)")
def forward_rdfp(user: User, student: Student, *, on: dt.date | None = None) -> Readiness:
    """R-TRN-03: the CCMD endorses a Regional Defense Fellowship nomination and forwards it to OSD/SOLIC."""
    if student.program != Program.RDFP:
        refuse_if(
            Finding(
                "R-TRN-03",
                "only Regional Defense Fellowship nominations go to OSD/SOLIC.",
                "Check the student's program.",
            ),
            "program",
        )
    if not roles_of(user) & CCMD_ROLES:
        raise NotPermitted(
            "Only the combatant command forwards RDFP nominations to OSD/SOLIC (R-TRN-03)."
        )
    return _readiness(user, student, {"rdfp_forwarded_on": on or _today(user)})


def _in_osd(user: User) -> bool:
    return user.memberships.filter(
        organization__kind=OrganizationKind.OSD, role__in=RDFP_APPROVERS
    ).exists()


@acts(
    RDFP_APPROVERS,
    what="record an OSD/SOLIC RDFP approval (R-TRN-03)",
    approves=Approval("nomination"),
)
def record_rdfp_approval(user: User, student: Student, *, on: dt.date | None = None) -> Readiness:
    """R-TRN-03: OSD/SOLIC approves a Regional Defense Fellowship nomination the CCMD forwarded.
    The approval is written by OSD/SOLIC's own user into the student's readiness record (which
    the SCO owns: like a partner's nomination, the rule names who writes it), change-logged under
    that user, and the SCO is told."""
    if not _in_osd(user):
        raise NotPermitted(
            "Only OSD/SOLIC approves a Regional Defense Fellowship nomination (R-TRN-03); the SCO "
            "and the CCMD see the approval once it is recorded."
        )
    visible(user, student, "You cannot see this student.")
    current = Readiness.objects.system().filter(student=student).first()
    if current is None or current.rdfp_forwarded_on is None:
        refuse_if(
            Finding(
                "R-TRN-03",
                "the nomination was not forwarded to OSD/SOLIC.",
                "The CCMD forwards it first.",
            ),
            "rdfp_approved_on",
        )
    on = on or _today(user)
    if on < current.rdfp_forwarded_on:
        refuse_if(
            Finding("R-TRN-03", "the approval cannot precede the forwarding.", "Correct the date."),
            "rdfp_approved_on",
        )
    if current.rdfp_approved_on is not None:
        refuse_if(
            Finding(
                "R-TRN-03",
                f"OSD/SOLIC approved the nomination on {rules.fmt(current.rdfp_approved_on)}.",
                "Nothing to do.",
            ),
            "rdfp_approved_on",
        )
    with transaction.atomic():
        record = Readiness.objects.system().select_for_update().get(pk=current.pk)
        before = core.snapshot(record)
        record.rdfp_approved_on = on
        record.full_clean()
        record.save()
        core.log_change(
            user,
            record,
            ChangeAction.TRANSITION,
            before,
            core.snapshot(record),
            "RDFP nomination approved by OSD/SOLIC (R-TRN-03)",
            "rdfp_approve",
        )
        owner = Organization.objects.system().filter(pk=student.owner_org_id).first()
        core.notify(
            user,
            student,
            [owner],
            f"RDFP nomination of {student} approved by OSD/SOLIC",
            rule="R-TRN-03",
            body="OSD/SOLIC approved the Regional Defense Fellowship nomination: the ITO may follow "
            "once the other steps are complete.",
        )
    return record


def cetpp_advisories(cetpp: Cetpp) -> list[Finding]:
    """Not blocking: FMS lines without a (blanket order) case (R-TRN-03)."""
    return [
        f
        for ln in CetppLine.objects.system().filter(cetpp=cetpp)
        if (f := rules.fms_case_advisory(ln.program, ln.case_id is not None))
    ][:1]


def _child_marking(record, student: Student) -> None:
    if record.classification == 1 and not record.dissemination and not record.rel_to:
        record.marking = Marking.parse("CUI//NOFORN")  # internal: not for the partner (R-SEC-03)
    record.student = student


@acts(Role.SCO, what="request Leahy vetting (R-TRN-06)")
def request_vetting(
    user: User,
    student: Student,
    subject: str,
    *,
    requested_on: dt.date | None = None,
    unit_name: str = "",
    reference: str = "",
    marking: str | None = None,
) -> Vetting:
    vetting = Vetting(
        student=student,
        subject=subject,
        requested_on=requested_on or _today(user),
        reference=reference,
        unit_name=unit_name or (student.unit if subject == VettingSubject.UNIT else ""),
    )
    if marking:
        vetting.marking = marking
    _child_marking(vetting, student)
    with transaction.atomic():
        _into_screening(user, student)
        return core.create_record(user, vetting)


@acts(Role.SCO, what="record a vetting result (R-TRN-06)")
def record_vetting_result(
    user: User,
    vetting: Vetting,
    status: str,
    *,
    completed_on: dt.date | None = None,
    notes: str = "",
) -> Vetting:
    transition = rules.VETTING_RESULTS.get(status)
    if transition is None:
        refuse_if(
            Finding(
                "R-TRN-06",
                f"{status!r} is not a vetting result.",
                "Record one of: " + ", ".join(rules.VETTING_RESULTS) + ".",
            ),
            "status",
        )
    refuse_if(_vetting_step(vetting, transition), "status")
    done = status in ("approved", "denied", "suspended")
    completed_on = completed_on or (_today(user) if done else None)
    if done and completed_on < vetting.requested_on:
        refuse_if(
            Finding(
                "R-TRN-06",
                "the vetting cannot complete before it was requested.",
                "Correct the completion date.",
            ),
            "completed_on",
        )
    return core.update_record(
        user,
        vetting,
        {
            "status": status,
            "completed_on": completed_on if done else None,
            "notes": notes or vetting.notes,
        },
        transition=transition,
    )


def _vetting_step(vetting: Vetting, transition: str) -> Finding | None:
    """The VETTING table's answer, as a finding (R-TRN-06)."""
    problem = rules.VETTING.problem(transition, vetting.status)
    return Finding("R-TRN-06", problem, "") if problem else None


@acts(Role.SCO, what="record that State's system cancelled a vetting request (R-TRN-06)")
def cancel_vetting(
    user: User, vetting: Vetting, *, cancelled_on: dt.date | None = None, notes: str = ""
) -> Vetting:
    """An unresolved request cancelled by State's system: kept, with the day it was cancelled."""
    refuse_if(_vetting_step(vetting, "cancel"), "status")
    cancelled_on = cancelled_on or _today(user)
    if cancelled_on < vetting.requested_on or cancelled_on > _today(user):
        refuse_if(
            Finding(
                "R-TRN-06",
                f"the cancellation date {rules.fmt(cancelled_on)} is before the request "
                f"({rules.fmt(vetting.requested_on)}) or in the future.",
                "Enter the day State's system cancelled the request.",
            ),
            "cancelled_on",
        )
    return core.update_record(
        user,
        vetting,
        {"status": rules.CANCELLED, "cancelled_on": cancelled_on, "notes": notes or vetting.notes},
        transition="cancel",
        reason=notes or "cancelled unresolved by State's vetting system",
    )


@acts(Role.SCO, what="resubmit a cancelled vetting request (R-TRN-06)")
def resubmit_vetting(
    user: User,
    vetting: Vetting,
    *,
    requested_on: dt.date | None = None,
    reference: str = "",
) -> Vetting:
    """A new request with its own dates, naming the cancelled one it replaces (history kept)."""
    refuse_if(_vetting_step(vetting, "resubmit"), "status")
    later = Vetting.objects.system().filter(resubmission_of=vetting).first()
    if later is not None:
        refuse_if(
            Finding(
                "R-TRN-06",
                f"this request was already resubmitted on {rules.fmt(later.requested_on)}.",
                "Follow up the resubmission instead.",
            ),
            "status",
        )
    requested_on = requested_on or _today(user)
    if requested_on < vetting.cancelled_on or requested_on > _today(user):
        refuse_if(
            Finding(
                "R-TRN-06",
                f"a resubmission follows the cancellation of {rules.fmt(vetting.cancelled_on)} "
                "and is not in the future.",
                "Enter the day you resubmitted the request.",
            ),
            "requested_on",
        )
    again = Vetting(
        student_id=vetting.student_id,
        subject=vetting.subject,
        unit_name=vetting.unit_name,
        requested_on=requested_on,
        reference=reference or vetting.reference,
        resubmission_of=vetting,
    )
    again.marking = vetting.marking
    return core.create_record(
        user, again, reason=f"resubmits the request of {rules.fmt(vetting.requested_on)}"
    )


@not_an_action("which SCO's training settings a user keeps")
def settings_office(user: User) -> Organization | None:
    """The security cooperation office whose training settings `user` may set (an SCO role)."""
    membership = (
        user.memberships.filter(organization__kind=OrganizationKind.SCO, role__in=Role.SCO)
        .select_related("organization")
        .order_by("organization_id")
        .first()
        if user and user.pk
        else None
    )
    return membership.organization if membership else None


@acts(Role.SCO, what="set the SCO's training practice (R-TRN-06)")
def set_training_settings(
    user: User,
    org: Organization,
    *,
    alternate_days: int,
    lapse_warning_days: int,
    reason: str = "",
) -> TrainingSettings:
    """The SCO's own numbers where no public source gives one ("time is short")."""
    if org.kind != OrganizationKind.SCO:
        raise NotPermitted("Training settings belong to a security cooperation office.")
    for name, value, top in (
        ("alternate_days", alternate_days, 365),
        ("lapse_warning_days", lapse_warning_days, 60),
    ):
        if not isinstance(value, int) or not 0 <= value <= top:
            refuse_if(
                Finding(
                    "R-TRN-06",
                    f"{name.replace('_', ' ')} is 0–{top} days.",
                    "Enter a number of days.",
                ),
                name,
            )
    values = {"alternate_days": alternate_days, "lapse_warning_days": lapse_warning_days}
    existing = TrainingSettings.objects.editable_by(user).filter(owner_org=org).first()
    if existing is not None:
        return core.update_record(user, existing, values, reason=reason)
    record = TrainingSettings(owner_org=org, **values)
    record.marking = Marking.parse("CUI")
    return core.create_record(user, record, reason=reason)


@acts(Role.SCO, what="record an in-country screening check (R-TRN-07)")
def record_screening(
    user: User,
    student: Student,
    kind: str,
    status: str = "pending",
    *,
    completed_on: dt.date | None = None,
    notes: str = "",
    marking: str | None = None,
) -> ScreeningCheck:
    """Add or update a line of the screening checklist; kept for the retention the fact says (R-TRN-07)."""
    years = facts.whole(facts.SCREENING_RETENTION)
    done_on = completed_on or (_today(user) if status != "pending" else None)
    retain = rules.retention_until(done_on or _today(user), years)
    # One line per RSO, DEA and consular check (updated as it progresses); "other" checks may be several.
    existing = (
        ScreeningCheck.objects.editable_by(user)
        .filter(student=student, kind=kind)
        .exclude(kind="other")
        .first()
    )
    with transaction.atomic():
        _into_screening(user, student)
        if existing:
            return core.update_record(
                user,
                existing,
                {
                    "status": status,
                    "completed_on": done_on,
                    "retain_until": max(retain, existing.retain_until),
                    "notes": notes or existing.notes,
                },
                transition=rules.screening_transition(existing.status, status),
            )
        check = ScreeningCheck(
            kind=kind, status=status, completed_on=done_on, retain_until=retain, notes=notes
        )
        if marking:
            check.marking = marking
        _child_marking(check, student)
        return core.create_record(user, check)


@acts(CCMD_ROLES, what="grant a waiver for a manual ITO (R-TRN-08)")
def record_waiver(
    user: User, student: Student, *, granted_on: dt.date, reference: str, reason: str
) -> Waiver:
    """A CCMD waiver for a manual ITO (R-TRN-08): recorded by the combatant command."""
    ccmd = next(
        (
            m.organization
            for m in user.memberships.select_related("organization")
            if m.organization.kind == OrganizationKind.CCMD
        ),
        None,
    )
    if ccmd is None:
        raise NotPermitted(
            "Only the combatant command grants a waiver for a manual ITO (R-TRN-08)."
        )
    if not reason.strip() or not reference.strip():
        refuse_if(
            Finding("R-TRN-08", "a waiver needs its reference and reason.", "Enter both."), "reason"
        )
    waiver = Waiver(
        student=student, owner_org=ccmd, granted_on=granted_on, reference=reference, reason=reason
    )
    waiver.marking = Marking.parse("CUI//NOFORN")
    return core.create_record(user, waiver)


def ito_facts(
    student: Student, on: dt.date, *, manual: bool = False, student_count: int = 1
) -> rules.ItoFacts:
    """The facts R-TRN-08 decides on, read as the system (the rule needs every vetting and check)."""

    loaded = with_related(Student.objects.system().filter(pk=student.pk)).get()
    return findings.ito_facts(
        loaded,
        on,
        facts.medical(on),
        manual=manual,
        student_count=student_count,
        national_funds_vetted=facts.national_funds_vetted(on),
    )


def ito_findings(
    student: Student, on: dt.date | None = None, *, manual: bool = False
) -> list[Finding]:
    return rules.ito_findings(ito_facts(student, on or _today(), manual=manual))


@acts(Role.SCO, what="issue an ITO (R-TRN-08)")
def issue_ito(
    user: User,
    students: list[Student],
    *,
    on: dt.date | None = None,
    manual: bool = False,
    number: str = "",
) -> Ito:
    """R-TRN-08: one student; vetting and all in-country screening complete; medical ≤ 3 months old
    on the issue date; ECL and prerequisites met; a manual ITO needs a CCMD waiver. Refuses with
    every missing item, each with its rule id."""
    on = on or _today(user)
    if len(students) != 1:
        raise Refused(
            [
                Finding(
                    "R-TRN-08",
                    f"an ITO names one student only; this request names {len(students)}.",
                    "Issue one ITO per student.",
                )
            ],
            "student",
        )
    student = students[0]
    if Student.objects.editable_by(user).filter(pk=student.pk).first() is None:
        raise NotPermitted(
            "You cannot issue an ITO for this student: that takes a role in the SCO that manages them."
        )
    refuse_if(rules.ito_findings(ito_facts(student, on, manual=manual)), "student")
    course = Course.objects.system().get(pk=student.course_id)
    caller = student
    student = Student.objects.system().get(pk=student.pk)
    waiver = (
        Waiver.objects.system()
        .filter(student=student, granted_on__lte=on)
        .order_by("-granted_on")
        .first()
        if manual
        else None
    )
    ito = Ito(
        student=student,
        number=number or f"ITO-{student.country_id}-{on:%Y%m%d}-{student.pk}",
        issued_on=on,
        issued_by=user,
        manual=manual,
        waiver=waiver,
        report_on=student.class_start,
        course_title=student.course_title,
        school=course.school,
        location=course.location,
        program=student.program,
        accompanied=student.accompanied,
    )
    # Handed to the student: releasable to the student's country (issue 12 item 7); the vetting,
    # screening and readiness records behind it keep their own NOFORN markings.
    ito.marking = rules.ito_marking(student.marking, student.country_id)
    with transaction.atomic():
        core.create_record(user, ito, reason="ITO issued (R-TRN-08)")
        _student_update(user, caller, {"status": StudentStatus.ITO_ISSUED}, transition="issue_ito")
    return ito


# --- arrival notice, training, after training ----------------------------------------------------


@acts(Role.SCO_CLERICAL, what="prepare an arrival notice (R-TRN-09)")
def create_arrival_notice(user: User, notice: ArrivalNotice) -> ArrivalNotice:
    problems = rules.arrival_findings(
        notice.eta,
        notice.accompanied,
        notice.dependents,
        notice.children_ages,
        notice.travel_mode,
        notice.flight,
    )
    refuse_if(problems)
    unacc, acc = facts.arrival_days(_today(user))
    notice.due_on = rules.arrival_due(notice.eta, notice.accompanied, unacc, acc)
    _child_marking(notice, notice.student)
    return core.create_record(user, notice)


@acts(Role.SCO_CLERICAL, what="send an arrival notice (R-TRN-09)")
def send_arrival_notice(
    user: User, notice: ArrivalNotice, *, sent_on: dt.date | None = None
) -> ArrivalNotice:
    sent_on = sent_on or _today(user)
    if notice.sent_on:
        refuse_if(
            Finding(
                "R-TRN-09", f"the notice was sent on {rules.fmt(notice.sent_on)}.", "Nothing to do."
            )
        )
    late = rules.arrival_sent_late(notice.due_on, sent_on)
    reason = f"sent late: due {rules.fmt(notice.due_on)} (R-TRN-09)" if late else ""
    return core.update_record(user, notice, {"sent_on": sent_on}, transition="send", reason=reason)


STUDENT_TRANSITIONS = rules.STUDENT_MOVES  # the moves transition_student performs


@acts(Role.SCO, what="start, graduate or withdraw a student")
def transition_student(
    user: User, student: Student, transition: str, *, reason: str = ""
) -> Student:
    if transition not in rules.STUDENT_MOVES:
        refuse_if(
            Finding("", f"there is no student step {transition!r}.", "Start, graduate or withdraw.")
        )
    allowed, to = rules.STUDENT[transition].sources, rules.STUDENT.target(transition)
    if student.status not in allowed:
        refuse_if(
            Finding(
                "",
                f"a student who is {student.get_status_display().lower()} cannot {transition}.",
                "Only "
                + " or ".join(StudentStatus(s).label.lower() for s in allowed)
                + " students can.",
            )
        )
    if transition == "withdraw" and not reason.strip():
        refuse_if(Finding("", "say why the student is withdrawn.", "Enter the reason."), "reason")
    return core.update_record(user, student, {"status": to}, reason=reason, transition=transition)


@acts(Role.SCO_CLERICAL, what="record an after-training step (R-TRN-10)")
def record_after(
    user: User, student: Student, kind: str, *, on: dt.date, notes: str = ""
) -> AfterTraining:
    """R-TRN-10 (briefing, interview, academic report) and R-TRN-13 (post-training use)."""
    if kind == "pre_departure" and student.status not in rules.AFTER_OPEN:
        refuse_if(
            Finding(
                "R-TRN-10", "the pre-departure briefing follows the ITO.", "Issue the ITO first."
            ),
            "kind",
        )
    if kind in ("interview", "academic", "use") and student.status not in (
        StudentStatus.IN_TRAINING,
        StudentStatus.GRADUATED,
    ):
        refuse_if(
            Finding(
                "R-TRN-10",
                "this record follows the training.",
                "Record it when the student has trained.",
            ),
            "kind",
        )
    if kind == "use" and not notes.strip():
        refuse_if(
            Finding(
                "R-TRN-13",
                "say how the graduate's training is used.",
                "Describe the post-training use.",
            ),
            "notes",
        )
    record = AfterTraining(kind=kind, on=on, notes=notes)
    _child_marking(record, student)
    return core.create_record(user, record)


@acts(Role.SCO_CLERICAL, what="record a graduate's position (R-TRN-11)")
def record_position(
    user: User, student: Student, *, fiscal_year: int, position: str, prominent: bool = False
) -> GraduatePosition:
    """R-TRN-11: the graduate's position in a year, which that year's CETPP shows."""
    if student.status not in rules.POSITIONS_OPEN:
        refuse_if(
            Finding(
                "R-TRN-11", "positions are tracked for graduates.", "Graduate the student first."
            ),
            "fiscal_year",
        )
    if not position.strip():
        refuse_if(
            Finding("R-TRN-11", "the position is empty.", "Enter the graduate's position."),
            "position",
        )
    existing = (
        GraduatePosition.objects.editable_by(user)
        .filter(student=student, fiscal_year=fiscal_year)
        .first()
    )
    if existing:
        return core.update_record(user, existing, {"position": position, "prominent": prominent})
    record = GraduatePosition(fiscal_year=fiscal_year, position=position, prominent=prominent)
    _child_marking(record, student)
    return core.create_record(user, record)


# --- corrections (issue 14.4): an edit with a reason, change-logged; fields that carry a rule re-run it


# What a correction may change. Status, program, course and the records' owners move only through
# their own actions; the catalog's course ID is its key.
STUDENT_CORRECTABLE = (
    *Student.person_fields,
    "class_start",
    "class_end",
    "accompanied",
    "funding",
)
COURSE_CORRECTABLE = tuple(f for f in Course.catalog_fields if f != "course_id")
PLAN_CORRECTABLE = ("title", "first_fy", "last_fy", "notes")


@dataclass
class Correction:
    """The corrected record and what the re-run rules now say about it (advisories: the
    correction is saved; these tell the user what else to do)."""

    record: object
    findings: list[Finding] = field(default_factory=list)


def _correction_changes(record, changes: dict, allowed: tuple[str, ...], reason: str) -> dict:
    """The changes that differ from the record; refuses an empty reason, a field that is not
    corrected this way, or no change at all."""
    if not reason.strip():
        refuse_if(
            Finding("", "say why the record is corrected.", "Enter the reason (it is logged)."),
            "reason",
        )
    other = sorted(set(changes) - set(allowed))
    if other:
        refuse_if(
            Finding(
                "",
                f"{', '.join(other)} cannot be corrected here.",
                "Correct only " + ", ".join(allowed) + "; the rest changes through its own step.",
            ),
            other[0],
        )
    real = {k: v for k, v in changes.items() if getattr(record, k) != v}
    if not real:
        refuse_if(Finding("", "nothing differs from the record.", "Change a field first."))
    return real


def _probe(record, changes: dict):
    """A copy of the record with the changes applied, for the rules (never saved)."""
    probe = type(record)(
        **{f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    )
    for k, v in changes.items():
        setattr(probe, k, v)
    return probe


@acts(Role.SCO_CLERICAL, what="correct a student's record")
def correct_student(user: User, student: Student, changes: dict, *, reason: str) -> Correction:
    """A typo in a name, a moved class: the dates re-run their rules (class order; the ITO already
    issued names the old report date), career personnel re-runs R-TRN-13."""
    real = _correction_changes(student, changes, STUDENT_CORRECTABLE, reason)
    after = _probe(student, real)
    refuse_if(rules.date_order_problem(after.class_start, after.class_end), "class_end")
    if "career_personnel" in real:
        refuse_if(
            rules.nomination_problem(after.program, after.career_personnel), "career_personnel"
        )
    saved = _student_update(user, student, real, reason=f"correction: {reason.strip()}")
    found: list[Finding] = []
    if "class_start" in real:
        ito = Ito.objects.system().filter(student=saved).order_by("-issued_on").first()
        if ito is not None and ito.report_on != saved.class_start:
            found.append(
                Finding(
                    "R-TRN-08",
                    f"ITO {ito.number} names the report date {rules.fmt(ito.report_on)}; the class "
                    f"now starts on {rules.fmt(saved.class_start)}.",
                    "Amend the ITO.",
                )
            )
        if saved.status in rules.SCREENING_OPEN:
            found += [
                f
                for f in rules.ito_findings(ito_facts(saved, _today(user)))
                if f.rule in ("R-TRN-05", "R-TRN-06")
            ]
    return Correction(saved, found)


@acts(COURSE_WRITERS, what="correct a catalog course")
def correct_course(user: User, course: Course, changes: dict, *, reason: str) -> Correction:
    """A course's title or length without re-importing the catalog; a new minimum ECL or new
    prerequisites re-run R-TRN-04 for the students not yet sent."""
    real = _correction_changes(course, changes, COURSE_CORRECTABLE, reason)
    saved = update_course(user, course, real, reason=f"correction: {reason.strip()}")
    found: list[Finding] = []
    if {"min_ecl", "prerequisites"} & set(real):
        # Named only to a user who sees the student and its readiness record; the others are
        # counted (their SCO's checklist shows them the same finding).
        waiting = Student.objects.system().filter(course=saved, status__in=rules.SCREENING_OPEN)
        seen = {
            s.pk: s for s in Student.objects.visible_to(user).filter(pk__in=waiting.values("pk"))
        }
        ready = {
            r.student_id: r for r in Readiness.objects.visible_to(user).filter(student_id__in=seen)
        }
        hidden = 0
        for s in waiting.select_related("readiness"):
            r = getattr(s, "readiness", None) or Readiness(student=s)
            problems = rules.ecl_findings(
                r.ecl_score, saved.min_ecl, r.prerequisites_met, saved.prerequisites
            )
            if not problems:
                continue
            if s.pk in seen and s.pk in ready:
                found += [Finding(f.rule, f"{s}: {f.message}", f.fix) for f in problems]
            else:
                hidden += 1
        if hidden:
            found.append(
                Finding(
                    "R-TRN-04",
                    f"{hidden} student(s) you cannot see no longer meet the course's English or "
                    "prerequisites.",
                    "Their security cooperation offices see it on their checklists.",
                )
            )
    return Correction(saved, found)


@acts(Role.SCO_CLERICAL, what="correct a training plan")
def correct_plan(user: User, plan: TrainingPlan, changes: dict, *, reason: str) -> Correction:
    """The plan's title or years; new years re-run R-TRN-01 (four years at least) and R-TRN-02
    (every CETPP, allocation and line stays inside the plan)."""
    real = _correction_changes(plan, changes, PLAN_CORRECTABLE, reason)
    after = _probe(plan, real)
    if {"first_fy", "last_fy"} & set(real):
        refuse_if(rules.plan_period_problem(after.first_fy, after.last_fy), "last_fy")
        for c in Cetpp.objects.system().filter(plan=plan):
            refuse_if(
                rules.cetpp_year_problem(c.fiscal_year, after.first_fy, after.last_fy), "first_fy"
            )
        years = set(
            Allocation.objects.system().filter(plan=plan).values_list("fiscal_year", flat=True)
        ) | set(
            CetppLine.objects.system()
            .filter(cetpp__plan=plan)
            .values_list("fiscal_year", flat=True)
        )
        for fy in sorted(years):
            refuse_if(rules.line_year_problem(fy, after.first_fy, after.last_fy), "first_fy")
    saved = core.update_record(user, plan, real, reason=f"correction: {reason.strip()}")
    return Correction(saved)
