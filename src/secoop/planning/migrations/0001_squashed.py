"""planning's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_squashed_0002_rff_lead_time_fact, 0003_reschedule_record, 0004_list_indexes,
0005_search_full_text.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.db import models

from secoop.core import migration_helpers as mh
from secoop.core.dbindex import Releasability
from secoop.core.dbindex import list_indexes
from secoop.core.dbindex import search_documents
from secoop.core.dbindex import sorted_indexes
from secoop.core.dbindex import trigram_indexes
from secoop.core.migration_batches import batched

# --- from 0001_squashed_0002_rff_lead_time_fact ---
KEY = "rff-lead-time-days"


def add_fact(apps, schema_editor):
    mh.write_facts(
        apps,
        [
            (
                KEY,
                "Request-for-forces lead time (default for activities needing U.S. forces)",
                365,
                "days",
                dt.date(2020, 12, 1),
                'Security cooperation planning textbook, "Requirements Coordination and Integration" '
                "(SPEC R-PLN-10): planning timelines are moved a year to allow for the RFF process",
                "Global Force Management. Effective date approximate: the chapter cites JP 5-0 of "
                "1 December 2020. An activity may carry its own lead time instead.",
            )
        ],
    )


def remove_fact(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key=KEY).delete()


# --- from 0004_list_indexes ---
MARKED = (
    "GuidanceDocument",
    "CampaignPlan",
    "EndState",
    "LineOfEffort",
    "IntermediateObjective",
    "Measure",
    "LineOfActivity",
    "CountryPlan",
    "Phase",
    "Activity",
    "ActivityFunding",
    "ActivityDependency",
    "Reschedule",
    "PlanningAssumption",
    "PlanningEvent",
)


class Migration(migrations.Migration):
    replaces = [
        ("planning", "0001_initial"),
        ("planning", "0002_rff_lead_time_fact"),
        ("planning", "0001_squashed_0002_rff_lead_time_fact"),
        ("planning", "0003_reschedule_record"),
        ("planning", "0004_list_indexes"),
        ("planning", "0005_search_full_text"),
    ]

    initial = True

    dependencies = [
        ("core", "0001_squashed"),
    ]

    operations = [
        migrations.CreateModel(
            name="CampaignPlan",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("gcp", "Global campaign plan (GCP)"),
                            ("fcp", "Functional campaign plan (FCP)"),
                            ("ccp", "CCMD campaign plan (CCP)"),
                            ("csp", "Campaign support plan"),
                        ],
                        default="ccp",
                        max_length=4,
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("start_fy", mh.fiscal_year(verbose_name="first fiscal year")),
                ("end_fy", mh.fiscal_year(verbose_name="last fiscal year")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("approved", "Approved")],
                        default="draft",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("approved_on", mh.action_date()),
                ("summary", models.TextField(blank=True)),
                (
                    "approved_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The combatant command (or, for a campaign support plan, the MILDEP or agency).",
                        related_name="+",
                        verbose_name="owning organization",
                    ),
                ),
                (
                    "supports",
                    mh.optional_fk(
                        "planning.campaignplan",
                        help_text="For a campaign support plan: the plan it supports.",
                        related_name="support_plans",
                    ),
                ),
            ],
            options={
                "ordering": ["-start_fy", "title"],
            },
        ),
        migrations.CreateModel(
            name="EndState",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("theater", "Theater strategic end state"),
                            ("sc_objective", "SC objective"),
                        ],
                        default="theater",
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "priority",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="1 is highest.", null=True
                    ),
                ),
                (
                    "campaign_plan",
                    mh.protected_fk("planning.campaignplan", related_name="end_states"),
                ),
            ],
            options={
                "verbose_name": "end state / SC objective",
                "verbose_name_plural": "end states / SC objectives",
                "ordering": ["campaign_plan", "priority", "title"],
            },
        ),
        migrations.CreateModel(
            name="GuidanceDocument",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("nss", "National Security Strategy (NSS)"),
                            ("nds", "National Defense Strategy (NDS)"),
                            ("nms", "National Military Strategy (NMS)"),
                            ("jscp", "Joint Strategic Campaign Plan (JSCP)"),
                            ("gef", "GEF / SC planning guidance"),
                            ("jsp", "DoS–USAID Joint Strategic Plan (JSP)"),
                            ("jrs", "Joint Regional Strategy (JRS)"),
                            ("fbs", "Functional Bureau Strategy (FBS)"),
                            ("ics", "Integrated Country Strategy (ICS)"),
                            ("cdcs", "USAID Country Development Cooperation Strategy (CDCS)"),
                            ("contingency", "Contingency plan"),
                            ("other", "Other guidance"),
                        ],
                        max_length=12,
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                (
                    "issued_by",
                    models.CharField(
                        blank=True,
                        help_text="e.g. The White House, OUSD(P), U.S. Embassy Bandaria.",
                        max_length=200,
                    ),
                ),
                ("issued_on", mh.optional_date()),
                ("summary", models.TextField(blank=True)),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="Where to find it (citation or link).", max_length=300
                    ),
                ),
                (
                    "country",
                    mh.optional_fk(
                        "core.country",
                        help_text="For a country strategy (ICS, CDCS).",
                        related_name="+",
                    ),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "verbose_name": "guidance document",
                "ordering": ["kind", "-issued_on", "title"],
            },
        ),
        migrations.CreateModel(
            name="CountryPlan",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                ("version", models.PositiveSmallIntegerField(default=1)),
                ("issued_on", mh.optional_date(help_text="Updated at least annually (R-PLN-05).")),
                ("start_fy", mh.fiscal_year(verbose_name="first fiscal year")),
                ("end_fy", mh.fiscal_year(verbose_name="last fiscal year")),
                ("country_assessment", models.TextField(blank=True)),
                ("country_objectives", models.TextField(blank=True)),
                (
                    "ccp_reference",
                    models.TextField(
                        blank=True, verbose_name="reference to the CCMD campaign plan"
                    ),
                ),
                (
                    "ics_reference",
                    models.TextField(blank=True, verbose_name="reference to the embassy ICS"),
                ),
                ("concept_of_engagement", models.TextField(blank=True)),
                ("coordinating_instructions", models.TextField(blank=True)),
                (
                    "campaign_plan",
                    mh.protected_fk(
                        "planning.campaignplan",
                        related_name="country_plans",
                        verbose_name="CCMD campaign plan",
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="owning organization"
                    ),
                ),
                (
                    "ics",
                    mh.optional_fk(
                        "planning.guidancedocument", related_name="+", verbose_name="embassy ICS"
                    ),
                ),
            ],
            options={
                "verbose_name": "country plan (CSCS)",
                "verbose_name_plural": "country plans (CSCS)",
                "ordering": ["country__name", "-version"],
            },
        ),
        migrations.AddField(
            model_name="campaignplan",
            name="guidance",
            field=models.ManyToManyField(
                blank=True, related_name="plans", to="planning.guidancedocument"
            ),
        ),
        migrations.CreateModel(
            name="IntermediateObjective",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "term",
                    models.CharField(
                        choices=[("near", "Near term"), ("mid", "Mid term"), ("long", "Long term")],
                        default="near",
                        max_length=4,
                    ),
                ),
                ("statement", models.TextField(blank=True, verbose_name="what is expected")),
                ("by_whom", models.CharField(blank=True, max_length=300)),
                (
                    "with_whom",
                    models.CharField(blank=True, max_length=300, verbose_name="for / with whom"),
                ),
                (
                    "authority",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="authority / program"
                    ),
                ),
                ("resources", models.TextField(blank=True)),
                (
                    "partner_agreement_on",
                    mh.optional_date(verbose_name="partner agreement recorded on"),
                ),
                ("political_risk_considered", models.BooleanField(default=False)),
                ("fiscal_risk_considered", models.BooleanField(default=False)),
                ("risk_notes", models.TextField(blank=True)),
                (
                    "priority",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="1 is highest.", null=True
                    ),
                ),
                ("deadline", mh.optional_date()),
                (
                    "end_state",
                    mh.optional_fk(
                        "planning.endstate",
                        related_name="imos",
                        verbose_name="end state / SC objective",
                    ),
                ),
            ],
            options={
                "verbose_name": "IMO / outcome",
                "verbose_name_plural": "IMOs / outcomes",
                "ordering": ["line_of_effort", "deadline", "title"],
            },
        ),
        migrations.CreateModel(
            name="LineOfActivity",
            fields=[
                *mh.marked_record_fields(),
                ("name", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "imo",
                    mh.protected_fk(
                        "planning.intermediateobjective",
                        related_name="lines_of_activity",
                        verbose_name="IMO / outcome",
                    ),
                ),
            ],
            options={
                "verbose_name": "line of activity",
                "verbose_name_plural": "lines of activity",
                "ordering": ["imo", "name"],
            },
        ),
        migrations.CreateModel(
            name="LineOfEffort",
            fields=[
                *mh.marked_record_fields(),
                ("name", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "sequence",
                    models.PositiveSmallIntegerField(
                        default=1, help_text="Row order in the synchronization matrix."
                    ),
                ),
                (
                    "campaign_plan",
                    mh.protected_fk("planning.campaignplan", related_name="lines_of_effort"),
                ),
                (
                    "country",
                    mh.optional_fk(
                        "core.country",
                        help_text="The partner, for a country-specific LOE; empty for a regional one.",
                        related_name="+",
                    ),
                ),
                ("end_state", mh.optional_fk("planning.endstate", related_name="lines_of_effort")),
            ],
            options={
                "verbose_name": "LOE / SSCI",
                "verbose_name_plural": "LOEs / SSCIs",
                "ordering": ["campaign_plan", "sequence", "name"],
            },
        ),
        migrations.AddField(
            model_name="intermediateobjective",
            name="line_of_effort",
            field=mh.protected_fk(
                "planning.lineofeffort", related_name="imos", verbose_name="LOE / SSCI"
            ),
        ),
        migrations.CreateModel(
            name="Measure",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("MOP", "Measure of performance (MOP)"),
                            ("MOE", "Measure of effectiveness (MOE)"),
                        ],
                        max_length=3,
                    ),
                ),
                ("indicator", models.CharField(blank=True, max_length=300)),
                ("method", models.TextField(blank=True, verbose_name="method of measurement")),
                ("unit", models.CharField(blank=True, max_length=40)),
                ("baseline", mh.usd(blank=True, max_digits=14, null=True)),
                ("baseline_on", mh.optional_date()),
                (
                    "target",
                    mh.usd(blank=True, max_digits=14, null=True, verbose_name="target quantity"),
                ),
                ("target_on", mh.optional_date()),
                (
                    "imo",
                    mh.parent_fk(
                        "planning.intermediateobjective",
                        related_name="measures",
                        verbose_name="IMO / outcome",
                    ),
                ),
            ],
            options={
                "ordering": ["imo", "kind", "id"],
            },
        ),
        migrations.CreateModel(
            name="Phase",
            fields=[
                *mh.marked_record_fields(),
                ("number", models.PositiveSmallIntegerField()),
                ("name", models.CharField(max_length=200)),
                ("start_date", models.DateField()),
                ("end_date", models.DateField()),
                ("description", models.TextField(blank=True)),
                ("country_plan", mh.parent_fk("planning.countryplan", related_name="phases")),
            ],
            options={
                "ordering": ["country_plan", "number"],
            },
        ),
        migrations.CreateModel(
            name="Activity",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "activity_type",
                    models.CharField(
                        choices=[
                            ("kle", "Key leader engagement"),
                            ("staff_talks", "Staff talks"),
                            ("exercise", "Exercise"),
                            ("training_course", "Training course"),
                            ("mtt", "Mobile training team"),
                            ("exchange", "Exchange"),
                            ("dv_tour", "DV orientation tour"),
                            ("equipment_delivery", "Equipment delivery"),
                            ("acquisition", "Acquisition (FMF/FMS/DCS/BPC)"),
                            ("assessment", "Assessment"),
                            ("conference", "Conference"),
                            ("ha_project", "HA project"),
                            ("vetting", "Vetting"),
                            ("congressional_notification", "Congressional notification"),
                            (
                                "disclosure_review",
                                "Foreign disclosure / technology transfer review",
                            ),
                            ("institution_building", "Institution building"),
                            ("certification", "Certification"),
                            ("other", "Other"),
                        ],
                        max_length=28,
                        verbose_name="type",
                    ),
                ),
                (
                    "program",
                    models.CharField(
                        blank=True,
                        help_text="The SC program, e.g. FMF, IMET, Section 333, JCET.",
                        max_length=200,
                    ),
                ),
                (
                    "authority",
                    models.CharField(
                        blank=True,
                        help_text="The legal authority, e.g. 22 U.S.C. 2763, 10 U.S.C. 333.",
                        max_length=200,
                    ),
                ),
                ("start_date", models.DateField()),
                ("end_date", models.DateField()),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "us_participants",
                    models.TextField(blank=True, verbose_name="U.S. participants / units"),
                ),
                (
                    "partner_participants",
                    models.TextField(blank=True, verbose_name="partner participants / units"),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("planned", "Planned"),
                            ("ongoing", "Ongoing"),
                            ("completed", "Completed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="proposed",
                        editable=False,
                        max_length=10,
                    ),
                ),
                (
                    "needs_us_forces",
                    models.BooleanField(default=False, verbose_name="needs U.S. forces"),
                ),
                (
                    "rff_lead_days",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Defaults to the reference fact rff-lead-time-days.",
                        null=True,
                        verbose_name="request-for-forces lead time (days)",
                    ),
                ),
                (
                    "rff_submitted_on",
                    mh.optional_date(verbose_name="request for forces submitted on"),
                ),
                ("completed_on", mh.action_date()),
                ("assessment_due", mh.action_date()),
                ("assessed_on", mh.action_date()),
                ("assessment", models.TextField(blank=True, editable=False)),
                (
                    "assessed_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
                (
                    "country",
                    mh.protected_fk("core.country", help_text="The partner.", related_name="+"),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        related_name="+",
                        verbose_name="sponsoring organization",
                    ),
                ),
                (
                    "country_plan",
                    mh.optional_fk(
                        "planning.countryplan",
                        related_name="activities",
                        verbose_name="country plan (CSCS)",
                    ),
                ),
                (
                    "line_of_activity",
                    mh.optional_fk(
                        "planning.lineofactivity",
                        help_text="The line of activity it serves. Without one it is an unlinked draft (R-PLN-01).",
                        related_name="activities",
                    ),
                ),
                ("phase", mh.optional_fk("planning.phase", related_name="activities")),
            ],
            options={
                "verbose_name_plural": "activities",
                "ordering": ["start_date", "title"],
            },
        ),
        migrations.CreateModel(
            name="PlanningAssumption",
            fields=[
                *mh.marked_record_fields(),
                ("statement", models.TextField()),
                ("valid", models.BooleanField(default=True, help_text="Logical and realistic.")),
                (
                    "necessary",
                    models.BooleanField(
                        default=True, help_text="Planning could not continue without it."
                    ),
                ),
                ("review_on", models.DateField(verbose_name="review date")),
                ("rationale", models.TextField(blank=True)),
                (
                    "campaign_plan",
                    mh.protected_fk("planning.campaignplan", related_name="assumptions"),
                ),
                (
                    "country_plan",
                    mh.optional_fk(
                        "planning.countryplan",
                        related_name="assumptions",
                        verbose_name="country plan (CSCS)",
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
                "verbose_name": "planning assumption",
                "ordering": ["review_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="PlanningEvent",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("tsc", "Theater Strategy Conference"),
                            ("rwg", "Regional Working Group"),
                            (
                                "scetwg",
                                "Security Cooperation Education and Training Working Group (SCETWG)",
                            ),
                            ("apc", "Annual Planning Conference"),
                        ],
                        max_length=6,
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("fiscal_year", mh.fiscal_year()),
                ("start_date", models.DateField()),
                ("end_date", models.DateField()),
                ("location", models.CharField(blank=True, max_length=200)),
                ("notes", models.TextField(blank=True)),
                (
                    "country",
                    mh.optional_fk(
                        "core.country",
                        help_text="For an in-country Annual Planning Conference.",
                        related_name="+",
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk("core.organization", related_name="+", verbose_name="host"),
                ),
            ],
            options={
                "ordering": ["start_date", "title"],
            },
        ),
        migrations.CreateModel(
            name="ActivityDependency",
            fields=[
                *mh.marked_record_fields(),
                ("lag_days", models.PositiveIntegerField(default=0)),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="Why: e.g. vetting before training.", max_length=300
                    ),
                ),
                ("predecessor", mh.parent_fk("planning.activity", related_name="dependents")),
                ("successor", mh.parent_fk("planning.activity", related_name="depends_on")),
            ],
            options={
                "verbose_name": "activity dependency",
                "verbose_name_plural": "activity dependencies",
                "ordering": ["successor", "predecessor"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("predecessor", "successor"),
                        name="dependency_unique",
                        violation_error_message="R-PLN-09: this dependency is already recorded.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                        name="dependency_not_self",
                        violation_error_message="R-PLN-09: an activity cannot depend on itself.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ActivityFunding",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("source", models.CharField(choices=mh.activity_funding_choices(), max_length=12)),
                ("amount", mh.non_negative_usd(max_digits=14, verbose_name="amount (USD)")),
                ("note", models.CharField(blank=True, max_length=300)),
                ("activity", mh.parent_fk("planning.activity", related_name="funding")),
            ],
            options={
                "verbose_name": "activity funding line",
                "ordering": ["activity", "fiscal_year", "source"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("activity", "fiscal_year", "source"),
                        name="funding_line_unique",
                        violation_error_message="R-PLN-08: one funding line per fiscal year and source.",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="countryplan",
            constraint=models.UniqueConstraint(
                fields=("campaign_plan", "country", "version"),
                name="cscs_version_unique",
                violation_error_message="R-PLN-05: this version of the country plan exists: give the next version number.",
            ),
        ),
        migrations.AddConstraint(
            model_name="phase",
            constraint=models.UniqueConstraint(
                fields=("country_plan", "number"),
                name="phase_number_unique",
                violation_error_message="R-PLN-09: the country plan has a phase with this number: choose another number.",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["status", "start_date"], name="planning_ac_status_e24f41_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["country", "start_date"], name="planning_ac_country_147c11_idx"
            ),
        ),
        migrations.CreateModel(
            name="Reschedule",
            fields=[
                *mh.marked_record_fields(),
                ("new_start", models.DateField()),
                ("new_end", models.DateField()),
                ("moves", models.JSONField(blank=True, default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Waiting for approval"),
                            ("applied", "Moved"),
                            ("declined", "Declined"),
                            ("undone", "Undone"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True, help_text="Why the move is asked for.", max_length=500
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.CharField(blank=True, max_length=500)),
                ("undone_at", models.DateTimeField(blank=True, null=True)),
                ("activity", mh.parent_fk("planning.activity", related_name="reschedules")),
                (
                    "approver_org",
                    mh.optional_fk(
                        "core.organization",
                        help_text="The office that may change every activity the move pushes (a request only).",
                        related_name="+",
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "country_plan",
                    mh.protected_fk("planning.countryplan", related_name="reschedules"),
                ),
                ("decided_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The sponsor of the moved activity.",
                        related_name="+",
                    ),
                ),
                ("requested_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("undone_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
            ],
            options={
                "verbose_name": "reschedule",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["country_plan", "status"], name="planning_re_country_a73cd1_idx"
                    )
                ],
            },
        ),
        # 0001_squashed_0002_rff_lead_time_fact
        migrations.RunPython(add_fact, remove_fact),
        # 0004_list_indexes
        list_indexes(
            "planning",
            *sorted_indexes(
                "Activity", ("start_date", "title"), "start_date", "end_date", "title", "status"
            ),
            *sorted_indexes("CampaignPlan", "start_fy", "title", "status"),
            *sorted_indexes(
                "IntermediateObjective",
                "deadline",
                "title",
                ("line_of_effort", "deadline", "title"),
            ),
            *sorted_indexes("PlanningAssumption", "review_on"),
            *sorted_indexes("GuidanceDocument", "kind", "issued_on", "title"),
            *sorted_indexes("PlanningEvent", ("start_date", "title"), "fiscal_year"),
            *sorted_indexes("CountryPlan", "version", "issued_on", "title"),
            *sorted_indexes("EndState", ("campaign_plan", "priority", "title")),
            *sorted_indexes("LineOfEffort", ("campaign_plan", "sequence", "name")),
            *sorted_indexes("Measure", ("imo", "kind")),
            *sorted_indexes("LineOfActivity", ("imo", "name")),
            *sorted_indexes("Phase", ("country_plan", "number")),
            *trigram_indexes("Activity", "title", "program", "location", "description"),
            *trigram_indexes("CampaignPlan", "title", "summary"),
            *trigram_indexes("IntermediateObjective", "title", "statement", "by_whom", "with_whom"),
            *trigram_indexes("CountryPlan", "title", "country_objectives", "concept_of_engagement"),
            *trigram_indexes("PlanningAssumption", "statement", "rationale"),
            *trigram_indexes("GuidanceDocument", "title", "issued_by", "summary"),
            *trigram_indexes("PlanningEvent", "title", "location"),
            *trigram_indexes("EndState", "title", "description"),
            *trigram_indexes("LineOfEffort", "name", "description"),
            *trigram_indexes("Measure", "indicator", "method"),
            *trigram_indexes("LineOfActivity", "name", "description"),
            *[Releasability(m) for m in MARKED],
        ),
        # 0005_search_full_text
        search_documents("planning", Activity=("title", "location", "description")),
    ]
    operations = batched(operations)
