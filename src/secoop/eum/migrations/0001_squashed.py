"""eum's migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision
0062): one initial migration per app, so a fresh `migrate` is quicker and the
old files' headers and index migrations no longer repeat each other. It replaced
0001_eum_initial, 0002_eum_eda_dcs_links, 0003_eum_list_indexes,
0004_investigation_notes_noforn.

`replaces` names every old migration and every name the old squashed file replaced: a
database migrated before has nothing to apply. The schema is the old operations, each
folded into the CreateModel (or AddField) it changes where it stood, so models are created
and columns added in their old order. The data and index operations follow, in their old
order, with the old files' module-level code verbatim (a name two old files both defined
carries its file's number).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations
from django.db import models

import secoop.core.models.pages
from secoop.core import migration_helpers as mh
from secoop.core.dbindex import Releasability
from secoop.core.dbindex import list_indexes
from secoop.core.dbindex import sorted_indexes
from secoop.core.dbindex import trigram_indexes
from secoop.core.migration_batches import batched

# --- from 0001_eum_initial ---
FACTS = [
    (
        "eum-initial-inventory-days",
        "Enhanced EUM: initial serial-number inventory after delivery",
        "90",
        "days",
        "2020-01-01",
        "SAMM C8.4 (enhanced EUM); DODIG-2024-043",
        "SPEC §11 says 90 days, to verify: the figure DODIG-2024-043 reports as SAMM's; the effective date is the earliest this product assumes, not the policy's own.",
    ),
    (
        "eum-annual-inventory-months",
        "Enhanced EUM: serial-number inventory interval after the initial one",
        "12",
        "months",
        "2020-01-01",
        "SAMM C8.4 (enhanced EUM); DODIG-2024-043",
        "Annual serial-number inventories (SPEC §11); effective date assumed.",
    ),
    (
        "eum-cav-min-months",
        "Compliance assessment visit: earliest interval",
        "18",
        "months",
        "2021-01-01",
        "SAMM C2.1.5.6.1; DSCA 21-64",
        "R-EUM-02: every 18 to 24 months per country; DSCA may hold a virtual assessment instead. Effective date to verify (DSCA 21-64).",
    ),
    (
        "eum-cav-max-months",
        "Compliance assessment visit: latest interval",
        "24",
        "months",
        "2021-01-01",
        "SAMM C2.1.5.6.1; DSCA 21-64",
        "R-EUM-02. Effective date to verify (DSCA 21-64).",
    ),
    (
        "eum-report-months",
        "Routine EUM report interval",
        "3",
        "months",
        "2020-01-01",
        'PLAN "Security Cooperation Information Portal" (SPEC R-EUM-03)',
        "At least quarterly; effective date assumed.",
    ),
    (
        "eum-database-review-months",
        "EUM database review interval",
        "3",
        "months",
        "2025-01-01",
        "DODIG-2025-078",
        "Documented, auditable quarterly reviews of the EUM database; effective date to verify.",
    ),
]


def add_facts(apps, schema_editor):
    mh.write_facts(apps, FACTS)


# --- from 0003_eum_list_indexes ---
MARKED = (
    "TransferredArticle",
    "SerialNumber",
    "Check",
    "PossibleViolation",
    "ComplianceVisit",
    "RoutineReport",
    "DatabaseReview",
    "ControlPlan",
    "EndUseRequest",
    "MaterielNotice",
    "NoticeRecipient",
)


class Migration(migrations.Migration):
    replaces = [
        ("eum", "0001_eum_initial"),
        ("eum", "0002_eum_eda_dcs_links"),
        ("eum", "0003_eum_list_indexes"),
        ("eum", "0004_investigation_notes_noforn"),
    ]

    initial = True

    dependencies = [
        ("cases", "0001_squashed"),
        ("core", "0001_squashed"),
    ]

    operations = [
        migrations.CreateModel(
            name="Check",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("initial", "Initial serial-number inventory"),
                            ("annual", "Annual serial-number inventory"),
                            ("inspection", "Physical-security inspection of the storage site"),
                            ("partner", "Partner's own inventory (internal accountability)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("checked_on", models.DateField(verbose_name="checked on")),
                ("checked_by", models.CharField(max_length=200, verbose_name="checked by")),
                ("findings", models.TextField(blank=True)),
                (
                    "evidence",
                    models.TextField(
                        blank=True,
                        help_text="Photos, hand receipts, signed count sheets: where they are kept.",
                    ),
                ),
                ("present", models.JSONField(default=list, editable=False)),
                ("missing", models.JSONField(default=list, editable=False)),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="recorded by"
                    ),
                ),
                (
                    "recorded_by",
                    mh.protected_fk(
                        settings.AUTH_USER_MODEL, editable=False, null=True, related_name="+"
                    ),
                ),
            ],
            options={
                "verbose_name": "inventory or inspection",
                "verbose_name_plural": "inventories and inspections",
                "ordering": ["-checked_on", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="ComplianceVisit",
            fields=[
                *mh.marked_record_fields(),
                ("held_on", models.DateField(verbose_name="held on")),
                ("virtual", models.BooleanField(default=False, verbose_name="virtual assessment")),
                (
                    "team",
                    models.CharField(blank=True, max_length=200, verbose_name="assessment team"),
                ),
                ("findings", models.TextField(blank=True)),
                *mh.country_and_owner(verbose_name="recorded by"),
            ],
            options={
                "verbose_name": "compliance assessment visit",
                "ordering": ["-held_on", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="DatabaseReview",
            fields=[
                *mh.marked_record_fields(),
                ("reviewed_on", models.DateField(verbose_name="reviewed on")),
                ("checked", models.TextField(verbose_name="what was checked")),
                ("discrepancies", models.TextField(blank=True, verbose_name="discrepancies found")),
                ("signed_off_on", mh.action_date()),
                ("country", mh.protected_fk("core.country", related_name="+")),
                ("owner_org", mh.protected_fk("core.organization", related_name="+")),
                (
                    "reviewer",
                    mh.protected_fk(
                        settings.AUTH_USER_MODEL, editable=False, null=True, related_name="+"
                    ),
                ),
                (
                    "signed_off_by",
                    mh.optional_fk(settings.AUTH_USER_MODEL, editable=False, related_name="+"),
                ),
            ],
            options={
                "verbose_name": "EUM database review",
                "ordering": ["-reviewed_on", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="MaterielNotice",
            fields=[
                *mh.marked_record_fields(),
                ("item", models.CharField(max_length=200)),
                (
                    "related_terms",
                    models.CharField(
                        blank=True,
                        help_text="Systems whose holders may want the item, separated by commas.",
                        max_length=300,
                        verbose_name="related systems",
                    ),
                ),
                ("rationale", models.TextField(blank=True)),
                ("lor_deadline", mh.optional_date(verbose_name="LOR deadline")),
                ("loa_acceptance_by", mh.optional_date(verbose_name="final LOA acceptance date")),
                ("issued_on", mh.action_date()),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="issued by"
                    ),
                ),
            ],
            options={
                "verbose_name": "materiel notice",
                "ordering": ["-created_at", "item"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="RoutineReport",
            fields=[
                *mh.marked_record_fields(),
                ("period_end", models.DateField(verbose_name="quarter ended")),
                ("submitted_on", models.DateField(editable=False)),
                ("summary", models.TextField()),
                *mh.country_and_owner(verbose_name="reported by"),
            ],
            options={
                "verbose_name": "routine EUM report",
                "ordering": ["-period_end", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="TransferredArticle",
            fields=[
                *mh.marked_record_fields(),
                ("nomenclature", models.CharField(max_length=200, verbose_name="article")),
                (
                    "nsn",
                    models.CharField(
                        help_text="National stock number, 13 digits.",
                        max_length=20,
                        verbose_name="NSN",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)]
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("fms", "FMS case delivery"),
                            ("eda", "Excess defense articles transfer"),
                            ("dcs", "Direct commercial sale"),
                            ("other", "Other transfer entered by hand"),
                        ],
                        max_length=6,
                        verbose_name="transferred by",
                    ),
                ),
                (
                    "program",
                    models.CharField(
                        choices=[
                            ("golden_sentry", "Golden Sentry (DoD, FMS and EDA)"),
                            ("blue_lantern", "Blue Lantern (DoS, DCS)"),
                        ],
                        max_length=14,
                    ),
                ),
                (
                    "monitoring",
                    models.CharField(
                        choices=[
                            ("routine", "Routine EUM"),
                            ("enhanced", "Enhanced EUM (EEUM, by serial number)"),
                        ],
                        max_length=8,
                    ),
                ),
                (
                    "transfer_reference",
                    models.CharField(
                        blank=True,
                        help_text="For a transfer entered by hand: the DDTC license number or the EDA offer.",
                        max_length=60,
                        verbose_name="DCS license or EDA reference",
                    ),
                ),
                ("delivered_on", models.DateField(verbose_name="delivered on")),
                (
                    "serial_format",
                    models.CharField(
                        blank=True,
                        help_text="Enhanced EUM: the pattern every serial of this article follows, e.g. NVD-[0-9]{6}.",
                        max_length=80,
                    ),
                ),
                ("storage_site", models.CharField(blank=True, max_length=200)),
                (
                    "holder",
                    models.CharField(blank=True, max_length=200, verbose_name="holding unit"),
                ),
                ("case", mh.optional_fk("cases.fmscase", related_name="+")),
                ("country", mh.protected_fk("core.country", related_name="+")),
                ("delivery", mh.optional_fk("cases.delivery", related_name="+")),
                ("line", mh.optional_fk("cases.caseline", related_name="+")),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization",
                        help_text="The SCO that monitors the articles in country.",
                        related_name="+",
                        verbose_name="monitored by",
                    ),
                ),
                (
                    "dcs_license",
                    mh.optional_fk(
                        "cases.dcslicense", related_name="+", verbose_name="DCS license"
                    ),
                ),
                (
                    "eda_offer",
                    mh.optional_fk("cases.edaoffer", related_name="+", verbose_name="EDA offer"),
                ),
            ],
            options={
                "verbose_name": "transferred article",
                "ordering": ["country", "nomenclature", "pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="SerialNumber",
            fields=[
                *mh.marked_record_fields(),
                ("serial", models.CharField(max_length=60)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("on_hand", "Accounted for"),
                            ("missing", "Missing (possible violation open)"),
                            ("disposed", "Disposed of with USG approval"),
                            ("transferred", "Transferred with USG consent"),
                        ],
                        default="on_hand",
                        editable=False,
                        max_length=12,
                    ),
                ),
                ("last_seen_on", mh.action_date()),
                ("article", mh.protected_fk("eum.transferredarticle", related_name="serials")),
            ],
            options={
                "verbose_name": "serial number",
                "ordering": ["article", "serial"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="PossibleViolation",
            fields=[
                *mh.marked_record_fields(),
                ("opened_on", models.DateField()),
                ("summary", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Opened"),
                            ("investigating", "Investigated locally"),
                            ("resolved", "Resolved locally"),
                            ("forwarded", "Forwarded to DoS PM/RSAT"),
                            ("closed", "Closed by DoS PM/RSAT"),
                        ],
                        default="open",
                        editable=False,
                        max_length=14,
                    ),
                ),
                ("timeline", models.JSONField(default=list, editable=False)),
                ("investigation_notes", models.TextField(blank=True, editable=False)),
                ("outcome", models.TextField(blank=True, editable=False)),
                ("forwarded_on", mh.action_date(verbose_name="forwarded to DoS PM/RSAT")),
                ("closed_on", mh.action_date()),
                (
                    "check_record",
                    mh.optional_fk(
                        "eum.check", editable=False, related_name="+", verbose_name="found in"
                    ),
                ),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="handled by"
                    ),
                ),
                ("serial", mh.optional_fk("eum.serialnumber", related_name="+")),
                ("article", mh.protected_fk("eum.transferredarticle", related_name="violations")),
            ],
            options={
                "verbose_name": "possible violation",
                "ordering": ["-opened_on", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="EndUseRequest",
            fields=[
                *mh.marked_record_fields(),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("demil", "Demilitarization"),
                            ("scrapping", "Scrapping"),
                            ("disposal", "Disposal"),
                            ("display", "Display"),
                            ("target", "Target use"),
                            ("civil", "Transfer to civil government"),
                            ("police", "Transfer to the police"),
                            ("schools", "Transfer to schools"),
                            ("third_party", "Third-party transfer (retransfer)"),
                        ],
                        max_length=12,
                        verbose_name="what is asked",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)]
                    ),
                ),
                ("description", models.TextField(verbose_name="the request")),
                (
                    "recipient",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="third-party recipient"
                    ),
                ),
                ("requested_on", models.DateField()),
                (
                    "environmental_agreement",
                    models.BooleanField(
                        default=False,
                        help_text="The conditions before and after are then recorded (R-EUM-05).",
                        verbose_name="an environmental agreement applies",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Requested, awaiting USG decision"),
                            ("approved", "Approved by the USG"),
                            ("refused", "Refused by the USG"),
                            ("completed", "Carried out"),
                        ],
                        default="requested",
                        editable=False,
                        max_length=10,
                    ),
                ),
                ("decided_on", mh.action_date()),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=120,
                        verbose_name="USG approval or consent reference",
                    ),
                ),
                ("carried_out_on", mh.action_date()),
                (
                    "demil_standard",
                    models.CharField(
                        blank=True,
                        editable=False,
                        max_length=120,
                        verbose_name="demilitarization standard applied",
                    ),
                ),
                ("condition_before", models.TextField(blank=True, editable=False)),
                ("condition_after", models.TextField(blank=True, editable=False)),
                (
                    "owner_org",
                    mh.protected_fk(
                        "core.organization", related_name="+", verbose_name="requested by"
                    ),
                ),
                (
                    "article",
                    mh.protected_fk("eum.transferredarticle", related_name="end_use_requests"),
                ),
            ],
            options={
                "verbose_name": "change of end use or transfer request",
                "ordering": ["-requested_on", "-pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddField(
            model_name="check",
            name="article",
            field=mh.protected_fk("eum.transferredarticle", related_name="checks"),
        ),
        migrations.CreateModel(
            name="ControlPlan",
            fields=[
                *mh.marked_record_fields(),
                (
                    "internal_accountability",
                    models.TextField(blank=True, verbose_name="partner internal accountability"),
                ),
                (
                    "inventory_reporting",
                    models.TextField(
                        blank=True, verbose_name="reporting of inventories and inspections"
                    ),
                ),
                (
                    "record_keeping",
                    models.TextField(blank=True, verbose_name="record keeping (partner and SCO)"),
                ),
                (
                    "violation_reporting",
                    models.TextField(blank=True, verbose_name="reporting possible violations"),
                ),
                (
                    "visit_procedures",
                    models.TextField(blank=True, verbose_name="procedures for EUM visits"),
                ),
                ("approved_on", mh.action_date()),
                *mh.country_and_owner(),
            ],
            options={
                "verbose_name": "EUM control plan",
                "ordering": ["country"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("country",), name="eum_control_plan_per_country"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.CreateModel(
            name="NoticeRecipient",
            fields=[
                *mh.marked_record_fields(),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("purchase", "Earlier purchase of the item"),
                            ("pa_request", "Price and availability (P&A) request"),
                            ("related", "Holds a related system"),
                        ],
                        max_length=10,
                        verbose_name="interest shown",
                    ),
                ),
                (
                    "eligible",
                    models.BooleanField(
                        default=False, verbose_name="eligible under the National Disclosure Policy"
                    ),
                ),
                ("evidence", models.CharField(blank=True, max_length=300)),
                ("country", mh.protected_fk("core.country", related_name="+")),
                ("notice", mh.protected_fk("eum.materielnotice", related_name="recipients")),
            ],
            options={
                "verbose_name": "materiel notice recipient",
                "ordering": ["notice", "country"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("notice", "country"), name="eum_notice_country_unique"
                    )
                ],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        migrations.AddConstraint(
            model_name="serialnumber",
            constraint=models.UniqueConstraint(
                fields=("article", "serial"), name="eum_serial_unique"
            ),
        ),
        migrations.RemoveField(
            model_name="possibleviolation",
            name="investigation_notes",
        ),
        migrations.CreateModel(
            name="InvestigationNote",
            fields=[
                *mh.marked_record_fields(),
                ("written_on", models.DateField()),
                ("text", models.TextField()),
                ("violation", mh.protected_fk("eum.possibleviolation", related_name="notes")),
            ],
            options={
                "verbose_name": "investigation note",
                "ordering": ["written_on", "pk"],
            },
            bases=(secoop.core.models.pages.RecordPage, models.Model),
        ),
        # 0001_eum_initial
        migrations.RunPython(add_facts, migrations.RunPython.noop),
        # 0003_eum_list_indexes
        list_indexes(
            "eum",
            *sorted_indexes("TransferredArticle", "nomenclature", "nsn", "delivered_on"),
            *sorted_indexes("Check", "checked_on", "kind"),
            *sorted_indexes("PossibleViolation", "opened_on", "summary", "status"),
            *sorted_indexes("ComplianceVisit", "held_on"),
            *sorted_indexes("RoutineReport", "period_end", "submitted_on"),
            *sorted_indexes("DatabaseReview", "reviewed_on", "signed_off_on"),
            *sorted_indexes("EndUseRequest", "requested_on", "kind", "status"),
            *sorted_indexes("MaterielNotice", "item", "lor_deadline", "issued_on"),
            *trigram_indexes("TransferredArticle", "nomenclature", "nsn"),
            *trigram_indexes("Check", "checked_by", "findings"),
            *trigram_indexes("PossibleViolation", "summary"),
            *trigram_indexes("ComplianceVisit", "team", "findings"),
            *trigram_indexes("RoutineReport", "summary"),
            *trigram_indexes("DatabaseReview", "checked", "discrepancies"),
            *trigram_indexes("EndUseRequest", "description", "recipient"),
            *trigram_indexes("MaterielNotice", "item", "rationale"),
            *[Releasability(m) for m in MARKED],
        ),
        # 0004_investigation_notes_noforn
        list_indexes("eum", Releasability("InvestigationNote")),
    ]
    operations = batched(operations)
