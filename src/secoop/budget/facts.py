"""The dated facts budget rules take (SPEC §8, §11): ReferenceFact rows that migration 0001 adds
and an administrator edits; never literals in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.core.models import ReferenceFact

from .rules import Thresholds

JAVITS_MDE = "fct-javits-mde-usd"
JAVITS_OTHER = "fct-javits-other-usd"
FORECAST_PROBABILITY = "fct-sales-forecast-probability-percent"
FORECAST_YEARS = "fct-sales-forecast-fiscal-years"
TOLERANCE = "fct-consonance-tolerance-percent"


def _value(key: str, on: dt.date | None) -> Decimal:
    return ReferenceFact.objects.in_force(key, on).value


def thresholds(on: dt.date | None = None) -> Thresholds:
    return Thresholds(
        javits_mde=_value(JAVITS_MDE, on),
        javits_other=_value(JAVITS_OTHER, on),
        forecast_probability=int(_value(FORECAST_PROBABILITY, on)),
        forecast_years=int(_value(FORECAST_YEARS, on)),
    )


def tolerance(on: dt.date | None = None) -> Decimal:
    return _value(TOLERANCE, on)
