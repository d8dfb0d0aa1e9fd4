"""budget's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_budget_initial, 0002_budget_reference_data.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number).
"""

import datetime as dt
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations
from django.db import models

import secoop.core.markings
import secoop.core.models.pages
from secoop.core import migration_helpers as mh
from secoop.core.migration_batches import batched

# --- from 0001_budget_initial ---
# A budget request's stages (BudgetRequest.stage, RequestVersion.stage): stated once here.
STAGES = [
    ("sco", "Being drafted by the SCO"),
    ("ccmd", "With the CCMD"),
    ("joint_staff", "With the Joint Staff"),
    ("dsca", "With DSCA"),
    ("osd", "With OSD Policy"),
    ("dos", "With the Department of State"),
    ("allocated", "Allocation recorded"),
]

# The stages a call's step hands the request on from, or none (CallStep, NotionalStep).
STEP_STAGES = [
    ("", "No hand-off (information, meeting)"),
    ("sco", "Being drafted by the SCO"),
    ("ccmd", "With the CCMD"),
    ("joint_staff", "With the Joint Staff"),
    ("dsca", "With DSCA"),
    ("osd", "With OSD Policy"),
    ("dos", "With the Department of State"),
]


# --- from 0002_budget_reference_data ---
SAMM = "SAMM C2.3.3.1.8, Table C2.T2"
SAMM_DATE = dt.date(2012, 9, 12)  # "Page Updated 09-12-2012" on the SAMM C2 text
NOTE = "Notional: the real dates come with each year's call (FMF/IMET Budget Web Tool)."

# (order, timing, month, day, year offset from the budget FY, stage that hands on, action)
STEPS = [
    (
        1,
        "Mid August",
        8,
        15,
        -2,
        "",
        "DSCA provides preliminary information to SCOs in preparation for the annual FMF and IMET Budget data call.",
    ),
    (
        2,
        "Mid September",
        9,
        15,
        -2,
        "",
        "DSCA requests SCOs to prepare their annual budget submissions. SCOs formulate their budget requests.",
    ),
    (
        3,
        "Late October",
        10,
        25,
        -2,
        "sco",
        "SCOs submit their budget requests to the Combatant Commands, who review and modify the SCOs' requests, as required, to address DoD requirements.",
    ),
    (
        4,
        "Early November",
        11,
        5,
        -2,
        "",
        "DSCA conducts video conferences with OSD Policy Regional offices, Joint Staff, and each Combatant Command to review the SCO budget submissions, as required.",
    ),
    (
        5,
        "Mid December",
        12,
        15,
        -2,
        "ccmd",
        "Combatant Commands submit budget data to the Joint Staff, who reviews and ensures requirements are accurately addressed.",
    ),
    (
        6,
        "Early January",
        1,
        5,
        -1,
        "joint_staff",
        "Joint Staff submits budget data to DSCA. DSCA reviews the Joint Staff submission and makes adjustments as necessary to address legal, policy, and logistical execution issues as well as guidance compliance.",
    ),
    (
        7,
        "Early February",
        2,
        5,
        -1,
        "dsca",
        "DSCA submits budget data to OSD Policy Regional offices. They review the DSCA submission and make adjustments as necessary.",
    ),
    (
        8,
        "Mid February",
        2,
        15,
        -1,
        "",
        "DSCA prepares the DoS-approved FMF program baseline for the execution year for Congress.",
    ),
    (
        9,
        "Early March",
        3,
        5,
        -1,
        "",
        "DSCA coordinates and prepares the budget recommendation package for USD(P) approval. SCOs provide proposed spend plan updates for prior year uncommitted FMF funding.",
    ),
    (
        10,
        "Mid March",
        3,
        15,
        -1,
        "",
        "DSCA conducts video conferences with OSD Policy Regional offices, Joint Staff, and each Combatant Command to present the DoD budget recommendations and prepare for the State/PM budget roundtables.",
    ),
    (11, "Mid March", 3, 16, -1, "osd", "DoD budget recommendations are provided to DoS."),
    (12, "Mid April", 4, 15, -1, "dos", "State/PM conducts regional budget roundtables."),
]

FACTS = [
    (
        "fct-javits-mde-usd",
        "Javits report: possible sales of major defense equipment from this value",
        "7000000",
        "USD",
        SAMM_DATE,
        "AECA §25; SAMM C2.1.3.5.1",
        "R-FCT-02. Effective date: the SAMM C2 page date; the statutory figure is older.",
    ),
    (
        "fct-javits-other-usd",
        "Javits report: possible sales of other defense articles and services from this value",
        "25000000",
        "USD",
        SAMM_DATE,
        "AECA §25; SAMM C2.1.3.5.1",
        "R-FCT-02. Effective date: the SAMM C2 page date; the statutory figure is older.",
    ),
    (
        "fct-sales-forecast-probability-percent",
        "FMS sales forecast: only sales at least this likely (highly probable)",
        "90",
        "percent",
        SAMM_DATE,
        "SAMM C2.1.3.5.2 (DSCA defines highly probable as 90% likelihood)",
        "R-FCT-03.",
    ),
    (
        "fct-sales-forecast-fiscal-years",
        "FMS sales forecast: how many fiscal years it projects",
        "2",
        "years",
        SAMM_DATE,
        "SAMM C2.1.3.5.3",
        "R-FCT-03.",
    ),
    (
        "fct-consonance-tolerance-percent",
        "Consonance check: two amounts disagree when they differ by more than this share of the larger",
        "10",
        "percent",
        SAMM_DATE,
        "secoop default for R-FCT-04 (SAMM C2.1.3.5.4 sets no figure)",
        "To confirm with DSCA: no public source gives a tolerance.",
    ),
]


def load(apps, schema_editor):
    NotionalStep = apps.get_model("budget", "NotionalStep")
    for order, timing, month, day, offset, stage, action in STEPS:
        NotionalStep.objects.update_or_create(
            effective_from=SAMM_DATE,
            order=order,
            defaults={
                "timing": timing,
                "month": month,
                "day": day,
                "year_offset": offset,
                "stage": stage,
                "action": action,
                "source": SAMM,
                "notes": NOTE,
            },
        )
    mh.write_facts(apps, FACTS)


class Migration(migrations.Migration):
    replaces = [("budget", "0001_budget_initial"), ("budget", "0002_budget_reference_data")]

    initial = True

    dependencies = [
        ("cases", "0001_squashed"),
        ("core", "0001_squashed"),
        ("planning", "0001_squashed"),
    ]

    operations = [
        migrations.CreateModel(
            name="BudgetCall",
            fields=[
                *mh.marked_record_fields(),
                (
                    "budget_fy",
                    mh.fiscal_year(
                        help_text="The fiscal year the funds are for (executed two years after the call).",
                        unique=True,
                        verbose_name="budget fiscal year",
                    ),
                ),
                ("issued_on", models.DateField()),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="The call's message or the Budget Web Tool posting.",
                        max_length=300,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["-budget_fy"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="BudgetRequest",
            fields=[
                *mh.marked_record_fields(),
                (
                    "budget_fy",
                    mh.fiscal_year(
                        editable=False,
                        help_text="The call's budget year, named with the request (set from the call).",
                        verbose_name="budget fiscal year",
                    ),
                ),
                (
                    "stage",
                    models.CharField(choices=STAGES, default="sco", editable=False, max_length=12),
                ),
                (
                    "uncommitted_fmf",
                    mh.non_negative_usd(
                        default=Decimal("0"),
                        max_digits=14,
                        verbose_name="uncommitted FMF balance (USD)",
                    ),
                ),
                (
                    "uncommitted_plan",
                    models.TextField(
                        blank=True,
                        help_text="R-BUD-03: how it will be used.",
                        verbose_name="plan for the uncommitted balance",
                    ),
                ),
                (
                    "uncommitted_commit_by",
                    mh.optional_date(
                        help_text="R-BUD-03: the timeframe.", verbose_name="to be committed by"
                    ),
                ),
                (
                    "allocated_fmf",
                    mh.non_negative_usd(
                        blank=True,
                        editable=False,
                        max_digits=14,
                        null=True,
                        verbose_name="FMF allocated (USD)",
                    ),
                ),
                (
                    "allocated_imet",
                    mh.non_negative_usd(
                        blank=True,
                        editable=False,
                        max_digits=14,
                        null=True,
                        verbose_name="IMET allocated (USD)",
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("call", mh.protected_fk("budget.budgetcall", related_name="requests")),
                *mh.country_and_owner(verbose_name="SCO"),
            ],
            options={
                "ordering": ["-budget_fy", "country__name"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="CallStep",
            fields=[
                *mh.marked_record_fields(),
                ("order", models.PositiveSmallIntegerField()),
                ("stage", models.CharField(blank=True, choices=STEP_STAGES, max_length=12)),
                ("action", models.TextField()),
                ("due_on", models.DateField()),
                ("source", models.CharField(max_length=200)),
                ("call", mh.parent_fk("budget.budgetcall", related_name="steps")),
            ],
            options={
                "ordering": ["call", "order"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ForecastSubmission",
            fields=[
                *mh.marked_record_fields(),
                (
                    "report_year",
                    mh.fiscal_year(
                        help_text="The Javits calendar year and the first fiscal year of the sales forecast."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted to the CCMD and DSCA"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("submitted_on", mh.action_date()),
                ("notes", models.TextField(blank=True)),
                *mh.country_and_owner(verbose_name="SCO"),
            ],
            options={
                "ordering": ["-report_year", "country__name"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ForecastSale",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "channel",
                    models.CharField(
                        choices=[
                            ("fms", "FMS (Foreign Military Sales)"),
                            ("dcs", "DCS (Direct Commercial Sale)"),
                            ("eda", "EDA (Excess Defense Articles)"),
                        ],
                        max_length=4,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("mde", "Major defense equipment (MDE)"),
                            ("other", "Other defense articles and services"),
                        ],
                        max_length=6,
                    ),
                ),
                ("value", mh.non_negative_usd(max_digits=14, verbose_name="estimated value (USD)")),
                (
                    "probability",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="probability (%)",
                    ),
                ),
                (
                    "expected_on",
                    models.DateField(verbose_name="expected sale (LOA signature / license) date"),
                ),
                ("fmf_funded", models.BooleanField(default=False, verbose_name="paid with FMF")),
                ("notes", models.TextField(blank=True)),
                (
                    "lor",
                    mh.optional_fk("cases.letterofrequest", related_name="+", verbose_name="LOR"),
                ),
                (
                    "objective",
                    mh.optional_fk(
                        "planning.intermediateobjective",
                        related_name="+",
                        verbose_name="country-plan objective (IMO / outcome)",
                    ),
                ),
                ("submission", mh.parent_fk("budget.forecastsubmission", related_name="sales")),
            ],
            options={
                "ordering": ["submission", "expected_on", "pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="MissionObjective",
            fields=[
                *mh.marked_record_fields(),
                (
                    "code",
                    models.CharField(
                        help_text="As the MSRP/ICS numbers it, e.g. 'MO 2.1'.", max_length=20
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                ("first_fy", mh.fiscal_year()),
                ("last_fy", mh.fiscal_year()),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "ics",
                    mh.optional_fk(
                        "planning.guidancedocument", related_name="+", verbose_name="ICS"
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", help_text="The embassy.", related_name="+"
                    ),
                ),
            ],
            options={
                "verbose_name": "MSRP/ICS objective",
                "ordering": ["country", "code"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="NotionalStep",
            fields=[
                mh.id_field(),
                ("order", models.PositiveSmallIntegerField()),
                (
                    "timing",
                    models.CharField(
                        help_text="As the table says it, e.g. 'Mid August'.", max_length=40
                    ),
                ),
                (
                    "month",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ]
                    ),
                ),
                (
                    "day",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(28),
                        ]
                    ),
                ),
                (
                    "year_offset",
                    models.SmallIntegerField(
                        help_text="Calendar year relative to the budget fiscal year: -2 for mid-August before a request whose funds are executed two years later."
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        blank=True,
                        choices=STEP_STAGES,
                        help_text="The stage whose holder hands the request on by this date; empty for a meeting.",
                        max_length=12,
                    ),
                ),
                ("action", models.TextField()),
                ("source", models.CharField(max_length=200)),
                ("effective_from", models.DateField()),
                ("notes", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["effective_from", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("effective_from", "order"), name="budget_step_order"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RequestVersion",
            fields=[
                *mh.marked_record_fields(),
                ("number", models.PositiveSmallIntegerField()),
                (
                    "stage",
                    models.CharField(
                        choices=STAGES, help_text="The stage that handed it on.", max_length=12
                    ),
                ),
                ("made_on", models.DateField()),
                ("content", models.JSONField(default=list)),
                ("made_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("request", mh.parent_fk("budget.budgetrequest", related_name="versions")),
            ],
            options={
                "ordering": ["request", "number"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Requirement",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "funding_source",
                    models.CharField(
                        choices=[
                            ("fmf", "FMF (Foreign Military Financing)"),
                            ("imet", "IMET (training)"),
                        ],
                        max_length=4,
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("materiel", "Materiel (defense articles)"),
                            ("services", "Defense services"),
                            ("training", "Education and training"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "priority",
                    models.PositiveSmallIntegerField(help_text="1 is highest (R-BUD-01)."),
                ),
                ("objective", models.TextField(help_text="What needs to be accomplished and why.")),
                (
                    "capability",
                    models.CharField(
                        choices=[
                            ("create", "Created"),
                            ("enhance", "Enhanced"),
                            ("maintain", "Maintained"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "capability_text",
                    models.TextField(
                        help_text="The capability it creates, enhances or maintains.",
                        verbose_name="capability",
                    ),
                ),
                (
                    "time_to_achieve",
                    models.CharField(max_length=200, verbose_name="time to achieve the objective"),
                ),
                ("end_state", models.TextField(verbose_name="desired end state")),
                (
                    "justification",
                    models.TextField(
                        help_text="The materiel/services required and why they are critical."
                    ),
                ),
                (
                    "activity",
                    mh.optional_fk(
                        "planning.activity", related_name="+", verbose_name="country-plan activity"
                    ),
                ),
                (
                    "mission_objective",
                    mh.optional_fk(
                        "budget.missionobjective",
                        help_text="R-BUD-04: the Chief of Mission's objective it serves.",
                        related_name="requirements",
                        verbose_name="MSRP/ICS objective",
                    ),
                ),
                ("request", mh.parent_fk("budget.budgetrequest", related_name="requirements")),
            ],
            options={
                "ordering": ["request", "priority", "pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="RequirementYear",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("amount", mh.non_negative_usd(max_digits=14, verbose_name="amount (USD)")),
                ("requirement", mh.parent_fk("budget.requirement", related_name="years")),
            ],
            options={
                "ordering": ["requirement", "fiscal_year"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddConstraint(
            model_name="budgetrequest",
            constraint=models.UniqueConstraint(
                fields=("call", "country"),
                name="budget_request_per_call",
                violation_error_message="This country already has a request for this budget call: open it and add the requirement there.",
            ),
        ),
        migrations.AddConstraint(
            model_name="callstep",
            constraint=models.UniqueConstraint(fields=("call", "order"), name="budget_call_step"),
        ),
        migrations.AddConstraint(
            model_name="forecastsubmission",
            constraint=models.UniqueConstraint(
                fields=("country", "report_year"),
                name="budget_one_forecast_a_year",
                violation_error_message="R-FCT-01: one SCO submission per year: this country's forecast for this year exists; add the sale to it.",
            ),
        ),
        migrations.AddConstraint(
            model_name="requestversion",
            constraint=models.UniqueConstraint(
                fields=("request", "number"), name="budget_version_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="requirementyear",
            constraint=models.UniqueConstraint(
                fields=("requirement", "fiscal_year"), name="budget_need_per_fy"
            ),
        ),
        # 0002_budget_reference_data
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
    operations = batched(operations)
