"""Planning fixtures: the demo's Bandaria plan (loaded once per session by tests/conftest.py
through demo.load(), which runs planning's registered loader), found by natural keys."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from secoop.core.models import ChangeLogEntry, Organization, User
from secoop.planning import demo
from secoop.planning.models import Activity, CampaignPlan, IntermediateObjective

# The demo's dates are laid out around this day (FY2027, two months in).
DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield DEMO_TODAY


def person(username: str) -> User:
    return User.objects.get(username=username)  # a fresh object: the access profile is per object


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


@pytest.fixture
def plan(db) -> CampaignPlan:
    return CampaignPlan.objects.system().get(title=demo.PLAN_TITLE)


def activity(title_start: str) -> Activity:
    return Activity.objects.system().get(title__startswith=title_start)


def imo(title_start: str) -> IntermediateObjective:
    return IntermediateObjective.objects.system().get(title__startswith=title_start)


def log_for(record):
    return list(
        ChangeLogEntry.objects.system()
        .filter(
            content_type__app_label="planning",
            content_type__model=type(record)._meta.model_name,
            object_id=str(record.pk),
        )
        .order_by("id")
    )


def snapshot_counts():
    """Counts of every planning table and the change log: 'nothing changed' is these equal."""
    from django.apps import apps

    counts = {
        m.__name__: m.objects.system().count() for m in apps.get_app_config("planning").get_models()
    }
    counts["log"] = ChangeLogEntry.objects.system().count()
    return counts
