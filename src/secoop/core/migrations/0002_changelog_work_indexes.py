"""The home page's "recent changes to your work" (issue 15): the newest entries by the user, by an
organization and about a country, each read from an index in its order (field, at, id) instead of
walking the whole log by date."""

from django.db import migrations

from secoop.core.dbindex import list_indexes
from secoop.core.dbindex import sorted_indexes


class Migration(migrations.Migration):
    dependencies = [("core", "0001_squashed")]

    operations = [
        list_indexes(
            "core",
            *sorted_indexes(
                "ChangeLogEntry", ("user", "at"), ("owner_org", "at"), ("country", "at")
            ),
        )
    ]
