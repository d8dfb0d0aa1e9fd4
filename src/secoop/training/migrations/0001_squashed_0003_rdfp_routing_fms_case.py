"""training's migrations 0001 to 0003 squashed into one (issue 11 §1: one migrate per test pass,
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

# --- from 0002_training_facts ---
# Training's dated facts (SPEC §11): the medical window and the DSCA 21-78 documents (R-TRN-05),
# arrival-notice lead times (R-TRN-09), screening retention (R-TRN-07), E-IMET recertification
# (R-TRN-03) and the lead time under which an alternate is vetted too (R-TRN-06).


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
    mh.write_facts(apps, FACTS)


def remove(apps, schema_editor):
    apps.get_model("core", "ReferenceFact").objects.filter(key__in=[f[0] for f in FACTS]).delete()


# The training programs: the same choices on five models below.
PROGRAMS = [
    ("imet", "IMET"),
    ("eimet", "E-IMET"),
    ("rdfp", "Regional Defense Fellowship Program"),
    ("fms", "FMS training"),
    ("other", "Other"),
]


class Migration(migrations.Migration):
    replaces = [
        ("training", "0001_initial"),
        ("training", "0002_training_facts"),
        ("training", "0003_rdfp_routing_fms_case"),
    ]
    initial = True
    dependencies = [
        ("core", "0001_squashed_0012_access_change_request"),
        ("planning", "0001_squashed_0002_rff_lead_time_fact"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.CreateModel(
            name="Cetpp",
            fields=[
                *mh.marked_record_fields(),
                (
                    "fiscal_year",
                    mh.fiscal_year(
                        "current fiscal year",
                        help_text="The year it is drafted in; it plans the budget and planning years.",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted to the CCMD"),
                            ("returned", "Returned by the CCMD"),
                            ("approved", "Approved by the CCMD"),
                            ("finalized", "Finalized at the SCETWG"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("submitted_on", mh.action_date()),
                ("reviewed_on", mh.action_date()),
                ("review_comment", models.TextField(blank=True, editable=False)),
                ("finalized_on", mh.action_date("finalized at the SCETWG on")),
                ("notes", models.TextField(blank=True)),
                (
                    "reviewed_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
            ],
            options={
                "verbose_name": "CETPP",
                "verbose_name_plural": "CETPPs",
                "ordering": ["plan", "-fiscal_year"],
            },
        ),
        migrations.CreateModel(
            name="Course",
            fields=[
                *mh.marked_record_fields(),
                (
                    "course_id",
                    models.CharField(
                        help_text="The MASL / course identifier, e.g. D171030.",
                        max_length=20,
                        unique=True,
                        verbose_name="course ID",
                    ),
                ),
                ("title", models.CharField(max_length=300)),
                ("school", models.CharField(max_length=200)),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "length_weeks",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=5,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.1"))],
                        verbose_name="length (weeks)",
                    ),
                ),
                (
                    "min_ecl",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="English Comprehension Level the course requires (R-TRN-04); empty when none.",
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="minimum ECL",
                    ),
                ),
                (
                    "prerequisites",
                    models.TextField(
                        blank=True,
                        help_text="What a student must have done or be before the course (R-TRN-04).",
                    ),
                ),
                (
                    "eimet_certified_on",
                    mh.optional_date(
                        "E-IMET certified on",
                        help_text="Courses with more than half E-IMET content are certified; recertified every 5 years (R-TRN-03).",
                    ),
                ),
                (
                    "eimet_audience",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("military", "Military"),
                            ("civilian", "Civilians"),
                            ("both", "Military and civilians"),
                        ],
                        max_length=10,
                        verbose_name="E-IMET audience",
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="Who keeps this catalog entry.",
                        related_name="+",
                    ),
                ),
            ],
            options={
                "ordering": ["course_id"],
            },
        ),
        migrations.CreateModel(
            name="CetppLine",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("program", models.CharField(choices=PROGRAMS, max_length=8)),
                (
                    "seats",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)]
                    ),
                ),
                ("tuition", mh.non_negative_usd("tuition per seat", max_digits=14)),
                (
                    "travel_living",
                    mh.non_negative_usd(
                        "travel and living per seat", default=Decimal(0), max_digits=14
                    ),
                ),
                (
                    "include_tla",
                    models.BooleanField(
                        blank=True,
                        help_text="Empty: the program's default (FMS training excludes it, R-TRN-03).",
                        null=True,
                        verbose_name="include travel and living",
                    ),
                ),
                (
                    "priority",
                    models.CharField(blank=True, max_length=4, verbose_name="IMET priority code"),
                ),
                (
                    "fms_case",
                    models.CharField(
                        blank=True,
                        help_text="For FMS training: the case, preferably a blanket order training case (R-TRN-03).",
                        max_length=20,
                        verbose_name="FMS case",
                    ),
                ),
                (
                    "fixed",
                    models.BooleanField(
                        default=False,
                        editable=False,
                        help_text="A current-year selection finalized at the SCETWG.",
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "activity",
                    models.ForeignKey(
                        blank=True,
                        help_text="The planning activity (training course, MTT) it delivers, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="planning.activity",
                    ),
                ),
                ("cetpp", mh.parent_fk("training.cetpp", related_name="lines")),
                ("course", mh.protected_fk("training.course", related_name="+")),
            ],
            options={
                "verbose_name": "CETPP line",
                "ordering": ["cetpp", "fiscal_year", "program", "id"],
            },
        ),
        migrations.CreateModel(
            name="Student",
            fields=[
                *mh.marked_record_fields(),
                ("given_name", models.CharField(max_length=100)),
                ("family_name", models.CharField(max_length=100)),
                ("rank", models.CharField(blank=True, max_length=60)),
                ("service", models.CharField(blank=True, max_length=100)),
                (
                    "unit",
                    models.CharField(
                        help_text="Human-rights vetting covers the unit too (R-TRN-06).",
                        max_length=200,
                    ),
                ),
                ("current_position", models.CharField(blank=True, max_length=200)),
                (
                    "career_personnel",
                    models.BooleanField(
                        default=False,
                        help_text="Career personnel likely to reach key positions (R-TRN-13).",
                    ),
                ),
                (
                    "potential",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="key positions likely to reach"
                    ),
                ),
                (
                    "course_title",
                    models.CharField(
                        help_text="Course ID and title, as the partner sees it.",
                        max_length=330,
                        verbose_name="course as nominated",
                    ),
                ),
                ("program", models.CharField(choices=PROGRAMS, max_length=8)),
                ("class_start", models.DateField()),
                ("class_end", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("nominated", "Nominated"),
                            ("screening", "In screening"),
                            ("ito_issued", "ITO issued"),
                            ("in_training", "In training"),
                            ("graduated", "Graduated"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="nominated",
                        editable=False,
                        max_length=12,
                    ),
                ),
                ("nominated_on", models.DateField(editable=False)),
                (
                    "alternate_for",
                    models.ForeignKey(
                        blank=True,
                        help_text="The principal this student stands in for (R-TRN-06).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="alternates",
                        to="training.student",
                    ),
                ),
                (
                    "cetpp_line",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="students",
                        to="training.cetppline",
                    ),
                ),
                ("country", mh.protected_fk("core.country", related_name="+")),
                ("course", mh.protected_fk("training.course", related_name="+")),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The SCO that manages the student.",
                        related_name="+",
                    ),
                ),
            ],
            options={
                "ordering": ["class_start", "family_name"],
            },
        ),
        migrations.CreateModel(
            name="ScreeningCheck",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("rso", "Regional Security Office (RSO)"),
                            ("dea", "Drug Enforcement Administration (DEA)"),
                            ("consular", "Consular"),
                            ("other", "Other"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("cleared", "Cleared"),
                            ("derogatory", "Derogatory information"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("completed_on", mh.optional_date()),
                ("retain_until", models.DateField(editable=False)),
                ("notes", models.TextField(blank=True)),
                ("student", mh.parent_fk("training.student", related_name="screenings")),
            ],
            options={
                "verbose_name": "screening check",
                "ordering": ["student", "kind"],
            },
        ),
        migrations.CreateModel(
            name="Readiness",
            fields=[
                *mh.marked_record_fields(),
                (
                    "ecl_score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="ECL score",
                    ),
                ),
                ("ecl_tested_on", mh.optional_date("ECL tested on")),
                ("prerequisites_met", models.BooleanField(blank=True, null=True)),
                ("prerequisites_note", models.CharField(blank=True, max_length=300)),
                ("medical_statement_on", mh.optional_date("medical statement signed on")),
                ("medical_form_on", mh.optional_date("medical certification form on")),
                ("dental_form_on", mh.optional_date("dental certification form on")),
                (
                    "rdfp_forwarded_on",
                    mh.optional_date("RDFP nomination forwarded by the CCMD to OSD/SOLIC on"),
                ),
                ("rdfp_approved_on", mh.optional_date("RDFP nomination approved by OSD/SOLIC on")),
                (
                    "student",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="readiness",
                        to="training.student",
                    ),
                ),
            ],
            options={
                "verbose_name": "readiness (ECL, prerequisites, medical)",
                "verbose_name_plural": "readiness records",
            },
        ),
        migrations.CreateModel(
            name="ArrivalNotice",
            fields=[
                *mh.marked_record_fields(),
                (
                    "installation",
                    models.CharField(max_length=200, verbose_name="receiving installation"),
                ),
                ("eta", models.DateField(verbose_name="estimated arrival")),
                ("accompanied", models.BooleanField(default=False)),
                (
                    "travel_mode",
                    models.CharField(
                        choices=[
                            ("air", "Commercial air"),
                            ("milair", "Military air"),
                            ("other", "Other"),
                        ],
                        default="air",
                        max_length=8,
                    ),
                ),
                ("flight", models.CharField(blank=True, max_length=60)),
                ("dependents", models.PositiveSmallIntegerField(default=0)),
                (
                    "children_ages",
                    models.CharField(
                        blank=True, help_text="Comma-separated ages, e.g. 4, 9.", max_length=60
                    ),
                ),
                ("due_on", models.DateField(editable=False)),
                ("sent_on", mh.action_date()),
                ("student", mh.parent_fk("training.student", related_name="arrival_notices")),
            ],
            options={
                "ordering": ["due_on"],
            },
        ),
        migrations.CreateModel(
            name="AfterTraining",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pre_departure", "Pre-departure briefing"),
                            ("interview", "Post-training interview"),
                            ("academic", "Academic report delivered"),
                            ("use", "Post-training use"),
                        ],
                        max_length=14,
                    ),
                ),
                ("on", models.DateField()),
                ("notes", models.TextField(blank=True)),
                ("student", mh.parent_fk("training.student", related_name="after_records")),
            ],
            options={
                "verbose_name": "after-training record",
                "ordering": ["student", "on"],
            },
        ),
        migrations.CreateModel(
            name="TrainingPlan",
            fields=[
                *mh.marked_record_fields(),
                ("title", models.CharField(max_length=300)),
                ("first_fy", mh.fiscal_year("first fiscal year")),
                ("last_fy", mh.fiscal_year("last fiscal year")),
                ("notes", models.TextField(blank=True)),
                *mh.country_and_owner(help_text="The SCO that drafts it with the partner."),
            ],
            options={
                "ordering": ["country", "-first_fy"],
            },
        ),
        migrations.AddField(
            model_name="cetpp",
            name="plan",
            field=mh.protected_fk("training.trainingplan", related_name="cetpps"),
        ),
        migrations.CreateModel(
            name="Allocation",
            fields=[
                *mh.marked_record_fields(),
                ("program", models.CharField(choices=PROGRAMS, max_length=8)),
                ("fiscal_year", mh.fiscal_year()),
                ("amount", mh.non_negative_usd(max_digits=14)),
                ("plan", mh.parent_fk("training.trainingplan", related_name="allocations")),
            ],
            options={
                "ordering": ["plan", "fiscal_year", "program"],
            },
        ),
        migrations.CreateModel(
            name="Vetting",
            fields=[
                *mh.marked_record_fields(),
                (
                    "subject",
                    models.CharField(
                        choices=[("student", "Student"), ("unit", "Unit")], max_length=8
                    ),
                ),
                ("unit_name", models.CharField(blank=True, max_length=200)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Requested"),
                            ("in_process", "In process"),
                            ("approved", "Approved"),
                            ("denied", "Denied"),
                            ("suspended", "Suspended"),
                        ],
                        default="requested",
                        max_length=10,
                    ),
                ),
                ("requested_on", models.DateField()),
                ("completed_on", mh.optional_date()),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="The vetting case number.", max_length=60
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("student", mh.parent_fk("training.student", related_name="vettings")),
            ],
            options={
                "ordering": ["student", "subject", "-requested_on"],
            },
        ),
        migrations.CreateModel(
            name="Waiver",
            fields=[
                *mh.marked_record_fields(),
                ("granted_on", models.DateField()),
                ("reference", models.CharField(max_length=100)),
                ("reason", models.TextField()),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The combatant command that granted it.",
                        related_name="+",
                    ),
                ),
                ("student", mh.parent_fk("training.student", related_name="waivers")),
            ],
            options={
                "verbose_name": "CCMD waiver",
                "ordering": ["-granted_on"],
            },
        ),
        migrations.CreateModel(
            name="Ito",
            fields=[
                *mh.marked_record_fields(),
                ("number", models.CharField(max_length=40, unique=True)),
                ("issued_on", models.DateField()),
                ("manual", models.BooleanField(default=False)),
                ("report_on", models.DateField(verbose_name="report to the school on")),
                ("course_title", models.CharField(max_length=330)),
                ("school", models.CharField(max_length=200)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("program", models.CharField(choices=PROGRAMS, max_length=8)),
                ("issued_by", mh.optional_fk(settings.AUTH_USER_MODEL, related_name="+")),
                ("student", mh.protected_fk("training.student", related_name="itos")),
                ("waiver", mh.optional_fk("training.waiver", related_name="+")),
            ],
            options={
                "verbose_name": "ITO",
                "verbose_name_plural": "ITOs",
                "ordering": ["-issued_on"],
            },
        ),
        migrations.CreateModel(
            name="CourseCost",
            fields=[
                *mh.marked_record_fields(),
                ("program", models.CharField(choices=PROGRAMS, max_length=8)),
                ("fiscal_year", mh.fiscal_year()),
                ("tuition", mh.non_negative_usd(max_digits=14)),
                (
                    "travel_living",
                    mh.non_negative_usd(
                        "travel and living allowance", default=Decimal(0), max_digits=14
                    ),
                ),
                ("course", mh.parent_fk("training.course", related_name="costs")),
            ],
            options={
                "ordering": ["course", "fiscal_year", "program"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "program", "fiscal_year"),
                        name="training_cost_unique",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="GraduatePosition",
            fields=[
                *mh.marked_record_fields(),
                ("fiscal_year", mh.fiscal_year()),
                ("position", models.CharField(max_length=200)),
                (
                    "prominent",
                    models.BooleanField(default=False, verbose_name="position of prominence"),
                ),
                ("student", mh.parent_fk("training.student", related_name="positions")),
            ],
            options={
                "ordering": ["student", "-fiscal_year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("student", "fiscal_year"),
                        name="training_position_unique",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="cetpp",
            constraint=models.UniqueConstraint(
                fields=("plan", "fiscal_year"), name="training_cetpp_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="allocation",
            constraint=models.UniqueConstraint(
                fields=("plan", "program", "fiscal_year"),
                name="training_allocation_unique",
            ),
        ),
        # The data of the old migrations, in their order (reference facts, triggers).
        # 0002_training_facts
        migrations.RunPython(add, remove),
    ]
