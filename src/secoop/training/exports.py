"""Training documents: the issued ITO as PDF (WeasyPrint), the CETPP as DOCX and XLSX in the form a
CCMD reviewer reads (by year, program and course, budget vs allocation, graduates' positions), and
the Foreign Military Training report (R-TRN-12) as DOCX and XLSX. Each carries the banner of the
highest marking it holds, built from records read through the door."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.cases.models import FmsCase
from secoop.core.formats import usd
from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.core.models import Country
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.reports import docx as word
from secoop.reports import pdf as pdfs
from secoop.reports import xlsx as excel
from secoop.reports.common import Report
from secoop.reports.common import generated

from . import rules
from .models import Allocation
from .models import Cetpp
from .models import CetppLine
from .models import Course
from .models import GraduatePosition
from .models import ImetPriority
from .models import Ito
from .models import Readiness
from .models import Student
from .models import StudentStatus
from .models import TrainingPlan
from .models import Vetting

# --- generic table documents ----------------------------------------------------------------------


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def xlsx(title: str, marking: Marking, tables: list[Table], user) -> bytes:
    """A sheet per table: banner, title, generated stamp, the table, the note, banner."""
    wb = excel.workbook()
    for t in tables:
        excel.table_sheet(
            wb,
            t.title,
            marking,
            t.headers,
            t.rows,
            heading=[f"{title} — {t.title}", generated(user)],
            note=t.note,
        )
    return excel.save(wb, marking)


def _money(value):
    return usd(value) if isinstance(value, Decimal) else value


def docx(
    title: str, subtitle: str, marking: Marking, tables: list[Table], user, intro: list[str] = ()
) -> bytes:
    """Landscape (the CETPP lines have 14 columns): title, intro, a heading and table per table."""
    doc = word.document(marking, landscape=True, font_size=10, margin_cm=1.8)
    doc.add_heading(title, level=0)
    doc.add_paragraph(subtitle)
    for line in intro:
        doc.add_paragraph(line)
    doc.add_paragraph(generated(user)).runs[0].italic = True
    for t in tables:
        doc.add_heading(t.title, level=1)
        if not t.rows:
            doc.add_paragraph("None.")
            continue
        word.table(
            doc,
            t.headers,
            [[_money(v) for v in row] for row in t.rows],
        )
        if t.note:
            doc.add_paragraph(t.note).runs[0].italic = True
    return word.save(doc)


# --- the CETPP --------------------------------------------------------------------------------------


RESTRICTED = "(restricted)"


@dataclass
class CetppData:
    cetpp: Cetpp
    lines: list[CetppLine]
    allocations: list[Allocation]
    positions: list[GraduatePosition]
    marking: Marking
    plan: TrainingPlan | None = None  # None when the user may not see it
    courses_visible: dict[int, Course] = field(default_factory=dict)  # by id, through the door
    country: Country | None = None
    cases_visible: dict[int, FmsCase] = field(default_factory=dict)  # by id, through the door
    priorities: dict[int, ImetPriority] = field(default_factory=dict)

    def case_of(self, line: CetppLine) -> str:
        """The case identifier of a line, restricted when the user may not see the case."""
        if line.case_id is None:
            return ""
        case = self.cases_visible.get(line.case_id)
        return case.identifier if case is not None else RESTRICTED

    def priority_of(self, line: CetppLine) -> str:
        p = self.priorities.get(line.priority_id)
        return p.code if p is not None else ""

    @property
    def plan_title(self) -> str:
        return self.plan.title if self.plan is not None else RESTRICTED

    def course_of(self, line: CetppLine) -> tuple[str, str, str]:
        """(course ID, title, school) of a line, or restricted when the user may not see the course."""
        course = self.courses_visible.get(line.course_id)
        if course is not None:
            return course.course_id, course.title, course.school
        return RESTRICTED, RESTRICTED, RESTRICTED

    @property
    def budget(self) -> list[rules.BudgetRow]:
        return rules.budget(
            [(ln.program, ln.fiscal_year, ln.cost) for ln in self.lines],
            [(a.program, a.fiscal_year, a.amount) for a in self.allocations],
        )


def cetpp_data(cetpp: Cetpp, user) -> CetppData:
    lines = list(
        CetppLine.objects.visible_to(user)
        .filter(cetpp=cetpp)
        .order_by("fiscal_year", "program", "course__course_id")
    )
    allocations = list(Allocation.objects.visible_to(user).filter(plan_id=cetpp.plan_id))
    positions = list(
        GraduatePosition.objects.visible_to(user)
        .filter(student__country_id=cetpp.country_value(), fiscal_year=cetpp.fiscal_year)
        .prefetch_related(GuardedPrefetch("student", user))
    )
    positions = [p for p in positions if related(p, "student", user) is not None]
    plan = related(cetpp, "plan", user)
    courses = Course.objects.visible_to(user).in_bulk({ln.course_id for ln in lines})
    shown = (
        [cetpp.marking]
        + ([plan.marking] if plan is not None else [])
        + [r.marking for r in lines + allocations + positions]
    )
    shown += [courses[ln.course_id].marking for ln in lines if ln.course_id in courses]
    cases = FmsCase.objects.visible_to(user).in_bulk({ln.case_id for ln in lines if ln.case_id})
    shown += [cases[ln.case_id].marking for ln in lines if ln.case_id in cases]
    priorities = ImetPriority.objects.in_bulk({ln.priority_id for ln in lines if ln.priority_id})
    country = Country.objects.filter(pk=cetpp.country_value()).first()
    return CetppData(
        cetpp,
        lines,
        allocations,
        positions,
        combine(shown),
        plan,
        courses,
        country,
        cases,
        priorities,
    )


def _cetpp_tables(d: CetppData) -> list[Table]:
    c = d.cetpp
    lines = Table(
        "Lines by year and program",
        [
            "FY",
            "Year",
            "Program",
            "IMET priority",
            "Course ID",
            "Course",
            "School",
            "Seats",
            "Tuition / seat",
            "T&L / seat",
            "T&L included",
            "Line cost",
            "FMS case",
            "Fixed at SCETWG",
        ],
    )
    for ln in d.lines:
        cid, title, school = d.course_of(ln)
        lines.rows.append(
            [
                ln.fiscal_year,
                rules.year_role(ln.fiscal_year, c.fiscal_year),
                ln.get_program_display(),
                d.priority_of(ln),
                cid,
                title,
                school,
                ln.seats,
                ln.tuition,
                ln.travel_living,
                "yes" if rules.includes_tla(ln.program, ln.include_tla) else "no",
                ln.cost,
                d.case_of(ln),
                "yes" if ln.fixed else "",
            ]
        )
    lines.note = (
        "FMS training lines exclude travel and living allowance unless marked otherwise (R-TRN-03)."
    )
    budget = Table(
        "Budget vs allocation by program and fiscal year",
        ["FY", "Program", "Planned", "of which E-IMET", "Allocation", "Remaining", "Finding"],
    )
    for r in d.budget:
        budget.rows.append(
            [
                r.fiscal_year,
                r.label,
                r.planned,
                r.eimet,
                r.allocated,
                r.remaining,
                "R-TRN-03 over allocation" if r.over else "",
            ]
        )
    budget.note = "E-IMET is a part of the IMET allocation (R-TRN-03)."
    grads = Table(
        f"Graduates' positions, FY{c.fiscal_year} (R-TRN-11)",
        ["Graduate", "Position", "Position of prominence"],
    )
    for p in d.positions:
        grads.rows.append([str(p.student), p.position, "yes" if p.prominent else ""])
    return [lines, budget, grads]


def _cetpp_intro(d: CetppData) -> list[str]:
    c = d.cetpp
    return [
        f"Country: {d.country}. Plan: {d.plan_title}"
        + (f" (FY{d.plan.first_fy}–FY{d.plan.last_fy})." if d.plan is not None else "."),
        f"Status: {c.get_status_display()}"
        + (f", submitted {rules.fmt(c.submitted_on)}" if c.submitted_on else "")
        + (f", reviewed {rules.fmt(c.reviewed_on)}" if c.reviewed_on else "")
        + (f", finalized at the SCETWG {rules.fmt(c.finalized_on)}" if c.finalized_on else "")
        + ".",
        f"Budget year FY{c.fiscal_year + 1}, planning year FY{c.fiscal_year + 2} (R-TRN-02).",
    ]


def _cetpp_filename(cetpp: Cetpp, ext: str) -> str:
    return f"cetpp-fy{cetpp.fiscal_year}-{cetpp.country_value()}.{ext}"


def cetpp_docx(cetpp: Cetpp, user) -> Report:
    d = cetpp_data(cetpp, user)
    content = docx(
        f"Combined Education and Training Program Plan FY{cetpp.fiscal_year}",
        str(d.country),
        d.marking,
        _cetpp_tables(d),
        user,
        _cetpp_intro(d),
    )
    return Report(content, _cetpp_filename(cetpp, "docx"), d.marking)


def cetpp_xlsx(cetpp: Cetpp, user) -> Report:
    d = cetpp_data(cetpp, user)
    content = xlsx(f"CETPP FY{cetpp.fiscal_year} {d.country}", d.marking, _cetpp_tables(d), user)
    return Report(content, _cetpp_filename(cetpp, "xlsx"), d.marking)


# --- the ITO ------------------------------------------------------------------------------------------

ITO_TEMPLATE = "training/ito_pdf.html"


def _ito_document(ito: Ito, user, releasable: bool = False) -> tuple[dict, Marking] | None:
    """What the ITO shows and its marking, or None when the user may not see the student.

    The ITO is handed to the student (issue 12 item 7): its releasable copy holds the ITO and the
    student's name, country, course and dates, marked like the ITO (REL TO the student's country).
    The readiness, vetting and waiver details behind it (NOFORN) are added only to the copy of a
    reader who may see them and did not ask for the releasable one (`releasable`), and then mark
    it too. A partner or LE staff reader always gets the releasable copy: they see none of them."""
    student = (
        Student.objects.visible_to(user)
        .select_related("country", "owner_org")
        .filter(pk=ito.student_id)
        .first()
    )
    if student is None:
        return None
    readiness = None
    vettings: list = []
    if not releasable:
        readiness = Readiness.objects.visible_to(user).filter(student=student).first()
        vettings = list(Vetting.objects.visible_to(user).filter(student=student))
    internal = readiness is not None
    shown = [ito.marking, student.marking]
    if internal:
        shown += [readiness.marking] + [v.marking for v in vettings]
    context = {
        "ito": ito,
        "student": student,
        "readiness": readiness,
        "internal": internal,
        "user": user,  # {% related %} reads related records as this user
        "generated": generated(user),
    }
    return context, combine(shown)


def ito_html(ito: Ito, user, releasable: bool = False) -> str | None:
    """The ITO page, or None when the user may not see the student it names."""
    found = _ito_document(ito, user, releasable)
    return None if found is None else pdfs.html(ITO_TEMPLATE, *found)


def ito_pdf(ito: Ito, user, releasable: bool = False) -> Report | None:
    """The issued ITO as PDF, its marking in every page's header and footer."""
    found = _ito_document(ito, user, releasable)
    if found is None:
        return None
    return Report(pdfs.pdf(ITO_TEMPLATE, *found), f"{ito.number}.pdf", found[1])


# --- the Foreign Military Training report (R-TRN-12) ---------------------------------------------


@dataclass
class FmtData:
    years: tuple[int, int]
    rows: list[dict]
    marking: Marking


def fmt_data(user, today) -> FmtData:
    """Per country, fiscal year and program: students and cost of training in the fiscal year just
    ended and the one in progress (by class start)."""
    years = rules.fmt_report_years(today)
    start, end = rules.fy_start(years[0]), rules.fy_end(years[1])
    students = list(
        Student.objects.visible_to(user)
        .filter(class_start__range=(start, end))
        .exclude(status=StudentStatus.WITHDRAWN)
        .select_related("country", "cetpp_line")
        .prefetch_related(
            GuardedPrefetch(
                "course",
                user,
                queryset=Course.objects.prefetch_related(GuardedPrefetch("costs", user)),
            )
        )
    )
    groups: dict[tuple, dict] = defaultdict(
        lambda: {"students": 0, "cost": Decimal("0"), "courses": set()}
    )
    for s in students:
        fy = rules.fiscal_year(s.class_start)
        course = related(s, "course", user)
        costs = course.costs.all() if course is not None else []
        cost = next((c for c in costs if c.program == s.program and c.fiscal_year == fy), None)
        amount = (
            rules.line_cost(s.program, 1, cost.tuition, cost.travel_living, None)
            if cost
            else Decimal("0")
        )
        g = groups[(s.country.name, fy, s.program)]
        g["students"] += 1
        g["cost"] += amount
        g["courses"].add(s.course_title)
    rows = [
        {
            "country": k[0],
            "fiscal_year": k[1],
            "program": rules.Program.LABELS.get(k[2], k[2]),
            "students": v["students"],
            "cost": v["cost"],
            "courses": sorted(v["courses"]),
            "status": "just ended" if k[1] == years[0] else "in progress",
        }
        for k, v in sorted(groups.items())
    ]
    return FmtData(
        years,
        rows,
        combine([s.marking for s in students]) if students else Marking.parse("UNCLASSIFIED"),
    )


def _fmt_tables(d: FmtData) -> list[Table]:
    tables = []
    for fy in d.years:
        t = Table(
            f"FY{fy} ({'just ended' if fy == d.years[0] else 'in progress'})",
            ["Country", "Program", "Students", "Cost (USD)", "Courses"],
        )
        for r in d.rows:
            if r["fiscal_year"] == fy:
                t.rows.append(
                    [r["country"], r["program"], r["students"], r["cost"], "; ".join(r["courses"])]
                )
        tables.append(t)
    return tables


def fmt_json(d: FmtData) -> dict:
    return {
        "fiscal_years": list(d.years),
        "marking": str(d.marking),
        "rows": [r | {"cost": str(r["cost"])} for r in d.rows],
    }


def _fmt_title(d: FmtData) -> str:
    return f"Foreign Military Training report FY{d.years[0]}–FY{d.years[1]}"


def _fmt_filename(d: FmtData, ext: str) -> str:
    return f"foreign-military-training-FY{d.years[0]}-FY{d.years[1]}.{ext}"


def fmt_xlsx(d: FmtData, user) -> Report:
    content = xlsx(_fmt_title(d), d.marking, _fmt_tables(d), user)
    return Report(content, _fmt_filename(d, "xlsx"), d.marking)


def fmt_docx(d: FmtData, user) -> Report:
    content = docx(
        _fmt_title(d),
        "Training of foreign military personnel per country: the fiscal year just ended and the one in progress (R-TRN-12).",
        d.marking,
        _fmt_tables(d),
        user,
    )
    return Report(content, _fmt_filename(d, "docx"), d.marking)


FMT_FORMATS = {"xlsx": fmt_xlsx, "docx": fmt_docx}
