"""FMS case rules (SPEC §5, R-FMS-01..12 and the §11 rows) as pure functions: no I/O, no queries.

Every figure that changes over time (CTA age, LOR validation days, AOD days and goal, OED days,
closure months, 36(b) thresholds, SDR thresholds, retention) arrives as an argument, read by the
caller from ReferenceFact rows (see facts.py); nothing here is a literal from guidance.
Each check returns None when all is well, or the text of what to fix.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# --- LOA states and the milestone table (SPEC §5 lifecycle) -----------------------------------


class Status:
    DEVELOPMENT = "development"
    WRITTEN = "written"
    REVIEWED = "reviewed"
    PROPOSED = "proposed"
    MILAP = "milap"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    IMPLEMENTED = "implemented"
    SSC = "ssc"
    CLOSED = "closed"
    CHOICES = [
        (DEVELOPMENT, "In development"),
        (WRITTEN, "Written"),
        (REVIEWED, "Reviewed"),
        (PROPOSED, "Proposed"),
        (MILAP, "MILDEP approved"),
        (OFFERED, "Offered"),
        (ACCEPTED, "Accepted"),
        (REJECTED, "Rejected"),
        (CANCELLED, "Cancelled"),
        (IMPLEMENTED, "Implemented"),
        (SSC, "Supply/services complete"),
        (CLOSED, "Closed"),
    ]
    LABELS = dict(CHOICES)
    PRE_OFFER = (DEVELOPMENT, WRITTEN, REVIEWED, PROPOSED, MILAP)
    ACTIVE = (ACCEPTED, IMPLEMENTED)


# action name → (states it may start from, state it leads to, label)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "write": ((Status.DEVELOPMENT,), Status.WRITTEN, "Mark written"),
    "review": ((Status.WRITTEN,), Status.REVIEWED, "Mark reviewed"),
    "propose": ((Status.REVIEWED,), Status.PROPOSED, "Mark proposed"),
    "approve": ((Status.PROPOSED,), Status.MILAP, "Record MILDEP approval"),
    "offer": ((Status.MILAP,), Status.OFFERED, "Offer to the purchaser"),
    "accept": ((Status.OFFERED,), Status.ACCEPTED, "Record acceptance"),
    "reject": ((Status.OFFERED,), Status.REJECTED, "Record rejection"),
    "cancel": (Status.PRE_OFFER + (Status.OFFERED,), Status.CANCELLED, "Cancel"),
    "reactivate": ((Status.CANCELLED, Status.OFFERED), Status.PROPOSED, "Reactivate"),
    "implement": ((Status.ACCEPTED,), Status.IMPLEMENTED, "Implement"),
    "complete": ((Status.IMPLEMENTED,), Status.SSC, "Supply/services complete"),
    "close": ((Status.SSC,), Status.CLOSED, "Close"),
}


def transition_problem(action: str, status: str, lapsed: bool = False) -> str | None:
    """Whether the milestone `action` may start from `status` (SPEC §5)."""
    if action not in TRANSITIONS:
        return f"there is no milestone {action!r}: use one of {', '.join(TRANSITIONS)}."
    sources, _, label = TRANSITIONS[action]
    if action == "reactivate" and status == Status.OFFERED and not lapsed:
        return "only a cancelled LOA, or an offer that lapsed at its OED, can be reactivated."
    if status not in sources:
        allowed = ", ".join(Status.LABELS[s] for s in sources)
        return f"“{label}” applies to an LOA that is {allowed}; this one is {Status.LABELS.get(status, status)}."
    return None


def next_actions(status: str, lapsed: bool = False) -> list[str]:
    return [a for a in TRANSITIONS if transition_problem(a, status, lapsed) is None]


def is_lapsed(status: str, oed: dt.date | None, today: dt.date) -> bool:
    """An offer not accepted by its OED shows as lapsed (SPEC §5)."""
    return status == Status.OFFERED and oed is not None and today > oed


def display_status(status: str, oed: dt.date | None, today: dt.date) -> str:
    if is_lapsed(status, oed, today):
        return "Offered — lapsed at OED"
    return Status.LABELS.get(status, status)


# --- case identifier CC-I-DDD (DFARS PGI 243.170) -----------------------------------------------

CASE_ID = re.compile(r"^([A-Z]{2})-([A-Z0-9])-([A-Z0-9]{3})$")


def case_identifier_problem(
    identifier: str, country_code: str | None, ia_codes: Iterable[str], ia_code: str | None = None
) -> str | None:
    """`identifier` is CC-I-DDD: the partner's two-character code, a known implementing-agency
    code (and the case's own IA's, when given), a three-character designator."""
    match = CASE_ID.match(identifier or "")
    if not match:
        return "write the case identifier as CC-I-DDD: country code, implementing agency code, three-character designator (e.g. XB-B-ZAA)."
    cc, ia, _ = match.groups()
    if country_code and cc != country_code.upper():
        return f"the identifier starts with {cc}, but the partner's country code is {country_code.upper()}."
    known = {c.upper() for c in ia_codes if c}
    if ia not in known:
        return f"{ia} is not a known implementing agency code (known: {', '.join(sorted(known)) or 'none'}): use the IA's one-character code."
    if ia_code and ia != ia_code.upper():
        return f"the identifier's IA code is {ia}, but the case's implementing agency uses {ia_code.upper()}."
    return None


# --- LOR (R-FMS-01) -----------------------------------------------------------------------------

LOR_REQUIRED = (
    ("country", "the partner country"),
    ("received_on", "the date received"),
    ("requested_items", "the articles or services requested"),
    ("estimated_value", "the estimated value"),
    ("implementing_agency", "the implementing agency it is routed to"),
    ("request_type", "whether the partner wants P&A or an LOA"),
)


def lor_missing(values: Mapping[str, object]) -> list[str]:
    """R-FMS-01: what a complete LOR records and this one lacks (labels, in order)."""
    missing = []
    for key, label in LOR_REQUIRED:
        value = values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(label)
    return missing


def validation_due(submitted_on: dt.date, goal_days: int) -> dt.date:
    """The IA validates an LOR within the goal (§11 LOR validation)."""
    return submitted_on + dt.timedelta(days=goal_days)


def validation_late(
    submitted_on: dt.date, validated_on: dt.date | None, today: dt.date, goal_days: int
) -> bool:
    due = validation_due(submitted_on, goal_days)
    return (validated_on or today) > due


# --- CTA (R-FMS-02) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One CTA criterion as data: its code, the LOR flag it looks at, and why it matters."""

    code: str
    label: str
    flag: str  # 'sme', 'mde', 'sensitive_technology', 'new_capability', 'notification_36b', 'night_vision'


def cta_reasons(flags: Mapping[str, bool], criteria: Sequence[Criterion]) -> list[Criterion]:
    """R-FMS-02: the criteria this LOR meets (empty → no CTA needed)."""
    return [c for c in criteria if flags.get(c.flag)]


def cta_missing_elements(answers: Mapping[str, str], element_codes: Sequence[str]) -> list[str]:
    """The CTA elements (SAMM Table C5.T1, kept as data) still without an answer."""
    return [code for code in element_codes if not str(answers.get(code, "") or "").strip()]


def cta_too_old(dated: dt.date, reaches_dsca_on: dt.date, max_age_days: int) -> bool:
    """§11 CTA age: at most the max age when it reaches DSCA."""
    return (reaches_dsca_on - dated).days > max_age_days


# --- AOD (§11) and OED (§11) -------------------------------------------------------------------


def aod_date(lor_complete_on: dt.date, group_days: int) -> dt.date:
    """The anticipated offer date: LOR-complete date + the AOD group's days."""
    return lor_complete_on + dt.timedelta(days=group_days)


def offered_on_time(offered_on: dt.date | None, aod: dt.date | None) -> bool | None:
    if offered_on is None or aod is None:
        return None
    return offered_on <= aod


def oed_date(milap_on: dt.date, days: int) -> dt.date:
    """OED = MILAP + the standard days (country and BPC variants arrive as `days`)."""
    return milap_on + dt.timedelta(days=days)


def oed_note_needed(days: int, standard_days: int) -> str | None:
    """A longer OED needs a case remark; a shorter one a short-OED note (§11 OED)."""
    if days > standard_days:
        return "a longer-than-standard OED needs a case remark"
    if days < standard_days:
        return "a shorter-than-standard OED needs a short-OED note"
    return None


# --- acceptance (§11, R-FMS-04) ---------------------------------------------------------------


def acceptance_problem(
    signed_on: dt.date | None,
    deposit_on: dt.date | None,
    oed: dt.date | None,
    disclosure_approved_on: dt.date | None,
    transfer_approved_on: dt.date | None,
) -> tuple[str, str, str] | None:
    """(rule, field, message) if the LOA may not be recorded as accepted."""
    if disclosure_approved_on is None:
        return (
            "R-FMS-04",
            "disclosure_approved_on",
            "record the foreign disclosure approval before the purchaser signs the LOA.",
        )
    if transfer_approved_on is None:
        return (
            "R-FMS-04",
            "transfer_approved_on",
            "record the international transfer approval before the purchaser signs the LOA.",
        )
    if signed_on is None:
        return ("SPEC-11-acceptance", "signed_on", "record the date the purchaser signed the LOA.")
    if signed_on < disclosure_approved_on or signed_on < transfer_approved_on:
        return (
            "R-FMS-04",
            "signed_on",
            "the LOA was signed before its disclosure and transfer approvals: approvals come first.",
        )
    if deposit_on is None:
        return (
            "SPEC-11-acceptance",
            "deposit_on",
            "record the date the initial deposit was received: acceptance is signature and deposit.",
        )
    if oed is not None and signed_on > oed:
        return (
            "SPEC-11-acceptance",
            "signed_on",
            f"the signature is after the OED ({oed:%d %b %Y}): the offer lapsed; reactivate and re-offer it.",
        )
    if oed is not None and deposit_on > oed:
        return (
            "SPEC-11-acceptance",
            "deposit_on",
            f"the initial deposit arrived after the OED ({oed:%d %b %Y}): the offer lapsed; reactivate and re-offer it.",
        )
    return None


# --- 36(b) congressional notification (§11) ---------------------------------------------------


@dataclass(frozen=True)
class NotificationThresholds:
    mde_usd: Decimal
    total_usd: Decimal
    design_construction_usd: Decimal
    days: int


@dataclass(frozen=True)
class Notification:
    required: bool
    reasons: tuple[str, ...]
    days: int
    nato_plus_5: bool
    informal_review_days: int

    @property
    def lead_days(self) -> int:
        """Days before the offer the notification must start (informal review + formal period)."""
        return self.days + self.informal_review_days if self.required else 0


def notification_36b(
    mde_value: Decimal,
    total_value: Decimal,
    design_construction_value: Decimal,
    nato_plus_5: bool,
    standard: NotificationThresholds,
    nato5: NotificationThresholds,
    informal_review_days: int,
) -> Notification:
    """AECA 36(b): which thresholds this sale meets, and the notice period (NATO+5 variant)."""
    t = nato5 if nato_plus_5 else standard
    reasons = []
    if mde_value >= t.mde_usd:
        reasons.append(f"MDE ${mde_value:,.0f} ≥ ${t.mde_usd:,.0f}")
    if total_value >= t.total_usd:
        reasons.append(f"articles/services ${total_value:,.0f} ≥ ${t.total_usd:,.0f}")
    if design_construction_value >= t.design_construction_usd:
        reasons.append(
            f"design and construction ${design_construction_value:,.0f} ≥ ${t.design_construction_usd:,.0f}"
        )
    required = bool(reasons)
    return Notification(
        required=required,
        reasons=tuple(reasons),
        days=t.days if required else 0,
        nato_plus_5=nato_plus_5,
        informal_review_days=0 if (nato_plus_5 or not required) else informal_review_days,
    )


# --- case lines (§11 case lines, R-FMS-12) ------------------------------------------------------


def line_problem(quantity: int | None, unit_value: Decimal | None) -> tuple[str, str] | None:
    """(field, message): no negative or zero quantities, no zero-dollar placeholder lines."""
    if quantity is None or quantity <= 0:
        return ("quantity", "a line's quantity is a whole number of at least 1.")
    if unit_value is None or unit_value <= 0:
        return (
            "unit_value",
            "no zero-dollar placeholder lines: give the line its unit value in USD.",
        )
    return None


def line_total(quantity: int, unit_value: Decimal) -> Decimal:
    return (Decimal(quantity) * unit_value).quantize(Decimal("0.01"))


def fmf_deviation(fmf_total: Decimal, baseline: Decimal | None) -> Decimal | None:
    """R-FMS-12: how far the FMF-funded lines exceed the approved baseline (None: within it)."""
    if baseline is None:
        return fmf_total if fmf_total > 0 else None
    over = fmf_total - baseline
    return over if over > 0 else None


# --- amendments, modifications, restatements (§11) --------------------------------------------


class ChangeKind:
    AMENDMENT = "amendment"
    MODIFICATION = "modification"
    RESTATEMENT = "restatement"
    CHOICES = [
        (AMENDMENT, "Amendment"),
        (MODIFICATION, "Modification"),
        (RESTATEMENT, "Restatement (pen-and-ink / re-offer)"),
    ]


@dataclass(frozen=True)
class LineState:
    number: str
    item: str
    quantity: int
    unit_value: Decimal
    sme: bool = False
    mde: bool = False
    fmf_funded: bool = False

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_value)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "item": self.item,
            "quantity": self.quantity,
            "unit_value": str(self.unit_value),
            "sme": self.sme,
            "mde": self.mde,
            "fmf_funded": self.fmf_funded,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> LineState:
        return cls(
            number=str(d["number"]),
            item=str(d.get("item", "")),
            quantity=int(d.get("quantity", 0)),
            unit_value=Decimal(str(d.get("unit_value", "0"))),
            sme=bool(d.get("sme")),
            mde=bool(d.get("mde")),
            fmf_funded=bool(d.get("fmf_funded")),
        )


@dataclass(frozen=True)
class DiffRow:
    number: str
    change: str  # added | deleted | changed
    fields: tuple[tuple[str, str, str], ...] = field(
        default_factory=tuple
    )  # (field, before, after)
    total_before: Decimal = Decimal("0")
    total_after: Decimal = Decimal("0")

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "change": self.change,
            "fields": [list(f) for f in self.fields],
            "total_before": str(self.total_before),
            "total_after": str(self.total_after),
        }


DIFF_FIELDS = ("item", "quantity", "unit_value", "sme", "mde", "fmf_funded")


def _show(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, Decimal):
        return f"${v:,.2f}"
    return str(v)


def diff_lines(before: Sequence[LineState], after: Sequence[LineState]) -> list[DiffRow]:
    """A readable difference of two versions' lines: added, deleted, changed (field by field)."""
    b = {line.number: line for line in before}
    a = {line.number: line for line in after}
    rows: list[DiffRow] = []
    for number in sorted(set(b) | set(a)):
        old, new = b.get(number), a.get(number)
        if old is None:
            rows.append(
                DiffRow(
                    number,
                    "added",
                    tuple((f, "", _show(getattr(new, f))) for f in DIFF_FIELDS),
                    Decimal("0"),
                    new.total,
                )
            )
        elif new is None:
            rows.append(
                DiffRow(
                    number,
                    "deleted",
                    tuple((f, _show(getattr(old, f)), "") for f in DIFF_FIELDS),
                    old.total,
                    Decimal("0"),
                )
            )
        else:
            changed = tuple(
                (f, _show(getattr(old, f)), _show(getattr(new, f)))
                for f in DIFF_FIELDS
                if getattr(old, f) != getattr(new, f)
            )
            if changed:
                rows.append(DiffRow(number, "changed", changed, old.total, new.total))
    return rows


def total_of(lines: Iterable[LineState]) -> Decimal:
    return sum((line.total for line in lines), Decimal("0"))


def apply_changes(lines: Sequence[LineState], changes: Sequence[Mapping]) -> list[LineState]:
    """The lines after a list of changes: {'op': 'add', 'line': {...}}, {'op': 'change',
    'number': '001', <field>: value, …}, {'op': 'delete', 'number': '002'}. Raises ValueError
    (with what to fix) on a change to a line that does not exist or a duplicate number."""
    by_number = {line.number: line for line in lines}
    for change in changes:
        op = change.get("op")
        if op == "add":
            new = LineState.from_dict(change["line"])
            if new.number in by_number:
                raise ValueError(
                    f"line {new.number} already exists: change it, or add the new line with another number."
                )
            by_number[new.number] = new
        elif op == "change":
            number = str(change.get("number", ""))
            if number not in by_number:
                raise ValueError(f"there is no line {number} to change.")
            merged = {
                **by_number[number].as_dict(),
                **{k: v for k, v in change.items() if k in DIFF_FIELDS},
            }
            by_number[number] = LineState.from_dict(merged)
        elif op == "delete":
            number = str(change.get("number", ""))
            if number not in by_number:
                raise ValueError(f"there is no line {number} to delete.")
            del by_number[number]
        else:
            raise ValueError(f"unknown change {op!r}: use add, change or delete.")
    return [by_number[n] for n in sorted(by_number)]


def change_problem(
    kind: str,
    status: str,
    lapsed: bool,
    signed: bool,
    closhold: bool,
    before: Sequence[LineState],
    after: Sequence[LineState],
) -> tuple[str, str] | None:
    """(rule, message) if this change may not be made (SPEC R-FMS-03, §11 amendment vs
    modification, pen-and-ink, closure)."""
    if closhold or status in (Status.SSC, Status.CLOSED):
        return (
            "SPEC-11-closure",
            "the case is supply/services complete (CLOSHOLD): no new amendments, modifications or restatements.",
        )
    diff = diff_lines(before, after)
    if not diff:
        return ("R-FMS-03", "the change leaves every line as it was: change at least one line.")
    for row in diff:
        if row.change in ("added", "deleted"):
            line = next(
                x for x in (after if row.change == "added" else before) if x.number == row.number
            )
            if line.sme or line.mde:
                return (
                    "SPEC-11-amendment-vs-modification",
                    f"line {row.number} {row.change} SME/MDE: adding or deleting SME/MDE needs a new LOA, not a change to this one.",
                )
    if kind == ChangeKind.RESTATEMENT:
        if status != Status.OFFERED or signed or lapsed:
            return (
                "R-FMS-03",
                "an LOA is restated only while it is offered, unsigned by the purchaser and before its OED: issue an amendment or a modification instead.",
            )
        return None
    if status not in (Status.ACCEPTED, Status.IMPLEMENTED):
        return (
            "R-FMS-03",
            "amendments and modifications change an accepted or implemented case; before acceptance, restate the offered LOA.",
        )
    if kind == ChangeKind.MODIFICATION:
        scope = [
            r
            for r in diff
            if r.change != "changed"
            or any(f in ("item", "quantity", "sme", "mde") for f, _, _ in r.fields)
        ]
        if scope:
            return (
                "SPEC-11-amendment-vs-modification",
                f"line {scope[0].number}: a change of scope (lines, items or quantities) is an amendment, which the purchaser must accept; a modification changes no scope.",
            )
    return None


# --- execution: deliveries, shipments, SDRs, reviews ------------------------------------------


def days_late(planned_on: dt.date, actual_on: dt.date | None, today: dt.date) -> int:
    """Days past the planned date (delivered late, or still open past it); 0 if on time."""
    end = actual_on or today
    return max((end - planned_on).days, 0)


def delivery_late(planned_on: dt.date, actual_on: dt.date | None, today: dt.date) -> bool:
    return days_late(planned_on, actual_on, today) > 0


def shipment_problem(
    classified: bool, case_has_transportation_plan: bool, via_dts: bool, dts_representative: str
) -> tuple[str, str, str] | None:
    """R-FMS-09: classified materiel ships only under a transportation plan that is part of the
    LOA; a DTS shipment names the government representative who receives it."""
    if classified and not case_has_transportation_plan:
        return (
            "R-FMS-09",
            "classified",
            "classified materiel needs a transportation plan in the LOA before it ships: record the plan on the case first.",
        )
    if via_dts and not (dts_representative or "").strip():
        return (
            "R-FMS-09",
            "dts_representative",
            "a DTS shipment needs the designated government representative who receives it.",
        )
    return None


@dataclass(frozen=True)
class SdrThresholds:
    min_value_usd: Decimal
    endorsement_usd: Decimal
    reconsideration_days: int


def sdr_assessment(value: Decimal, t: SdrThresholds) -> dict:
    """§11 SDR: compensation review only from the minimum; MILDEP HQ endorsement above the ceiling."""
    return {
        "compensable": value >= t.min_value_usd,
        "needs_endorsement": value > t.endorsement_usd,
    }


def sdr_reconsideration_due(replied_on: dt.date, t: SdrThresholds) -> dt.date:
    return replied_on + dt.timedelta(days=t.reconsideration_days)


def review_problem(case_specific: bool, sco_travel_charged_to_fms_admin: bool) -> str | None:
    """R-FMS-11: SCO travel to a case-specific review is not an FMS-admin expense."""
    if case_specific and sco_travel_charged_to_fms_admin:
        return "SCO travel to a case-specific review is not an FMS administrative expense: charge it to the case."
    return None


# --- closure (§11) and retention (R-FMS-07) ---------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def closure_due(ssc_on: dt.date, final_delivery_on: dt.date | None, months: int) -> dt.date:
    """Close `months` after SSC is posted — at once if final delivery was more than `months` before."""
    if final_delivery_on is not None and add_months(final_delivery_on, months) < ssc_on:
        return ssc_on
    return add_months(ssc_on, months)


def ssc_problem(open_deliveries: int) -> str | None:
    if open_deliveries:
        return f"{open_deliveries} {'deliveries' if open_deliveries != 1 else 'delivery'} still open: SSC comes when every item is delivered with title passed."
    return None


def retained_until(closed_on: dt.date | None, years: int) -> dt.date | None:
    if closed_on is None:
        return None
    return add_months(closed_on, 12 * years)


def deletion_problem(closed_on: dt.date | None, today: dt.date, years: int) -> str | None:
    """R-FMS-07: case records are kept `years` after final closure and cannot be deleted before."""
    until = retained_until(closed_on, years)
    if until is None:
        return (
            f"the case is not closed: case file records are kept {years} years after final closure."
        )
    if today < until:
        return f"case file records are kept until {until:%d %b %Y} ({years} years after closure on {closed_on:%d %b %Y})."
    return None


# --- fiscal year ------------------------------------------------------------------------------


def fiscal_year(day: dt.date) -> int:
    """U.S. federal fiscal year: 1 October–30 September, named by the year it ends."""
    return day.year + 1 if day.month >= 10 else day.year
