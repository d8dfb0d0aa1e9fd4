"""Planning fixtures: the demo's Bandaria plan (loaded once per session by tests/conftest.py
through demo.load(), which runs planning's registered loader), found by natural keys."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.planning import demo
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from secoop.planning.models import IntermediateObjective
from tests import helpers
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)

# The demo's dates are laid out around this day (FY2027, two months in).
DEMO_TODAY = dt.date(2026, 11, 23)
on_demo_day = helpers.day_fixture(DEMO_TODAY)


@pytest.fixture
def plan(db) -> CampaignPlan:
    return CampaignPlan.objects.system().get(title=demo.PLAN_TITLE)


def activity(title_start: str) -> Activity:
    return Activity.objects.system().get(title__startswith=title_start)


def imo(title_start: str) -> IntermediateObjective:
    return IntermediateObjective.objects.system().get(title__startswith=title_start)


def snapshot_counts() -> dict[str, int]:
    return helpers.snapshot_counts("planning")
