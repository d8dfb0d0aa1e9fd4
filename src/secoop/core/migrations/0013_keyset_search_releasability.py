"""Issue 15 items 1–3 for core: pg_trgm, b-tree indexes behind the keyset lists' orders, trigram
indexes for search, and the releasability index (PostgreSQL: GIN on the REL TO list as an array).
See secoop.core.dbindex."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("core", "0012_access_change_request")]

    operations = [
        list_indexes(
            "core",
            *sorted_indexes("Organization", "name", "short_name", "kind"),
            *sorted_indexes("Document", "dated", "title", "created_at", ("dated", "title")),
            *sorted_indexes("ChangeLogEntry", "at", "username", "action"),
            *sorted_indexes("Notification", "created_at", "subject", "acknowledged_at"),
            *sorted_indexes("User", "display_name"),
            *trigram_indexes("Organization", "name", "short_name"),
            *trigram_indexes("Document", "title", "summary"),
            *trigram_indexes("ChangeLogEntry", "object_repr", "username", "reason"),
            *trigram_indexes("Notification", "subject", "body"),
            *trigram_indexes(
                "User", "username", "display_name", "first_name", "last_name", "email"
            ),
            *[
                Releasability(m)
                for m in ("Organization", "Document", "ChangeLogEntry", "Notification")
            ],
        )
    ]
