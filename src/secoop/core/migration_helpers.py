"""Fields and field lists that many migrations share (issue 11: one definition where the squashed
migrations repeated the same 40 lines in 50 places; §4: the single-field shapes too, decision
0041). Migrations import this module as `mh`.

FROZEN: every function here is the state of the fields at the migration that uses it. A migration
must give the same schema for ever, so never edit a function once a migration calls it. When
`core.models.records` (MarkingFields, MarkedModel) changes, makemigrations writes an AlterField as usual;
if a later squash needs the new shape, add a new function beside these.

Each call returns new Field instances: Django binds a field to one model, so they are never shared.
"""

from __future__ import annotations

from decimal import Decimal

from django.core import validators
from django.db import models

import secoop.core.markings


def id_field() -> tuple[str, models.Field]:
    """The implicit primary key (`DEFAULT_AUTO_FIELD`)."""
    return (
        "id",
        models.BigAutoField(
            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
        ),
    )


def marking_fields() -> list[tuple[str, models.Field]]:
    """`id` and core's MarkingFields (R-SEC-01): classification, dissemination, releasability."""
    return [
        id_field(),
        (
            "classification",
            models.PositiveSmallIntegerField(
                choices=[(0, "UNCLASSIFIED"), (1, "CUI"), (2, "CONFIDENTIAL"), (3, "SECRET")],
                default=secoop.core.markings.Classification["CUI"],
            ),
        ),
        (
            "dissemination",
            models.CharField(
                blank=True,
                choices=[("", "None"), ("NOFORN", "NOFORN"), ("REL", "REL TO")],
                default="",
                max_length=6,
            ),
        ),
        (
            "rel_to",
            models.CharField(
                blank=True,
                default="",
                help_text="Stored as ',USA,XBN,'.",
                max_length=400,
                verbose_name="releasable to",
            ),
        ),
    ]


def marked_record_fields() -> list[tuple[str, models.Field]]:
    """marking_fields() and the two time stamps of core's MarkedModel (every marked record but the
    change log, which has its own `at`)."""
    return [
        *marking_fields(),
        ("created_at", models.DateTimeField(auto_now_add=True)),
        ("updated_at", models.DateTimeField(auto_now=True)),
    ]


# --- single fields: the shapes many CreateModel/AddField operations share. Positional arguments
# are the field's own (verbose_name first; a foreign key's target first); keyword arguments are
# passed on as they are, so a migration states only what differs.


def action_date(*args, **kwargs) -> models.DateField:
    """A date only an action records (ARCHITECTURE invariant 2: not editable in forms), empty until
    then: `offered_on`, `accepted_on`, `closed_on`..."""
    return models.DateField(*args, blank=True, editable=False, null=True, **kwargs)


def optional_date(*args, **kwargs) -> models.DateField:
    """A date a user may leave empty."""
    return models.DateField(*args, blank=True, null=True, **kwargs)


def protected_fk(to: str, **kwargs) -> models.ForeignKey:
    """A foreign key whose target may not be deleted while a row points at it (every record keeps
    its history: on_delete=PROTECT)."""
    return models.ForeignKey(on_delete=models.deletion.PROTECT, to=to, **kwargs)


def optional_fk(to: str, **kwargs) -> models.ForeignKey:
    """protected_fk() that may be empty."""
    return models.ForeignKey(
        blank=True, null=True, on_delete=models.deletion.PROTECT, to=to, **kwargs
    )


def parent_fk(to: str, **kwargs) -> models.ForeignKey:
    """The record this one is part of, deleted with it (on_delete=CASCADE): a gap's analysis, a
    requirement's budget request... (issue 11, decision 0042)."""
    return models.ForeignKey(on_delete=models.deletion.CASCADE, to=to, **kwargs)


def country_and_owner(**owner_kwargs) -> list[tuple[str, models.ForeignKey]]:
    """A country record's two scope keys, as makemigrations lists them last in a CreateModel: the
    partner country and the owning organization (the door's scope, R-SEC-02); `owner_kwargs` are
    the owner key's own (verbose_name, help_text) (decision 0042)."""
    return [
        ("country", protected_fk("core.country", related_name="+")),
        ("owner_org", protected_fk("core.organization", related_name="+", **owner_kwargs)),
    ]


def scope_key(to: str) -> models.ForeignKey:
    """The change log's copy of a record's scope (country, owner organization) as it was: no
    database constraint, so that the entry outlives what it names."""
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


def fiscal_year(*args, **kwargs) -> models.PositiveSmallIntegerField:
    """A U.S. fiscal year, 2000 to 2100."""
    return models.PositiveSmallIntegerField(
        *args,
        validators=[validators.MinValueValidator(2000), validators.MaxValueValidator(2100)],
        **kwargs,
    )


def usd(*args, max_digits: int = 16, **kwargs) -> models.DecimalField:
    """An amount in U.S. dollars and cents (`max_digits` in all, two of them after the point)."""
    return models.DecimalField(*args, decimal_places=2, max_digits=max_digits, **kwargs)


def non_negative_usd(*args, **kwargs) -> models.DecimalField:
    """usd() that may not be below zero."""
    return usd(*args, validators=[validators.MinValueValidator(Decimal(0))], **kwargs)


def measured_value(*args, **kwargs) -> models.DecimalField:
    """A performance indicator's number (baseline, target, actual, disaggregated amount): 16
    digits, 4 after the point (assessment, R-AME-02; decision 0042)."""
    return models.DecimalField(*args, decimal_places=4, max_digits=16, **kwargs)


def document_file(upload_to: str) -> models.FileField:
    """An uploaded document: the file types and the size limit of core.models.documents."""
    import secoop.core.models.documents

    return models.FileField(
        blank=True,
        upload_to=upload_to,
        validators=[
            validators.FileExtensionValidator(
                ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "png", "jpg", "jpeg"]
            ),
            secoop.core.models.documents.validate_file_size,
        ],
    )


def ccmd_choices() -> list[tuple[str, str]]:
    """The six geographic combatant commands (core.models.reference.CombatantCommand)."""
    return [
        ("AFRICOM", "U.S. Africa Command"),
        ("CENTCOM", "U.S. Central Command"),
        ("EUCOM", "U.S. European Command"),
        ("INDOPACOM", "U.S. Indo-Pacific Command"),
        ("NORTHCOM", "U.S. Northern Command"),
        ("SOUTHCOM", "U.S. Southern Command"),
    ]


def activity_funding_choices() -> list[tuple[str, str]]:
    """Where an activity's money comes from (planning.models.FundingSource then), as planning 0001
    (ActivityFunding.source), analysis 0001 (Program.funding_source) and assessment 0002 state it."""
    return [
        ("fmf", "FMF (Foreign Military Financing)"),
        ("fms", "FMS (partner national funds)"),
        ("dcs", "DCS (Direct Commercial Sale)"),
        ("bpc", "BPC (e.g. 10 U.S.C. 333)"),
        ("imet", "IMET"),
        ("om", "DoD O&M (CCMD / component)"),
        ("dib", "Defense institution building"),
        ("state", "Other DoS programs (e.g. INCLE, PKO)"),
        ("interagency", "Other U.S. agencies"),
        ("partner", "Partner funds"),
        ("other", "Other"),
    ]


def case_category_choices() -> list[tuple[str, str]]:
    """An FMS case's category, as cases 0001 (FmsCase.category) and 0006 (CaseAmendment.category)
    state it."""
    return [
        ("unique", "Purchaser-unique"),
        ("standard", "Standard"),
        ("services", "Services only"),
        ("bpc", "Building partner capacity"),
    ]


def write_facts(apps, facts) -> None:
    """Data migrations: write dated reference facts (SPEC §11: facts that change are data with
    their source), each `(key, label, value, unit, effective_from, source, notes)`; the row of that
    key and date is updated, or added. Reads the historical ReferenceFact (`apps`), whose fields
    these are since core 0001."""
    ReferenceFact = apps.get_model("core", "ReferenceFact")
    for key, label, value, unit, since, source, notes in facts:
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
