"""Issue 15 item 2 for training: the full-text search documents (core.search.SearchDocument) — GIN
indexes on PostgreSQL, FTS5 tables kept current by triggers on SQLite. See secoop.core.dbindex
.FullText and docs/decisions/0048-search-ranked-full-text.md."""

from django.db import migrations

from secoop.core.dbindex import full_text, list_indexes, trigram_dropped


class Migration(migrations.Migration):
    dependencies = [("training", "0005_list_indexes")]

    operations = [
        list_indexes(
            "training",
            full_text("Student", "course_title", "unit"),
            *trigram_dropped("Student", "course_title", "unit"),
        )
    ]
