"""The dated facts training rules take (SPEC §11): read from ReferenceFact rows that
migration 0002 adds and an administrator edits; never literals in code."""

from __future__ import annotations

import datetime as dt

from secoop.core.models import ReferenceFact

from .rules import MedicalFacts

MEDICAL_WINDOW = "trn-medical-window-months"
MEDICAL_FORM = "trn-medical-form-required"
DENTAL_FORM = "trn-dental-form-required"
ARRIVAL_UNACCOMPANIED = "trn-arrival-unaccompanied-days"
ARRIVAL_ACCOMPANIED = "trn-arrival-accompanied-days"
SCREENING_RETENTION = "trn-screening-retention-years"
EIMET_RECERT = "trn-eimet-recertification-years"
ALTERNATE_LEAD = "trn-vetting-alternate-days"


def value(key: str, on: dt.date | None = None) -> int:
    return ReferenceFact.objects.in_force(key, on).as_int


def medical(on: dt.date | None = None) -> MedicalFacts:
    return MedicalFacts(
        value(MEDICAL_WINDOW, on), bool(value(MEDICAL_FORM, on)), bool(value(DENTAL_FORM, on))
    )


def arrival_days(on: dt.date | None = None) -> tuple[int, int]:
    return value(ARRIVAL_UNACCOMPANIED, on), value(ARRIVAL_ACCOMPANIED, on)
