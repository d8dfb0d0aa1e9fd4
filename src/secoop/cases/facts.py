"""The dated facts the FMS rules use (SPEC §11), read from ReferenceFact rows that an
administrator edits. Migration 0002 adds them with their sources; nothing here holds a value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from secoop.core.models import ReferenceFact
from secoop.core.models.reference import in_force_kept
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused

from . import rules

CTA_MAX_AGE = "fms-cta-max-age-days"
LOR_VALIDATION = "fms-lor-validation-days"
AOD_GOAL = "fms-aod-goal-percent"
AOD_GROUP = "fms-aod-group-{}-days"  # a, b, c
OED_STANDARD = "fms-oed-standard-days"
OED_BPC = "fms-oed-bpc-days"
OED_COUNTRY = "fms-oed-days-{}"  # alpha-3, lower case: a country's longer standard
CLOSURE_MONTHS = "fms-closure-months-after-ssc"
RETENTION_YEARS = "fms-case-file-retention-years"
N36B = {
    "standard": ("fms-36b-mde-usd", "fms-36b-total-usd", "fms-36b-dc-usd", "fms-36b-days"),
    "nato5": (
        "fms-36b-nato5-mde-usd",
        "fms-36b-nato5-total-usd",
        "fms-36b-nato5-dc-usd",
        "fms-36b-nato5-days",
    ),
}
N36B_INFORMAL = "fms-36b-informal-review-days"
NATO5_MEMBER = "fms-nato5-{}"  # alpha-3, lower case: 1 while the country is in the NATO+5 group
SDR_MIN = "fms-sdr-min-value-usd"
SDR_ENDORSEMENT = "fms-sdr-endorsement-usd"
SDR_RECONSIDERATION = "fms-sdr-reconsideration-days"
SDR_FILING = "fms-sdr-filing-months"


def fact(key: str, on: dt.date | None = None, rule: str = "") -> Decimal:
    try:
        return in_force_kept(key, on).value
    except ReferenceFact.DoesNotExist as exc:
        raise Refused(Finding(rule, str(exc))) from None


def optional(key: str, on: dt.date | None = None) -> Decimal | None:
    try:
        return in_force_kept(key, on).value
    except ReferenceFact.DoesNotExist:
        return None


def days(key: str, on: dt.date | None = None, rule: str = "") -> int:
    return int(fact(key, on, rule))


def aod_group_days(group: str, on: dt.date | None = None) -> int:
    return days(AOD_GROUP.format(group.lower()), on, "SPEC-11-AOD")


def oed_days(country: str, pseudo_loa: bool, on: dt.date | None = None) -> int:
    """The OED days for this purchaser: BPC, the country's own standard, or the standard."""
    if pseudo_loa:
        return days(OED_BPC, on, "SPEC-11-OED")
    own = optional(OED_COUNTRY.format(country.lower()), on)
    return int(own) if own is not None else days(OED_STANDARD, on, "SPEC-11-OED")


def is_nato_plus_5(country: str, on: dt.date | None = None) -> bool:
    value = optional(NATO5_MEMBER.format(country.lower()), on)
    return bool(value and value > 0)


def thresholds(kind: str, on: dt.date | None = None) -> rules.NotificationThresholds:
    mde, total, dc, d = N36B[kind]
    return rules.NotificationThresholds(
        fact(mde, on, "SPEC-11-36(b)-notification"),
        fact(total, on, "SPEC-11-36(b)-notification"),
        fact(dc, on, "SPEC-11-36(b)-notification"),
        days(d, on, "SPEC-11-36(b)-notification"),
    )


def notification(
    country: str,
    mde_value: Decimal,
    total_value: Decimal,
    dc_value: Decimal,
    on: dt.date | None = None,
) -> rules.Notification:
    return rules.notification_36b(
        mde_value,
        total_value,
        dc_value,
        is_nato_plus_5(country, on),
        thresholds("standard", on),
        thresholds("nato5", on),
        days(N36B_INFORMAL, on, "SPEC-11-36(b)-notification"),
    )


def sdr_thresholds(on: dt.date | None = None) -> rules.SdrThresholds:
    return rules.SdrThresholds(
        fact(SDR_MIN, on, "R-FMS-10"),
        fact(SDR_ENDORSEMENT, on, "R-FMS-10"),
        days(SDR_RECONSIDERATION, on, "R-FMS-10"),
        days(SDR_FILING, on, "R-FMS-10"),
    )


# === billing (issue 13 item 7): when a DD Form 645's payment is due (SAMM C9.10, Table C9.T16) ===
DD645_DUE_MONTHS = "fms-dd645-due-months-after-quarter"
DD645_DUE_DAY = "fms-dd645-due-day"


def dd645_payment_due(period_end: dt.date) -> dt.date:
    return rules.payment_due(
        period_end,
        days(DD645_DUE_MONTHS, period_end, "SPEC-5-DD645"),
        days(DD645_DUE_DAY, period_end, "SPEC-5-DD645"),
    )


# === Excess Defense Articles and DCS license requests (dcseda) ===================================
# Migration 0007 adds these rows with their sources and effective dates.

EDA_THRESHOLD = "eda-notification-oav-usd"
EDA_DAYS = "eda-notification-days"
DCS_36C = {
    "standard": ("dcs-36c-mde-usd", "dcs-36c-total-usd", "dcs-36c-days"),
    "nato5": ("dcs-36c-nato5-mde-usd", "dcs-36c-nato5-total-usd", "dcs-36c-nato5-days"),
}
DCS_FIREARMS = "dcs-36c-firearms-usd"
DCS_REVIEW_GOAL = "dcs-ddtc-review-goal-days"


def eda_notification(original_acquisition_value: Decimal, on: dt.date | None = None):
    rule = "SPEC-11-EDA-notification"
    return rules.eda_notification(
        original_acquisition_value, fact(EDA_THRESHOLD, on, rule), days(EDA_DAYS, on, rule)
    )


def dcs_thresholds(kind: str, on: dt.date | None = None) -> rules.DcsThresholds:
    mde, total, d = DCS_36C[kind]
    return rules.DcsThresholds(
        fact(mde, on, "R-DCS-02"), fact(total, on, "R-DCS-02"), days(d, on, "R-DCS-02")
    )


def dcs_notification(lic, on: dt.date | None = None) -> rules.Notification:
    """AECA §36(c)/(d) for a DCS license request, on the facts in force on `on`."""
    return rules.dcs_notification(
        lic.license_type,
        lic.value or Decimal("0"),
        lic.mde_value or Decimal("0"),
        lic.firearms_category_i,
        lic.manufacture_abroad_sme,
        is_nato_plus_5(lic.country_id, on),
        dcs_thresholds("standard", on),
        dcs_thresholds("nato5", on),
        fact(DCS_FIREARMS, on, "R-DCS-02"),
    )


def dcs_review_goal(on: dt.date | None = None) -> int | None:
    """R-DCS-03: DDTC's review goal in days, or None where none is on record (show the figure)."""
    value = optional(DCS_REVIEW_GOAL, on)
    return int(value) if value is not None else None


@dataclass(frozen=True)
class DcsPeriod:
    """A span of receipt dates over which every fact R-DCS-02/03 reads is the same: the §36(c)/(d)
    thresholds, the firearms figure, the review goal and which destinations are NATO+5.
    `until` is exclusive; None at either end is open. `refused`: a fact missing on these dates
    (what dcs_notification raises for a request received then)."""

    since: dt.date | None
    until: dt.date | None
    standard: rules.DcsThresholds | None = None
    nato5: rules.DcsThresholds | None = None
    nato5_members: frozenset = frozenset()
    firearms_usd: Decimal | None = None
    goal_days: int | None = None
    refused: Refused | None = None


def dcs_periods(country_ids) -> list[DcsPeriod]:
    """The receipt dates cut where any fact the DCS figures read starts or ends, each span with
    the facts in force in it (issue 15 item 4: the list's R-DCS-03 figures are counted in SQL
    per span, not computed request by request). A fact's value changes only at its
    effective_from or the day after its effective_until, so every date of a span gets the same
    answer from in_force as the span's first day — the facts are looked up through the same
    functions, once a span."""
    keys = [k for kind in DCS_36C.values() for k in kind] + [DCS_FIREARMS, DCS_REVIEW_GOAL]
    members = {c: NATO5_MEMBER.format(c.lower()) for c in country_ids}
    cuts, on_record = set(), set()
    for key, since, until in ReferenceFact.objects.filter(
        key__in=keys + list(members.values())
    ).values_list("key", "effective_from", "effective_until"):
        on_record.add(key)
        cuts.add(since)
        if until is not None:
            cuts.add(until + dt.timedelta(days=1))
    # A destination with no membership row on record is never NATO+5 (is_nato_plus_5: None).
    listed = [c for c, key in members.items() if key in on_record]
    bounds = sorted(cuts)
    spans = list(zip([None, *bounds], [*bounds, None], strict=True))
    periods = []
    for since, until in spans:
        # A day inside the span: its first day, or the day before the first cut.
        on = since or (until - dt.timedelta(days=1) if until else dt.date.today())
        try:
            periods.append(
                DcsPeriod(
                    since,
                    until,
                    dcs_thresholds("standard", on),
                    dcs_thresholds("nato5", on),
                    frozenset(c for c in listed if is_nato_plus_5(c, on)),
                    fact(DCS_FIREARMS, on, "R-DCS-02"),
                    dcs_review_goal(on),
                )
            )
        except Refused as refused:
            periods.append(DcsPeriod(since, until, refused=refused))
    return periods
