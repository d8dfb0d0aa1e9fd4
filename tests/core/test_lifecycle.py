"""Lifecycles are transitions tables (ARCHITECTURE invariant 10): every row names the action that
performs it, actions_now combines the table with the action's roles, and no template compares a
status string."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from secoop.core.lifecycle import Lifecycle
from secoop.core.permissions import REGISTRY
from secoop.core.permissions import action_modules

SRC = Path(__file__).resolve().parents[2] / "src" / "secoop"

DOOR = Lifecycle(
    "door",
    {"shut": "Shut", "open": "Open", "gone": "Gone"},
    {
        "open": (("shut",), "open", "Open the door"),
        "shut": (("open",), "shut"),
        "remove": (("shut", "open"), "gone", "Remove"),
    },
    actions={
        "open": "secoop.core.actions.acknowledge_notification",  # any writer
        "shut": "secoop.core.actions.unlock_account",  # administrators only
        "remove": "secoop.core.actions.unlock_account",
    },
)


def every_lifecycle() -> list[tuple[str, Lifecycle]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("secoop."):
            continue
        try:
            module = import_module(f"{config.name}.rules")
        except ModuleNotFoundError:
            continue
        found += [
            (f"{config.name}.rules.{name}", value)
            for name, value in vars(module).items()
            if isinstance(value, Lifecycle)
        ]
    return found


def test_a_table_answers_what_applies_now_and_why_not():
    assert [t.name for t in DOOR.available("shut")] == ["open", "remove"]
    assert DOOR.is_final("gone") and not DOOR.is_final("open")
    assert DOOR.problem("open", "shut") is None
    assert DOOR.problem("open", "open") == (
        "“Open the door” applies to a shut door; this one is open. From open it can: Shut, Remove."
    )
    assert "Nothing further applies" in DOOR.problem("open", "gone")
    assert DOOR.problem("paint", "shut").startswith("there is no door step 'paint'")
    sources, target, label = DOOR["remove"][:3]
    assert (sources, target, label) == (("shut", "open"), "gone", "Remove")


def test_a_table_refuses_a_state_it_does_not_know():
    with pytest.raises(ValueError, match="unknown state 'ajar'"):
        Lifecycle("door", {"shut": "Shut"}, {"open": (("shut",), "ajar")})


@pytest.mark.django_db
def test_actions_now_shows_only_what_the_user_may_press(users):
    sco, admin = users["sco.bandaria"], users["admin"]
    assert [t.name for t in DOOR.actions_now(sco, "shut")] == ["open"]
    assert [t.name for t in DOOR.actions_now(admin, "open")] == ["shut", "remove"]
    # the action's own scope check, when the view knows it
    assert DOOR.actions_now(sco, "shut", may={"open": False}) == []


def test_every_lifecycle_row_names_a_registered_action():
    action_modules()
    tables = every_lifecycle()
    assert {name.rsplit(".", 1)[1] for name, _ in tables} >= {
        "TRANSITIONS",
        "LOR",
        "CTA",
        "PLAN",
        "CETPP_TRANSITIONS",
        "STUDENT",
        "ACCESS_CHANGE",
    }
    unregistered = [
        f"{name}[{row.name}] → {row.action or '(none)'}"
        for name, table in tables
        for row in table.values()
        if row.action not in REGISTRY
    ]
    assert unregistered == []


STATUS_COMPARE = re.compile(r"\bstatus\s*(==|!=|\bin\b|\bnot in\b)")


def test_no_template_compares_a_status_string():
    """Templates ask the view (actions_now, may_…) or a model property named by meaning."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        for tag in re.findall(r"{%.*?%}", line)
        if STATUS_COMPARE.search(tag)
    ]
    assert offenders == []
