"""R-SEC-04 (issue 10 item 5): on SQLite, `INSERT OR REPLACE` with the id of an existing row would
delete that row and write a new one in its place without firing the DELETE trigger of 0002 (SQLite
fires delete triggers for REPLACE only with recursive_triggers on, which core.apps also turns on for
every connection). A BEFORE INSERT trigger refuses any insert whose id is already taken, whatever
the conflict clause. On PostgreSQL there is no REPLACE (`ON CONFLICT DO UPDATE` fires the UPDATE
trigger of 0002), and the runtime role that cannot disable triggers is set up by
`secoop.core.db_roles`.
"""

from django.db import migrations

# Every table that 0002_append_only_logs protects.
TABLES = ["core_changelogentry", "core_auditevent"]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: replacing a row is not allowed (R-SEC-04)'); END;"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace;")


class Migration(migrations.Migration):
    dependencies = [("core", "0009_organization_time_zone")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
