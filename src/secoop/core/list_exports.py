"""List exports that neither run out of memory nor drop rows (issue 15 §6).

A list's export holds what the list shows — the same filters, sort and door, every page — read in
chunks of `EXPORT_CHUNK_ROWS` (`QuerySet.iterator`) and written row by row: XLSX through a
write-only workbook into a temporary file (reports.xlsx.stream_table), CSV as a streaming response.
Memory stays bounded whatever the count (bench/export_memory.py measures it). Nothing is cut
silently: a sheet holds at most 1,048,576 rows (`EXPORT_XLSX_MAX_ROWS`); past it the file's note
and the response's X-Export-Rows header say how many of how many rows it holds, and CSV has no cap.

The banner marking is that of every exported row, found before the first row is written by one
query over the distinct markings of the rows (a handful of values, whatever the count).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import FileResponse
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import resolve
from django.utils import timezone
from django.utils.text import slugify

from secoop.reports import xlsx as excel
from secoop.reports.common import XLSX_MIME

from . import access
from . import formats
from .markings import Marking
from .markings import combine
from .models import ExportJob
from .spreadsheets import csv_row
from .viewkit import visible_or_404

SAMPLE = excel.WIDTH_SAMPLE
INLINE_BYTES = 8 * 1024 * 1024  # a workbook up to this size is sent from memory


def rows_marking(queryset) -> Marking:
    """The banner marking of every row of `queryset`, from its distinct markings (one query)."""
    return combine(rows_markings(queryset))


def rows_markings(queryset) -> list[Marking]:
    """The distinct markings of the rows of `queryset` (one query): a page that adds up rows of
    several querysets combines them all at once, as it would the rows themselves."""
    model = queryset.model
    if not isinstance(getattr(model, "marking", None), property):
        return []
    triples = (
        queryset.order_by().values_list("classification", "dissemination", "rel_to").distinct()
    )
    return [model(classification=c, dissemination=d, rel_to=r).marking for c, d, r in triples]


def _utc(value: Any) -> Any:
    """A moment in UTC (the export says so in its header); anything else as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value.astimezone(dt.UTC)
    return value


class ListExport:
    """One list view's export: its rows, headers and marking, streamed."""

    def __init__(self, view):
        self.view = view
        self.user = view.request.user
        self.queryset = view.get_queryset()
        self.columns = view.shown_columns() + list(view.export_columns)
        self.marked = isinstance(getattr(self.queryset.model, "marking", None), property)
        self.title = view.title or str(self.queryset.model._meta.verbose_name_plural).capitalize()
        self.now = timezone.now()

    def objects(self) -> Iterator[Any]:
        return self.queryset.iterator(chunk_size=settings.EXPORT_CHUNK_ROWS)

    def values(self) -> Iterator[list[Any]]:
        for obj in self.objects():
            row = [_utc(c.value(obj, self.view)) for c in self.columns]
            if self.marked:
                row.append(obj.marking_text)
            yield row

    def headers(self, sample: list[list[Any]]) -> list[str]:
        headers = [
            f"{c.header} (UTC)" if any(isinstance(r[i], dt.datetime) for r in sample) else c.header
            for i, c in enumerate(self.columns)
        ]
        return headers + (["Marking"] if self.marked else [])

    def heading(self) -> str:
        return f"{self.title} — exported {formats.moment(self.now)} UTC by {self.user.username}"

    def filename(self, ext: str) -> str:
        return f"{slugify(self.title)}-{self.now:%Y%m%d}.{ext}"

    def write_xlsx(self, out, marking: Marking, on_row=None) -> tuple[int, int | None]:
        """Write the workbook to `out`; returns (rows written, rows in all when some were left
        out for want of room, else None)."""
        values = self.values()
        if on_row is not None:
            values = _counting(values, on_row)
        sample = list(islice(values, SAMPLE))
        money = [c.money for c in self.columns] + ([False] if self.marked else [])
        total: list[int] = []

        def note(written: int) -> str:
            total.append(self.queryset.count())
            return (
                f"This file holds the first {written:,} of {total[0]:,} rows: a spreadsheet holds "
                f"at most {excel.XLSX_MAX_ROWS:,} rows. Narrow the filter, or export CSV, "
                "which holds every row."
            )

        written = excel.stream_table(
            out,
            self.title,
            marking,
            self.headers(sample),
            chain(sample, values),
            heading=[self.heading()],
            money=money,
            max_rows=settings.EXPORT_XLSX_MAX_ROWS,
            overflow_note=note,
        )
        return written, (total[0] if total else None)

    def xlsx_response(self) -> HttpResponse:
        """The workbook: sent from memory when small, else streamed from its temporary file."""
        marking = rows_marking(self.queryset)
        out = tempfile.SpooledTemporaryFile(max_size=INLINE_BYTES)  # on disk past INLINE_BYTES
        written, total = self.write_xlsx(out, marking)
        size = out.seek(0, 2)
        out.seek(0)
        if size <= INLINE_BYTES:
            response = HttpResponse(out.read(), content_type=XLSX_MIME)
            response["Content-Disposition"] = f'attachment; filename="{self.filename("xlsx")}"'
            out.close()
        else:  # the file is closed (and deleted) when the response is sent
            response = FileResponse(
                out, as_attachment=True, filename=self.filename("xlsx"), content_type=XLSX_MIME
            )
        response["X-Marking"] = str(marking)
        response["X-Export-Rows"] = f"{written}" if total is None else f"{written} of {total}"
        return response

    def csv_lines(self, marking: Marking, on_row=None) -> Iterator[str]:
        """The CSV: the banner, the heading, the header row, every row, a blank line, the banner.
        Moments in UTC (ISO 8601), dates ISO, amounts as plain numbers; no live formula."""
        echo = _Echo()
        writer = csv.writer(echo)
        values = self.values()
        if on_row is not None:
            values = _counting(values, on_row)
        sample = list(islice(values, SAMPLE))
        yield writer.writerow([str(marking)])
        yield writer.writerow(csv_row([self.heading()]))
        yield writer.writerow(csv_row(self.headers(sample)))
        for row in chain(sample, values):
            yield writer.writerow(csv_row(_csv_value(v) for v in row))
        yield writer.writerow([])
        yield writer.writerow([str(marking)])

    def csv_response(self) -> StreamingHttpResponse:
        marking = rows_marking(self.queryset)
        response = StreamingHttpResponse(
            self.csv_lines(marking), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename("csv")}"'
        response["X-Marking"] = str(marking)
        return response


class _Echo:
    """A file-like object whose write returns the line (csv.writer into a streaming response)."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _counting(values: Iterator[list[Any]], on_row) -> Iterator[list[Any]]:
    for n, row in enumerate(values, start=1):
        on_row(n)
        yield row


# --- exports too large to wait for: the task worker writes them (issue 15 §6) ---------------------

FORMATS = ("xlsx", "csv")


def export_response(view, fmt: str) -> HttpResponse:
    """The list's export in `fmt`: written now, or — past EXPORT_BACKGROUND_ROWS rows (a bounded
    count: it stops counting there) — handed to the task worker, the user sent to its page."""
    export = ListExport(view)
    limit = settings.EXPORT_BACKGROUND_ROWS
    expected = export.queryset.order_by()[: limit + 1].count()
    if expected <= limit:
        return export.xlsx_response() if fmt == "xlsx" else export.csv_response()
    return redirect(start(view.request, export, fmt).get_absolute_url())


def start(request, export: ListExport, fmt: str) -> ExportJob:
    from .tasks import export_list

    user = request.user
    params = request.GET.copy()
    for key in ("page", "cursor"):  # every page of the list, not the one on screen
        params.pop(key, None)
    job = ExportJob.objects.create(
        user=user,
        title=export.title,
        path=request.path,
        query=params.urlencode(),
        format=fmt,
        rows_expected=export.queryset.count(),
        access_version=user.access_version,
    )
    export_list.enqueue(job.pk)
    return job


def run(job_id: int) -> ExportJob:
    """Write the job's file as its owner's list shows it now (the task worker calls this)."""
    from .lists import RecordListView
    from .models import User

    job = ExportJob.objects.get(pk=job_id)
    user = User.objects.get(pk=job.user_id)
    if user.access_version != job.access_version or access.profile_for(user) is None:
        return _failed(job, "Your access changed after you asked for this export: export again.")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.user = user
    match = resolve(job.path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, RecordListView):
        return _failed(job, f"{job.path} is not a list that exports.")
    view = view_class()
    view.setup(request, *match.args, **match.kwargs)
    export = ListExport(view)
    marking = rows_marking(export.queryset)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, marking_text=str(marking)
    )
    every = max(settings.EXPORT_CHUNK_ROWS, 1)

    def progress(n: int) -> None:
        if n % every == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=n)

    note = ""
    with tempfile.TemporaryFile() as out:
        if job.format == "xlsx":
            written, total = export.write_xlsx(out, marking, on_row=progress)
            if total is not None:
                note = (
                    f"The file holds the first {written:,} of {total:,} rows: a spreadsheet holds "
                    f"at most {excel.XLSX_MAX_ROWS:,} rows. Export CSV for every row."
                )
        else:
            written = 0

            def count(n: int) -> None:
                nonlocal written
                written = n
                progress(n)

            for line in export.csv_lines(marking, on_row=count):
                out.write(line.encode())
        out.seek(0)
        job.refresh_from_db()
        job.file.save(export.filename(job.format), File(out), save=False)
    job.status = ExportJob.Status.DONE
    job.rows_done = written
    job.note = note
    job.marking_text = str(marking)
    job.finished_at = timezone.now()
    job.save()
    return job


def _failed(job: ExportJob, why: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportJob.Status.FAILED, why, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


@dataclass(frozen=True)
class Marked:
    """What a page's banner covers when it names no record: the marking of the rows it counts or
    exports (rows_marking), for `page_records`."""

    marking: Marking


@login_required
def job_page(request, pk: int):
    """The export's progress (refreshed by htmx every two seconds), then its download."""
    job = visible_or_404(ExportJob, request.user, pk)
    stale = job.access_version != request.user.access_version
    marking = Marking.parse(job.marking_text) if job.marking_text else None
    return render(
        request,
        "core/export_job.html",
        {
            "job": job,
            "stale": stale,
            "page_records": [Marked(marking)] if marking else [],
        },
    )


@login_required
def job_file(request, pk: int):
    """The file, to its owner only, and only while their access is what it was when asked."""
    job = get_object_or_404(
        ExportJob.objects.visible_to(request.user), pk=pk, status=ExportJob.Status.DONE
    )
    if job.access_version != request.user.access_version:
        messages.error(
            request,
            "Your access changed after this export was written, so it is not handed out: "
            "export the list again.",
        )
        return redirect(job.get_absolute_url())
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
    )
    response["X-Marking"] = job.marking_text
    response["X-Export-Rows"] = str(job.rows_done)
    return response
