"""Planning: guidance → campaign plan → end state → LOE/SSCI → IMO/outcome → line of activity →
activity; country plans (CSCS) with phases; assumptions; the annual planning events.

Every record is a MarkedModel with `partner_visible = False`: partner users never see planning
(R-SEC-03, SAMM C2.1.3.6.2 "avoid false impressions"). Writes go through planning.actions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from secoop.core.fiscal import FiscalPeriod
from secoop.core.formats import usd
from secoop.core.models import Country
from secoop.core.models import InternalRecord
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import fiscal_year
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.models.records import trusted_following
from secoop.core.search import SearchDocument

from . import rules
from .rules import Status

# Base of every planning record: never shown to partner users (R-SEC-03).
PlanningRecord = InternalRecord


# --- guidance ------------------------------------------------------------------------------------


class GuidanceKind(models.TextChoices):
    NSS = "nss", "National Security Strategy (NSS)"
    NDS = "nds", "National Defense Strategy (NDS)"
    NMS = "nms", "National Military Strategy (NMS)"
    JSCP = "jscp", "Joint Strategic Campaign Plan (JSCP)"
    GEF = "gef", "GEF / SC planning guidance"
    JSP = "jsp", "DoS–USAID Joint Strategic Plan (JSP)"
    JRS = "jrs", "Joint Regional Strategy (JRS)"
    FBS = "fbs", "Functional Bureau Strategy (FBS)"
    ICS = "ics", "Integrated Country Strategy (ICS)"
    CDCS = "cdcs", "USAID Country Development Cooperation Strategy (CDCS)"
    CONTINGENCY = "contingency", "Contingency plan"
    OTHER = "other", "Other guidance"


class GuidanceDocument(PlanningRecord):
    """Higher-level guidance a plan derives from (SPEC §2: NSS, NDS, … ICS, CDCS)."""

    kind = models.CharField(max_length=12, choices=GuidanceKind.choices)
    title = models.CharField(max_length=300)
    issued_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. The White House, OUSD(P), U.S. Embassy Bandaria.",
    )
    issued_on = optional_date()
    country = optional_fk(
        Country, related_name="+", help_text="For a country strategy (ICS, CDCS)."
    )
    summary = models.TextField(blank=True)
    reference = models.CharField(
        max_length=300, blank=True, help_text="Where to find it (citation or link)."
    )
    owner_org = protected_fk(Organization, related_name="+")

    class Meta:
        ordering = ["kind", "-issued_on", "title"]
        verbose_name = "guidance document"

    shown_by = "title"

    detail_url = "planning:guidance-detail"


# --- campaign plan -------------------------------------------------------------------------------


class PlanKind(models.TextChoices):
    GCP = "gcp", "Global campaign plan (GCP)"
    FCP = "fcp", "Functional campaign plan (FCP)"
    CCP = "ccp", "CCMD campaign plan (CCP)"
    CSP = "csp", "Campaign support plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class CampaignPlan(FiscalPeriod, PlanningRecord):
    """A campaign plan of a combatant command, or a MILDEP's campaign support plan (3–5 years, R-PLN-03)."""

    kind = models.CharField(max_length=4, choices=PlanKind.choices, default=PlanKind.CCP)
    title = models.CharField(max_length=300)
    owner_org = protected_fk(
        Organization,
        related_name="+",
        verbose_name="owning organization",
        help_text="The combatant command (or, for a campaign support plan, the MILDEP or agency).",
    )
    start_fy = fiscal_year("first fiscal year")
    end_fy = fiscal_year("last fiscal year")
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False
    )
    approved_on = action_date()
    approved_by = optional_fk(User, related_name="+", editable=False)
    supports = optional_fk(
        "self",
        related_name="support_plans",
        help_text="For a campaign support plan: the plan it supports.",
    )
    summary = models.TextField(blank=True)
    guidance = models.ManyToManyField(GuidanceDocument, blank=True, related_name="plans")

    country_field = None

    class Meta:
        ordering = ["-start_fy", "title"]

    shown_by = "title"

    detail_url = "planning:plan-detail"


class EndStateKind(models.TextChoices):
    THEATER = "theater", "Theater strategic end state"
    SC_OBJECTIVE = "sc_objective", "SC objective"


class EndState(PlanningRecord):
    """A theater strategic end state or SC objective of a campaign plan (the "ends")."""

    campaign_plan = protected_fk(CampaignPlan, related_name="end_states")
    kind = models.CharField(
        max_length=12, choices=EndStateKind.choices, default=EndStateKind.THEATER
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 is highest.")

    scoped_by = "campaign_plan"

    class Meta:
        ordering = ["campaign_plan", "priority", "title"]
        verbose_name = "end state / SC objective"
        verbose_name_plural = "end states / SC objectives"

    shown_by = "title"

    detail_url = "planning:plan-detail"
    detail_arg = "campaign_plan_id"


class LineOfEffort(PlanningRecord):
    """A line of effort, now also called a significant security cooperation initiative (SSCI)."""

    campaign_plan = protected_fk(CampaignPlan, related_name="lines_of_effort")
    end_state = optional_fk(EndState, related_name="lines_of_effort")
    name = models.CharField(max_length=300)
    country = optional_fk(
        Country,
        related_name="+",
        help_text="The partner, for a country-specific LOE; empty for a regional one.",
    )
    description = models.TextField(blank=True)
    sequence = models.PositiveSmallIntegerField(
        default=1, help_text="Row order in the synchronization matrix."
    )

    owner_org_field = "campaign_plan__owner_org"
    history_parent = "campaign_plan"

    class Meta:
        ordering = ["campaign_plan", "sequence", "name"]
        verbose_name = "LOE / SSCI"
        verbose_name_plural = "LOEs / SSCIs"

    def __str__(self) -> str:
        return self.name

    detail_url = "planning:loe-detail"


class Term(models.TextChoices):
    NEAR = "near", "Near term"
    MID = "mid", "Mid term"
    LONG = "long", "Long term"


class IntermediateObjective(PlanningRecord):
    """An intermediate military objective (IMO), also called an outcome. SMART (R-PLN-02): the
    fields below give each letter something to check."""

    line_of_effort = protected_fk(LineOfEffort, related_name="imos", verbose_name="LOE / SSCI")
    title = models.CharField(max_length=300)
    term = models.CharField(max_length=4, choices=Term.choices, default=Term.NEAR)
    # Specific
    statement = models.TextField("what is expected", blank=True)
    by_whom = models.CharField(max_length=300, blank=True)
    with_whom = models.CharField("for / with whom", max_length=300, blank=True)
    # Achievable
    authority = models.CharField("authority / program", max_length=300, blank=True)
    resources = models.TextField(blank=True)
    partner_agreement_on = optional_date("partner agreement recorded on")
    political_risk_considered = models.BooleanField(default=False)
    fiscal_risk_considered = models.BooleanField(default=False)
    risk_notes = models.TextField(blank=True)
    # Relevant
    end_state = optional_fk(EndState, related_name="imos", verbose_name="end state / SC objective")
    priority = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 is highest.")
    # Time-bound
    deadline = optional_date()

    scoped_by = "line_of_effort"

    class Meta:
        ordering = ["line_of_effort", "deadline", "title"]
        verbose_name = "IMO / outcome"
        verbose_name_plural = "IMOs / outcomes"

    shown_by = "title"

    detail_url = "planning:imo-detail"

    def smart_facts(self, measures=None, plan_end: dt.date | None = None) -> rules.ImoFacts:
        """The facts for the SMART check. Pass `measures` (already read through the door, e.g. a
        prefetch) to avoid a query; `plan_end` when the plan is at hand."""
        if measures is None:
            measures = list(self.measures.all())
        return rules.ImoFacts(
            statement=self.statement,
            by_whom=self.by_whom,
            with_whom=self.with_whom,
            measures=tuple(m.facts() for m in measures),
            authority=self.authority,
            resources=self.resources,
            partner_agreement_on=self.partner_agreement_on,
            political_risk_considered=self.political_risk_considered,
            fiscal_risk_considered=self.fiscal_risk_considered,
            end_state_linked=self.end_state_id is not None,
            priority=self.priority,
            deadline=self.deadline,
            plan_end=plan_end,
        )


class MeasureKind(models.TextChoices):
    MOP = "MOP", "Measure of performance (MOP)"
    MOE = "MOE", "Measure of effectiveness (MOE)"


class Measure(PlanningRecord):
    """An indicator of an IMO: a measure of performance (what is done) or of effectiveness (the
    change it makes), with its method, baseline and target (R-PLN-02, R-AME-02)."""

    imo = models.ForeignKey(
        IntermediateObjective,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name="IMO / outcome",
    )
    kind = models.CharField(max_length=3, choices=MeasureKind.choices)
    indicator = models.CharField(max_length=300, blank=True)
    method = models.TextField("method of measurement", blank=True)
    unit = models.CharField(max_length=40, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_on = optional_date()
    target = models.DecimalField(
        "target quantity", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_on = optional_date()

    scoped_by = "imo"

    class Meta:
        ordering = ["imo", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.indicator or 'no indicator'}"

    def facts(self) -> rules.MeasureFacts:
        return rules.MeasureFacts(self.kind, self.indicator, self.method, self.target)


class LineOfActivity(PlanningRecord):
    """A line of activity: the "ways" that advance an IMO."""

    imo = protected_fk(
        IntermediateObjective, related_name="lines_of_activity", verbose_name="IMO / outcome"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    scoped_by = "imo"

    class Meta:
        ordering = ["imo", "name"]
        verbose_name = "line of activity"
        verbose_name_plural = "lines of activity"

    def __str__(self) -> str:
        return self.name

    detail_url = "planning:imo-detail"
    detail_arg = "imo_id"


# --- country plan (CSCS) -------------------------------------------------------------------------


class CountryPlan(FiscalPeriod, PlanningRecord):
    """A country-specific security cooperation section (CSCS) of a campaign plan (R-PLN-05)."""

    campaign_plan = protected_fk(
        CampaignPlan, related_name="country_plans", verbose_name="CCMD campaign plan"
    )
    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="owning organization")
    title = models.CharField(max_length=300)
    version = models.PositiveSmallIntegerField(default=1)
    issued_on = optional_date(help_text="Updated at least annually (R-PLN-05).")
    start_fy = fiscal_year("first fiscal year")
    end_fy = fiscal_year("last fiscal year")
    country_assessment = models.TextField(blank=True)
    country_objectives = models.TextField(blank=True)
    ccp_reference = models.TextField("reference to the CCMD campaign plan", blank=True)
    ics = optional_fk(GuidanceDocument, related_name="+", verbose_name="embassy ICS")
    ics_reference = models.TextField("reference to the embassy ICS", blank=True)
    concept_of_engagement = models.TextField(blank=True)
    coordinating_instructions = models.TextField(blank=True)

    class Meta:
        ordering = ["country__name", "-version"]
        verbose_name = "country plan (CSCS)"
        verbose_name_plural = "country plans (CSCS)"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_plan", "country", "version"],
                name="cscs_version_unique",
                violation_error_message="R-PLN-05: this version of the country plan exists: give the next version number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    detail_url = "planning:country-plan-detail"

    def missing_sections(self) -> list[str]:
        return rules.cscs_missing_sections(
            {key: getattr(self, key) for key, _ in rules.CSCS_SECTIONS}
        )


class Phase(PlanningRecord):
    """A phase of a country plan's synchronization matrix (the Bandaria example has five)."""

    country_plan = models.ForeignKey(CountryPlan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    description = models.TextField(blank=True)

    scoped_by = "country_plan"

    class Meta:
        ordering = ["country_plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["country_plan", "number"],
                name="phase_number_unique",
                violation_error_message="R-PLN-09: the country plan has a phase with this number: choose another number.",
            )
        ]

    def __str__(self) -> str:
        return f"Phase {self.number}: {self.name}"


# --- activities ----------------------------------------------------------------------------------


class ActivityType(models.TextChoices):
    KLE = "kle", "Key leader engagement"
    STAFF_TALKS = "staff_talks", "Staff talks"
    EXERCISE = "exercise", "Exercise"
    TRAINING_COURSE = "training_course", "Training course"
    MTT = "mtt", "Mobile training team"
    EXCHANGE = "exchange", "Exchange"
    DV_TOUR = "dv_tour", "DV orientation tour"
    EQUIPMENT_DELIVERY = "equipment_delivery", "Equipment delivery"
    ACQUISITION = "acquisition", "Acquisition (FMF/FMS/DCS/BPC)"
    ASSESSMENT = "assessment", "Assessment"
    CONFERENCE = "conference", "Conference"
    HA_PROJECT = "ha_project", "HA project"
    VETTING = "vetting", "Vetting"
    CONGRESSIONAL_NOTIFICATION = "congressional_notification", "Congressional notification"
    DISCLOSURE_REVIEW = "disclosure_review", "Foreign disclosure / technology transfer review"
    INSTITUTION_BUILDING = "institution_building", "Institution building"
    CERTIFICATION = "certification", "Certification"
    OTHER = "other", "Other"


class Activity(PlanningRecord):
    """An activity, event, operation or investment (the "means", R-PLN-08), entered by its
    sponsoring organization (the owner) and refined as planning goes on (R-PLN-06)."""

    title = models.CharField(max_length=300)
    activity_type = models.CharField("type", max_length=28, choices=ActivityType.choices)
    program = models.CharField(
        max_length=200, blank=True, help_text="The SC program, e.g. FMF, IMET, Section 333, JCET."
    )
    authority = models.CharField(
        max_length=200,
        blank=True,
        help_text="The legal authority, e.g. 22 U.S.C. 2763, 10 U.S.C. 333.",
    )
    line_of_activity = optional_fk(
        LineOfActivity,
        related_name="activities",
        help_text="The line of activity it serves. Without one it is an unlinked draft (R-PLN-01).",
    )
    country = protected_fk(Country, related_name="+", help_text="The partner.")
    country_plan = optional_fk(
        CountryPlan, related_name="activities", verbose_name="country plan (CSCS)"
    )
    phase = optional_fk(Phase, related_name="activities")
    owner_org = protected_fk(Organization, related_name="+", verbose_name="sponsoring organization")
    start_date = models.DateField()
    end_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    us_participants = models.TextField("U.S. participants / units", blank=True)
    partner_participants = models.TextField("partner participants / units", blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.CHOICES, default=Status.PROPOSED, editable=False
    )
    # R-PLN-10: Global Force Management
    needs_us_forces = models.BooleanField("needs U.S. forces", default=False)
    rff_lead_days = models.PositiveIntegerField(
        "request-for-forces lead time (days)",
        null=True,
        blank=True,
        help_text="Defaults to the reference fact rff-lead-time-days.",
    )
    rff_submitted_on = optional_date("request for forces submitted on")
    # R-PLN-06: assessment after completion
    completed_on = action_date()
    assessment_due = action_date()
    assessed_on = action_date()
    assessment = models.TextField(blank=True, editable=False)
    assessed_by = optional_fk(User, related_name="+", editable=False)

    # Searched through full-text indexes, ranked (core.search; dbindex.FullText, migration 0005).
    search_document = SearchDocument.of(
        text={"title": 1.0, "location": 0.6, "description": 0.3}, codes=("program",)
    )

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["country", "start_date"]),
        ]

    shown_by = "title"

    detail_url = "planning:activity-detail"

    @property
    def unlinked(self) -> bool:
        return rules.is_unlinked(self.line_of_activity_id)

    @property
    def assessment_overdue(self) -> bool:
        return rules.assessment_overdue(self.status, self.assessed_on)

    @property
    def is_open(self) -> bool:
        """Something can still happen to it (R-PLN-08): not completed, not cancelled."""
        return not rules.TRANSITIONS.is_final(self.status)

    @property
    def fiscal_year(self) -> int:
        return rules.fiscal_year(self.start_date)

    def span(self) -> rules.Span:
        return rules.Span.of(self.pk, self.start_date, self.end_date, self.title, self.status)


class FundingSource(models.TextChoices):
    FMF = "fmf", "FMF (Foreign Military Financing)"
    FMS = "fms", "FMS (partner national funds)"
    DCS = "dcs", "DCS (Direct Commercial Sale)"
    BPC = "bpc", "BPC (e.g. 10 U.S.C. 333)"
    IMET = "imet", "IMET"
    OM = "om", "DoD O&M (CCMD / component)"
    DIB = "dib", "Defense institution building"
    STATE = "state", "Other DoS programs (e.g. INCLE, PKO)"
    INTERAGENCY = "interagency", "Other U.S. agencies"
    PARTNER = "partner", "Partner funds"
    OTHER = "other", "Other"


class ActivityFunding(PlanningRecord):
    """The funding of an activity in one fiscal year from one source (R-PLN-08). USD, Decimal."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="funding")
    fiscal_year = fiscal_year()
    source = models.CharField(max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(
        "amount (USD)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(max_length=300, blank=True)

    scoped_by = "activity"

    class Meta:
        ordering = ["activity", "fiscal_year", "source"]
        verbose_name = "activity funding line"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "fiscal_year", "source"],
                name="funding_line_unique",
                violation_error_message="R-PLN-08: one funding line per fiscal year and source.",
            ),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.get_source_display()}: {usd(self.amount)}"


class ActivityDependency(PlanningRecord):
    """Finish-to-start: the successor starts after the predecessor ends plus the lag (R-PLN-09)."""

    predecessor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="dependents")
    successor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="depends_on")
    lag_days = models.PositiveIntegerField(default=0)
    note = models.CharField(
        max_length=300, blank=True, help_text="Why: e.g. vetting before training."
    )

    scoped_by = "successor"

    class Meta:
        ordering = ["successor", "predecessor"]
        verbose_name = "activity dependency"
        verbose_name_plural = "activity dependencies"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="dependency_unique",
                violation_error_message="R-PLN-09: this dependency is already recorded.",
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="dependency_not_self",
                violation_error_message="R-PLN-09: an activity cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        # Marked at least as restrictively as both activities (actions.add_dependency), so their
        # titles may stand in its name and its change-log entries.
        with trusted_following():
            return f"{self.predecessor.title[:90]} → {self.successor.title[:90]}"

    def link(self) -> rules.Link:
        return rules.Link(self.predecessor_id, self.successor_id, self.lag_days)


class Reschedule(PlanningRecord):
    """A move of an activity and of the dependents it pushes (R-PLN-09, issue 12 items 2 and 3).

    Recorded when it is applied, so that it can be undone while nothing moved since; or asked of
    the office that may change every activity it pushes (`approver_org`), which approves (the
    moves are applied then) or declines. `moves` holds each activity's dates before and after:
    [{"id", "old_start", "old_end", "new_start", "new_end"}] (ISO dates); titles are read through
    the door when shown. Marked at least as restrictively as every activity it moves."""

    country_plan = protected_fk(CountryPlan, related_name="reschedules")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reschedules")
    country = protected_fk(Country, related_name="+")
    owner_org = protected_fk(
        Organization, related_name="+", help_text="The sponsor of the moved activity."
    )
    approver_org = optional_fk(
        Organization,
        related_name="+",
        help_text="The office that may change every activity the move pushes (a request only).",
    )
    new_start = models.DateField()
    new_end = models.DateField()
    moves = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=list(rules.RESCHEDULE_STATES.items()))
    requested_by = optional_fk(User, related_name="+")
    note = models.CharField(max_length=500, blank=True, help_text="Why the move is asked for.")
    decided_by = optional_fk(User, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    undone_by = optional_fk(User, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    history_parent = "activity"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "reschedule"
        indexes = [models.Index(fields=["country_plan", "status"])]

    def __str__(self) -> str:
        with trusted_following():
            title = self.activity.title[:120]
        return f"Move of “{title}” to {rules.fmt(self.new_start)}"

    def get_absolute_url(self) -> str:
        return reverse("planning-matrix:matrix", args=[self.country_plan_id]) + f"?move={self.pk}"

    def recorded_moves(self) -> list[rules.Move]:
        d = dt.date.fromisoformat
        return [
            rules.Move(
                m["id"], d(m["old_start"]), d(m["old_end"]), d(m["new_start"]), d(m["new_end"])
            )
            for m in self.moves
        ]

    @property
    def status_label(self) -> str:
        return rules.RESCHEDULE.label_of(self.status)

    @property
    def is_waiting(self) -> bool:
        return self.status in rules.RESCHEDULE.states_allowing("approve")

    # What the move's panel says depends on where the move stands (templates compare no status).
    @property
    def was_applied(self) -> bool:
        return self.status == "applied"

    @property
    def was_declined(self) -> bool:
        return self.status == "declined"

    @property
    def was_undone(self) -> bool:
        return self.status == "undone"

    @property
    def may_be_undone(self) -> bool:
        return self.status in rules.RESCHEDULE.states_allowing("undo")


# --- assumptions and planning events -------------------------------------------------------------


class PlanningAssumption(PlanningRecord):
    """A planning assumption, recorded with its plan (R-PLN-04)."""

    campaign_plan = protected_fk(CampaignPlan, related_name="assumptions")
    country_plan = optional_fk(
        CountryPlan, related_name="assumptions", verbose_name="country plan (CSCS)"
    )
    owner_org = protected_fk(Organization, related_name="+", verbose_name="owning organization")
    statement = models.TextField()
    valid = models.BooleanField(default=True, help_text="Logical and realistic.")
    necessary = models.BooleanField(
        default=True, help_text="Planning could not continue without it."
    )
    review_on = models.DateField("review date")
    rationale = models.TextField(blank=True)

    country_field = "country_plan__country"

    class Meta:
        ordering = ["review_on", "id"]
        verbose_name = "planning assumption"

    def __str__(self) -> str:
        return self.statement[:120]

    detail_url = "planning:assumption-detail"

    def review_overdue(self, today: dt.date) -> bool:
        return rules.assumption_overdue(self.review_on, today)


class PlanningEventKind(models.TextChoices):
    TSC = "tsc", "Theater Strategy Conference"
    RWG = "rwg", "Regional Working Group"
    SCETWG = "scetwg", "Security Cooperation Education and Training Working Group (SCETWG)"
    APC = "apc", "Annual Planning Conference"


class PlanningEvent(PlanningRecord):
    """A meeting of the annual planning cycle (R-PLN-07)."""

    kind = models.CharField(max_length=6, choices=PlanningEventKind.choices)
    title = models.CharField(max_length=300)
    fiscal_year = fiscal_year()
    start_date = models.DateField()
    end_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    country = optional_fk(
        Country, related_name="+", help_text="For an in-country Annual Planning Conference."
    )
    owner_org = protected_fk(Organization, related_name="+", verbose_name="host")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "title"]

    shown_by = "title"
