"""Issue 15 item 2 for cases: case titles and lines are searched through their full-text
documents (decision 0048)."""

from django.db import migrations

from secoop.core.dbindex import search_documents


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_dcs_withdrawn_on")]

    operations = [search_documents("cases", FmsCase=("title",), CaseLine=("item", "description"))]
