"""Cases fixtures: the demo's Bandaria cases (loaded once per session by tests/conftest.py
through demo.load(), which runs the cases loader), found by natural keys."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from secoop.cases.models import FmsCase, LetterOfRequest
from secoop.core.models import ChangeLogEntry, Organization, User

DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def on_demo_day():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield DEMO_TODAY


def person(username: str) -> User:
    return User.objects.get(username=username)  # a fresh object: the access profile is per object


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


def case(identifier: str) -> FmsCase:
    return FmsCase.objects.system().get(identifier=identifier)


def lor(title: str) -> LetterOfRequest:
    return LetterOfRequest.objects.system().get(title=title)


def log_for(record):
    return list(
        ChangeLogEntry.objects.system()
        .filter(
            content_type__app_label="cases",
            content_type__model=type(record)._meta.model_name,
            object_id=str(record.pk),
        )
        .order_by("id")
    )


def snapshot_counts():
    """Counts of every cases table and the change log: 'nothing changed' is these equal."""
    from django.apps import apps

    counts = {}
    for m in apps.get_app_config("cases").get_models():
        manager = m.objects
        counts[m.__name__] = (manager.system() if hasattr(manager, "system") else manager).count()
    counts["log"] = ChangeLogEntry.objects.system().count()
    return counts


def state(record) -> dict:
    """The record's stored fields, re-read: to assert nothing changed."""
    fresh = type(record).objects.system().get(pk=record.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in fresh._meta.concrete_fields
        if f.attname != "updated_at"
    }
