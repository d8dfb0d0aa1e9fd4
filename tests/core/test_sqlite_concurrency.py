"""Issue 11 §5: the embedded default under real use. SQLite answered 500 "database is locked" to 9
of 40 PATCHes with three readers, and during the notification worker's writes.

Four writer processes (the product's write path: update_record + change log + notify), four reader
processes and the django-tasks db_worker share one *file* database for 20 seconds, as the web server's
workers and the task worker do under `make run`: not one operation may fail."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

import secoop

SRC = Path(secoop.__file__).resolve().parent.parent
LOAD = Path(__file__).with_name("sqlite_load.py")
SECONDS = 20

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="proves the SQLite default on its own file database; run once, in the SQLite pass",
)


def _env(db: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        PYTHONPATH=str(SRC),
        DJANGO_SETTINGS_MODULE="secoop.settings",
        DATABASE_URL=f"sqlite:///{db}",
        DEBUG="1",
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ENFORCE_ACCESS_DOOR="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def test_sqlite_four_writers_four_readers_and_the_task_worker_run_20s_without_an_error(
    demo_database_copy, tmp_path
):
    # The pass's template (migrate + demo load, built once) copied to a file: the same database
    # `secoop migrate` + `secoop demo` make, without building it a second time.
    db = demo_database_copy
    env = _env(db, tmp_path)

    worker_log = tmp_path / "worker.log"
    with worker_log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "secoop",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            runners = [
                subprocess.Popen(
                    [sys.executable, str(LOAD), role, str(i), str(SECONDS)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for role in ("writer", "reader")
                for i in range(4)
            ]
            results = []
            for proc in runners:
                stdout, stderr = proc.communicate(timeout=SECONDS + 120)
                assert proc.returncode == 0, stderr
                results.append(json.loads(stdout.strip().splitlines()[-1]))
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    errors = [f"{r['role']} {r['index']}: {e}" for r in results for e in r["errors"]]
    assert errors == [], f"{len(errors)} failed operations, the first: {errors[0]}"
    assert all(r["ops"] > 0 for r in results), results
    log = worker_log.read_text()
    assert "locked" not in log and "Traceback" not in log, log[-4000:]

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        written = sum(r["ops"] for r in results if r["role"] == "writer")
        changes = con.execute(
            "SELECT count(*) FROM core_changelogentry WHERE reason = 'concurrency test'"
        ).fetchone()[0]
        delivered = con.execute(
            "SELECT count(*) FROM core_notification WHERE delivered_at IS NOT NULL"
        ).fetchone()[0]
    # Every write left its change-log entry, and the worker wrote while the writers did.
    assert changes == written
    assert delivered > 0
