"""Investigation notes become NOFORN records of their own (R-SEC-02/03): a field of the violation
reached LE staff through the change log."""

from django.db import migrations, models

import secoop.core.models.pages
from secoop.core import migration_helpers as mh
from secoop.core.dbindex import Releasability, list_indexes
from secoop.core.migration_helpers import marked_record_fields


class Migration(migrations.Migration):
    dependencies = [
        ("eum", "0003_eum_list_indexes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="possibleviolation",
            name="investigation_notes",
        ),
        migrations.CreateModel(
            name="InvestigationNote",
            fields=[
                *marked_record_fields(),
                ("written_on", models.DateField()),
                ("text", models.TextField()),
                ("violation", mh.protected_fk("eum.possibleviolation", related_name="notes")),
            ],
            options={
                "verbose_name": "investigation note",
                "ordering": ["written_on", "pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        list_indexes("eum", Releasability("InvestigationNote")),
    ]
