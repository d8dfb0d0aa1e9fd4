"""List endpoints at enterprise scale, against the raw SQL for the same page.

    python bench/list_endpoints.py                 # SQLite file var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secoop_bench python bench/list_endpoints.py

Builds the database on first use (migrations, then `generate --scale enterprise --ignore-ceiling`)
and reuses it afterwards. For each list endpoint and each kind of user it times N requests through
Django's test Client (the whole stack: middleware, session, access door, serializer or template)
and the hand-written SQL for the same page (the same visibility filter, COUNT and LIMIT 50), and
prints one table. bench/README.md explains the columns.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench.sqlite3"

os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
# A production-like configuration (DEBUG off, no access-door enforcement: that is for tests), but
# plain HTTP from the test client.
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT / "src"))

PAGE = 50


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database on the server if it is not there yet."""
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
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def build(scale: str, seed: int) -> None:
    from django.core.management import call_command

    from secoop.core import generate

    call_command("migrate", verbosity=0, interactive=False)
    if generate.existing_runs():
        print(f"Reusing the generated data in {describe_db()}.")
        return
    print(
        f"Generating the {scale} data set in {describe_db()} (once; later runs reuse it)…",
        flush=True,
    )
    started, cpu = time.perf_counter(), time.process_time()
    made = generate.generate(scale, seed=seed, ignore_ceiling=True)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in made.seconds.items())
    counts = ", ".join(f"{n:,} {label}" for label, n in sorted(made.counts.items()))
    print(f"Generated in {wall:.1f} s wall, {cpu:.1f} s CPU ({steps}): {counts}.")


def describe_db() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
    return f"PostgreSQL {version} ({connection.settings_dict['NAME']})"


# --- the visibility filter, by hand -------------------------------------------------------------


def visibility_sql(
    alias: str, profile, *, owner: str, country: str | None, partner_flag: str | None
):
    """The WHERE clause the access door applies (R-SEC-01..03), written out as SQL. The user's
    facts (ceiling, citizenship, memberships) come from their access profile."""
    from secoop.core.rules import USA
    from secoop.core.rules import Audience

    person = profile.person
    where, params = [f"{alias}.classification <= %s"], [int(profile.ceiling)]
    if person.citizenship != USA:
        where.append(f"{alias}.dissemination = 'REL' AND {alias}.rel_to LIKE %s")
        params.append(f"%,{person.citizenship},%")
    ids = sorted(person.member_org_ids)
    in_ids = f"{alias}.{owner} IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0"
    if person.audience == Audience.PARTNER:
        if partner_flag:
            where.append(f"{alias}.{partner_flag} = %s")
            params.append(True)
        if country and person.partner_country:
            where.append(f"({in_ids} OR {alias}.{country} = %s)")
            params += [*ids, person.partner_country]
        else:
            where.append(in_ids)
            params += ids
    elif person.audience == Audience.INDUSTRY:
        where.append(in_ids)
        params += ids
    return " AND ".join(f"({w})" for w in where), params


@dataclass(frozen=True)
class Endpoint:
    label: str
    url: str
    table: str  # FROM clause: the model's table and its alias
    alias: str
    joins: str  # what the page reads along (select_related)
    columns: str
    order: str
    owner: str = "owner_org_id"
    country: str | None = "country_id"
    partner_flag: str | None = None
    marked: bool = True  # False for reference data every signed-in user reads
    api: bool = True

    def raw_sql(self, profile) -> tuple[str, str, list]:
        if self.marked:
            where, params = visibility_sql(
                self.alias,
                profile,
                owner=self.owner,
                country=self.country,
                partner_flag=self.partner_flag,
            )
        else:
            where, params = "1 = 1", []
        count = f"SELECT COUNT(*) FROM {self.table} WHERE {where}"
        page = f"SELECT {self.columns} FROM {self.table} {self.joins} WHERE {where} ORDER BY {self.order} LIMIT {PAGE}"
        return count, page, params


ORG = dict(table="core_organization o", alias="o", owner="id")
DOC = dict(table="core_document d", alias="d")
CHG = dict(table="core_changelogentry c", alias="c", partner_flag="partner_visible")

ENDPOINTS = [
    Endpoint(
        "GET /api/v1/organizations/",
        "/api/v1/organizations/",
        joins="",
        columns="o.*",
        order="o.tree_path",
        **ORG,
    ),
    Endpoint(
        "GET /api/v1/documents/",
        "/api/v1/documents/",
        joins="JOIN core_organization oo ON oo.id = d.owner_org_id",
        columns="d.*, oo.*",
        order="d.dated DESC, d.title",
        **DOC,
    ),
    Endpoint(
        "GET /api/v1/changes/",
        "/api/v1/changes/",
        joins="JOIN django_content_type ct ON ct.id = c.content_type_id",
        columns="c.*, ct.*",
        order="c.at DESC, c.id DESC",
        **CHG,
    ),
    Endpoint(
        "GET /api/v1/countries/",
        "/api/v1/countries/",
        table="core_country k",
        alias="k",
        joins="",
        columns="k.*",
        order="k.name",
        marked=False,
    ),
    Endpoint(
        "GET /documents/",
        "/documents/",
        joins="JOIN core_organization oo ON oo.id = d.owner_org_id "
        "LEFT JOIN core_country k ON k.alpha3 = d.country_id",
        columns="d.*, oo.*, k.*",
        order="d.dated DESC, d.id",
        api=False,
        **DOC,
    ),
    Endpoint(
        "GET /organizations/",
        "/organizations/",
        joins="LEFT JOIN core_organization p ON p.id = o.parent_id "
        "LEFT JOIN core_country k ON k.alpha3 = o.country_id",
        columns="o.*, p.*, k.*",
        order="o.name, o.id",
        api=False,
        **ORG,
    ),
    Endpoint(
        "GET /changes/",
        "/changes/",
        joins="JOIN django_content_type ct ON ct.id = c.content_type_id",
        columns="c.*, ct.*",
        order="c.at DESC, c.id DESC",
        api=False,
        **CHG,
    ),
]


def bench_users():
    """One generated user of each kind the access rules treat differently."""
    from secoop.core.generate import USERNAME_PREFIX
    from secoop.core.models import User
    from secoop.core.models.organizations import OrganizationKind
    from secoop.core.rules import Audience
    from secoop.core.rules import Clearance

    generated = User.objects.filter(username__startswith=USERNAME_PREFIX, is_active=True).order_by(
        "username"
    )
    picks = [
        (
            "USG SECRET (SCO)",
            generated.filter(
                audience=Audience.USG,
                is_le_staff=False,
                clearance=Clearance.SECRET,
                memberships__organization__kind=OrganizationKind.SCO,
            ),
        ),
        ("partner", generated.filter(audience=Audience.PARTNER)),
        ("LE staff", generated.filter(is_le_staff=True)),
        ("industry", generated.filter(audience=Audience.INDUSTRY)),
    ]
    found = []
    for label, qs in picks:
        user = qs.first()
        if user is None:
            raise SystemExit(
                f"No generated {label} user: rebuild the benchmark database (--rebuild)."
            )
        found.append((label, user))
    return found


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run(requests: int, only: str | None) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secoop.core import access

    rows = []
    for user_label, user in bench_users():
        client = Client()
        client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
        profile = access.profile_for(user)
        for ep in ENDPOINTS:
            if only and only not in ep.url:
                continue
            count_sql, page_sql, params = ep.raw_sql(profile)
            # Warm up (first request compiles templates, fills caches), and check the page works.
            for _ in range(2):
                response = client.get(ep.url)
            if response.status_code != 200:
                raise SystemExit(f"{ep.label} as {user.username}: HTTP {response.status_code}")
            with CaptureQueriesContext(connection) as captured:
                client.get(ep.url)
            queries = len(captured)  # now: the next request clears the connection's query log
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(ep.url)
                times.append((time.perf_counter() - started) * 1000)
            raw_times = []
            with connection.cursor() as cur:
                for _ in range(requests):
                    started = time.perf_counter()
                    cur.execute(count_sql, params)
                    visible = cur.fetchone()[0]
                    cur.execute(page_sql, params)
                    page_rows = cur.fetchall()
                    raw_times.append((time.perf_counter() - started) * 1000)
            note = ""
            if ep.api and response.json().get("count") != visible:
                note = f" MISMATCH: API count {response.json().get('count')} vs raw {visible}"
            elif len(page_rows) != min(PAGE, visible):
                note = " MISMATCH: raw page size"
            median, raw_median = statistics.median(times), statistics.median(raw_times)
            rows.append(
                (
                    ep.label,
                    user_label,
                    visible,
                    median,
                    percentile(times, 0.95),
                    raw_median,
                    median / raw_median if raw_median else float("nan"),
                    queries,
                    note,
                )
            )
            print(
                f"  {ep.label:30} {user_label:18} {median:8.1f} ms{note}",
                file=sys.stderr,
                flush=True,
            )
    return rows


def print_table(rows: list[tuple]) -> None:
    header = (
        "endpoint",
        "user",
        "rows visible",
        "median ms",
        "p95 ms",
        "raw SQL median ms",
        "ratio",
        "queries",
    )
    cells = [header] + [
        (
            ep,
            user,
            f"{visible:,}",
            f"{med:.1f}",
            f"{p95:.1f}",
            f"{raw:.2f}",
            f"{ratio:.1f}x",
            f"{q}{note}",
        )
        for ep, user, visible, med, p95, raw, ratio, q, note in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    right = {2, 3, 4, 5, 6, 7}

    def line(row):
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )

    print(line(header))
    print(
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    for row in cells[1:]:
        print(line(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", "-n", type=int, default=15, help="Timed requests per endpoint and user."
    )
    parser.add_argument("--scale", default="enterprise", help="Generator scale for a new database.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="Start from a new SQLite file.")
    parser.add_argument("--only", help="Only the endpoints whose URL contains this text.")
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and url == f"sqlite:///{DEFAULT_DB}":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{DEFAULT_DB}{suffix}").unlink(missing_ok=True)
    elif url.startswith(("postgres", "postgresql")):
        ensure_postgres_database(url)

    import django

    django.setup()
    from django.conf import settings

    from secoop.core.models import ChangeLogEntry
    from secoop.core.models import Document
    from secoop.core.models import Organization
    from secoop.core.models import User

    build(args.scale, args.seed)
    print(
        f"\n{describe_db()}; Python {platform.python_version()}; DEBUG={settings.DEBUG}; "
        f"{Organization.objects.system().count():,} organizations, {User.objects.count():,} users, "
        f"{Document.objects.system().count():,} documents, {ChangeLogEntry.objects.system().count():,} change-log "
        f"entries; {args.requests} timed requests per row, page size {PAGE}.\n",
        flush=True,
    )
    rows = run(args.requests, args.only)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
