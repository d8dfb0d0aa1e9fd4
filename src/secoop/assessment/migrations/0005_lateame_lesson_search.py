"""R-AME-05 (issue 17 item 6): lessons learned are searched by their title, tags, observation and
recommendation through their full-text document, ranked (decision 0048)."""

from django.db import migrations

from secoop.core.dbindex import search_documents


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_lateame_objective_rollup")]

    operations = [
        search_documents("assessment", Lesson=("title", "tags", "observation", "recommendation"))
    ]
