"""Load test on PostgreSQL (issue 15 item 8): the demo roles at 10, 50 and 200 concurrent users.

    python bench/load.py                                  # what `make load` runs
    python bench/load.py --users 10 50 --run-time 30s --json var/load.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/secoop_load python bench/load.py

It builds the database once (migrations, the demo data and `secoop generate --scale small` on top,
so the lists have pages; `--scale enterprise` for the big one), starts the product under gunicorn
on the loopback interface only (127.0.0.1, DEBUG off, plain HTTP), and runs locust headless
(bench/locustfile.py) once per level, each bounded by `--run-time`, new users arriving at a fifth
of the level per second. Then it stops the server and prints, per level: requests, throughput
(requests per second), median and p95 response time, and failures (any answer but a 200, or a
time-out) — which must be 0.

locust runs from its own environment (LOCUST, default var/load-venv/bin/locust, made by `make load`
from bench/requirements-load.lock) so that its dependencies stay out of the product's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/secoop_load"
LOOPBACK = "127.0.0.1"
# The demo accounts bench/locustfile.py signs on as, and their password (README.md).
DEMO_ACCOUNTS = [
    "sco.bandaria",
    "case.manager",
    "navy.case.manager",
    "ccmd.planner",
    "dsca.analyst",
    "state.pm",
    "partner.bandaria",
    "le.staff",
]
DEMO_PASSWORD = "Secoop-demo-2026!"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PLAIN_HTTP": "1",
        "HOST": LOOPBACK,
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
        "MAX_CLASSIFICATION": "SECRET",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        "SECRET_KEY_FILE": str(ROOT / "var" / "secret_key"),
    }


def build(env: dict[str, str], scale: str) -> None:
    """Migrations, the demo data and generated data of `scale`, once (later runs reuse them)."""
    secoop = [sys.executable, "-m", "secoop"]
    subprocess.run([*secoop, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([*secoop, "demo", "--force"], env=env, check=True)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from secoop.core import generate; "
            "print(len(generate.existing_runs()))",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "secoop.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    if probe.stdout.strip() == "0":
        subprocess.run(
            [*secoop, "generate", "--scale", scale, "--ignore-ceiling"], env=env, check=True
        )


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        raise SystemExit("The load test runs on PostgreSQL: set DATABASE_URL=postgres://…")
    with psycopg.connect(
        host=cfg["HOST"] or LOOPBACK,
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


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "secoop.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "300",  # a queued request on a saturated two-core machine is slow, not failed
            "--backlog",
            "2048",
        ],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{LOOPBACK}:{port}/login/", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("The server did not answer on the loopback interface within 60 s.")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def sign_on(port: int, usernames: list[str], password: str, path: Path) -> None:
    """One session per demo account, made once through the consent banner and the logon form and
    handed to locust (LOAD_SESSIONS): the levels measure people at work, not a storm of sign-ons
    (each one an Argon2 hash that takes seconds on a loaded two-core machine)."""
    import http.cookiejar
    import urllib.parse

    sessions = {}
    base = f"http://{LOOPBACK}:{port}"
    for username in usernames:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base}/login/", timeout=120)

        def post(data, jar=jar, opener=opener):
            token = next(c.value for c in jar if c.name == "csrftoken")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
            return opener.open(f"{base}/login/", body, timeout=120)

        post({"consent": "agree"})
        post({"username": username, "password": password})
        cookies = {c.name: c.value for c in jar}
        if "sessionid" not in cookies:
            raise SystemExit(f"{username} could not sign on (is the demo data loaded?)")
        sessions[username] = cookies
    path.write_text(json.dumps(sessions))


def run_level(locust: str, port: int, users: int, run_time: str, out: Path) -> dict:
    prefix = out / f"load-{users}"
    subprocess.run(
        [
            locust,
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            run_time,
            "--stop-timeout",
            "30",
            "--host",
            f"http://{LOOPBACK}:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,  # locust exits 1 when a request failed: the figures say so
    )
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = [
            f"{r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}"
            for r in csv.DictReader(f)
        ]
    return {
        "users": users,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
        "max_ms": float(total["Max Response Time"]),
        "failure_kinds": failures,
        "by_request": [
            {
                "name": r["Name"],
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "median_ms": float(r["Median Response Time"]),
                "p95_ms": float(r["95%"]),
            }
            for r in rows
            if r["Name"] != "Aggregated"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--run-time", default="60s", help="per level (locust --run-time)")
    parser.add_argument("--scale", default="small", help="generated data under the demo's")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--locust", default=os.environ.get("LOCUST", str(ROOT / "var" / "load-venv/bin/locust"))
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    env = server_env(url)
    build(env, args.scale)
    out = ROOT / "var"
    out.mkdir(exist_ok=True)
    port = free_port()
    server = start_server(env, port, args.workers)
    results = []
    sessions = out / "load-sessions.json"
    os.environ["LOAD_SESSIONS"] = str(sessions)
    try:
        sign_on(port, DEMO_ACCOUNTS, os.environ.get("LOAD_PASSWORD", DEMO_PASSWORD), sessions)
        for users in args.users:
            print(f"\n=== {users} users for {args.run_time} ===", flush=True)
            results.append(run_level(args.locust, port, users, args.run_time, out))
    finally:
        stop_server(server)
        sessions.unlink(missing_ok=True)
    print(
        f"\n{'users':>6} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'failures':>9}"
    )
    for r in results:
        print(
            f"{r['users']:6d} {r['requests']:9d} {r['rps']:7.1f} {r['median_ms']:10.0f} "
            f"{r['p95_ms']:8.0f} {r['failures']:9d}"
        )
        for kind in r["failure_kinds"]:
            print(f"       {kind}")
    print(
        f"\nPostgreSQL ({url.rsplit('/', 1)[-1]}), gunicorn {args.workers} workers, "
        f"{platform.machine()} {os.cpu_count()} CPUs, think time 1–5 s per user."
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if any(r["failures"] for r in results):
        raise SystemExit("Requests failed under load (above).")


if __name__ == "__main__":
    main()
