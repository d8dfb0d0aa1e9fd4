"""A DCS license request's withdrawal date kept apart from DDTC's decision date (R-DCS-03)."""

from django.db import migrations, models

from secoop.core import migration_helpers as mh


def move_withdrawals(apps, schema_editor):
    DcsLicense = apps.get_model("cases", "DcsLicense")
    # Until now the company's withdrawal was written as the "decision date".
    DcsLicense.objects.filter(status="withdrawn").update(
        withdrawn_on=models.F("decided_on"), decided_on=None
    )


def keep_withdrawals(apps, schema_editor):
    DcsLicense = apps.get_model("cases", "DcsLicense")
    DcsLicense.objects.filter(status="withdrawn").update(decided_on=models.F("withdrawn_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_eda_dcs_licenses"),
    ]

    operations = [
        migrations.AddField(
            model_name="dcslicense",
            name="withdrawn_on",
            field=mh.action_date("withdrawn by the company"),
        ),
        migrations.RunPython(move_withdrawals, keep_withdrawals),
    ]
