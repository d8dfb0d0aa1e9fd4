"""Training documents read back: the ITO (PDF, the student's data, marked), the CETPP in the form a
CCMD reviewer reads (DOCX, XLSX), the Foreign Military Training report (R-TRN-12, DOCX, XLSX)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from secoop.training import exports
from secoop.training.models import Ito

from .conftest import person
from .conftest import student

pytestmark = pytest.mark.django_db


def test_r_trn_08_ito_document_has_the_students_data_and_marking(on_demo_day):
    ito = Ito.objects.system().get(student=student("Ondra"))
    sco = person("sco.bandaria")
    # The U.S. copy adds the readiness and vetting details behind the ITO, and is marked by them.
    html = exports.ito_html(ito, sco)
    for text in (
        "Invitational Travel Order",
        "ONDRA",
        "P179054 Naval Command College",
        "U.S. Naval War College",
        "4 Jan 2027",  # one date format everywhere (core.formats)
        "one student only",
        "88",
        "Human-rights vetting",
        "CUI//NOFORN",
    ):
        assert text in html, text
    # The copy for the student: the ITO alone, marked as the ITO is (issue 12 item 7).
    copy = exports.ito_html(ito, sco, releasable=True)
    assert "ONDRA" in copy and "CUI//REL TO USA, XBN" in copy
    for internal in ("88", "vetting", "English Comprehension", "Medical", "CUI//NOFORN"):
        assert internal not in copy, internal


def test_issue_12_7_the_partner_downloads_the_ito_marked_releasable_without_vetting_details(
    login, api, on_demo_day
):
    """The ITO is handed to the student: the partner downloads it (a real PDF, read back with
    pypdf), marked releasable to Bandaria, and it holds none of the NOFORN details behind it."""
    from pypdf import PdfReader

    ondra = student("Ondra")
    ito = Ito.objects.system().get(student=ondra)
    assert str(ito.marking) == "CUI//REL TO USA, XBN"
    partner = login("partner.bandaria")
    page = partner.get(f"/training/students/{ondra.pk}/").content.decode()
    assert f"/training/itos/{ito.pk}/pdf/" in page and "CUI//REL TO USA, XBN" in page
    response = partner.get(f"/training/itos/{ito.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Invitational Travel Order" in text and "ONDRA" in text and ito.number in text
    assert "CUI//REL TO USA, XBN" in text and "NOFORN" not in text
    for detail in ("vetting", "Vetting", "screening", "English Comprehension", "Medical", "waiver"):
        assert detail not in text, detail
    assert ondra.unit not in text  # the unit is vetted too (R-TRN-06); partners never read it
    # The API shows the partner the ITO's own fields only (its field policy), never who issued
    # it or the waiver behind a manual one.
    shown = api("partner.bandaria").get(f"/api/v1/training/itos/{ito.pk}/").json()
    assert shown["number"] == ito.number and shown["marking"] == "CUI//REL TO USA, XBN"
    assert not {"issued_by", "waiver", "manual"} & set(shown)
    # ...and the vetting records behind it stay out of the partner's reach.
    from secoop.training.models import Vetting

    assert not Vetting.objects.visible_to(person("partner.bandaria")).filter(student=ondra).exists()


def test_r_trn_02_cetpp_docx_and_xlsx(cetpp, on_demo_day):
    sco = person("sco.bandaria")
    doc = Document(io.BytesIO(exports.cetpp_docx(cetpp, sco).content))
    assert doc.sections[0].header.paragraphs[0].text == "CUI//NOFORN"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "Combined Education and Training Program Plan FY2027" in text
        and "Budget year FY2028, planning year FY2029" in text
    )
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Lines by year and program",
        "Budget vs allocation by program and fiscal year",
        "Graduates' positions, FY2027 (R-TRN-11)",
    ]
    lines = doc.tables[0]
    assert len(lines.rows) == 14 and lines.rows[0].cells[0].text == "FY"
    fms = [r for r in lines.rows if r.cells[2].text == "FMS training"]
    assert fms and all(r.cells[10].text == "no" for r in fms)  # R-TRN-03: T&L excluded
    # 14 columns sized to their contents (tests/reports proves the sizing), not shared equally
    widths = [c.width for c in lines.columns]
    assert len(set(widths)) > 5 and lines._tbl.tblPr.xml.count('w:type="fixed"') == 1
    wb = load_workbook(io.BytesIO(exports.cetpp_xlsx(cetpp, sco).content))
    assert all(ws.oddHeader.center.text == "CUI//NOFORN" for ws in wb.worksheets)
    budget = wb.worksheets[1]
    assert budget.title.startswith("Budget vs allocation")
    rows = [
        r for r in budget.iter_rows(min_row=5, values_only=True) if r[0] == 2027 and r[1] == "IMET"
    ]
    assert rows and rows[0][2] == pytest.approx(332400.0) and rows[0][3] == pytest.approx(63600.0)


def test_r_trn_12_fmt_report_covers_the_year_just_ended_and_in_progress(on_demo_day):
    data = exports.fmt_data(person("sco.bandaria"), on_demo_day)
    assert data.years == (2026, 2027)
    fy2027 = {r["program"]: r for r in data.rows if r["fiscal_year"] == 2027}
    # Kessel's FMS class starts 5 Oct 2026: FY2027, though her ITO was issued in FY2026.
    assert fy2027["FMS training"]["students"] == 1
    doc = Document(io.BytesIO(exports.fmt_docx(data, person("sco.bandaria")).content))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "FY2026 (just ended)",
        "FY2027 (in progress)",
    ]
    wb = load_workbook(io.BytesIO(exports.fmt_xlsx(data, person("sco.bandaria")).content))
    assert wb.sheetnames == ["FY2026 (just ended)", "FY2027 (in progress)"]
    assert data.rows and all(r["country"] == "Bandaria" for r in data.rows)
