"""R-PLN-10: the default request-for-forces lead time, as a dated reference fact (SPEC §11: facts
that change are data with their source, never literals in code)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

KEY = "rff-lead-time-days"


def add_fact(apps, schema_editor):
    ReferenceFact = apps.get_model("core", "ReferenceFact")
    ReferenceFact.objects.update_or_create(
        key=KEY,
        effective_from=dt.date(2020, 12, 1),
        defaults={
            "label": "Request-for-forces lead time (default for activities needing U.S. forces)",
            "value": Decimal("365"),
            "unit": "days",
            "source": 'Security cooperation planning textbook, "Requirements Coordination and Integration" '
            "(SPEC R-PLN-10): planning timelines are moved a year to allow for the RFF process",
            "notes": "Global Force Management. Effective date approximate: the chapter cites JP 5-0 of "
            "1 December 2020. An activity may carry its own lead time instead.",
        },
    )


def remove_fact(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(add_fact, remove_fact)]
