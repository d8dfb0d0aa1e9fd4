"""Budget fixtures: the demo's Bandaria FY2028 request and 2027 forecast (loaded once per session
by tests/conftest.py through demo.load(), which runs budget's registered loader)."""

from __future__ import annotations

import pytest

from secoop.budget.models import BudgetRequest
from secoop.budget.models import ForecastSubmission
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)


@pytest.fixture
def fy2028(db) -> BudgetRequest:
    return BudgetRequest.objects.system().get(country_id="XBN", call__budget_fy=2028)


@pytest.fixture
def forecast(db) -> ForecastSubmission:
    return ForecastSubmission.objects.system().get(country_id="XBN", report_year=2027)
