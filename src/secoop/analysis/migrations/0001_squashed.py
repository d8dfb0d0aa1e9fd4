"""analysis's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_analysis_initial, 0002_analysis_programs, 0003_analysis_list_indexes.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number).
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations
from django.db import models

import secoop.core.fiscal
import secoop.core.markings
import secoop.core.models.pages
from secoop.core import migration_helpers as mh
from secoop.core.dbindex import Releasability
from secoop.core.dbindex import list_indexes
from secoop.core.dbindex import sorted_indexes
from secoop.core.dbindex import trigram_indexes
from secoop.core.migration_batches import batched

# --- from 0001_analysis_initial ---
# Low / moderate / high: the same choices on four fields below.
LEVELS = [("low", "Low"), ("moderate", "Moderate"), ("high", "High")]


# --- from 0002_analysis_programs ---
def load(apps, schema_editor):
    from secoop.analysis.catalog import load_programs

    load_programs(apps.get_model("analysis", "Program"))


# --- from 0003_analysis_list_indexes ---
MARKED = (
    "Program",
    "CapabilityAnalysis",
    "Gap",
    "SolutionOption",
    "OptionCost",
    "PlannedResource",
    "Scenario",
    "ScenarioBudget",
    "ScenarioCountry",
    "ScenarioWeight",
    "ScenarioPlan",
)


class Migration(migrations.Migration):
    replaces = [
        ("analysis", "0001_analysis_initial"),
        ("analysis", "0002_analysis_programs"),
        ("analysis", "0003_analysis_list_indexes"),
    ]

    initial = True

    dependencies = [
        ("core", "0001_squashed"),
        ("planning", "0001_squashed"),
    ]

    operations = [
        migrations.CreateModel(
            name="CapabilityAnalysis",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "role_kind",
                    models.CharField(
                        choices=[
                            ("primary", "Primary role"),
                            ("supporting", "Supporting role"),
                            ("governance", "Governance / oversight role"),
                        ],
                        default="primary",
                        max_length=12,
                        verbose_name="kind of role",
                    ),
                ),
                (
                    "partner_role",
                    models.TextField(
                        help_text="The partner unit and what it does.",
                        verbose_name="role the partner is to play",
                    ),
                ),
                (
                    "partner_desire",
                    models.CharField(
                        choices=[
                            ("willing", "Willing: political and civil-society consensus"),
                            ("uncertain", "Uncertain: consensus not yet shown"),
                            ("unwilling", "No will to play the role"),
                        ],
                        default="uncertain",
                        max_length=10,
                        verbose_name="partner's desire to play it",
                    ),
                ),
                (
                    "desire_notes",
                    models.TextField(
                        blank=True,
                        help_text="Political and civil-society consensus, public opinion, priorities, fiscal realities.",
                        verbose_name="evidence of the partner's desire",
                    ),
                ),
                ("required_capability", models.TextField(blank=True)),
                ("current_capability", models.TextField(blank=True)),
                (
                    "operational_risk",
                    models.CharField(choices=LEVELS, default="moderate", max_length=8),
                ),
                (
                    "political_risk",
                    models.CharField(choices=LEVELS, default="moderate", max_length=8),
                ),
                ("urgency", models.CharField(choices=LEVELS, default="moderate", max_length=8)),
                ("prioritizing", models.TextField(blank=True)),
                ("deriving", models.TextField(blank=True)),
                ("integrating", models.TextField(blank=True)),
                ("balancing", models.TextField(blank=True)),
                ("sequencing", models.TextField(blank=True)),
                ("resourcing", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("ready", "Ready for resourcing")],
                        default="draft",
                        editable=False,
                        max_length=8,
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "imo",
                    mh.protected_fk(
                        "planning.intermediateobjective",
                        related_name="capability_analyses",
                        verbose_name="IMO / outcome",
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="owning organization"
                    ),
                ),
            ],
            options={
                "verbose_name": "capabilities-based analysis",
                "verbose_name_plural": "capabilities-based analyses",
                "ordering": ["country__name", "title"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Gap",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "dotmlpf",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("D", "Doctrine"),
                            ("O", "Organization"),
                            ("T", "Training"),
                            ("M", "Materiel"),
                            ("L", "Leadership and education"),
                            ("P", "Personnel"),
                            ("F", "Facilities"),
                            ("Pol", "Policy"),
                        ],
                        max_length=3,
                        verbose_name="DOTMLPF-P",
                    ),
                ),
                (
                    "joint_function",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("c2", "Command and control"),
                            ("movement", "Movement and maneuver"),
                            ("intelligence", "Intelligence"),
                            ("fires", "Fires"),
                            ("sustainment", "Sustainment"),
                            ("protection", "Protection"),
                            ("information", "Information"),
                        ],
                        max_length=12,
                    ),
                ),
                ("required", models.TextField(blank=True, verbose_name="required capability")),
                ("current", models.TextField(blank=True, verbose_name="current capability")),
                (
                    "risk",
                    models.CharField(
                        choices=LEVELS,
                        default="moderate",
                        max_length=8,
                        verbose_name="risk if it persists",
                    ),
                ),
                ("analysis", mh.parent_fk("analysis.capabilityanalysis", related_name="gaps")),
            ],
            options={
                "verbose_name": "capability gap",
                "ordering": ["analysis", "dotmlpf", "title"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="PlannedResource",
            fields=[
                *mh.marked_record_fields(),
                (
                    "provider_kind",
                    models.CharField(
                        choices=[
                            ("partner", "The partner"),
                            ("us_agency", "Another U.S. agency (DoS Title 22, DHS, DOJ, USAID…)"),
                            ("third_country", "A third country"),
                        ],
                        max_length=14,
                    ),
                ),
                (
                    "provider",
                    models.CharField(
                        help_text="e.g. Bandaria MoD, DoS INL, France.", max_length=200
                    ),
                ),
                ("description", models.CharField(max_length=400)),
                ("fiscal_year", mh.fiscal_year()),
                ("amount", mh.non_negative_usd(max_digits=14, verbose_name="amount (USD)")),
                ("gap", mh.parent_fk("analysis.gap", related_name="planned_resources")),
            ],
            options={
                "verbose_name": "resource planned by others",
                "verbose_name_plural": "resources planned by others",
                "ordering": ["gap", "fiscal_year", "provider"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Program",
            fields=[
                *mh.marked_record_fields(),
                (
                    "key",
                    models.CharField(
                        help_text="How planners name it, e.g. 10 USC 333.",
                        max_length=40,
                        unique=True,
                    ),
                ),
                (
                    "abbreviation",
                    models.CharField(blank=True, help_text="e.g. S333 / BPC.", max_length=60),
                ),
                ("name", models.CharField(max_length=300)),
                (
                    "authority",
                    models.CharField(help_text="The statute, e.g. 10 U.S.C. 333.", max_length=300),
                ),
                (
                    "title_code",
                    models.CharField(
                        choices=[
                            ("T10", "Title 10 (DoD)"),
                            ("T22", "Title 22 (DoS)"),
                            ("T10/T22", "Title 10 and Title 22"),
                        ],
                        default="T10",
                        max_length=8,
                        verbose_name="title",
                    ),
                ),
                ("funds", models.CharField(blank=True, max_length=300, verbose_name="who funds")),
                (
                    "executes",
                    models.CharField(
                        blank=True, max_length=400, verbose_name="who administers / executes"
                    ),
                ),
                ("purpose", models.TextField(blank=True)),
                (
                    "dotmlpf",
                    models.CharField(
                        blank=True,
                        help_text="Codes separated by commas: D, O, T, M, L, P, F, Pol.",
                        max_length=40,
                        verbose_name="may buy (DOTMLPF-P)",
                    ),
                ),
                (
                    "is_bpc",
                    models.BooleanField(
                        default=False,
                        help_text="BPC programs require a DOTMLPF-P analysis (R-CBA-01).",
                        verbose_name="Building Partner Capacity program",
                    ),
                ),
                ("eligibility", models.TextField(blank=True, verbose_name="eligibility limits")),
                (
                    "eligible_countries",
                    models.CharField(
                        blank=True,
                        help_text="ISO alpha-3 codes separated by commas when the program is limited to named countries; empty when any eligible partner may receive it.",
                        max_length=400,
                    ),
                ),
                (
                    "lifespan_years",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Money of FY y may pay costs in FY y … y + lifespan − 1.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(10),
                        ],
                        verbose_name="money lifespan (years)",
                    ),
                ),
                ("lifespan_note", models.CharField(blank=True, max_length=300)),
                ("submission_deadline", models.CharField(blank=True, max_length=300)),
                (
                    "lead_time_months",
                    models.PositiveSmallIntegerField(
                        default=12,
                        help_text="From request to the first delivery or event, as planners use it.",
                        verbose_name="lead time (months)",
                    ),
                ),
                (
                    "notification",
                    models.CharField(blank=True, max_length=400, verbose_name="notification needs"),
                ),
                ("caps", models.TextField(blank=True, verbose_name="caps and other limits")),
                (
                    "funding_source",
                    models.CharField(
                        choices=mh.activity_funding_choices(),
                        default="other",
                        help_text="How a committed activity's funding line names it (planning).",
                        max_length=12,
                        verbose_name="planning funding source",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("current", "Current"),
                            ("expiring", "Current, with a built-in expiry"),
                            (
                                "initiative",
                                "Initiative or budget label (points to other authorities)",
                            ),
                            ("historical", "Expired or historical"),
                        ],
                        default="current",
                        max_length=12,
                    ),
                ),
                (
                    "unconfirmed",
                    models.TextField(
                        blank=True,
                        help_text="Facts of this row that no source read confirms (check them).",
                    ),
                ),
                ("source", models.CharField(max_length=500)),
                (
                    "effective_from",
                    models.DateField(help_text="The date the facts were read as in force."),
                ),
                ("owner_org", mh.optional_fk("core.organization", related_name="+")),
            ],
            options={
                "verbose_name": "SC program",
                "verbose_name_plural": "SC programs",
                "ordering": ["key"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Scenario",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "ccmd",
                    models.CharField(
                        blank=True,
                        choices=mh.ccmd_choices(),
                        help_text="The theater whose countries compete for the money.",
                        max_length=10,
                        verbose_name="combatant command",
                    ),
                ),
                ("start_fy", mh.fiscal_year(verbose_name="first fiscal year")),
                ("end_fy", mh.fiscal_year(verbose_name="last fiscal year")),
                ("notes", models.TextField(blank=True)),
                (
                    "time_limit_seconds",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(600),
                        ],
                        verbose_name="solve time limit (seconds)",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("solved", "Solved"),
                            ("committed", "Committed to planned activities"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=10,
                    ),
                ),
                (
                    "solve_state",
                    models.CharField(blank=True, default="", editable=False, max_length=10),
                ),
                ("solve_progress", models.FloatField(default=0, editable=False)),
                ("solve_message", models.CharField(blank=True, editable=False, max_length=500)),
                ("committed_method", models.CharField(blank=True, editable=False, max_length=12)),
                ("committed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "committed_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="owning organization"
                    ),
                ),
            ],
            options={
                "ordering": ["-start_fy", "title"],
            },
            bases=(
                secoop.core.fiscal.FiscalPeriod,
                secoop.core.models.pages.RecordPage,
                models.Model,
            ),
        ),
        migrations.CreateModel(
            name="SolutionOption",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "lead_time_months",
                    models.PositiveSmallIntegerField(default=12, verbose_name="lead time (months)"),
                ),
                (
                    "latest_start_fy",
                    mh.fiscal_year(
                        blank=True, null=True, verbose_name="latest start (fiscal year)"
                    ),
                ),
                (
                    "expected_effect",
                    mh.usd(
                        default=Decimal("0.50"),
                        help_text="Share of the gap it closes, 0 to 1.",
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("1")),
                        ],
                    ),
                ),
                ("dod_support", models.BooleanField(default=False, verbose_name="DoD supports it")),
                (
                    "dos_support",
                    models.BooleanField(
                        default=False, verbose_name="DoS / other agencies support it"
                    ),
                ),
                (
                    "partner_support",
                    models.BooleanField(default=False, verbose_name="the partner supports it"),
                ),
                ("affordable", models.BooleanField(default=True)),
                ("feasible", models.BooleanField(default=True)),
                ("responsive", models.BooleanField(default=True)),
                (
                    "excludes",
                    models.ManyToManyField(
                        blank=True,
                        to="analysis.solutionoption",
                        verbose_name="mutually exclusive options",
                    ),
                ),
                ("gap", mh.parent_fk("analysis.gap", related_name="options")),
                (
                    "programs",
                    models.ManyToManyField(
                        blank=True,
                        related_name="options",
                        to="analysis.program",
                        verbose_name="programs that could fund it",
                    ),
                ),
                (
                    "requires",
                    models.ManyToManyField(
                        blank=True,
                        related_name="required_by",
                        to="analysis.solutionoption",
                        verbose_name="prerequisite options",
                    ),
                ),
            ],
            options={
                "verbose_name": "solution option",
                "ordering": ["gap", "title"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ScenarioBudget",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("amount", mh.non_negative_usd(max_digits=14, verbose_name="new money (USD)")),
                ("program", mh.protected_fk("analysis.program", related_name="+")),
                ("scenario", mh.parent_fk("analysis.scenario", related_name="budgets")),
            ],
            options={
                "verbose_name": "scenario budget line",
                "ordering": ["scenario", "program", "fiscal_year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scenario", "program", "fiscal_year"), name="scenario_budget_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ScenarioCountry",
            fields=[
                *mh.marked_record_fields(),
                (
                    "absorb_per_year",
                    mh.non_negative_usd(
                        blank=True,
                        max_digits=14,
                        null=True,
                        verbose_name="most it can absorb per fiscal year (USD)",
                    ),
                ),
                (
                    "min_total",
                    mh.non_negative_usd(
                        blank=True,
                        max_digits=14,
                        null=True,
                        verbose_name="minimum over the scenario (USD)",
                    ),
                ),
                (
                    "max_total",
                    mh.non_negative_usd(
                        blank=True,
                        max_digits=14,
                        null=True,
                        verbose_name="maximum over the scenario (USD)",
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                ("scenario", mh.parent_fk("analysis.scenario", related_name="countries")),
            ],
            options={
                "verbose_name": "scenario country",
                "verbose_name_plural": "scenario countries",
                "ordering": ["scenario", "country__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scenario", "country"), name="scenario_country_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ScenarioPlan",
            fields=[
                *mh.marked_record_fields(),
                ("method", models.CharField(max_length=12)),
                ("status", models.CharField(max_length=12)),
                ("value", models.FloatField(default=0)),
                ("gap", models.FloatField(blank=True, null=True)),
                ("seconds", models.FloatField(default=0)),
                ("choices", models.JSONField(blank=True, default=list)),
                ("not_chosen", models.JSONField(blank=True, default=dict)),
                ("options", models.JSONField(blank=True, default=dict)),
                ("activity_ids", models.JSONField(blank=True, default=list)),
                ("problems", models.JSONField(blank=True, default=list)),
                ("scenario", mh.parent_fk("analysis.scenario", related_name="plans")),
            ],
            options={
                "ordering": ["scenario", "method"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scenario", "method"), name="scenario_plan_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ScenarioWeight",
            fields=[
                *mh.marked_record_fields(),
                ("weight", mh.non_negative_usd(max_digits=6)),
                ("analysis", mh.parent_fk("analysis.capabilityanalysis", related_name="+")),
                ("scenario", mh.parent_fk("analysis.scenario", related_name="weights")),
            ],
            options={
                "ordering": ["scenario", "analysis"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scenario", "analysis"), name="scenario_weight_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="OptionCost",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("amount", mh.non_negative_usd(max_digits=14, verbose_name="amount (USD)")),
                ("option", mh.parent_fk("analysis.solutionoption", related_name="costs")),
            ],
            options={
                "ordering": ["option", "fiscal_year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("option", "fiscal_year"), name="option_cost_fy_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        # 0002_analysis_programs
        migrations.RunPython(load, migrations.RunPython.noop),
        # 0003_analysis_list_indexes
        list_indexes(
            "analysis",
            *sorted_indexes(
                "Program",
                "name",
                "title_code",
                "is_bpc",
                "lifespan_years",
                "lead_time_months",
                "status",
            ),  # fmt: skip
            *sorted_indexes("CapabilityAnalysis", "title", "role_kind", "partner_desire", "status"),
            *sorted_indexes("Scenario", "start_fy", "title", "ccmd", "status"),
            *trigram_indexes(
                "Program", "key", "abbreviation", "name", "authority", "purpose", "executes"
            ),  # fmt: skip
            *trigram_indexes(
                "CapabilityAnalysis",
                "title",
                "partner_role",
                "required_capability",
                "current_capability",
            ),  # fmt: skip
            *trigram_indexes("Scenario", "title", "notes"),
            *(Releasability(model) for model in MARKED),
        ),
    ]
    operations = batched(operations)
