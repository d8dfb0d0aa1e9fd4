"""Before and after issue 15 items 1–3, on PostgreSQL, on the same generated data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secoop_lists .venv/bin/python bench/lists_keyset.py

Builds the database on first use as bench/list_endpoints.py does (migrations, then `generate
--scale enterprise --ignore-ceiling`). Then, for each kind of user, times the database work of a
list page both ways, interleaved, through the same door (`visible_to`):

* before: an exact COUNT(*) and OFFSET paging; `?q=` as Django's `icontains` (UPPER(x) LIKE
  UPPER('%…%')); releasability as `rel_to LIKE '%,XBN,%'`;
* after: a keyset page and a bounded count (core.keyset); `?q=` as `ILIKE` over trigram indexes
  (core.search); releasability as `string_to_array(rel_to, ',') @> ARRAY['XBN']` (core.dbindex).

It prints the median and p95 of the server's execution time of the statements (ms, EXPLAIN
ANALYZE of each: a loaded machine makes the client's clock noisy) of each, the ratio, and whether the plan read a table whole
(`Seq Scan`). Then it times the whole request (test Client) for a few pages and API lists with
the new code, with the number of queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import list_endpoints  # noqa: E402  (sets the environment for Django, as make bench does)


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def sql_ms(fn) -> float:
    """The server's execution time (ms) of the statements `fn` sends, from EXPLAIN ANALYZE of
    each: the indexes' share, without the client's, which a loaded machine makes noisy."""
    from django.db import connection

    statements = statements_of(fn)
    total = 0.0
    with connection.cursor() as cur:
        for sql, params in statements:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            total += _exec_ms(cur)
    return total


def _exec_ms(cur) -> float:
    plan = cur.fetchone()[0]  # psycopg gives the JSON decoded
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Execution Time"])


def statements_of(fn) -> list:
    """The SELECT statements `fn` sends, with their parameters."""
    from django.db import connection

    _captured.clear()
    with connection.execute_wrapper(_capture):
        fn()
    return list(_captured)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def cases(user, label: str):
    """(name, before, after) pairs of callables for this user."""
    from django.db.models import Q

    from secoop.core import keyset
    from secoop.core.access import profile_for
    from secoop.core.models import ChangeLogEntry
    from secoop.core.models import Document
    from secoop.core.search import search

    docs = Document.objects.visible_to(user).select_related("owner_org")
    changes = ChangeLogEntry.objects.visible_to(user).select_related("content_type")
    out = []

    def old_page(qs, order, page):
        def run():
            ordered = qs.order_by(*order)
            ordered.count()
            list(ordered[(page - 1) * 50 : page * 50])

        return run

    def new_page(qs, order, page):
        # The cursor a reader following Next links would hold on that page.
        ordered = qs.order_by(*order)
        cursor = None
        if page > 1:
            rows = list(ordered[(page - 1) * 50 - 1 : (page - 1) * 50])
            if rows:
                keys = keyset.keys_for(ordered)
                cursor = keyset.Cursor(
                    tuple(k.term for k in keys), keyset._values_of(rows[0], keys)
                ).encode()

        def run():
            keyset.paginate(ordered, 50, cursor)
            keyset.bounded_count(ordered)

        return run

    for name, qs, order in (
        ("/documents/", docs, ("-dated", "-pk")),
        ("/changes/", changes, ("-at", "-pk")),
    ):
        out.append((f"{name} first page", old_page(qs, order, 1), new_page(qs, order, 1)))
        out.append((f"{name} page 200", old_page(qs, order, 200), new_page(qs, order, 200)))

    for word in ("patrol", "radio"):

        def old_search(word=word):
            found = docs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
            found.count()
            list(found.order_by("-dated", "-pk")[:50])

        def new_search(word=word):
            found = search(docs, word, ("title", "summary"), user).order_by("-dated", "-pk")
            keyset.paginate(found, 50)
            keyset.bounded_count(found)

        out.append((f"/documents/?q={word}", old_search, new_search))

    profile = profile_for(user)
    foreign = profile.person.citizenship if profile.person.citizenship != "USA" else None
    if foreign:
        base = Document.objects.system().filter(classification__lte=int(profile.ceiling))

        def old_rel():
            qs = base.filter(dissemination="REL", rel_to__contains=f",{foreign},")
            qs.count()
            list(qs.order_by("-dated", "-pk")[:50])

        def new_rel():
            qs = base.filter(dissemination="REL", rel_to__releasable_to=foreign)
            qs.order_by().count()
            list(qs.order_by("-dated", "-pk")[:50])

        out.append((f"releasable to {foreign} (count + page)", old_rel, new_rel))
    return out


def seq_scan(fn) -> bool:
    """Whether the statements `fn` runs read a table whole (EXPLAIN of each)."""
    from django.db import connection

    with connection.cursor() as cur:
        for sql, params in statements_of(fn):
            cur.execute("EXPLAIN " + sql, params)
            if any("Seq Scan" in row[0] for row in cur.fetchall()):
                return True
    return False


_captured: list = []


def _capture(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("SELECT"):
        _captured.append((sql, params))
    return execute(sql, params, many, context)


def requests(users: dict, n: int) -> None:
    from django.test import Client

    urls = [
        "/documents/",
        "/documents/?page=500",
        "/changes/",
        "/documents/?q=patrol",
        "/api/v1/changes/?search=patrol",
        "/api/v1/documents/",
    ]
    print(f"\nWhole requests with the new code (median of {n}, ms; queries):")
    for label, user in users.items():
        client = Client()
        client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
        for url in urls:
            status = client.get(url).status_code
            queries = len(statements_of(lambda url=url, client=client: client.get(url)))
            sql = sql_ms(lambda url=url, client=client: client.get(url))
            times = timed(lambda url=url, client=client: client.get(url), n)
            print(
                f"  {label:<10} {url:<34} {statistics.median(times):8.1f}  HTTP {status}, "
                f"{queries} queries, {sql:.1f} ms executing them"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=15, help="timed runs of each")
    parser.add_argument("--scale", default="enterprise")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("Point DATABASE_URL at a PostgreSQL database: this measures its indexes.")
    list_endpoints.ensure_postgres_database(url)
    import django

    django.setup()
    list_endpoints.build(args.scale, 1)
    from django.db import connection

    from secoop.core import generate

    with connection.cursor() as cur:
        # What autovacuum keeps in steady state: statistics, and the GIN indexes' pending lists
        # merged (a bulk load leaves them long, and every search reads them whole until then).
        cur.execute("VACUUM ANALYZE")
    users = pick_users(generate)
    print(f"{list_endpoints.describe_db()}; SQL median / p95 ms over {args.n} interleaved runs")
    print(
        f"{'user':<10} {'what':<38} {'before':>16} {'after':>16} {'ratio':>7}  seq scan before/after"
    )
    for label, user in users.items():
        for name, before, after in cases(user, label):
            b, a = [], []
            for _ in range(args.n):  # interleaved: the machine's load falls on both alike
                b.append(sql_ms(before))
                a.append(sql_ms(after))
            print(
                f"{label:<10} {name:<38} {statistics.median(b):7.1f} / {p95(b):6.1f} "
                f"{statistics.median(a):7.1f} / {p95(a):6.1f} {statistics.median(b) / max(statistics.median(a), 0.01):6.1f}×"
                f"  {seq_scan(before)!s:>5} / {seq_scan(after)!s}"
            )
    requests(users, max(3, args.n // 3))


def pick_users(generate) -> dict:
    from secoop.core.models import User
    from secoop.core.rules import Audience
    from secoop.core.rules import Clearance

    generated = User.objects.filter(username__startswith="gen.").order_by("pk")
    picks = {
        "USG SECRET": generated.filter(
            audience=Audience.USG, citizenship_id="USA", clearance=Clearance.SECRET
        ),
        "partner": generated.filter(audience=Audience.PARTNER),
        "LE staff": generated.filter(is_le_staff=True),
    }
    return {label: qs.first() for label, qs in picks.items() if qs.exists()}


if __name__ == "__main__":
    main()
