"""Helpers every app's tests use: demo records by natural key, a record's change log, and the
table counts that say "nothing changed". App conftests bind them to their app."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
import time_machine
from django.apps import apps

from secoop.core.models import ChangeLogEntry
from secoop.core.models import Organization
from secoop.core.models import User


def person(username: str) -> User:
    # A fresh object each time: the access profile is cached per user object.
    return User.objects.get(username=username)


def org(short_name: str) -> Organization:
    return Organization.objects.system().get(short_name=short_name)


def wears_a_second_hat(username: str, role: str, like: str) -> User:
    """`username` given `role` in the organization where the demo user `like` holds it (a new
    billet, a dual-hatted officer): set-up code, as an administrator's grant would be."""
    from secoop.core import actions
    from secoop.core.models import Membership

    where = Membership.objects.get(user__username=like, role=role).organization
    actions.grant_membership(None, person(username), where, role)
    return person(username)


@contextlib.contextmanager
def on_day(day: dt.date):
    """The clock stopped at noon UTC on `day`; yields the day."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        yield day


def day_fixture(day: dt.date):
    """A fixture that stops the clock on `day` for the test (an app's `on_demo_day`)."""

    @pytest.fixture
    def on_demo_day():
        with on_day(day) as stopped:
            yield stopped

    return on_demo_day


def log_for(record) -> list[ChangeLogEntry]:
    """The change-log entries of one record, oldest first."""
    return list(
        ChangeLogEntry.objects.system()
        .filter(
            content_type__app_label=record._meta.app_label,
            content_type__model=record._meta.model_name,
            object_id=str(record.pk),
        )
        .order_by("id")
    )


def snapshot_counts(app_label: str) -> dict[str, int]:
    """Counts of every table of the app and of the change log: "nothing changed" is these equal."""
    counts = {}
    for model in apps.get_app_config(app_label).get_models():
        manager = model.objects
        counts[model.__name__] = (
            manager.system() if hasattr(manager, "system") else manager
        ).count()
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


def saved_copy(model, pk, **changes):
    """A new row copied from `model`'s row `pk` with `changes` (inside `with builds(...)`): more
    rows of a kind for the query-count tests (ARCHITECTURE invariant 7)."""
    record = model.objects.system().get(pk=pk)
    record.pk = record.id = None
    record._state.adding = True
    for name, value in changes.items():
        setattr(record, name, value)
    record.save()
    return record
