"""Peak memory and time of a large list export (issue 15 §6): the document list as XLSX and CSV,
streamed (what the product does), against the workbook built in memory (what it did before).

    python bench/export_memory.py                      # 100,000 documents, SQLite
    python bench/export_memory.py --rows 250000
    python bench/export_memory.py --database-url postgres://postgres@127.0.0.1:5432/bench_export

A throw-away database (a SQLite file in a temporary directory, deleted at the end; or the
PostgreSQL database named, created when missing and dropped at the end): migrations, the demo data,
then copies of the demo's documents made in bulk, keeping their markings. Each export then runs in
a fresh process (so that one peak does not hide another), as the SCO through Django's test client
(the whole stack: session, profile, door, rows, workbook), and prints:

* peak RSS: the process's resident memory at its highest (getrusage ru_maxrss), and how much it
  grew over the process before the request;
* peak traced: the highest Python allocation tracemalloc saw during the request (`--traced`; it
  slows the run about threefold, so it is off by default);
* the rows the file holds, its size and the wall time.

"worker" is the XLSX written by the task worker (core.list_exports.run), as for an export past
EXPORT_BACKGROUND_ROWS rows (the task is run in the measuring process, not enqueued).

"in memory" is the old path: every row read into a list, then one openpyxl workbook built in
memory (reports.xlsx.table_sheet) and saved to bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("MAX_CLASSIFICATION", "SECRET")
    # Measure the export written while the user waits, whatever its size; "worker" below runs
    # the task worker's path (core.list_exports.run) in this process.
    os.environ.setdefault("EXPORT_BACKGROUND_ROWS", str(10**9))


def build(n_rows: int) -> int:
    from django.core.management import call_command

    from secoop.core import demo
    from secoop.core.models import Document

    call_command("migrate", verbosity=0, interactive=False)
    demo.load()
    seeds = list(Document.objects.system().all())
    made = 0
    batch = []
    while made < n_rows:
        for seed in seeds:
            copy_ = copy.copy(seed)
            copy_._state = copy.copy(seed._state)
            copy_._state.adding = True
            copy_.pk = copy_.id = None
            copy_.title = f"{seed.title} (copy {made + 1})"
            batch.append(copy_)
            made += 1
            if made >= n_rows:
                break
        if len(batch) >= 5000 or made >= n_rows:
            Document.objects.system().bulk_create(batch, batch_size=1000)
            batch = []
    return Document.objects.system().count()


def kib_rss() -> int:
    """The process's peak resident memory so far, in KiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def one(kind: str, traced: bool) -> dict:
    """Run one export in this process and report what it cost."""
    import django

    django.setup()
    import tracemalloc

    from django.test import Client

    from secoop.core.models import Document
    from secoop.core.models import User

    user = User.objects.get(username="sco.bandaria")
    client = Client()
    client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
    client.get("/documents/")  # warm: imports, templates, the profile
    before = kib_rss()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    if kind == "in memory":
        rows, size = _in_memory(user)
    elif kind == "worker":
        rows, size = _worker(client, user)
    else:
        response = client.get("/documents/", {"format": kind})
        size = 0
        body = response.streaming_content if response.streaming else [response.content]
        for part in body:  # read as a client would, without keeping it
            size += len(part)
        rows = response.get("X-Export-Rows", "")
        if kind == "csv":
            rows = Document.objects.visible_to(user).count()
    seconds = time.perf_counter() - start
    peak_traced = tracemalloc.get_traced_memory()[1] if traced else None
    return {
        "export": kind,
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(kib_rss() / 1024, 1),
        "rss_growth_mib": round((kib_rss() - before) / 1024, 1),
        "peak_traced_mib": round(peak_traced / 2**20, 1) if peak_traced is not None else None,
    }


def _worker(client, user) -> tuple[int, int]:
    """The task worker's path: the job made as the list page makes it, then run here."""
    from django.test import RequestFactory

    from secoop.core import list_exports
    from secoop.core.views import DocumentList

    request = RequestFactory().get("/documents/", {"format": "xlsx"})
    request.user = user
    view = DocumentList()
    view.setup(request)
    job = list_exports.start(request, list_exports.ListExport(view), "xlsx")
    job = list_exports.run(job.pk)
    return job.rows_done, job.file.size


def _in_memory(user) -> tuple[int, int]:
    """The export as it was before issue 15 §6: all rows in a list, one workbook in memory."""
    from secoop.core.markings import combine
    from secoop.core.models import Document
    from secoop.reports import xlsx as excel

    docs = list(
        Document.objects.visible_to(user).select_related("owner_org", "country").order_by("-dated")
    )
    values = [
        [
            d.title,
            d.get_kind_display(),
            d.owner_org.short_name,
            d.country.name if d.country else "",
            d.dated,
            d.marking_text,
        ]
        for d in docs
    ]
    wb = excel.workbook()
    marking = combine(d.marking for d in docs)
    excel.table_sheet(
        wb,
        "Documents",
        marking,
        ["Title", "Kind", "Owner", "Country", "Dated", "Marking"],
        values,
        heading=["Documents"],
    )
    return len(values), len(excel.save(wb, marking))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="documents to add")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--traced", action="store_true", help="also trace Python allocations")
    parser.add_argument("--skip-old", action="store_true", help="skip the in-memory workbook")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one export in this process
    args = parser.parse_args()
    if args.one:
        configure(args.database_url)
        print(json.dumps(one(args.one, args.traced)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="secoop-bench-export-"))
    os.environ["MEDIA_ROOT"] = str(tmp / "media")  # the worker's files, deleted at the end
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    configure(url)
    import django

    django.setup()
    from django.db import connection

    created_pg = False
    if url.startswith("postgres"):
        created_pg = _create_pg(url)
        connection.close()
    try:
        start = time.perf_counter()
        total = build(args.rows)
        connection.close()
        print(f"{total:,} documents in {time.perf_counter() - start:.0f} s", flush=True)
        kinds = ["xlsx", "csv", "worker"] + ([] if args.skip_old else ["in memory"])
        print(
            f"{'export':<10} {'rows':>16} {'MiB file':>9} {'s':>6} {'peak RSS MiB':>13} "
            f"{'RSS growth MiB':>15} {'traced MiB':>11}"
        )
        for kind in kinds:
            cmd = [sys.executable, __file__, "--one", kind, "--database-url", url]
            if args.traced:
                cmd.append("--traced")
            out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=os.environ)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['export']:<10} {r['rows']!s:>16} {r['bytes'] / 2**20:>9.1f} "
                f"{r['seconds']:>6.1f} {r['peak_rss_mib']:>13.1f} {r['rss_growth_mib']:>15.1f} "
                f"{r['peak_traced_mib'] if r['peak_traced_mib'] is not None else '—':>11}",
                flush=True,
            )
    finally:
        if created_pg:
            _drop_pg(url)
        shutil.rmtree(tmp, ignore_errors=True)


def _create_pg(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_pg(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
