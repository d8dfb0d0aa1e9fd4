"""Exports of a country plan: the synchronization matrix as XLSX (laid out like the textbook's
Figure 19-5), PPTX (an overview slide and one slide per phase, drawn shapes) and ICS (one event per
activity); the CSCS (R-PLN-05) as DOCX and PDF.

Every export takes a matrix.PlanData, already read through the door for the user, so it holds only
what that user may see; every export carries the highest marking of what it contains
(core.markings.combine), top and bottom of every page or slide, and on every event.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from secoop.core.markings import Classification, Marking
from secoop.core.spreadsheets import workbook_bytes

from . import matrix, matrix_svg, rules
from .matrix import MatrixFacts, PlanData

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS_MIME = "text/calendar; charset=utf-8"
PDF_MIME = "application/pdf"

BANNER_COLORS = {
    Classification.UNCLASSIFIED: "007A33",
    Classification.CUI: "502B85",
    Classification.CONFIDENTIAL: "0033A0",
    Classification.SECRET: "C8102E",
}


def banner_color(marking: Marking) -> str:
    return BANNER_COLORS.get(marking.classification, "502B85")


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def _generated() -> str:
    return f"{timezone.now():%d %b %Y %H:%M} UTC"


# --- XLSX -----------------------------------------------------------------------------------------


def xlsx(data: PlanData) -> bytes:
    """The matrix as the textbook draws it: a row per activity grouped by line of effort, a column per
    month grouped by fiscal year and quarter, a phase band, coloured cells per activity with its
    program and funding; marking banner first and last."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    facts = matrix.matrix_input(data)
    lay = matrix.layout(facts)
    marking = data.marking
    cp = data.country_plan
    months = list(matrix.iter_months(facts.period_start, facts.period_end))
    fixed = [
        "Line of effort (SSCI)",
        "Activity",
        "Program / authority",
        "Funding (USD)",
        "Dates",
        "Status",
        "Starts after",
        "Flags",
    ]
    first_month_col = len(fixed) + 1
    last_col = first_month_col + len(months) - 1

    wb = Workbook()
    ws = wb.active
    ws.title = "Synchronization matrix"
    white_bold = Font(bold=True, color="FFFFFF")
    thin = Side(style="thin", color="A9AEB1")
    fy_side = Side(style="medium", color="1B1B1B")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def banner(row: int) -> None:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        cell = ws.cell(row=row, column=1, value=str(marking))
        cell.font = Font(bold=True, color="FFFFFF", size=12)
        cell.fill = PatternFill("solid", fgColor=banner_color(marking))
        cell.alignment = Alignment(horizontal="center")

    banner(1)
    ws.cell(
        row=2,
        column=1,
        value=f"{cp.title} — synchronization matrix (version {cp.version}, {cp.period_label})",
    ).font = Font(bold=True, size=14)
    ws.cell(
        row=3,
        column=1,
        value=f"Exported {_generated()} by {data.user.username}. Shows only what this user may see. R-PLN-09.",
    ).font = Font(italic=True, color="3D4551")

    hdr_fy, hdr_q, hdr_m, hdr_phase = 5, 6, 7, 8
    navy = PatternFill("solid", fgColor="162E51")
    grey = PatternFill("solid", fgColor="DFE1E2")
    for col, title in enumerate(fixed, start=1):
        ws.merge_cells(start_row=hdr_fy, start_column=col, end_row=hdr_m, end_column=col)
        c = ws.cell(row=hdr_fy, column=col, value=title)
        c.font, c.fill, c.alignment = white_bold, navy, center
    # fiscal years, quarters, months
    col_of = {(m.year, m.month): first_month_col + i for i, m in enumerate(months)}
    by_fy: dict[int, list[int]] = defaultdict(list)
    by_q: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in months:
        fy = rules.fiscal_year(m)
        by_fy[fy].append(col_of[(m.year, m.month)])
        by_q[(fy, ((m.month - 10) % 12) // 3 + 1)].append(col_of[(m.year, m.month)])
    for fy, cols in by_fy.items():
        ws.merge_cells(start_row=hdr_fy, start_column=cols[0], end_row=hdr_fy, end_column=cols[-1])
        c = ws.cell(row=hdr_fy, column=cols[0], value=rules.fy_label(fy))
        c.font, c.fill, c.alignment = white_bold, navy, center
    for (_fy, q), cols in by_q.items():
        ws.merge_cells(start_row=hdr_q, start_column=cols[0], end_row=hdr_q, end_column=cols[-1])
        c = ws.cell(row=hdr_q, column=cols[0], value=f"Q{q}")
        c.fill, c.alignment, c.font = grey, center, Font(bold=True)
    for m in months:
        c = ws.cell(
            row=hdr_m, column=col_of[(m.year, m.month)], value=matrix.MONTH_INITIALS[m.month - 1]
        )
        c.alignment, c.font = center, Font(size=9)
    # phase band
    ws.cell(row=hdr_phase, column=1, value="Phase").font = Font(bold=True)
    teal = PatternFill("solid", fgColor="E7F2F5")
    for ph in facts.phases:
        cols = [
            col_of[(m.year, m.month)]
            for m in months
            if ph.start <= matrix._month_end(m) and m <= ph.end
        ]
        if not cols:
            continue
        ws.merge_cells(
            start_row=hdr_phase, start_column=cols[0], end_row=hdr_phase, end_column=cols[-1]
        )
        c = ws.cell(row=hdr_phase, column=cols[0], value=ph.label)
        c.fill, c.alignment, c.font = (
            teal,
            Alignment(horizontal="left", vertical="center"),
            Font(bold=True, color="00465A"),
        )
        c.border = Border(left=fy_side)

    by_id = matrix.facts_by_id(facts)
    bars = {b.activity.id: b for b in lay.bars}
    fills: dict[str, PatternFill] = {}
    row = hdr_phase + 1
    for rowbox in lay.rows:
        acts = sorted(
            (a for a in facts.activities if a.row == rowbox.row.key), key=lambda a: (a.start, a.id)
        )
        if not acts:
            continue
        first = row
        for a in acts:
            bar = bars.get(a.id)
            after = "; ".join(
                by_id[p].title for p in matrix.predecessors_of(facts, a.id) if p in by_id
            )
            flags = []
            if bar and bar.critical:
                flags.append("critical path")
            if bar and bar.violated:
                flags.append("broken dependency (R-PLN-09)")
            if a.unlinked:
                flags.append("unlinked (R-PLN-01)")
            values = [
                rowbox.row.name,
                a.title,
                " / ".join(x for x in (a.program,) if x) or "",
                float(a.total) if a.funding else None,
                a.dates_text,
                a.status_label,
                after,
                ", ".join(flags),
            ]
            for col, v in enumerate(values, start=1):
                c = ws.cell(row=row, column=col, value=v)
                c.alignment = Alignment(vertical="center", wrap_text=col in (2, 7))
                c.border = Border(bottom=thin)
            if a.funding:
                ws.cell(row=row, column=4).number_format = '"$"#,##0'
                ws.cell(row=row, column=4).comment = None
            cols = [
                col_of[(m.year, m.month)]
                for m in months
                if a.start <= matrix._month_end(m) and m <= a.end
            ]
            fill = fills.setdefault(
                bar.fill if bar else "",
                PatternFill("solid", fgColor=_hex(bar.fill if bar else matrix.SOURCE_COLORS[""])),
            )
            for col in cols:
                cell = ws.cell(row=row, column=col)
                cell.fill = fill
            if cols:
                text = a.program_line or a.type_label
                if len(cols) >= 3:
                    ws.merge_cells(
                        start_row=row, start_column=cols[0], end_row=row, end_column=cols[-1]
                    )
                c = ws.cell(row=row, column=cols[0], value=text if len(cols) >= 3 else None)
                c.font = Font(bold=True, color="FFFFFF", size=9)
                c.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
                if bar and bar.critical:
                    c.border = Border(
                        top=Side(style="thick", color="C43D00"),
                        bottom=Side(style="thick", color="C43D00"),
                    )
                if len(cols) < 3 and text:
                    # a short bar: its label beside it, as in the textbook, flowing over the empty months
                    if cols[-1] < last_col:
                        beside = ws.cell(row=row, column=cols[-1] + 1, value=text)
                        beside.font = Font(color="1B1B1B", size=8)
                        beside.alignment = Alignment(horizontal="left", vertical="center")
                    else:
                        side = ws.cell(row=row, column=cols[0] - 1, value=text)
                        side.font = Font(color="1B1B1B", size=8)
                        side.alignment = Alignment(horizontal="right", vertical="center")
            ws.row_dimensions[row].height = 30
            row += 1
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        c = ws.cell(row=first, column=1)
        c.font = Font(bold=True, size=12)
        c.alignment = Alignment(vertical="top", wrap_text=True)
        c.fill = PatternFill("solid", fgColor="F1F3F6")
    # fiscal-year boundaries
    for cols in by_fy.values():
        for r in range(hdr_m, row):
            cell = ws.cell(row=r, column=cols[0])
            cell.border = Border(left=fy_side, bottom=cell.border.bottom)

    # funding per fiscal year and source (Decimal until written)
    row += 1
    ws.cell(row=row, column=1, value="Funding by fiscal year and source (USD)").font = Font(
        bold=True, size=12
    )
    row += 1
    totals = matrix.fy_totals(facts)
    sources = sorted(
        {s for v in totals.values() for s in v},
        key=lambda s: list(matrix.SOURCE_COLORS).index(s) if s in matrix.SOURCE_COLORS else 99,
    )
    ws.cell(row=row, column=1, value="Source").font = Font(bold=True)
    for i, fy in enumerate(totals, start=2):
        ws.cell(row=row, column=i, value=rules.fy_label(fy)).font = Font(bold=True)
    ws.cell(row=row, column=len(totals) + 2, value="Total").font = Font(bold=True)
    for s in sources:
        row += 1
        c = ws.cell(row=row, column=1, value=matrix.SOURCE_LABELS.get(s, s))
        c.fill, c.font = (
            PatternFill("solid", fgColor=_hex(matrix.SOURCE_COLORS.get(s, "#565c65"))),
            white_bold,
        )
        total = Decimal("0")
        for i, fy in enumerate(totals, start=2):
            amount = totals[fy].get(s, Decimal("0"))
            total += amount
            cell = ws.cell(row=row, column=i, value=float(amount) if amount else None)
            cell.number_format = '"$"#,##0'
        cell = ws.cell(row=row, column=len(totals) + 2, value=float(total))
        cell.number_format, cell.font = '"$"#,##0', Font(bold=True)
    row += 2
    banner(row)

    widths = [26, 44, 26, 13, 24, 11, 30, 22]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for col in range(first_month_col, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 3.6
    ws.freeze_panes = ws.cell(row=hdr_phase + 1, column=3)
    ws.sheet_view.zoomScale = 90
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.oddHeader.center.text = str(marking)
    ws.oddFooter.center.text = str(marking)

    # the dependencies, for those who filter in Excel
    deps = wb.create_sheet("Dependencies")
    deps.append([str(marking)])
    deps.append(["Predecessor", "Successor", "Lag (days)", "Why", "Critical", "Broken (R-PLN-09)"])
    for cell in deps[2]:
        cell.font = white_bold
        cell.fill = navy
    for link in facts.links:
        pair = (link.predecessor, link.successor)
        deps.append(
            [
                by_id[link.predecessor].title,
                by_id[link.successor].title,
                link.lag_days,
                link.note,
                "yes" if pair in lay.analysis.critical_links else "",
                lay.analysis.messages.get(pair, ""),
            ]
        )
    deps.append([])
    deps.append([str(marking)])
    for i, w in enumerate([48, 48, 10, 40, 9, 60], start=1):
        deps.column_dimensions[get_column_letter(i)].width = w

    return workbook_bytes(wb)  # no live formula (issue 10 item 6)


# --- PPTX -----------------------------------------------------------------------------------------


def pptx(data: PlanData) -> bytes:
    """An overview slide with the whole matrix and one slide per phase, drawn as shapes."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    facts = matrix.matrix_input(data)
    marking = data.marking
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    cp = data.country_plan

    def slide(title: str, subtitle: str, lay: matrix.Layout) -> None:
        s = prs.slides.add_slide(blank)
        _pptx_banner(s, marking, prs, top=True)
        _pptx_banner(s, marking, prs, top=False)
        tb = s.shapes.add_textbox(Inches(0.4), Inches(0.38), Inches(12.5), Inches(0.5))
        p = tb.text_frame.paragraphs[0]
        p.text = title
        p.font.size, p.font.bold = Pt(22), True
        p.font.color.rgb = _rgb("162E51")
        tb2 = s.shapes.add_textbox(Inches(0.4), Inches(0.86), Inches(12.5), Inches(0.3))
        p2 = tb2.text_frame.paragraphs[0]
        p2.text = subtitle
        p2.font.size = Pt(11)
        p2.font.color.rgb = _rgb("3D4551")
        area_w, area_h = Inches(12.53), Inches(5.75)
        k = min(area_w / lay.width, area_h / lay.height)  # EMU per px
        _draw_layout(s, lay, Emu(int(Inches(0.4))), Emu(int(Inches(1.25))), k)

    # The overview fills the slide: as wide as the drawing area's proportions allow.
    days = (facts.period_end - facts.period_start).days + 1
    overview = matrix.layout(facts, scale="quarter")
    for _ in range(2):
        ppd = (12.53 / 5.75 * overview.height - matrix.LABEL_W - matrix.RIGHT_PAD) / days
        overview = matrix.layout(
            facts, scale="month" if ppd >= 0.6 else "quarter", ppd=max(ppd, 0.3)
        )
    crit = overview.critical_bars
    slide(
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
        slide(
            ph.label,
            f"{rules.fmt(ph.start)} – {rules.fmt(ph.end)} · {len(lay.bars)} activities · funding in this phase {matrix.dollars(total)}",
            lay,
        )
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _rgb(hex_: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(_hex(hex_))


def _pptx_banner(s, marking: Marking, prs, *, top: bool) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    h = Inches(0.28)
    y = 0 if top else prs.slide_height - h
    box = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, y, prs.slide_width, h)
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(banner_color(marking))
    box.line.fill.background()
    tf = box.text_frame
    tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.text = str(marking)
    p.alignment = PP_ALIGN.CENTER
    p.font.size, p.font.bold = Pt(11), True
    p.font.color.rgb = _rgb("FFFFFF")
    box.name = "Classification banner " + ("top" if top else "bottom")


def _draw_layout(s, lay: matrix.Layout, ox, oy, k: float) -> None:
    """Draw a matrix layout on a slide: px → EMU by `k`, offset (ox, oy)."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    def X(px: float):
        return Emu(int(ox + px * k))

    def Y(px: float):
        return Emu(int(oy + px * k))

    def L(px: float):
        return Emu(max(int(px * k), 1))

    pt = k / 12700  # points per px
    shapes = s.shapes

    def rect(
        x,
        y,
        w,
        h,
        fill: str | None,
        line: str | None = None,
        width: float = 0.75,
        shape=MSO_SHAPE.RECTANGLE,
    ):
        r = shapes.add_shape(shape, X(x), Y(y), L(w), L(h))
        if fill:
            r.fill.solid()
            r.fill.fore_color.rgb = _rgb(fill)
        else:
            r.fill.background()
        if line:
            r.line.color.rgb = _rgb(line)
            r.line.width = Pt(width)
        else:
            r.line.fill.background()
        r.shadow.inherit = False
        return r

    def text(
        x, y, w, h, value: str, size_px: float, color: str = "1B1B1B", bold=False, center=False
    ):
        tb = shapes.add_textbox(X(x), Y(y), L(w), L(h))
        tf = tb.text_frame
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.word_wrap = False
        p = tf.paragraphs[0]
        p.text = value
        p.font.size = Pt(max(size_px * pt, 5))
        p.font.bold = bold
        p.font.color.rgb = _rgb(color)
        if center:
            from pptx.enum.text import PP_ALIGN

            p.alignment = PP_ALIGN.CENTER
        return tb

    top = lay.header_h
    # header
    rect(0, 0, lay.width, matrix.FY_ROW_H, "162E51")
    for t in lay.fy_ticks:
        text(t.x, 0, t.w, matrix.FY_ROW_H, t.label, 13, "FFFFFF", bold=True, center=True)
    y = matrix.FY_ROW_H
    rect(0, y, lay.width, matrix.QUARTER_ROW_H, "DFE1E2")
    for t in lay.quarter_ticks:
        if t.w * k > 150000:
            text(t.x, y, t.w, matrix.QUARTER_ROW_H, t.label, 11, center=True)
    y += matrix.QUARTER_ROW_H
    if lay.month_ticks:
        rect(0, y, lay.width, matrix.MONTH_ROW_H, "F1F3F6")
        for t in lay.month_ticks:
            text(t.x, y, t.w, matrix.MONTH_ROW_H, t.label, 10, "3D4551", center=True)
        y += matrix.MONTH_ROW_H
    for band in lay.bands:
        rect(
            band.x, top, band.w, lay.height - top, band.tint[1:] if band.tint != "#ffffff" else None
        )
        r = rect(band.x + 1, y + 3, band.w - 2, matrix.PHASE_ROW_H - 6, "E7F2F5", "00687D")
        text(
            band.x + 6,
            y + 3,
            band.w - 8,
            matrix.PHASE_ROW_H - 6,
            band.label,
            11,
            "00465A",
            bold=True,
        )
        r.name = band.label
    # rows
    rect(0, top, matrix.LABEL_W, lay.height - top, "F7F9FA")
    for r in lay.rows:
        shapes.add_connector(1, X(0), Y(r.y), X(lay.width), Y(r.y)).line.color.rgb = _rgb("A9AEB1")
        text(8, r.y + 6, matrix.LABEL_W - 12, 16, r.row.caption.upper(), 10, "3D4551", bold=True)
        for i, line in enumerate(r.label_lines):
            text(8, r.y + 24 + 16 * i, matrix.LABEL_W - 12, 16, line, 13.5, bold=True)
    for t in lay.fy_ticks:
        c = shapes.add_connector(1, X(t.x), Y(0), X(t.x), Y(lay.height))
        c.line.color.rgb = _rgb("1B1B1B")
        c.line.width = Pt(1.25)
    # arrows, then bars
    for a in sorted(lay.arrows, key=lambda a: (a.violated, a.critical)):
        pts = a.points
        if len(pts) < 2:
            continue
        fb = shapes.build_freeform(X(pts[0][0]), Y(pts[0][1]), scale=1.0)
        fb.add_line_segments([(X(px), Y(py)) for px, py in pts[1:]], close=False)
        shape = fb.convert_to_shape()
        shape.fill.background()
        color = (
            matrix.VIOLATION_COLOR
            if a.violated
            else matrix.CRITICAL_COLOR
            if a.critical
            else matrix.ARROW_COLOR
        )
        shape.line.color.rgb = _rgb(color)
        shape.line.width = Pt(2 if (a.critical or a.violated) else 1)
        ln = shape.line._get_or_add_ln()
        tail = ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
        ln.append(tail)
        shape.name = f"Dependency {a.predecessor} → {a.successor}"
    for b in lay.bars:
        a = b.activity
        proposed = a.status == rules.Status.PROPOSED
        if b.critical:
            rect(
                b.x - 3,
                b.y - 3,
                b.w + 6,
                b.h + 6,
                None,
                matrix.CRITICAL_COLOR,
                2,
                MSO_SHAPE.ROUNDED_RECTANGLE,
            )
        body = rect(
            b.x,
            b.y,
            b.w,
            b.h,
            "FFFFFF" if proposed else b.fill,
            b.fill,
            1.5 if proposed else 0.75,
            MSO_SHAPE.ROUNDED_RECTANGLE,
        )
        if proposed:
            from pptx.enum.dml import MSO_LINE_DASH_STYLE

            body.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        body.name = f"Activity {a.id}: {a.title}"
        label_w = matrix.text_width(b.label) + 6
        if b.label_inside:
            text(
                b.x + 5,
                b.y,
                b.w - 6,
                b.h,
                b.label,
                11,
                b.fill if proposed else b.text_color,
                bold=True,
            )
        elif b.label_left:
            text(b.x - 5 - label_w, b.y, label_w, b.h, b.label, 11, bold=True)
        else:
            text(b.x + b.w + 5, b.y, label_w, b.h, b.label, 11, bold=True)
        if b.sub:
            sub_w = matrix.text_width(b.sub, matrix.SUB_CHAR_W) + 6
            sx = b.x + b.w - sub_w if b.label_left else b.x
            text(sx, b.y + b.h + 1, sub_w, 13, b.sub, 10, "3D4551")


# --- ICS ------------------------------------------------------------------------------------------


def ics(data: PlanData) -> bytes:
    """One VEVENT per activity (all-day, inclusive dates → exclusive DTEND), marked in the summary
    and the description; the calendar carries the highest marking."""
    from icalendar import Calendar, Event

    facts = matrix.matrix_input(data)
    analysis = matrix.analyse(facts.activities, facts.links)
    by_id = matrix.facts_by_id(facts)
    rows = {r.key: r.name for r in facts.rows}
    cal = Calendar()
    cal.add("prodid", "-//secoop//synchronization matrix//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"({data.marking}) {data.country_plan.title} — activities")
    cal.add("x-secoop-marking", str(data.marking))
    stamp = timezone.now()
    for a in facts.activities:
        ev = Event()
        ev.add("uid", f"planning-activity-{a.id}@secoop")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", a.start)
        ev.add("dtend", a.end + dt.timedelta(days=1))
        ev.add("summary", f"({a.marking}) {a.title}")
        if a.location:
            ev.add("location", a.location)
        after = [by_id[p].title for p in matrix.predecessors_of(facts, a.id) if p in by_id]
        lines = [
            f"Classification: {a.marking}",
            f"Line of effort: {rows.get(a.row, '')}",
            f"Type: {a.type_label}",
            f"Program: {a.program or '—'}",
            f"Funding: {a.funding_text or 'none recorded'}",
            f"Status: {a.status_label}",
        ]
        if after:
            lines.append("Starts after: " + "; ".join(after))
        if a.id in analysis.critical_ids:
            lines.append("On the critical path (R-PLN-09).")
        lines.append(f"Classification: {a.marking}")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [a.type_label])
        ev.add(
            "status",
            "CANCELLED"
            if a.status == rules.Status.CANCELLED
            else "CONFIRMED"
            if a.status != rules.Status.PROPOSED
            else "TENTATIVE",
        )
        ev.add("class", "CONFIDENTIAL")
        ev.add("x-secoop-marking", str(a.marking))
        cal.add_component(ev)
    return cal.to_ical()


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
        "generated": _generated(),
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
    phases, the synchronization matrix as a table by quarter, the activities and the assumptions."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    ctx = cscs_context(data)
    cp = ctx["cp"]
    marking = ctx["marking"]
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Title", 26)):
        styles[name].font.color.rgb = RGBColor.from_string("162E51")
        styles[name].font.size = Pt(size)

    def shade(cell, color: str) -> None:
        tc_pr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), _hex(color))
        tc_pr.append(shd)

    def banner_paragraph(container) -> None:
        p = container.paragraphs[0] if container.paragraphs else container.add_paragraph()
        p.text = ""
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(str(marking))
        run.bold = True
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor.from_string(banner_color(marking))

    def set_banners(section) -> None:
        section.different_first_page_header_footer = False
        banner_paragraph(section.header)
        banner_paragraph(section.footer)

    def portion(p, m: Marking) -> None:
        r = p.add_run(f"({m}) ")
        r.bold = True
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor.from_string("3D4551")

    def table(headers: list[str], rows: list[list[str]], widths: list[float] | None = None):
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, h in enumerate(headers):
            cell = t.rows[0].cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(h)
            run.bold = True
            run.font.color.rgb = RGBColor.from_string("FFFFFF")
            run.font.size = Pt(9.5)
            shade(cell, "162E51")
        for values in rows:
            cells = t.add_row().cells
            for i, v in enumerate(values):
                cells[i].text = ""
                run = cells[i].paragraphs[0].add_run(str(v))
                run.font.size = Pt(9)
        if widths:
            for row in t.rows:
                for i, w in enumerate(widths):
                    row.cells[i].width = Cm(w)
        return t

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # US Letter
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    set_banners(section)

    # --- title page ---
    for _ in range(4):
        doc.add_paragraph()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("COUNTRY-SPECIFIC SECURITY COOPERATION SECTION (CSCS)")
    r.bold, r.font.size, r.font.color.rgb = True, Pt(12), RGBColor.from_string("3D4551")
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(cp.country.name)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(cp.title)
    r.font.size = Pt(14)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    plan = ctx["campaign_plan"]
    p.add_run(
        f"Appendix to the {plan.title}" if plan else "Appendix to the CCMD campaign plan"
    ).italic = True
    doc.add_paragraph()
    facts_tbl = [
        ["Version", str(cp.version)],
        ["Issued", rules.fmt(cp.issued_on) if cp.issued_on else "not issued"],
        ["Next update due (R-PLN-05)", rules.fmt(ctx["update_due"]) if ctx["update_due"] else "—"],
        [
            "Period",
            f"{cp.period_label} ({rules.fmt(cp.period_start)} – {rules.fmt(cp.period_end)})",
        ],
        ["Classification", str(marking)],
        ["Prepared", f"{ctx['generated']} by {data.user.username} with secoop"],
    ]
    t = table(["", ""], facts_tbl, [5.5, 10])
    t.rows[0]._tr.getparent().remove(t.rows[0]._tr)
    for row in t.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
    doc.add_paragraph()
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    nr = note.add_run(
        "This document contains only the records its preparer was cleared to see. Portion markings precede each record."
    )
    nr.italic, nr.font.size = True, Pt(9)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- sections (R-PLN-05) ---
    def section_text(num: int, key: str, extra=None) -> None:
        label, text = ctx["sections"][key]
        doc.add_heading(f"{num}. {label}", level=1)
        for para in [t for t in (text or "").split("\n") if t.strip()] or [
            "(Not yet written — R-PLN-05 requires this section.)"
        ]:
            p = doc.add_paragraph()
            portion(p, cp.marking)
            p.add_run(para.strip())
        if extra:
            extra()

    section_text(1, "country_assessment")

    def objectives_extra():
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
        table(
            ["IMO / outcome", "LOE / SSCI", "Term", "Deadline", "SMART (S M A R T)"],
            rows,
            [5.2, 3.2, 1.8, 2.3, 5.2],
        )

    section_text(2, "country_objectives", objectives_extra)
    doc.add_heading("3. References to the CCMD campaign plan and the embassy ICS", level=1)
    for key in ("ccp_reference", "ics_reference"):
        label, text = ctx["sections"][key]
        p = doc.add_paragraph()
        portion(p, cp.marking)
        p.add_run(f"{label}: ").bold = True
        p.add_run(text or "(not yet written)")
    if ctx["ics"] is not None:
        p = doc.add_paragraph()
        portion(p, ctx["ics"].marking)
        p.add_run(
            f"Integrated Country Strategy on record: {ctx['ics'].title}"
            + (f", {rules.fmt(ctx['ics'].issued_on)}" if ctx["ics"].issued_on else "")
        )

    def phases_extra():
        doc.add_heading("Phases", level=2)
        totals = dict((p.number, t) for p, t in ctx["phase_totals"] if p)
        table(
            ["Phase", "Dates", "Activities", "Funding (USD)"],
            [
                [
                    ph.label,
                    f"{rules.fmt(ph.start)} – {rules.fmt(ph.end)}",
                    str(sum(1 for a in ctx["facts"].activities if a.phase == ph.number)),
                    matrix.dollars(totals.get(ph.number, Decimal("0"))),
                ]
                for ph in ctx["facts"].phases
            ],
            [7, 5, 2, 3.5],
        )

    section_text(4, "concept_of_engagement", phases_extra)

    # --- 5. synchronization matrix: landscape section ---
    land = doc.add_section()
    land.orientation = WD_ORIENT.LANDSCAPE
    land.page_width, land.page_height = Cm(27.94), Cm(21.59)
    for side in ("left_margin", "right_margin"):
        setattr(land, side, Cm(1.5))
    set_banners(land)
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
    _docx_matrix(doc, ctx, shade)
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
    table(
        ["Ph.", "Activity", "LOE", "Dates", "Program", "Funding", "Status", "Starts after"],
        rows,
        [1, 6.5, 3, 3.6, 3, 4, 1.8, 3.5],
    )

    # --- 6. coordinating instructions, assumptions: portrait again ---
    port = doc.add_section()
    port.orientation = WD_ORIENT.PORTRAIT
    port.page_width, port.page_height = Cm(21.59), Cm(27.94)
    set_banners(port)
    section_text(6, "coordinating_instructions")
    doc.add_heading("Annex A. Planning assumptions (R-PLN-04)", level=1)
    if ctx["assumptions"]:
        table(
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
            [8.5, 1.4, 1.8, 2.6, 2.6],
        )
    else:
        doc.add_paragraph("No assumptions recorded with this country plan that you may see.")
    doc.add_heading("Annex B. Funding by fiscal year (USD)", level=1)
    fy = ctx["fy_totals"]
    sources = sorted({s for v in fy.values() for s in v})
    table(
        ["Source", *[rules.fy_label(y) for y in fy], "Total"],
        [
            [
                matrix.SOURCE_LABELS.get(s, s),
                *[matrix.dollars(fy[y].get(s, Decimal("0"))) for y in fy],
                matrix.dollars(sum((fy[y].get(s, Decimal("0")) for y in fy), Decimal("0"))),
            ]
            for s in sources
        ],
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_matrix(doc, ctx: dict, shade: Callable) -> None:
    """The matrix as a Word table: a row per activity by LOE, a column per FY quarter, coloured."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    facts: MatrixFacts = ctx["facts"]
    lay = ctx["lay"]

    def add_months(day: dt.date, n: int) -> dt.date:
        m = day.month - 1 + n
        return dt.date(day.year + m // 12, m % 12 + 1, 1)

    quarters = []
    for fy in range(facts.start_fy, facts.end_fy + 1):
        for q in range(4):
            start = add_months(rules.fy_start(fy), 3 * q)
            quarters.append((fy, q + 1, start, matrix._month_end(add_months(start, 2))))
    bars = {b.activity.id: b for b in lay.bars}
    t = doc.add_table(rows=2, cols=1 + len(quarters))
    t.style = "Table Grid"
    hdr_fy, hdr_q = t.rows[0].cells, t.rows[1].cells
    hdr_fy[0].merge(hdr_q[0])
    hdr_fy[0].text = "Line of effort / activity"
    shade(hdr_fy[0], "162E51")
    hdr_fy[0].paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string("FFFFFF")
    hdr_fy[0].paragraphs[0].runs[0].bold = True
    for i in range(0, len(quarters), 4):
        fy = quarters[i][0]
        cell = hdr_fy[1 + i].merge(hdr_fy[min(4 + i, len(quarters))])
        cell.text = rules.fy_label(fy)
        shade(cell, "162E51")
        run = cell.paragraphs[0].runs[0]
        run.font.color.rgb, run.bold, run.font.size = RGBColor.from_string("FFFFFF"), True, Pt(9)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, (_fy, q, _s, _e) in enumerate(quarters):
        cell = hdr_q[1 + i]
        cell.text = f"Q{q}"
        cell.paragraphs[0].runs[0].font.size = Pt(7)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, "DFE1E2")
    # phase band
    cells = t.add_row().cells
    cells[0].text = "Phase"
    for i, (_fy, _q, s, e) in enumerate(quarters):
        ph = next((p for p in facts.phases if p.start <= e and s <= p.end), None)
        if ph:
            cells[1 + i].text = str(ph.number)
            cells[1 + i].paragraphs[0].runs[0].font.size = Pt(7)
            cells[1 + i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            shade(cells[1 + i], "E7F2F5")
    for row in lay.rows:
        acts = sorted(
            (a for a in facts.activities if a.row == row.row.key), key=lambda a: (a.start, a.id)
        )
        if not acts:
            continue
        cells = t.add_row().cells
        head = cells[0].merge(cells[-1])
        head.text = row.row.name
        head.paragraphs[0].runs[0].bold = True
        shade(head, "F1F3F6")
        for a in acts:
            cells = t.add_row().cells
            cells[0].text = a.title + (f" — {a.program_line}" if a.program_line else "")
            cells[0].paragraphs[0].runs[0].font.size = Pt(7.5)
            bar = bars.get(a.id)
            for i, (_fy, _q, s, e) in enumerate(quarters):
                if a.start <= e and s <= a.end:
                    shade(cells[1 + i], bar.fill if bar else "#565c65")
    for r in t.rows:
        r.cells[0].width = Cm(7.5)
        for c in r.cells[1:]:
            c.width = Cm(0.85)


# --- PDF ------------------------------------------------------------------------------------------


def pdf_html(data: PlanData) -> str:
    ctx = cscs_context(data)
    ctx["svg"] = matrix_svg.render(ctx["lay"], interactive=False, ident="pdfmx")
    ctx["banner_color"] = "#" + banner_color(ctx["marking"])
    return render_to_string("planning/matrix/cscs_pdf.html", ctx)


def pdf(data: PlanData) -> bytes:
    """The CSCS as PDF (WeasyPrint), the marking in every page's header and footer (@page)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return HTML(string=pdf_html(data)).write_pdf()


FORMATS: dict[str, Callable[[PlanData], tuple[bytes, str, str]]] = {
    "xlsx": lambda d: (xlsx(d), XLSX_MIME, "xlsx"),
    "pptx": lambda d: (pptx(d), PPTX_MIME, "pptx"),
    "ics": lambda d: (ics(d), ICS_MIME, "ics"),
    "docx": lambda d: (docx(d), DOCX_MIME, "docx"),
    "pdf": lambda d: (pdf(d), PDF_MIME, "pdf"),
}
