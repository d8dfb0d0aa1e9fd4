"""Browser tests: a real `secoop runserver` on a fresh database, driven by Debian's chromium.

Not pytest-django's live_server: its flush at teardown fails on the append-only change-log tables
(their triggers refuse DELETE). Instead one server subprocess for the browser tests (package
scope: started for the first, ended after the last) serves a database of its own — a temporary SQLite file, or, when the run's DATABASE_URL is PostgreSQL, a fresh PostgreSQL
database that is dropped at the end. These tests never touch the outer pytest-django test database.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "Secoop-demo-2026!"  # secoop.core.demo.DEMO_PASSWORD
DEMO_USERS = [
    "admin",
    "sco.bandaria",
    "ccmd.planner",
    "case.manager",
    "dsca.analyst",
    "state.pm",
    "le.staff",
    "partner.bandaria",
    "industry.rep",
]
# Users the browser tests sign in as beside the one per role above (R-SEC-11's second approver).
OTHER_USERS = ["usasac.approver", "joint.staff", "osd.policy"]
SERVER_LOG: dict[str, Path] = {}
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Database:
    """A database for the server: SQLite in a temp dir, or a fresh PostgreSQL database."""

    def __init__(self, tmp: Path):
        outer = os.environ.get("DATABASE_URL", "")
        self.pg = outer.startswith(("postgres://", "postgresql://"))
        if self.pg:
            import dj_database_url

            cfg = dj_database_url.parse(outer)
            self.conn_args = dict(
                host=cfg.get("HOST") or "127.0.0.1",
                port=int(cfg.get("PORT") or 5432),
                user=cfg.get("USER") or "postgres",
                password=cfg.get("PASSWORD") or None,
            )
            self.name = f"secoop_e2e_{os.getpid()}"
            auth = self.conn_args["user"] + (
                f":{self.conn_args['password']}" if self.conn_args["password"] else ""
            )
            self.url = (
                f"postgres://{auth}@{self.conn_args['host']}:{self.conn_args['port']}/{self.name}"
            )
        else:
            self.url = f"sqlite:///{tmp / 'e2e.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            dbname="postgres", autocommit=True, connect_timeout=5, **self.conn_args
        ) as conn:
            conn.execute(sql)

    def create(self, template: str) -> None:
        """A copy of the pass's template (migrated, demo loaded: tests/conftest.py builds it once)."""
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
        else:
            import sqlite3

            target = self.url.removeprefix("sqlite:///")
            with (
                contextlib.closing(sqlite3.connect(template)) as source,
                contextlib.closing(sqlite3.connect(target)) as copy,
            ):
                source.backup(copy)

    def drop(self) -> None:
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"secoop runserver exited with {proc.returncode}:\n{log.read_text()[-4000:]}"
            )
        # Not answering yet is the normal case while the server starts.
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(
        f"secoop runserver did not answer {url} within {timeout}s:\n{log.read_text()[-4000:]}"
    )


# What the browser asked of the server, for the summary at the end of the run (tests/README.md:
# Browser tests): pages and htmx fragments, static files, and the statics answered 304.
SERVER_REQUESTS = {"pages": 0, "static": 0, "static 304": 0}
REQUEST_LINE = re.compile(r'"[A-Z]+ (\S+) HTTP/[\d.]+" (\d{3}) ')


def _count_requests(log: str) -> None:
    for path, status in REQUEST_LINE.findall(log):
        if path.startswith("/static/"):
            SERVER_REQUESTS["static"] += 1
            SERVER_REQUESTS["static 304"] += status == "304"
        else:
            SERVER_REQUESTS["pages"] += 1


def pytest_terminal_summary(terminalreporter):
    """The browser tests' work, without pytest-xdist (a worker's summary is not shown)."""
    if not any(SERVER_REQUESTS.values()):
        return
    from .test_browser import AXE_RUNS

    terminalreporter.write_line(
        "browser tests: server answered "
        + ", ".join(f"{n} {what}" for what, n in SERVER_REQUESTS.items())
        + f"; axe-core ran on {AXE_RUNS['run']} pages, {AXE_RUNS['same shape']} of the same"
        " shape as one already checked"
    )


# The template's demo users carry the suite's fast test hash; the server signs them in with the
# product's password hasher, so their demo password is set again with it.
REHASH = (
    "import django; django.setup(); "
    "from django.contrib.auth.hashers import make_password; "
    "from secoop.core.models import User; "
    f"User.objects.filter(username__in={DEMO_USERS + OTHER_USERS!r}).update(password=make_password({DEMO_PASSWORD!r}))"
)


@pytest.fixture(scope="package")
def server(demo_template) -> Iterator[str]:
    """Base URL of a secoop server with the demo data, holding records up to SECRET: its database
    is a copy of the pass's template (the same migrate + demo load, not built a second time)."""
    tmp = Path(tempfile.mkdtemp(prefix="secoop-e2e-"))
    db = _Database(tmp)
    db.create(demo_template)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=db.url,
        DEBUG="1",
        MAX_CLASSIFICATION="SECRET",  # demo.load skips records above the ceiling
        MEDIA_ROOT=str(tmp / "media"),
        DJANGO_SETTINGS_MODULE="tests.e2e.server_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    secoop = [sys.executable, "-m", "secoop"]
    proc = None
    log = tmp / "server.log"
    try:
        done = subprocess.run(
            [sys.executable, "-c", REHASH], env=env, cwd=tmp, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"setting the demo passwords failed:\n{done.stdout}\n{done.stderr}")
        port = _free_port()
        with log.open("w") as out:
            proc = subprocess.Popen(
                secoop + ["runserver", f"127.0.0.1:{port}", "--noreload"],
                # A page that reads a record without visible_to() fails loudly (500) here too.
                env={**env, "ENFORCE_ACCESS_DOOR": "1"},
                cwd=tmp,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/login/", proc, log)
        SERVER_LOG["path"] = log
        yield base
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        SERVER_LOG.pop("path", None)
        if log.exists():
            _count_requests(log.read_text())
        db.drop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_server_errors(server):
    """Fail the test whose requests made the server log a traceback (a 500, a door bypass)."""
    log = SERVER_LOG["path"]
    start = log.stat().st_size
    yield
    with log.open() as f:
        f.seek(start)
        written = f.read()
    if "Traceback" in written:
        pytest.fail("the server logged an error during this test:\n" + written[-6000:])


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is required for the browser tests: `make chromium`")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(base_url=server, viewport=VIEWPORT)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in(
    page, username: str, password: str = DEMO_PASSWORD, expect_home: bool = True, go: bool = True
) -> None:
    """Through the front door: the notice and consent banner, then the logon form. go=False when
    the page already shows the banner."""
    if go:
        page.goto("/login/")
    page.get_by_role("button", name="I have read and consent to these terms").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_home:
        page.wait_for_url(lambda url: urlsplit(url).path == "/")


class SignedInStates:
    """Browser sign-in state per demo user, made once per session and reused by new contexts."""

    def __init__(self, browser, server: str, directory: Path):
        self.browser, self.server, self.directory = browser, server, directory
        self.paths: dict[str, str] = {}

    def remember(self, username: str, context) -> None:
        path = self.directory / f"{username}.json"
        context.storage_state(path=str(path))
        self.paths[username] = str(path)

    def __call__(self, username: str) -> str:
        if username not in self.paths:
            ctx = self.browser.new_context(base_url=self.server)
            try:
                sign_in(ctx.new_page(), username)
                self.remember(username, ctx)
            finally:
                ctx.close()
        return self.paths[username]


@pytest.fixture(scope="package")
def signed_in_state(browser, server, tmp_path_factory) -> SignedInStates:
    """signed_in_state('sco.bandaria') -> a storage-state file; .remember(username, context) after a
    test has signed in through the form, so later tests need not do it again."""
    return SignedInStates(browser, server, tmp_path_factory.mktemp("signed-in"))


class SignedInPages:
    """One signed-in page per demo user, kept open for every test that asks for that user.

    A new browser context costs chromium about 0.2 CPU seconds and a new page about 0.3 (a renderer
    process, the stylesheets parsed again, each static file fetched again): measured on this 2-core
    machine, against 0.16 s for loading a page in a page already open. Each test still opens the
    page it reads (`goto`), and its viewport is set back to the default if a test changed it."""

    def __init__(self, browser, server: str, signed_in_state: SignedInStates):
        self.browser, self.server, self.signed_in_state = browser, server, signed_in_state
        self.pages: dict[str, object] = {}

    def context(self, username: str):
        ctx = self.browser.new_context(
            base_url=self.server, storage_state=self.signed_in_state(username), viewport=VIEWPORT
        )
        ctx.set_default_timeout(10_000)
        return ctx

    def __call__(self, username: str):
        page = self.pages.get(username)
        if page is None or page.is_closed():
            page = self.pages[username] = self.context(username).new_page()
        elif page.viewport_size != VIEWPORT:
            page.set_viewport_size(VIEWPORT)
        return page

    def close(self) -> None:
        for page in self.pages.values():
            with contextlib.suppress(Exception):  # already closed by a test
                page.context.close()


@pytest.fixture(scope="package")
def signed_in_pages(browser, server, signed_in_state) -> Iterator[SignedInPages]:
    pages = SignedInPages(browser, server, signed_in_state)
    yield pages
    pages.close()


@pytest.fixture
def page_as(signed_in_pages):
    """page_as('sco.bandaria') -> a page already signed in as that user: the user's page kept open
    across tests (SignedInPages); asked again for the same user in one test, a second page."""
    given: set[str] = set()
    more = []

    def make(username: str):
        if username not in given:
            given.add(username)
            return signed_in_pages(username)
        page = signed_in_pages(username).context.new_page()
        more.append(page)
        return page

    yield make
    for page in more:
        page.close()


# Screenshots are taken when a test fails (of every page it named, as the page is at the failure),
# or on every run with SECOOP_SCREENSHOTS=1 (to refresh pictures for documentation).
_NAMED_PAGES: list[tuple[object, str]] = []


def _take(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def screenshot(page, name: str) -> Path:
    """Name a page for the screenshot taken if the test fails; the path it would be written to."""
    if os.environ.get("SECOOP_SCREENSHOTS") == "1":
        return _take(page, name)
    _NAMED_PAGES.append((page, name))
    return SCREENSHOTS / f"{name}.png"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        named = list(_NAMED_PAGES)
        if "page" in item.funcargs and not any(p is item.funcargs["page"] for p, _ in named):
            named.append((item.funcargs["page"], item.name))
        for page, name in named:
            with contextlib.suppress(Exception):  # a closed page has nothing to show
                report.sections.append(("screenshot", str(_take(page, f"FAILED-{name}"))))
    if report.when == "teardown" or report.failed:
        _NAMED_PAGES.clear()
