"""The LOA summary (PDF, DOCX) and the case status report (XLSX): marked with the classification,
through the door; read back."""

import io
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from docx import Document
from openpyxl import load_workbook

from secoop.cases import exports
from secoop.core import formats
from secoop.reports import xlsx

from .conftest import case
from .conftest import person

pytestmark = pytest.mark.django_db


def test_loa_summary_docx_is_marked_and_lists_lines(login):
    radios = case("XB-B-ZAA")
    r = login("case.manager").get(f"/cases/{radios.pk}/loa.docx")
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(r.content))
    assert doc.sections[0].header.paragraphs[0].text == "CUI//REL TO USA, XBN"
    assert doc.sections[0].footer.paragraphs[0].text == "CUI//REL TO USA, XBN"
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert (
        "LOA summary: XB-B-ZAA" in text
        and "AN/PRC-163 handheld radio" in text
        and "50 days late" in text
    )


def test_loa_summary_pdf_is_marked(login, tmp_path):
    radios = case("XB-B-ZAA")
    r = login("case.manager").get(f"/cases/{radios.pk}/loa.pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-" and len(r.content) > 5000
    html = render_to_string(
        "cases/loa_pdf.html",
        {**exports.summary(person("case.manager"), radios.pk), "banner_color": "#502B85"},
    )
    assert (
        '@top-center { content: "CUI//REL TO USA, XBN"' in html
        and '@bottom-center { content: "CUI//REL TO USA, XBN"' in html
    )
    assert "AN/PRC-163 handheld radio" in html and "50 days late" in html
    if shutil.which("pdftotext"):
        path = tmp_path / "loa.pdf"
        path.write_bytes(r.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "CUI//REL TO USA, XBN" in text and "XB-B-ZAA" in text


def test_status_report_xlsx_through_the_door(login):
    radios = case("XB-B-ZAA")
    wb = load_workbook(
        io.BytesIO(login("partner.bandaria").get(f"/cases/{radios.pk}/status.xlsx").content)
    )
    assert wb.sheetnames == ["Case", "Lines", "Deliveries", "Payments", "SDRs"]
    assert wb["Case"]["A1"].value == "CUI//REL TO USA, XBN"
    for sheet in wb.worksheets:  # marked on paper too
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == "CUI//REL TO USA, XBN"
    rows = list(wb["Case"].iter_rows(values_only=True))
    assert ("Implementing agency", "(restricted)") in rows  # USASAC is not released to Bandaria
    assert (
        len(list(wb["Lines"].iter_rows(min_row=4, values_only=True))) == 3 + 2
    )  # 3 lines, a blank, the banner


def test_status_report_xlsx_shows_dates_and_amounts_never_hashes(login):
    """Issue 12 item 8: the case status sheet showed '###' for its dates."""
    radios = case("XB-B-ZAA")
    wb = load_workbook(
        io.BytesIO(login("case.manager").get(f"/cases/{radios.pk}/status.xlsx").content)
    )
    facts = {row[0].value: row[1] for row in wb["Case"].iter_rows(min_row=4) if row[0].value}
    assert facts["AOD"].is_date and facts["AOD"].number_format == formats.XLSX_DATE
    assert facts["Total value (USD)"].number_format == formats.XLSX_USD
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if getattr(cell, "is_date", False) or cell.number_format == formats.XLSX_USD:
                    text = xlsx.shown(cell.value, cell.number_format)
                    width = sheet.column_dimensions[cell.column_letter].width
                    assert width >= len(text) + 1, (sheet.title, cell.coordinate, text)


def test_loa_summary_docx_writes_money_and_dates_as_the_pages_do(login):
    doc = Document(
        io.BytesIO(login("case.manager").get(f"/cases/{case('XB-B-ZAA').pk}/loa.docx").content)
    )
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "$5,770,000.00" in cells and "$32,500.00" in cells and "28 Feb 2026" in cells


def test_partner_gets_no_export_of_an_unshared_case(login):
    boats = case("XB-P-ZAC")
    for suffix in ("loa.pdf", "loa.docx", "status.xlsx"):
        assert login("partner.bandaria").get(f"/cases/{boats.pk}/{suffix}").status_code == 404


@pytest.mark.both_databases  # a query count: the database's own answer
@pytest.mark.parametrize("suffix", ["loa.docx", "status.xlsx"])
def test_exports_run_the_same_queries_for_more_lines(
    login, suffix, django_assert_max_num_queries, on_demo_day
):
    from .builders import new_case
    from .test_pages import _grow

    c = new_case()
    _grow(c, 2)
    client = login("case.manager")
    client.get(f"/cases/{c.pk}/{suffix}")
    with django_assert_max_num_queries(40) as few:
        client.get(f"/cases/{c.pk}/{suffix}")
    _grow(c, 10)
    with django_assert_max_num_queries(40) as many:
        client.get(f"/cases/{c.pk}/{suffix}")
    assert len(many.captured_queries) == len(few.captured_queries)
