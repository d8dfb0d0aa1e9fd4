"""The fixed cost of a signed-in request (issue 15, the "stack floor" of decision 0054).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/stack.py
    DATABASE_URL=sqlite:////abs/path/db.sqlite3 python bench/stack.py -n 200
    python bench/stack.py --profile /account/password/ --top 40     # cProfile, by cumulative time

Signs in a demo user (`sco.bandaria`, a SECRET U.S. SCO whose home page lists what needs them;
`--user` another) with Django's test client and times N requests to each of the cheapest signed-in requests: the API's own-user
record (`/api/v1/users/me/`), the password form (`/account/password/`: base template, navigation,
banner) and the home page (`/`: "what needs me today"), interleaved round after round so that a
loaded machine slows all three alike. Prints per URL the median and p95 of the wall time and of
the process CPU time, and the SQL queries one request runs. DEBUG is off (as in production): the
database must hold the demo data (`secoop migrate`, `secoop demo --force`); nothing is built here.

`--profile URL` runs that URL N times under cProfile and prints the functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DEBUG", "0")
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The bench's environment (settings module, test host, plain HTTP, quiet log, SECRET ceiling, src
# on the path) and its percentile: one place for all bench scripts that time requests.
from ratios import percentile  # noqa: E402

URLS = ("/api/v1/users/me/", "/account/password/", "/")


def signed_in_client(username: str):
    from django.test import Client

    from secoop.core.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
    return client, user


def queries_of(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return len(ctx.captured_queries), status


def time_urls(client, urls: tuple[str, ...], n: int) -> dict[str, dict]:
    """N rounds over `urls` (after two warm-up rounds): wall and CPU ms of each request."""
    for _ in range(2):
        for url in urls:
            client.get(url)
    wall: dict[str, list[float]] = {u: [] for u in urls}
    cpu: dict[str, list[float]] = {u: [] for u in urls}
    for _ in range(n):
        for url in urls:
            c, t = time.process_time(), time.perf_counter()
            client.get(url)
            wall[url].append((time.perf_counter() - t) * 1000)
            cpu[url].append((time.process_time() - c) * 1000)
    out = {}
    for url in urls:
        queries, status = queries_of(client, url)
        out[url] = {
            "status": status,
            "queries": queries,
            "wall_median_ms": statistics.median(wall[url]),
            "wall_p95_ms": percentile(wall[url], 95),
            "cpu_median_ms": statistics.median(cpu[url]),
            "cpu_p95_ms": percentile(cpu[url], 95),
        }
    return out


def profile(client, url: str, n: int, top: int) -> None:
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"{url}: {n} requests under cProfile, {stats.total_tt * 1000 / n:.2f} ms a request")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="timed requests per URL (default 500)")
    parser.add_argument(
        "--user", default="sco.bandaria", help="the demo user to sign in (default sco.bandaria)"
    )
    parser.add_argument("--url", action="append", help="time this URL (repeatable) instead")
    parser.add_argument("--profile", metavar="URL", help="profile this URL with cProfile")
    parser.add_argument("--top", type=int, default=60, help="functions the profile prints")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    client, user = signed_in_client(args.user)
    if args.profile:
        profile(client, args.profile, args.n, args.top)
        return
    urls = tuple(args.url or URLS)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    results = time_urls(client, urls, args.n)
    print(
        f"{connection.vendor} ({settings.DATABASES['default']['NAME']}), DEBUG={settings.DEBUG}, "
        f"{user.username}, n={args.n}, load {load:.1f} → {os.getloadavg()[0]:.1f}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"{'url':<22} {'st':>3} {'q':>2} {'wall med':>9} {'p95':>7} {'cpu med':>8} {'p95':>7}")
    for url, r in results.items():
        print(
            f"{url:<22} {r['status']:>3} {r['queries']:>2} {r['wall_median_ms']:>9.2f} "
            f"{r['wall_p95_ms']:>7.2f} {r['cpu_median_ms']:>8.2f} {r['cpu_p95_ms']:>7.2f}"
        )


if __name__ == "__main__":
    main()
