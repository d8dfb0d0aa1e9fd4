"""Assessment fixtures: the demo's Bandaria border-security results (loaded once per session by
tests/conftest.py through demo.load(), which runs assessment's registered loader)."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.assessment.models import Indicator
from secoop.assessment.models import Period
from secoop.assessment.models import Result
from secoop.assessment.models import Update
from tests import helpers
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)

DEMO_TODAY = dt.date(2026, 12, 3)
on_demo_day = helpers.day_fixture(DEMO_TODAY)


def snapshot_counts() -> dict[str, int]:
    return helpers.snapshot_counts("assessment")


def indicator(title: str) -> Indicator:
    """A demo indicator by its own title (activity indicators) or its measure's name."""
    found = Indicator.objects.system().filter(title=title).first()
    return found or Indicator.objects.system().get(measure__indicator=title)


def first_period(ind: Indicator) -> Period:
    return Period.objects.system().filter(indicator=ind).order_by("period_start").first()


@pytest.fixture
def wells(db) -> Indicator:
    return indicator("Wells completed and handed over")


@pytest.fixture
def coordination(db) -> Indicator:
    return indicator("Interagency coordination of border operations")


@pytest.fixture
def interdictions(db) -> Indicator:
    return indicator("Illicit crossings interdicted per month")


@pytest.fixture
def outcome(db) -> Result:
    return Result.objects.system().get(
        title="The 1st Border Brigade controls the northern frontier"
    )


def build_more_rows(n: int = 4) -> None:
    """More rows for the lists' query-count tests: per round, an indicator on a new measure of an
    IMO (named by its measure) and one released to the partner, each with a period and an update."""
    from secoop.planning.models import Measure
    from tests.conftest import builds

    named = indicator("Illicit crossings interdicted per month")
    shared = indicator("Interagency coordination of border operations")  # the partner sees it
    with builds("more assessment rows"):
        for k in range(n):
            measure = Measure(
                imo=Measure.objects.system().get(pk=named.measure_id).imo,
                kind="MOP",
                indicator=f"Joint exercises held {k}",
                unit="exercises",
            )
            measure.marking = named.marking
            measure.save()
            for like, own in ((named, measure), (shared, None)):
                new = Indicator(
                    result_id=like.result_id,
                    measure=own,
                    # A measure's indicator keeps its name, kind and unit on the measure.
                    title="" if own else f"Pumps installed {k}",
                    kind="" if own else "MOP",
                    unit="" if own else "pumps",
                    owner_org_id=like.owner_org_id,
                    country_id=like.country_id,
                    shared_with_partner=like.shared_with_partner,
                )
                new.marking = like.marking
                new.save()
                period = Period(
                    indicator=new,
                    period_start=dt.date(2026, 1, 1),
                    period_end=dt.date(2026, 3, 31),
                    target=5,
                )
                period.marking = like.marking
                period.save()
                update = Update(period=period, value=k, owner_org_id=like.owner_org_id)
                update.marking = like.marking
                update.save()


def _copy(record, **changes):
    """A copy of `record` (its marking, owner and every field) with `changes`, saved."""
    copy = type(record).objects.system().get(pk=record.pk)
    copy.pk = copy.id = None
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def copy_objectives(user, times: int = 1, deep: bool = True) -> None:
    """`times` more of each IMO/outcome of the ROI table `user` sees: the IMO and its results,
    and with `deep` its results' indicators (their measures), periods and updates, and the
    activity indicators that roll up into them with theirs."""
    from secoop.assessment import logframe
    from secoop.planning.models import Measure
    from tests.conftest import builds

    def indicator_copy(ind, **changes):
        if ind.measure_id:
            measure = Measure.objects.system().get(pk=ind.measure_id)
            changes["measure"] = _copy(measure, imo=changes.pop("imo", measure.imo))
        changes.pop("imo", None)
        made = _copy(ind, **changes)
        for period in Period.objects.system().filter(indicator=ind):
            new = _copy(period, indicator=made)
            for u in Update.objects.system().filter(period=period):
                _copy(u, period=new)
        return made

    imos = list(logframe.roi_objectives(user))
    with builds("more objectives for the ROI table"):
        for k in range(times):
            for imo in imos:
                made = _copy(imo, title=f"{imo.title} (copy {k})")
                for result in Result.objects.system().filter(imo=imo):
                    new = _copy(result, imo=made)
                    if not deep:
                        continue
                    for ind in Indicator.objects.system().filter(result=result):
                        top = indicator_copy(ind, result=new, imo=made)
                        for child in Indicator.objects.system().filter(contributes_to=ind):
                            indicator_copy(child, contributes_to=top)
