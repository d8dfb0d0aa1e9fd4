"""Cases fixtures: the demo's Bandaria cases (loaded once per session by tests/conftest.py
through demo.load(), which runs the cases loader), found by natural keys."""

from __future__ import annotations

import datetime as dt

from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from tests import helpers
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)
from tests.helpers import state  # noqa: F401  (the app's tests import them from here)

DEMO_TODAY = dt.date(2026, 11, 23)
on_demo_day = helpers.day_fixture(DEMO_TODAY)


def case(identifier: str) -> FmsCase:
    return FmsCase.objects.system().get(identifier=identifier)


def lor(title: str) -> LetterOfRequest:
    return LetterOfRequest.objects.system().get(title=title)


def snapshot_counts() -> dict[str, int]:
    return helpers.snapshot_counts("cases")
