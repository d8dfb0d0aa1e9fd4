"""R-SEC-04: the database refuses to rewrite the append-only logs, and the application cannot
switch that refusal off.

- SQLite: `recursive_triggers` on every connection, so that a REPLACE that deletes a log row fires
  the DELETE trigger (migration 0002); migration 0008 also refuses an insert over an existing id.
- PostgreSQL: a table's owner (or a superuser) can `ALTER TABLE … DISABLE TRIGGER` or
  `SET session_replication_role = replica`. So the application runs as a *runtime role* that owns
  nothing: `DATABASE_URL` names it, `DATABASE_OWNER_URL` names the owner that `secoop migrate`
  connects as (settings.py). After each migrate, `grant_runtime_role` gives the runtime role plain
  data access — SELECT/INSERT/UPDATE/DELETE on the tables, USAGE on the sequences — and only
  SELECT/INSERT on the append-only logs. `secoop grant_runtime_role` runs it by hand.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

# Every table that migrations 0002 and 0008 protect.
APPEND_ONLY_TABLES = ("core_changelogentry", "core_auditevent")


def enable_recursive_triggers(sender, connection, **kwargs) -> None:
    """connection_created receiver: REPLACE on SQLite fires DELETE triggers only with this on."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON;")


def grant_runtime_role(connection, role: str) -> list[str]:
    """Grant `role` data access (no ownership) to every table of the current schema; return the
    statements run. Refuses a role that is a superuser or owns a table: such a role could disable
    the append-only triggers."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("A separate runtime role applies to PostgreSQL only.")
    if not role:
        raise ImproperlyConfigured(
            "Name the runtime role: the user in DATABASE_URL (DATABASE_OWNER_URL names the owner)."
        )
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise ImproperlyConfigured(
                f"The runtime role {role!r} does not exist: CREATE ROLE {role} LOGIN first."
            )
        if row[0]:
            raise ImproperlyConfigured(
                f"The runtime role {role!r} is a superuser, so it could disable the append-only "
                "triggers (R-SEC-04): run the application as an ordinary role."
            )
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = %s",
            [role],
        )
        if cursor.fetchone()[0]:
            raise ImproperlyConfigured(
                f"The runtime role {role!r} owns tables, so it could disable the append-only triggers "
                "(R-SEC-04): migrate as another role (DATABASE_OWNER_URL) that owns the tables."
            )
        cursor.execute("SELECT current_schema()")
        schema = qn(cursor.fetchone()[0])
        who = qn(role)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
        ]
        statements += [
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {qn(t)} FROM {who}" for t in APPEND_ONLY_TABLES
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: when migrating as the owner (DATABASE_OWNER_URL), grant the runtime
    role access to whatever tables the migration created."""
    from django.conf import settings
    from django.db import connections

    if sender.label != "core" or not settings.DATABASE_OWNER_URL:
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        grant_runtime_role(connection, settings.DATABASE_RUNTIME_USER)
