"""What assessment pages and the home page read: each indicator's facts, target and actual per
period, what waits for a decision, what is overdue. Every list starts at the door
(visible_to / editable_by); a measure's indicator reads the measure through it (related())."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models import prefetch_related_objects

from secoop.core import access
from secoop.core.models import Notification
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.planning.models import Measure

from . import actions
from . import rules
from .models import Citation
from .models import Disaggregation
from .models import Evaluation
from .models import EvaluationFinding
from .models import Indicator
from .models import Period
from .models import Update
from .rules import UpdateStatus

REPORTED = (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED)
OVERDUE_SCAN = 200  # indicators checked for the home page


def sheet_of(indicator: Indicator, user) -> rules.IndicatorFacts | None:
    """The indicator's facts as `user` may read them: None for a measure's indicator whose
    measure they may not see (its name, unit and baseline are the measure's)."""
    if indicator.measure_id is None:
        return indicator.facts()
    measure = related(indicator, "measure", user)
    return indicator.facts(measure) if measure is not None else None


@dataclass
class PeriodRow:
    period: Period
    target: Decimal | None
    actual: Decimal | None  # the latest approved update's value
    updates: list[Update]
    parts: list = ()  # the target's and the approved actual's disaggregations the user may see

    @property
    def marking(self):
        return self.period.marking


def period_rows(indicator: Indicator, user) -> list[PeriodRow]:
    """Each period the user may see with its target and its approved actual (the latest
    approved update they may see), and its updates (through the door)."""
    return period_rows_of([indicator], user)[indicator.pk]


def period_rows_of(indicators, user) -> dict[int, list[PeriodRow]]:
    """period_rows() of each of `indicators`, in three queries for them all (issue 15)."""
    periods = list(
        Period.objects.visible_to(user)
        .filter(indicator__in=[i.pk for i in indicators])
        .order_by("indicator_id", "period_start", "pk")
        .prefetch_related(GuardedPrefetch("updates", user))
    )
    parts: dict[int, list] = {}
    for d in (
        Disaggregation.objects.visible_to(user)
        .filter(period__in=periods)
        .order_by("dimension", "category", "pk")
    ):
        parts.setdefault(d.period_id, []).append(d)
    rows: dict[int, list[PeriodRow]] = {i.pk: [] for i in indicators}
    for p in periods:
        updates = sorted(p.updates.all(), key=lambda u: u.pk)
        approved = [u for u in updates if u.is_approved]
        actual = approved[-1] if approved else None
        shown = [
            d
            for d in parts.get(p.pk, [])
            if d.update_id is None or (actual and d.update_id == actual.pk)
        ]
        rows[p.indicator_id].append(
            PeriodRow(p, p.target, actual.value if actual else None, updates, shown)
        )
    return rows


_MEASURE = Indicator._meta.get_field("measure")


def with_measures(indicators, user) -> list:
    """`indicators` with their measures read through the door in one query (measures()), so
    that sheet_of() and related_name() ask nothing more of the database."""
    lookup = measures(user)
    prefetch_related_objects(
        [i for i in indicators if i.measure_id and not _MEASURE.is_cached(i)], lookup
    )
    return indicators


def updates_to_decide(user) -> list[Update]:
    """Submitted updates of indicators owned where the user approves (or below), not entered by
    them (the action checks authorship again, from the change log: R-SEC-11)."""
    profile = access.profile_for(user)
    if profile is None:
        return []
    paths = [path for path, role in profile.roles_by_path if role in actions.APPROVERS]
    if not paths:
        return []
    scope = Q()
    for path in paths:
        scope |= Q(period__indicator__owner_org__tree_path__startswith=path)
    return list(
        Update.objects.visible_to(user)
        .filter(scope, status=UpdateStatus.SUBMITTED)
        .exclude(entered_by=user)
        .select_related("period__indicator")
        .order_by("submitted_on", "pk")[:100]
    )


@dataclass
class Overdue:
    indicator: Indicator
    name: str
    due: dt.date


def overdue_indicators(user, today: dt.date) -> list[Overdue]:
    """Indicators the user may see and report on whose next update is past due: one reporting
    interval after the last period with a submitted or approved update (or after the baseline,
    before any), while a period that has ended waits for its update."""
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(periods__period_end__lt=today)
        .distinct()
        .order_by("pk")[:OVERDUE_SCAN]
    )
    if not indicators:
        return []
    ids = [i.pk for i in indicators]
    # Trusted: whether a period was reported is counted over every update (never shown), so that
    # an update the user may not see never makes an indicator look overdue.
    reported: dict[int, dt.date] = {}
    for indicator_id, end in (
        Update.objects.system()
        .filter(period__indicator_id__in=ids, status__in=REPORTED)
        .values_list("period__indicator_id", "period__period_end")
    ):
        if end > reported.get(indicator_id, dt.date.min):
            reported[indicator_id] = end
    ended = dict(
        Period.objects.system()
        .filter(indicator_id__in=ids, period_end__lt=today)
        .order_by("indicator_id", "period_end")
        .values_list("indicator_id", "period_end")
    )  # the last ended period of each
    baselines = dict(
        Measure.objects.system()
        .filter(pk__in=[i.measure_id for i in indicators if i.measure_id])
        .values_list("pk", "baseline_on")
    )
    out = []
    for indicator in indicators:
        baseline_on = (
            baselines.get(indicator.measure_id) if indicator.measure_id else indicator.baseline_on
        )
        through = reported.get(indicator.pk) or baseline_on
        last_ended = ended.get(indicator.pk)
        if through is None or last_ended is None or last_ended <= through:
            continue
        if rules.update_overdue(through, indicator.frequency, today):
            out.append(
                Overdue(
                    indicator,
                    str(related_name(indicator, user)),
                    rules.update_due(through, indicator.frequency),
                )
            )
    return sorted(out, key=lambda o: o.due)


def measures_named(indicators, user) -> list[Measure]:
    """The measures whose names a page shows for these indicators (an IMO measure's indicator
    is named by its measure, with its unit and baseline), read through the door: for the
    banner, which covers every record a page names (R-SEC-01)."""
    ids = {i.measure_id for i in indicators if i is not None and i.measure_id}
    return list(Measure.objects.visible_to(user).filter(pk__in=ids)) if ids else []


def measures(user, lookup: str = "measure") -> GuardedPrefetch:
    """Indicators' measures through the door, with the IMO, line of effort and plan the door's
    check reads their owner and country from: a list names its indicators without a query per
    row (ARCHITECTURE invariant 7). `lookup`: the path to the measure from the list's model."""
    return GuardedPrefetch(
        lookup,
        user,
        queryset=Measure.objects.select_related("imo__line_of_effort__campaign_plan"),
    )


def related_name(indicator: Indicator, user) -> str:
    if indicator.measure_id:
        measure = related(indicator, "measure", user)
        if measure is not None:
            return measure.indicator
    return str(indicator)


def finding_rows(evaluation: Evaluation, user) -> tuple[list, list]:
    """Each finding the user may see with the evidence it cites: the cited update or document
    when they may see it, "(restricted)" when not. Also the records shown, for the banner."""
    found = list(EvaluationFinding.objects.visible_to(user).filter(evaluation=evaluation))
    cites = list(Citation.objects.visible_to(user).filter(finding__in=found))
    rows = []
    for f in found:
        evidence = [
            (related(c, "update", user) if c.update_id else related(c, "document", user))
            or "(restricted)"
            for c in cites
            if c.finding_id == f.pk
        ]
        rows.append((f, evidence))
    return rows, [*found, *cites]


def indicator_of(update: Update, user) -> str:
    """The name of an update's indicator as `user` may read it ("(restricted)" otherwise)."""
    period = related(update, "period", user)
    indicator = related(period, "indicator", user) if period is not None else None
    return related_name(indicator, user) if indicator is not None else "(restricted)"


# --- reporting reminders (issue 17 item 10) -------------------------------------------------------


@dataclass
class DuePeriod:
    period: Period
    indicator: Indicator
    name: str
    due: dt.date
    state: str  # "due" (within the horizon) or "overdue"


def _reported_periods(period_ids: list[int]) -> set[int]:
    """Trusted: the periods with a submitted or approved update (never shown; a hidden update
    counts, so that it never makes a period look unreported)."""
    return set(
        Update.objects.system()
        .filter(period_id__in=period_ids, status__in=REPORTED)
        .values_list("period_id", flat=True)
    )


def _baselines_on(indicators) -> dict[int, dt.date | None]:
    """Trusted: each indicator's baseline date (its measure's for an IMO measure's indicator)."""
    measures = dict(
        Measure.objects.system()
        .filter(pk__in=[i.measure_id for i in indicators if i.measure_id])
        .values_list("pk", "baseline_on")
    )
    return {
        i.pk: (measures.get(i.measure_id) if i.measure_id else i.baseline_on) for i in indicators
    }


def _due_rows(periods, indicators: dict[int, Indicator], today, horizon, name) -> list[DuePeriod]:
    reported = _reported_periods([p.pk for p in periods])
    baselines = _baselines_on(list(indicators.values()))
    out = []
    for p in periods:
        indicator = indicators.get(p.indicator_id)
        if indicator is None:
            continue
        due = rules.period_falls_due(p.period_end, p.pk in reported, baselines.get(indicator.pk))
        state = rules.due_state(due, today, horizon)
        if state:
            out.append(DuePeriod(p, indicator, name(indicator), due, state))
    return sorted(out, key=lambda d: (d.due, d.period.pk))


def updates_falling_due(
    user, today: dt.date, horizon: int = rules.DUE_SOON_DAYS
) -> list[DuePeriod]:
    """Periods the user may see whose update falls due within `horizon` days (the period ends;
    its indicator's frequency made it), not yet submitted or approved, for the pages."""
    periods = list(
        Period.objects.visible_to(user)
        .filter(
            period_end__gte=today - dt.timedelta(days=1),
            period_end__lt=today + dt.timedelta(days=horizon),
        )
        .order_by("period_end", "pk")[:OVERDUE_SCAN]
    )
    indicators = {
        i.pk: i
        for i in Indicator.objects.visible_to(user).filter(pk__in={p.indicator_id for p in periods})
    }
    return [
        d
        for d in _due_rows(periods, indicators, today, horizon, lambda i: related_name(i, user))
        if d.state == "due"
    ]


REMINDER_LOOKBACK_DAYS = (
    90  # a missed run catches up on periods this far back; older ones are overdue
)


def periods_to_remind(today: dt.date) -> list[DuePeriod]:
    """Trusted, for the reminder job: periods whose update fell due by today (within the
    lookback) and is not reported, with no reminder about them yet (once per period)."""
    periods = list(
        Period.objects.system()
        .filter(
            period_end__lt=today,
            period_end__gte=today - dt.timedelta(days=REMINDER_LOOKBACK_DAYS),
        )
        .order_by("period_end", "pk")
    )
    if not periods:
        return []
    ct = ContentType.objects.get_for_model(Period)
    reminded = set(
        Notification.objects.system()
        .filter(content_type=ct, object_id__in=[str(p.pk) for p in periods])
        .values_list("object_id", flat=True)
    )
    periods = [p for p in periods if str(p.pk) not in reminded]
    indicators = {
        i.pk: i for i in Indicator.objects.system().filter(pk__in={p.indicator_id for p in periods})
    }
    return _due_rows(periods, indicators, today, 0, lambda i: i.title)
