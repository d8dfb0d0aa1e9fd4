"""Synthetic results, indicators, periods and updates for `secoop generate` (registered with
core.generate.register; it runs after planning's generator, whose activities and IMOs the results
are of).

* `Scale.results` results (R-AME-02), about two in three of a generated activity (owned by the
  activity's sponsor, marked as the activity) and the rest of a generated country-specific IMO
  (owned by the country's SCO, marked as the IMO); about half of those releasable to the partner
  are released to it.
* One or two indicators per result, each with its reference sheet (kind, definition, unit) and a
  baseline assessed at the start (R-AME-01), reporting quarterly, every six months or annually.
* Its periods (inside the activity's dates for an activity's result, IATI: never overlapping),
  each with a target; for each period already ended, an update reported by a member of the
  indicator's organization and, when another member may approve, approved by them (R-SEC-11:
  never by its author); otherwise it waits, submitted.

Results, indicators, periods and updates get their CREATE entries (`Generation.create`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from secoop.core import generate as core
from secoop.core.models import Membership
from secoop.planning.models import Activity
from secoop.planning.models import IntermediateObjective

from . import rules
from .actions import APPROVERS
from .actions import REPORTERS
from .models import Indicator
from .models import Period
from .models import Result
from .models import Update
from .rules import Frequency
from .rules import IndicatorKind
from .rules import MeasureType
from .rules import ResultType
from .rules import UpdateStatus

ACTIVITY_SHARE = 2 / 3
SHARED_SHARE = 0.5
MAX_PERIODS = 6
# (kind, measured as, unit, indicator): the measures a security cooperation plan typically uses.
INDICATORS = (
    (IndicatorKind.MOP, MeasureType.UNIT, "personnel", "Personnel trained to standard"),
    (IndicatorKind.MOP, MeasureType.UNIT, "events", "Combined exercises held"),
    (IndicatorKind.MOE, MeasureType.PERCENTAGE, "percent", "Share of units certified ready"),
    (IndicatorKind.MOE, MeasureType.PERCENTAGE, "percent", "Patrols completed as planned"),
    (IndicatorKind.MOE, MeasureType.UNIT, "days", "Days of maritime domain awareness coverage"),
)
FREQUENCIES = (Frequency.QUARTERLY, Frequency.SEMIANNUAL, Frequency.ANNUAL)


@core.register
def assessment(gen: core.Generation) -> None:
    if not gen.scale.results:
        return
    today = timezone.localdate()
    results = _results(gen, today)
    gen.in_chunks(r for r, _ in results)
    indicators = []
    for result, span in results:
        for _ in range(gen.rng.randint(1, 2)):
            indicators.append((_indicator(gen, result, span[0]), span))
    gen.in_chunks(i for i, _ in indicators)
    periods = [p for i, span in indicators for p in _periods(gen, i, span)]
    gen.in_chunks(periods)
    gen.in_chunks(_updates(gen, periods, today))


def _results(gen, today) -> list[tuple[Result, tuple[dt.date, dt.date]]]:
    """The results, each with the span its periods may cover: an activity's dates, or for an
    IMO's result from two years back to the end of next year."""
    rng = gen.rng
    total = gen.scale.results
    scos = {k: v["sco"][0] for k, v in gen.by_country.items() if v["sco"]}
    imos = list(
        IntermediateObjective.objects.system()
        .filter(
            pk__in=gen.pks.get("planning.IntermediateObjective", []),
            line_of_effort__country_id__in=list(scos),
        )
        .annotate(partner=F("line_of_effort__country_id"))
        .order_by("pk")
    )
    # A third of the results on IMOs when there are enough of them, the rest on activities.
    imos = rng.sample(imos, min(len(imos), round(total * (1 - ACTIVITY_SHARE))))
    activity_ids = gen.pks.get("planning.Activity", [])
    chosen = rng.sample(activity_ids, min(len(activity_ids), total - len(imos)))
    made = []
    for a in Activity.objects.system().filter(pk__in=chosen).order_by("pk"):
        r = Result(
            title=f"{a.title}: {rng.choice(('trained', 'fielded', 'certified'))} capability"[:300],
            result_type=rng.choice((ResultType.OUTPUT, ResultType.OUTCOME)),
            activity=a,
            owner_org_id=a.owner_org_id,
            country_id=a.country_id,
        )
        made.append((_marked(gen, r, a), (a.start_date, a.end_date)))
    span = (dt.date(today.year - 2, 1, 1), dt.date(today.year + 1, 12, 31))
    for imo in imos:
        r = Result(
            title=f"{imo.title}: outcome achieved"[:300],
            result_type=ResultType.OUTCOME,
            imo=imo,
            owner_org=scos[imo.partner],
            country_id=imo.partner,
        )
        made.append((_marked(gen, r, imo), span))
    return made


def _marked(gen, record, parent):
    """Marked as the record it measures (it names it); released to the partner now and then
    when that marking allows it."""
    record.marking = parent.marking
    record.shared_with_partner = (
        parent.marking.releasable_to(record.country_id) and gen.rng.random() < SHARED_SHARE
    )
    return record


def _indicator(gen, result: Result, start: dt.date) -> Indicator:
    rng = gen.rng
    kind, measured, unit, title = rng.choice(INDICATORS)
    indicator = Indicator(
        result=result,
        title=title,
        kind=kind,
        definition=f"{title}, counted by the reporting organization at the end of each period.",
        measure_type=measured,
        unit=unit,
        data_source="Unit readiness reports and SCO observation",
        collection_method="Count from the partner's reports, checked on site by the SCO.",
        frequency=rng.choice(FREQUENCIES),
        baseline=Decimal(rng.randint(0, 40)),
        baseline_on=start,  # R-AME-01: assessed before any actual
        owner_org_id=result.owner_org_id,
        country_id=result.country_id,
        shared_with_partner=result.shared_with_partner,
    )
    indicator.marking = result.marking
    return indicator


def _periods(gen, indicator: Indicator, span) -> list[Period]:
    made = []
    dates = rules.periods_by_frequency(span[0], span[1], indicator.frequency)[:MAX_PERIODS]
    for n, (start, end) in enumerate(dates, 1):
        target = indicator.baseline + Decimal(n * gen.rng.randint(2, 10))
        p = Period(indicator=indicator, period_start=start, period_end=end, target=min(target, 100))
        p.marking = indicator.marking
        made.append(p)
    return made


def _updates(gen, periods: list[Period], today: dt.date) -> list[Update]:
    """An actual for each period ended, reported by a member of the indicator's organization and
    approved by another who may (R-SEC-11), or left submitted when there is none."""
    rng = gen.rng
    reporters, approvers = _members(gen)
    made = []
    for p in periods:
        indicator = p.indicator
        if p.period_end >= today or not reporters[indicator.owner_org_id]:
            continue
        author = rng.choice(reporters[indicator.owner_org_id])
        others = [u for u in approvers[indicator.owner_org_id] if u != author]
        submitted = min(today, p.period_end + dt.timedelta(days=rng.randint(1, 20)))
        u = Update(
            period=p,
            value=min(p.target, indicator.baseline + Decimal(rng.randint(0, 30))),
            narrative="Reported from the partner's returns; checked by the SCO on site.",
            owner_org_id=indicator.owner_org_id,
            entered_by_id=author,
            submitted_on=submitted,
            status=UpdateStatus.SUBMITTED,
        )
        if others:
            u.status, u.decided_by_id = UpdateStatus.APPROVED, rng.choice(others)
            u.decided_on = min(today, submitted + dt.timedelta(days=rng.randint(1, 10)))
        u.marking = p.marking
        made.append(u)
    return made


def _members(gen) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """The generated users who may report (REPORTERS) and approve (APPROVERS), per organization."""
    reporters, approvers = defaultdict(list), defaultdict(list)
    for org, user, role in Membership.objects.filter(user__in=gen.users).values_list(
        "organization_id", "user_id", "role"
    ):
        if role in REPORTERS:
            reporters[org].append(user)
        if role in APPROVERS:
            approvers[org].append(user)
    return reporters, approvers
