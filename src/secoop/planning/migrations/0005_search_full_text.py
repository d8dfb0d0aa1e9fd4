"""Issue 15 item 2 for planning: activities are searched through their full-text documents
(decision 0048)."""

from django.db import migrations

from secoop.core.dbindex import search_documents


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_list_indexes")]

    operations = [search_documents("planning", Activity=("title", "location", "description"))]
