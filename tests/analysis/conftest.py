"""Analysis fixtures: the demo's Bandaria analysis and AFRICOM scenario (loaded once per session
by tests/conftest.py through demo.load(), which runs analysis's registered loader)."""

from __future__ import annotations

import pytest

from secoop.analysis import demo
from secoop.analysis.models import CapabilityAnalysis
from secoop.analysis.models import Scenario
from secoop.analysis.models import SolutionOption
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)

SCENARIO_TITLE = "AFRICOM FY2028–FY2030: border and maritime security"


@pytest.fixture
def bandaria(db) -> CapabilityAnalysis:
    return CapabilityAnalysis.objects.system().get(title=demo.BANDARIA_TITLE)


@pytest.fixture
def scenario(db) -> Scenario:
    return Scenario.objects.system().get(title=SCENARIO_TITLE)


def option(title: str) -> SolutionOption:
    return SolutionOption.objects.system().get(title=title)


@pytest.fixture
def optimizer():
    """The optimizer package (its own engineer's): tests that solve skip until it is present."""
    return pytest.importorskip("secoop.analysis.optimizer")
