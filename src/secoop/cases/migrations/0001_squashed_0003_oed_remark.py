"""cases's migrations 0001 to 0003 squashed into one (issue 11 §1: one migrate per test pass,
and a cheaper one). `replaces` keeps a database migrated before the squash upgrading, and lets a
new migration name a replaced one in its dependencies (Django maps it to this one). The schema is
a fresh makemigrations of the models at 0003; the data functions below are the old
migrations', verbatim, in their old order."""

import datetime as dt
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from secoop.core import migration_helpers as mh

# --- from 0002_fms_facts_and_cta_data ---
# The dated facts of SPEC §11 for FMS cases, and the CTA criteria and elements, as data an
# administrator edits (Reference facts, CTA criteria, CTA elements in the admin). Values marked
# "to verify" in SPEC §11 carry that note: check them against the source before relying on them.


D = dt.date


SAMM_C5 = "SAMM C5.1.4 / Table C5.T1"


AECA = "AECA §36(b) (22 U.S.C. 2776)"


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
    (
        "fms-36b-days",
        "36(b) notice period before the offer",
        "30",
        "days",
        D(2000, 1, 1),
        AECA,
        "",
    ),
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
    (
        "fms-36b-nato5-days",
        "36(b) NATO+5 notice period",
        "15",
        "days",
        D(2000, 1, 1),
        AECA,
        "",
    ),
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


CRITERIA = [
    (
        "likely-36b",
        "Likely to need congressional notification under AECA 36(b)",
        "notification_36b",
    ),
    ("mde", "Includes Major Defense Equipment", "mde"),
    ("sme", "Includes Significant Military Equipment", "sme"),
    (
        "new-capability",
        "First introduction of a new capability to the country",
        "new_capability",
    ),
    ("sensitive", "Sensitive items or technology", "sensitive_technology"),
    (
        "night-vision",
        "Night vision devices (item-specific elements apply)",
        "night_vision",
    ),
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
    mh.write_facts(apps, FACTS)
    mh.write_facts(
        apps,
        [
            (
                f"fms-nato5-{alpha3.lower()}",
                f"{alpha3} is in the 36(b) NATO+5 group",
                1,
                "flag",
                D(2000, 1, 1)
                if alpha3 not in ("FIN", "SWE")
                else (D(2023, 4, 4) if alpha3 == "FIN" else D(2024, 3, 7)),
                AECA,
                "1 = member; add a row with 0 from the date a country leaves the group.",
            )
            for alpha3 in NATO5
        ],
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
    replaces = [
        ("cases", "0001_initial"),
        ("cases", "0002_fms_facts_and_cta_data"),
        ("cases", "0003_oed_remark"),
    ]
    initial = True
    dependencies = [
        ("core", "0001_squashed_0012_access_change_request"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.CreateModel(
            name="CaseAmendment",
            fields=[
                *mh.marked_record_fields(),
                (
                    "number",
                    models.PositiveSmallIntegerField(editable=False, verbose_name="version"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("amendment", "Amendment"),
                            ("modification", "Modification"),
                            ("restatement", "Restatement (pen-and-ink / re-offer)"),
                        ],
                        max_length=14,
                    ),
                ),
                ("description", models.TextField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Offered to the purchaser"),
                            ("accepted", "Accepted / in force"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="proposed",
                        editable=False,
                        max_length=10,
                    ),
                ),
                (
                    "changes",
                    models.JSONField(
                        default=list,
                        help_text="The line changes requested (add / change / delete).",
                    ),
                ),
                ("lines_before", models.JSONField(default=list, editable=False)),
                ("lines_after", models.JSONField(default=list, editable=False)),
                ("diff", models.JSONField(default=list, editable=False)),
                ("value_before", mh.usd(default=Decimal(0), editable=False)),
                ("value_after", mh.usd(default=Decimal(0), editable=False)),
                ("issued_on", mh.action_date()),
                ("accepted_on", mh.action_date()),
            ],
            options={
                "ordering": ["case", "number"],
            },
        ),
        migrations.CreateModel(
            name="CaseDocument",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("lor", "Letter of request"),
                            ("cta", "Country team assessment"),
                            ("tech_release", "Technology release document"),
                            ("loa", "LOA"),
                            ("amendment", "Amendment or modification"),
                            ("shipping", "Shipping document"),
                            ("title_transfer", "Title transfer document (BPC)"),
                            ("dd645", "DD Form 645 billing statement"),
                            ("review_notes", "Case or financial management review notes"),
                            ("closure", "Closure document"),
                            ("notification", "Congressional notification document"),
                        ],
                        max_length=16,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("dated", models.DateField()),
                ("file", mh.document_file("cases/%Y/%m/")),
                (
                    "released_to_partner",
                    models.BooleanField(
                        default=False,
                        help_text="CTAs, technology release, review notes and notification documents never are.",
                    ),
                ),
            ],
            options={
                "verbose_name": "case file document",
                "ordering": ["case", "-dated", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseEvent",
            fields=[
                *mh.marked_record_fields(),
                ("on", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("milestone", "Milestone"),
                            ("decision", "Decision"),
                            ("event", "Event"),
                        ],
                        default="event",
                        max_length=12,
                    ),
                ),
                ("summary", models.CharField(max_length=300)),
            ],
            options={
                "verbose_name": "significant event",
                "ordering": ["case", "on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseLine",
            fields=[
                *mh.marked_record_fields(),
                ("number", models.CharField(help_text="001, 002, …", max_length=3)),
                ("item", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                ("quantity", models.IntegerField()),
                ("unit_of_issue", models.CharField(default="EA", max_length=10)),
                ("unit_value", mh.usd("unit value (USD)")),
                ("total_value", mh.usd("total value (USD)", default=Decimal(0), editable=False)),
                ("sme", models.BooleanField(default=False, verbose_name="SME")),
                ("mde", models.BooleanField(default=False, verbose_name="MDE")),
                ("fmf_funded", models.BooleanField(default=False, verbose_name="FMF-funded")),
                ("program_of_record", models.BooleanField(default=True)),
                (
                    "classified",
                    models.BooleanField(default=False, verbose_name="classified materiel"),
                ),
            ],
            options={
                "verbose_name": "case line",
                "ordering": ["case", "number"],
            },
        ),
        migrations.CreateModel(
            name="CaseNote",
            fields=[
                *mh.marked_record_fields(),
                ("text", models.TextField()),
            ],
            options={
                "verbose_name": "internal note",
                "ordering": ["case", "-created_at"],
            },
        ),
        migrations.CreateModel(
            name="CaseReview",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pmr", "Program management review"),
                            ("cmr", "Case management review"),
                            ("fmr", "Financial management review"),
                        ],
                        max_length=4,
                    ),
                ),
                ("held_on", models.DateField()),
                ("notes", models.TextField(blank=True)),
                (
                    "sco_travel_fms_admin",
                    models.BooleanField(
                        default=False, verbose_name="SCO travel charged to FMS admin"
                    ),
                ),
            ],
            options={
                "ordering": ["case", "-held_on"],
            },
        ),
        migrations.CreateModel(
            name="CountryTeamAssessment",
            fields=[
                *mh.marked_record_fields(),
                ("dated", mh.optional_date("signed on")),
                (
                    "elements",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="Element code → the country team's text.",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("coordinated", "Coordinated with the country team"),
                            ("transmitted", "Transmitted to DSCA and the DoD component"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=12,
                    ),
                ),
                ("coordinated_on", mh.action_date()),
                ("coordinated_with", models.CharField(blank=True, editable=False, max_length=300)),
                ("transmitted_on", mh.action_date()),
                (
                    "with_lor",
                    models.BooleanField(
                        default=True, editable=False, verbose_name="transmitted with the LOR"
                    ),
                ),
            ],
            options={
                "verbose_name": "country team assessment",
                "ordering": ["-dated", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CtaCriterion",
            fields=[
                mh.id_field(),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("label", models.CharField(max_length=200)),
                (
                    "flag",
                    models.CharField(
                        help_text="The LOR fact it looks at: sme, mde, sensitive_technology, new_capability, notification_36b, night_vision.",
                        max_length=30,
                    ),
                ),
                ("source", models.CharField(max_length=200)),
                ("active", models.BooleanField(default=True)),
            ],
            options={
                "verbose_name": "CTA criterion",
                "verbose_name_plural": "CTA criteria",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="CtaElement",
            fields=[
                mh.id_field(),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("number", models.PositiveSmallIntegerField()),
                ("text", models.CharField(max_length=300)),
                (
                    "only_when",
                    models.CharField(
                        blank=True,
                        help_text="An LOR flag (e.g. night_vision) if the element is item-specific.",
                        max_length=30,
                    ),
                ),
                ("source", models.CharField(max_length=200)),
                ("active", models.BooleanField(default=True)),
            ],
            options={
                "verbose_name": "CTA element",
                "ordering": ["number", "code"],
            },
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                *mh.marked_record_fields(),
                ("planned_on", models.DateField()),
                ("planned_quantity", models.IntegerField()),
                ("actual_on", mh.action_date()),
                ("actual_quantity", models.IntegerField(blank=True, editable=False, null=True)),
                ("title_passed", models.BooleanField(default=False, editable=False)),
            ],
            options={
                "verbose_name_plural": "deliveries",
                "ordering": ["case", "planned_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="FmsCase",
            fields=[
                *mh.marked_record_fields(),
                (
                    "identifier",
                    models.CharField(
                        help_text="CC-I-DDD, e.g. XB-B-ZAA.",
                        max_length=8,
                        unique=True,
                        verbose_name="case identifier",
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "loa_type",
                    models.CharField(
                        choices=[
                            ("defined", "Defined order"),
                            ("blanket", "Blanket order"),
                            ("clssa", "CLSSA"),
                            ("pseudo", "Pseudo-LOA (BPC)"),
                        ],
                        default="defined",
                        max_length=8,
                        verbose_name="LOA type",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=mh.case_category_choices(),
                        default="unique",
                        max_length=10,
                        verbose_name="case category",
                    ),
                ),
                (
                    "aod_group",
                    models.CharField(
                        choices=[("A", "Group A"), ("B", "Group B"), ("C", "Group C")],
                        default="B",
                        max_length=1,
                        verbose_name="AOD group",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("development", "In development"),
                            ("written", "Written"),
                            ("reviewed", "Reviewed"),
                            ("proposed", "Proposed"),
                            ("milap", "MILDEP approved"),
                            ("offered", "Offered"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                            ("implemented", "Implemented"),
                            ("ssc", "Supply/services complete"),
                            ("closed", "Closed"),
                        ],
                        default="development",
                        editable=False,
                        max_length=12,
                    ),
                ),
                (
                    "version",
                    models.PositiveSmallIntegerField(
                        default=0,
                        editable=False,
                        help_text="0 = basic LOA; each amendment, modification or restatement adds one.",
                        verbose_name="document version",
                    ),
                ),
                ("lor_complete_on", mh.action_date("LOR-complete date")),
                ("aod", mh.action_date("anticipated offer date (AOD)")),
                (
                    "delay_reason",
                    models.CharField(
                        blank=True, max_length=20, verbose_name="AOD delay reason code"
                    ),
                ),
                ("written_on", mh.action_date()),
                ("reviewed_on", mh.action_date()),
                ("proposed_on", mh.action_date()),
                ("milap_on", mh.action_date("MILDEP approval (MILAP)")),
                (
                    "oed_days",
                    models.PositiveSmallIntegerField(
                        blank=True, editable=False, null=True, verbose_name="OED days used"
                    ),
                ),
                ("oed", mh.action_date("offer expiration date (OED)")),
                (
                    "oed_remark",
                    models.TextField(
                        blank=True,
                        editable=False,
                        help_text="The case remark for a longer OED, or the short-OED note for a shorter one (§11 OED).",
                        verbose_name="OED remark",
                    ),
                ),
                ("offered_on", mh.action_date()),
                ("disclosure_approved_on", mh.optional_date("foreign disclosure approved")),
                ("transfer_approved_on", mh.optional_date("international transfer approved")),
                ("signed_on", mh.action_date("purchaser signature")),
                ("deposit_on", mh.action_date("initial deposit received")),
                ("accepted_on", mh.action_date()),
                ("rejected_on", mh.action_date()),
                ("cancelled_on", mh.action_date()),
                ("sco_notified_on", mh.action_date("SCO advised the IA and DSCA")),
                ("implemented_on", mh.action_date()),
                (
                    "transportation_plan",
                    models.CharField(
                        blank=True,
                        help_text="Reference of the plan; required before classified materiel ships (R-FMS-09).",
                        max_length=200,
                        verbose_name="transportation plan (part of the LOA)",
                    ),
                ),
                (
                    "fmf_baseline",
                    mh.non_negative_usd("approved FMF baseline (USD)", blank=True, null=True),
                ),
                ("fmf_deviation_approved_on", mh.optional_date("FMF deviation approved")),
                ("final_delivery_on", mh.action_date()),
                ("ssc_on", mh.action_date("supply/services complete")),
                ("closure_due", mh.action_date()),
                ("closed_on", mh.action_date()),
                ("shared_with_partner", models.BooleanField(default=False, editable=False)),
            ],
            options={
                "verbose_name": "FMS case",
                "verbose_name_plural": "FMS cases",
                "ordering": ["identifier"],
            },
        ),
        migrations.CreateModel(
            name="IlcoRouting",
            fields=[
                mh.id_field(),
                ("source", models.CharField(blank=True, max_length=200)),
            ],
            options={
                "verbose_name": "ILCO routing",
            },
        ),
        migrations.CreateModel(
            name="LetterOfRequest",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=200)),
                ("received_on", mh.optional_date("date received")),
                (
                    "requested_items",
                    models.TextField(blank=True, verbose_name="articles and services requested"),
                ),
                (
                    "estimated_value",
                    mh.non_negative_usd("estimated value (USD)", blank=True, null=True),
                ),
                ("mde_value", mh.non_negative_usd("of which MDE (USD)", default=Decimal(0))),
                (
                    "design_construction_value",
                    mh.non_negative_usd(
                        "of which design and construction (USD)", default=Decimal(0)
                    ),
                ),
                ("sme", models.BooleanField(default=False, verbose_name="includes SME")),
                ("mde", models.BooleanField(default=False, verbose_name="includes MDE")),
                ("sensitive_technology", models.BooleanField(default=False)),
                (
                    "new_capability",
                    models.BooleanField(
                        default=False, verbose_name="first introduction of a new capability"
                    ),
                ),
                (
                    "night_vision",
                    models.BooleanField(
                        default=False, verbose_name="includes night vision devices"
                    ),
                ),
                (
                    "request_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pa", "Price and availability (P&A)"),
                            ("loa", "Letter of Offer and Acceptance (LOA)"),
                        ],
                        max_length=4,
                        verbose_name="P&A or LOA",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "Received by the SCO"),
                            ("submitted", "Submitted to the IA"),
                            ("validated", "Validated (customer request)"),
                            ("returned", "Returned incomplete"),
                        ],
                        default="received",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("complete_on", mh.action_date("LOR-complete date")),
                ("validated_on", mh.action_date()),
            ],
            options={
                "verbose_name": "letter of request",
                "verbose_name_plural": "letters of request",
                "ordering": ["-received_on", "title"],
            },
        ),
        migrations.CreateModel(
            name="MasterPlanItem",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("component", "Management component"),
                            ("activity", "Significant activity"),
                            ("schedule", "Schedule milestone"),
                            ("poc", "Point of contact"),
                        ],
                        max_length=10,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("due_on", mh.optional_date()),
                ("done_on", mh.optional_date()),
                (
                    "poc",
                    models.CharField(blank=True, max_length=200, verbose_name="point of contact"),
                ),
            ],
            options={
                "verbose_name": "master plan item",
                "ordering": ["case", "due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PaymentScheduleEntry",
            fields=[
                *mh.marked_record_fields(),
                ("due_on", models.DateField()),
                (
                    "amount",
                    mh.usd(validators=[django.core.validators.MinValueValidator(Decimal("0.01"))]),
                ),
                ("initial_deposit", models.BooleanField(default=False)),
                ("paid_on", mh.optional_date()),
            ],
            options={
                "verbose_name": "payment schedule entry",
                "verbose_name_plural": "payment schedule",
                "ordering": ["case", "due_on"],
            },
        ),
        migrations.CreateModel(
            name="Shipment",
            fields=[
                *mh.marked_record_fields(),
                (
                    "reference",
                    models.CharField(max_length=40, verbose_name="transportation control number"),
                ),
                ("shipped_on", models.DateField()),
                (
                    "classified",
                    models.BooleanField(default=False, verbose_name="classified materiel"),
                ),
                (
                    "via_dts",
                    models.BooleanField(
                        default=False, verbose_name="via the Defense Transportation System"
                    ),
                ),
                (
                    "dts_representative",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="DTS designated representative"
                    ),
                ),
                ("received_on", mh.optional_date()),
            ],
            options={
                "ordering": ["case", "-shipped_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SupplyDiscrepancyReport",
            fields=[
                *mh.marked_record_fields(),
                ("reported_on", models.DateField()),
                (
                    "discrepancy",
                    models.CharField(
                        choices=[
                            ("shortage", "Shortage"),
                            ("damage", "Damage"),
                            ("wrong_item", "Wrong item"),
                            ("quality", "Quality deficiency"),
                            ("documentation", "Documentation"),
                        ],
                        max_length=20,
                    ),
                ),
                ("description", models.TextField()),
                ("quantity", models.IntegerField(default=1)),
                ("value", mh.non_negative_usd("value incl. transport (USD)")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("routed", "Routed to the ILCO"),
                            ("replied", "ILCO replied"),
                            ("closed", "Closed"),
                        ],
                        default="routed",
                        editable=False,
                        max_length=8,
                    ),
                ),
                ("replied_on", mh.action_date()),
                ("reply", models.TextField(blank=True, editable=False)),
            ],
            options={
                "verbose_name": "supply discrepancy report",
                "ordering": ["-reported_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseCost",
            fields=[
                *mh.marked_record_fields(),
                ("description", models.CharField(max_length=200)),
                ("programmed", mh.usd("programmed (USD)", default=Decimal(0))),
                ("actual", mh.usd("actual (USD)", default=Decimal(0))),
                ("released_to_partner", models.BooleanField(default=False)),
                ("line", mh.optional_fk("cases.caseline", related_name="+")),
            ],
            options={
                "ordering": ["case", "pk"],
            },
        ),
        migrations.AddField(
            model_name="countryteamassessment",
            name="owner_org",
            field=mh.protected_fk("core.organization", related_name="+", verbose_name="drafted by"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="line",
            field=mh.protected_fk("cases.caseline", related_name="deliveries"),
        ),
        migrations.AddField(
            model_name="fmscase",
            name="case_manager",
            field=mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+"),
        ),
        migrations.AddField(
            model_name="fmscase",
            name="country",
            field=mh.protected_fk("core.country", related_name="+", verbose_name="purchaser"),
        ),
        migrations.AddField(
            model_name="fmscase",
            name="owner_org",
            field=mh.protected_fk(
                "core.organization", related_name="+", verbose_name="implementing agency"
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="deliveries"),
        ),
        migrations.AddField(
            model_name="casereview",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="reviews"),
        ),
        migrations.AddField(
            model_name="casenote",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="notes"),
        ),
        migrations.AddField(
            model_name="caseline",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="lines"),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="events"),
        ),
        migrations.AddField(
            model_name="casedocument",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="documents"),
        ),
        migrations.AddField(
            model_name="casecost",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="costs"),
        ),
        migrations.AddField(
            model_name="caseamendment",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="amendments"),
        ),
        migrations.AddField(
            model_name="ilcorouting",
            name="ilco",
            field=mh.protected_fk("core.organization", related_name="+", verbose_name="ILCO"),
        ),
        migrations.AddField(
            model_name="ilcorouting",
            name="mildep",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organization",
                verbose_name="military department",
            ),
        ),
        migrations.AddField(
            model_name="letterofrequest",
            name="country",
            field=mh.protected_fk("core.country", related_name="+", verbose_name="partner"),
        ),
        migrations.AddField(
            model_name="letterofrequest",
            name="implementing_agency",
            field=mh.optional_fk(
                "core.organization", related_name="+", verbose_name="routed to (IA)"
            ),
        ),
        migrations.AddField(
            model_name="letterofrequest",
            name="owner_org",
            field=mh.protected_fk("core.organization", related_name="+", verbose_name="entered by"),
        ),
        migrations.AddField(
            model_name="letterofrequest",
            name="validated_by",
            field=mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
        ),
        migrations.AddField(
            model_name="fmscase",
            name="lor",
            field=mh.optional_fk("cases.letterofrequest", related_name="cases", verbose_name="LOR"),
        ),
        migrations.AddField(
            model_name="countryteamassessment",
            name="lor",
            field=mh.protected_fk("cases.letterofrequest", related_name="ctas", verbose_name="LOR"),
        ),
        migrations.AddField(
            model_name="masterplanitem",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="plan_items"),
        ),
        migrations.AddField(
            model_name="paymentscheduleentry",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="payments"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="shipments"),
        ),
        migrations.AddField(
            model_name="shipment",
            name="delivery",
            field=mh.optional_fk("cases.delivery", related_name="shipments"),
        ),
        migrations.AddField(
            model_name="supplydiscrepancyreport",
            name="case",
            field=mh.protected_fk("cases.fmscase", related_name="sdrs"),
        ),
        migrations.AddField(
            model_name="supplydiscrepancyreport",
            name="ilco",
            field=mh.optional_fk(
                "core.organization",
                editable=False,
                related_name="+",
                verbose_name="routed to (ILCO)",
            ),
        ),
        migrations.AddField(
            model_name="supplydiscrepancyreport",
            name="line",
            field=mh.optional_fk("cases.caseline", related_name="+"),
        ),
        migrations.AddField(
            model_name="supplydiscrepancyreport",
            name="owner_org",
            field=mh.protected_fk(
                "core.organization", related_name="+", verbose_name="submitted by"
            ),
        ),
        migrations.AddConstraint(
            model_name="caseline",
            constraint=models.UniqueConstraint(
                fields=("case", "number"), name="case_line_number_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="caseamendment",
            constraint=models.UniqueConstraint(
                fields=("case", "number"), name="case_version_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="fmscase",
            index=models.Index(fields=["status"], name="cases_fmsca_status_295f6b_idx"),
        ),
        # The data of the old migrations, in their order (reference facts, triggers).
        # 0002_fms_facts_and_cta_data
        migrations.RunPython(add, remove),
    ]
