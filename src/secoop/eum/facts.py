"""The dated facts EUM rules take (SPEC §11 enhanced EUM, R-EUM-02, R-EUM-03; DODIG-2025-078):
ReferenceFact rows that migration eum 0002 adds and an administrator edits; never literals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from secoop.core.models import ReferenceFact

INITIAL_INVENTORY_DAYS = "eum-initial-inventory-days"
ANNUAL_INVENTORY_MONTHS = "eum-annual-inventory-months"
CAV_MIN_MONTHS = "eum-cav-min-months"
CAV_MAX_MONTHS = "eum-cav-max-months"
REPORT_MONTHS = "eum-report-months"
REVIEW_MONTHS = "eum-database-review-months"


def value(key: str, on: dt.date | None = None) -> int:
    return ReferenceFact.objects.in_force(key, on).as_int


@dataclass(frozen=True)
class Intervals:
    initial_days: int
    annual_months: int
    cav_min_months: int
    cav_max_months: int
    report_months: int
    review_months: int


def intervals(on: dt.date | None = None) -> Intervals:
    return Intervals(
        value(INITIAL_INVENTORY_DAYS, on),
        value(ANNUAL_INVENTORY_MONTHS, on),
        value(CAV_MIN_MONTHS, on),
        value(CAV_MAX_MONTHS, on),
        value(REPORT_MONTHS, on),
        value(REVIEW_MONTHS, on),
    )
