"""Shared fixtures, and how the test database is built (tests/README.md tells the whole story).

The database is built once per pass: migrate + the demo data into a template (a PostgreSQL
database, or an SQLite file); every test process (pytest-xdist worker) then works on a clone of it
(`CREATE DATABASE … TEMPLATE …` on PostgreSQL; an SQLite backup into the worker's in-memory
database). Each test runs in a transaction that is rolled back.

Which tests run on which database is decided here by file path (see ONE_DATABASE_FILES), so a new
app's tests follow the rule without being told.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import pytest
from django.test import Client

from secoop.core import demo
from secoop.core.models import User
from tests import helpers

# --- Which tests run on which database -------------------------------------------------------
# Pure rule tests, the leak walkers, what a page shows (views, pages, forms, exports, the demo's
# content) and any test that uses no database prove nothing a second database would change: they
# run on SQLite only. The door,
# triggers, actions and API run on both. The browser tests (tests/e2e) run on PostgreSQL only.
# Markers override the file rule: `one_database` (SQLite only), `both_databases` (a test in a
# one-database file that proves something about the database itself: a query count, a lock, a
# constraint, a trigger), `postgres_only`. SECOOP_EVERY_DATABASE=1 runs every test on every database.
ONE_DATABASE_FILES = {
    "test_rules.py",
    "test_markings.py",
    "test_no_leaks.py",
    "test_views.py",
    "test_pages.py",
    "test_smoke_pages.py",
    "test_error_pages.py",
    "test_forms.py",
    "test_exports.py",
    "test_demo.py",
}
BROWSER_TESTS_DIR = "e2e"
POSTGRES_ONLY_DIRS = {BROWSER_TESTS_DIR}
LONG_MODULES = {"test_no_leaks.py", "test_schemathesis.py", "test_sqlite_concurrency.py"}


def _on_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def database_rule(item) -> str:
    """'both', 'sqlite' or 'postgres': the databases this test runs on."""
    for marker, rule in (
        ("both_databases", "both"),
        ("one_database", "sqlite"),
        ("postgres_only", "postgres"),
    ):
        if item.get_closest_marker(marker):
            return rule
    if _is_browser_test(item):
        return "postgres"
    if Path(str(item.path)).name in ONE_DATABASE_FILES or not _uses_a_database(item):
        return "sqlite"
    return "both"


# A test that asks none of these (directly or through its fixtures) and is not marked django_db
# cannot open a database connection (pytest-django refuses it): it proves nothing a second
# database would change (38 tests in mixed files on 5 Dec 2026: pure rules, declarations, source).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_setup",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _uses_a_database(item) -> bool:
    names = getattr(item, "fixturenames", None)
    if names is None:
        return True
    return bool(item.get_closest_marker("django_db")) or bool(DATABASE_FIXTURES & set(names))


def _static_files_found_once() -> None:
    """WhiteNoise (WHITENOISE_USE_FINDERS, DEBUG off as under tests) lists and stats every static
    file (about 2,700, most of them USWDS) each time a middleware chain is built, and each test
    Client builds one: 0.2 s of CPU per Client, most of a short view test. The files do not change
    during a run, so the list is made once per process (per static settings) and each new
    middleware gets the same entries; what it serves and with which headers is unchanged."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    found: dict[tuple, dict] = {}

    def add_files_from_finders(self):
        key = (
            self.static_prefix,
            tuple(map(str, settings.STATICFILES_DIRS)),
            tuple(settings.STATICFILES_FINDERS),
            tuple(settings.INSTALLED_APPS),
        )
        if key not in found:
            before = dict(self.files)
            scan(self)
            found[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        else:
            self.files.update(found[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


def pytest_configure(config):
    _static_files_found_once()
    if not hasattr(config, "workerinput"):
        # One name for this run, shared with the xdist workers (they inherit the environment).
        os.environ.setdefault("SECOOP_TEST_RUN", uuid.uuid4().hex[:10])


def _is_browser_test(item) -> bool:
    return bool(POSTGRES_ONLY_DIRS & set(Path(str(item.path)).parent.parts[-1:]))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Under `--dist loadgroup` the browser tests run on one worker: they share one server and one
    chromium, started once and ended after the last of them (tests/e2e/conftest.py: package
    scope); on two workers each worker started its own (measured 5 Dec 2026: the tests spread 31/46
    and the pass paid for a second server, chromium and sign-ins). The `xdist_group` marker cannot
    do it: pytest-xdist 3.8 puts the group into `item._nodeid`, which pytest 9 no longer reads
    (a node's id is `item._id`), so every test was its own group. This scheduler is loadgroup's,
    with the browser tests as one group, known by their path."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class BrowserTestsTogether(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(f"tests/{BROWSER_TESTS_DIR}/"):
                return "browser"
            return super()._split_scope(nodeid)

    return BrowserTestsTogether(config, log)


def _starts_first(item) -> bool:
    return Path(str(item.path)).name in LONG_MODULES or _is_browser_test(item)


def pytest_collection_modifyitems(config, items):
    """Keep the tests that belong on this pass's database."""
    here = "postgres" if _on_postgres() else "sqlite"
    keep, drop = [], []
    for item in items:
        rule = database_rule(item)
        if rule in ("both", here) or os.environ.get("SECOOP_EVERY_DATABASE") == "1":
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    # The longest modules first (walkers, schemathesis, the concurrency test, the browser tests as
    # one group), so that the two xdist workers end together on short tests instead of one waiting
    # for the other's walker. A module's tests stay together: its module-scoped records are built
    # once per worker.
    items[:] = sorted(keep, key=lambda item: not _starts_first(item))


# --- CPU time per test and per app ------------------------------------------------------------
# Wall durations (--durations) say more about the neighbours than about the suite on a shared
# machine; CPU seconds (this process and the child processes it waited for) do not. Each pass ends
# with the CPU per app (the budget in tests/README.md is per app) and the costliest tests.
CPU_TOP = 15


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    spent = getattr(item, "_cpu_spent", 0.0)
    outcome.get_result().user_properties.append(("cpu", spent))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    start = _cpu()
    yield
    item._cpu_spent = _cpu() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    start = _cpu()
    yield
    item._cpu_spent = _cpu() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    start = _cpu()
    yield
    item._cpu_spent = _cpu() - start


_CPU_BY_TEST: dict[str, float] = {}


def pytest_runtest_logreport(report):
    spent = dict(report.user_properties).get("cpu")
    if spent:
        _CPU_BY_TEST[report.nodeid] = _CPU_BY_TEST.get(report.nodeid, 0.0) + spent


def app_of_test(nodeid: str) -> str:
    parts = nodeid.split("::")[0].split("/")
    return parts[1] if len(parts) > 2 else "(tests/)"


def pytest_terminal_summary(terminalreporter):
    if not _CPU_BY_TEST:
        return
    by_app: dict[str, float] = {}
    for nodeid, spent in _CPU_BY_TEST.items():
        by_app[app_of_test(nodeid)] = by_app.get(app_of_test(nodeid), 0.0) + spent
    write = terminalreporter.write_line
    terminalreporter.section("CPU seconds per app (tests/README.md: Budget)")
    write(", ".join(f"{app} {s:.0f}" for app, s in sorted(by_app.items(), key=lambda kv: -kv[1])))
    write(
        f"total {sum(by_app.values()):.0f} (start-up and collection not included; the database"
        " build counts in the setup of the first test of each process)"
    )
    by_module: dict[str, float] = {}
    for nodeid, spent in _CPU_BY_TEST.items():
        module = nodeid.split("::")[0]
        by_module[module] = by_module.get(module, 0.0) + spent
    terminalreporter.section(f"costliest {CPU_TOP} modules, CPU seconds")
    for module, spent in sorted(by_module.items(), key=lambda kv: -kv[1])[:CPU_TOP]:
        write(f"{spent:7.1f}  {module}")
    terminalreporter.section(f"costliest {CPU_TOP} tests, CPU seconds (setup + call + teardown)")
    for nodeid, spent in sorted(_CPU_BY_TEST.items(), key=lambda kv: -kv[1])[:CPU_TOP]:
        write(f"{spent:7.1f}  {nodeid}")


# --- The test database: built once per pass, cloned per worker --------------------------------
def _run_id(config) -> str:
    run = os.environ.get("SECOOP_TEST_RUN")
    if not run and hasattr(config, "workerinput"):
        run = config.workerinput["testrunuid"][:10]
    return run or "local"


def _run_dir(run: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"secoop-tests-{run}"
    path.mkdir(exist_ok=True)
    return path


def _template_name(base: str, run: str) -> str:
    return f"test_{base}_{run}_template"


def _pg_admin(sql: str) -> None:
    """Run one statement on the PostgreSQL server outside any test database."""
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)


def _build_template(connection, run: str, base: str) -> str:
    """migrate + demo load into the template; returns its name (a database, or an SQLite file)."""
    from django.test import override_settings

    pg = connection.vendor == "postgresql"
    name = _template_name(base, run) if pg else str(_run_dir(run) / "template.sqlite3")
    connection.settings_dict.setdefault("TEST", {})
    original_test_name = connection.settings_dict["TEST"].get("NAME")
    connection.settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.settings_dict["TEST"]["NAME"] = original_test_name
    # Demo users with a fast hasher: the suite logs in often. test_auth proves Argon2 is the default.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MAX_CLASSIFICATION="SECRET",
    ):
        demo.load()
    connection.close()
    return name


def _use_clone(connection, template: str, run: str, base: str, worker: str) -> str:
    """Point this process's connection at a fresh copy of the template."""
    from django.conf import settings

    if connection.vendor == "postgresql":
        clone = f"test_{base}_{run}_{worker}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{clone}"')
        _pg_admin(f'CREATE DATABASE "{clone}" TEMPLATE "{template}"')
    else:
        file_name = os.environ.get("TEST_SQLITE_NAME")
        if file_name:
            root, ext = os.path.splitext(file_name)
            clone = f"{root}_{worker}{ext}" if worker != "main" else file_name
            with contextlib.suppress(FileNotFoundError):
                os.remove(clone)
        else:
            clone = f"file:memorydb_{connection.alias}_{worker}?mode=memory&cache=shared"
    connection.close()
    connection.settings_dict["NAME"] = clone
    settings.DATABASES[connection.alias]["NAME"] = clone
    if connection.vendor != "postgresql":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(template)) as source:
            source.backup(connection.connection)
    return clone


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The demo data, built once per pass into a template and cloned for this process."""
    from django.db import connection

    config = request.config
    run = _run_id(config)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = connection.settings_dict["NAME"]
    base = "secoop" if connection.vendor != "postgresql" else base
    run_dir = _run_dir(run)
    with django_db_blocker.unblock():
        with (run_dir / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            built = run_dir / f"template-{connection.vendor}"
            if built.exists():
                template = built.read_text()
            else:
                template = _build_template(connection, run, base)
                built.write_text(template)
            clone = _use_clone(connection, template, run, base, worker)
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "postgresql":
            _pg_admin(f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')
        elif os.environ.get("TEST_SQLITE_NAME"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(clone)


def pytest_sessionfinish(session):
    """The controlling process (or the only one) removes the template when the pass is over."""
    config = session.config
    if hasattr(config, "workerinput"):
        return
    run_dir = Path(tempfile.gettempdir()) / f"secoop-tests-{_run_id(config)}"
    marker = run_dir / "template-postgresql"
    if marker.exists():
        import psycopg
        from django.conf import settings

        db = settings.DATABASES["default"]
        with psycopg.connect(
            dbname="postgres",
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{marker.read_text()}" WITH (FORCE)')
    shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_template(django_db_setup, request) -> str:
    """This pass's template (migrated, demo loaded): a PostgreSQL database name or an SQLite file."""
    from django.db import connection

    return (_run_dir(_run_id(request.config)) / f"template-{connection.vendor}").read_text()


@pytest.fixture
def demo_database_copy(demo_template, tmp_path) -> Path:
    """A file copy of this pass's SQLite template (migrated, demo loaded) for a test whose own
    processes need a real database file: `secoop.sqlite3` in the test's tmp_path."""
    from django.db import connection

    assert connection.vendor == "sqlite", "the template is a file on the SQLite pass only"
    copy = tmp_path / "secoop.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(demo_template)) as source,
        contextlib.closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)
    return copy


@contextlib.contextmanager
def built_once(django_db_blocker):
    """For module-scoped fixtures that build records once for every test of a module:

        @pytest.fixture(scope="module")
        def sentinels(django_db_setup, django_db_blocker):
            with built_once(django_db_blocker):
                yield build_them()

    The records live in a transaction rolled back when the module is done; each test still runs
    in a savepoint of its own, so what one test changes the next does not see."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def builds(why: str):
    """For test code that builds or changes marked records directly (not through an action):
    `with builds("sentinels"):` — a `system_writes` that says it is a test's. The guard stays on
    everywhere else, so a view or action that writes for itself still fails."""
    from secoop.core.actions import system_writes

    return system_writes(f"test: {why}")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plain_templates(monkeypatch):
    """Templates render as in production, without the test client's instrumentation: under tests
    Django sends a signal for every template rendered (each form widget is one) and the client
    copies the whole context each time, which doubles the cost of a form page. The walkers read
    the response body only; `response.context` and `response.templates` stay empty here."""
    from django.template.base import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


class _PrintedHtml:
    """Stands in for weasyprint.HTML: the "PDF" is the HTML it would be printed from."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs) -> bytes:
        return self.string.encode()


@pytest.fixture
def pdf_as_html(monkeypatch):
    """PDF exports answer the HTML they are printed from instead of laying out a real PDF (about a
    second each): for tests that prove a page answers or what it shows. Each app's test_exports.py
    renders one real PDF (tests/README.md, Budget)."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _PrintedHtml)


@pytest.fixture
def users(db) -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


user_named = helpers.person


@pytest.fixture
def login():
    """login('sco.bandaria') -> a test Client signed in as that demo user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(user_named(username), backend="secoop.core.auth.LockoutAwareBackend")
        return client

    return make


@pytest.fixture
def api():
    """api('sco.bandaria') -> a DRF APIClient authenticated as that demo user."""
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user_named(username))
        return client

    return make
