"""Training documents: the issued ITO as PDF (WeasyPrint), the CETPP as DOCX and XLSX in the form a
CCMD reviewer reads (by year, program and course, budget vs allocation, graduates' positions), and
the Foreign Military Training report (R-TRN-12) as DOCX and XLSX. Each carries the banner of the
highest marking it holds, built from records read through the door."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from secoop.core.markings import Marking, combine
from secoop.core.models import Country
from secoop.core.related import GuardedPrefetch, related
from secoop.core.spreadsheets import workbook_bytes
from secoop.planning.exports import DOCX_MIME, PDF_MIME, XLSX_MIME, banner_color

from . import rules
from .models import (
    Allocation,
    Cetpp,
    CetppLine,
    Course,
    GraduatePosition,
    Ito,
    Readiness,
    Student,
    StudentStatus,
    TrainingPlan,
)

__all__ = ["DOCX_MIME", "PDF_MIME", "XLSX_MIME"]


def _generated(user) -> str:
    return f"Generated {timezone.now():%d %b %Y %H:%M} UTC by {user.username}"


# --- generic table documents ----------------------------------------------------------------------


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def xlsx(title: str, marking: Marking, tables: list[Table], user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    banner = str(marking)
    for t in tables:
        ws = wb.create_sheet(t.title[:31].replace("/", "-"))
        ws.append([banner])
        ws["A1"].font = Font(bold=True, color="FFFFFF")
        ws["A1"].fill = PatternFill("solid", fgColor=banner_color(marking))
        ws.append([f"{title} — {t.title}"])
        ws.append([_generated(user)])
        ws.append(t.headers)
        for cell in ws[4]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1A4480")
        for row in t.rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
        if t.note:
            ws.append([t.note])
        ws.append([banner])
        ws.freeze_panes = "A5"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in list(col)[3:]) if ws.max_row > 3 else 10
            ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 10), 60)
    return workbook_bytes(wb)  # no live formula (issue 10 item 6)


def docx(
    title: str, subtitle: str, marking: Marking, tables: list[Table], user, intro: list[str] = ()
) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.8)
    for part in (section.header, section.footer):
        p = part.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(str(marking))
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(banner_color(marking))
    doc.add_heading(title, level=0)
    doc.add_paragraph(subtitle)
    for line in intro:
        doc.add_paragraph(line)
    doc.add_paragraph(_generated(user)).runs[0].italic = True
    for t in tables:
        doc.add_heading(t.title, level=1)
        if not t.rows:
            doc.add_paragraph("None.")
            continue
        table = doc.add_table(rows=1, cols=len(t.headers))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, t.headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in t.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = (
                    f"${value:,.2f}"
                    if isinstance(value, Decimal)
                    else ("" if value is None else str(value))
                )
        if t.note:
            doc.add_paragraph(t.note).runs[0].italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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
    country = Country.objects.filter(pk=cetpp.country_value()).first()
    return CetppData(cetpp, lines, allocations, positions, combine(shown), plan, courses, country)


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
                ln.priority,
                cid,
                title,
                school,
                ln.seats,
                ln.tuition,
                ln.travel_living,
                "yes" if rules.includes_tla(ln.program, ln.include_tla) else "no",
                ln.cost,
                ln.fms_case,
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


def cetpp_docx(cetpp: Cetpp, user) -> bytes:
    d = cetpp_data(cetpp, user)
    return docx(
        f"Combined Education and Training Program Plan FY{cetpp.fiscal_year}",
        str(d.country),
        d.marking,
        _cetpp_tables(d),
        user,
        _cetpp_intro(d),
    )


def cetpp_xlsx(cetpp: Cetpp, user) -> bytes:
    d = cetpp_data(cetpp, user)
    return xlsx(f"CETPP FY{cetpp.fiscal_year} {d.country}", d.marking, _cetpp_tables(d), user)


# --- the ITO ------------------------------------------------------------------------------------------


def ito_html(ito: Ito, user) -> str | None:
    """The ITO page, or None when the user may not see the student it names."""
    student = (
        Student.objects.visible_to(user)
        .select_related("country", "owner_org")
        .filter(pk=ito.student_id)
        .first()
    )
    if student is None:
        return None
    readiness = Readiness.objects.visible_to(user).filter(student=student).first()
    marking = combine([ito.marking, student.marking] + ([readiness.marking] if readiness else []))
    return render_to_string(
        "training/ito_pdf.html",
        {
            "ito": ito,
            "student": student,
            "readiness": readiness,
            "user": user,  # {% related %} reads related records as this user
            "marking": marking,
            "banner_color": "#" + banner_color(marking),
            "generated": _generated(user),
        },
    )


def ito_pdf(ito: Ito, user) -> bytes | None:
    """The issued ITO as PDF (WeasyPrint), its marking in every page's header and footer."""
    import logging

    from weasyprint import HTML

    html = ito_html(ito, user)
    if html is None:
        return None
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return HTML(string=html).write_pdf()


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


def fmt_xlsx(d: FmtData, user) -> bytes:
    return xlsx(
        f"Foreign Military Training report FY{d.years[0]}–FY{d.years[1]}",
        d.marking,
        _fmt_tables(d),
        user,
    )


def fmt_docx(d: FmtData, user) -> bytes:
    return docx(
        f"Foreign Military Training report FY{d.years[0]}–FY{d.years[1]}",
        "Training of foreign military personnel per country: the fiscal year just ended and the one in progress (R-TRN-12).",
        d.marking,
        _fmt_tables(d),
        user,
    )
