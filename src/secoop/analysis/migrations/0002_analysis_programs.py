"""The SC program catalog's starting facts (analysis/data/programs.csv, 90 programs and
authorities with their sources)."""

from django.db import migrations


def load(apps, schema_editor):
    from secoop.analysis.catalog import load_programs

    load_programs(apps.get_model("analysis", "Program"))


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_analysis_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
