"""Assessment, monitoring and evaluation (SPEC §4, R-AME-01..05), on IATI 2.03's results model:
result (output, outcome, impact) under an IMO/outcome or an activity → indicator (MOP or MOE,
with its reference sheet) → baseline → periods (target) → updates (the actuals, submitted and
approved by someone other than their author) with disaggregations; evaluations whose findings
cite their evidence; lessons learned.

One record per measure (docs/decisions/0040-assessment-results-model.md): an IMO's indicator *is*
planning's Measure, linked one-to-one; its kind, name, unit, method and baseline are read from the
measure and left empty here (a database constraint says so), so there is no second copy to keep
in step. An activity's indicators carry their own reference sheet.

Every record is a MarkedModel. Partners see only the results, indicators, periods and updates
released to them (`shared_with_partner`, as the indicator is marked); evaluations, findings and
lessons are internal assessments (R-SEC-03). Writes go through assessment.actions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from secoop.core.models import Country
from secoop.core.models import Document
from secoop.core.models import InternalRecord
from secoop.core.models import MarkedModel
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.fieldkit import action_date
from secoop.core.models.fieldkit import fiscal_year
from secoop.core.models.fieldkit import measured_value
from secoop.core.models.fieldkit import non_negative_usd
from secoop.core.models.fieldkit import optional_date
from secoop.core.models.fieldkit import optional_fk
from secoop.core.models.fieldkit import protected_fk
from secoop.core.related import loaded
from secoop.core.search import SearchDocument
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from secoop.planning.models import EndState
from secoop.planning.models import FundingSource
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import Measure

from . import rules
from .rules import Adequacy
from .rules import AssessedPlan
from .rules import CampaignAssessmentStatus
from .rules import Criterion
from .rules import Direction
from .rules import EvaluationKind
from .rules import EvaluationStatus
from .rules import Frequency
from .rules import IndicatorKind
from .rules import LessonKind
from .rules import MeasureType
from .rules import Performance
from .rules import ResultType
from .rules import RollUp
from .rules import UpdateStatus


def _shared_field():
    return models.BooleanField(
        "released to the partner",
        default=False,
        help_text="The partner sees it (as it is marked) and reports on it.",
    )


def _public_field():
    return models.BooleanField(
        "approved for public release",
        default=False,
        help_text="Published in the IATI file when also UNCLASSIFIED without a dissemination control.",
    )


class Result(MarkedModel):
    """An intended result: an output, outcome or impact of a campaign objective (a theater end
    state or SC objective), of an IMO/outcome or of an activity."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    result_type = models.CharField(
        "result type", max_length=1, choices=ResultType.choices, default=ResultType.OUTCOME
    )
    imo = optional_fk(IntermediateObjective, related_name="results", verbose_name="IMO / outcome")
    activity = optional_fk(Activity, related_name="results")
    end_state = optional_fk(
        EndState, related_name="results", verbose_name="campaign objective (end state)"
    )
    owner_org = protected_fk(Organization, related_name="+")
    country = protected_fk(Country, related_name="+")
    shared_with_partner = _shared_field()
    public_release = _public_field()

    partner_visible_field = "shared_with_partner"

    class Meta:
        ordering = ["country", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(imo__isnull=True, activity__isnull=False, end_state__isnull=True)
                | Q(imo__isnull=False, activity__isnull=True, end_state__isnull=True)
                | Q(imo__isnull=True, activity__isnull=True, end_state__isnull=False),
                name="assessment_result_one_parent",
                violation_error_message=(
                    "A result belongs to one campaign objective, one IMO/outcome or one activity."
                ),
            )
        ]

    shown_by = "title"

    detail_url = "assessment:result-detail"


class Indicator(MarkedModel):
    """A measure of performance (MOP) or of effectiveness (MOE) with its reference sheet
    (R-AME-02). Linked to planning's measure, it is that measure: kind, name, unit, method and
    baseline are the measure's."""

    result = protected_fk(Result, related_name="indicators")
    measure = models.OneToOneField(
        Measure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results_indicator",
        help_text="The IMO's measure this indicator is; its kind, name, unit, method and baseline are kept there.",
    )
    title = models.CharField("indicator", max_length=300, blank=True)
    kind = models.CharField(max_length=3, choices=IndicatorKind.choices, blank=True)
    definition = models.TextField(blank=True, help_text="What is counted or judged, and how.")
    measure_type = models.CharField(
        "measured as", max_length=1, choices=MeasureType.choices, default=MeasureType.UNIT
    )
    unit = models.CharField(max_length=40, blank=True)
    scale = models.TextField(
        blank=True, help_text="Qualitative indicators: one level a line, lowest first."
    )
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.ASCENDING
    )
    data_source = models.CharField(max_length=300, blank=True)
    collection_method = models.TextField(blank=True)
    frequency = models.CharField(
        "reporting frequency", max_length=2, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    responsible_org = optional_fk(
        Organization, related_name="+", verbose_name="responsible organization"
    )
    baseline = measured_value(null=True, blank=True)
    baseline_on = optional_date("baseline assessed on")
    baseline_comment = models.TextField(blank=True)
    roll_up = models.CharField(
        "roll-up method",
        max_length=8,
        choices=RollUp.choices,
        default=RollUp.LATEST,
        help_text="How its values combine: its own periods inside a longer one, and, for an "
        "objective's indicator, its contributors' values.",
    )
    contributes_to = optional_fk(
        "self",
        related_name="contributors",
        verbose_name="rolls up into",
        help_text="The indicator it rolls up into: an activity's into its IMO/outcome's, an "
        "IMO/outcome's into its campaign objective's.",
    )
    roll_up_weight = models.DecimalField(
        "weight in the roll-up",
        max_digits=10,
        decimal_places=2,
        default=1,
        help_text="Its weight when the objective's indicator takes the weighted mean.",
    )
    owner_org = protected_fk(Organization, related_name="+")
    country = protected_fk(Country, related_name="+")
    shared_with_partner = _shared_field()
    public_release = _public_field()

    partner_visible_field = "shared_with_partner"
    history_parent = "result"

    class Meta:
        ordering = ["result", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=True)
                | Q(
                    title="",
                    kind="",
                    unit="",
                    collection_method="",
                    baseline__isnull=True,
                    baseline_on__isnull=True,
                ),
                name="assessment_indicator_one_copy",
                violation_error_message=(
                    "An indicator of a planning measure keeps its name, kind, unit, method and "
                    "baseline on the measure: change them there."
                ),
            )
        ]

    def __str__(self) -> str:
        # A measure's indicator is named by the measure, when it was read for this reader.
        measure = loaded(self, "measure") if self.measure_id else None
        return (measure.indicator if measure is not None else self.title) or f"Indicator {self.pk}"

    detail_url = "assessment:indicator-detail"

    def facts(self, measure: Measure | None = None) -> rules.IndicatorFacts:
        """The rules' view of the indicator. A measure's indicator reads the measure: pass it
        (read through the door), or call this in trusted code (actions), which follows the key."""
        if self.measure_id is not None:
            measure = measure if measure is not None else self.measure
            return rules.IndicatorFacts(
                kind=measure.kind,
                measure_type=self.measure_type,
                unit=measure.unit,
                baseline=measure.baseline,
                baseline_on=measure.baseline_on,
                scale=rules.scale_levels(self.scale),
                direction=self.direction,
                frequency=self.frequency,
            )
        return rules.IndicatorFacts(
            kind=self.kind,
            measure_type=self.measure_type,
            unit=self.unit,
            baseline=self.baseline,
            baseline_on=self.baseline_on,
            scale=rules.scale_levels(self.scale),
            direction=self.direction,
            frequency=self.frequency,
        )


class Period(MarkedModel):
    """A reporting period of an indicator with its target (IATI result/indicator/period)."""

    indicator = protected_fk(Indicator, related_name="periods")
    period_start = models.DateField()
    period_end = models.DateField()
    target = measured_value(null=True, blank=True)
    target_comment = models.TextField(blank=True)

    scoped_by = "indicator"

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="assessment_period_start_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d %b %Y} – {self.period_end:%d %b %Y}"

    detail_url = "assessment:indicator-detail"
    detail_arg = "indicator_id"

    # can_see_record and the change log read the flag by getattr on this exact name (as cases').
    @property
    def indicator__shared_with_partner(self) -> bool:
        indicator = _read_with(self, "indicator")
        if indicator is not None:
            return indicator.shared_with_partner
        return _indicator_shared(self.indicator_id)


class Update(MarkedModel):
    """An actual reported for a period: value, narrative and evidence (documents attached to
    it), submitted, then approved or returned by someone who did not write it (R-SEC-11)."""

    period = protected_fk(Period, related_name="updates")
    value = measured_value()
    narrative = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT, editable=False
    )
    entered_by = protected_fk(User, null=True, related_name="+", editable=False)
    owner_org = protected_fk(
        Organization,
        related_name="+",
        help_text="The organization that reports it (an SCO, or the partner's ministry).",
    )
    submitted_on = action_date()
    decided_by = optional_fk(User, related_name="+", editable=False)
    decided_on = action_date()
    decision_comment = models.TextField(blank=True, editable=False)

    country_field = "period__indicator__country"
    partner_visible_field = "period__indicator__shared_with_partner"
    history_parent = "period"

    class Meta:
        ordering = ["period", "-id"]
        indexes = [models.Index(fields=["status", "period"])]

    def __str__(self) -> str:
        return f"Update {self.pk} ({self.get_status_display().lower()})"

    detail_url = "assessment:update-detail"

    @property
    def period__indicator__shared_with_partner(self) -> bool:
        return _period_shared(self)

    @property
    def is_approved(self) -> bool:
        return self.status == UpdateStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in rules.EDITABLE_UPDATE


class Disaggregation(MarkedModel):
    """A part of a period's target (no update) or of an update's actual, by a dimension
    (e.g. unit = 1st Company, gender = female): IATI's `dimension`."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="disaggregations")
    update = models.ForeignKey(
        Update, null=True, blank=True, on_delete=models.CASCADE, related_name="disaggregations"
    )
    dimension = models.CharField(max_length=100, help_text="e.g. unit, gender, region")
    category = models.CharField(max_length=100, help_text="e.g. 1st Company, female, north")
    amount = measured_value()

    scoped_by = "period"

    class Meta:
        ordering = ["period", "dimension", "category"]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.category}"

    @property
    def period__indicator__shared_with_partner(self) -> bool:
        return _period_shared(self)

    @property
    def is_target(self) -> bool:
        return self.update_id is None


def _read_with(record, field: str):
    """The related record read with `record` (a list's prefetch), else None; never a query. The
    door compares its flag, as it would the one _indicator_shared reads: a list checks each row's
    period and indicator without a query per row (ARCHITECTURE invariant 7)."""
    f = record._meta.get_field(field)
    return f.get_cached_value(record) if f.is_cached(record) else None


def _period_shared(record) -> bool:
    """Whether the indicator of `record`'s period is released to the partner."""
    period = _read_with(record, "period")
    if period is not None:
        return period.indicator__shared_with_partner
    return _indicator_shared(_period_indicator(record.period_id))


def _indicator_shared(indicator_id: int | None) -> bool:
    """Whether the indicator is released to the partner (trusted: the door compares it)."""
    return bool(
        Indicator.objects.system().filter(pk=indicator_id, shared_with_partner=True).exists()
    )


def _period_indicator(period_id: int | None) -> int | None:
    return (
        Period.objects.system().filter(pk=period_id).values_list("indicator_id", flat=True).first()
    )


# --- evaluations and lessons (internal assessments, R-SEC-03) ------------------------------------


class Evaluation(InternalRecord):
    """An evaluation of an activity or an IMO/outcome (R-AME-04): its plan, due date, the
    criteria its findings judge, recommended adjustments."""

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=EvaluationKind.choices)
    activity = optional_fk(Activity, related_name="evaluations")
    imo = optional_fk(
        IntermediateObjective, related_name="evaluations", verbose_name="IMO / outcome"
    )
    plan = models.TextField(
        "evaluation plan", blank=True, help_text="Questions, method, evaluators, data to collect."
    )
    due_on = models.DateField("due on")
    criteria = models.CharField(
        "criteria judged",
        max_length=120,
        blank=True,
        help_text="The criteria the evaluation judges (R-AME-04), stored ',relevance,impact,'.",
    )
    status = models.CharField(
        max_length=12,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
        editable=False,
    )
    started_on = action_date()
    completed_on = action_date()
    recommended_adjustments = models.TextField(blank=True)
    owner_org = protected_fk(Organization, related_name="+")
    country = protected_fk(Country, related_name="+")

    class Meta:
        ordering = ["due_on", "title"]
        indexes = [models.Index(fields=["status", "due_on"])]

    shown_by = "title"

    detail_url = "assessment:evaluation-detail"

    @property
    def criteria_list(self) -> list[str]:
        return rules.criteria_shown(self.criteria)

    @property
    def criteria_labels(self) -> list[str]:
        return [Criterion(c).label for c in self.criteria_list]


class EvaluationFinding(InternalRecord):
    """What an evaluation found against one criterion, citing the evidence it rests on."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    criterion = models.CharField(max_length=16, choices=Criterion.choices)
    statement = models.TextField()
    cited_data = models.TextField(
        "data cited",
        blank=True,
        help_text="Data the finding rests on that is not an update or document.",
    )

    scoped_by = "evaluation"

    class Meta:
        ordering = ["evaluation", "criterion", "id"]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.statement[:60]}"

    detail_url = "assessment:evaluation-detail"
    detail_arg = "evaluation_id"


class Citation(InternalRecord):
    """Evidence a finding cites: an update or a document (each read through the door)."""

    finding = models.ForeignKey(
        EvaluationFinding, on_delete=models.CASCADE, related_name="citations"
    )
    update = optional_fk(Update, related_name="+")
    document = optional_fk(Document, related_name="+")

    scoped_by = "finding"

    class Meta:
        ordering = ["finding", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=True, document__isnull=False)
                | Q(update__isnull=False, document__isnull=True),
                name="assessment_citation_one_source",
                violation_error_message="A citation names one update or one document.",
            )
        ]

    def __str__(self) -> str:
        return f"Citation {self.pk}"


class Lesson(InternalRecord):
    """A lesson learned or best practice (R-AME-05), from an evaluation or an activity, tagged."""

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=14, choices=LessonKind.choices, default=LessonKind.LESSON)
    observation = models.TextField()
    recommendation = models.TextField()
    tags = models.CharField(
        max_length=400, blank=True, help_text="Comma-separated, e.g. border, logistics, vetting."
    )
    evaluation = optional_fk(Evaluation, related_name="lessons")
    activity = optional_fk(Activity, related_name="lessons")
    observed_on = optional_date()
    owner_org = protected_fk(Organization, related_name="+")
    country = optional_fk(Country, related_name="+")

    # R-AME-05: searched through full-text indexes, ranked (core.search; dbindex.FullText,
    # migration 0005). The tags are words of the text: ",border,logistics," is cut at the commas.
    search_document = SearchDocument.of(
        text={"title": 1.0, "tags": 0.8, "observation": 0.6, "recommendation": 0.4}
    )

    class Meta:
        ordering = ["-observed_on", "title"]

    shown_by = "title"

    detail_url = "assessment:lesson-detail"

    @property
    def tag_list(self) -> list[str]:
        return rules.tags_shown(self.tags)


# --- campaign plan assessments (R-AME-06) ---------------------------------------------------------


class CampaignAssessment(InternalRecord):
    """The annual campaign plan assessment: the Joint Staff issues the template, the combatant
    command assesses each objective, the Joint Staff reviews, OSD evaluates and advises the
    Secretary (R-AME-06). Owned by the Joint Staff office that issued it; the command's
    assessments of its objectives are its own records."""

    campaign_plan = protected_fk(CampaignPlan, related_name="assessments")
    fiscal_year = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=8,
        choices=AssessedPlan.choices,
        default=AssessedPlan.CAMPAIGN,
        editable=False,
        help_text="A command's campaign plan, or a MILDEP's or agency's campaign support plan.",
    )
    template = models.TextField(help_text="The Joint Staff's questions for this year's cycle.")
    status = models.CharField(
        max_length=10,
        choices=CampaignAssessmentStatus.choices,
        default=CampaignAssessmentStatus.TEMPLATE,
        editable=False,
    )
    submitted_on = action_date()
    reviewed_on = action_date()
    review_comment = models.TextField(blank=True, editable=False)
    evaluated_on = action_date()
    evaluation = models.TextField("OSD's evaluation and advice", blank=True, editable=False)
    owner_org = protected_fk(Organization, related_name="+")

    country_field = None

    class Meta:
        ordering = ["-fiscal_year", "campaign_plan"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign_plan", "fiscal_year"], name="assessment_campaign_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} FY{self.fiscal_year}"

    detail_url = "assessment:campaign-detail"


class ObjectiveAssessment(InternalRecord):
    """The command's assessment of one objective: progress, risks, resource adequacy."""

    assessment = models.ForeignKey(
        CampaignAssessment, on_delete=models.CASCADE, related_name="objectives"
    )
    imo = protected_fk(IntermediateObjective, related_name="+", verbose_name="IMO / outcome")
    progress = models.TextField()
    risks = models.TextField(blank=True)
    resources = models.CharField(
        "resource adequacy", max_length=10, choices=Adequacy.choices, default=Adequacy.ADEQUATE
    )
    owner_org = protected_fk(Organization, related_name="+")

    country_field = None
    history_parent = "assessment"

    class Meta:
        ordering = ["assessment", "imo"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "imo"], name="assessment_objective_once")
        ]

    def __str__(self) -> str:
        return f"Objective assessment {self.pk}"

    detail_url = "assessment:campaign-detail"
    detail_arg = "assessment_id"


# --- monitoring of inputs, costs, schedule and performance (R-AME-04, R-AME-07) -----------------


class OnActivity:
    """A record about one planned activity: the activity's scope is its scope (the door), its
    change log is the activity's, and it is shown on the activity's assessment page."""

    owner_org_field = "activity__owner_org"
    country_field = "activity__country"
    history_parent = "activity"
    detail_url = "assessment:activity"
    detail_arg = "activity_id"


class ActivityMonitoring(OnActivity, InternalRecord):
    """How an activity is going (R-AME-04): its actual start and end against the plan's dates,
    its performance, and its inputs. One per activity, kept current by the SCO or the command;
    marked like the activity. Planning keeps the planned dates and funding; this keeps what
    happened."""

    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="monitoring")
    as_of = models.DateField("monitored as of")
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    performance = models.CharField(
        max_length=10, choices=Performance.choices, default=Performance.ON_TRACK
    )
    performance_note = models.TextField(blank=True)
    inputs_note = models.TextField(
        "inputs", blank=True, help_text="People, equipment and services put in so far."
    )

    class Meta:
        ordering = ["activity"]
        verbose_name = "activity monitoring"
        verbose_name_plural = "activity monitoring"

    def __str__(self) -> str:
        return f"Monitoring as of {self.as_of:%d %b %Y}"


class ActualCost(OnActivity, InternalRecord):
    """What an activity actually cost in one fiscal year from one source (R-AME-07), beside
    planning's planned funding line of the same year and source. USD, Decimal."""

    activity = protected_fk(Activity, related_name="actual_costs")
    fiscal_year = fiscal_year()
    source = models.CharField(max_length=12, choices=FundingSource.choices)
    amount = non_negative_usd("actual cost (USD)")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["activity", "fiscal_year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "fiscal_year", "source"],
                name="assessment_actual_cost_once",
                violation_error_message="R-AME-07: one actual cost per fiscal year and source.",
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.get_source_display()}: actual"
