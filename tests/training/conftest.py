"""Training fixtures: the demo's Bandaria plan, CETPP and students (loaded once per session by
tests/conftest.py through demo.load(), which runs training's registered loader)."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.training import demo
from secoop.training.models import Cetpp
from secoop.training.models import Student
from secoop.training.models import TrainingPlan
from tests import helpers
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)

DEMO_TODAY = dt.date(2026, 12, 1)
on_demo_day = helpers.day_fixture(DEMO_TODAY)


def student(family_name: str) -> Student:
    return demo.student_named(family_name)


@pytest.fixture
def plan(db) -> TrainingPlan:
    return TrainingPlan.objects.system().get(title=demo.PLAN_TITLE)


@pytest.fixture
def cetpp(plan) -> Cetpp:
    return Cetpp.objects.system().get(plan=plan, fiscal_year=2027)


def snapshot_counts() -> dict[str, int]:
    return helpers.snapshot_counts("training")
