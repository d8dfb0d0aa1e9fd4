"""The training dashboard, the student list and the partner's training home at scale, against the
best hand-written SQL for the same page (issue 14.6).

    python bench/training_dashboard.py                     # 100,000 students, SQLite
    python bench/training_dashboard.py --students 20000 --runs 7
    python bench/training_dashboard.py --database-url postgres://postgres@127.0.0.1:5432/bench_trn

A throw-away database (a SQLite file in a temporary directory, deleted at the end; or the
PostgreSQL database named, created when missing and dropped at the end): migrations, the demo data,
then copies of the demo's students made in bulk, each with the copies of its step records
(readiness, vettings, screening checks, ITOs, arrival notices, after-training records), the class
dates spread over four years around the demo day. The copies keep the demo records' markings, so
the door has the same mix to filter.

For each page and user it prints the median time of one request through Django's test client (the
whole stack), the number of SQL queries it ran, and the median time of the hand-written SQL that
reads what the page shows: the COUNT and the page of students with the same visibility filter
(bench/list_endpoints.visibility_sql), and for the dashboard the "what is missing" conditions and
the step records of the page's students. The ratio is page / SQL.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="secoop-bench-training-"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

DEMO_DAY = dt.date(2026, 12, 1)
DASHBOARD_PAGE = 25
LIST_PAGE = 50


def configure(database_url: str | None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{TMP / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("MAX_CLASSIFICATION", "SECRET")


def clone(instance, **changes):
    made = copy.copy(instance)
    made._state = copy.copy(instance._state)
    made._state.adding = True
    made.pk = None
    made.id = None
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def build(n_students: int) -> dict[str, int]:
    from django.core.management import call_command

    from secoop.core import demo
    from secoop.training.models import AfterTraining
    from secoop.training.models import ArrivalNotice
    from secoop.training.models import Ito
    from secoop.training.models import Readiness
    from secoop.training.models import ScreeningCheck
    from secoop.training.models import Student
    from secoop.training.models import Vetting

    call_command("migrate", verbosity=0, interactive=False)
    demo.load()
    students = list(Student.objects.system().order_by("pk"))
    kinds = (Readiness, Vetting, ScreeningCheck, Ito, ArrivalNotice, AfterTraining)
    children = {model: {} for model in kinds}
    for model in kinds:
        for row in model.objects.system().order_by("pk"):
            children[model].setdefault(row.student_id, []).append(row)
    made = 0
    batch = 5000
    while made < n_students:
        n = min(batch, n_students - made)
        bases = [students[(made + i) % len(students)] for i in range(n)]
        shifts = [dt.timedelta(days=7 * (((made + i) * 37) % 209) - 730) for i in range(n)]
        new = Student.objects.bulk_create(
            [
                clone(
                    b,
                    family_name=f"{b.family_name}-{made + i}",
                    class_start=b.class_start + shifts[i],
                    class_end=b.class_end + shifts[i],
                    alternate_for_id=None,
                )
                for i, b in enumerate(bases)
            ],
            batch_size=1000,
        )
        for model in kinds:
            rows = [
                clone(c, student_id=s.pk)
                for b, s in zip(bases, new, strict=True)
                for c in children[model].get(b.pk, [])
            ]
            if model is Ito:
                for r in rows:
                    r.number = f"{r.number}-{r.student_id}"
            model.objects.bulk_create(rows, batch_size=1000)
        made += n
        print(f"  {made:,} students", end="\r", flush=True)
    return {
        "students": Student.objects.system().count(),
        "vettings": Vetting.objects.system().count(),
        "step records": sum(m.objects.system().count() for m in kinds),
    }


def reuse(n_students: int) -> dict[str, int] | None:
    """The sizes of a kept database that already holds the students (None: build it)."""
    from django.db import connection

    if "training_student" not in connection.introspection.table_names():
        return None
    from secoop.training.models import Student
    from secoop.training.models import Vetting

    students = Student.objects.system().count()
    if students < n_students:
        return None
    return {"students": students, "vettings": Vetting.objects.system().count()}


def drop_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')


# --- the hand-written SQL for each page ------------------------------------------------------------

OPEN = ("nominated", "screening", "ito_issued", "in_training", "graduated")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def after_missing_sql(today: dt.date) -> tuple[str, list]:
    """R-TRN-10/13 as SQL: a briefing missing after the ITO, or a post-training record missing."""
    has = (
        "EXISTS (SELECT 1 FROM training_aftertraining a WHERE a.student_id = s.id AND a.kind = %s)"
    )
    sql = (
        f"((s.status IN {_in(('ito_issued', 'in_training', 'graduated'))} AND NOT {has})"
        f" OR ((s.status = 'graduated' OR (s.status = 'in_training' AND s.class_end < %s))"
        f" AND (NOT {has} OR NOT {has} OR NOT {has})))"
    )
    return sql, ["pre_departure", today, "interview", "academic", "use"]


def dashboard_sql(cursor, profile, today: dt.date) -> None:
    from list_endpoints import visibility_sql

    where, params = visibility_sql(
        "s", profile, owner="owner_org_id", country="country_id", partner_flag=None
    )
    after, after_params = after_missing_sql(today)
    base = (
        f"FROM training_student s WHERE {where} AND s.status IN {_in(OPEN)}"
        f" AND (s.status <> 'graduated' OR {after})"
    )
    cursor.execute(f"SELECT COUNT(*) {base}", params + after_params)
    cursor.fetchone()
    cursor.execute(
        f"SELECT s.* {base} ORDER BY s.class_start, s.family_name, s.id LIMIT {DASHBOARD_PAGE}",
        params + after_params,
    )
    ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    for table in (
        "training_readiness",
        "training_vetting",
        "training_screeningcheck",
        "training_ito",
        "training_arrivalnotice",
        "training_aftertraining",
        "training_waiver",
    ):
        cursor.execute(f"SELECT * FROM {table} WHERE student_id IN ({marks})", ids)
        cursor.fetchall()
    cursor.execute(
        f"SELECT * FROM training_course WHERE id IN "
        f"(SELECT course_id FROM training_student WHERE id IN ({marks}))",
        ids,
    )
    cursor.fetchall()


def list_sql(cursor, profile, *, order: str, limit: int, exclude_withdrawn: bool) -> None:
    from list_endpoints import visibility_sql

    where, params = visibility_sql(
        "s", profile, owner="owner_org_id", country="country_id", partner_flag=None
    )
    if exclude_withdrawn:
        where += " AND s.status <> 'withdrawn'"
    cursor.execute(f"SELECT COUNT(*) FROM training_student s WHERE {where}", params)
    cursor.fetchone()
    cursor.execute(
        f"SELECT s.* FROM training_student s WHERE {where} ORDER BY {order} LIMIT {limit}", params
    )
    cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database to use")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the PostgreSQL database, and reuse it when it already holds the students",
    )
    args = parser.parse_args()
    configure(args.database_url)
    if args.database_url:
        from list_endpoints import ensure_postgres_database

        ensure_postgres_database(args.database_url)

    import django

    django.setup()
    import logging

    import time_machine
    from django.db import connection
    from django.test import Client
    from timing import measure
    from timing import median_ms

    from secoop.core import access
    from secoop.core.models import User

    logging.getLogger("django.request").setLevel(logging.ERROR)
    try:
        t0 = time.perf_counter()
        sizes = reuse(args.students) if args.keep else None
        if sizes is None:
            sizes = build(args.students)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics for the planner, as autovacuum would gather
        print(
            f"\nReady in {time.perf_counter() - t0:.1f} s on {connection.vendor}: "
            + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
        )
        noon = dt.datetime.combine(DEMO_DAY, dt.time(12), tzinfo=dt.UTC)
        with time_machine.travel(noon, tick=True):
            rows = []
            for username, url, hand in (
                (
                    "sco.bandaria",
                    "/training/",
                    lambda c, p: dashboard_sql(c, p, DEMO_DAY),
                ),
                (
                    "sco.bandaria",
                    "/training/students/",
                    lambda c, p: list_sql(
                        c, p, order="s.class_start, s.id", limit=LIST_PAGE, exclude_withdrawn=False
                    ),
                ),
                (
                    "partner.bandaria",
                    "/training/",
                    lambda c, p: list_sql(
                        c,
                        p,
                        order="s.class_start DESC, s.family_name, s.id",
                        limit=DASHBOARD_PAGE,
                        exclude_withdrawn=True,
                    ),
                ),
                ("sco.bandaria", "/", None),
            ):
                user = User.objects.get(username=username)
                client = Client()
                client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
                ms, queries, status = measure(client, url, args.runs)
                sql_ms = None
                if hand is not None:
                    profile = access.profile_for(user)

                    def run(hand=hand, profile=profile):
                        with connection.cursor() as cursor:
                            hand(cursor, profile)

                    sql_ms = median_ms(run, args.runs)
                rows.append((username, url, ms, queries, status, sql_ms))
            from secoop.training.today import sco_students

            sco = User.objects.get(username="sco.bandaria")
            provider_ms = median_ms(lambda: sco_students(sco), args.runs)
        print(
            f"\n{'user':18} {'page':22} {'median ms':>10} {'queries':>8} {'SQL ms':>8} {'ratio':>6}"
        )
        for username, url, ms, queries, status, sql_ms in rows:
            ratio = f"{ms / sql_ms:6.1f}" if sql_ms else "     —"
            sql = f"{sql_ms:8.1f}" if sql_ms else "       —"
            flag = "" if status == 200 else f" ({status})"
            print(f"{username:18} {url:22} {ms:10.1f} {queries:8d} {sql} {ratio}{flag}")
        print(f"{'sco.bandaria':18} {'(home: training items)':22} {provider_ms:10.1f}")
        print(
            "\nSQL ms: the hand-written queries for the same page (count, page, and for the "
            "dashboard the step records of its students); '/' is the SCO's home, whose training "
            "items count each step as one query."
        )
    finally:
        if args.database_url:
            connection.close()
            if not args.keep:
                drop_postgres_database(args.database_url)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
