"""Exports of the country plan (R-PLN-05, R-PLN-09): each file opens when read back, carries the
highest marking of what it holds, and holds only what the user may see (R-SEC-01..03)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from secoop.core.markings import Marking
from secoop.planning import exports
from secoop.planning import matrix
from secoop.planning.models import Activity
from secoop.planning.models import CountryPlan
from secoop.planning.models import Phase
from tests.conftest import builds

from .conftest import person

SECRET_TITLE = "Covert route survey of the northern frontier"


@pytest.fixture
def cscs(db) -> CountryPlan:
    return CountryPlan.objects.system().get(country_id="XBN", version=1)


@pytest.fixture
def secret_activity(cscs) -> Activity:
    """A SECRET activity in the plan: the SECRET-cleared planner sees it, the uncleared administrator does not."""
    base = Activity.objects.system().get(title__startswith="Border brigade capability assessment")
    a = Activity(
        title=SECRET_TITLE,
        activity_type="assessment",
        country_id="XBN",
        country_plan=cscs,
        owner_org_id=base.owner_org_id,
        line_of_activity_id=base.line_of_activity_id,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 3, 5),
    )
    a.marking = Marking.parse("SECRET//NOFORN")
    with builds("a SECRET activity above the deployment's ceiling"):
        a.save()
    return a


def download(client, cp, fmt: str) -> bytes:
    response = client.get(f"/planning/country-plans/{cp.pk}/export/{fmt}/")
    assert response.status_code == 200, response.content[:500]
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_r_pln_09_xlsx_is_laid_out_like_the_matrix_and_marked(login, cscs, secret_activity):
    from openpyxl import load_workbook

    content = download(login("ccmd.planner"), cscs, "xlsx")
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Synchronization matrix"]
    assert ws["A1"].value == "SECRET//NOFORN"
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert values[-1] == "SECRET//NOFORN"  # banner last too
    assert {"FY2027", "FY2031", "Q1", "Q4"} <= set(values)
    assert any(str(v).startswith("Phase 1:") for v in values)
    assert "Border security" in values and SECRET_TITLE in values
    assert "FMF · $3.5M" in values  # program and funding in the coloured cells
    assert "Section 333 · $4.75M" in values  # beside a short bar
    assert wb.sheetnames == ["Synchronization matrix", "Dependencies"]
    for sheet in wb.worksheets:  # marked on paper too
        assert sheet.oddHeader.center.text == sheet.oddFooter.center.text == "SECRET//NOFORN"


def test_r_sec_01_xlsx_omits_what_the_user_may_not_see_and_is_marked_for_what_it_holds(
    login, cscs, secret_activity
):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(download(login("admin"), cscs, "xlsx")))
    values = [c.value for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert SECRET_TITLE not in values
    assert wb.active["A1"].value == "CUI//NOFORN"


def test_r_pln_09_pptx_has_an_overview_and_a_slide_per_phase_with_banners(
    login, cscs, secret_activity
):
    from pptx import Presentation

    prs = Presentation(io.BytesIO(download(login("ccmd.planner"), cscs, "pptx")))
    phases = Phase.objects.system().filter(country_plan=cscs).count()
    assert len(prs.slides) == 1 + phases == 6
    for slide in prs.slides:
        banners = [s for s in slide.shapes if s.name.startswith("Classification banner")]
        assert [b.text_frame.text for b in banners] == ["SECRET//NOFORN", "SECRET//NOFORN"]
    names = [s.name for s in prs.slides[0].shapes]
    assert any(n.endswith(SECRET_TITLE) for n in names)
    assert any(n.startswith("Dependency ") for n in names)
    text = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert "Phase 1: Build support and set conditions" in text
    admin = Presentation(io.BytesIO(download(login("admin"), cscs, "pptx")))
    assert not any(s.name.endswith(SECRET_TITLE) for slide in admin.slides for s in slide.shapes)
    # Issue 12 item 8: the title slide's subtitle (its critical path) stays on the slide
    title, subtitle = [s for s in prs.slides[0].shapes if s.shape_type == 17][:2]  # text boxes
    assert title.text_frame.text.startswith("Bandaria: synchronization matrix")
    assert "critical path:" in subtitle.text_frame.text and subtitle.text_frame.word_wrap
    assert subtitle.left + subtitle.width <= prs.slide_width


def test_r_pln_09_ics_has_one_event_per_activity_marked(login, cscs, secret_activity):
    from icalendar import Calendar

    cal = Calendar.from_ical(download(login("ccmd.planner"), cscs, "ics"))
    events = list(cal.walk("VEVENT"))
    assert len(events) == Activity.objects.system().filter(country_plan=cscs).count()
    assert str(cal["X-SECOOP-MARKING"]) == "SECRET//NOFORN"
    assessment = next(
        e for e in events if "Border brigade capability assessment" in str(e["SUMMARY"])
    )
    assert str(assessment["SUMMARY"]).startswith("(CUI) ")
    assert assessment.decoded("DTSTART") == dt.date(2027, 1, 11)
    assert assessment.decoded("DTEND") == dt.date(2027, 1, 30)  # all-day: DTEND is exclusive
    assert str(assessment["UID"]).startswith("planning-activity-")
    assert "Classification: CUI" in str(assessment["DESCRIPTION"]) and "Section 333" in str(
        assessment["DESCRIPTION"]
    )
    assert str(assessment["LOCATION"]) == "Northern frontier"
    # the access class, never CONFIDENTIAL, which people read as a classification (issue 12.8)
    assert {str(e["CLASS"]) for e in events} == {"PRIVATE"}
    admin = Calendar.from_ical(download(login("admin"), cscs, "ics"))
    assert not any(SECRET_TITLE in str(e["SUMMARY"]) for e in admin.walk("VEVENT"))


def test_r_pln_05_docx_has_every_section_and_the_marking_on_every_page(
    login, cscs, secret_activity
):
    from docx import Document

    doc = Document(io.BytesIO(download(login("ccmd.planner"), cscs, "docx")))
    for section in doc.sections:
        assert section.header.paragraphs[0].text == "SECRET//NOFORN"
        assert section.footer.paragraphs[0].text == "SECRET//NOFORN"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for expected in (
        "1. Country assessment",
        "2. Country objectives",
        "3. References to the CCMD campaign plan and the embassy ICS",
        "4. Concept of engagement",
        "5. Synchronization matrix (R-PLN-09)",
        "6. Coordinating instructions",
        "Annex A. Planning assumptions (R-PLN-04)",
    ):
        assert expected in headings
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any("Bandaria certifies its border units" in c for c in cells)  # the IMO failing SMART
    assert any("Measurable: no indicator or target quantity" in c for c in cells)
    assert any(SECRET_TITLE in c for c in cells)
    assert any("Phase 3: Advanced and logistics training, exchanges" in c for c in cells)
    admin = Document(io.BytesIO(download(login("admin"), cscs, "docx")))
    assert admin.sections[0].header.paragraphs[0].text == "CUI//NOFORN"
    assert not any(
        SECRET_TITLE in c.text for t in admin.tables for row in t.rows for c in row.cells
    )


def test_r_pln_05_pdf_renders_with_the_marking_in_page_header_and_footer(
    login, cscs, secret_activity, monkeypatch
):
    import weasyprint

    # The page layout the export printed, kept to count its pages: the PDF is laid out once.
    laid_out = []

    class KeepsLayout(weasyprint.HTML):
        def render(self, *args, **kwargs):
            laid_out.append(super().render(*args, **kwargs))
            return laid_out[-1]

    monkeypatch.setattr(weasyprint, "HTML", KeepsLayout)
    content = download(login("ccmd.planner"), cscs, "pdf")
    assert content.startswith(b"%PDF")
    assert len(laid_out) == 1 and len(laid_out[0].pages) >= 5
    data = matrix.load(person("ccmd.planner"), cscs.pk, document=True)
    html = exports.pdf_html(data)
    assert (
        '@top-center { content: "SECRET//NOFORN"' in html
        and '@bottom-center { content: "SECRET//NOFORN"' in html
    )
    assert SECRET_TITLE in html and "5. Synchronization matrix" in html
    admin_html = exports.pdf_html(matrix.load(person("admin"), cscs.pk, document=True))
    assert SECRET_TITLE not in admin_html and '@top-center { content: "CUI//NOFORN"' in admin_html


def test_an_unknown_export_is_404(login, cscs):
    assert (
        login("ccmd.planner").get(f"/planning/country-plans/{cscs.pk}/export/csv/").status_code
        == 404
    )


@pytest.mark.both_databases  # a query count: the database's own answer
def test_exports_read_a_fixed_number_of_queries(cscs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = person("ccmd.planner")
    matrix.load(user, cscs.pk, document=True)
    with CaptureQueriesContext(connection) as q:
        matrix.load(user, cscs.pk, document=True)
    assert len(q) <= 14
