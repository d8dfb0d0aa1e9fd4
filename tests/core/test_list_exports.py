"""Every list page's XLSX export, read back (issue 12 item 8, issue 11 leftover): marked on paper
(the print header and footer of the sheet, the header row repeated on every printed page), money
as numbers in a currency format, dates as dates; and the page itself shows money as dollars."""

from __future__ import annotations

import io

import pytest
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from openpyxl import load_workbook

from secoop.core import formats
from secoop.core.lists import RecordListView

pytestmark = pytest.mark.django_db


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def list_pages() -> list[str]:
    """Every list page of every app (a RecordListView without a parameter in its address)."""
    return sorted(
        "/" + route
        for route, view in _walk(get_resolver())
        if issubclass(getattr(view, "view_class", object), RecordListView) and "<" not in route
    )


def test_every_app_has_list_pages():
    pages = list_pages()
    for app in ("/cases/", "/training/", "/planning/", "/documents/", "/changes/"):
        assert any(p.startswith(app) for p in pages), app


@pytest.mark.parametrize("url", list_pages())
def test_every_list_export_is_marked_on_every_printed_page(login, url):
    response = login("sco.bandaria").get(url, {"format": "xlsx"})
    assert response.status_code == 200
    marking = response["X-Marking"]
    (ws,) = load_workbook(io.BytesIO(response.content)).worksheets
    for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader):
        assert part.center.text == marking
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"  # the header row repeats
    assert ws["A1"].value == marking and ws.page_setup.orientation == "landscape"


def _column(ws, header):
    """The column's cells, from the header row to the blank row before the closing banner."""
    headers = [c.value for c in ws[3]]
    cells = []
    for row in ws.iter_rows(min_row=4):
        if all(c.value is None for c in row):
            break
        cells.append(row[headers.index(header)])
    return cells


def test_lor_list_export_writes_amounts_as_currency_numbers_and_dates_as_dates(login):
    ws = load_workbook(
        io.BytesIO(login("sco.bandaria").get("/cases/lors/", {"format": "xlsx"}).content)
    ).active
    values = [c for c in _column(ws, "Estimated value (USD)") if c.value is not None]
    assert values and all(isinstance(c.value, int | float) for c in values)  # was '1250000.00'
    assert {c.number_format for c in values} == {formats.XLSX_USD}
    received = _column(ws, "Received")
    assert received and all(c.is_date and c.number_format == formats.XLSX_DATE for c in received)
    widest = max(len(formats.usd(c.value)) for c in values)
    assert ws.column_dimensions["F"].width >= widest + 1  # never '###'


def test_course_weeks_are_numbers_not_money_and_change_times_say_utc(login):
    sco = login("sco.bandaria")
    courses = load_workbook(io.BytesIO(sco.get("/training/courses/", {"format": "xlsx"}).content))
    weeks = [c for c in _column(courses.active, "Weeks") if c.value is not None]
    assert weeks and all(c.value > 0 and c.number_format == formats.XLSX_NUMBER for c in weeks)
    changes = load_workbook(io.BytesIO(sco.get("/changes/", {"format": "xlsx"}).content)).active
    when = _column(changes, "When (UTC)")
    assert when and all(c.is_date and c.number_format == formats.XLSX_DATETIME for c in when)


def test_the_lor_list_page_shows_money_as_dollars(login):
    page = login("sco.bandaria").get("/cases/lors/").content.decode()
    assert "$7,500,000.00" in page and "7500000.00" not in page
    assert "18 Nov 2026" in page  # a day as everywhere else


def _data_rows(ws) -> list[tuple]:
    """The rows between the header row (3) and the blank row before the closing banner."""
    rows = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def test_issue15_an_export_is_read_in_chunks_and_holds_every_row(login, users, settings):
    """Issue 15 §6: the export stopped silently at 50,000 rows; now it reads the rows in chunks
    (two at a time here) and writes every one, marked as the rows it holds."""
    from secoop.core.models import ChangeLogEntry

    settings.EXPORT_CHUNK_ROWS = 2
    response = login("sco.bandaria").get("/changes/", {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    expected = ChangeLogEntry.objects.visible_to(users["sco.bandaria"]).count()
    rows = _data_rows(ws)
    assert expected > 2 * settings.EXPORT_CHUNK_ROWS and len(rows) == expected
    assert response["X-Export-Rows"] == str(expected)
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value)
    assert ws.cell(row=last, column=1).value == response["X-Marking"] == ws["A1"].value


def test_issue15_past_the_sheet_limit_the_file_says_how_many_rows_it_holds(login, users, settings):
    """A sheet holds 1,048,576 rows (here 5): the file and the response say so, never silently."""
    from secoop.core.models import ChangeLogEntry

    settings.EXPORT_XLSX_MAX_ROWS = 5
    response = login("sco.bandaria").get("/changes/", {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    expected = ChangeLogEntry.objects.visible_to(users["sco.bandaria"]).count()
    rows = _data_rows(ws)
    assert len(rows) == 6  # five rows and the note
    assert rows[-1][0].startswith(f"This file holds the first 5 of {expected:,} rows")
    assert "export CSV" in rows[-1][0]
    assert response["X-Export-Rows"] == f"5 of {expected}"
    assert ws.cell(row=ws.max_row, column=1).value == response["X-Marking"]


def test_issue15_csv_export_streams_every_row_between_two_banners(login, users, settings):
    import csv

    from secoop.core.models import ChangeLogEntry

    settings.EXPORT_CHUNK_ROWS = 3
    response = login("sco.bandaria").get("/changes/", {"format": "csv"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.getvalue().decode())))
    marking = response["X-Marking"]
    assert lines[0] == [marking] and lines[-1] == [marking] and lines[-2] == []
    assert lines[2][0] == "When (UTC)"
    expected = ChangeLogEntry.objects.visible_to(users["sco.bandaria"]).count()
    assert len(lines) - 5 == expected  # banner, heading, header … blank, banner


def test_issue15_a_very_large_export_is_written_by_the_task_worker_for_its_owner_only(
    login, users, settings, django_capture_on_commit_callbacks
):
    """Past EXPORT_BACKGROUND_ROWS (here 2) the export goes to the task worker: the user is sent
    to its page (progress, then the download); nobody else sees the page or the file."""
    from secoop.core.models import ChangeLogEntry
    from secoop.core.models import ExportJob

    settings.EXPORT_BACKGROUND_ROWS = 2
    client = login("sco.bandaria")
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get("/changes/", {"format": "xlsx", "page": "3"})
    job = ExportJob.objects.get(user=users["sco.bandaria"])
    assert asked.status_code == 302 and asked.url == f"/exports/{job.pk}/"
    expected = ChangeLogEntry.objects.visible_to(users["sco.bandaria"]).count()
    page = client.get(asked.url).content.decode()
    assert f"Ready: {expected} rows" in page and f"/exports/{job.pk}/file/" in page
    download = client.get(f"/exports/{job.pk}/file/")
    ws = load_workbook(io.BytesIO(download.getvalue())).active
    assert len(_data_rows(ws)) == expected and ws["A1"].value == download["X-Marking"]
    for other in ("partner.bandaria", "case.manager", "admin"):
        assert login(other).get(asked.url).status_code == 404
        assert login(other).get(f"/exports/{job.pk}/file/").status_code == 404


def test_issue15_a_background_export_is_not_handed_out_after_the_owners_access_changed(
    login, users, settings, django_capture_on_commit_callbacks
):
    from secoop.core import actions
    from secoop.core.models import ExportJob
    from secoop.core.rules import Clearance

    settings.EXPORT_BACKGROUND_ROWS = 2
    client = login("sco.bandaria")
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/changes/", {"format": "csv"})
    job = ExportJob.objects.get(user=users["sco.bandaria"])
    assert job.ready and client.get(f"/exports/{job.pk}/file/").status_code == 200
    actions.request_access_change(
        users["admin"],
        users["sco.bandaria"],
        {"clearance": Clearance.CONFIDENTIAL},
        reason="billet downgraded",
    )
    refused = client.get(f"/exports/{job.pk}/file/")
    assert refused.status_code == 302 and refused.url == f"/exports/{job.pk}/"
    assert "Your access changed" in client.get(refused.url).content.decode()
