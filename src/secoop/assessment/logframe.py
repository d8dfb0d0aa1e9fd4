"""An IMO/outcome's theory of change and logic framework (R-AME-03): inputs (the activities'
funding) → activities → outputs → outcomes → impact (the end state), with the assumptions the
path rests on; and its return on investment (R-AME-07): spend per objective against measured
progress. Everything is read through the user's door; a record they may not see is left out of
the diagram and its spend is not counted."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from django.db.models import Count
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Sum

from secoop.core.list_exports import Marked
from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.core.related import related
from secoop.planning.models import Activity
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CampaignPlan
from secoop.planning.models import EndState
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfEffort
from secoop.planning.models import PlanningAssumption
from secoop.reports import xlsx
from secoop.reports.common import Report

from . import findings
from . import rollup
from . import rules
from .models import ActualCost
from .models import Indicator
from .models import Result
from .rules import ResultType


@dataclass
class IndicatorProgress:
    indicator: Indicator
    name: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    rolled: bool = False  # the actual is rolled up from the activities' (it has none of its own)

    @property
    def progress(self) -> Decimal | None:
        return rules.progress(self.baseline, self.target, self.actual)


@dataclass
class Frame:
    imo: IntermediateObjective
    end_state: object
    activities: list[Activity]
    spend: Decimal
    outputs: list[Result]
    outcomes: list[Result]
    impacts: list[Result]
    assumptions: list[PlanningAssumption]
    measured: list[IndicatorProgress] = field(default_factory=list)
    actual_spend: Decimal | None = None  # the actual costs recorded (R-AME-07), None if none
    without_actuals: list[Activity] = field(default_factory=list)  # activities with no actual cost
    costs: list = field(default_factory=list)  # the actual cost lines read (for the marking)
    rollups: list = field(default_factory=list)  # rollup.RollUpTable of its indicators
    # What the other numbers are read from (funding lines, measures, periods, updates): the
    # banner and the workbook's marking cover them too (R-SEC-01).
    read: list = field(default_factory=list)
    # A frame summed by the database (roi_rows) holds no activity: how many, and how many of them
    # without an actual cost, counted instead.
    counted: tuple[int, int] | None = None

    @property
    def n_activities(self) -> int:
        return self.counted[0] if self.counted else len(self.activities)

    @property
    def n_without_actuals(self) -> int:
        return self.counted[1] if self.counted else len(self.without_actuals)

    @property
    def actuals_complete(self) -> bool:
        return bool(self.n_activities) and not self.n_without_actuals

    @property
    def cost_basis(self) -> str:
        """Which spend the cost per point rests on: the actuals when every activity has them."""
        return "actual" if self.actuals_complete else "planned"

    @property
    def cost_per_point(self) -> Decimal | None:
        """R-AME-07: USD per percentage point of progress, from actual spend when every activity
        has its actual costs, else from planned spend (and the page says so)."""
        spend = self.actual_spend if self.actuals_complete else self.spend
        return rules.cost_per_point(spend, self.progress)

    @property
    def actuals_note(self) -> str:
        if not self.n_activities:
            return "no activity that you may see"
        if not self.n_without_actuals:
            return "actuals recorded for every activity"
        return (
            f"actuals missing for {self.n_without_actuals} of {self.n_activities} "
            "activities you may see"
        )

    @property
    def progress(self) -> Decimal | None:
        """The mean progress of the indicators that can say it (R-AME-07's "measured progress")."""
        known = [m.progress for m in self.measured if m.progress is not None]
        return rules.roll_up(known, rules.RollUp.MEAN)

    @property
    def records(self) -> list:
        return [
            self.imo,
            *self.activities,
            *self.outputs,
            *self.outcomes,
            *self.impacts,
            *self.assumptions,
            *(m.indicator for m in self.measured),
            *self.costs,
            *(r for t in self.rollups for r in t.records),
            *self.read,
        ]


@dataclass
class Summed:
    """An IMO's activities, funding lines and actual costs as the database counts and adds them
    up (summed_by_objective): planned spend, actual spend (None without a cost line), how many
    activities and how many of them without an actual cost, and the markings they carry."""

    spend: Decimal = Decimal(0)
    actual_spend: Decimal | None = None
    counted: tuple[int, int] = (0, 0)
    markings: list = field(default_factory=list)
    results: list = field(default_factory=list)  # its own and its activities', by type then id


def _grouped_markings(queryset, by: str) -> dict[int, list[Marking]]:
    """rows_marking of each group of `queryset` (by the field `by`), in one query."""
    model = queryset.model
    found: dict[int, list[Marking]] = {}
    for key, c, d, r in (
        queryset.order_by().values_list(by, "classification", "dissemination", "rel_to").distinct()
    ):
        found.setdefault(key, []).append(model(classification=c, dissemination=d, rel_to=r).marking)
    return found


def summed_by_objective(imos, user) -> dict[int, Summed]:
    """R-AME-07 for a page of IMOs at once (issue 15 item 4: six queries for the page, not
    nine per objective): each one's activities, funding lines and actual costs the user may see,
    grouped by IMO and added up by the database; the markings of what was counted, for the
    banner (R-SEC-01)."""
    imo = "line_of_activity__imo"
    activities_qs = Activity.objects.visible_to(user).filter(**{f"{imo}__in": imos})
    funding_qs = ActivityFunding.objects.visible_to(user).filter(activity__in=activities_qs)
    costs_qs = ActualCost.objects.visible_to(user).filter(activity__in=activities_qs)
    out = {o.pk: Summed() for o in imos}
    for pk, n, without in (
        activities_qs.order_by()
        .values_list(imo)
        .annotate(
            n=Count("pk"), without=Count("pk", filter=~Q(pk__in=costs_qs.values("activity_id")))
        )
    ):
        out[pk].counted = (n, without)
    for pk, s in funding_qs.order_by().values_list(f"activity__{imo}").annotate(s=Sum("amount")):
        out[pk].spend = s or Decimal(0)
    for pk, s, n in (
        costs_qs.order_by().values_list(f"activity__{imo}").annotate(s=Sum("amount"), n=Count("pk"))
    ):
        out[pk].actual_spend = s if n else None
    # Its own results and its activities' (as frame() reads them), for the whole page at once:
    # `via` is the page's IMO of a result's activity, when the user may see the activity.
    via = Subquery(activities_qs.filter(pk=OuterRef("activity_id")).values(imo)[:1])
    for result in (
        Result.objects.visible_to(user)
        .filter(Q(imo__in=imos) | Q(activity__in=activities_qs))
        .annotate(via=via)
        .order_by("result_type", "pk")
    ):
        for pk in {result.imo_id, result.via} & out.keys():
            out[pk].results.append(result)
    for qs, by in (
        (activities_qs, imo),
        (funding_qs, f"activity__{imo}"),
        (costs_qs, f"activity__{imo}"),
    ):
        for pk, markings in _grouped_markings(qs, by).items():
            out[pk].markings.append(Marked(combine(markings)))
    return out


@dataclass
class _Batch:
    """What frame() reads around a set of IMOs, read for them all at once (issue 15: the ROI
    page and its export in a fixed number of queries whatever the number of objectives)."""

    end_states: dict  # IMO pk → its end state the user may see (or absent)
    plans: dict  # IMO pk → its line of effort's campaign plan, when the user may see both
    assumptions: dict  # plan pk → its assumptions the user may see
    rollups: dict  # IMO pk → rollup.RollUpTable of its indicators
    indicators: dict  # IMO pk → the indicators of its results, measures read
    period_rows: dict  # indicator pk → findings.PeriodRow


def _batch(imos, user) -> _Batch:
    def by_pk(model, ids):
        ids = {i for i in ids if i is not None}
        return {r.pk: r for r in model.objects.visible_to(user).filter(pk__in=ids)} if ids else {}

    end_states = by_pk(EndState, (o.end_state_id for o in imos))
    loes = by_pk(LineOfEffort, (o.line_of_effort_id for o in imos))
    plans = by_pk(CampaignPlan, (loe.campaign_plan_id for loe in loes.values()))
    plan_of = {
        o.pk: plans.get(loes[o.line_of_effort_id].campaign_plan_id)
        for o in imos
        if o.line_of_effort_id in loes
    }
    assumptions: dict[int, list] = {}
    for a in (
        PlanningAssumption.objects.visible_to(user)
        .filter(campaign_plan__in={p.pk for p in plan_of.values() if p is not None})
        .order_by("review_on", "pk")
    ):
        assumptions.setdefault(a.campaign_plan_id, []).append(a)
    indicators: dict[int, list] = {o.pk: [] for o in imos}
    found = findings.with_measures(
        list(
            Indicator.objects.visible_to(user)
            .filter(result__imo__in=[o.pk for o in imos])
            .annotate(of_imo=F("result__imo"))
            .order_by("pk")
        ),
        user,
    )
    for indicator in found:
        indicators[indicator.of_imo].append(indicator)
    return _Batch(
        end_states={o.pk: end_states.get(o.end_state_id) for o in imos},
        plans=plan_of,
        assumptions=assumptions,
        rollups=rollup.tables_for_objectives(imos, user),
        indicators=indicators,
        period_rows=findings.period_rows_of(found, user),
    )


def frame(
    imo: IntermediateObjective, user, summed: Summed | None = None, batch: _Batch | None = None
) -> Frame:
    """The IMO's logic framework. `summed`: its activities, funding lines and actual costs as
    the database counted and added them up (summed_by_objective), not read (the ROI table:
    thousands of activities under one IMO at enterprise scale, issue 15 item 4); the banner
    covers them by their markings. `batch`: what is read around it, read with other IMOs'
    (_batch); read for it alone without."""
    batch = batch if batch is not None else _batch([imo], user)
    activities_qs = Activity.objects.visible_to(user).filter(line_of_activity__imo=imo)
    if summed is not None:
        activities: list = []
        spend, actual_spend, counted = summed.spend, summed.actual_spend, summed.counted
        costs: list = []
        read: list = list(summed.markings)
    else:
        activities = list(activities_qs.order_by("start_date", "pk"))
        funding = list(ActivityFunding.objects.visible_to(user).filter(activity__in=activities))
        spend = sum((f.amount for f in funding), Decimal(0))
        read = [*funding]
        costs = list(ActualCost.objects.visible_to(user).filter(activity__in=activities))
        actual_spend = sum((c.amount for c in costs), Decimal(0)) if costs else None
        counted = None
        of_activities = Q(activity__in=activities)
    costed = {c.activity_id for c in costs}
    results = (
        summed.results
        if summed is not None
        else list(
            Result.objects.visible_to(user)
            .filter(Q(imo=imo) | of_activities)
            .order_by("result_type", "pk")
        )
    )
    plan = batch.plans.get(imo.pk)
    assumptions = list(batch.assumptions.get(plan.pk, [])) if plan else []
    rollups = batch.rollups[imo.pk]
    rolled = {t.indicator.pk: [p.value for p in t.periods if p.value is not None] for t in rollups}
    measured = []
    for indicator in batch.indicators[imo.pk]:
        sheet = findings.sheet_of(indicator, user)
        rows = batch.period_rows[indicator.pk]
        # Its own approved actuals; without any, the value rolled up from its activities'.
        own = [r.actual for r in rows if r.actual is not None]
        actuals = own or rolled.get(indicator.pk, [])
        measure = related(indicator, "measure", user) if indicator.measure_id else None
        read += [r for r in (measure, *(r.period for r in rows)) if r is not None]
        read += [u for r in rows for u in r.updates if u.is_approved]
        target = measure.target if measure is not None else (rows[-1].target if rows else None)
        measured.append(
            IndicatorProgress(
                indicator,
                findings.related_name(indicator, user),
                sheet.baseline if sheet else None,
                target,
                actuals[-1] if actuals else None,
                rolled=bool(actuals) and not own,
            )
        )
    return Frame(
        imo=imo,
        end_state=batch.end_states[imo.pk],
        activities=activities,
        spend=spend,
        outputs=[r for r in results if r.result_type == ResultType.OUTPUT],
        outcomes=[r for r in results if r.result_type == ResultType.OUTCOME],
        impacts=[r for r in results if r.result_type == ResultType.IMPACT],
        assumptions=assumptions,
        measured=measured,
        actual_spend=actual_spend,
        without_actuals=[a for a in activities if a.pk not in costed],
        costs=costs,
        rollups=rollups,
        read=read,
        counted=counted,
    )


ROI_PAGE = 10  # objectives a page of the ROI table: ~20 queries each (issue 15 item 4)


def roi_objectives(user):
    """R-AME-07: the IMOs/outcomes the user may see with results, by id."""
    return (
        IntermediateObjective.objects.visible_to(user)
        .filter(results__isnull=False)
        .distinct()
        .order_by("pk")
    )


def roi_rows(user, objectives=None) -> list[Frame]:
    """R-AME-07: each IMO/outcome the user may see with results (all of them, or `objectives`:
    a page of roi_objectives()), its spend and its progress."""
    if objectives is None:
        return list(roi_frames(user))
    imos = list(objectives)
    summed = summed_by_objective(imos, user)
    batch = _batch(imos, user)
    return [frame(imo, user, summed=summed[imo.pk], batch=batch) for imo in imos]


ROI_HEADERS = [
    "IMO / outcome",
    "Planned spend (USD)",
    "Actual spend (USD)",
    "Actual costs",
    "Indicators measured",
    "Progress toward targets",
    "Cost per point of progress (USD)",
    "Cost per point from",
]


ROI_CHUNK = 100  # objectives read at a time for the export (a fixed number of queries each)


def roi_frames(user) -> Iterator[Frame]:
    """Every IMO/outcome of roi_objectives(), ROI_CHUNK at a time (keyset on the id), each
    chunk read as a page of the table is (roi_rows): issue 15 §6, an export drops no row."""
    after = 0
    while True:
        imos = list(roi_objectives(user).filter(pk__gt=after)[:ROI_CHUNK])
        if not imos:
            return
        yield from roi_rows(user, imos)
        if len(imos) < ROI_CHUNK:
            return
        after = imos[-1].pk


def roi_xlsx(user) -> Report:
    """The ROI table of every objective the user may see with results as a workbook (written
    by the shared write-only writer), marked with the highest marking of what it holds. The
    frames are read chunk by chunk and let go; only each objective's row and the marking so far
    are kept, since the banner is written first."""
    rows, marking = [], Marking.parse("UNCLASSIFIED")
    for f in roi_frames(user):
        marking = combine([marking, *(r.marking for r in f.records)])
        rows.append(
            [
                str(f.imo),
                f.spend,
                f.actual_spend,
                f.actuals_note,
                len(f.measured),
                f.progress,
                f.cost_per_point,
                f"{f.cost_basis} spend" if f.cost_per_point is not None else "no progress measured",
            ]
        )
    out = io.BytesIO()
    xlsx.stream_table(
        out,
        "Return on investment",
        marking,
        ROI_HEADERS,
        rows,
        heading=[
            "Return on SC investment (R-AME-07): planned and actual spend per objective against "
            f"measured progress — every objective you may see with results ({len(rows):,})"
        ],
        note="Planned spend: the funding lines of the objective's activities you may see; actual "
        "spend: their actual costs recorded in monitoring. Progress: mean of (actual − baseline) / "
        "(target − baseline) over its indicators with an approved or rolled-up actual (1 = the targets). Cost "
        "per point: spend / percentage points of progress, from actual spend when every activity "
        "has its actual costs, else from planned spend.",
        money=[False, True, True, False, False, False, True, False],
        formats=[None, None, None, None, None, "0%", None, None],
    )
    return Report(out.getvalue(), "secoop-roi.xlsx", marking)


def objective_entries(assessment, plan, user) -> list[tuple[IntermediateObjective, object]]:
    """Each objective of the plan the user may see, with the command's assessment of it (or
    None while it is not assessed) (R-AME-06)."""
    from .actions import objectives_plan_id
    from .models import ObjectiveAssessment

    if plan is None:
        return []
    imos = list(
        IntermediateObjective.objects.visible_to(user)
        .filter(line_of_effort__campaign_plan_id=objectives_plan_id(assessment))
        .order_by("line_of_effort", "pk")
    )
    entries = {
        e.imo_id: e
        for e in ObjectiveAssessment.objects.visible_to(user).filter(assessment=assessment)
    }
    return [(imo, entries.get(imo.pk)) for imo in imos]
