"""Issue 10 item 5 (R-SEC-04): the append-only logs cannot be rewritten by SQL sent through the
application's own connection — not by SQLite's INSERT OR REPLACE, and not on PostgreSQL by a
runtime role that would disable the triggers or switch them off with session_replication_role."""

import pytest
from django.db import DatabaseError
from django.db import connection
from django.db import transaction

from secoop.core import actions
from secoop.core.db_roles import APPEND_ONLY_TABLES
from secoop.core.db_roles import grant_runtime_role
from secoop.core.models import AuditEvent
from secoop.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

MODELS = {"core_changelogentry": ChangeLogEntry, "core_auditevent": AuditEvent}
TEXT_COLUMN = {"core_changelogentry": "reason", "core_auditevent": "detail"}

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's"
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="roles, DISABLE TRIGGER and session_replication_role are PostgreSQL's",
)


def rewrite_statement(verb: str, table: str) -> tuple[str, int]:
    """`<verb> INTO table (...) SELECT ...` that re-inserts the newest row of `table` with the same
    id and its text column rewritten."""
    model = MODELS[table]
    columns = [f.column for f in model._meta.concrete_fields]
    text = TEXT_COLUMN[table]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {table}")
        row_id = cursor.fetchone()[0]
    select = ", ".join("'rewritten'" if c == text else c for c in columns)
    return (
        f"{verb} INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} WHERE id = {row_id}",
        row_id,
    )


@sqlite_only
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_item5_sqlite_refuses_insert_or_replace_over_a_log_row(table, verb):
    actions.audit("privileged", detail="an audit row to rewrite")
    statement, row_id = rewrite_statement(verb, table)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {TEXT_COLUMN[table]} FROM {table} WHERE id = %s", [row_id])
        assert cursor.fetchone()[0] != "rewritten"


@sqlite_only
def test_item5_sqlite_connections_fire_delete_triggers_on_replace():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA recursive_triggers")
        assert cursor.fetchone()[0] == 1


@sqlite_only
def test_item5_sqlite_a_new_log_row_is_still_accepted():
    before = AuditEvent.objects.count()
    actions.audit("privileged", detail="appended")
    assert AuditEvent.objects.count() == before + 1


RUNTIME_ROLE = "secoop_runtime_probe"

FORBIDDEN_TO_RUNTIME = [
    "ALTER TABLE core_changelogentry DISABLE TRIGGER ALL",
    "ALTER TABLE core_changelogentry DISABLE TRIGGER core_changelogentry_no_update_delete",
    "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
    "DROP TRIGGER core_changelogentry_no_update_delete ON core_changelogentry",
    "SET session_replication_role = replica",
    "SET LOCAL session_replication_role = replica",
    "UPDATE core_changelogentry SET reason = 'rewritten'",
    "DELETE FROM core_changelogentry",
    "UPDATE core_auditevent SET detail = 'rewritten'",
    "DELETE FROM core_auditevent",
    "TRUNCATE core_changelogentry",
]


@pytest.fixture
def runtime_role():
    """A non-owner runtime role set up exactly as `secoop migrate` sets it up, and this test's
    connection switched to it; the test transaction's rollback drops the role."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} NOLOGIN")
    grant_runtime_role(connection, RUNTIME_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {RUNTIME_ROLE}")
    try:
        yield RUNTIME_ROLE
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@postgres_only
@pytest.mark.parametrize("statement", FORBIDDEN_TO_RUNTIME)
def test_item5_postgres_runtime_role_cannot_switch_off_or_rewrite_the_log(runtime_role, statement):
    assert ChangeLogEntry.objects.system().exists()
    with pytest.raises(DatabaseError, match="must be owner|permission denied|append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == RUNTIME_ROLE


@postgres_only
def test_item5_postgres_runtime_role_reads_and_appends(runtime_role):
    before = AuditEvent.objects.count()
    actions.audit("privileged", detail="appended by the runtime role")
    assert AuditEvent.objects.count() == before + 1
    assert ChangeLogEntry.objects.system().exists()


@postgres_only
def test_item5_postgres_grant_refuses_a_superuser_as_runtime_role():
    from django.core.exceptions import ImproperlyConfigured

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(ImproperlyConfigured, match="superuser|owns tables"):
        grant_runtime_role(connection, me)
