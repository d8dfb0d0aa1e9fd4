"""EUM fixtures: the demo's Bandaria articles (loaded once per session by tests/conftest.py
through demo.load(), which runs eum's registered loader)."""

from __future__ import annotations

import datetime as dt

import pytest

from secoop.eum import demo
from secoop.eum.models import TransferredArticle
from tests import helpers
from tests.helpers import log_for  # noqa: F401  (the app's tests import them from here)
from tests.helpers import org  # noqa: F401  (the app's tests import them from here)
from tests.helpers import person  # noqa: F401  (the app's tests import them from here)

DEMO_TODAY = dt.date(2026, 12, 1)
on_demo_day = helpers.day_fixture(DEMO_TODAY)


@pytest.fixture
def nvd(db) -> TransferredArticle:
    """Six night vision devices; the initial inventory found NVD-000104 missing."""
    return demo.article_named(demo.MISSING_NVD)


@pytest.fixture
def late_nvd(db) -> TransferredArticle:
    """Four night vision devices delivered 10 Aug 2026, not yet inventoried."""
    return demo.article_named(demo.OVERDUE_NVD)


@pytest.fixture
def boats(db) -> TransferredArticle:
    return demo.article_named(demo.BOATS)


def snapshot_counts() -> dict[str, int]:
    return helpers.snapshot_counts("eum")
