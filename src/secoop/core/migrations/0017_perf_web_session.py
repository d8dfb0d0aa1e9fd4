"""Issue 15, decision 0054: the web session with the signed-in user's id in a column, so a request
reads its session and its user in one query (core/sessions.py). Sessions of the old table are not
carried over: everyone signs in again (a session lasts 15 idle minutes anyway, R-SEC-09)."""

from django.conf import settings
from django.db import migrations, models

from secoop.core import migration_helpers as mh


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0016_search_full_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="WebSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    mh.parent_fk(settings.AUTH_USER_MODEL, blank=True, null=True, related_name="+"),
                ),
            ],
            options={
                "verbose_name": "web session",
                "verbose_name_plural": "web sessions",
                "abstract": False,
            },
        ),
    ]
