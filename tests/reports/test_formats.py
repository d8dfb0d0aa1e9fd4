"""The shared export formats (secoop.reports), read back: every XLSX sheet carries the marking in
its print header and footer; every DOCX section in its header and footer, and its tables have
columns wide enough for their words; every PDF page in its header and footer; every slide in a
banner top and bottom; every calendar event in its summary and description. No database: these
prove the format once, the apps' tests/*/test_exports.py prove each document's contents."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from secoop.core import formats
from secoop.core.markings import Marking
from secoop.reports import common
from secoop.reports import docx as word
from secoop.reports import ics
from secoop.reports import pdf
from secoop.reports import pptx
from secoop.reports import xlsx
from secoop.reports.common import DOCX_MIME
from secoop.reports.common import Report

pytestmark = pytest.mark.one_database

SECRET = Marking.parse("SECRET//NOFORN")
CUI_REL = Marking.parse("CUI//REL TO USA, XBN")

# The CETPP lines table, whose columns shared the page equally and wrapped letter by letter.
CETPP_HEADERS = (
    "FY|Year|Program|IMET priority|Course ID|Course|School|Seats|Tuition / seat|T&L / seat|"
    "T&L included|Line cost|FMS case|Fixed at SCETWG"
).split("|")
CETPP_ROW = [
    2027,
    "budget year",
    "FMS training",
    "1",
    "P179054",
    "Naval Command College",
    "U.S. Naval War College",
    2,
    "$63,600.00",
    "$12,000.00",
    "no",
    "$127,200.00",
    "XB-P-ZAC",
    "yes",
]


def test_every_xlsx_sheet_is_marked_in_its_print_header_and_footer_even_one_built_by_hand():
    wb = xlsx.workbook()
    xlsx.table_sheet(wb, "Lines", SECRET, ["Line", "Item"], [["001", "Radios"]], heading=["T"])
    xlsx.table_sheet(wb, "Deliveries: late/open", SECRET, ["Line"], [])
    wb.create_sheet("Built by hand").append(["no banner row here"])
    book = load_workbook(io.BytesIO(xlsx.save(wb, SECRET)))
    assert book.sheetnames == ["Lines", "Deliveries- late-open", "Built by hand"]
    for ws in book.worksheets:
        for part in (ws.oddHeader, ws.oddFooter, ws.firstHeader, ws.evenFooter):
            assert part.center.text == "SECRET//NOFORN", ws.title
            assert part.center.color == "C8102E"  # SECRET's banner colour
    lines = book["Lines"]
    assert lines["A1"].value == "SECRET//NOFORN" and lines["A2"].value == "T"
    assert [c.value for c in lines[3]] == ["Line", "Item"]
    assert lines.freeze_panes == "A4" and lines.print_title_rows == "$3:$3"
    assert lines.page_setup.orientation == "landscape"
    values = [c.value for row in lines.iter_rows() for c in row if c.value is not None]
    assert values[-1] == "SECRET//NOFORN" and lines.max_row == 6  # rows, a blank, the banner


def test_xlsx_cells_keep_numbers_and_dates_show_amounts_and_flags_and_write_formulas_as_text():
    wb = xlsx.workbook()
    row = [dt.date(2027, 1, 4), 12.5, Decimal("63600.00"), True, '=HYPERLINK("x")']
    xlsx.table_sheet(wb, "T", CUI_REL, ["a", "b", "c", "d", "e"], [row])
    ws = load_workbook(io.BytesIO(xlsx.save(wb, CUI_REL)))["T"]
    date, number, amount, flag, text = ws[3]
    assert date.is_date and number.value == 12.5
    assert amount.value == 63600 and amount.number_format == formats.XLSX_USD
    assert flag.value == "yes"
    assert text.data_type == "s" and text.value == '=HYPERLINK("x")'


def test_xlsx_dates_moments_and_amounts_show_as_on_the_pages_in_columns_wide_enough():
    """Issue 12 item 8: the case status sheet showed '###' for dates; amounts are currency."""
    wb = xlsx.workbook()
    rows = [
        [
            dt.date(2026, 2, 28),
            dt.datetime(2026, 12, 3, 14, 5),
            Decimal("42000000.00"),
            Decimal("8.5"),
        ],
        [None, None, Decimal("-12.50"), Decimal("22")],
    ]
    xlsx.table_sheet(
        wb, "T", CUI_REL, ["Due", "At", "Value", "Weeks"], rows, money=[False, False, True, False]
    )
    ws = load_workbook(io.BytesIO(xlsx.save(wb, CUI_REL)))["T"]
    due, at, value, weeks = ws[3]
    assert due.is_date and due.number_format == formats.XLSX_DATE == "d mmm yyyy"
    assert at.is_date and at.number_format == formats.XLSX_DATETIME
    assert value.value == 42000000 and value.number_format == formats.XLSX_USD
    assert weeks.value == 8.5 and weeks.number_format == formats.XLSX_NUMBER
    assert ws["C4"].value == -12.5 and ws["C4"].number_format == formats.XLSX_USD
    # every column at least as wide as the longest text it shows (never '###')
    for col, longest in (("A", "28 Feb 2026"), ("B", "3 Dec 2026 14:05"), ("C", "$42,000,000.00")):
        assert ws.column_dimensions[col].width >= len(longest) + 1, col


def test_xlsx_long_text_wraps_in_a_row_tall_enough_for_its_lines():
    wb = xlsx.workbook()
    long = "status: draft → submitted; " * 12  # about 320 characters
    xlsx.table_sheet(wb, "Changes", SECRET, ["Record", "Changes"], [["CETPP", long], ["x", "y"]])
    ws = load_workbook(io.BytesIO(xlsx.save(wb, SECRET)))["Changes"]
    assert ws.column_dimensions["B"].width == xlsx.MAX_WIDTH
    assert ws["B3"].alignment.wrap_text and ws["A3"].alignment.vertical == "top"
    assert ws.row_dimensions[3].height >= xlsx.LINE_HEIGHT * 4  # 324 characters, about 65 a line
    assert ws.row_dimensions[4].height is None  # a one-line row keeps the default


def _grid_cm(table) -> list[float]:
    grid = table._tbl.tblGrid
    return [int(col.get(qn("w:w"))) / 567 for col in grid.findall(qn("w:gridCol"))]


def test_docx_columns_are_as_wide_as_their_longest_word_and_fill_the_page():
    doc = word.document(CUI_REL, landscape=True, margin_cm=1.8)
    rows = [CETPP_ROW] * 12
    word.table(doc, CETPP_HEADERS, rows, font_size=10)
    back = Document(io.BytesIO(word.save(doc)))
    table = back.tables[0]
    widths = _grid_cm(table)
    usable = word.usable_width_cm(back.sections[0])
    assert sum(widths) == pytest.approx(usable, abs=0.05)
    size = table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
    assert word.MIN_FONT <= size < 10  # made smaller so that every word fits its column
    for i, width in enumerate(widths):
        longest = max(
            [word.text_em(w) for w in str(CETPP_ROW[i]).split()]
            + [word.BOLD * word.text_em(w) for w in CETPP_HEADERS[i].split()]
        )
        assert width >= longest * size * word.CM_PER_PT + word.CELL_PADDING_CM - 0.01
    # every cell carries its column's width (Word reads tcW), the layout is fixed
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert all(
        c.width is not None and abs(c.width / 360000 - widths[i]) < 0.01
        for row in table.rows
        for i, c in enumerate(row.cells)
    )
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert table.rows[1].cells[7].paragraphs[0].alignment == 2  # numbers right-aligned


def test_docx_a_short_table_shares_the_spare_width_by_content_and_keeps_given_widths():
    doc = word.document(SECRET)
    word.table(doc, None, [["Version", "1"], ["Prepared", "02 Dec 2026 20:40 UTC by ccmd.planner"]])
    word.table(doc, ["a", "b"], [["x", "y"]], widths_cm=[3, 4])
    short, given = Document(io.BytesIO(word.save(doc))).tables
    a, b = _grid_cm(short)
    assert a + b == pytest.approx(word.usable_width_cm(doc.sections[0]), abs=0.05) and b > a
    assert _grid_cm(given) == pytest.approx([3, 4], abs=0.01)


def test_every_docx_section_is_marked_in_its_header_and_footer():
    doc = word.document(SECRET)
    doc.add_paragraph("portrait")
    word.new_section(doc, SECRET, landscape=True)
    word.new_section(doc, SECRET, landscape=False)
    back = Document(io.BytesIO(word.save(doc)))
    assert len(back.sections) == 3
    for section in back.sections:
        for part in (section.header, section.footer):
            run = part.paragraphs[0].runs[0]
            assert part.paragraphs[0].text == "SECRET//NOFORN"
            assert run.bold and str(run.font.color.rgb) == "C8102E"
    assert back.sections[1].page_width > back.sections[1].page_height  # landscape


def test_every_pdf_page_is_marked_top_and_bottom():
    from django.template import engines
    from pypdf import PdfReader

    template = engines["django"].from_string(
        '{% extends "reports/pdf_base.html" %}{% block title %}Test{% endblock %}'
        "{% block body %}{% for i in pages %}<p style='page-break-after: always'>Page body {{ i }}"
        "</p>{% endfor %}{% endblock %}"
    )
    page = template.render({"pages": range(3), **pdf.marking_context(CUI_REL)})
    reader = PdfReader(io.BytesIO(pdf.render(page)))
    assert len(reader.pages) >= 3
    for number, p in enumerate(reader.pages, start=1):
        text = p.extract_text()
        assert text.count("CUI//REL TO USA, XBN") == 2, (number, text)
    assert reader.metadata["/Keywords"] == "CUI//REL TO USA, XBN"


def test_every_slide_has_a_banner_top_and_bottom():
    from pptx import Presentation

    prs = pptx.presentation()
    for title in ("Overview", "Phase 1"):
        pptx.title(pptx.marked_slide(prs, SECRET), title, "subtitle")
    back = Presentation(io.BytesIO(pptx.save(prs)))
    for slide in back.slides:
        banners = {s.name: s for s in slide.shapes if s.name.startswith("Classification banner")}
        assert [b.text_frame.text for b in banners.values()] == ["SECRET//NOFORN"] * 2
        top, bottom = banners["Classification banner top"], banners["Classification banner bottom"]
        assert top.top == 0 and bottom.top + bottom.height == back.slide_height
        assert str(top.fill.fore_color.rgb) == "C8102E"


def test_a_slide_title_and_subtitle_stay_on_the_slide_smaller_then_cut():
    """Issue 12 item 8: the matrix title slide's subtitle (its critical path) ran off the slide."""
    from pptx import Presentation

    prs = pptx.presentation()
    long_title = "Bandaria: synchronization matrix, " + "a very long phase name " * 6
    path = " → ".join(f"Joint combined exchange training number {i}" for i in range(12))
    pptx.title(pptx.marked_slide(prs, SECRET), "Overview", "version 1 · 28 activities")
    pptx.title(pptx.marked_slide(prs, SECRET), long_title, f"critical path: {path}")
    back = Presentation(io.BytesIO(pptx.save(prs)))
    for slide in back.slides:
        boxes = [s for s in slide.shapes if s.has_text_frame and not s.name.startswith("Class")]
        title, subtitle = boxes
        for box in boxes:  # inside the slide, wrapping inside its box, above the drawing
            assert box.text_frame.word_wrap is True
            assert box.left >= 0 and box.left + box.width <= back.slide_width
            assert box.top + box.height <= pptx.Inches(1.25)
    short_title, short_sub = [s for s in back.slides[0].shapes if s.has_text_frame][2:]
    assert short_sub.text_frame.text == "version 1 · 28 activities"
    assert short_sub.text_frame.paragraphs[0].runs[0].font.size.pt == 11
    cut_title, cut_sub = [s for s in back.slides[1].shapes if s.has_text_frame][2:]
    for box, lines, smallest in ((cut_title, 1, 16), (cut_sub, 2, 9)):
        text = box.text_frame.text
        size = box.text_frame.paragraphs[0].runs[0].font.size.pt
        assert text.endswith(" …") and size == smallest
        width_in = box.width / 914400
        assert common.text_em(text) * size * pptx.WRAP_SLACK / 72 / width_in <= lines
    assert cut_sub.text_frame.text.startswith("critical path: Joint combined exchange training")


def test_every_calendar_event_carries_its_marking_and_inclusive_dates():
    from icalendar import Calendar

    cal = ics.calendar("Activities", SECRET, product="test")
    cal.add_component(
        ics.all_day_event(
            "a-1@secoop", dt.date(2027, 1, 11), dt.date(2027, 1, 29), "Survey", CUI_REL, ["Type: x"]
        )
    )
    back = Calendar.from_ical(ics.to_bytes(cal))
    assert str(back["X-WR-CALNAME"]) == "(SECRET//NOFORN) Activities"
    (event,) = back.walk("VEVENT")
    assert str(event["SUMMARY"]) == "(CUI//REL TO USA, XBN) Survey"
    lines = str(event["DESCRIPTION"]).splitlines()
    assert lines[0] == lines[-1] == "Classification: CUI//REL TO USA, XBN"
    assert event.decoded("DTEND") == dt.date(2027, 1, 30)  # exclusive
    assert str(event["X-SECOOP-MARKING"]) == "CUI//REL TO USA, XBN"
    # the access class, never a word people read as a classification (issue 12 item 8)
    assert str(event["CLASS"]) == "PRIVATE" and b"CONFIDENTIAL" not in ics.to_bytes(cal)


def test_a_report_downloads_with_its_mime_type_name_and_marking():
    response = Report(b"PK", "loa-XB-B-ZAA.docx", CUI_REL).response()
    assert response["Content-Type"] == DOCX_MIME
    assert response["Content-Disposition"] == 'attachment; filename="loa-XB-B-ZAA.docx"'
    assert response["X-Marking"] == "CUI//REL TO USA, XBN"
    inline = Report(b"%PDF", "ito.pdf", CUI_REL).response(inline=True)
    assert inline["Content-Disposition"].startswith("inline;")
