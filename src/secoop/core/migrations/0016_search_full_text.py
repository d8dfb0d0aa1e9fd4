"""Issue 15 item 2 for core: the full-text search documents (core.search.SearchDocument) — GIN
indexes on PostgreSQL, FTS5 tables kept current by triggers on SQLite. See secoop.core.dbindex
.FullText and docs/decisions/0048-search-ranked-full-text.md."""

from django.db import migrations

from secoop.core.dbindex import full_text, list_indexes, trigram_dropped


class Migration(migrations.Migration):
    dependencies = [("core", "0015_export_job")]

    operations = [
        list_indexes(
            "core",
            full_text("Document", "title", "summary"),
            full_text("ChangeLogEntry", "object_repr", "reason"),
            *trigram_dropped("Document", "title", "summary"),
            *trigram_dropped("ChangeLogEntry", "object_repr", "reason"),
        )
    ]
