"""FMS cases: LOR → CTA → LOA (case, lines, versions) → execution (master plan, events,
deliveries, shipments, SDRs, reviews, payments, costs) → closure, and the case file (SPEC §5).

Every record is a MarkedModel. CTAs, internal notes, the master plan, reviews and internal costs
are never shown to partners (R-SEC-03); an LOA is shown to its purchaser once it is shared
(offered, or — for a BPC pseudo-LOA — accepted and funded, §11 BPC partner visibility), and its
lines, deliveries, shipments and payments follow it. Writes go through cases.actions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from secoop.core.fields import FieldPolicy
from secoop.core.formats import day
from secoop.core.models import CodeListEntry
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import MarkedModel
from secoop.core.models import Organization
from secoop.core.models import ReferenceQuerySet
from secoop.core.models import User
from secoop.core.models.documents import document_file
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import non_negative_usd
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.models.fieldkit import usd
from secoop.core.models.records import trusted_following
from secoop.core.related import loaded
from secoop.core.search import SearchDocument

from . import rules
from .rules import ChangeKind
from .rules import Status


def _case_prefix(record) -> str:
    """ "<case identifier> " for a record's name when its case may be named without a reader at
    hand (core.related.loaded): a record fetched for a user names its case only when the case
    came through the door too."""
    case = loaded(record, "case")
    return f"{case.identifier} " if case is not None else ""


# --- reference data kept as data (R-FMS-02, R-FMS-10) -------------------------------------------


class CtaCriterion(models.Model):
    """A reason an LOR needs a Country Team Assessment (SAMM C5.1.4), editable by an administrator."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    flag = models.CharField(
        max_length=30,
        help_text="The LOR fact it looks at: sme, mde, sensitive_technology, new_capability, notification_36b, night_vision.",
    )
    source = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "CTA criterion"
        verbose_name_plural = "CTA criteria"

    def __str__(self) -> str:
        return self.label

    def as_rule(self) -> rules.Criterion:
        return rules.Criterion(self.code, self.label, self.flag)


class CtaElement(models.Model):
    """One element a CTA addresses (SAMM Table C5.T1), in order; some apply only to some items."""

    code = models.SlugField(max_length=40, unique=True)
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    only_when = models.CharField(
        max_length=30,
        blank=True,
        help_text="An LOR flag (e.g. night_vision) if the element is item-specific.",
    )
    source = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["number", "code"]
        verbose_name = "CTA element"

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class IlcoRouting(models.Model):
    """Which International Logistics Control Organization receives a MILDEP's SDRs (R-FMS-10)."""

    mildep = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="military department"
    )
    ilco = protected_fk(Organization, related_name="+", verbose_name="ILCO")
    source = models.CharField(max_length=200, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "ILCO routing"

    def __str__(self) -> str:
        return f"{self.mildep} → {self.ilco}"


# --- LOR (R-FMS-01) ------------------------------------------------------------------------------


class RequestType(models.TextChoices):
    PA = "pa", "Price and availability (P&A)"
    LOA = "loa", "Letter of Offer and Acceptance (LOA)"


class LorStatus(models.TextChoices):
    RECEIVED = "received", "Received by the SCO"
    SUBMITTED = "submitted", "Submitted to the IA"
    VALIDATED = "validated", "Validated (customer request)"
    RETURNED = "returned", "Returned incomplete"


class LetterOfRequest(MarkedModel):
    """A partner's Letter of Request, entered by the SCO or submitted by a partner user."""

    title = models.CharField(max_length=200)
    country = protected_fk(Country, related_name="+", verbose_name="partner")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="entered by")
    received_on = optional_date("date received")
    requested_items = models.TextField("articles and services requested", blank=True)
    estimated_value = non_negative_usd("estimated value (USD)", null=True, blank=True)
    mde_value = non_negative_usd("of which MDE (USD)", default=Decimal("0"))
    design_construction_value = non_negative_usd(
        "of which design and construction (USD)", default=Decimal("0")
    )
    sme = models.BooleanField("includes SME", default=False)
    mde = models.BooleanField("includes MDE", default=False)
    sensitive_technology = models.BooleanField(default=False)
    new_capability = models.BooleanField("first introduction of a new capability", default=False)
    night_vision = models.BooleanField("includes night vision devices", default=False)
    implementing_agency = optional_fk(Organization, related_name="+", verbose_name="routed to (IA)")
    request_type = models.CharField(
        "P&A or LOA", max_length=4, choices=RequestType.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=LorStatus.choices, default=LorStatus.RECEIVED, editable=False
    )
    ia_received_on = action_date(
        "received by the IA",
        help_text="The day the implementing agency received the LOR: the validation clock starts here.",
    )
    complete_on = action_date("LOR-complete date")
    validated_on = action_date()
    validated_by = optional_fk(User, related_name="+", editable=False)

    class Meta:
        ordering = ["-received_on", "title"]
        verbose_name = "letter of request"
        verbose_name_plural = "letters of request"

    def __str__(self) -> str:
        return f"LOR: {self.title}"

    detail_url = "cases:lor-detail"

    @property
    def is_of_record(self) -> bool:
        """Validated: the customer request of record, no longer edited (R-FMS-01)."""
        return self.status not in rules.LOR_EDITABLE

    @property
    def flags(self) -> dict[str, bool]:
        return {
            "sme": self.sme,
            "mde": self.mde,
            "sensitive_technology": self.sensitive_technology,
            "new_capability": self.new_capability,
            "night_vision": self.night_vision,
        }


# --- CTA (R-FMS-02) -------------------------------------------------------------------------------


class CtaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COORDINATED = "coordinated", "Coordinated with the country team"
    TRANSMITTED = "transmitted", "Transmitted to DSCA and the DoD component"


class CountryTeamAssessment(InternalRecord):
    """The SCO's Country Team Assessment of an LOR: internal USG, never shown to partners."""

    country_field = "lor__country"

    lor = protected_fk(LetterOfRequest, related_name="ctas", verbose_name="LOR")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="drafted by")
    dated = optional_date("signed on")
    elements = models.JSONField(
        default=dict, blank=True, help_text="Element code → the country team's text."
    )
    status = models.CharField(
        max_length=12, choices=CtaStatus.choices, default=CtaStatus.DRAFT, editable=False
    )
    coordinated_on = action_date()
    coordinated_with = models.CharField(max_length=300, blank=True, editable=False)
    transmitted_on = action_date()
    with_lor = models.BooleanField("transmitted with the LOR", default=True, editable=False)

    history_parent = "lor"

    class Meta:
        ordering = ["-dated", "pk"]
        verbose_name = "country team assessment"

    def __str__(self) -> str:
        # Not the LOR's title: a CTA may be marked lower than its LOR, and its name shows in lists and history.
        return f"Country team assessment #{self.pk}" + (
            f" of {day(self.dated)}" if self.dated else ""
        )

    detail_url = "cases:cta-detail"


# --- the LOA / case --------------------------------------------------------------------------------


class LoaType(models.TextChoices):
    DEFINED = "defined", "Defined order"
    BLANKET = "blanket", "Blanket order"
    CLSSA = "clssa", "CLSSA"
    # SAMM C6.4.3 / LOA notes (DSCA 06-11): a CLSSA is two cases, the FMSO I equity investment in
    # U.S. stocks and the FMSO II requisition case drawing on it (cases/rules.py, CLSSA section).
    FMSO_I = "fmso1", "CLSSA FMSO I (equity investment)"
    FMSO_II = "fmso2", "CLSSA FMSO II (requisitions)"
    PSEUDO = "pseudo", "Pseudo-LOA (BPC)"


class CaseCategory(models.TextChoices):
    """The LOA document's case category for AOD measurement (SAMM C5.4.2)."""

    UNIQUE = "unique", "Purchaser-unique"
    STANDARD = "standard", "Standard"
    SERVICES = "services", "Services only"
    BPC = "bpc", "Building partner capacity"


class AodGroup(models.TextChoices):
    """The four LOA development groups the AOD is measured by (DSCA 11-46, 13-26); their days are
    dated facts (fms-aod-group-<x>-days)."""

    A = "A", "Group A"
    B = "B", "Group B"
    C = "C", "Group C"
    D = "D", "Group D"


class AodDelayReason(CodeListEntry):
    """A code from the list of reasons an LOA document was offered after its AOD (SAMM C5.4.2:
    late documents carry a delay reason code), kept as data an administrator edits."""

    code = models.CharField(max_length=20, unique=True)
    label = models.CharField(max_length=200)
    source = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = "AOD delay reason code"


class FmsCase(MarkedModel):
    """An LOA and the case it becomes. Shown to the purchaser once shared (see module doc)."""

    partner_visible_field = "shared_with_partner"

    identifier = models.CharField(
        "case identifier", max_length=8, unique=True, help_text="CC-I-DDD, e.g. XB-B-ZAA."
    )
    title = models.CharField(max_length=200)
    country = protected_fk(Country, related_name="+", verbose_name="purchaser")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="implementing agency")
    lor = optional_fk(LetterOfRequest, related_name="cases", verbose_name="LOR")
    loa_type = models.CharField(
        "LOA type", max_length=8, choices=LoaType.choices, default=LoaType.DEFINED
    )
    category = models.CharField(
        "case category", max_length=10, choices=CaseCategory.choices, default=CaseCategory.UNIQUE
    )
    aod_group = models.CharField(
        "AOD group", max_length=1, choices=AodGroup.choices, default=AodGroup.B
    )
    status = models.CharField(
        max_length=12, choices=Status.CHOICES, default=Status.DEVELOPMENT, editable=False
    )
    version = models.PositiveSmallIntegerField(
        "document version",
        default=0,
        editable=False,
        help_text="0 = basic LOA; each amendment, modification or restatement adds one.",
    )
    lor_complete_on = action_date("LOR-complete date")
    aod = action_date("anticipated offer date (AOD)")
    delay_reason = models.CharField(
        "AOD delay reason code",
        max_length=20,
        blank=True,
        help_text="A code from the AOD delay reason list: required when the LOA is offered after its AOD.",
    )
    written_on = action_date()
    reviewed_on = action_date()
    proposed_on = action_date()
    milap_on = action_date("MILDEP approval (MILAP)")
    oed_days = models.PositiveSmallIntegerField(
        "OED days used", null=True, blank=True, editable=False
    )
    oed = action_date("offer expiration date (OED)")
    oed_remark = models.TextField(
        "OED remark",
        blank=True,
        editable=False,
        help_text="The case remark for a longer OED, or the short-OED note for a shorter one (§11 OED).",
    )
    offered_on = action_date()
    n36b_review_on = action_date(
        "36(b) informal (tiered) review",
        help_text="The day the informal review of the 36(b) notification began (non-NATO+5, SAMM C5.5).",
    )
    n36b_notified_on = action_date(
        "36(b) formal notification",
        help_text="The day Congress was formally notified (AECA 36(b)); the offer waits the statutory period after it.",
    )
    disclosure_approved_on = optional_date("foreign disclosure approved")
    transfer_approved_on = optional_date("international transfer approved")
    signed_on = action_date("purchaser signature")
    deposit_on = action_date("initial deposit received")
    accepted_on = action_date()
    rejected_on = action_date()
    cancelled_on = action_date()
    sco_notified_on = action_date("SCO advised the IA and DSCA")
    implemented_on = action_date()
    case_manager = optional_fk(User, related_name="+")
    transportation_plan = models.CharField(
        "transportation plan (part of the LOA)",
        max_length=200,
        blank=True,
        help_text="Reference of the plan; required before classified materiel ships (R-FMS-09).",
    )
    fmf_baseline = non_negative_usd("approved FMF baseline (USD)", null=True, blank=True)
    fmf_deviation_approved_on = optional_date("FMF deviation approved")
    final_delivery_on = action_date()
    ssc_on = action_date("supply/services complete")
    closure_due = action_date()
    closed_on = action_date()
    # Closure (issue 13 item 6, §11): interim closure and the SSC conditions the IA recorded.
    interim_closed_on = action_date("interim closure")
    services_complete_on = action_date("last service performed")
    warranties_end_on = action_date("last warranty ends")
    storage_quantity = models.PositiveIntegerField(
        "items held in storage for the purchaser", null=True, blank=True, editable=False
    )
    shared_with_partner = models.BooleanField(default=False, editable=False)
    # CLSSA (fmsclssa section at the end of this module): an FMSO II case names its FMSO I.
    fmso1_case = optional_fk(
        "self",
        related_name="fmso2_cases",
        verbose_name="FMSO I case",
        help_text="For a CLSSA FMSO II case: the purchaser's FMSO I (equity) case it requisitions against.",
    )

    # Searched through full-text indexes, ranked (core.search; dbindex.FullText, migration 0010).
    search_document = SearchDocument.of(text={"title": 1.0}, codes=("identifier",))

    class Meta:
        ordering = ["identifier"]
        verbose_name = "FMS case"
        verbose_name_plural = "FMS cases"
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    detail_url = "cases:case-detail"

    def is_lapsed(self, today: dt.date) -> bool:
        return rules.is_lapsed(self.status, self.oed, today)

    @property
    def is_offered(self) -> bool:
        """Offered to the purchaser and awaiting acceptance (SPEC §5): its OED matters."""
        return rules.TRANSITIONS.allows("accept", self.status)

    def status_label(self, today: dt.date) -> str:
        return rules.display_status(self.status, self.oed, today)


def _partner_policy(model, internal: set[str], computed: tuple[str, ...] = ()) -> FieldPolicy:
    """One field policy per model (ARCHITECTURE invariant 8, core.fields): the partner reads every
    field of its own record but the internal USG ones (R-SEC-03) — in the API, the filters, the
    lists and the change log alike. `computed` are API fields the partner may read too."""
    names = tuple(f.name for f in model._meta.concrete_fields if f.name not in internal)
    return FieldPolicy(partner=names + computed)


# The LOR's CTA reasons and 36(b) assessment, the validation goal and who validated it are internal.
LetterOfRequest.field_policy = _partner_policy(LetterOfRequest, {"validated_by"})
# The 36(b) review dates, the AOD measurement (group, date, delay reason) are internal.
FmsCase.field_policy = _partner_policy(
    FmsCase,
    {"n36b_review_on", "n36b_notified_on", "aod_group", "aod", "delay_reason"},
    ("display_status", "lapsed", "next_actions", "actions_now"),
)


class CaseChild(MarkedModel):
    """A record of a case: owned by the case's IA, of its purchaser, in its history."""

    owner_org_field = "case__owner_org"
    country_field = "case__country"
    history_parent = "case"

    class Meta:
        abstract = True


class SharedWithCase(CaseChild):
    """Shown to the purchaser when the case is (partner_visible_field follows the case)."""

    partner_visible_field = "case__shared_with_partner"

    class Meta:
        abstract = True

    # can_see_record and the change log read the flag by getattr on this exact name.
    @property
    def case__shared_with_partner(self) -> bool:  # noqa: N802
        with trusted_following():  # the door's own fact, never shown
            return bool(self.case.shared_with_partner)


class OnCaseTab:
    """A case record shown on a tab of its case's page (core RecordPage); the class names the tab
    (`detail_tab`)."""

    detail_url = "cases:case-detail"
    detail_arg = "case_id"


class CaseLine(OnCaseTab, SharedWithCase):
    case = protected_fk(FmsCase, related_name="lines")
    number = models.CharField(max_length=3, help_text="001, 002, …")
    item = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    quantity = models.IntegerField()
    unit_of_issue = models.CharField(max_length=10, default="EA")
    unit_value = usd("unit value (USD)")
    total_value = usd("total value (USD)", editable=False, default=Decimal("0"))
    sme = models.BooleanField("SME", default=False)
    mde = models.BooleanField("MDE", default=False)
    design_construction = models.BooleanField(
        "design and construction",
        default=False,
        help_text="Design and construction services: counted against the 36(b) design and construction threshold.",
    )
    fmf_funded = models.BooleanField("FMF-funded", default=False)
    program_of_record = models.BooleanField(default=True)
    classified = models.BooleanField("classified materiel", default=False)

    # Searched through full-text indexes, ranked (core.search; dbindex.FullText, migration 0010).
    search_document = SearchDocument.of(text={"item": 1.0, "description": 0.4})

    class Meta:
        ordering = ["case", "number"]
        verbose_name = "case line"
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="case_line_number_unique")
        ]

    def __str__(self) -> str:
        return f"{_case_prefix(self)}line {self.number}: {self.item}"

    detail_tab = "lines"

    def state(self) -> rules.LineState:
        return rules.LineState(
            self.number,
            self.item,
            self.quantity,
            self.unit_value,
            self.sme,
            self.mde,
            self.fmf_funded,
        )


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", "Offered to the purchaser"
    ACCEPTED = "accepted", "Accepted / in force"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CaseAmendment(SharedWithCase):
    """A new version of the LOA document: amendment, modification or restatement, with the lines
    before and after and their readable difference."""

    case = protected_fk(FmsCase, related_name="amendments")
    number = models.PositiveSmallIntegerField("version", editable=False)
    kind = models.CharField(max_length=14, choices=ChangeKind.CHOICES)
    description = models.TextField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.PROPOSED, editable=False
    )
    changes = models.JSONField(
        default=list, help_text="The line changes requested (add / change / delete)."
    )
    lines_before = models.JSONField(default=list, editable=False)
    lines_after = models.JSONField(default=list, editable=False)
    diff = models.JSONField(default=list, editable=False)
    value_before = usd(editable=False, default=Decimal("0"))
    value_after = usd(editable=False, default=Decimal("0"))
    issued_on = action_date()
    accepted_on = action_date()
    # §11 AOD: amendments are measured to offer (issue), modifications to implementation; each
    # carries its own category and development group (fmsclssa section at the end of this module).
    category = models.CharField(
        "case category", max_length=10, choices=CaseCategory.choices, blank=True, editable=False
    )
    aod_group = models.CharField(
        "AOD group", max_length=1, choices=AodGroup.choices, blank=True, editable=False
    )
    request_complete_on = action_date(
        "change request complete",
        help_text="The day the request for this amendment or modification was complete: its AOD counts from here.",
    )
    aod = action_date("anticipated offer date (AOD)")
    delay_reason = models.CharField(
        "AOD delay reason code", max_length=20, blank=True, editable=False
    )

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="case_version_unique")
        ]

    def __str__(self) -> str:
        return f"{_case_prefix(self)}{self.get_kind_display().split(' ')[0].lower()} {self.number}"

    detail_url = "cases:amendment-detail"


# --- execution (R-FMS-06, 09, 10, 11) ----------------------------------------------------------


class PlanItemKind(models.TextChoices):
    COMPONENT = "component", "Management component"
    ACTIVITY = "activity", "Significant activity"
    SCHEDULE = "schedule", "Schedule milestone"
    POC = "poc", "Point of contact"


class MasterPlanItem(CaseChild):
    """The case manager's master plan (R-FMS-06): internal, never shown to partners."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="plan_items")
    kind = models.CharField(max_length=10, choices=PlanItemKind.choices)
    title = models.CharField(max_length=200)
    due_on = optional_date()
    done_on = optional_date()
    poc = models.CharField("point of contact", max_length=200, blank=True)

    class Meta:
        ordering = ["case", "due_on", "pk"]
        verbose_name = "master plan item"

    shown_by = "title"


class CaseEvent(CaseChild):
    """The chronological history of significant events and decisions (R-FMS-06)."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="events")
    on = models.DateField()
    kind = models.CharField(
        max_length=12,
        choices=[("milestone", "Milestone"), ("decision", "Decision"), ("event", "Event")],
        default="event",
    )
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["case", "on", "pk"]
        verbose_name = "significant event"

    def __str__(self) -> str:
        return self.summary


class Delivery(OnCaseTab, SharedWithCase):
    """A delivery of a line: planned vs actual dates and quantities (R-FMS-06, R-FMS-09)."""

    case = protected_fk(FmsCase, related_name="deliveries")
    line = protected_fk(CaseLine, related_name="deliveries")
    planned_on = models.DateField()
    planned_quantity = models.IntegerField()
    actual_on = action_date()
    actual_quantity = models.IntegerField(null=True, blank=True, editable=False)
    title_passed = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["case", "planned_on", "pk"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        line = loaded(self, "line")
        what = f"{_case_prefix(line)}line {line.number}" if line is not None else "Delivery"
        return f"{what}: {self.planned_quantity} by {day(self.planned_on)}"

    detail_tab = "deliveries"

    @property
    def delivered(self) -> bool:
        return self.actual_on is not None

    def days_late(self, today: dt.date) -> int:
        return rules.days_late(self.planned_on, self.actual_on, today)


class Shipment(OnCaseTab, SharedWithCase):
    case = protected_fk(FmsCase, related_name="shipments")
    delivery = optional_fk(Delivery, related_name="shipments")
    reference = models.CharField("transportation control number", max_length=40)
    shipped_on = models.DateField()
    classified = models.BooleanField("classified materiel", default=False)
    via_dts = models.BooleanField("via the Defense Transportation System", default=False)
    dts_representative = models.CharField(
        "DTS designated representative", max_length=200, blank=True
    )
    received_on = optional_date()

    class Meta:
        ordering = ["case", "-shipped_on", "pk"]

    def __str__(self) -> str:
        return f"Shipment {self.reference}"

    detail_tab = "deliveries"


class SdrStatus(models.TextChoices):
    ROUTED = "routed", "Routed to the ILCO"
    REPLIED = "replied", "ILCO replied"
    CLOSED = "closed", "Closed"


class Discrepancy(models.TextChoices):
    """The kinds of discrepancy an SF 364 reports."""

    SHORTAGE = "shortage", "Shortage"
    DAMAGE = "damage", "Damage"
    WRONG_ITEM = "wrong_item", "Wrong item"
    QUALITY = "quality", "Quality deficiency"
    DOCUMENTATION = "documentation", "Documentation"


class SupplyDiscrepancyReport(CaseChild):
    """SF 364: routed to the ILCO of the case's MILDEP (R-FMS-10). Owned by whoever submits it."""

    owner_org_field = "owner_org"
    case = protected_fk(FmsCase, related_name="sdrs")
    line = optional_fk(CaseLine, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="submitted by")
    reported_on = models.DateField()
    discrepancy = models.CharField(max_length=20, choices=Discrepancy.choices)
    description = models.TextField()
    quantity = models.IntegerField(default=1)
    value = non_negative_usd("value incl. transport (USD)")
    title_passed_on = optional_date(
        "title passed or first billed",
        help_text="The later of the day title passed (delivery) and the initial billing: an SDR is filed within one year of it.",
    )
    recommended_fms_funds = non_negative_usd(
        "FMS funds the SDR package recommends (USD)",
        null=True,
        blank=True,
        help_text="A package recommending more than the threshold of FMS funds needs MILDEP headquarters endorsement (DSCA 14-10).",
    )
    ilco = optional_fk(
        Organization, related_name="+", editable=False, verbose_name="routed to (ILCO)"
    )
    status = models.CharField(
        max_length=8, choices=SdrStatus.choices, default=SdrStatus.ROUTED, editable=False
    )
    replied_on = action_date()
    reply = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-reported_on", "pk"]
        verbose_name = "supply discrepancy report"

    def __str__(self) -> str:
        return f"SDR {self.pk}: {self.get_discrepancy_display()}"

    detail_url = "cases:sdr-detail"


class CaseReview(CaseChild):
    """Program, case management or financial management review notes (R-FMS-11): internal."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="reviews")
    kind = models.CharField(
        max_length=4,
        choices=[
            ("pmr", "Program management review"),
            ("cmr", "Case management review"),
            ("fmr", "Financial management review"),
        ],
    )
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    sco_travel_fms_admin = models.BooleanField("SCO travel charged to FMS admin", default=False)

    class Meta:
        ordering = ["case", "-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {day(self.held_on)}"


class PaymentScheduleEntry(SharedWithCase):
    case = protected_fk(FmsCase, related_name="payments")
    due_on = models.DateField()
    amount = usd(validators=[MinValueValidator(Decimal("0.01"))])
    initial_deposit = models.BooleanField(default=False)
    paid_on = optional_date()

    class Meta:
        ordering = ["case", "due_on"]
        verbose_name = "payment schedule entry"
        verbose_name_plural = "payment schedule"

    def __str__(self) -> str:
        return f"{_case_prefix(self)}payment due {day(self.due_on)}"


class CaseCost(CaseChild):
    """Programmed and actual costs (R-FMS-06). Internal unless released to the partner."""

    partner_visible_field = "released_to_partner"
    case = protected_fk(FmsCase, related_name="costs")
    line = optional_fk(CaseLine, related_name="+")
    description = models.CharField(max_length=200)
    programmed = usd("programmed (USD)", default=Decimal("0"))
    actual = usd("actual (USD)", default=Decimal("0"))
    released_to_partner = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.description


class CaseNote(CaseChild):
    """An internal USG note on a case: never shown to partners (R-SEC-03)."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="notes")
    text = models.TextField()

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = "internal note"

    def __str__(self) -> str:
        return self.text[:60]


# --- the case file (R-FMS-07) -------------------------------------------------------------------


class CaseDocumentKind(models.TextChoices):
    LOR = "lor", "Letter of request"
    CTA = "cta", "Country team assessment"
    TECH_RELEASE = "tech_release", "Technology release document"
    LOA = "loa", "LOA"
    AMENDMENT = "amendment", "Amendment or modification"
    SHIPPING = "shipping", "Shipping document"
    TITLE_TRANSFER = "title_transfer", "Title transfer document (BPC)"
    DD645 = "dd645", "DD Form 645 billing statement"
    REVIEW_NOTES = "review_notes", "Case or financial management review notes"
    CLOSURE = "closure", "Closure document"
    NOTIFICATION = "notification", "Congressional notification document"


INTERNAL_KINDS = {
    CaseDocumentKind.CTA,
    CaseDocumentKind.TECH_RELEASE,
    CaseDocumentKind.REVIEW_NOTES,
    CaseDocumentKind.NOTIFICATION,
}


class CaseDocument(CaseChild):
    """A document of the case file, with its marking; kept 10 years after closure (R-FMS-07)."""

    partner_visible_field = "released_to_partner"
    case = protected_fk(FmsCase, related_name="documents")
    kind = models.CharField(max_length=16, choices=CaseDocumentKind.choices)
    title = models.CharField(max_length=200)
    dated = models.DateField()
    file = document_file("cases/%Y/%m/")
    released_to_partner = models.BooleanField(
        default=False,
        help_text="CTAs, technology release, review notes and notification documents never are.",
    )

    class Meta:
        ordering = ["case", "-dated", "pk"]
        verbose_name = "case file document"

    shown_by = "title"


# === fmsclssa: CLSSA requisitions, emergency implementation, AOD of amendments ===================
# (issue 13 items 5, 8, 10; docs/decisions/0031-clssa-emergency-aod.md)


class EmergencyStatus(models.TextChoices):
    REQUESTED = "requested", "Requested of DSCA"
    APPROVED = "approved", "Approved by DSCA"
    DENIED = "denied", "Denied by DSCA"


class EmergencyImplementation(OnCaseTab, CaseChild):
    """The implementing agency's written request that DSCA (Business Operations Directorate, the
    Country Finance Director) approve implementing an accepted case before its initial deposit
    arrives, and DSCA's decision (SAMM C6.1.2). Internal USG: never shown to partners."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="emergency_requests")
    requested_on = models.DateField("requested on")
    signed_on = models.DateField(
        "purchaser signature",
        help_text="SAMM C6.1.2: emergency implementation is only for an LOA the purchaser has signed.",
    )
    circumstances = models.TextField(
        "extenuating circumstances",
        help_text="Why it is urgent, e.g. a contract award deadline after which prices rise (SAMM C6.1.2).",
    )
    status = models.CharField(
        max_length=10,
        choices=EmergencyStatus.choices,
        default=EmergencyStatus.REQUESTED,
        editable=False,
    )
    decided_on = action_date()
    decided_by = models.CharField(
        "DSCA official",
        max_length=200,
        blank=True,
        editable=False,
        help_text="Who at DSCA decided (e.g. the Country Finance Director, Business Operations).",
    )
    reference = models.CharField(
        "written decision (reference)",
        max_length=120,
        blank=True,
        editable=False,
        help_text="The e-mail or memorandum that carries DSCA's written decision.",
    )
    expected_deposit_on = action_date("initial deposit expected")

    class Meta:
        ordering = ["case", "-requested_on", "pk"]
        verbose_name = "emergency implementation request"

    def __str__(self) -> str:
        return f"{_case_prefix(self)}emergency implementation request #{self.pk}"

    @property
    def is_waiting(self) -> bool:
        return rules.EMERGENCY.allows("approve", self.status)

    @property
    def is_approved(self) -> bool:
        return self.status == rules.EMERGENCY.target("approve")


class ClssaRequisition(OnCaseTab, SharedWithCase):
    """A requisition against a CLSSA FMSO II case, drawing on the stock the FMSO I equity bought
    (SAMM C6.4.3; LOA note "CLSSA – FMSO I purpose")."""

    case = protected_fk(FmsCase, related_name="requisitions")
    document_number = models.CharField(
        "requisition document number",
        max_length=14,
        help_text="The MILSTRIP document number (14 characters).",
    )
    item = models.CharField("item (NSN and nomenclature)", max_length=200)
    quantity = models.IntegerField(validators=[MinValueValidator(1)])
    value = non_negative_usd("estimated value (USD)")
    requisitioned_on = models.DateField("requisitioned on")

    class Meta:
        ordering = ["case", "-requisitioned_on", "pk"]
        verbose_name = "CLSSA requisition"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "document_number"], name="clssa_requisition_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{_case_prefix(self)}requisition {self.document_number}"


# R-SEC-03: the AOD measurement of a version (its group, dates and delay code) is internal, as on
# the LOA itself; the partner reads the version's content.
CaseAmendment.field_policy = _partner_policy(
    CaseAmendment, {"aod_group", "category", "request_complete_on", "aod", "delay_reason"}
)


# === closure and billing (issue 13 items 6–7: CLOSHOLD, line closure, DD Form 645) ===============


class ClosureHold(OnCaseTab, CaseChild):
    """DSCA's CLOSHOLD milestone on an SSC case (DSCA 25-89): while it stands, no new amendment,
    modification or restatement. Set and lifted by DSCA with a reason; internal USG."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="closure_holds")
    set_on = models.DateField("placed on", editable=False)
    reason = models.TextField(editable=False)
    lifted_on = action_date()
    lift_reason = models.TextField("reason lifted", blank=True, editable=False)

    class Meta:
        ordering = ["case", "-set_on", "-pk"]
        verbose_name = "closure hold (CLOSHOLD)"

    def __str__(self) -> str:
        return f"{_case_prefix(self)}CLOSHOLD of {day(self.set_on)}"

    detail_tab = "closure"

    @property
    def active(self) -> bool:
        return self.lifted_on is None


class LineClosure(OnCaseTab, SharedWithCase):
    """A line's closure; conditional while its contracts are active (DSCA 26-32)."""

    case = protected_fk(FmsCase, related_name="line_closures")
    line = models.OneToOneField(CaseLine, on_delete=models.PROTECT, related_name="closure")
    closed_on = models.DateField(editable=False)
    conditional = models.BooleanField(default=False, editable=False)
    active_contracts = models.CharField(
        max_length=300, blank=True, editable=False, help_text="The contracts still active."
    )
    contracts_closed_on = action_date("contracts closed out")

    class Meta:
        ordering = ["case", "line"]
        verbose_name = "line closure"

    def __str__(self) -> str:
        line = loaded(self, "line")
        what = f"line {line.number}" if line is not None else "Line"
        return f"{_case_prefix(self)}{what} closed" + (" conditionally" if self.conditional else "")

    detail_tab = "closure"


class Collection(OnCaseTab, SharedWithCase):
    """A payment the purchaser made into the case (the collections a DD Form 645 reports)."""

    case = protected_fk(FmsCase, related_name="collections")
    received_on = models.DateField()
    amount = usd(validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["case", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{_case_prefix(self)}collection of {day(self.received_on)}"

    detail_tab = "closure"


class CaseExpenditure(OnCaseTab, CaseChild):
    """Obligations and accrued expenditures (costs) of a line, dated: the costs a DD Form 645
    bills and the case manager reconciles. Internal USG (the statement shows the totals)."""

    partner_visible = False
    case = protected_fk(FmsCase, related_name="expenditures")
    line = optional_fk(CaseLine, related_name="+")
    dated = models.DateField()
    description = models.CharField(max_length=200)
    obligated = usd("obligated (USD)", default=Decimal("0"))
    expended = usd("accrued expenditure (USD)", default=Decimal("0"))

    class Meta:
        ordering = ["case", "dated", "pk"]
        verbose_name = "obligation or expenditure"

    def __str__(self) -> str:
        return self.description

    detail_tab = "closure"


class BillingStatement(OnCaseTab, SharedWithCase):
    """The quarterly DD Form 645 of a case, generated from its payment schedule, collections and
    costs. The purchaser receives it; the reconciliation (differences, notes) is internal."""

    case = protected_fk(FmsCase, related_name="statements")
    period_end = models.DateField("quarter ended", editable=False)
    issued_on = models.DateField(editable=False)
    payment_due_on = models.DateField("payment due", editable=False)
    amount_due = usd("amount due and payable (USD)", editable=False)
    figures = models.JSONField(default=dict, editable=False)
    lines = models.JSONField(default=list, editable=False)
    differences = models.JSONField("reconciliation differences", default=list, editable=False)
    reconciliation_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "-period_end"]
        verbose_name = "DD Form 645 billing statement"
        constraints = [
            models.UniqueConstraint(fields=["case", "period_end"], name="case_statement_unique")
        ]

    def __str__(self) -> str:
        return f"{_case_prefix(self)}DD Form 645, quarter ended {day(self.period_end)}"

    detail_tab = "closure"


# The partner receives its statement (R-SEC-03): not the internal reconciliation.
BillingStatement.field_policy = _partner_policy(
    BillingStatement, {"differences", "reconciliation_notes"}
)


# === Excess Defense Articles and DCS license requests (issue 13 item 11; EO 14268) ===============
# dcseda: an EDA offer (FAA §516 or AECA) gated by its congressional notification (SPEC §11 EDA
# row), and direct commercial sale (DCS) license requests with the State Department's (DDTC)
# dates and decision, tracked beside the country's FMS cases. Rules in rules.py, writes in
# actions.py (sections of the same name).


class EdaAuthority(models.TextChoices):
    FAA_516 = "faa516", "FAA §516 (grant or sale)"
    AECA = "aeca", "AECA (sale)"


class EdaTerms(models.TextChoices):
    GRANT = "grant", "Grant"
    SALE = "sale", "Sale"


class EdaCondition(models.TextChoices):
    SERVICEABLE = "serviceable", "Serviceable"
    REPAIRABLE = "repairable", "Repairable (needs refurbishment)"
    UNSERVICEABLE = "unserviceable", "Unserviceable (parts or salvage)"


class EdaStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    OFFERED = "offered", "Offered to the recipient"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    TRANSFERRED = "transferred", "Transferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EdaOffer(MarkedModel):
    """An offer of excess defense articles to a partner: grant or sale, "as is, where is"
    (SAMM C11.3), by the implementing agency (or DSCA) that owns it. The partner sees it once
    offered, without the internal notification dates (field policy below, R-SEC-03)."""

    partner_visible_field = "shared_with_partner"
    title = models.CharField(max_length=200)
    country = protected_fk(Country, related_name="+", verbose_name="recipient")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="offered by")
    article = models.CharField("excess defense article", max_length=200)
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    authority = models.CharField(max_length=8, choices=EdaAuthority.choices)
    terms = models.CharField("grant or sale", max_length=5, choices=EdaTerms.choices)
    original_acquisition_value = non_negative_usd(
        "original acquisition value (USD)",
        help_text="What the U.S. paid when it acquired the articles: the notification threshold reads this value.",
    )
    current_value = non_negative_usd("current value (USD)")
    condition = models.CharField(max_length=14, choices=EdaCondition.choices)
    as_is_where_is = models.BooleanField(
        '"as is, where is"',
        default=True,
        help_text="The recipient takes the articles in their present condition, at their present location, and pays any refurbishment and transport.",
    )
    lor = optional_fk(LetterOfRequest, related_name="+", verbose_name="letter of request")
    status = models.CharField(
        max_length=12, choices=EdaStatus.choices, default=EdaStatus.PROPOSED, editable=False
    )
    notified_on = action_date("Congress notified")
    offered_on = action_date()
    accepted_on = action_date()
    transferred_on = action_date()
    closed_on = action_date("declined or withdrawn")
    shared_with_partner = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = "EDA offer"
        verbose_name_plural = "EDA offers"

    def __str__(self) -> str:
        return f"EDA: {self.title}"

    detail_url = "cases:eda-detail"

    @property
    def is_open(self) -> bool:
        return bool(rules.EDA.available(self.status))


class DcsLicenseType(models.TextChoices):
    """ITAR authorizations a company asks DDTC for (22 CFR 123, 124)."""

    DSP5 = "dsp5", "DSP-5 permanent export"
    DSP73 = "dsp73", "DSP-73 temporary export"
    DSP61 = "dsp61", "DSP-61 temporary import"
    DSP85 = "dsp85", "DSP-85 classified export or import"
    TAA = "taa", "Technical assistance agreement (TAA)"
    MLA = "mla", "Manufacturing license agreement (MLA)"
    WDA = "wda", "Warehouse and distribution agreement"


DCS_SHORT = {
    "dsp5": "DSP-5",
    "dsp73": "DSP-73",
    "dsp61": "DSP-61",
    "dsp85": "DSP-85",
    "taa": "TAA",
    "mla": "MLA",
    "wda": "WDA",
}


class DcsRelation(models.TextChoices):
    COMPETES = "competes", "Competes with"
    COMPLEMENTS = "complements", "Complements"


class DcsStatus(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    SUBMITTED = "submitted", "Submitted to DDTC"
    IN_REVIEW = "in_review", "Received by DDTC, in review"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    RWA = "rwa", "Returned without action"
    WITHDRAWN = "withdrawn", "Withdrawn by the company"


class DcsLicense(MarkedModel):
    """A direct commercial sale license request (EO 14268: one tracker for FMS and DCS).

    The applicant company owns it (`owner_org_field = "company"`): its industry users see their
    company's licenses only, never a competitor's (R-IND-01, the door's industry rule); U.S.
    Government staff see every license their clearance covers. Partner users see none: a license
    application is the company's business information, held in confidence (AECA §38(e)), and
    its review is internal (R-SEC-03)."""

    owner_org_field = "company"
    partner_visible = False
    company = protected_fk(Organization, related_name="+", verbose_name="applicant company")
    country = protected_fk(Country, related_name="+", verbose_name="destination")
    reference = models.CharField(
        "DDTC case number",
        max_length=40,
        blank=True,
        help_text="As DECCS assigns it; empty while the application is prepared.",
    )
    commodity = models.CharField(max_length=200)
    usml_category = models.CharField("USML category", max_length=20, blank=True)
    license_type = models.CharField(max_length=6, choices=DcsLicenseType.choices)
    value = non_negative_usd("value of the articles and services (USD)")
    mde_value = non_negative_usd("of which MDE (USD)", default=Decimal("0"))
    firearms_category_i = models.BooleanField("USML Category I(a)–(g) firearms", default=False)
    manufacture_abroad_sme = models.BooleanField(
        "manufacture abroad of significant military equipment",
        default=False,
        help_text="For a TAA or MLA: AECA §36(d) applies.",
    )
    fms_case = optional_fk(FmsCase, related_name="+", verbose_name="FMS case")
    lor = optional_fk(LetterOfRequest, related_name="+", verbose_name="letter of request")
    relation = models.CharField(
        "relation to the FMS case or LOR", max_length=12, choices=DcsRelation.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=DcsStatus.choices, default=DcsStatus.DRAFT, editable=False
    )
    submitted_on = action_date()
    received_on = action_date("received by DDTC")
    notified_on = action_date("Congress notified (AECA §36(c)/(d))")
    decided_on = action_date("decision date")
    # The company's withdrawal is not DDTC's decision: kept apart, so that review figures
    # (R-DCS-03) count DDTC's decisions only.
    withdrawn_on = action_date("withdrawn by the company")
    provisos = models.TextField(blank=True, editable=False)
    decision_note = models.TextField("reason given", blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_on", "commodity"]
        verbose_name = "DCS license request"
        verbose_name_plural = "DCS license requests"

    def __str__(self) -> str:
        return f"DCS {DCS_SHORT.get(self.license_type, self.license_type)}: {self.commodity}"

    detail_url = "cases:dcs-detail"

    @property
    def is_decided(self) -> bool:
        return self.status in rules.DCS_DECIDED

    def days_to_decision(self, today: dt.date) -> int | None:
        """Days in DDTC's hands: to its decision, to the withdrawal, or to today while open."""
        return rules.dcs_days_in_review(
            self.received_on or self.submitted_on, self.decided_on or self.withdrawn_on, today
        )


# The partner reads the offer's articles, values, condition and terms, never the congressional
# notification date (internal, like 36(b), decision 0022).
EdaOffer.field_policy = _partner_policy(EdaOffer, {"notified_on"})
