"""Serve the product: the web server (gunicorn), the background-task worker and the scheduler,
stopped together. `make run` uses it."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, the task worker and the daily scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args, port, host, workers, **options):
        python = sys.executable
        secoop = [python, "-m", "secoop"]
        # The children derive SITE_URL (links in notification e-mails) from where we listen.
        env = {**os.environ, "HOST": host, "PORT": str(port)}
        procs = [
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "secoop.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-",
                    "--timeout",
                    "120",
                ],
                env=env,
            ),
            subprocess.Popen([*secoop, "db_worker"], env=env),
            subprocess.Popen([*secoop, "scheduler"], env=env),
        ]
        self.stdout.write(
            f"secoop serving on http://{host}:{port}/ with a task worker and the scheduler"
        )

        def stop(*_):
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            stop()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [
            p.args[2] if len(p.args) > 2 else p.args
            for p in procs
            if p.returncode not in (0, -15, None)
        ]
        if failed:
            raise SystemExit(1)
