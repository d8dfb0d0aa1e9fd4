"""Spreadsheet exports never carry a live formula (issue 10 item 6: formula injection), and every
sheet is marked when printed.

A partner's LOR title `=HYPERLINK("http://…"&A1, "click")` must reach the SCO's spreadsheet as the
text the partner typed, not as a formula Excel evaluates. Every XLSX writer saves through
`workbook_bytes`, which writes every cell whose text starts with a formula trigger (`=`, `+`, `-`,
`@`, tab, carriage return) as a string cell; every CSV writer passes its cells through `csv_cell`,
which prefixes such text with a single quote (the OWASP "CSV injection" advice). The product writes
no formula of its own into an export.

`workbook_bytes` also puts the marking in the print header and footer of every sheet: a sheet
printed on its own, or one added by a future export, still carries its classification on paper.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from .markings import Marking
from .markings import banner_color

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralize_formulas(workbook) -> int:
    """Make every text cell that a spreadsheet would read as a formula a plain string cell (value
    unchanged); return how many cells were changed."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    if cell.data_type != "s":
                        cell.data_type = "s"
                        changed += 1
    return changed


def mark_print(sheet, marking: Marking) -> None:
    """The marking, bold in its banner colour, centred in the print header and footer of a sheet
    (first, odd and even pages alike)."""
    for part in (
        sheet.oddHeader,
        sheet.oddFooter,
        sheet.evenHeader,
        sheet.evenFooter,
        sheet.firstHeader,
        sheet.firstFooter,
    ):
        part.center.text = str(marking)
        part.center.font = "Calibri,Bold"
        part.center.size = 11
        part.center.color = banner_color(marking)


def workbook_bytes(workbook, marking: Marking) -> bytes:
    """Save an openpyxl workbook for download: every sheet marked in its print header and footer,
    no cell left as a formula."""
    for sheet in workbook.worksheets:
        mark_print(sheet, marking)
    neutralize_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: formula-like text gets a leading single quote."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]
