"""Training's dated facts (SPEC §11): the medical window and the DSCA 21-78 documents (R-TRN-05),
arrival-notice lead times (R-TRN-09), screening retention (R-TRN-07), E-IMET recertification
(R-TRN-03) and the lead time under which an alternate is vetted too (R-TRN-06)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

FACTS = [
    (
        "trn-medical-window-months",
        "Medical statement: physical exam within this many months before the ITO",
        "3",
        "months",
        dt.date(2012, 1, 1),
        "SAMM C2.1.6.7.3",
        "Signed statement of a physical exam incl. chest X-ray and HIV screening.",
    ),
    (
        "trn-medical-form-required",
        "Medical certification form required (1 = yes)",
        "1",
        "flag",
        dt.date(2021, 1, 1),
        "DSCA policy memo 21-78 (student medical screening)",
        "Effective date approximate; the memo revised the medical and dental certification forms.",
    ),
    (
        "trn-dental-form-required",
        "Dental certification form required (1 = yes)",
        "1",
        "flag",
        dt.date(2021, 1, 1),
        "DSCA policy memo 21-78 (student medical screening)",
        "Effective date approximate.",
    ),
    (
        "trn-arrival-unaccompanied-days",
        "Arrival notification lead time, unaccompanied student",
        "16",
        "days",
        dt.date(2012, 1, 1),
        "SAMM C2.1.6.9.1",
        "",
    ),
    (
        "trn-arrival-accompanied-days",
        "Arrival notification lead time, accompanied student",
        "30",
        "days",
        dt.date(2012, 1, 1),
        "SAMM C2.1.6.9.1",
        "",
    ),
    (
        "trn-screening-retention-years",
        "Screening checklist retention",
        "10",
        "years",
        dt.date(2012, 1, 1),
        "SAMM C2.1.6.7.5",
        "",
    ),
    (
        "trn-eimet-recertification-years",
        "E-IMET course recertification interval",
        "5",
        "years",
        dt.date(2012, 1, 1),
        "SAMM C2.1.6.4; DSCA 25-91",
        "",
    ),
    (
        "trn-vetting-alternate-days",
        "Vet an alternate too when training starts within this many days and vetting is open",
        "30",
        "days",
        dt.date(2012, 1, 1),
        'SAMM C2.1.6.7.4 ("when time is short")',
        "The SAMM gives no number: 30 days is this system's default; an administrator sets the SCO's practice.",
    ),
]


def add(apps, schema_editor):
    ReferenceFact = apps.get_model("core", "ReferenceFact")
    for key, label, value, unit, since, source, notes in FACTS:
        ReferenceFact.objects.update_or_create(
            key=key,
            effective_from=since,
            defaults={
                "label": label,
                "value": Decimal(value),
                "unit": unit,
                "source": source,
                "notes": notes,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key__in=[f[0] for f in FACTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(add, remove)]
