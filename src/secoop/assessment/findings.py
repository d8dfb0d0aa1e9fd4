"""What assessment pages and the home page read: each indicator's facts, target and actual per
period, what waits for a decision, what is overdue. Every list starts at the door
(visible_to / editable_by); a measure's indicator reads the measure through it (related())."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from secoop.core import access
from secoop.core.related import GuardedPrefetch, related
from secoop.planning.models import Measure

from . import actions, rules
from .models import (
    Citation,
    Disaggregation,
    Evaluation,
    EvaluationFinding,
    Indicator,
    Period,
    Update,
)
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
    periods = list(
        Period.objects.visible_to(user)
        .filter(indicator=indicator)
        .order_by("period_start")
        .prefetch_related(GuardedPrefetch("updates", user))
    )
    parts: dict[int, list] = {}
    for d in (
        Disaggregation.objects.visible_to(user)
        .filter(period__in=periods)
        .order_by("dimension", "category", "pk")
    ):
        parts.setdefault(d.period_id, []).append(d)
    rows = []
    for p in periods:
        updates = sorted(p.updates.all(), key=lambda u: u.pk)
        approved = [u for u in updates if u.is_approved]
        actual = approved[-1] if approved else None
        shown = [
            d
            for d in parts.get(p.pk, [])
            if d.update_id is None or (actual and d.update_id == actual.pk)
        ]
        rows.append(PeriodRow(p, p.target, actual.value if actual else None, updates, shown))
    return rows


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
