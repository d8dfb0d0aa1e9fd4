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
# Pure rule tests and the leak walkers prove nothing a second database would change: they run on
# SQLite only. The door, triggers, actions, API, views and exports run on both. The browser tests
# (tests/e2e) run on PostgreSQL only. Markers override the file rule: `one_database` (SQLite only),
# `both_databases`, `postgres_only`. SECOOP_EVERY_DATABASE=1 runs every test on every database.
ONE_DATABASE_FILES = {"test_rules.py", "test_markings.py", "test_no_leaks.py"}
POSTGRES_ONLY_DIRS = {"e2e"}


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
    path = Path(str(item.path))
    if POSTGRES_ONLY_DIRS & set(path.parent.parts[-1:]):
        return "postgres"
    if path.name in ONE_DATABASE_FILES:
        return "sqlite"
    return "both"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        # One name for this run, shared with the xdist workers (they inherit the environment).
        os.environ.setdefault("SECOOP_TEST_RUN", uuid.uuid4().hex[:10])


def pytest_collection_modifyitems(config, items):
    """Keep the tests that belong on this pass's database; under pytest-xdist the browser tests run
    on one worker (they share one server)."""
    here = "postgres" if _on_postgres() else "sqlite"
    keep, drop = [], []
    for item in items:
        rule = database_rule(item)
        if rule in ("both", here) or os.environ.get("SECOOP_EVERY_DATABASE") == "1":
            keep.append(item)
        else:
            drop.append(item)
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
