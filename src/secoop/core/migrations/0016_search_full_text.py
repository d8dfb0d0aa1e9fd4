"""Issue 15 item 2 for core: documents and the change log are searched through their full-text
documents (decision 0048)."""

from django.db import migrations

from secoop.core.dbindex import search_documents


class Migration(migrations.Migration):
    dependencies = [("core", "0015_export_job")]

    operations = [
        search_documents(
            "core",
            Document=("title", "summary"),
            ChangeLogEntry=("object_repr", "reason"),
        )
    ]
