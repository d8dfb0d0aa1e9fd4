"""What the test database build costs (issue 11 §1, decision 0067): a fresh `migrate` on
SQLite and on PostgreSQL, then the demo load as tests/conftest.py runs it (fast hasher), each in
a fresh process; CPU seconds of that process (user + system) and wall seconds.

    PYTHONPATH=<tree>/src .venv/bin/python bench/dbbuild.py [--runs 3] [--pg postgres://...]

The PostgreSQL server's own CPU is not counted. On a shared machine read the CPU figures: the
wall ones measure the neighbours.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO = """
import django

django.setup()
from django.test.utils import override_settings
from secoop.core import demo
with override_settings(
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MAX_CLASSIFICATION="SECRET"
):
    demo.load()
"""


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU, wall) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall


def psql(url: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-q", f"{url}/postgres", "-c", sql],
        check=True,
        env={**os.environ, "PGOPTIONS": "--client-min-messages=warning"},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="dbbuild_bench", help="PostgreSQL database (dropped)")
    options = parser.parse_args()
    base = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "secoop.settings"}
    base["PGOPTIONS"] = "--client-min-messages=warning"
    py = sys.executable
    figures: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(options.runs):
            sqlite = Path(tmp) / "bench.sqlite3"
            sqlite.unlink(missing_ok=True)
            env = {**base, "DATABASE_URL": f"sqlite:///{sqlite}"}
            migrate = [py, "-m", "secoop", "migrate", "--no-input"]
            figures.setdefault("migrate, SQLite", []).append(timed(migrate, env))
            figures.setdefault("demo load, SQLite", []).append(timed([py, "-c", DEMO], env))
            psql(options.pg, f"DROP DATABASE IF EXISTS {options.db}")
            psql(options.pg, f"CREATE DATABASE {options.db}")
            env = {**base, "DATABASE_URL": f"{options.pg}/{options.db}"}
            try:
                figures.setdefault("migrate, PostgreSQL", []).append(timed(migrate, env))
                figures.setdefault("demo load, PostgreSQL", []).append(timed([py, "-c", DEMO], env))
            finally:
                psql(options.pg, f"DROP DATABASE IF EXISTS {options.db}")
    for what, runs in figures.items():
        cpus = sorted(cpu for cpu, _ in runs)
        walls = sorted(wall for _, wall in runs)
        print(
            f"{what:24} CPU median {cpus[len(cpus) // 2]:6.1f} s (min {cpus[0]:.1f})"
            f"   wall median {walls[len(walls) // 2]:6.1f} s   runs {len(runs)}"
        )


if __name__ == "__main__":
    main()
