"""Assessment fixtures: the demo's Bandaria border-security results (loaded once per session by
tests/conftest.py through demo.load(), which runs assessment's registered loader)."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.assessment.models import Indicator, Period, Result
from tests import helpers
from tests.helpers import log_for, org, person  # noqa: F401  (the app's tests import them from here)

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
