"""The dated facts of SPEC §11 for FMS cases, and the CTA criteria and elements, as data an
administrator edits (Reference facts, CTA criteria, CTA elements in the admin). Values marked
"to verify" in SPEC §11 carry that note: check them against the source before relying on them."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

D = dt.date
SAMM_C5 = "SAMM C5.1.4 / Table C5.T1"
AECA = "AECA §36(b) (22 U.S.C. 2776)"

# (key, label, value, unit, effective from, source, notes)
FACTS = [
    (
        "fms-cta-max-age-days",
        "CTA (or CCMD concurrence) maximum age when it reaches DSCA",
        "365",
        "days",
        D(2016, 1, 1),
        SAMM_C5,
        "SPEC §11 CTA age: at most 1 year.",
    ),
    (
        "fms-lor-validation-days",
        "LOR validation goal for the implementing agency",
        "5",
        "days",
        D(2016, 3, 1),
        "DSCA 16-11; SAMM C5.1.7",
        "DSCA 16-11 is superseded by DSCA 21-66: the current figure is to verify.",
    ),
    (
        "fms-aod-goal-percent",
        "Share of LOAs to be offered on or before their AOD",
        "85",
        "percent",
        D(2012, 4, 1),
        "SAMM C5.4.2; DSCA 12-08",
        "",
    ),
    (
        "fms-aod-group-a-days",
        "AOD group A: days from LOR complete to offer",
        "120",
        "days",
        D(2021, 10, 1),
        "SAMM Table C5.T6; DSCA 21-66",
        "To verify against the current Table C5.T6.",
    ),
    (
        "fms-aod-group-b-days",
        "AOD group B: days from LOR complete to offer (purchaser-unique defined order)",
        "150",
        "days",
        D(2021, 10, 1),
        "SAMM Table C5.T6; DSCA 21-66",
        "150 days for purchaser-unique defined-order LOAs is the confirmed figure (SPEC §11).",
    ),
    (
        "fms-aod-group-c-days",
        "AOD group C: days from LOR complete to offer (complex)",
        "240",
        "days",
        D(2021, 10, 1),
        "SAMM Table C5.T6; DSCA 21-66",
        "To verify against the current Table C5.T6.",
    ),
    (
        "fms-oed-standard-days",
        "Standard OED: days from MILAP (25 administration + 60 purchaser review)",
        "85",
        "days",
        D(2025, 1, 1),
        "SAMM C5.4, Appendix 9 (DSCA 25-67)",
        "Some countries have a longer standard: add fms-oed-days-<alpha3>.",
    ),
    (
        "fms-oed-bpc-days",
        "OED recommended for BPC pseudo-LOAs",
        "30",
        "days",
        D(2025, 1, 1),
        "SAMM C5.4, Appendix 9 (DSCA 25-67)",
        "",
    ),
    (
        "fms-closure-months-after-ssc",
        "Case closure after the SSC milestone is posted",
        "12",
        "months",
        D(2013, 6, 1),
        "DSCA 13-32, 25-89, 25-97, 25-100, 26-32",
        "At once if final delivery was more than this before SSC.",
    ),
    (
        "fms-case-file-retention-years",
        "Case records kept after final closure",
        "10",
        "years",
        D(2012, 4, 1),
        "SAMM C2.1.5.2, Table C2.T1 #19 (SPEC R-FMS-07)",
        "",
    ),
    (
        "fms-36b-mde-usd",
        "36(b) notification: MDE threshold",
        "14000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "",
    ),
    (
        "fms-36b-total-usd",
        "36(b) notification: defense articles or services threshold",
        "50000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "",
    ),
    (
        "fms-36b-dc-usd",
        "36(b) notification: design and construction threshold",
        "200000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "",
    ),
    ("fms-36b-days", "36(b) notice period before the offer", "30", "days", D(2000, 1, 1), AECA, ""),
    (
        "fms-36b-nato5-mde-usd",
        "36(b) NATO+5: MDE threshold",
        "25000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "NATO members, NATO, Japan, Australia, South Korea, Israel, New Zealand.",
    ),
    (
        "fms-36b-nato5-total-usd",
        "36(b) NATO+5: defense articles or services threshold",
        "100000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "",
    ),
    (
        "fms-36b-nato5-dc-usd",
        "36(b) NATO+5: design and construction threshold",
        "300000000",
        "USD",
        D(2000, 1, 1),
        AECA,
        "",
    ),
    ("fms-36b-nato5-days", "36(b) NATO+5 notice period", "15", "days", D(2000, 1, 1), AECA, ""),
    (
        "fms-36b-informal-review-days",
        "Informal review before the formal 36(b) period (non-NATO+5)",
        "20",
        "days",
        D(2000, 1, 1),
        "SAMM C5.5",
        "",
    ),
    (
        "fms-sdr-min-value-usd",
        "SDR: compensation review only from this value (incl. transport)",
        "200",
        "USD",
        D(2004, 1, 1),
        "DSCA 04-47, 10-44, 14-10",
        "May be dated: verify.",
    ),
    (
        "fms-sdr-endorsement-usd",
        "SDR: MILDEP HQ endorsement above this value",
        "50000",
        "USD",
        D(2010, 1, 1),
        "DSCA 10-44, 14-10",
        "May be dated: verify.",
    ),
    (
        "fms-sdr-reconsideration-days",
        "SDR: reconsideration request within",
        "45",
        "days",
        D(2010, 1, 1),
        "DSCA 10-44",
        "May be dated: verify.",
    ),
]
NATO5 = [
    "ALB",
    "BEL",
    "BGR",
    "CAN",
    "HRV",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MNE",
    "NLD",
    "MKD",
    "NOR",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
    "TUR",
    "GBR",
    "USA",
    "JPN",
    "AUS",
    "KOR",
    "ISR",
    "NZL",
]
# (code, label, LOR flag)
CRITERIA = [
    (
        "likely-36b",
        "Likely to need congressional notification under AECA 36(b)",
        "notification_36b",
    ),
    ("mde", "Includes Major Defense Equipment", "mde"),
    ("sme", "Includes Significant Military Equipment", "sme"),
    ("new-capability", "First introduction of a new capability to the country", "new_capability"),
    ("sensitive", "Sensitive items or technology", "sensitive_technology"),
    ("night-vision", "Night vision devices (item-specific elements apply)", "night_vision"),
]
ELEMENTS = [
    "Reason for the request",
    "Effect on force structure",
    "Contribution to defense goals",
    "Justification of type and quantity",
    "Ability to account for and safeguard",
    "Ability to absorb and maintain",
    "Financing and economic impact",
    "Human rights",
    "Regional reaction",
    "End-use monitoring plan",
    "Recommendation",
    "Training or support needed to reduce the risk of civilian harm",
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
    for alpha3 in NATO5:
        ReferenceFact.objects.update_or_create(
            key=f"fms-nato5-{alpha3.lower()}",
            effective_from=D(2000, 1, 1)
            if alpha3 not in ("FIN", "SWE")
            else (D(2023, 4, 4) if alpha3 == "FIN" else D(2024, 3, 7)),
            defaults={
                "label": f"{alpha3} is in the 36(b) NATO+5 group",
                "value": Decimal(1),
                "unit": "flag",
                "source": AECA,
                "notes": "1 = member; add a row with 0 from the date a country leaves the group.",
            },
        )
    Criterion = apps.get_model("cases", "CtaCriterion")
    for code, label, flag in CRITERIA:
        Criterion.objects.update_or_create(
            code=code, defaults={"label": label, "flag": flag, "source": "SAMM C5.1.4"}
        )
    Element = apps.get_model("cases", "CtaElement")
    for number, text in enumerate(ELEMENTS, start=1):
        Element.objects.update_or_create(
            code=f"e{number:02d}",
            defaults={
                "number": number,
                "text": text,
                "source": "SAMM Table C5.T1 (wording of 1–11 to verify); DSCA 19-21",
            },
        )
    Element.objects.update_or_create(
        code="nvd-1",
        defaults={
            "number": 13,
            "text": "Night vision devices: physical security and accountability plan (item-specific)",
            "only_when": "night_vision",
            "source": "SAMM Table C5.T1 item-specific elements",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key__startswith="fms-").delete()
    apps.get_model("cases", "CtaCriterion").objects.all().delete()
    apps.get_model("cases", "CtaElement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(add, remove)]
