"""Issue 15 item 2 for training: students are searched by course and unit through their full-text
documents (decision 0048)."""

from django.db import migrations

from secoop.core.dbindex import search_documents


class Migration(migrations.Migration):
    dependencies = [("training", "0005_list_indexes")]

    operations = [search_documents("training", Student=("course_title", "unit"))]
