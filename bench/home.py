"""The home page ("what needs me today") by part, for each demo role (issue 15).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/home.py
    DATABASE_URL=… python bench/home.py --user sco.bandaria -n 5 --slow 10

Signs in each demo user (or `--user`), requests `/` N times (after one warm-up) and prints the
page's median wall time and queries, then where the time goes: each "today" provider (its median
ms and queries), the rest of the view (recent changes, counts, areas) and the template, and the
slowest SQL statements of one request with their time. DEBUG is off; the database must hold the
demo (and the generated data, for enterprise figures); nothing is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The bench's environment (settings module, test host, plain HTTP, quiet log, SECRET ceiling).
from ratios import percentile  # noqa: E402
from stack import signed_in_client  # noqa: E402

DEMO_USERS = (
    "sco.bandaria",
    "ccmd.planner",
    "case.manager",
    "navy.case.manager",
    "usasac.approver",
    "dsca.analyst",
    "state.pm",
    "le.staff",
    "partner.bandaria",
    "industry.rep",
    "joint.staff",
    "osd.policy",
    "security.officer",
    "admin",
)


def timed_providers(spent: dict[str, list[tuple[float, int]]]):
    """Wrap every registered provider so that each call adds (ms, queries) under its name."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core import today

    original = list(today._providers)

    def wrap(name, fn):
        def timed(user):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                found = fn(user)
                ms = (time.perf_counter() - t) * 1000
            spent[name].append((ms, len(ctx.captured_queries)))
            return found

        return timed

    today._providers[:] = [
        (section, wrap(f"{fn.__module__.replace('secoop.', '')}.{fn.__name__}", fn))
        for section, fn in original
    ]
    return original


def timed_render(spent: dict[str, list[tuple[float, int]]]):
    """Time the home page's template (the view's `render`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core import views

    original = views.render

    def render(request, template, context=None, *args, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = original(request, template, context, *args, **kwargs)
            ms = (time.perf_counter() - t) * 1000
        if template == "core/home.html":
            spent["(template)"].append((ms, len(ctx.captured_queries)))
        return response

    views.render = render
    return original


def bench_user(username: str, n: int, slow: int, top: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.core import today
    from secoop.core import views

    client, _ = signed_in_client(username)
    client.get("/")
    spent: dict[str, list[tuple[float, int]]] = defaultdict(list)
    providers = timed_providers(spent)
    render = timed_render(spent)
    walls = []
    try:
        for i in range(n):
            ctx = CaptureQueriesContext(connection)
            with ctx:
                t = time.perf_counter()
                status = client.get("/").status_code
                walls.append((time.perf_counter() - t) * 1000)
            if i == 0:
                queries = ctx.captured_queries
    finally:
        today._providers[:] = providers
        views.render = render
    parts = {name: statistics.median(ms for ms, _ in v) for name, v in spent.items()}
    in_parts = sum(parts.values())
    wall = statistics.median(walls)
    print(
        f"\n{username}: / {status}, {len(queries)} queries, median {wall:.0f} ms "
        f"(p95 {percentile(walls, 95):.0f}), providers + template {in_parts:.0f} ms, "
        f"the rest (middleware, view's own reads) {wall - in_parts:.0f} ms"
    )
    for name, ms in sorted(parts.items(), key=lambda p: -p[1])[:top]:
        if ms >= 1 or spent[name][0][1]:
            print(f"  {ms:8.1f} ms {spent[name][0][1]:3d} q  {name}")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:slow]:
        if float(q["time"]) * 1000 >= 1:
            print(f"  SQL {float(q['time']) * 1000:8.1f} ms  {q['sql'][:220]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="timed requests per user (default 5)")
    parser.add_argument("--user", action="append", help="a demo user (repeatable; default all)")
    parser.add_argument("--slow", type=int, default=8, help="slowest SQL statements printed")
    parser.add_argument("--top", type=int, default=12, help="slowest parts printed")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    print(
        f"{connection.vendor} ({settings.DATABASES['default']['NAME']}), DEBUG={settings.DEBUG}, "
        f"n={args.n}, load {os.getloadavg()[0]:.1f}"
    )
    for username in args.user or DEMO_USERS:
        bench_user(username, args.n, args.slow, args.top)


if __name__ == "__main__":
    main()
