"""Workbooks: a sheet per table, each with the marking banner as its first and last row, the
marking in its print header and footer (core.spreadsheets.workbook_bytes does that for every
sheet, whoever built it), a frozen, repeated header row, and column widths that fit the contents.

Layout of a table sheet, which readers and tests rely on:
row 1 the banner; then the heading lines; then the header row; the rows; the note if any; a blank
row; the banner.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from secoop.core import formats
from secoop.core.markings import Marking
from secoop.core.markings import banner_color
from secoop.core.spreadsheets import is_formula_like
from secoop.core.spreadsheets import mark_print
from secoop.core.spreadsheets import workbook_bytes

from .common import text_em

HEADER_FILL = "1A4480"
MIN_WIDTH, MAX_WIDTH = 8, 60
WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
ZERO_EM = 0.66  # the width of a digit, in em (reports.common.text_em)
LINE_HEIGHT = 15  # points per line of 11 pt text


def workbook() -> Workbook:
    """An empty workbook (no default sheet): every sheet is added by `table_sheet` or by hand."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def save(wb: Workbook, marking: Marking) -> bytes:
    """The workbook as bytes: every sheet's print header and footer marked, no live formula."""
    return workbook_bytes(wb, marking)


def sheet_name(title: str) -> str:
    """Excel forbids []:*?/\\ in sheet names and allows 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def banner_row(ws, row: int, marking: Marking, width: int) -> None:
    """The marking across the first `width` columns of `row`, white on its banner colour."""
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1, value=str(marking))
    cell.font = Font(bold=True, color="FFFFFF", size=12)
    cell.fill = PatternFill("solid", fgColor=banner_color(marking))
    cell.alignment = Alignment(horizontal="center")


def header_row(ws, row: int, headers: Sequence[str], fill: str = HEADER_FILL) -> None:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def print_setup(ws, *, title_row: int | None = None) -> None:
    """Landscape, one page wide, the header row repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_row:
        ws.print_title_rows = f"{title_row}:{title_row}"


def cell_value(value: Any) -> Any:
    """What a cell holds: yes/no for a flag, numbers as numbers (a Decimal stays exact), dates as
    dates, time zones dropped (Excel has none: the caller says which zone), else its text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or isinstance(value, int | float | str | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return str(value)


def number_format(value: Any, money: bool = True) -> str | None:
    """The format that shows a value as the product's pages do (core.formats): dates as
    '3 Dec 2026', moments as '3 Dec 2026 14:05', amounts (Decimal, unless `money` is False) as
    '$1,250,000.00', other Decimals as '1,234.5'."""
    if isinstance(value, dt.datetime):
        return formats.XLSX_DATETIME
    if isinstance(value, dt.date):
        return formats.XLSX_DATE
    if isinstance(value, Decimal):
        return formats.XLSX_USD if money else formats.XLSX_NUMBER
    return None


def shown(value: Any, fmt: str | None) -> str:
    """The text a spreadsheet shows for a cell (to size its column): with its number format."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and fmt != formats.XLSX_DATE:
        return formats.moment(value)
    if isinstance(value, dt.date):
        return formats.day(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and fmt:
        if "$" in fmt:
            return formats.usd(value)
        if "#,##0" in fmt:
            return f"{value:,.2f}"
    return str(value)


def fit_widths(ws, first_row: int, last_row: int, columns: int, *, sample: int = 200) -> None:
    """Each column as wide as the longest text it shows (its number format applied: a date or an
    amount never shows as '###') in rows `first_row`..`last_row` (at most `sample` rows read),
    between MIN_WIDTH and MAX_WIDTH characters."""
    last = min(last_row, first_row + sample)
    for col in range(1, columns + 1):
        longest = 0
        for r in range(first_row, last + 1):
            cell = ws.cell(row=r, column=col)
            for line in shown(cell.value, cell.number_format).splitlines() or [""]:
                longest = max(longest, len(line))
        ws.column_dimensions[get_column_letter(col)].width = min(
            max(longest + 2, MIN_WIDTH), MAX_WIDTH
        )


def lines_of(text: str, width: float) -> int:
    """How many lines a text takes in a column `width` characters wide (a spreadsheet's column
    unit is the width of a digit; text widths estimated, on the wide side, by text_em)."""
    per_line = max(width - 1, 1) * ZERO_EM
    if len(text) <= per_line and "\n" not in text:  # no character is wider than 1 em
        return 1
    return sum(max(math.ceil(text_em(t) / per_line), 1) for t in text.splitlines() or [""])


def fit_heights(ws, first_row: int, last_row: int) -> None:
    """Rows whose long text wraps as tall as their lines: spreadsheets do not grow a row that a
    file gives no height (LibreOffice prints the lines over the next rows)."""
    for r in range(first_row, last_row + 1):
        lines = 1
        for cell in ws[r]:
            if not (cell.alignment.wrap_text and isinstance(cell.value, str)):
                continue
            width = ws.column_dimensions[cell.column_letter].width or MIN_WIDTH
            lines = max(lines, lines_of(cell.value, width))
        if lines > 1:
            ws.row_dimensions[r].height = min(LINE_HEIGHT * lines, 409)
            for cell in ws[r]:  # the row's other cells beside the first line, not the last
                if not cell.alignment.wrap_text:
                    cell.alignment = TOP


def table_sheet(
    wb: Workbook,
    title: str,
    marking: Marking,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: Sequence[str] = (),
    note: str = "",
    widths: Sequence[float] | None = None,
    money: Sequence[bool] | None = None,
):
    """A sheet holding one table, laid out as the module says; returns the sheet. Every cell
    shows as the pages do (`number_format`); a Decimal is an amount of money unless `money` says
    otherwise for its column."""
    ws = wb.create_sheet(sheet_name(title))
    width = max(len(headers), 1)
    banner_row(ws, 1, marking, width)
    for line in heading:
        ws.append([line])
    if heading:
        ws.cell(row=2, column=1).font = Font(bold=True, size=12)
    header_at = ws.max_row + 1
    header_row(ws, header_at, headers)
    for row in rows:
        ws.append([cell_value(v) for v in row])
        for col, v in enumerate(row, start=1):
            is_money = money[col - 1] if money and col <= len(money) else True
            fmt = number_format(v, is_money)
            cell = ws.cell(row=ws.max_row, column=col)
            if fmt:
                cell.number_format = fmt
            elif isinstance(v, str) and lines_of(v, MAX_WIDTH) > 1:  # a long text wraps
                cell.alignment = WRAP
    last_row = ws.max_row
    if note:
        ws.cell(row=last_row + 1, column=1, value=note).font = Font(italic=True)
    banner_row(ws, ws.max_row + 2, marking, width)  # after a blank row
    ws.freeze_panes = ws.cell(row=header_at + 1, column=1)
    if widths:
        for col, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = w
    else:
        fit_widths(ws, header_at, last_row, len(headers))
    fit_heights(ws, header_at + 1, last_row)
    print_setup(ws, title_row=header_at)
    return ws


# --- streaming: a table of any length in bounded memory (issue 15 §6) ----------------------------

XLSX_MAX_ROWS = 1_048_576  # rows a sheet can hold (Excel's limit)
WIDTH_SAMPLE = 200  # rows read to size the columns, as fit_widths does


def _styled(ws, value: Any, *, font=None, fill=None, fmt=None, alignment=None):
    """A write-only cell; text a spreadsheet would read as a formula stays text
    (core.spreadsheets: no live formula in an export)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if fmt:
        cell.number_format = fmt
    if alignment is not None:
        cell.alignment = alignment
    return cell


def stream_table(
    out,
    title: str,
    marking: Marking,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: Sequence[str] = (),
    money: Sequence[bool] | None = None,
    max_rows: int | None = None,
    overflow_note=None,
    note: str = "",
    formats: Sequence[str | None] | None = None,
) -> int:
    """`table_sheet`'s layout written to the file object `out` row by row (openpyxl's write-only
    workbook keeps the rows in a temporary file, not in memory): the banner, the heading, the
    header row (frozen, repeated on every printed page), the rows, the note, a blank row, the
    banner; the marking in every print header and footer. Columns are sized from the first rows.

    At most `max_rows` rows are written (a sheet holds XLSX_MAX_ROWS in all); past them
    `overflow_note(written)` gives the note that says so; `note`, when given, follows the rows
    (after the overflow note). `formats`: a column's number format where it is not the one
    number_format() gives (e.g. "0%"). Returns the number of rows written."""
    from itertools import chain
    from itertools import islice

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name(title))
    width = max(len(headers), 1)
    header_at = 2 + len(heading)
    # The overflow note, the note (when given), a blank row, the closing banner.
    room = XLSX_MAX_ROWS - header_at - 3 - bool(note)
    limit = room if max_rows is None else min(max_rows, room)
    rows = iter(rows)
    sample = [list(r) for r in islice(rows, WIDTH_SAMPLE)]

    def fmt_of(col: int, value: Any) -> str | None:
        given = formats[col] if formats and col < len(formats) else None
        if given and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return given
        return number_format(value, money[col] if money and col < len(money) else True)

    # Column widths must be known before the first row is written.
    widths = []
    for col in range(width):
        texts = [headers[col] if col < len(headers) else ""] + [
            shown(cell_value(r[col]), fmt_of(col, r[col])) for r in sample if col < len(r)
        ]
        longest = max((len(line) for t in texts for line in (t.splitlines() or [""])), default=0)
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
        ws.column_dimensions[get_column_letter(col + 1)].width = widths[-1]
    ws.freeze_panes = f"A{header_at + 1}"
    print_setup(ws, title_row=header_at)
    mark_print(ws, marking)

    banner_font = Font(bold=True, color="FFFFFF", size=12)
    banner_fill = PatternFill("solid", fgColor=banner_color(marking))

    def banner(at: int) -> None:
        ws.append(
            [
                _styled(
                    ws,
                    str(marking),
                    font=banner_font,
                    fill=banner_fill,
                    alignment=Alignment(horizontal="center"),
                )
            ]
        )
        if width > 1:
            ws.merged_cells.add(f"A{at}:{get_column_letter(width)}{at}")

    banner(1)
    for i, line in enumerate(heading):
        ws.append([_styled(ws, line, font=Font(bold=True, size=12) if i == 0 else None)])
    header_font, header_fill = (
        Font(bold=True, color="FFFFFF"),
        PatternFill("solid", fgColor=HEADER_FILL),
    )
    ws.append([_styled(ws, h, font=header_font, fill=header_fill, alignment=WRAP) for h in headers])
    written, overflow = 0, False
    at = header_at
    for row in chain(sample, rows):
        if written >= limit:
            overflow = True
            break
        at += 1
        cells, lines = [], 1
        for col, v in enumerate(row):
            fmt = fmt_of(col, v)
            value = cell_value(v)
            wraps = fmt is None and isinstance(v, str) and lines_of(v, MAX_WIDTH) > 1
            if fmt or wraps or is_formula_like(value):
                cells.append(_styled(ws, value, fmt=fmt, alignment=WRAP if wraps else None))
            else:  # a plain value needs no cell object of its own (most of a row)
                cells.append(value)
            if wraps:
                lines = max(lines, lines_of(v, widths[col] if col < len(widths) else MIN_WIDTH))
        if lines > 1:
            ws.row_dimensions[at].height = min(LINE_HEIGHT * lines, 409)
        ws.append(cells)
        ws.row_dimensions.pop(at, None)  # written: keep no per-row state (bounded memory)
        written += 1
    if overflow:
        at += 1
        ws.append([_styled(ws, overflow_note(written), font=Font(italic=True))])
    if note:
        at += 1
        ws.append([_styled(ws, note, font=Font(italic=True))])
    ws.append([])
    banner(at + 2)
    wb.save(out)
    return written
