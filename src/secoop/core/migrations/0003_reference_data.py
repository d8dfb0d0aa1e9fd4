from django.db import migrations


def load(apps, schema_editor):
    from secoop.core.reference_data import load_countries, load_facts

    load_countries(apps.get_model("core", "Country"))
    load_facts(apps.get_model("core", "ReferenceFact"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_logs")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
