"""Word documents: the marking in the header and footer of every section, and tables a reader can
read. Word and LibreOffice lay a table out from its grid columns; left to themselves they share the
page equally between columns, so a 14-column table wraps its words letter by letter. `table` sizes
each column from its contents instead (never narrower than its longest word when the page allows),
fixes the layout, and repeats the header row on every page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.shared import Pt
from docx.shared import RGBColor

from secoop.core.markings import Marking
from secoop.core.markings import banner_color

from .common import hex_color
from .common import text_em

NAVY = "162E51"
LETTER = (Cm(21.59), Cm(27.94))
CM_PER_PT = 0.03528
CELL_PADDING_CM = 0.42  # Word's default left and right cell margins (0.19 cm each), and air
MAX_NATURAL_EM = 36  # a column's natural width: its longest line, up to about 60 characters
BOLD = 1.15
AMOUNT = re.compile(r"-?\$?[\d,]+(\.\d+)?")  # '$9,800.00', '1,530,000.00': right-aligned
MIN_FONT = 6.5


def document(
    marking: Marking, *, landscape: bool = False, font_size: float = 10.5, margin_cm: float = 2.0
):
    """A US Letter document, its styles set, the marking in the first section's header and footer."""
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(font_size)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Title", 24)):
        styles[name].font.color.rgb = RGBColor.from_string(NAVY)
        styles[name].font.size = Pt(size)
    page(doc.sections[0], landscape=landscape, margin_cm=margin_cm)
    mark(doc.sections[0], marking)
    return doc


def page(section, *, landscape: bool, margin_cm: float) -> None:
    """US Letter, portrait or landscape, with equal side margins."""
    short, long = LETTER
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(margin_cm)


def new_section(doc, marking: Marking, *, landscape: bool, margin_cm: float = 2.0):
    """A new page in the other orientation (or the same), marked like the others."""
    section = doc.add_section()
    page(section, landscape=landscape, margin_cm=margin_cm)
    mark(section, marking)
    return section


def mark(section, marking: Marking) -> None:
    """The marking, bold and centred in its banner colour, in the section's header and footer."""
    section.different_first_page_header_footer = False
    for part in (section.header, section.footer):
        part.is_linked_to_previous = False
        p = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
        p.clear()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(str(marking))
        run.bold = True
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor.from_string(banner_color(marking))


def shade(cell, color: str) -> None:
    """Fill a table cell with a colour ('#565c65' or '565C65')."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_color(color))
    tc_pr.append(shd)


def usable_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def _measure(headers: Sequence[str] | None, rows: Sequence[Sequence[Any]]):
    """Per column, in em: its longest word (the bold header's included) and its longest line."""
    count = len(headers) if headers else max((len(r) for r in rows), default=1)
    words, lines = [], []
    for i in range(count):
        texts = [cell_text(r[i]) for r in rows if i < len(r)]
        head = headers[i].split() if headers else []
        longest_word = max(
            [text_em(w) for t in texts for w in t.split()] + [BOLD * text_em(w) for w in head],
            default=1,
        )
        longest_line = max((text_em(line) for t in texts for line in t.splitlines()), default=1)
        words.append(longest_word)
        lines.append(max(min(longest_line, MAX_NATURAL_EM), longest_word))
    return words, lines


def _cm(em: float, font_size: float) -> float:
    return em * font_size * CM_PER_PT + CELL_PADDING_CM


def font_to_fit(
    headers: Sequence[str] | None, rows: Sequence[Sequence[Any]], usable_cm: float, font_size: float
) -> float:
    """The largest size, from `font_size` down to MIN_FONT by half points, at which every column
    is as wide as its longest word."""
    words, _lines = _measure(headers, rows)
    while font_size > MIN_FONT and sum(_cm(w, font_size) for w in words) > usable_cm:
        font_size -= 0.5
    return font_size


def column_widths(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[Any]],
    usable_cm: float,
    font_size: float,
) -> list[float]:
    """Widths in cm that fill `usable_cm`: each column at least as wide as its longest word (the
    header's too), the rest of the page shared by how long the column's texts are."""
    words, lines = _measure(headers, rows)
    least = [_cm(w, font_size) for w in words]
    natural = [_cm(n, font_size) for n in lines]
    if sum(natural) <= usable_cm:
        base, spare = natural, natural
    elif sum(least) <= usable_cm:
        base, spare = least, [n - m for n, m in zip(natural, least, strict=True)]
    else:  # not even the words fit at the smallest font: shrink every column alike
        return [w * usable_cm / sum(least) for w in least]
    extra = usable_cm - sum(base)
    share = sum(spare) or 1
    return [b + extra * s / share for b, s in zip(base, spare, strict=True)]


def set_widths(table, widths_cm: Sequence[float]) -> None:
    """Fix the table's layout to these column widths (grid, cells and table width), so that Word
    and LibreOffice keep them rather than share the page equally."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(widths_cm) * 567)))  # twentieths of a point per cm


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fill(cell, value: Any, font_size: float, *, bold: bool = False, color: str | None = None):
    cell.text = cell_text(value)  # one paragraph, one run
    paragraph = cell.paragraphs[0]
    run = paragraph.runs[0]
    run.font.size = Pt(font_size)
    run.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if (isinstance(value, int | float | Decimal) and not isinstance(value, bool)) or (
        isinstance(value, str) and AMOUNT.fullmatch(value)
    ):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return run


def table(
    doc,
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[Any]],
    *,
    widths_cm: Sequence[float] | None = None,
    font_size: float = 9,
    header_fill: str = NAVY,
):
    """A grid table, its header row (if any) white on navy and repeated on each page, its columns
    sized to their contents across the page (or to `widths_cm`), its font made smaller when the
    page is too narrow for its words at `font_size`. Numbers are right-aligned."""
    count = len(headers) if headers else max((len(r) for r in rows), default=1)
    if widths_cm is None:
        usable = usable_width_cm(doc.sections[-1])
        font_size = font_to_fit(headers, rows, usable, font_size)
        widths_cm = column_widths(headers, rows, usable, font_size)
    t = doc.add_table(rows=0, cols=count)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if headers:
        head = t.add_row()
        for cell, text in zip(head.cells, headers, strict=True):
            _fill(cell, text, font_size, bold=True, color="FFFFFF")
            shade(cell, header_fill)
        repeat_header(head)
    for values in rows:
        for cell, value in zip(t.add_row().cells, values, strict=False):
            _fill(cell, value, font_size)
    set_widths(t, widths_cm)
    return t


def save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
