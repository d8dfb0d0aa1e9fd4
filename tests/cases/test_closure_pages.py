"""Issue 13 items 6–7 as pages and documents show them (demo cases XB-B-ZAF, in SSC with a DD Form
645 and CLOSHOLD, and XB-B-ZAG, interim-closed): the closure tab for the case manager, DSCA and
the partner (its statement without the internal reconciliation, no hold), the closure certificate
(one real PDF, marked) and the DD Form 645 as XLSX and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from .conftest import case

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]
REL = "CUI//REL TO USA, XBN"


def test_closure_tab_shows_the_statement_its_reconciliation_and_the_hold(login):
    zaf = case("XB-B-ZAF")
    page = login("case.manager").get(f"/cases/{zaf.pk}/?tab=closure").content.decode()
    assert "DD Form 645, quarter ended 30 Sep 2026" in page
    assert "Collections below the payment schedule (in arrears)" in page
    assert "On hold" in page and "Final reconciliation for closure" in page
    assert "Issue DD Form 645" in page and "Place on hold" not in page  # DSCA's, not the IA's
    dsca = login("dsca.analyst").get(f"/cases/{zaf.pk}/?tab=closure").content.decode()
    assert "Lift the hold" in dsca and "Issue DD Form 645" not in dsca


def test_partner_reads_its_statement_without_reconciliation_or_hold(login):
    zaf = case("XB-B-ZAF")
    page = login("partner.bandaria").get(f"/cases/{zaf.pk}/?tab=closure").content.decode()
    assert "DD Form 645, quarter ended 30 Sep 2026" in page
    assert (
        "in arrears" not in page and "CLOSHOLD" not in page and "Final reconciliation" not in page
    )
    assert "Depot repairs performed" not in page  # costs are internal
    wb = load_workbook(
        io.BytesIO(login("partner.bandaria").get(f"/cases/{zaf.pk}/dd645.xlsx").content)
    )
    assert wb.sheetnames == ["Statement", "Lines"]


def test_dd645_xlsx_is_marked_and_reconciled_for_the_case_manager(login):
    zaf = case("XB-B-ZAF")
    r = login("case.manager").get(f"/cases/{zaf.pk}/dd645.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Statement", "Lines", "Reconciliation"]
    for sheet in wb.worksheets:
        assert sheet["A1"].value == REL
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == REL
    rows = {r[0]: r[1] for r in wb["Statement"].iter_rows(values_only=True) if r and r[0]}
    # Schedule to 15 Dec 2026: 1,050,000; costs 1,025,000; collected 1,000,000 → 50,000 due.
    assert rows["Amount due and payable"] == 50000
    recon = [r for r in wb["Reconciliation"].iter_rows(values_only=True) if r and r[0]]
    assert ("Collections below the payment schedule (in arrears)", -50000, "yes") in recon


def test_dd645_pdf_answers(login, pdf_as_html):
    zaf = case("XB-B-ZAF")
    html = login("case.manager").get(f"/cases/{zaf.pk}/dd645.pdf").content.decode()
    assert "FMS billing statement (DD Form 645): XB-B-ZAF" in html and "$50,000.00" in html
    partner = login("partner.bandaria").get(f"/cases/{zaf.pk}/dd645.pdf").content.decode()
    assert "$50,000.00" in partner and "Reconciliation" not in partner


def test_closure_certificate_is_a_marked_pdf_once_closed(login, tmp_path):
    zag, zaf = case("XB-B-ZAG"), case("XB-B-ZAF")
    client = login("case.manager")
    assert client.get(f"/cases/{zaf.pk}/closure-certificate.pdf").status_code == 404  # SSC only
    r = client.get(f"/cases/{zag.pk}/closure-certificate.pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        path = tmp_path / "certificate.pdf"
        path.write_bytes(r.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert REL in text and "Case closure certificate: XB-B-ZAG" in text
        assert "Interim closure" in text and "Conditionally, active contracts" in text
