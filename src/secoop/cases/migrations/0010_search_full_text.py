"""Issue 15 item 2 for cases: the full-text search documents (core.search.SearchDocument) — GIN
indexes on PostgreSQL, FTS5 tables kept current by triggers on SQLite. See secoop.core.dbindex
.FullText and docs/decisions/0048-search-ranked-full-text.md."""

from django.db import migrations

from secoop.core.dbindex import full_text, list_indexes, trigram_dropped


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_dcs_withdrawn_on")]

    operations = [
        list_indexes(
            "cases",
            full_text("FmsCase", "title"),
            full_text("CaseLine", "item", "description"),
            *trigram_dropped("FmsCase", "title"),
            *trigram_dropped("CaseLine", "item", "description"),
        )
    ]
