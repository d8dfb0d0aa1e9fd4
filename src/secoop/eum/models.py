"""End-use monitoring (SPEC §6, R-EUM-01..08; §11 enhanced EUM): transferred articles and their
serial numbers, inventories and inspections, possible violations, compliance assessment visits,
routine reports, the quarterly EUM database review, the control plan per country, change of end
use and third-party transfer requests, and materiel notices.

Every record is a MarkedModel, read through the door. The partner sees the records of its own
articles, visits, reports and plan, and the status of a possible violation, never the
investigation notes (field policy below, R-SEC-03); the database review and materiel notices
are internal. Writes go through eum.actions."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models

from secoop.cases.models import CaseLine
from secoop.cases.models import DcsLicense
from secoop.cases.models import Delivery
from secoop.cases.models import EdaOffer
from secoop.cases.models import FmsCase
from secoop.core.fields import FieldPolicy
from secoop.core.formats import day
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import MarkedModel
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.related import loaded

from . import rules
from .rules import CheckKind
from .rules import Interest
from .rules import Monitoring
from .rules import Program
from .rules import RequestKind
from .rules import SerialStatus
from .rules import Source


class TransferredArticle(MarkedModel):
    """Defense articles transferred to a partner and monitored (R-EUM-01): from an FMS case's
    delivery (case, line, NSN) or entered by hand for a DCS or EDA transfer. Enhanced-EUM articles
    are tracked by serial number (SPEC §11)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(
        Organization,
        related_name="+",
        verbose_name="monitored by",
        help_text="The SCO that monitors the articles in country.",
    )
    nomenclature = models.CharField("article", max_length=200)
    nsn = models.CharField("NSN", max_length=20, help_text="National stock number, 13 digits.")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    source = models.CharField("transferred by", max_length=6, choices=Source.choices)
    program = models.CharField(max_length=14, choices=Program.choices)
    monitoring = models.CharField(max_length=8, choices=Monitoring.choices)
    case = optional_fk(FmsCase, related_name="+")
    line = optional_fk(CaseLine, related_name="+")
    delivery = optional_fk(Delivery, related_name="+")
    eda_offer = optional_fk(EdaOffer, related_name="+", verbose_name="EDA offer")
    dcs_license = optional_fk(DcsLicense, related_name="+", verbose_name="DCS license")
    transfer_reference = models.CharField(
        "DCS license or EDA reference",
        max_length=60,
        blank=True,
        help_text="For a transfer entered by hand: the DDTC license number or the EDA offer.",
    )
    delivered_on = models.DateField("delivered on")
    serial_format = models.CharField(
        max_length=80,
        blank=True,
        help_text="Enhanced EUM: the pattern every serial of this article follows, e.g. NVD-[0-9]{6}.",
    )
    storage_site = models.CharField(max_length=200, blank=True)
    holder = models.CharField("holding unit", max_length=200, blank=True)

    class Meta:
        ordering = ["country", "nomenclature", "pk"]
        verbose_name = "transferred article"

    def __str__(self) -> str:
        return f"{self.nomenclature} ({self.quantity}, NSN {self.nsn})"

    detail_url = "eum:article-detail"

    @property
    def is_enhanced(self) -> bool:
        return self.monitoring == Monitoring.ENHANCED


# R-SEC-03: the partner never reads which DCS license (the company's application) it came under.
TransferredArticle.field_policy = FieldPolicy(
    partner=tuple(
        f.name for f in TransferredArticle._meta.concrete_fields if f.name != "dcs_license"
    )
)


class SerialNumber(MarkedModel):
    """One serial of an enhanced-EUM article, validated at entry (SPEC §11)."""

    scoped_by = "article"

    article = protected_fk(TransferredArticle, related_name="serials")
    serial = models.CharField(max_length=60)
    status = models.CharField(
        max_length=12, choices=SerialStatus.choices, default=SerialStatus.ON_HAND, editable=False
    )
    last_seen_on = action_date()

    class Meta:
        ordering = ["article", "serial"]
        verbose_name = "serial number"
        constraints = [
            models.UniqueConstraint(fields=["article", "serial"], name="eum_serial_unique")
        ]

    def __str__(self) -> str:
        return f"Serial {self.serial}"

    detail_url = "eum:article-detail"
    detail_arg = "article_id"


class Check(MarkedModel):
    """An inventory or a physical-security inspection (SPEC §11): who, when, what was found, the
    evidence; for an inventory the serials present and missing."""

    country_field = "article__country"
    history_parent = "article"

    article = protected_fk(TransferredArticle, related_name="checks")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="recorded by")
    kind = models.CharField(max_length=10, choices=CheckKind.choices)
    checked_on = models.DateField("checked on")
    checked_by = models.CharField("checked by", max_length=200)
    recorded_by = protected_fk(User, null=True, related_name="+", editable=False)
    findings = models.TextField(blank=True)
    evidence = models.TextField(
        blank=True, help_text="Photos, hand receipts, signed count sheets: where they are kept."
    )
    present = models.JSONField(default=list, editable=False)
    missing = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = "inventory or inspection"
        verbose_name_plural = "inventories and inspections"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {day(self.checked_on)}"

    detail_url = "eum:check-detail"


class PossibleViolation(MarkedModel):
    """A possible violation of the transfer's terms (R-EUM-07): opened (by a missing serial or by
    hand), investigated locally, resolved or forwarded by the country team to DoS PM/RSAT. The
    timeline keeps each step; the investigation notes are internal (field policy)."""

    country_field = "article__country"
    history_parent = "article"

    article = protected_fk(TransferredArticle, related_name="violations")
    serial = optional_fk(SerialNumber, related_name="+")
    check_record = optional_fk(Check, related_name="+", verbose_name="found in", editable=False)
    owner_org = protected_fk(Organization, related_name="+", verbose_name="handled by")
    opened_on = models.DateField()
    summary = models.CharField(max_length=300)
    status = models.CharField(
        max_length=14,
        choices=list(rules.VIOLATION_STATES.items()),
        default="open",
        editable=False,
    )
    timeline = models.JSONField(default=list, editable=False)
    outcome = models.TextField(blank=True, editable=False)
    forwarded_on = action_date("forwarded to DoS PM/RSAT")
    closed_on = action_date()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = "possible violation"

    def __str__(self) -> str:
        return f"Possible violation: {self.summary}"

    detail_url = "eum:violation-detail"

    @property
    def is_open(self) -> bool:
        return self.status in rules.VIOLATION_OPEN


class InvestigationNote(MarkedModel):
    """A note of the local investigation of a possible violation (R-EUM-07), by U.S. staff for
    U.S. staff: marked NOFORN (actions.violation_step), so that the door keeps it from LE staff
    and the partner on every surface — the violation's page, the API, search and the change log
    (R-SEC-02, R-SEC-03) — where a field of the violation would reach whoever reads the violation."""

    scoped_by = "violation"

    violation = models.ForeignKey(PossibleViolation, on_delete=models.PROTECT, related_name="notes")
    written_on = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["written_on", "pk"]
        verbose_name = "investigation note"

    def __str__(self) -> str:
        return f"Investigation note of {day(self.written_on)}"

    detail_url = "eum:violation-detail"
    detail_arg = "violation_id"


class ComplianceVisit(MarkedModel):
    """A DSCA compliance assessment visit (CAV), in country or virtual (R-EUM-02)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="recorded by")
    held_on = models.DateField("held on")
    virtual = models.BooleanField("virtual assessment", default=False)
    team = models.CharField("assessment team", max_length=200, blank=True)
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "compliance assessment visit"

    def __str__(self) -> str:
        kind = "Virtual compliance assessment" if self.virtual else "Compliance assessment visit"
        return f"{kind} of {day(self.held_on)}"

    detail_url = "eum:visit-detail"


class RoutineReport(MarkedModel):
    """A routine EUM report (R-EUM-03), uploaded at least quarterly, by the SCO or the partner."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="reported by")
    period_end = models.DateField("quarter ended")
    submitted_on = models.DateField(editable=False)
    summary = models.TextField()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = "routine EUM report"

    def __str__(self) -> str:
        return f"Routine EUM report, quarter ended {day(self.period_end)}"

    detail_url = "eum:report-detail"


class DatabaseReview(InternalRecord):
    """The quarterly review of the EUM database (DODIG-2025-078): who reviewed, when, what was
    checked, the discrepancies found, and a second person's sign-off (R-SEC-11)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+")
    reviewed_on = models.DateField("reviewed on")
    reviewer = protected_fk(User, null=True, related_name="+", editable=False)
    checked = models.TextField("what was checked")
    discrepancies = models.TextField("discrepancies found", blank=True)
    signed_off_by = optional_fk(User, related_name="+", editable=False)
    signed_off_on = action_date()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = "EUM database review"

    def __str__(self) -> str:
        return f"EUM database review of {day(self.reviewed_on)}"

    detail_url = "eum:review-detail"


class ControlPlan(MarkedModel):
    """The EUM control plan of a country (R-EUM-04)."""

    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+")
    internal_accountability = models.TextField("partner internal accountability", blank=True)
    inventory_reporting = models.TextField("reporting of inventories and inspections", blank=True)
    record_keeping = models.TextField("record keeping (partner and SCO)", blank=True)
    violation_reporting = models.TextField("reporting possible violations", blank=True)
    visit_procedures = models.TextField("procedures for EUM visits", blank=True)
    approved_on = action_date()

    class Meta:
        ordering = ["country"]
        verbose_name = "EUM control plan"
        constraints = [
            models.UniqueConstraint(fields=["country"], name="eum_control_plan_per_country")
        ]

    def __str__(self) -> str:
        country = loaded(self, "country")
        return f"EUM control plan{f' of {country.name}' if country else ''}"

    detail_url = "eum:plan-detail"


class EndUseRequest(MarkedModel):
    """A change of end use (R-EUM-05) or a third-party transfer (R-EUM-06): nothing is carried out
    before the USG approval or written consent is recorded."""

    country_field = "article__country"
    history_parent = "article"

    article = protected_fk(TransferredArticle, related_name="end_use_requests")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="requested by")
    kind = models.CharField("what is asked", max_length=12, choices=RequestKind.choices)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    description = models.TextField("the request")
    recipient = models.CharField("third-party recipient", max_length=200, blank=True)
    requested_on = models.DateField()
    environmental_agreement = models.BooleanField(
        "an environmental agreement applies",
        default=False,
        help_text="The conditions before and after are then recorded (R-EUM-05).",
    )
    status = models.CharField(
        max_length=10,
        choices=list(rules.REQUEST_STATES.items()),
        default="requested",
        editable=False,
    )
    decided_on = action_date()
    reference = models.CharField(
        "USG approval or consent reference", max_length=120, blank=True, editable=False
    )
    carried_out_on = action_date()
    demil_standard = models.CharField(
        "demilitarization standard applied", max_length=120, blank=True, editable=False
    )
    condition_before = models.TextField(blank=True, editable=False)
    condition_after = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "change of end use or transfer request"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request of {day(self.requested_on)}"

    detail_url = "eum:request-detail"


class MaterielNotice(InternalRecord):
    """A materiel notice (R-EUM-08): an item offered to the countries that showed interest and are
    eligible; states the rationale, the LOR deadline and the final LOA acceptance date."""

    country_field = None
    owner_org = protected_fk(Organization, related_name="+", verbose_name="issued by")
    item = models.CharField(max_length=200)
    related_terms = models.CharField(
        "related systems",
        max_length=300,
        blank=True,
        help_text="Systems whose holders may want the item, separated by commas.",
    )
    rationale = models.TextField(blank=True)
    lor_deadline = optional_date("LOR deadline")
    loa_acceptance_by = optional_date("final LOA acceptance date")
    issued_on = action_date()

    class Meta:
        ordering = ["-created_at", "item"]
        verbose_name = "materiel notice"

    def __str__(self) -> str:
        return f"Materiel notice: {self.item}"

    detail_url = "eum:notice-detail"


class NoticeRecipient(InternalRecord):
    """A country on a materiel notice's list, with why it is there and its eligibility."""

    owner_org_field = "notice__owner_org"
    history_parent = "notice"

    notice = protected_fk(MaterielNotice, related_name="recipients")
    country = protected_fk(Country, related_name="+")
    reason = models.CharField("interest shown", max_length=10, choices=Interest.choices)
    eligible = models.BooleanField("eligible under the National Disclosure Policy", default=False)
    evidence = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["notice", "country"]
        verbose_name = "materiel notice recipient"
        constraints = [
            models.UniqueConstraint(fields=["notice", "country"], name="eum_notice_country_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.get_reason_display()}"

    detail_url = "eum:notice-detail"
    detail_arg = "notice_id"
