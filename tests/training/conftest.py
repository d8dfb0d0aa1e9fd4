"""Training fixtures: the demo's Bandaria plan, CETPP and students (loaded once per session by
tests/conftest.py through demo.load(), which runs training's registered loader)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from secoop.core.models import ChangeLogEntry, Organization, User
from secoop.training import demo
from secoop.training.models import Cetpp, Student, TrainingPlan

DEMO_TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def on_demo_day():
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield DEMO_TODAY


def person(username: str) -> User:
    return User.objects.get(username=username)


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


def student(family_name: str) -> Student:
    return demo.student_named(family_name)


@pytest.fixture
def plan(db) -> TrainingPlan:
    return TrainingPlan.objects.system().get(title=demo.PLAN_TITLE)


@pytest.fixture
def cetpp(plan) -> Cetpp:
    return Cetpp.objects.system().get(plan=plan, fiscal_year=2027)


def log_for(record):
    return list(
        ChangeLogEntry.objects.system()
        .filter(
            content_type__app_label="training",
            content_type__model=type(record)._meta.model_name,
            object_id=str(record.pk),
        )
        .order_by("id")
    )


def snapshot_counts():
    """Counts of every training table and the change log: 'nothing changed' is these equal."""
    from django.apps import apps

    counts = {
        m.__name__: m.objects.system().count() for m in apps.get_app_config("training").get_models()
    }
    counts["log"] = ChangeLogEntry.objects.system().count()
    return counts
