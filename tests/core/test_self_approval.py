"""R-SEC-11 in every app: whoever authored a record does not approve it.

Every approving action declares what it approves (`@acts(..., approves=Approval(...))`, core/
permissions.py), and the declaration runs the one rule (`core.rules.approves_own_work`) before the
action's body. Each app lists, in `tests/<app>/self_approval.py`, how its approving actions are
attempted by the record's own author; this test runs each and fails on an approving action that
has no such attempt, and on an action named like an approval that declares nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps

from secoop.core import permissions
from secoop.core.models import ChangeLogEntry
from secoop.core.verdicts import Refused
from tests.helpers import on_day

# Actions whose names sound like an approval but approve nothing someone else wrote.
NOT_APPROVALS = {
    "secoop.cases.actions.accept_change": "the purchaser accepts the U.S. government's amendment",
    "secoop.planning.actions.decline_reschedule": "a refusal changes nothing the requester wrote",
}
APPROVAL_NAME = re.compile(r"(^|_)(approve|approval|endorse|certify|sign_off)")


def self_approvals() -> dict:
    permissions.action_modules()
    attempts: dict = {}
    for config in apps.get_app_configs():
        if config.name.startswith("secoop."):
            try:
                module = importlib.import_module(f"tests.{config.label}.self_approval")
            except ModuleNotFoundError:
                continue
            day = getattr(module, "DEMO_TODAY", dt.date(2026, 11, 23))
            attempts.update(
                {name: (attempt, day) for name, attempt in module.SELF_APPROVALS.items()}
            )
    return attempts


def test_r_sec_11_every_approving_action_declares_what_it_approves():
    self_approvals()
    named = {
        name
        for name in permissions.REGISTRY
        if APPROVAL_NAME.search(name.rsplit(".", 1)[1]) and name not in NOT_APPROVALS
    }
    assert named - set(permissions.APPROVALS) == set()
    assert set(permissions.APPROVALS) == set(self_approvals()), (
        "each approving action needs an attempt by its author in tests/<app>/self_approval.py"
    )


@pytest.mark.parametrize("action", sorted(self_approvals()))
def test_r_sec_11_no_one_approves_what_they_authored(action, db):
    build, day = self_approvals()[action]
    with on_day(day):
        attempt = build()
        logged = ChangeLogEntry.objects.system().count()
        with pytest.raises(Refused) as exc:
            attempt()
    assert exc.value.rule == "R-SEC-11"
    assert "so someone else must approve it" in exc.value.findings[0].message
    assert ChangeLogEntry.objects.system().count() == logged  # nothing written
