"""Synchronization matrix at scale (R-PLN-09): a country plan of 500 activities and 1,000
dependencies, built and drawn, next to the bare SQL that reads the same rows.

    python bench/matrix.py [--activities 500] [--dependencies 1000] [--runs 7]

Works on a throw-away SQLite database in a temporary directory (migrations, the demo data for the
organizations and users, then the generated plan in bulk), deleted at the end. Prints one table of
median times: the bare queries; the same data read through the access door (matrix.load); the pure
layout; the SVG; the whole page through Django's test client (middleware, session, door, layout,
SVG, template); and the XLSX export.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="secoop-bench-matrix-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("MAX_CLASSIFICATION", "SECRET")
sys.path.insert(0, str(ROOT / "src"))


def build(n: int, deps: int):
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command

    from secoop.core import demo
    from secoop.core.markings import Marking
    from secoop.planning.models import Activity
    from secoop.planning.models import ActivityDependency
    from secoop.planning.models import ActivityFunding
    from secoop.planning.models import CountryPlan
    from secoop.planning.models import LineOfActivity
    from secoop.planning.models import Phase

    call_command("migrate", verbosity=0, interactive=False)
    demo.load()
    base = CountryPlan.objects.system().get(country_id="XBN", version=1)
    cui = Marking.parse("CUI")
    cp = CountryPlan(
        campaign_plan_id=base.campaign_plan_id,
        country_id="XBN",
        owner_org_id=base.owner_org_id,
        title="Generated CSCS (bench)",
        version=9,
        start_fy=2027,
        end_fy=2031,
    )
    cp.marking = cui
    cp.save()
    phases = []
    for i in range(5):
        p = Phase(
            country_plan=cp,
            number=i + 1,
            name=f"Phase {i + 1}",
            start_date=dt.date(2026 + i, 10, 1),
            end_date=dt.date(2027 + i, 9, 30),
        )
        p.marking = cui
        phases.append(p)
    Phase.objects.bulk_create(phases)
    loas = list(LineOfActivity.objects.system().values_list("pk", flat=True))
    acts = []
    for i in range(n):
        s = dt.date(2026, 10, 1) + dt.timedelta(days=(i * 37) % 1750)
        a = Activity(
            title=f"Generated activity {i}",
            activity_type="training_course",
            country_id="XBN",
            country_plan=cp,
            owner_org_id=base.owner_org_id,
            line_of_activity_id=loas[i % len(loas)],
            start_date=s,
            end_date=s + dt.timedelta(days=3 + i % 40),
            program="Section 333",
        )
        a.marking = cui
        acts.append(a)
    acts = Activity.objects.bulk_create(acts)
    funding = []
    for a in acts:
        f = ActivityFunding(activity=a, fiscal_year=2027, source="bpc", amount=Decimal("125000.00"))
        f.marking = cui
        funding.append(f)
    ActivityFunding.objects.bulk_create(funding)
    order = sorted(acts, key=lambda a: (a.start_date, a.pk))
    links, seen, i = [], set(), 0
    while (
        len(links) < deps
    ):  # mostly kept: a successor starts about six weeks after its predecessor
        p, s = i % n, i % n + 12 + i // n
        i += 1
        if s >= n or (p, s) in seen:
            continue
        seen.add((p, s))
        d = ActivityDependency(predecessor=order[p], successor=order[s], lag_days=0)
        d.marking = cui
        links.append(d)
    ActivityDependency.objects.bulk_create(links)
    return cp


def timed(fn, runs: int) -> tuple[float, object]:
    out = None
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--dependencies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from secoop.core.models import User
    from secoop.planning import exports
    from secoop.planning import matrix
    from secoop.planning.matrix import svg as matrix_svg

    t0 = time.perf_counter()
    cp = build(args.activities, args.dependencies)
    built = time.perf_counter() - t0
    user = User.objects.get(username="ccmd.planner")

    def bare():
        with connection.cursor() as c:
            c.execute(
                "SELECT id, title, start_date, end_date, status, program, line_of_activity_id, classification, dissemination, rel_to FROM planning_activity WHERE country_plan_id = %s",
                [cp.pk],
            )
            rows = c.fetchall()
            c.execute(
                "SELECT d.predecessor_id, d.successor_id, d.lag_days FROM planning_activitydependency d "
                "JOIN planning_activity s ON s.id = d.successor_id WHERE s.country_plan_id = %s",
                [cp.pk],
            )
            rows += c.fetchall()
            c.execute(
                "SELECT f.activity_id, f.fiscal_year, f.source, f.amount FROM planning_activityfunding f "
                "JOIN planning_activity a ON a.id = f.activity_id WHERE a.country_plan_id = %s",
                [cp.pk],
            )
            rows += c.fetchall()
            c.execute(
                "SELECT id, number, name, start_date, end_date FROM planning_phase WHERE country_plan_id = %s",
                [cp.pk],
            )
            return rows + c.fetchall()

    def load():
        return matrix.load(User.objects.get(pk=user.pk), cp.pk)

    t_bare, _ = timed(bare, args.runs)
    t_load, data = timed(load, args.runs)
    facts = matrix.matrix_input(data)
    t_facts, _ = timed(lambda: matrix.matrix_input(data), args.runs)
    t_layout, lay = timed(lambda: matrix.layout(facts), args.runs)
    t_svg, svg = timed(lambda: matrix_svg.render(lay), args.runs)
    client = Client()
    client.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
    url = f"/planning/country-plans/{cp.pk}/matrix/"
    client.get(url)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (
            queries.append(sql),
            execute(sql, params, many, context),
        )[1]
    ):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx(
            "client.get(url)", globals(), {"client": client, "url": url}, "/tmp/matrix.prof"
        )
        pstats.Stats("/tmp/matrix.prof").sort_stats("cumulative").print_stats(35)
    t_page, _ = timed(lambda: client.get(url), args.runs)
    t_xlsx, _ = timed(lambda: exports.xlsx(data), max(args.runs // 2, 1))

    print(
        f"\nSynchronization matrix: {len(data.activities)} activities, {len(data.dependencies)} dependencies, "
        f"{len(data.funding)} funding lines (SQLite, built in {built:.1f}s; median of {args.runs} runs)\n"
    )
    rows = [
        ("bare SQL: the same rows, no door, no objects", t_bare),
        ("matrix.load: through the door, model objects", t_load),
        ("matrix_input: plain facts", t_facts),
        ("layout: lanes, arrows, critical path, flags", t_layout),
        ("SVG", t_svg),
        (f"whole page via test client ({len(queries)} queries)", t_page),
        ("XLSX export", t_xlsx),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'step'.ljust(width)}  {'ms':>9}  {'x bare':>7}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 7}")
    for name, ms in rows:
        print(f"{name.ljust(width)}  {ms:9.1f}  {ms / t_bare:7.1f}")
    print(
        f"\nSVG {len(svg) / 1024:.0f} KiB, {lay.width:.0f}×{lay.height:.0f} px, {len(lay.bars)} bars, {len(lay.arrows)} arrows, "
        f"{len(lay.critical_bars)} on the critical path, {len(lay.analysis.violations)} broken dependencies."
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
