"""Exports of a country plan: the synchronization matrix as XLSX (laid out like the textbook's
Figure 19-5), PPTX (an overview slide and one slide per phase, drawn shapes) and ICS (one event per
activity); the CSCS (R-PLN-05) as DOCX and PDF. The file formats' common parts (banners, print
headers, table widths, the download) are the shared `secoop.reports` package's; what is here is
what is particular to the matrix and the CSCS.

Every export takes a matrix.PlanData, already read through the door for the user, so it holds only
what that user may see; every export carries the highest marking of what it contains
(core.markings.combine), top and bottom of every page or slide, and on every event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Alignment
from openpyxl.styles import Border
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.styles import Side
from openpyxl.utils import get_column_letter

from secoop.core import fiscal
from secoop.reports import docx as word
from secoop.reports import ics as calendars
from secoop.reports import pdf as pdfs
from secoop.reports import pptx as slides
from secoop.reports import xlsx as excel
from secoop.reports.common import Report
from secoop.reports.common import hex_color
from secoop.reports.common import stamp

from . import matrix
from . import rules
from .matrix import MatrixFacts
from .matrix import PlanData
from .matrix import svg as matrix_svg

NAVY, GREY, TEAL, INK, MUTED = "162E51", "DFE1E2", "E7F2F5", "1B1B1B", "3D4551"


# --- XLSX -----------------------------------------------------------------------------------------

MATRIX_COLUMNS = [
    ("Line of effort (SSCI)", 26),
    ("Activity", 44),
    ("Program / authority", 26),
    ("Funding (USD)", 13),
    ("Dates", 24),
    ("Status", 11),
    ("Starts after", 30),
    ("Flags", 22),
]
MONTH_WIDTH = 3.6
USD = '"$"#,##0'


def xlsx(data: PlanData) -> bytes:
    """The matrix as the textbook draws it: a row per activity grouped by line of effort, a column per
    month grouped by fiscal year and quarter, a phase band, coloured cells per activity with its
    program and funding; marking banner first and last. A second sheet lists the dependencies."""
    wb = excel.workbook()
    sheet = _MatrixSheet(wb, data)
    sheet.build()
    _dependencies_sheet(wb, data.marking, sheet.facts, sheet.lay.analysis)
    return excel.save(wb, data.marking)  # marked print headers, no live formula (issue 10 item 6)


class _MatrixSheet:
    """The matrix sheet, built top to bottom: title, calendar header, phase band, activities by
    line of effort, fiscal-year boundaries, funding by fiscal year and source, banner."""

    HDR_FY, HDR_Q, HDR_M, HDR_PHASE = 5, 6, 7, 8

    def __init__(self, wb, data: PlanData):
        self.data = data
        self.facts = matrix.matrix_input(data)
        self.lay = matrix.layout(self.facts)
        self.months = list(matrix.iter_months(self.facts.period_start, self.facts.period_end))
        self.first_month_col = len(MATRIX_COLUMNS) + 1
        self.last_col = self.first_month_col + len(self.months) - 1
        self.col_of = {
            (m.year, m.month): self.first_month_col + i for i, m in enumerate(self.months)
        }
        self.bars = {b.activity.id: b for b in self.lay.bars}
        self.by_id = matrix.facts_by_id(self.facts)
        self.ws = wb.create_sheet("Synchronization matrix")
        self.white_bold = Font(bold=True, color="FFFFFF")
        self.navy = PatternFill("solid", fgColor=NAVY)
        self.thin = Side(style="thin", color="A9AEB1")
        self.fy_side = Side(style="medium", color=INK)

    def build(self) -> None:
        excel.banner_row(self.ws, 1, self.data.marking, self.last_col)
        self.title()
        by_fy = self.calendar_header()
        self.phase_band()
        row = self.activities(self.HDR_PHASE + 1)
        self.fiscal_year_lines(by_fy, row)
        row = self.funding(row + 1)
        excel.banner_row(self.ws, row + 2, self.data.marking, self.last_col)
        self.page()

    def title(self) -> None:
        cp = self.data.country_plan
        self.ws.cell(
            row=2,
            column=1,
            value=f"{cp.title} — synchronization matrix (version {cp.version}, {cp.period_label})",
        ).font = Font(bold=True, size=14)
        self.ws.cell(
            row=3,
            column=1,
            value=f"Exported {stamp()} by {self.data.user.username}. Shows only what this user may see. R-PLN-09.",
        ).font = Font(italic=True, color=MUTED)

    def _cols(self, start: dt.date, end: dt.date) -> list[int]:
        """The month columns a date range touches."""
        return [
            self.col_of[(m.year, m.month)]
            for m in self.months
            if start <= matrix._month_end(m) and m <= end
        ]

    def _merged(self, row: int, cols: list[int], value, *, fill=None, font=None, align=None):
        self.ws.merge_cells(start_row=row, start_column=cols[0], end_row=row, end_column=cols[-1])
        cell = self.ws.cell(row=row, column=cols[0], value=value)
        for attr, style in (("fill", fill), ("font", font), ("alignment", align)):
            if style is not None:
                setattr(cell, attr, style)
        return cell

    def calendar_header(self) -> dict[int, list[int]]:
        """The fixed column titles, then fiscal years, quarters and months; returns the month
        columns of each fiscal year."""
        ws, center = self.ws, Alignment(horizontal="center", vertical="center", wrap_text=True)
        for col, (title, _w) in enumerate(MATRIX_COLUMNS, start=1):
            ws.merge_cells(
                start_row=self.HDR_FY, start_column=col, end_row=self.HDR_M, end_column=col
            )
            c = ws.cell(row=self.HDR_FY, column=col, value=title)
            c.font, c.fill, c.alignment = self.white_bold, self.navy, center
        by_fy: dict[int, list[int]] = defaultdict(list)
        by_q: dict[tuple[int, int], list[int]] = defaultdict(list)
        for m in self.months:
            fy = fiscal.fiscal_year(m)
            by_fy[fy].append(self.col_of[(m.year, m.month)])
            by_q[(fy, ((m.month - 10) % 12) // 3 + 1)].append(self.col_of[(m.year, m.month)])
        for fy, cols in by_fy.items():
            self._merged(
                self.HDR_FY,
                cols,
                fiscal.fy_label(fy),
                fill=self.navy,
                font=self.white_bold,
                align=center,
            )
        grey = PatternFill("solid", fgColor=GREY)
        for (_fy, q), cols in by_q.items():
            self._merged(self.HDR_Q, cols, f"Q{q}", fill=grey, font=Font(bold=True), align=center)
        for m in self.months:
            c = ws.cell(
                row=self.HDR_M,
                column=self.col_of[(m.year, m.month)],
                value=matrix.MONTH_INITIALS[m.month - 1],
            )
            c.alignment, c.font = center, Font(size=9)
        return by_fy

    def phase_band(self) -> None:
        self.ws.cell(row=self.HDR_PHASE, column=1, value="Phase").font = Font(bold=True)
        teal = PatternFill("solid", fgColor=TEAL)
        for ph in self.facts.phases:
            cols = self._cols(ph.start, ph.end)
            if not cols:
                continue
            c = self._merged(
                self.HDR_PHASE,
                cols,
                ph.label,
                fill=teal,
                font=Font(bold=True, color="00465A"),
                align=Alignment(horizontal="left", vertical="center"),
            )
            c.border = Border(left=self.fy_side)

    def activities(self, row: int) -> int:
        """A row per activity, grouped under its line of effort; returns the next free row."""
        for rowbox in self.lay.rows:
            acts = sorted(
                (a for a in self.facts.activities if a.row == rowbox.row.key),
                key=lambda a: (a.start, a.id),
            )
            if not acts:
                continue
            first = row
            for a in acts:
                self.activity(row, rowbox.row.name, a)
                row += 1
            self.ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
            c = self.ws.cell(row=first, column=1)
            c.font = Font(bold=True, size=12)
            c.alignment = Alignment(vertical="top", wrap_text=True)
            c.fill = PatternFill("solid", fgColor="F1F3F6")
        return row

    def _flags(self, a, bar) -> str:
        flags = []
        if bar and bar.critical:
            flags.append("critical path")
        if bar and bar.violated:
            flags.append("broken dependency (R-PLN-09)")
        if a.unlinked:
            flags.append("unlinked (R-PLN-01)")
        return ", ".join(flags)

    def activity(self, row: int, loe: str, a) -> None:
        bar = self.bars.get(a.id)
        by_id = self.by_id
        after = "; ".join(
            by_id[p].title for p in matrix.predecessors_of(self.facts, a.id) if p in by_id
        )
        values = [
            loe,
            a.title,
            a.program or "",
            float(a.total) if a.funding else None,
            a.dates_text,
            a.status_label,
            after,
            self._flags(a, bar),
        ]
        for col, v in enumerate(values, start=1):
            c = self.ws.cell(row=row, column=col, value=v)
            c.alignment = Alignment(vertical="center", wrap_text=col in (2, 7))
            c.border = Border(bottom=self.thin)
        if a.funding:
            self.ws.cell(row=row, column=4).number_format = USD
        self.bar(row, a, bar)
        self.ws.row_dimensions[row].height = 30

    def bar(self, row: int, a, bar) -> None:
        """The activity's months coloured by its funding source; its program and funding written
        in the bar, or beside a bar too short to hold it, as in the textbook."""
        cols = self._cols(a.start, a.end)
        if not cols:
            return
        fill = PatternFill(
            "solid", fgColor=hex_color(bar.fill if bar else matrix.SOURCE_COLORS[""])
        )
        for col in cols:
            self.ws.cell(row=row, column=col).fill = fill
        text = a.program_line or a.type_label
        long = len(cols) >= 3
        if long:
            self.ws.merge_cells(
                start_row=row, start_column=cols[0], end_row=row, end_column=cols[-1]
            )
        c = self.ws.cell(row=row, column=cols[0], value=text if long else None)
        c.font = Font(bold=True, color="FFFFFF", size=9)
        c.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
        if bar and bar.critical:
            edge = Side(style="thick", color="C43D00")
            c.border = Border(top=edge, bottom=edge)
        if long or not text:
            return
        # beside the bar, flowing over the empty months (before it when it ends the period)
        after = cols[-1] < self.last_col
        side = self.ws.cell(row=row, column=cols[-1] + 1 if after else cols[0] - 1, value=text)
        side.font = Font(color=INK, size=8)
        side.alignment = Alignment(horizontal="left" if after else "right", vertical="center")

    def fiscal_year_lines(self, by_fy: dict[int, list[int]], end_row: int) -> None:
        for cols in by_fy.values():
            for r in range(self.HDR_M, end_row):
                cell = self.ws.cell(row=r, column=cols[0])
                cell.border = Border(left=self.fy_side, bottom=cell.border.bottom)

    def funding(self, row: int) -> int:
        """Funding per fiscal year and source (Decimal until written); returns the last row."""
        ws = self.ws
        ws.cell(row=row, column=1, value="Funding by fiscal year and source (USD)").font = Font(
            bold=True, size=12
        )
        row += 1
        totals = matrix.fy_totals(self.facts)
        order = list(matrix.SOURCE_COLORS)
        sources = sorted(
            {s for v in totals.values() for s in v},
            key=lambda s: order.index(s) if s in order else 99,
        )
        ws.cell(row=row, column=1, value="Source").font = Font(bold=True)
        for i, fy in enumerate(totals, start=2):
            ws.cell(row=row, column=i, value=fiscal.fy_label(fy)).font = Font(bold=True)
        ws.cell(row=row, column=len(totals) + 2, value="Total").font = Font(bold=True)
        for s in sources:
            row += 1
            c = ws.cell(row=row, column=1, value=matrix.SOURCE_LABELS.get(s, s))
            c.fill = PatternFill("solid", fgColor=hex_color(matrix.SOURCE_COLORS.get(s, "#565c65")))
            c.font = self.white_bold
            total = Decimal("0")
            for i, fy in enumerate(totals, start=2):
                amount = totals[fy].get(s, Decimal("0"))
                total += amount
                cell = ws.cell(row=row, column=i, value=float(amount) if amount else None)
                cell.number_format = USD
            cell = ws.cell(row=row, column=len(totals) + 2, value=float(total))
            cell.number_format, cell.font = USD, Font(bold=True)
        return row

    def page(self) -> None:
        ws = self.ws
        for i, (_title, width) in enumerate(MATRIX_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for col in range(self.first_month_col, self.last_col + 1):
            ws.column_dimensions[get_column_letter(col)].width = MONTH_WIDTH
        ws.freeze_panes = ws.cell(row=self.HDR_PHASE + 1, column=3)
        ws.sheet_view.zoomScale = 90
        excel.print_setup(ws)
        ws.print_title_rows = f"{self.HDR_FY}:{self.HDR_PHASE}"


def _dependencies_sheet(wb, marking, facts: MatrixFacts, analysis) -> None:
    """The dependencies, for those who filter in Excel."""
    by_id = matrix.facts_by_id(facts)
    excel.table_sheet(
        wb,
        "Dependencies",
        marking,
        ["Predecessor", "Successor", "Lag (days)", "Why", "Critical", "Broken (R-PLN-09)"],
        [
            [
                by_id[link.predecessor].title,
                by_id[link.successor].title,
                link.lag_days,
                link.note,
                "yes" if (link.predecessor, link.successor) in analysis.critical_links else "",
                analysis.messages.get((link.predecessor, link.successor), ""),
            ]
            for link in facts.links
        ],
        widths=[48, 48, 10, 40, 9, 60],
    )


# --- PPTX -----------------------------------------------------------------------------------------


def pptx(data: PlanData) -> bytes:
    """An overview slide with the whole matrix and one slide per phase, drawn as shapes."""
    facts = matrix.matrix_input(data)
    prs = slides.presentation()
    cp = data.country_plan
    overview = _overview_layout(facts)
    crit = overview.critical_bars
    _matrix_slide(
        prs,
        data.marking,
        f"{cp.country.name}: synchronization matrix, {cp.period_label}",
        f"{cp.title} · version {cp.version} · {len(overview.bars)} activities · "
        + (
            f"critical path: {' → '.join(b.activity.title for b in crit)}"
            if crit
            else "no critical path"
        ),
        overview,
    )
    for ph in facts.phases:
        days = (ph.end - ph.start).days + 1
        ppd = max((1500 - matrix.LABEL_W - matrix.RIGHT_PAD) / days, 0.5)
        lay = matrix.layout(
            facts, scale="month", start=ph.start, end=ph.end, ppd=ppd, skip_empty_rows=True
        )
        total = sum(
            (b.activity.total for b in lay.bars if b.activity.phase == ph.number), Decimal("0")
        )
        _matrix_slide(
            prs,
            data.marking,
            ph.label,
            f"{rules.fmt(ph.start)} – {rules.fmt(ph.end)} · {len(lay.bars)} activities · funding in this phase {matrix.dollars(total)}",
            lay,
        )
    return slides.save(prs)


def _overview_layout(facts: MatrixFacts) -> matrix.Layout:
    """The whole period, as wide as the drawing area's proportions allow."""
    days = (facts.period_end - facts.period_start).days + 1
    overview = matrix.layout(facts, scale="quarter")
    for _ in range(2):
        ppd = (12.53 / 5.75 * overview.height - matrix.LABEL_W - matrix.RIGHT_PAD) / days
        overview = matrix.layout(
            facts, scale="month" if ppd >= 0.6 else "quarter", ppd=max(ppd, 0.3)
        )
    return overview


def _matrix_slide(prs, marking, title: str, subtitle: str, lay: matrix.Layout) -> None:
    from pptx.util import Emu
    from pptx.util import Inches

    s = slides.marked_slide(prs, marking)
    slides.title(s, title, subtitle)
    area_w, area_h = Inches(12.53), Inches(5.75)
    k = min(area_w / lay.width, area_h / lay.height)  # EMU per px
    canvas = _Canvas(s, Emu(int(Inches(0.4))), Emu(int(Inches(1.25))), k)
    _draw_header(canvas, lay)
    _draw_rows(canvas, lay)
    _draw_arrows(canvas, lay)
    _draw_bars(canvas, lay)


class _Canvas:
    """A slide drawn in the matrix layout's pixels: px → EMU by `k`, offset (ox, oy)."""

    def __init__(self, slide, ox, oy, k: float):
        self.shapes = slide.shapes
        self.ox, self.oy, self.k = ox, oy, k
        self.pt = k / 12700  # points per px

    def x(self, px: float):
        from pptx.util import Emu

        return Emu(int(self.ox + px * self.k))

    def y(self, px: float):
        from pptx.util import Emu

        return Emu(int(self.oy + px * self.k))

    def length(self, px: float):
        from pptx.util import Emu

        return Emu(max(int(px * self.k), 1))

    def rect(self, x, y, w, h, fill: str | None, line: str | None = None, width=0.75, shape=None):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Pt

        r = self.shapes.add_shape(
            shape or MSO_SHAPE.RECTANGLE, self.x(x), self.y(y), self.length(w), self.length(h)
        )
        if fill:
            r.fill.solid()
            r.fill.fore_color.rgb = slides.rgb(fill)
        else:
            r.fill.background()
        if line:
            r.line.color.rgb = slides.rgb(line)
            r.line.width = Pt(width)
        else:
            r.line.fill.background()
        r.shadow.inherit = False
        return r

    def text(self, x, y, w, h, value: str, size_px: float, color=INK, bold=False, center=False):
        from pptx.enum.text import MSO_ANCHOR
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        tb = self.shapes.add_textbox(self.x(x), self.y(y), self.length(w), self.length(h))
        tf = tb.text_frame
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.word_wrap = False
        p = tf.paragraphs[0]
        p.text = value
        p.font.size = Pt(max(size_px * self.pt, 5))
        p.font.bold = bold
        p.font.color.rgb = slides.rgb(color)
        if center:
            p.alignment = PP_ALIGN.CENTER
        return tb

    def line(self, x1, y1, x2, y2, color: str, width: float | None = None):
        from pptx.util import Pt

        c = self.shapes.add_connector(1, self.x(x1), self.y(y1), self.x(x2), self.y(y2))
        c.line.color.rgb = slides.rgb(color)
        if width:
            c.line.width = Pt(width)
        return c


def _draw_header(c: _Canvas, lay: matrix.Layout) -> None:
    """Fiscal years, quarters (where wide enough), months, and the phase bands."""
    top = lay.header_h
    c.rect(0, 0, lay.width, matrix.FY_ROW_H, NAVY)
    for t in lay.fy_ticks:
        c.text(t.x, 0, t.w, matrix.FY_ROW_H, t.label, 13, "FFFFFF", bold=True, center=True)
    y = matrix.FY_ROW_H
    c.rect(0, y, lay.width, matrix.QUARTER_ROW_H, GREY)
    for t in lay.quarter_ticks:
        if t.w * c.k > 150000:
            c.text(t.x, y, t.w, matrix.QUARTER_ROW_H, t.label, 11, center=True)
    y += matrix.QUARTER_ROW_H
    if lay.month_ticks:
        c.rect(0, y, lay.width, matrix.MONTH_ROW_H, "F1F3F6")
        for t in lay.month_ticks:
            c.text(t.x, y, t.w, matrix.MONTH_ROW_H, t.label, 10, MUTED, center=True)
        y += matrix.MONTH_ROW_H
    for band in lay.bands:
        tint = band.tint[1:] if band.tint != "#ffffff" else None
        c.rect(band.x, top, band.w, lay.height - top, tint)
        r = c.rect(band.x + 1, y + 3, band.w - 2, matrix.PHASE_ROW_H - 6, TEAL, "00687D")
        c.text(
            band.x + 6, y + 3, band.w - 8, matrix.PHASE_ROW_H - 6, band.label, 11, "00465A", True
        )
        r.name = band.label


def _draw_rows(c: _Canvas, lay: matrix.Layout) -> None:
    """The line-of-effort rows with their labels, and the fiscal-year boundaries."""
    top = lay.header_h
    c.rect(0, top, matrix.LABEL_W, lay.height - top, "F7F9FA")
    for r in lay.rows:
        c.line(0, r.y, lay.width, r.y, "A9AEB1")
        c.text(8, r.y + 6, matrix.LABEL_W - 12, 16, r.row.caption.upper(), 10, MUTED, bold=True)
        for i, line in enumerate(r.label_lines):
            c.text(8, r.y + 24 + 16 * i, matrix.LABEL_W - 12, 16, line, 13.5, bold=True)
    for t in lay.fy_ticks:
        c.line(t.x, 0, t.x, lay.height, INK, 1.25)


def _draw_arrows(c: _Canvas, lay: matrix.Layout) -> None:
    """Dependencies as arrows: broken ones and the critical path drawn last, thicker."""
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    for a in sorted(lay.arrows, key=lambda a: (a.violated, a.critical)):
        pts = a.points
        if len(pts) < 2:
            continue
        fb = c.shapes.build_freeform(c.x(pts[0][0]), c.y(pts[0][1]), scale=1.0)
        fb.add_line_segments([(c.x(px), c.y(py)) for px, py in pts[1:]], close=False)
        shape = fb.convert_to_shape()
        shape.fill.background()
        color = (
            matrix.VIOLATION_COLOR
            if a.violated
            else matrix.CRITICAL_COLOR
            if a.critical
            else matrix.ARROW_COLOR
        )
        shape.line.color.rgb = slides.rgb(color)
        shape.line.width = Pt(2 if (a.critical or a.violated) else 1)
        ln = shape.line._get_or_add_ln()
        ln.append(ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"}))
        shape.name = f"Dependency {a.predecessor} → {a.successor}"


def _draw_bars(c: _Canvas, lay: matrix.Layout) -> None:
    """An activity's bar (dashed outline when proposed, ringed when critical), its label inside,
    before or after it, and its sub-label under it."""
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_SHAPE

    rounded = MSO_SHAPE.ROUNDED_RECTANGLE
    for b in lay.bars:
        a = b.activity
        proposed = a.status == rules.Status.PROPOSED
        if b.critical:
            c.rect(b.x - 3, b.y - 3, b.w + 6, b.h + 6, None, matrix.CRITICAL_COLOR, 2, rounded)
        body = c.rect(
            b.x,
            b.y,
            b.w,
            b.h,
            "FFFFFF" if proposed else b.fill,
            b.fill,
            1.5 if proposed else 0.75,
            rounded,
        )
        if proposed:
            body.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        body.name = f"Activity {a.id}: {a.title}"
        label_w = matrix.text_width(b.label) + 6
        if b.label_inside:
            color = b.fill if proposed else b.text_color
            c.text(b.x + 5, b.y, b.w - 6, b.h, b.label, 11, color, bold=True)
        elif b.label_left:
            c.text(b.x - 5 - label_w, b.y, label_w, b.h, b.label, 11, bold=True)
        else:
            c.text(b.x + b.w + 5, b.y, label_w, b.h, b.label, 11, bold=True)
        if b.sub:
            sub_w = matrix.text_width(b.sub, matrix.SUB_CHAR_W) + 6
            sx = b.x + b.w - sub_w if b.label_left else b.x
            c.text(sx, b.y + b.h + 1, sub_w, 13, b.sub, 10, MUTED)


# --- ICS ------------------------------------------------------------------------------------------


def ics(data: PlanData) -> bytes:
    """One all-day event per activity, marked in the summary and the description; the calendar
    carries the highest marking."""
    facts = matrix.matrix_input(data)
    analysis = matrix.analyse(facts.activities, facts.links)
    by_id = matrix.facts_by_id(facts)
    rows = {r.key: r.name for r in facts.rows}
    cal = calendars.calendar(
        f"{data.country_plan.title} — activities", data.marking, product="synchronization matrix"
    )
    for a in facts.activities:
        after = [by_id[p].title for p in matrix.predecessors_of(facts, a.id) if p in by_id]
        details = [
            f"Line of effort: {rows.get(a.row, '')}",
            f"Type: {a.type_label}",
            f"Program: {a.program or '—'}",
            f"Funding: {a.funding_text or 'none recorded'}",
            f"Status: {a.status_label}",
        ]
        if after:
            details.append("Starts after: " + "; ".join(after))
        if a.id in analysis.critical_ids:
            details.append("On the critical path (R-PLN-09).")
        ev = calendars.all_day_event(
            f"planning-activity-{a.id}@secoop", a.start, a.end, a.title, a.marking, details
        )
        if a.location:
            ev.add("location", a.location)
        ev.add("categories", [a.type_label])
        ev.add("status", _ics_status(a.status))
        cal.add_component(ev)
    return calendars.to_bytes(cal)


def _ics_status(status: str) -> str:
    if status == rules.Status.CANCELLED:
        return "CANCELLED"
    return "TENTATIVE" if status == rules.Status.PROPOSED else "CONFIRMED"


# --- CSCS document: the shared content --------------------------------------------------------------


def cscs_context(data: PlanData) -> dict:
    """What the DOCX and the PDF say, section by section (R-PLN-05)."""
    facts = matrix.matrix_input(data)
    lay = matrix.layout(facts)
    cp = data.country_plan
    measures: dict[int, list] = defaultdict(list)
    for m in data.measures:
        measures[m.imo_id].append(m)
    plan_end = data.campaign_plan.period_end if data.campaign_plan is not None else cp.period_end
    loe_name = {loe.pk: loe.name for loe in data.lines_of_effort}
    imos = []
    for imo in data.imos:
        findings = rules.smart(imo.smart_facts(measures.get(imo.pk, []), plan_end))
        failing = rules.failing_letters(findings)
        imos.append(
            {
                "imo": imo,
                "loe": loe_name.get(imo.line_of_effort_id, ""),
                "letters": [(letter, letter not in failing) for letter in rules.SMART_LETTERS],
                "ok": not findings,
                "findings": [f.full for f in findings],
                "measures": measures.get(imo.pk, []),
                "marking": imo.marking,
            }
        )
    by_id = matrix.facts_by_id(facts)
    rows = {r.key: r.name for r in facts.rows}
    activities = [
        {
            "a": a,
            "loe": rows.get(a.row, ""),
            "after": "; ".join(
                by_id[p].title for p in matrix.predecessors_of(facts, a.id) if p in by_id
            ),
            "critical": a.id in lay.analysis.critical_ids,
        }
        for a in sorted(facts.activities, key=lambda a: (a.phase or 99, a.start, a.id))
    ]
    today = data.today or timezone.localdate()
    assumptions = [
        {
            "a": a,
            "overdue": a.review_overdue(today),
            "problems": [f.message for f in rules.assumption_problems(a.valid, a.necessary)],
        }
        for a in data.assumptions
    ]
    sections = [(key, label, getattr(cp, key) or "") for key, label in rules.CSCS_SECTIONS]
    return {
        "cp": cp,
        "campaign_plan": data.campaign_plan,
        "ics": data.ics,
        "marking": data.marking,
        "facts": facts,
        "lay": lay,
        "imos": imos,
        "activities": activities,
        "assumptions": assumptions,
        "sections": dict((k, (label, text)) for k, label, text in sections),
        "phase_totals": matrix.phase_totals(facts),
        "fy_totals": matrix.fy_totals(facts),
        "generated": stamp(),
        "user": data.user,
        "violations": [lay.analysis.messages[k] for k in sorted(lay.analysis.messages)],
        "critical": lay.critical_bars,
        "update_due": rules.cscs_update_due(cp.issued_on),
        "missing": cp.missing_sections(),
    }


# --- DOCX -----------------------------------------------------------------------------------------


def docx(data: PlanData) -> bytes:
    """The CSCS as a Word document a desk officer can send as is: marking banner in the header and
    footer of every page, a title page, the R-PLN-05 sections, the IMOs with their SMART status, the
    phases, the synchronization matrix as a table by quarter (landscape), the activities and the
    assumptions."""
    ctx = cscs_context(data)
    doc = word.document(ctx["marking"], margin_cm=2.2)
    _docx_title_page(doc, ctx)
    _docx_section(doc, ctx, 1, "country_assessment")
    _docx_section(doc, ctx, 2, "country_objectives")
    _docx_objectives(doc, ctx)
    _docx_references(doc, ctx)
    _docx_section(doc, ctx, 4, "concept_of_engagement")
    _docx_phases(doc, ctx)
    word.new_section(doc, ctx["marking"], landscape=True, margin_cm=1.5)
    _docx_matrix_section(doc, ctx)
    word.new_section(doc, ctx["marking"], landscape=False, margin_cm=2.2)
    _docx_section(doc, ctx, 6, "coordinating_instructions")
    _docx_annexes(doc, ctx)
    return word.save(doc)


def _portion(p, m) -> None:
    """A portion marking before a paragraph: '(CUI) '."""
    from docx.shared import Pt
    from docx.shared import RGBColor

    r = p.add_run(f"({m}) ")
    r.bold = True
    r.font.size = Pt(9)
    r.font.color.rgb = RGBColor.from_string(MUTED)


def _centered(doc, text: str, *, size: float, bold=False, italic=False, color: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from docx.shared import RGBColor

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(text)
    r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    if color:
        r.font.color.rgb = RGBColor.from_string(color)
    return p


def _docx_title_page(doc, ctx: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.enum.text import WD_BREAK

    cp, plan = ctx["cp"], ctx["campaign_plan"]
    for _ in range(4):
        doc.add_paragraph()
    _centered(
        doc, "COUNTRY-SPECIFIC SECURITY COOPERATION SECTION (CSCS)", size=12, bold=True, color=MUTED
    )
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(cp.country.name)
    _centered(doc, cp.title, size=14)
    _centered(
        doc,
        f"Appendix to the {plan.title}" if plan else "Appendix to the CCMD campaign plan",
        size=10.5,
        italic=True,
    )
    doc.add_paragraph()
    due = ctx["update_due"]
    facts = [
        ["Version", str(cp.version)],
        ["Issued", rules.fmt(cp.issued_on) if cp.issued_on else "not issued"],
        ["Next update due (R-PLN-05)", rules.fmt(due) if due else "—"],
        [
            "Period",
            f"{cp.period_label} ({rules.fmt(cp.period_start)} – {rules.fmt(cp.period_end)})",
        ],
        ["Classification", str(ctx["marking"])],
        ["Prepared", f"{ctx['generated']} by {ctx['user'].username} with secoop"],
    ]
    t = word.table(doc, None, facts, widths_cm=[5.5, 10], font_size=10)
    for row in t.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
    doc.add_paragraph()
    _centered(
        doc,
        "This document contains only the records its preparer was cleared to see. Portion markings precede each record.",
        size=9,
        italic=True,
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _docx_section(doc, ctx: dict, number: int, key: str) -> None:
    """A numbered R-PLN-05 section: its paragraphs, each portion-marked."""
    label, text = ctx["sections"][key]
    doc.add_heading(f"{number}. {label}", level=1)
    paragraphs = [t.strip() for t in (text or "").split("\n") if t.strip()]
    for para in paragraphs or ["(Not yet written — R-PLN-05 requires this section.)"]:
        p = doc.add_paragraph()
        _portion(p, ctx["cp"].marking)
        p.add_run(para)


def _docx_objectives(doc, ctx: dict) -> None:
    doc.add_heading(
        "Intermediate military objectives (IMOs / outcomes) and their SMART check (R-PLN-02)",
        level=2,
    )
    rows = []
    for i in ctx["imos"]:
        imo = i["imo"]
        smart = " ".join(f"{letter[0]}{'✓' if ok else '✗'}" for letter, ok in i["letters"])
        rows.append(
            [
                f"({i['marking']}) {imo.title}",
                i["loe"],
                imo.get_term_display(),
                rules.fmt(imo.deadline) if imo.deadline else "—",
                smart + ("" if i["ok"] else "\n" + "\n".join(i["findings"])),
            ]
        )
    word.table(doc, ["IMO / outcome", "LOE / SSCI", "Term", "Deadline", "SMART (S M A R T)"], rows)


def _docx_references(doc, ctx: dict) -> None:
    cp = ctx["cp"]
    doc.add_heading("3. References to the CCMD campaign plan and the embassy ICS", level=1)
    for key in ("ccp_reference", "ics_reference"):
        label, text = ctx["sections"][key]
        p = doc.add_paragraph()
        _portion(p, cp.marking)
        p.add_run(f"{label}: ").bold = True
        p.add_run(text or "(not yet written)")
    ics_doc = ctx["ics"]
    if ics_doc is not None:
        p = doc.add_paragraph()
        _portion(p, ics_doc.marking)
        p.add_run(
            f"Integrated Country Strategy on record: {ics_doc.title}"
            + (f", {rules.fmt(ics_doc.issued_on)}" if ics_doc.issued_on else "")
        )


def _docx_phases(doc, ctx: dict) -> None:
    doc.add_heading("Phases", level=2)
    totals = dict((p.number, t) for p, t in ctx["phase_totals"] if p)
    facts = ctx["facts"]
    word.table(
        doc,
        ["Phase", "Dates", "Activities", "Funding (USD)"],
        [
            [
                ph.label,
                f"{rules.fmt(ph.start)} – {rules.fmt(ph.end)}",
                sum(1 for a in facts.activities if a.phase == ph.number),
                matrix.dollars(totals.get(ph.number, Decimal("0"))),
            ]
            for ph in facts.phases
        ],
    )


def _docx_matrix_section(doc, ctx: dict) -> None:
    """5. The matrix as a coloured table by quarter, the broken dependencies, the activities."""
    doc.add_heading("5. Synchronization matrix (R-PLN-09)", level=1)
    crit = ctx["critical"]
    doc.add_paragraph(
        f"{len(ctx['facts'].activities)} activities by line of effort and fiscal-year quarter. "
        + (f"Critical path: {' → '.join(b.activity.title for b in crit)}. " if crit else "")
        + (
            f"{len(ctx['violations'])} broken dependencies (listed below)."
            if ctx["violations"]
            else "No broken dependencies."
        )
    )
    _docx_matrix(doc, ctx)
    for v in ctx["violations"]:
        doc.add_paragraph(f"R-PLN-09: {v}", style="List Bullet")
    doc.add_heading("Activities", level=2)
    rows = []
    for item in ctx["activities"]:
        a = item["a"]
        rows.append(
            [
                str(a.phase or "—"),
                f"({a.marking}) {a.title}" + (" [critical path]" if item["critical"] else ""),
                item["loe"],
                a.dates_text,
                a.program or "—",
                a.funding_text or "—",
                a.status_label,
                item["after"] or "—",
            ]
        )
    word.table(
        doc,
        ["Ph.", "Activity", "LOE", "Dates", "Program", "Funding", "Status", "Starts after"],
        rows,
        font_size=8.5,
    )


def _docx_annexes(doc, ctx: dict) -> None:
    doc.add_heading("Annex A. Planning assumptions (R-PLN-04)", level=1)
    if ctx["assumptions"]:
        word.table(
            doc,
            ["Assumption", "Valid", "Necessary", "Review by", "Status"],
            [
                [
                    f"({x['a'].marking}) {x['a'].statement}",
                    "yes" if x["a"].valid else "no",
                    "yes" if x["a"].necessary else "no",
                    rules.fmt(x["a"].review_on),
                    "review overdue" if x["overdue"] else "current",
                ]
                for x in ctx["assumptions"]
            ],
        )
    else:
        doc.add_paragraph("No assumptions recorded with this country plan that you may see.")
    doc.add_heading("Annex B. Funding by fiscal year (USD)", level=1)
    fy = ctx["fy_totals"]
    sources = sorted({s for v in fy.values() for s in v})
    word.table(
        doc,
        ["Source", *[fiscal.fy_label(y) for y in fy], "Total"],
        [
            [
                matrix.SOURCE_LABELS.get(s, s),
                *[matrix.dollars(fy[y].get(s, Decimal("0"))) for y in fy],
                matrix.dollars(sum((fy[y].get(s, Decimal("0")) for y in fy), Decimal("0"))),
            ]
            for s in sources
        ],
    )


def _quarters(facts: MatrixFacts) -> list[tuple[int, int, dt.date, dt.date]]:
    """(fiscal year, quarter, first day, last day) of every quarter of the plan's fiscal years."""

    def add_months(day: dt.date, n: int) -> dt.date:
        m = day.month - 1 + n
        return dt.date(day.year + m // 12, m % 12 + 1, 1)

    quarters = []
    for fy in range(facts.start_fy, facts.end_fy + 1):
        for q in range(4):
            start = add_months(fiscal.fy_start(fy), 3 * q)
            quarters.append((fy, q + 1, start, matrix._month_end(add_months(start, 2))))
    return quarters


def _small(cell, text: str, size: float, *, bold=False, color: str | None = None, center=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from docx.shared import RGBColor

    cell.text = text  # one paragraph, one run
    p = cell.paragraphs[0]
    run = p.runs[0]
    run.font.size, run.bold = Pt(size), bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _docx_matrix(doc, ctx: dict) -> None:
    """The matrix as a Word table: a row per activity by LOE, a column per FY quarter, coloured."""
    facts: MatrixFacts = ctx["facts"]
    quarters = _quarters(facts)
    bars = {b.activity.id: b for b in ctx["lay"].bars}
    t = doc.add_table(rows=2, cols=1 + len(quarters))
    t.style = "Table Grid"
    hdr_fy, hdr_q = t.rows[0].cells, t.rows[1].cells
    first = hdr_fy[0].merge(hdr_q[0])
    _small(first, "Line of effort / activity", 9, bold=True, color="FFFFFF")
    word.shade(first, NAVY)
    for i in range(0, len(quarters), 4):
        cell = hdr_fy[1 + i].merge(hdr_fy[min(4 + i, len(quarters))])
        _small(cell, fiscal.fy_label(quarters[i][0]), 9, bold=True, color="FFFFFF", center=True)
        word.shade(cell, NAVY)
    for i, (_fy, q, _s, _e) in enumerate(quarters):
        _small(hdr_q[1 + i], f"Q{q}", 7, center=True)
        word.shade(hdr_q[1 + i], GREY)
    word.repeat_header(t.rows[0])
    word.repeat_header(t.rows[1])
    cells = t.add_row().cells
    _small(cells[0], "Phase", 8, bold=True)
    for i, (_fy, _q, s, e) in enumerate(quarters):
        ph = next((p for p in facts.phases if p.start <= e and s <= p.end), None)
        if ph:
            _small(cells[1 + i], str(ph.number), 7, center=True)
            word.shade(cells[1 + i], TEAL)
    for row in ctx["lay"].rows:
        acts = sorted(
            (a for a in facts.activities if a.row == row.row.key), key=lambda a: (a.start, a.id)
        )
        if not acts:
            continue
        head = t.add_row().cells
        loe = head[0].merge(head[-1])
        _small(loe, row.row.name, 9, bold=True)
        word.shade(loe, "F1F3F6")
        for a in acts:
            cells = t.add_row().cells
            _small(cells[0], a.title + (f" — {a.program_line}" if a.program_line else ""), 7.5)
            bar = bars.get(a.id)
            for i, (_fy, _q, s, e) in enumerate(quarters):
                if a.start <= e and s <= a.end:
                    word.shade(cells[1 + i], bar.fill if bar else "#565c65")
    usable = word.usable_width_cm(doc.sections[-1])
    quarter_w = min(0.85, (usable - 6) / len(quarters))
    word.set_widths(t, [usable - quarter_w * len(quarters)] + [quarter_w] * len(quarters))


# --- PDF ------------------------------------------------------------------------------------------

CSCS_TEMPLATE = "planning/matrix/cscs_pdf.html"


def pdf_html(data: PlanData) -> str:
    ctx = cscs_context(data)
    ctx["svg"] = matrix_svg.render(ctx["lay"], interactive=False, ident="pdfmx")
    return pdfs.html(CSCS_TEMPLATE, ctx, ctx["marking"])


def pdf(data: PlanData) -> bytes:
    """The CSCS as PDF, the marking in every page's header and footer."""
    return pdfs.render(pdf_html(data))


# --- the download ---------------------------------------------------------------------------------

FORMATS: dict[str, Callable[[PlanData], bytes]] = {
    "xlsx": xlsx,
    "pptx": pptx,
    "ics": ics,
    "docx": docx,
    "pdf": pdf,
}


def report(data: PlanData, fmt: str) -> Report:
    """The export in `fmt` (a key of FORMATS), named after the country, what it is and the
    version: 'bandaria-cscs-v1.docx', 'bandaria-sync-matrix-v1.xlsx'."""
    cp = data.country_plan
    what = "cscs" if fmt in ("docx", "pdf") else "sync matrix"
    name = slugify(f"{cp.country.name} {what} v{cp.version}")
    return Report(FORMATS[fmt](data), f"{name}.{fmt}", data.marking)
