"""The dated facts training rules take (SPEC §11): read from ReferenceFact rows that
migration 0002 adds and an administrator edits; never literals in code."""

from __future__ import annotations

import datetime as dt

from secoop.core.dated_facts import whole

from .rules import MedicalFacts

MEDICAL_WINDOW = "trn-medical-window-months"
MEDICAL_FORM = "trn-medical-form-required"
DENTAL_FORM = "trn-dental-form-required"
ARRIVAL_UNACCOMPANIED = "trn-arrival-unaccompanied-days"
ARRIVAL_ACCOMPANIED = "trn-arrival-accompanied-days"
SCREENING_RETENTION = "trn-screening-retention-years"
EIMET_RECERT = "trn-eimet-recertification-years"


def medical(on: dt.date | None = None) -> MedicalFacts:
    return MedicalFacts(
        whole(MEDICAL_WINDOW, on), bool(whole(MEDICAL_FORM, on)), bool(whole(DENTAL_FORM, on))
    )


def arrival_days(on: dt.date | None = None) -> tuple[int, int]:
    return whole(ARRIVAL_UNACCOMPANIED, on), whole(ARRIVAL_ACCOMPANIED, on)


# The vetting clock (R-TRN-06): State's system cancels unresolved requests after this many days
# (reported as 30: kept as a dated fact "to verify" until a primary source confirms it).
VETTING_LAPSE = "trn-vetting-lapse-days"
# Whether FMS training bought with the purchaser's national funds is vetted too (1) or not (0).
VET_NATIONAL_FUNDS = "trn-vetting-fms-national-funds"


def vetting_lapse_days(on: dt.date | None = None) -> int:
    return whole(VETTING_LAPSE, on)


def national_funds_vetted(on: dt.date | None = None) -> bool:
    return bool(whole(VET_NATIONAL_FUNDS, on))


def settings_for(org_ids) -> dict:
    """Each SCO's own settings (TrainingSettings; the model's defaults where an SCO set none):
    org id → (alternate_days, lapse_warning_days)."""
    from .models import TrainingSettings

    default = default_settings()
    ids = set(org_ids)
    if not ids:
        return {}
    found = {
        org: (alt, warn)
        for org, alt, warn in TrainingSettings.objects.system()
        .filter(owner_org_id__in=ids)
        .values_list("owner_org_id", "alternate_days", "lapse_warning_days")
    }
    return {org: found.get(org, default) for org in ids}


def default_settings() -> tuple[int, int]:
    """(alternate_days, lapse_warning_days) for an SCO that set none: the model's defaults."""
    from .models import TrainingSettings

    return (
        TrainingSettings._meta.get_field("alternate_days").default,
        TrainingSettings._meta.get_field("lapse_warning_days").default,
    )
