"""Issue 11 §5 and issue 10 item 9: how the product starts. `make run` runs with DEBUG off on a
generated secret key; DEBUG=0 with the published development key is refused at start; e-mail links
follow HOST/PORT; the API documentation is served from the app, with `lang`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

import secoop
from secoop import keyfile
from secoop.core.checks import check_secret_key

SRC = Path(secoop.__file__).resolve().parent.parent
CHECKOUT = SRC.parent
# How the product starts: settings read by fresh processes, files, pages. The processes use their
# own SQLite files; the pass's database is not the question.
pytestmark = pytest.mark.one_database


def _settings_in_a_fresh_process(tmp_path: Path, names: list[str], **env: str) -> dict:
    """Read settings as a process started with `env` (and nothing of this test run) sees them."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "HOME": str(tmp_path),
    }
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'secoop.settings'; "
        "from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_item9_debug_off_with_the_development_secret_key_is_refused_with_what_to_set(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    [error] = check_secret_key(None)
    assert error.id == "secoop.E002" and error.level == checks.ERROR
    assert "Set SECRET_KEY" in error.hint and "DEBUG=1" in error.hint
    settings.SECRET_KEY = "k3y-" + "x7Qp9LmZ2vR8sT4wY6uB1nC5dF0gH3jK" * 2
    assert check_secret_key(None) == []


def test_item9_secoop_refuses_to_start_and_so_does_the_wsgi_application(tmp_path, settings):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "DEBUG": "0",
        "SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'refuse.sqlite3'}",
    }
    check = subprocess.run(
        [sys.executable, "-m", "secoop", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode != 0
    assert "secoop.E002" in check.stderr and "Set SECRET_KEY" in check.stderr
    wsgi = subprocess.run(
        [sys.executable, "-c", "import secoop.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wsgi.returncode != 0 and "published development key" in wsgi.stderr


def test_make_run_makes_a_secret_key_file_once_readable_by_its_owner_only(tmp_path):
    path = keyfile.ensure(tmp_path / "var" / "secret_key")
    key = path.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyfile.ensure(path).read_text().strip() == key  # kept across restarts
    seen = _settings_in_a_fresh_process(
        tmp_path, ["SECRET_KEY", "DEBUG"], DEBUG="0", SECRET_KEY_FILE=str(path)
    )
    assert seen == {"SECRET_KEY": key, "DEBUG": False}


def test_make_run_runs_with_debug_off_over_plain_http_and_loads_the_demo():
    dry = subprocess.run(
        [
            "make",
            "-n",
            "-o",
            ".venv/bin/.installed",
            "-o",
            "node_modules/.installed",
            "-o",
            "pango",
            "run",
            "PORT=8765",
        ],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dry.returncode == 0, dry.stderr
    assert "python -m secoop.keyfile var/secret_key" in dry.stdout
    assert (
        "DEBUG=${DEBUG:-0} PLAIN_HTTP=${PLAIN_HTTP:-1} HOST=127.0.0.1 PORT=8765 secoop demo --force"
        in dry.stdout
    )
    assert "secoop serve --host 127.0.0.1 --port 8765" in dry.stdout


def test_plain_http_keeps_sign_in_working_on_127_0_0_1_and_a_deployment_stays_https_only(tmp_path):
    names = [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    ]
    key = "k3y-" + "x7Qp9LmZ2vR8sT4wY6uB1nC5dF0gH3jK" * 2
    local = _settings_in_a_fresh_process(tmp_path, names, DEBUG="0", SECRET_KEY=key, PLAIN_HTTP="1")
    assert local == dict.fromkeys(names[:3], False) | {"SECURE_HSTS_SECONDS": 0}
    deployed = _settings_in_a_fresh_process(tmp_path, names, DEBUG="0", SECRET_KEY=key)
    assert deployed == dict.fromkeys(names[:3], True) | {"SECURE_HSTS_SECONDS": 31536000}


def test_email_links_follow_the_port_the_server_moved_to(tmp_path):
    assert _settings_in_a_fresh_process(tmp_path, ["SITE_URL"], PORT="8765") == {
        "SITE_URL": "http://127.0.0.1:8765"
    }
    assert _settings_in_a_fresh_process(tmp_path, ["SITE_URL"], HOST="0.0.0.0", PORT="9000") == {
        "SITE_URL": "http://127.0.0.1:9000"
    }
    assert _settings_in_a_fresh_process(
        tmp_path, ["SITE_URL"], PORT="8765", SITE_URL="https://secoop.example.mil"
    ) == {"SITE_URL": "https://secoop.example.mil"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/redoc/", "/api/docs/"])
def test_api_documentation_loads_nothing_from_other_hosts_and_states_its_language(login, url):
    html = login("sco.bandaria").get(url).content.decode()
    assert '<html lang="en">' in html
    assert "googleapis" not in html and "gstatic" not in html and "cdn." not in html
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_redoc_page_forbids_the_bundles_own_fetch_of_its_vendor_logo(login):
    html = login("sco.bandaria").get("/api/redoc/").content.decode()
    assert "Content-Security-Policy" in html and "img-src 'self' data:" in html
