"""assessment's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_assessment_initial, 0002_amerollup_rollup_monitoring_support_plans,
0003_amepages_evaluation_criteria, 0004_lateame_objective_rollup, 0005_lateame_lesson_search.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations
from django.db import models

import secoop.core.models.pages
from secoop.core import migration_helpers as mh
from secoop.core.dbindex import search_documents
from secoop.core.migration_batches import batched

# --- from 0001_assessment_initial ---
# (key, label, value, unit, effective from, source, notes): the dated facts of R-AME-04.
FACTS = [
    (
        "ame-post-project-first-days",
        "First post-project evaluation of a humanitarian project, after the project ends",
        "30",
        "days",
        "2012-01-01",
        "SAMM C12; GAO-12-359 (SPEC §11, OHDACA row)",
        "Confirm against the current SAMM C12.",
    ),
    (
        "ame-post-project-second-days",
        "Second post-project evaluation of a humanitarian project, after the project ends",
        "365",
        "days",
        "2012-01-01",
        "SAMM C12; GAO-12-359 (SPEC §11, OHDACA row)",
        "One year; confirm against the current SAMM C12.",
    ),
]


def add_facts(apps, schema_editor):
    mh.write_facts(apps, FACTS)


def remove_facts(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key__in=[f[0] for f in FACTS]).delete()


class Migration(migrations.Migration):
    replaces = [
        ("assessment", "0001_assessment_initial"),
        ("assessment", "0002_amerollup_rollup_monitoring_support_plans"),
        ("assessment", "0003_amepages_evaluation_criteria"),
        ("assessment", "0004_lateame_objective_rollup"),
        ("assessment", "0005_lateame_lesson_search"),
    ]

    initial = True

    dependencies = [
        ("core", "0001_squashed"),
        ("planning", "0001_squashed"),
    ]

    operations = [
        migrations.CreateModel(
            name="CampaignAssessment",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", models.PositiveSmallIntegerField()),
                (
                    "template",
                    models.TextField(
                        help_text="The Joint Staff's questions for this year's cycle."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("template", "Template issued: the command assesses"),
                            ("assessed", "Assessed by the command: with the Joint Staff"),
                            ("reviewed", "Reviewed by the Joint Staff: with OSD"),
                            ("evaluated", "Evaluated by OSD"),
                        ],
                        default="template",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("submitted_on", mh.action_date()),
                ("reviewed_on", mh.action_date()),
                ("review_comment", models.TextField(blank=True, editable=False)),
                ("evaluated_on", mh.action_date()),
                (
                    "evaluation",
                    models.TextField(
                        blank=True, editable=False, verbose_name="OSD's evaluation and advice"
                    ),
                ),
                (
                    "campaign_plan",
                    mh.protected_fk("planning.campaignplan", related_name="assessments"),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["-fiscal_year", "campaign_plan"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Evaluation",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("midterm", "Mid-term evaluation"),
                            ("final", "Final evaluation"),
                            ("post_first", "Post-project evaluation (30 days)"),
                            ("post_second", "Post-project evaluation (1 year)"),
                            ("other", "Other evaluation"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "plan",
                    models.TextField(
                        blank=True,
                        help_text="Questions, method, evaluators, data to collect.",
                        verbose_name="evaluation plan",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="due on")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_progress", "In progress"),
                            ("completed", "Completed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="planned",
                        editable=False,
                        max_length=12,
                    ),
                ),
                ("started_on", mh.action_date()),
                ("completed_on", mh.action_date()),
                ("recommended_adjustments", models.TextField(blank=True)),
                ("activity", mh.optional_fk("planning.activity", related_name="evaluations")),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "imo",
                    mh.optional_fk(
                        "planning.intermediateobjective",
                        related_name="evaluations",
                        verbose_name="IMO / outcome",
                    ),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["due_on", "title"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="EvaluationFinding",
            fields=[
                *mh.marked_record_fields(),
                (
                    "criterion",
                    models.CharField(
                        choices=[
                            ("relevance", "Relevance"),
                            ("effectiveness", "Effectiveness"),
                            ("efficiency", "Efficiency"),
                            ("impact", "Impact"),
                            ("sustainability", "Sustainability"),
                            ("supportability", "Supportability"),
                        ],
                        max_length=16,
                    ),
                ),
                ("statement", models.TextField()),
                (
                    "cited_data",
                    models.TextField(
                        blank=True,
                        help_text="Data the finding rests on that is not an update or document.",
                        verbose_name="data cited",
                    ),
                ),
                ("evaluation", mh.parent_fk("assessment.evaluation", related_name="findings")),
            ],
            options={
                "ordering": ["evaluation", "criterion", "id"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Indicator",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(blank=True, max_length=300, verbose_name="indicator")),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("MOP", "Measure of performance (MOP)"),
                            ("MOE", "Measure of effectiveness (MOE)"),
                        ],
                        max_length=3,
                    ),
                ),
                (
                    "definition",
                    models.TextField(blank=True, help_text="What is counted or judged, and how."),
                ),
                (
                    "measure_type",
                    models.CharField(
                        choices=[
                            ("1", "Quantity (a number of units)"),
                            ("2", "Percentage"),
                            ("5", "Qualitative (a level of a scale)"),
                        ],
                        default="1",
                        max_length=1,
                        verbose_name="measured as",
                    ),
                ),
                ("unit", models.CharField(blank=True, max_length=40)),
                (
                    "scale",
                    models.TextField(
                        blank=True,
                        help_text="Qualitative indicators: one level a line, lowest first.",
                    ),
                ),
                (
                    "direction",
                    models.CharField(
                        choices=[
                            ("ascending", "Ascending (higher is better)"),
                            ("descending", "Descending (lower is better)"),
                        ],
                        default="ascending",
                        max_length=10,
                    ),
                ),
                ("data_source", models.CharField(blank=True, max_length=300)),
                ("collection_method", models.TextField(blank=True)),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("1", "Monthly"),
                            ("3", "Quarterly"),
                            ("6", "Every six months"),
                            ("12", "Annually"),
                        ],
                        default="3",
                        max_length=2,
                        verbose_name="reporting frequency",
                    ),
                ),
                ("baseline", mh.measured_value(blank=True, null=True)),
                ("baseline_on", mh.optional_date(verbose_name="baseline assessed on")),
                ("baseline_comment", models.TextField(blank=True)),
                (
                    "roll_up",
                    models.CharField(
                        choices=[("sum", "Sum"), ("mean", "Mean"), ("latest", "Latest")],
                        default="latest",
                        max_length=6,
                        verbose_name="roll-up method",
                    ),
                ),
                (
                    "shared_with_partner",
                    models.BooleanField(
                        default=False,
                        help_text="The partner sees it (as it is marked) and reports on it.",
                        verbose_name="released to the partner",
                    ),
                ),
                (
                    "public_release",
                    models.BooleanField(
                        default=False,
                        help_text="Published in the IATI file when also UNCLASSIFIED without a dissemination control.",
                        verbose_name="approved for public release",
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "measure",
                    models.OneToOneField(
                        blank=True,
                        help_text="The IMO's measure this indicator is; its kind, name, unit, method and baseline are kept there.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results_indicator",
                        to="planning.measure",
                    ),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
                (
                    "responsible_org",
                    mh.optional_fk(
                        "core.organization",
                        related_name="+",
                        verbose_name="responsible organization",
                    ),
                ),
            ],
            options={
                "ordering": ["result", "id"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Lesson",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                (
                    "kind",
                    models.CharField(
                        choices=[("lesson", "Lesson learned"), ("best_practice", "Best practice")],
                        default="lesson",
                        max_length=14,
                    ),
                ),
                ("observation", models.TextField()),
                ("recommendation", models.TextField()),
                (
                    "tags",
                    models.CharField(
                        blank=True,
                        help_text="Comma-separated, e.g. border, logistics, vetting.",
                        max_length=400,
                    ),
                ),
                ("observed_on", mh.optional_date()),
                ("activity", mh.optional_fk("planning.activity", related_name="lessons")),
                ("country", mh.optional_fk("core.country", related_name="+")),
                ("evaluation", mh.optional_fk("assessment.evaluation", related_name="lessons")),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["-observed_on", "title"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ObjectiveAssessment",
            fields=[
                *mh.marked_record_fields(),
                ("progress", models.TextField()),
                ("risks", models.TextField(blank=True)),
                (
                    "resources",
                    models.CharField(
                        choices=[
                            ("adequate", "Adequate"),
                            ("partly", "Partly adequate"),
                            ("inadequate", "Inadequate"),
                        ],
                        default="adequate",
                        max_length=10,
                        verbose_name="resource adequacy",
                    ),
                ),
                (
                    "assessment",
                    mh.parent_fk("assessment.campaignassessment", related_name="objectives"),
                ),
                (
                    "imo",
                    mh.protected_fk(
                        "planning.intermediateobjective",
                        related_name="+",
                        verbose_name="IMO / outcome",
                    ),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["assessment", "imo"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Period",
            fields=[
                *mh.marked_record_fields(),
                ("period_start", models.DateField()),
                ("period_end", models.DateField()),
                ("target", mh.measured_value(blank=True, null=True)),
                ("target_comment", models.TextField(blank=True)),
                ("indicator", mh.protected_fk("assessment.indicator", related_name="periods")),
            ],
            options={
                "ordering": ["indicator", "period_start"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Result",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                (
                    "result_type",
                    models.CharField(
                        choices=[
                            ("1", "Output"),
                            ("2", "Outcome"),
                            ("3", "Impact"),
                            ("9", "Other"),
                        ],
                        default="2",
                        max_length=1,
                        verbose_name="result type",
                    ),
                ),
                (
                    "shared_with_partner",
                    models.BooleanField(
                        default=False,
                        help_text="The partner sees it (as it is marked) and reports on it.",
                        verbose_name="released to the partner",
                    ),
                ),
                (
                    "public_release",
                    models.BooleanField(
                        default=False,
                        help_text="Published in the IATI file when also UNCLASSIFIED without a dissemination control.",
                        verbose_name="approved for public release",
                    ),
                ),
                ("activity", mh.optional_fk("planning.activity", related_name="results")),
                ("country", mh.protected_fk("core.country", related_name="+")),
                (
                    "imo",
                    mh.optional_fk(
                        "planning.intermediateobjective",
                        related_name="results",
                        verbose_name="IMO / outcome",
                    ),
                ),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
            ],
            options={
                "ordering": ["country", "title", "id"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddField(
            model_name="indicator",
            name="result",
            field=mh.protected_fk("assessment.result", related_name="indicators"),
        ),
        migrations.CreateModel(
            name="Update",
            fields=[
                *mh.marked_record_fields(),
                ("value", mh.measured_value()),
                ("narrative", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("returned", "Returned"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("submitted_on", mh.action_date()),
                ("decided_on", mh.action_date()),
                ("decision_comment", models.TextField(blank=True, editable=False)),
                (
                    "decided_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
                (
                    "entered_by",
                    mh.protected_fk(
                        settings.AUTH_USER_MODEL, editable=False, null=True, related_name="+"
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The organization that reports it (an SCO, or the partner's ministry).",
                        related_name="+",
                    ),
                ),
                ("period", mh.protected_fk("assessment.period", related_name="updates")),
            ],
            options={
                "ordering": ["period", "-id"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Disaggregation",
            fields=[
                *mh.marked_record_fields(),
                (
                    "dimension",
                    models.CharField(help_text="e.g. unit, gender, region", max_length=100),
                ),
                (
                    "category",
                    models.CharField(help_text="e.g. 1st Company, female, north", max_length=100),
                ),
                ("amount", mh.measured_value()),
                ("period", mh.parent_fk("assessment.period", related_name="disaggregations")),
                (
                    "update",
                    mh.parent_fk(
                        "assessment.update", blank=True, null=True, related_name="disaggregations"
                    ),
                ),
            ],
            options={
                "ordering": ["period", "dimension", "category"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="Citation",
            fields=[
                *mh.marked_record_fields(),
                ("document", mh.optional_fk("core.document", related_name="+")),
                ("finding", mh.parent_fk("assessment.evaluationfinding", related_name="citations")),
                ("update", mh.optional_fk("assessment.update", related_name="+")),
            ],
            options={
                "ordering": ["finding", "id"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddConstraint(
            model_name="campaignassessment",
            constraint=models.UniqueConstraint(
                fields=("campaign_plan", "fiscal_year"), name="assessment_campaign_once_a_year"
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["status", "due_on"], name="assessment__status_784fff_idx"),
        ),
        migrations.AddConstraint(
            model_name="objectiveassessment",
            constraint=models.UniqueConstraint(
                fields=("assessment", "imo"), name="assessment_objective_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.UniqueConstraint(
                fields=("indicator", "period_start"), name="assessment_period_start_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("activity__isnull", False), ("imo__isnull", True)),
                    models.Q(("activity__isnull", True), ("imo__isnull", False)),
                    _connector="OR",
                ),
                name="assessment_result_one_parent",
                violation_error_message="A result belongs to one IMO/outcome or one activity.",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("measure__isnull", True),
                    models.Q(
                        ("baseline__isnull", True),
                        ("baseline_on__isnull", True),
                        ("collection_method", ""),
                        ("kind", ""),
                        ("title", ""),
                        ("unit", ""),
                    ),
                    _connector="OR",
                ),
                name="assessment_indicator_one_copy",
                violation_error_message="An indicator of a planning measure keeps its name, kind, unit, method and baseline on the measure: change them there.",
            ),
        ),
        migrations.AddIndex(
            model_name="update",
            index=models.Index(fields=["status", "period"], name="assessment__status_884a07_idx"),
        ),
        migrations.AddConstraint(
            model_name="citation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("document__isnull", False), ("update__isnull", True)),
                    models.Q(("document__isnull", True), ("update__isnull", False)),
                    _connector="OR",
                ),
                name="assessment_citation_one_source",
                violation_error_message="A citation names one update or one document.",
            ),
        ),
        migrations.AlterField(
            model_name="campaignassessment",
            name="status",
            field=models.CharField(
                choices=[
                    ("template", "Template issued: the plan's owner assesses"),
                    ("assessed", "Assessed by the plan's owner: with the Joint Staff"),
                    ("reviewed", "Reviewed by the Joint Staff: with OSD"),
                    ("evaluated", "Evaluated by OSD"),
                ],
                default="template",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="campaignassessment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("campaign", "Campaign plan assessment"),
                    ("support", "Campaign support plan assessment"),
                ],
                default="campaign",
                editable=False,
                help_text="A command's campaign plan, or a MILDEP's or agency's campaign support plan.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="contributes_to",
            field=mh.optional_fk(
                "assessment.indicator",
                help_text="The IMO/outcome's indicator this activity indicator rolls up into.",
                related_name="contributors",
                verbose_name="rolls up into",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="roll_up_weight",
            field=mh.usd(
                default=1,
                help_text="Its weight when the objective's indicator takes the weighted mean.",
                max_digits=10,
                verbose_name="weight in the roll-up",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="roll_up",
            field=models.CharField(
                choices=[
                    ("sum", "Sum"),
                    ("mean", "Mean"),
                    ("weighted", "Weighted mean (by each contributor's weight)"),
                    ("latest", "Latest"),
                ],
                default="latest",
                help_text="How its values combine: its own periods inside a longer one, and, for an objective's indicator, its contributors' values.",
                max_length=8,
                verbose_name="roll-up method",
            ),
        ),
        migrations.CreateModel(
            name="ActivityMonitoring",
            fields=[
                *mh.marked_record_fields(),
                ("as_of", models.DateField(verbose_name="monitored as of")),
                ("actual_start", mh.optional_date()),
                ("actual_end", mh.optional_date()),
                (
                    "performance",
                    models.CharField(
                        choices=[
                            ("on_track", "On track"),
                            ("at_risk", "At risk"),
                            ("off_track", "Off track"),
                        ],
                        default="on_track",
                        max_length=10,
                    ),
                ),
                ("performance_note", models.TextField(blank=True)),
                (
                    "inputs_note",
                    models.TextField(
                        blank=True,
                        help_text="People, equipment and services put in so far.",
                        verbose_name="inputs",
                    ),
                ),
                (
                    "activity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="monitoring",
                        to="planning.activity",
                    ),
                ),
            ],
            options={
                "verbose_name": "activity monitoring",
                "verbose_name_plural": "activity monitoring",
                "ordering": ["activity"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ActualCost",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("source", models.CharField(choices=mh.activity_funding_choices(), max_length=12)),
                ("amount", mh.non_negative_usd(verbose_name="actual cost (USD)")),
                ("note", models.CharField(blank=True, max_length=300)),
                ("activity", mh.protected_fk("planning.activity", related_name="actual_costs")),
            ],
            options={
                "ordering": ["activity", "fiscal_year", "source"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("activity", "fiscal_year", "source"),
                        name="assessment_actual_cost_once",
                        violation_error_message="R-AME-07: one actual cost per fiscal year and source.",
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="criteria",
            field=models.CharField(
                blank=True,
                help_text="The criteria the evaluation judges (R-AME-04), stored ',relevance,impact,'.",
                max_length=120,
                verbose_name="criteria judged",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="result",
            name="assessment_result_one_parent",
        ),
        migrations.AddField(
            model_name="result",
            name="end_state",
            field=mh.optional_fk(
                "planning.endstate",
                related_name="results",
                verbose_name="campaign objective (end state)",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="contributes_to",
            field=mh.optional_fk(
                "assessment.indicator",
                help_text="The indicator it rolls up into: an activity's into its IMO/outcome's, an IMO/outcome's into its campaign objective's.",
                related_name="contributors",
                verbose_name="rolls up into",
            ),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("activity__isnull", False),
                        ("end_state__isnull", True),
                        ("imo__isnull", True),
                    ),
                    models.Q(
                        ("activity__isnull", True),
                        ("end_state__isnull", True),
                        ("imo__isnull", False),
                    ),
                    models.Q(
                        ("activity__isnull", True),
                        ("end_state__isnull", False),
                        ("imo__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="assessment_result_one_parent",
                violation_error_message="A result belongs to one campaign objective, one IMO/outcome or one activity.",
            ),
        ),
        # 0001_assessment_initial
        migrations.RunPython(add_facts, remove_facts),
        # 0005_lateame_lesson_search
        search_documents("assessment", Lesson=("title", "tags", "observation", "recommendation")),
    ]
    operations = batched(operations)
