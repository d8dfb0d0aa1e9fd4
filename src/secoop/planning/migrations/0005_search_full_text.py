"""Issue 15 item 2 for planning: the full-text search documents (core.search.SearchDocument) — GIN
indexes on PostgreSQL, FTS5 tables kept current by triggers on SQLite. See secoop.core.dbindex
.FullText and docs/decisions/0048-search-ranked-full-text.md."""

from django.db import migrations

from secoop.core.dbindex import full_text, list_indexes, trigram_dropped


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_list_indexes")]

    operations = [
        list_indexes(
            "planning",
            full_text("Activity", "title", "location", "description"),
            *trigram_dropped("Activity", "title", "location", "description"),
        )
    ]
