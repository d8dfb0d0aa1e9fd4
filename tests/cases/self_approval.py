"""Cases' approving actions, each attempted by the record's author (tests/core/test_self_approval.py)."""

from __future__ import annotations

import datetime as dt

from secoop.cases import actions
from tests.cases.builders import new_case
from tests.cases.conftest import DEMO_TODAY  # noqa: F401  (the day the attempt is made)
from tests.helpers import person


def loa_by_its_writer():
    cm = person("case.manager")
    case = new_case()
    for step, day in (("write", 10), ("review", 15), ("propose", 20)):
        case = actions.milestone(cm, case, step, dt.date(2026, 3, day))
    return lambda: actions.milestone(cm, case, "approve", dt.date(2026, 4, 1))


SELF_APPROVALS = {"secoop.cases.actions.milestone": loa_by_its_writer}
