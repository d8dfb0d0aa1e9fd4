"""End-use monitoring rules (SPEC §6, R-EUM-01..08, and the §11 enhanced-EUM row), pure: plain
values in, `Finding`s or dates out, no database. Day and month counts are dated facts
(eum/facts.py) that the callers pass in, never literals here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from secoop.core.lifecycle import Lifecycle
from secoop.core.rules import add_months
from secoop.core.verdicts import Finding

EEUM = "SPEC-11-enhanced-EUM"


class Program(models.TextChoices):
    """R-EUM-01: the DoD program for FMS (and EDA) transfers, the DoS program for DCS."""

    GOLDEN_SENTRY = "golden_sentry", "Golden Sentry (DoD, FMS and EDA)"
    BLUE_LANTERN = "blue_lantern", "Blue Lantern (DoS, DCS)"


class Monitoring(models.TextChoices):
    ROUTINE = "routine", "Routine EUM"
    ENHANCED = "enhanced", "Enhanced EUM (EEUM, by serial number)"


class Source(models.TextChoices):
    FMS = "fms", "FMS case delivery"
    EDA = "eda", "Excess defense articles transfer"
    DCS = "dcs", "Direct commercial sale"
    OTHER = "other", "Other transfer entered by hand"


PROGRAM_OF_SOURCE = {
    Source.FMS: Program.GOLDEN_SENTRY,
    Source.EDA: Program.GOLDEN_SENTRY,
    Source.DCS: Program.BLUE_LANTERN,
}


class SerialStatus(models.TextChoices):
    ON_HAND = "on_hand", "Accounted for"
    MISSING = "missing", "Missing (possible violation open)"
    DISPOSED = "disposed", "Disposed of with USG approval"
    TRANSFERRED = "transferred", "Transferred with USG consent"


class CheckKind(models.TextChoices):
    INITIAL = "initial", "Initial serial-number inventory"
    ANNUAL = "annual", "Annual serial-number inventory"
    INSPECTION = "inspection", "Physical-security inspection of the storage site"
    PARTNER = "partner", "Partner's own inventory (internal accountability)"


INVENTORY_KINDS = (CheckKind.INITIAL, CheckKind.ANNUAL, CheckKind.PARTNER)
US_KINDS = (CheckKind.INITIAL, CheckKind.ANNUAL, CheckKind.INSPECTION)


def program_problem(source: str, program: str) -> Finding | None:
    """R-EUM-01: FMS and EDA transfers are Golden Sentry's, DCS transfers Blue Lantern's."""
    expected = PROGRAM_OF_SOURCE.get(source)
    if expected and program != expected:
        return Finding(
            "R-EUM-01",
            f"a {Source(source).label.lower()} is monitored under {Program(expected).label}.",
            f"Choose {Program(expected).label}.",
            field="program",
        )
    return None


# A serial format is a pattern of single characters and classes, each repeated at most a few
# ways (NVD-[0-9]{6}, S-[0-9]+): no group, alternation or back-reference, and at most
# MAX_OPEN_REPEATS repeats of varying length. Python's matcher backtracks, so a pattern such as
# (A|AA)+B held a worker for minutes on one 60-character serial; these cannot (R-SEC, DoS).
_ATOM = r"(?:\\[A-Za-z.\-/#]|\[[^\[\]\\]{1,40}\]|[A-Za-z0-9 ._/#:\-])"
_REPEAT = r"(?:[*+?]|\{[0-9]{1,2}(?:,[0-9]{0,2})?\})"
_SAFE_FORMAT = re.compile(rf"(?:{_ATOM}{_REPEAT}?)+")
_VARYING = re.compile(r"[*+?]|\{[0-9]{1,2},[0-9]{0,2}\}")
MAX_OPEN_REPEATS = 3


def unsafe_format(serial_format: str) -> str | None:
    """Why a serial format is not one the system matches serials against, or None."""
    if not _SAFE_FORMAT.fullmatch(serial_format):
        return (
            "only letters, digits, - . / # : and classes such as [0-9] or [A-Z], each "
            "repeated by {n}, {n,m}, ?, * or + (no groups or alternatives)"
        )
    if len(_VARYING.findall(serial_format)) > MAX_OPEN_REPEATS:
        return f"at most {MAX_OPEN_REPEATS} repeats of varying length ({{n,m}}, ?, *, +)"
    return None


def serial_format_problem(monitoring: str, serial_format: str) -> Finding | None:
    """An EEUM article names the format of its serial numbers (a regular expression), so that a
    mistyped or misread serial is refused at entry (DODIG-2024-043: no validation controls)."""
    if monitoring != Monitoring.ENHANCED:
        return None
    if not serial_format:
        return Finding(
            EEUM,
            "an enhanced-EUM article is tracked by serial number: give the format of its serial numbers.",
            "For example NVD-[0-9]{6} or PB-[0-9]{3}.",
            field="serial_format",
        )
    try:
        re.compile(serial_format)
    except re.error as exc:
        return Finding(
            EEUM,
            f"the serial format is not a valid pattern ({exc}).",
            "Use letters, digits and classes such as [0-9]{6}.",
            field="serial_format",
        )
    why = unsafe_format(serial_format)
    if why:
        return Finding(
            EEUM,
            f"the serial format may use {why}.",
            "For example NVD-[0-9]{6} or PB-[0-9]{3}.",
            field="serial_format",
        )
    return None


def delivery_problem(
    source: str,
    delivered_on: dt.date | None,
    case_country: str | None,
    country: str,
    delivered_quantity: int | None,
    quantity: int,
) -> Finding | None:
    """An article from an FMS case is the delivered quantity of a line of that country's case."""
    if source != Source.FMS:
        return None
    if delivered_on is None:
        return Finding(
            "R-EUM-01",
            "the delivery has not been recorded as made: an article is monitored from its delivery.",
            "Choose a delivery the case manager recorded.",
            field="delivery",
        )
    if case_country and case_country != country:
        return Finding(
            "R-EUM-01",
            "the delivery belongs to another country's case.",
            "Choose a delivery of this country's case.",
            field="delivery",
        )
    if delivered_quantity is not None and quantity > delivered_quantity:
        return Finding(
            "R-EUM-01",
            f"{quantity} articles, but the delivery recorded {delivered_quantity}.",
            "Enter at most the delivered quantity.",
            field="quantity",
        )
    return None


def transfer_problem(
    source: str, status: str | None, record_country: str | None, country: str
) -> Finding | None:
    """An article entered for an EDA transfer or a DCS license names that record: the offer
    transferred (or accepted), the license approved, to this country."""
    if source not in (Source.EDA, Source.DCS) or status is None:
        return None
    what = "EDA offer" if source == Source.EDA else "DCS license"
    allowed = ("accepted", "transferred") if source == Source.EDA else ("approved",)
    if status not in allowed:
        return Finding(
            "R-EUM-01",
            f"the {what} is {status.replace('_', ' ')}: articles are monitored once transferred.",
            f"Choose an {what} that is {' or '.join(allowed)}."
            if source == Source.EDA
            else f"Choose a {what} that is approved.",
            field="eda_offer" if source == Source.EDA else "dcs_license",
        )
    if record_country != country:
        return Finding(
            "R-EUM-01",
            f"the {what} is for another country.",
            "Choose one for this country.",
            field="eda_offer" if source == Source.EDA else "dcs_license",
        )
    return None


def serial_problems(
    new: Iterable[str],
    *,
    serial_format: str,
    monitoring: str,
    registered: Iterable[str],
    held: int,
    capacity: int,
) -> list[Finding]:
    """SPEC §11 enhanced EUM, validation at entry: a serial belongs to an EEUM article, is in the
    article's format, is never entered twice (in this entry or already on record for the same
    NSN of the country), and no more serials than articles delivered (`held`: the serials this
    article already has)."""
    found: list[Finding] = []
    if monitoring != Monitoring.ENHANCED:
        return [
            Finding(
                EEUM,
                "serial numbers are kept for enhanced-EUM articles only.",
                "Mark the article enhanced EUM first, or record no serials.",
                field="serials",
            )
        ]
    if unsafe_format(serial_format):  # stored before formats were checked: never matched
        return [
            Finding(
                EEUM,
                "this article's serial format is not one serials can be checked against.",
                "Ask the SCO to correct the article's serial format.",
                field="serials",
            )
        ]
    seen = set(registered)
    count = held
    pattern = re.compile(serial_format)
    for raw in new:
        serial = raw.strip().upper()
        if not serial:
            continue
        if not pattern.fullmatch(serial):
            found.append(
                Finding(
                    EEUM,
                    f"serial {serial} is not in this article's format ({serial_format}).",
                    "Check the plate or the scan and type it again.",
                    field="serials",
                )
            )
            continue
        if serial in seen:
            found.append(
                Finding(
                    EEUM,
                    f"serial {serial} is already on record for this article's NSN in this country.",
                    "A serial is entered once.",
                    field="serials",
                )
            )
            continue
        seen.add(serial)
        count += 1
    if count > capacity:
        found.append(
            Finding(
                EEUM,
                f"more serials than the {capacity} articles delivered.",
                "Remove the extra serials or correct the article's quantity.",
                field="serials",
            )
        )
    return found


def clean_serials(values: Iterable[str]) -> list[str]:
    """Serials as typed or scanned: trimmed, upper case, empties dropped, order kept."""
    out: list[str] = []
    for raw in values:
        serial = raw.strip().upper()
        if serial:
            out.append(serial)
    return out


@dataclass(frozen=True)
class InventoryResult:
    present: tuple[str, ...]
    missing: tuple[str, ...]


def inventory_result(
    expected: Iterable[str], found: Iterable[str]
) -> tuple[InventoryResult | None, list[Finding]]:
    """An inventory of an article's serials: every serial named must be one of the article's
    (an unknown serial refuses the whole inventory, with the reason); named twice refuses too;
    the expected serials not named are missing (R-EUM-07 opens a possible violation for each)."""
    expected_set = list(dict.fromkeys(expected))
    known = set(expected_set)
    problems: list[Finding] = []
    named: list[str] = []
    for serial in clean_serials(found):
        if serial not in known:
            problems.append(
                Finding(
                    EEUM,
                    f"serial {serial} is not one of this article's delivered serials.",
                    "Check it against the expected list; an article found that is not on the list is reported to the SCO, not counted.",
                    field="found",
                )
            )
        elif serial in named:
            problems.append(
                Finding(EEUM, f"serial {serial} is named twice.", "Name it once.", field="found")
            )
        else:
            named.append(serial)
    if problems:
        return None, problems
    missing = tuple(s for s in expected_set if s not in set(named))
    return InventoryResult(tuple(named), missing), []


# --- due dates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A check that falls due: by when, and whether it is overdue on `today`."""

    what: str
    due: dt.date
    rule: str
    overdue: bool
    article: int | None = None  # the article it concerns, for a link


def initial_inventory_due(delivered_on: dt.date, days: int) -> dt.date:
    """SPEC §11 enhanced EUM: the initial serial inventory within `days` of delivery."""
    return delivered_on + dt.timedelta(days=days)


def next_inventory_due(
    delivered_on: dt.date,
    last_inventory_on: dt.date | None,
    initial_days: int,
    annual_months: int,
) -> tuple[str, dt.date]:
    """The next U.S. serial inventory of an EEUM article: the initial one, then annual."""
    if last_inventory_on is None:
        return "initial", initial_inventory_due(delivered_on, initial_days)
    return "annual", add_months(last_inventory_on, annual_months)


def cav_window(
    last_visit_on: dt.date | None, since: dt.date, min_months: int, max_months: int
) -> tuple[dt.date, dt.date]:
    """R-EUM-02: the next compliance assessment visit is expected between `min_months` and
    `max_months` after the last one (or after the country's first EUM record)."""
    start = last_visit_on or since
    return add_months(start, min_months), add_months(start, max_months)


def every_months(last_on: dt.date | None, since: dt.date, months: int) -> dt.date:
    """R-EUM-03 and the quarterly database review: the next one `months` after the last."""
    return add_months(last_on or since, months)


def due(what: str, on: dt.date, rule: str, today: dt.date, article: int | None = None) -> Due:
    return Due(what, on, rule, today > on, article)


# --- the EUM control plan (R-EUM-04) -------------------------------------------------------------

CONTROL_PLAN_ELEMENTS = {
    "internal_accountability": "Partner internal accountability",
    "inventory_reporting": "Reporting of inventories and inspections",
    "record_keeping": "Record keeping (partner and SCO)",
    "violation_reporting": "Reporting possible violations",
    "visit_procedures": "Procedures for EUM visits",
}


def control_plan_problems(elements: dict[str, str]) -> list[Finding]:
    """R-EUM-04: every element of the plan is written before the plan is approved."""
    return [
        Finding(
            "R-EUM-04",
            f"the control plan does not yet cover “{label.lower()}”.",
            "Write that element.",
            field=name,
        )
        for name, label in CONTROL_PLAN_ELEMENTS.items()
        if not (elements.get(name) or "").strip()
    ]


# --- change of end use and third-party transfer (R-EUM-05, R-EUM-06) -----------------------------


class RequestKind(models.TextChoices):
    DEMILITARIZATION = "demil", "Demilitarization"
    SCRAPPING = "scrapping", "Scrapping"
    DISPOSAL = "disposal", "Disposal"
    DISPLAY = "display", "Display"
    TARGET = "target", "Target use"
    CIVIL = "civil", "Transfer to civil government"
    POLICE = "police", "Transfer to the police"
    SCHOOLS = "schools", "Transfer to schools"
    THIRD_PARTY = "third_party", "Third-party transfer (retransfer)"


DISPOSAL_KINDS = (RequestKind.DEMILITARIZATION, RequestKind.SCRAPPING, RequestKind.DISPOSAL)

REQUEST_STATES = {
    "requested": "Requested, awaiting USG decision",
    "approved": "Approved by the USG",
    "refused": "Refused by the USG",
    "completed": "Carried out",
}
END_USE = Lifecycle(
    "end-use request",
    REQUEST_STATES,
    {
        "approve": (("requested",), "approved", "Record USG approval or written consent"),
        "refuse": (("requested",), "refused", "Record USG refusal"),
        "complete": (("approved",), "completed", "Record that it was carried out"),
    },
    action="secoop.eum.actions.decide_end_use",
    actions={"complete": "secoop.eum.actions.complete_end_use"},
)


def rule_of(kind: str) -> str:
    return "R-EUM-06" if kind == RequestKind.THIRD_PARTY else "R-EUM-05"


def approval_problem(kind: str, reference: str, recipient: str) -> Finding | None:
    """R-EUM-05/06: the USG approval (DoS PM/RSAT) or written consent is recorded with its
    reference; a third-party transfer names its recipient."""
    rule = rule_of(kind)
    if kind == RequestKind.THIRD_PARTY and not recipient.strip():
        return Finding(
            rule, "a third-party transfer names the recipient.", "Enter it.", field="recipient"
        )
    if not reference.strip():
        what = "written consent" if kind == RequestKind.THIRD_PARTY else "approval"
        return Finding(
            rule,
            f"the USG {what} is recorded with its reference (the DoS PM/RSAT letter or cable).",
            "Enter the reference.",
            field="reference",
        )
    return None


def proceed_problems(
    kind: str,
    status: str,
    approved_on: dt.date | None,
    carried_out_on: dt.date,
    environmental: bool,
    before: str,
    after: str,
    demil_standard: str,
) -> list[Finding]:
    """R-EUM-05/06: nothing is carried out without prior USG approval (a third-party transfer,
    prior written consent); a disposal names the DoD demilitarization standard it followed; where
    an environmental agreement applies, the conditions before and after are recorded."""
    rule = rule_of(kind)
    if status != "approved" or approved_on is None:
        what = (
            "prior written USG consent"
            if kind == RequestKind.THIRD_PARTY
            else "prior USG approval (DoS PM/RSAT)"
        )
        return [
            Finding(
                rule,
                f"{RequestKind(kind).label.lower()} needs {what}; none is recorded.",
                "Record the approval first; until then the articles stay as they are.",
                field="status",
            )
        ]
    found = []
    if carried_out_on < approved_on:
        found.append(
            Finding(
                rule,
                f"carried out on {carried_out_on:%d %b %Y}, before the approval of {approved_on:%d %b %Y}.",
                "The approval comes first: check the dates.",
                field="on",
            )
        )
    if kind in DISPOSAL_KINDS and not demil_standard.strip():
        found.append(
            Finding(
                "R-EUM-05",
                "a disposal follows the DoD demilitarization standards.",
                "Name the standard or code applied (DoDM 4160.28).",
                field="demil_standard",
            )
        )
    if environmental and not (before.strip() and after.strip()):
        found.append(
            Finding(
                "R-EUM-05",
                "an environmental agreement applies: record the conditions before and after.",
                "Describe both.",
                field="condition_after" if before.strip() else "condition_before",
            )
        )
    return found


# --- possible violations (R-EUM-07) --------------------------------------------------------------

VIOLATION_STATES = {
    "open": "Opened",
    "investigating": "Investigated locally",
    "resolved": "Resolved locally",
    "forwarded": "Forwarded to DoS PM/RSAT",
    "closed": "Closed by DoS PM/RSAT",
}
VIOLATION = Lifecycle(
    "possible violation",
    VIOLATION_STATES,
    {
        "investigate": (("open",), "investigating", "Start the local investigation"),
        "resolve": (("open", "investigating"), "resolved", "Resolve locally"),
        "forward": (("investigating",), "forwarded", "Forward to DoS PM/RSAT"),
        "close": (("forwarded",), "closed", "Record DoS PM/RSAT's closure"),
    },
    action="secoop.eum.actions.violation_step",
    actions={"forward": "secoop.eum.actions.forward_violation"},
)
VIOLATION_OPEN = ("open", "investigating")


def violation_step_problem(name: str, status: str, note: str) -> Finding | None:
    """R-EUM-07: the lifecycle, and a note saying what was found when it is resolved, forwarded
    or closed (the timeline is the record)."""
    problem = VIOLATION.problem(name, status)
    if problem:
        return Finding("R-EUM-07", problem, field="status")
    if name in ("resolve", "forward", "close") and not note.strip():
        return Finding(
            "R-EUM-07",
            "say what was found (the timeline keeps it).",
            "Write a note.",
            field="note",
        )
    return None


# --- materiel notices (R-EUM-08) -----------------------------------------------------------------


class Interest(models.TextChoices):
    PURCHASE = "purchase", "Earlier purchase of the item"
    PA = "pa_request", "Price and availability (P&A) request"
    RELATED = "related", "Holds a related system"


def recipient_problem(reason: str, eligible: bool) -> Finding | None:
    """R-EUM-08: a notice goes only to a country that showed interest and is eligible under the
    National Disclosure Policy."""
    if reason not in Interest.values:
        return Finding(
            "R-EUM-08",
            "this country showed no interest (no earlier purchase, P&A request or related system).",
            "A materiel notice goes only to countries that did.",
            field="reason",
        )
    if not eligible:
        return Finding(
            "R-EUM-08",
            "this country is not eligible for the item under the National Disclosure Policy.",
            "Leave it off the notice.",
            field="eligible",
        )
    return None


def notice_problems(
    rationale: str, lor_deadline: dt.date | None, loa_acceptance_by: dt.date | None, recipients: int
) -> list[Finding]:
    """R-EUM-08: a notice states its rationale, the LOR deadline and the final LOA acceptance
    date (after the LOR deadline), and has at least one recipient."""
    found = []
    if not rationale.strip():
        found.append(
            Finding("R-EUM-08", "a notice states its rationale.", "Write it.", field="rationale")
        )
    if lor_deadline is None:
        found.append(
            Finding(
                "R-EUM-08", "a notice states the LOR deadline.", "Enter it.", field="lor_deadline"
            )
        )
    if loa_acceptance_by is None:
        found.append(
            Finding(
                "R-EUM-08",
                "a notice states the final LOA acceptance date.",
                "Enter it.",
                field="loa_acceptance_by",
            )
        )
    elif lor_deadline is not None and loa_acceptance_by <= lor_deadline:
        found.append(
            Finding(
                "R-EUM-08",
                "the final LOA acceptance date comes after the LOR deadline.",
                "Check the dates.",
                field="loa_acceptance_by",
            )
        )
    if not recipients:
        found.append(
            Finding(
                "R-EUM-08",
                "the notice has no recipient.",
                "Add the countries the proposed list gives.",
                field="recipients",
            )
        )
    return found


def matches(item: str, words: Iterable[str]) -> bool:
    """Whether `item` names the same system as any of `words` (case-insensitive, either way)."""
    a = item.strip().lower()
    return bool(a) and any(w and (a in w.lower() or w.lower() in a) for w in words)


def propose_recipients(
    item: str,
    related_terms: Iterable[str],
    purchases: dict[str, list[str]],
    pa_requests: dict[str, list[str]],
    holdings: dict[str, list[str]],
) -> dict[str, str]:
    """R-EUM-08: the countries that showed interest in `item`, each with its reason (the first
    of: earlier purchase, P&A request, related system). Eligibility is decided per country after."""
    related = [t.strip() for t in related_terms if t.strip()]
    out: dict[str, str] = {}
    for reason, table, words in (
        (Interest.PURCHASE, purchases, [item]),
        (Interest.PA, pa_requests, [item]),
        (Interest.RELATED, holdings, [item, *related]),
    ):
        for country, items in sorted(table.items()):
            if country in out:
                continue
            if any(matches(w, items) for w in words):
                out[country] = reason
    return out
