"""FMS cases and training lists at scale: the demo data multiplied in bulk, then every main list
page and endpoint timed for a cleared U.S. officer and for the partner, with its query count.

    python bench/cases_training.py [--cases 2000] [--students 3000] [--runs 5]

Works on a throw-away SQLite database in a temporary directory (migrations and the demo data, then
copies of the demo's cases with their lines and deliveries, and of its students with their
readiness, vettings and screening, made with bulk_create), deleted at the end. The copies keep the
demo records' markings, so the door has the same mix to filter. Prints one table: median time per
request and the number of SQL queries the request ran (which must not grow with the rows).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="secoop-bench-apps-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("MAX_CLASSIFICATION", "SECRET")
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from timing import measure  # noqa: E402

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

PAGES = [
    "/cases/",
    "/cases/list/",
    "/cases/deliveries/",
    "/cases/sdrs/",
    "/cases/metrics/",
    "/api/v1/cases/cases/",
    "/api/v1/cases/case-lines/",
    "/api/v1/cases/deliveries/",
    "/training/",
    "/training/students/",
    "/api/v1/training/students/",
    "/api/v1/training/vettings/",
]


def designator(i: int) -> str:
    # Demo designators start with "Z"; copies use the rest of the three-character space.
    a, b, c = (i // 1296) % 35, (i // 36) % 36, i % 36
    return ALPHABET[a] + ALPHABET[b] + ALPHABET[c]


def copy(instance, **changes):
    clone = type(instance).objects.system().get(pk=instance.pk)
    clone.pk = None
    clone.id = None
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


def build(n_cases: int, n_students: int) -> dict[str, int]:
    from django.core.management import call_command

    from secoop.cases.models import CaseLine
    from secoop.cases.models import Delivery
    from secoop.cases.models import FmsCase
    from secoop.core import demo
    from secoop.training.models import Readiness
    from secoop.training.models import ScreeningCheck
    from secoop.training.models import Student
    from secoop.training.models import Vetting

    call_command("migrate", verbosity=0, interactive=False)
    demo.load()
    cases = list(FmsCase.objects.system().order_by("pk"))
    lines = {c.pk: list(CaseLine.objects.system().filter(case=c)) for c in cases}
    deliveries = {c.pk: list(Delivery.objects.system().filter(case=c)) for c in cases}
    new_cases = []
    for i in range(n_cases):
        base = cases[i % len(cases)]
        ia = base.identifier.split("-")[1]
        new_cases.append(
            copy(
                base,
                identifier=f"XB-{ia}-{designator(i)}",
                title=f"{base.title} (copy {i})",
                lor_id=None,
            )
        )
    new_cases = FmsCase.objects.bulk_create(new_cases, batch_size=500)
    new_lines, new_deliveries = [], []
    for i, c in enumerate(new_cases):
        base = cases[i % len(cases)]
        line_map = {}
        for line in lines[base.pk]:
            clone = copy(line, case_id=c.pk)
            new_lines.append(clone)
            line_map[line.pk] = clone
        new_deliveries.append((base, c, line_map))
    CaseLine.objects.bulk_create(new_lines, batch_size=1000)
    made_deliveries = []
    for base, c, line_map in new_deliveries:
        for d in deliveries[base.pk]:
            made_deliveries.append(copy(d, case_id=c.pk, line_id=line_map[d.line_id].pk))
    Delivery.objects.bulk_create(made_deliveries, batch_size=1000)

    students = list(Student.objects.system().order_by("pk"))
    readiness = {r.student_id: r for r in Readiness.objects.system().all()}
    vettings = {}
    for v in Vetting.objects.system().all():
        vettings.setdefault(v.student_id, []).append(v)
    checks = {}
    for s in ScreeningCheck.objects.system().all():
        checks.setdefault(s.student_id, []).append(s)
    new_students = [
        copy(
            students[i % len(students)],
            family_name=f"{students[i % len(students)].family_name}-{i}",
        )
        for i in range(n_students)
    ]
    new_students = Student.objects.bulk_create(new_students, batch_size=500)
    children = {Readiness: [], Vetting: [], ScreeningCheck: []}
    for i, s in enumerate(new_students):
        base = students[i % len(students)]
        if base.pk in readiness:
            children[Readiness].append(copy(readiness[base.pk], student_id=s.pk))
        children[Vetting] += [copy(v, student_id=s.pk) for v in vettings.get(base.pk, [])]
        children[ScreeningCheck] += [copy(c, student_id=s.pk) for c in checks.get(base.pk, [])]
    for model, rows in children.items():
        model.objects.bulk_create(rows, batch_size=1000)
    return {
        "cases": FmsCase.objects.system().count(),
        "case lines": CaseLine.objects.system().count(),
        "deliveries": Delivery.objects.system().count(),
        "students": Student.objects.system().count(),
        "vettings": Vetting.objects.system().count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the partner's 404s are expected

    from secoop.core.models import User

    try:
        t0 = time.perf_counter()
        sizes = build(args.cases, args.students)
        print(
            f"\nBuilt in {time.perf_counter() - t0:.1f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
        )
        users = ["sco.bandaria", "partner.bandaria"]
        clients = {}
        for username in users:
            client = Client()
            client.force_login(
                User.objects.get(username=username), backend="secoop.core.auth.LockoutAwareBackend"
            )
            clients[username] = client
        print(f"\n{'request':34} " + " ".join(f"{u:>26}" for u in users))
        print(f"{'':34} " + " ".join(f"{'median ms · queries':>26}" for _ in users))
        for url in PAGES:
            cells = []
            for username in users:
                ms, queries, status = measure(clients[username], url, args.runs)
                cells.append(
                    f"{ms:9.1f} ms · {queries:3d} q" + ("" if status == 200 else f" ({status})")
                )
            print(f"{url:34} " + " ".join(f"{c:>26}" for c in cells))
        print(
            "\nA status in brackets is what that user gets (404: not for them, e.g. the partner and the FMS metrics)."
        )
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
