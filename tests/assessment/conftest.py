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
