"""FMS case rules (SPEC §5, R-FMS-01..12 and the §11 rows) as pure functions: no I/O, no queries.

Every figure that changes over time (CTA age, LOR validation days, AOD days and goal, OED days,
closure months, 36(b) thresholds, SDR thresholds, retention) arrives as an argument, read by the
caller from ReferenceFact rows (see facts.py); nothing here is a literal from guidance.
Each check returns None when all is well, or a Finding (core.verdicts): the rule, what to fix,
and the input it concerns. The actions gather the facts (plain values), call these, and refuse.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.core.formats import day
from secoop.core.formats import usd
from secoop.core.rules import add_months
from secoop.core.verdicts import Finding

from ..core.lifecycle import Lifecycle

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
    INTERIM = "interim"
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
        (INTERIM, "Interim closed"),
        (CLOSED, "Closed"),
    ]
    LABELS = dict(CHOICES)
    PRE_OFFER = (DEVELOPMENT, WRITTEN, REVIEWED, PROPOSED, MILAP)
    ACTIVE = (ACCEPTED, IMPLEMENTED)


# The LOA lifecycle (SPEC §5): milestone → (states it may start from, state it leads to, label).
# cases.actions.milestone performs every row; accept and reject are the purchaser's.
TRANSITIONS = Lifecycle(
    "LOA",
    Status.LABELS,
    {
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
        # Accelerated closure: interim, then final; a case may also close finally at once (§11).
        "interim": ((Status.SSC,), Status.INTERIM, "Interim closure"),
        "close": ((Status.SSC, Status.INTERIM), Status.CLOSED, "Final closure"),
    },
    action="secoop.cases.actions.milestone",
)
PURCHASER_MILESTONES = ("accept", "reject")
# The other cases lifecycles: their states are the models' TextChoices values.
LOR = Lifecycle(
    "LOR",
    {
        "received": "Received",
        "submitted": "Submitted",
        "validated": "Validated",
        "returned": "Returned",
    },
    {
        "route": (("received", "returned"), "submitted", "Route to the implementing agency"),
        "validate": (("submitted",), "validated", "Validate"),
        "return": (("submitted",), "returned", "Return incomplete"),
    },
    actions={
        "route": "secoop.cases.actions.route_lor",
        "validate": "secoop.cases.actions.validate_lor",
        "return": "secoop.cases.actions.return_lor",
    },
)
# A validated LOR is the customer request of record: it is not edited (R-FMS-01).
LOR_EDITABLE = ("received", "submitted", "returned")
CTA = Lifecycle(
    "CTA",
    {"draft": "Draft", "coordinated": "Coordinated", "transmitted": "Transmitted"},
    {
        "coordinate": (("draft",), "coordinated", "Coordinate with the country team"),
        "transmit": (("coordinated",), "transmitted", "Transmit"),
    },
    actions={
        "coordinate": "secoop.cases.actions.coordinate_cta",
        "transmit": "secoop.cases.actions.transmit_cta",
    },
)
AMENDMENT = Lifecycle(
    "amendment",
    {"proposed": "Offered", "accepted": "Accepted", "withdrawn": "Withdrawn"},
    {"accept": (("proposed",), "accepted", "Accept the amendment")},
    action="secoop.cases.actions.accept_change",
)
SDR = Lifecycle(
    "SDR",
    {"routed": "Routed", "replied": "Replied", "closed": "Closed"},
    {
        "reply": (("routed", "replied"), "replied", "Reply"),
        "close": (("routed", "replied"), "closed", "Reply and close"),
    },
    action="secoop.cases.actions.reply_sdr",
)
# Lines are added and priced while the LOA is being written (before the offer).
LINES_OPEN = TRANSITIONS.states_allowing("write", "review", "propose", "approve", "offer")
# Deliveries are recorded, and SDRs raised, once the purchaser accepted and until closure.
DELIVERING = (Status.IMPLEMENTED,)
SDR_OPEN = (Status.ACCEPTED, Status.IMPLEMENTED, Status.SSC)


def transition_problem(action: str, status: str, lapsed: bool = False) -> Finding | None:
    """Whether the milestone `action` may start from `status` (SPEC §5)."""
    if action not in TRANSITIONS:
        return Finding(
            "SPEC-5-lifecycle",
            f"there is no milestone {action!r}:",
            f"use one of {', '.join(TRANSITIONS)}.",
        )
    row = TRANSITIONS[action]
    if action == "reactivate" and status == Status.OFFERED and not lapsed:
        return Finding(
            "SPEC-5-lifecycle",
            "only a cancelled LOA, or an offer that lapsed at its OED, can be reactivated.",
        )
    if status not in row.sources:
        allowed = ", ".join(Status.LABELS[s] for s in row.sources)
        return Finding(
            "SPEC-5-lifecycle",
            f"“{row.label}” applies to an LOA that is {allowed}; this one is {Status.LABELS.get(status, status)}.",
        )
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


# The order of an LOA's dates (SPEC §5 lifecycle): (field, label). Each date, when recorded, is on
# or after every recorded date before it. Signature and deposit follow the offer; acceptance is the
# later of the two.
CASE_DATE_ORDER = (
    ("lor_complete_on", "LOR complete"),
    ("written_on", "written"),
    ("reviewed_on", "reviewed"),
    ("proposed_on", "proposed"),
    ("milap_on", "MILDEP approval"),
    ("offered_on", "offer"),
    ("signed_on", "purchaser signature"),
    ("accepted_on", "acceptance"),
    ("implemented_on", "implementation"),
    ("ssc_on", "supply/services complete (SSC)"),
    ("interim_closed_on", "interim closure"),
    ("closed_on", "closure"),
)


def date_order_problem(
    dates: Mapping[str, dt.date | None],
    order: Sequence[tuple[str, str]] = CASE_DATE_ORDER,
) -> Finding | None:
    """SPEC §5: dates that contradict the lifecycle's order are refused, naming both dates (the
    finding is on the later step's field)."""
    latest: tuple[str, str, dt.date] | None = None
    for name, label in order:
        when = dates.get(name)
        if when is None:
            continue
        if latest is not None and when < latest[2]:
            return Finding(
                "SPEC-5-lifecycle",
                f"the {label} date ({day(when)}) is before the {latest[1]} date ({day(latest[2])}): a {label} comes after the {latest[1]}. Check both dates.",
                field=name,
            )
        if latest is None or when >= latest[2]:
            latest = (name, label, when)
    return None


def delivery_dates_problem(
    accepted_on: dt.date | None,
    ssc_on: dt.date | None,
    planned_on: dt.date | None,
    actual_on: dt.date | None,
) -> Finding | None:
    """SPEC §5: a delivery (planned or actual) falls after the case's acceptance, and an actual
    delivery on or before its SSC."""
    for when, what, name in (
        (planned_on, "planned delivery", "planned_on"),
        (actual_on, "delivery", "actual_on"),
    ):
        if when is not None and accepted_on is not None and when < accepted_on:
            return Finding(
                "SPEC-5-lifecycle",
                f"the {what} date ({day(when)}) is before the case's acceptance ({day(accepted_on)}): deliveries follow acceptance. Check both dates.",
                field=name,
            )
    if actual_on is not None and ssc_on is not None and actual_on > ssc_on:
        return Finding(
            "SPEC-5-lifecycle",
            f"the delivery date ({day(actual_on)}) is after supply/services complete ({day(ssc_on)}). Check both dates.",
            field="actual_on",
        )
    return None


def shipment_dates_problem(
    accepted_on: dt.date | None, shipped_on: dt.date | None, received_on: dt.date | None
) -> Finding | None:
    """SPEC §5: materiel ships after the case's acceptance and is received after it ships."""
    return date_order_problem(
        {"accepted_on": accepted_on, "shipped_on": shipped_on, "received_on": received_on},
        (("accepted_on", "acceptance"), ("shipped_on", "shipment"), ("received_on", "receipt")),
    )


def version_date_problem(
    offered_on: dt.date | None, accepted_on: dt.date | None, issued_on: dt.date
) -> Finding | None:
    """SPEC §5: a restatement follows the offer; an amendment or modification the acceptance."""
    return date_order_problem(
        {"offered_on": offered_on, "accepted_on": accepted_on, "issued_on": issued_on},
        (("offered_on", "offer"), ("accepted_on", "acceptance"), ("issued_on", "new version")),
    )


# --- case identifier CC-I-DDD (DFARS PGI 243.170) -----------------------------------------------

CASE_ID = re.compile(r"^([A-Z]{2})-([A-Z0-9])-([A-Z0-9]{3})$")


def case_identifier_problem(
    identifier: str, country_code: str | None, ia_codes: Iterable[str], ia_code: str | None = None
) -> Finding | None:
    """`identifier` is CC-I-DDD: the partner's two-character code, a known implementing-agency
    code (and the case's own IA's, when given), a three-character designator."""
    problem = _identifier_problem(identifier, country_code, ia_codes, ia_code)
    return Finding("SPEC-5-case-identifier", problem, field="identifier") if problem else None


def _identifier_problem(
    identifier: str, country_code: str | None, ia_codes: Iterable[str], ia_code: str | None
) -> str | None:
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


def case_owner_problem(owner_is_ia_with_code: bool) -> Finding | None:
    """A case belongs to an implementing agency with an IA code (plain input: no SPEC rule)."""
    if not owner_is_ia_with_code:
        return Finding(
            "",
            "a case belongs to an implementing agency with an IA code: choose it as the owner.",
            field="owner_org",
        )
    return None


def case_links_problem(
    lor_country: str | None,
    case_country: str | None,
    lor_validated: bool,
    new_case: bool,
    case_manager_of_the_ia: bool | None,
    ia_name: str,
) -> Finding | None:
    """A case is developed from a validated LOR of its purchaser (R-FMS-01; `lor_country` None:
    no LOR); its case manager is one of the IA's (R-FMS-05; None: none chosen yet)."""
    if lor_country is not None and lor_country != case_country:
        return Finding(
            "R-FMS-01", "the LOR is from another partner: choose the purchaser's LOR.", field="lor"
        )
    if lor_country is not None and new_case and not lor_validated:
        return Finding(
            "R-FMS-01",
            "the implementing agency validates the LOR before an LOA is developed from it.",
            field="lor",
        )
    if case_manager_of_the_ia is False:
        return Finding(
            "R-FMS-05",
            f"the case manager is assigned by the implementing agency: choose a case manager of {ia_name}.",
            field="case_manager",
        )
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


# What U.S. staff decide, not the partner: never asked of the partner (issue 12 item 5).
LOR_USG_DECIDES = ("implementing_agency",)


def lor_missing(values: Mapping[str, object], partner: bool = False) -> list[str]:
    """R-FMS-01: what a complete LOR records and this one lacks (labels, in order); for the
    partner, only what the partner decides (the SCO routes it to an implementing agency)."""
    missing = []
    for key, label in LOR_REQUIRED:
        if partner and key in LOR_USG_DECIDES:
            continue
        value = values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(label)
    return missing


def lor_incomplete(values: Mapping[str, object]) -> Finding | None:
    """R-FMS-01: an LOR routed to an IA is complete."""
    missing = lor_missing(values)
    if not missing:
        return None
    return Finding(
        "R-FMS-01",
        f"the LOR is incomplete: add {', '.join(missing)}.",
        field="requested_items" if "the articles or services requested" in missing else None,
    )


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def lor_duplicate(
    title: str | None,
    requested_items: str | None,
    existing: Iterable[tuple[str, str, dt.date | None]],
) -> Finding | None:
    """R-FMS-01: a warning before the same request is submitted twice — an LOR of the same
    partner with the same title or the same articles and services (`existing`: title, items,
    date received of the LORs the submitter can see)."""
    for other_title, other_items, received_on in existing:
        if _same_text(title, other_title) or (
            (requested_items or "").strip() and _same_text(requested_items, other_items)
        ):
            when = f" received {day(received_on)}" if received_on else ""
            return Finding(
                "R-FMS-01",
                f"this looks like a request already submitted: “{other_title}”{when}. Change that LOR instead, or tick “Submit anyway” if this is a new request.",
                field="confirm_duplicate",
            )
    return None


def lor_problem(
    routed_to_ia_with_code: bool | None,
    estimated_value: Decimal | None,
    mde_value: Decimal | None,
) -> Finding | None:
    """R-FMS-01: an LOR is routed to an implementing agency that has an IA code (None: not routed
    yet); its MDE is part of its estimated value."""
    if routed_to_ia_with_code is False:
        return Finding(
            "R-FMS-01",
            "route the LOR to an implementing agency with an IA code (e.g. USASAC, NIPO, SAF/IA).",
            field="implementing_agency",
        )
    if estimated_value is not None and mde_value and mde_value > estimated_value:
        return Finding(
            "R-FMS-01",
            "the MDE value cannot exceed the estimated value of the whole request.",
            field="mde_value",
        )
    return None


def lor_routing_by_partner_problem(partner_chose_ia: bool) -> Finding | None:
    """R-FMS-01: the SCO routes an LOR to an implementing agency; the partner does not."""
    if partner_chose_ia:
        return Finding(
            "R-FMS-01",
            "the security cooperation office routes the LOR to an implementing agency: leave the implementing agency empty.",
            field="implementing_agency",
        )
    return None


def lor_country_problem(enterer_country: str | None, lor_country: str | None) -> Finding | None:
    """R-FMS-01: an LOR is entered for the country of the organization entering it (an
    organization without a country, such as DSCA, may enter any)."""
    if enterer_country and enterer_country != lor_country:
        return Finding(
            "R-FMS-01",
            "an LOR is entered for the country of the organization entering it.",
            field="country",
        )
    return None


def lor_validation_problem(received_on: dt.date | None, validated_on: dt.date) -> Finding | None:
    if received_on and validated_on < received_on:
        return Finding(
            "R-FMS-01",
            "an LOR cannot be validated before it was received.",
            field="validated_on",
        )
    return None


def lor_return_problem(reason: str | None) -> Finding | None:
    if not (reason or "").strip():
        return Finding(
            "R-FMS-01",
            "say what the LOR lacks, so that the partner can complete it.",
            field="reason",
        )
    return None


def lor_complete_problem(
    received_on: dt.date | None, complete_on: dt.date, validated_on: dt.date
) -> Finding | None:
    """§11 AOD: the LOR-complete date is its own date — on or after the LOR was received, on or
    before it is validated (the AOD counts from it)."""
    if received_on and complete_on < received_on:
        return Finding(
            "SPEC-11-AOD",
            f"the LOR-complete date ({day(complete_on)}) is before the LOR was received ({day(received_on)}).",
            field="complete_on",
        )
    if complete_on > validated_on:
        return Finding(
            "SPEC-11-AOD",
            f"the LOR-complete date ({day(complete_on)}) is after the validation ({day(validated_on)}): an LOR is validated once complete.",
            field="complete_on",
        )
    return None


def late_offer_problem(
    offered_on: dt.date, aod: dt.date | None, delay_reason: str, codes: Iterable[str]
) -> Finding | None:
    """§11 AOD: a document offered after its AOD carries a delay reason code from the code list."""
    codes = sorted(codes)
    if aod is None or offered_on <= aod:
        return None
    if delay_reason not in codes:
        return Finding(
            "SPEC-11-AOD",
            f"the offer on {day(offered_on)} is after the AOD ({day(aod)}): choose the delay reason code ({', '.join(codes) or 'an administrator adds the code list'}) on the case first.",
            field="delay_reason",
        )
    return None


def delay_reason_problem(code: str, codes: Iterable[str]) -> Finding | None:
    """§11 AOD: a delay reason is one of the codes of the list (not free text)."""
    codes = sorted(codes)
    if code and code not in codes:
        return Finding(
            "SPEC-11-AOD",
            f"{code!r} is not an AOD delay reason code: use one of {', '.join(codes)}.",
            field="delay_reason",
        )
    return None


def validation_due(submitted_on: dt.date, goal_days: int) -> dt.date:
    """The IA validates an LOR within the goal (§11 LOR validation), counted from the IA's receipt."""
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


def cta_drafter_problem(drafter_is_the_partners_sco: bool) -> Finding | None:
    if not drafter_is_the_partners_sco:
        return Finding(
            "R-FMS-02",
            "the SCO of the partner's country drafts the CTA: choose it as the drafter.",
            field="owner_org",
        )
    return None


def cta_unknown_elements(answers: Mapping[str, str], known: Iterable[str]) -> Finding | None:
    unknown = [k for k in answers if k not in set(known)]
    if unknown:
        return Finding("R-FMS-02", f"unknown CTA element {', '.join(unknown)}.", field="elements")
    return None


def cta_coordination_problem(with_whom: str | None, unanswered: Sequence[str]) -> Finding | None:
    """R-FMS-02: the SCO coordinates a complete CTA with the country team. `unanswered` are the
    labels of the elements still without an answer."""
    if not (with_whom or "").strip():
        return Finding(
            "R-FMS-02",
            "say whom in the country team the CTA was coordinated with (e.g. the Chief of Mission, DCM, POL/ECON).",
            field="coordinated_with",
        )
    if unanswered:
        return Finding(
            "R-FMS-02",
            f"answer every CTA element before coordination: {'; '.join(unanswered)}.",
            field="elements",
        )
    return None


def cta_transmission_problem(
    dated: dt.date | None, reaches_dsca_on: dt.date, max_age_days: int
) -> Finding | None:
    """R-FMS-02 and §11 CTA age: a signed CTA, at most the max age when it reaches DSCA."""
    if dated is None:
        return Finding("R-FMS-02", "give the date the CTA was signed.", field="dated")
    if cta_too_old(dated, reaches_dsca_on, max_age_days):
        return Finding(
            "R-FMS-02",
            f"the CTA is more than {max_age_days} days old when it reaches DSCA: the country team updates and re-signs it.",
            field="dated",
        )
    return None


def cta_missing_at_offer(reasons: Sequence[str], transmitted: bool) -> Finding | None:
    """R-FMS-02: an LOR meeting the CTA criteria (`reasons`, their labels) is offered only after
    the SCO transmitted its CTA."""
    if reasons and not transmitted:
        return Finding(
            "R-FMS-02",
            f"this request needs a Country Team Assessment ({'; '.join(reasons)}): the SCO transmits it to DSCA before the offer.",
        )
    return None


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


def mildep_approval_problem(
    line_count: int, oed_days: int, standard_days: int, oed_remark: str | None
) -> Finding | None:
    """§11 case lines and OED: an LOA approved by the MILDEP has lines; its OED is at least a day
    out, and a non-standard OED carries its remark or short-OED note."""
    if not line_count:
        return Finding(
            "SPEC-11-case-lines",
            "an LOA has at least one line: add its lines before MILDEP approval.",
        )
    if oed_days < 1:
        return Finding(
            "SPEC-11-OED", "the OED is at least one day after MILDEP approval.", field="oed_days"
        )
    note = oed_note_needed(oed_days, standard_days)
    if note and not (oed_remark or "").strip():
        return Finding(
            "SPEC-11-OED",
            f"the standard OED here is {standard_days} days and {oed_days} were asked: {note}. Write it, or keep the standard.",
            field="oed_remark",
        )
    return None


def offer_problem(oed: dt.date | None, on: dt.date) -> Finding | None:
    if oed and on > oed:
        return Finding(
            "SPEC-11-OED",
            f"the OED ({day(oed)}) has passed: reactivate the LOA and re-approve it.",
        )
    return None


def implementation_problem(
    case_manager_assigned: bool,
    signed_on: dt.date | None,
    deposit_on: dt.date | None,
    emergency_approved_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Finding | None:
    """R-FMS-05 and §11 acceptance: implementation needs a case manager, signature and deposit —
    or, before the deposit, DSCA's written approval of emergency implementation (SAMM C6.1.2)."""
    if not case_manager_assigned:
        return Finding(
            "R-FMS-05",
            "the implementing agency assigns a case manager before the case is implemented: choose one on the case.",
            field="case_manager",
        )
    if signed_on is None:
        return Finding(
            "SPEC-11-acceptance", "implementation follows signature and initial deposit."
        )
    if deposit_on is None:
        return emergency_implementation_problem(emergency_approved_on, on)
    return None


def release_approvals_problem(
    step: str,
    on: dt.date,
    disclosure_approved_on: dt.date | None,
    transfer_approved_on: dt.date | None,
) -> Finding | None:
    """R-FMS-04 (SAMM Table C2.T1 #2–3; technology security / foreign disclosure release): the
    foreign disclosure and international transfer approvals come before MILDEP approval and the
    offer (`step` names it), and are dated on or before it."""
    for when, what, name in (
        (disclosure_approved_on, "foreign disclosure", "disclosure_approved_on"),
        (transfer_approved_on, "international transfer", "transfer_approved_on"),
    ):
        if when is None:
            return Finding(
                "R-FMS-04",
                f"record the {what} approval (technology security / foreign disclosure release) before {step}.",
                field=name,
            )
        if when > on:
            return Finding(
                "R-FMS-04",
                f"the {what} approval ({day(when)}) is dated after {step} ({day(on)}): the approval comes first.",
                field=name,
            )
    return None


# --- acceptance (§11, R-FMS-04) ---------------------------------------------------------------


def acceptance_problem(
    signed_on: dt.date | None,
    deposit_on: dt.date | None,
    oed: dt.date | None,
    disclosure_approved_on: dt.date | None,
    transfer_approved_on: dt.date | None,
    emergency_approved_on: dt.date | None = None,
) -> Finding | None:
    """Why the LOA may not be recorded as accepted, if it may not. With DSCA's written approval of
    emergency implementation (SAMM C6.1.2) the signature alone records acceptance; the deposit
    follows (actions.record_deposit)."""
    if disclosure_approved_on is None:
        return Finding(
            "R-FMS-04",
            "record the foreign disclosure approval before the purchaser signs the LOA.",
            field="disclosure_approved_on",
        )
    if transfer_approved_on is None:
        return Finding(
            "R-FMS-04",
            "record the international transfer approval before the purchaser signs the LOA.",
            field="transfer_approved_on",
        )
    if signed_on is None:
        return Finding(
            "SPEC-11-acceptance", "record the date the purchaser signed the LOA.", field="signed_on"
        )
    if signed_on < disclosure_approved_on or signed_on < transfer_approved_on:
        return Finding(
            "R-FMS-04",
            "the LOA was signed before its disclosure and transfer approvals: approvals come first.",
            field="signed_on",
        )
    if deposit_on is None and emergency_approved_on is None:
        return Finding(
            "SPEC-11-acceptance",
            "record the date the initial deposit was received: acceptance is signature and deposit (before the deposit, only DSCA's written approval of emergency implementation lets the case go ahead).",
            field="deposit_on",
        )
    if oed is not None and signed_on > oed:
        return Finding(
            "SPEC-11-acceptance",
            f"the signature is after the OED ({day(oed)}): the offer lapsed; reactivate and re-offer it.",
            field="signed_on",
        )
    if oed is not None and deposit_on is not None and deposit_on > oed:
        return Finding(
            "SPEC-11-acceptance",
            f"the initial deposit arrived after the OED ({day(oed)}): the offer lapsed; reactivate and re-offer it.",
            field="deposit_on",
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


def notification_offer_problem(
    n: Notification,
    review_on: dt.date | None,
    notified_on: dt.date | None,
    on: dt.date,
) -> Finding | None:
    """AECA 36(b) and SAMM C5.5: an LOA that needs congressional notification is offered only
    after the informal (tiered) review (non-NATO+5), the formal notification, and the statutory
    period after it (`n.days`: 30, or 15 for NATO+5). The period counts the days after the formal
    notification: notified on D, the LOA may be offered on D + days + 1."""
    if not n.required:
        return None
    if n.informal_review_days and review_on is None:
        return Finding(
            "SPEC-11-36(b)-notification",
            f"this sale needs congressional notification ({'; '.join(n.reasons)}): record the informal (tiered) review, then the formal notification, before the offer.",
            field="n36b_review_on",
        )
    if notified_on is None:
        return Finding(
            "SPEC-11-36(b)-notification",
            f"this sale needs congressional notification ({'; '.join(n.reasons)}): record the formal notification to Congress; the LOA may be offered {n.days} days after it.",
            field="n36b_notified_on",
        )
    may_offer = offer_allowed_from(notified_on, n.days)
    if on < may_offer:
        return Finding(
            "SPEC-11-36(b)-notification",
            f"Congress was formally notified on {day(notified_on)}: the {n.days}-day review period runs until {day(may_offer - dt.timedelta(days=1))}. The LOA may be offered on {day(may_offer)}.",
            field="offered_on",
        )
    return None


def offer_allowed_from(notified_on: dt.date, days: int) -> dt.date:
    """The first day an LOA may be offered after a formal 36(b) notification on `notified_on`."""
    return notified_on + dt.timedelta(days=days + 1)


def notification_record_problem(
    n: Notification,
    step: str,
    on: dt.date,
    review_on: dt.date | None,
    status: str,
) -> Finding | None:
    """SAMM C5.5: the informal review and the formal notification are recorded on an LOA that
    needs notification and is not yet offered; the formal notification follows the informal
    review (non-NATO+5)."""
    if not n.required:
        return Finding(
            "SPEC-11-36(b)-notification",
            "this LOA does not reach a 36(b) threshold: no congressional notification is needed.",
        )
    if status not in Status.PRE_OFFER:
        return Finding(
            "SPEC-11-36(b)-notification",
            f"the LOA is {Status.LABELS.get(status, status).lower()}: notification is recorded before the offer.",
        )
    if step == "review" and not n.informal_review_days:
        return Finding(
            "SPEC-11-36(b)-notification",
            "NATO+5 purchasers have no informal review: record the formal notification.",
        )
    if step == "notify" and n.informal_review_days:
        if review_on is None:
            return Finding(
                "SPEC-11-36(b)-notification",
                "record the informal (tiered) review before the formal notification.",
                field="n36b_review_on",
            )
        if on < review_on:
            return Finding(
                "SPEC-11-36(b)-notification",
                f"the formal notification ({day(on)}) cannot come before the informal review ({day(review_on)}).",
                field="n36b_notified_on",
            )
    return None


# --- case lines (§11 case lines, R-FMS-12) ------------------------------------------------------


def line_problem(quantity: int | None, unit_value: Decimal | None) -> Finding | None:
    """No negative or zero quantities, no zero-dollar placeholder lines."""
    if quantity is None or quantity <= 0:
        return Finding(
            "SPEC-11-case-lines",
            "a line's quantity is a whole number of at least 1.",
            field="quantity",
        )
    if unit_value is None or unit_value <= 0:
        return Finding(
            "SPEC-11-case-lines",
            "no zero-dollar placeholder lines: give the line its unit value in USD.",
            field="unit_value",
        )
    return None


def lines_problem(lines: Iterable[LineState]) -> Finding | None:
    """The first line of a proposed version that breaks line_problem, named by its number."""
    for line in lines:
        problem = line_problem(line.quantity, line.unit_value)
        if problem:
            return Finding(problem.rule, f"line {line.number}: {problem.message}", field="changes")
    return None


def quantity_problem(quantity, what: str = "a quantity", field: str = "quantity") -> Finding | None:
    """§11 case lines: quantities are whole numbers of at least 1."""
    if quantity is None or int(quantity) <= 0:
        return Finding(
            "SPEC-11-case-lines", f"{what} is a whole number of at least 1.", field=field
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


def fmf_problem(
    lines: Iterable[LineState], baseline: Decimal | None, deviation_approved: bool
) -> Finding | None:
    """R-FMS-12: FMF-funded lines within the DoS-approved FMF baseline unless a deviation was approved."""
    fmf_total = total_of(line for line in lines if line.fmf_funded)
    over = fmf_deviation(fmf_total, baseline)
    if over is None or deviation_approved:
        return None
    if baseline is None:
        return Finding(
            "R-FMS-12",
            f"FMF-funded lines total {usd(fmf_total)} but no approved FMF baseline is recorded: record the DoS-approved baseline.",
        )
    return Finding(
        "R-FMS-12",
        f"FMF-funded lines exceed the approved FMF baseline by {usd(over)}: follow the baseline, or record the approved deviation.",
    )


def sco_notice_problem(
    decided_on: dt.date | None, notified_on: dt.date | None, on: dt.date
) -> Finding | None:
    """R-FMS-08: the SCO advises the IA and DSCA once, after the purchaser's decision."""
    if decided_on is None:
        return Finding(
            "R-FMS-08",
            "the notice follows the purchaser's acceptance or rejection, which is not recorded yet.",
        )
    if notified_on:
        return Finding(
            "R-FMS-08", f"the SCO already advised the IA and DSCA on {day(notified_on)}."
        )
    if on < decided_on:
        return Finding(
            "R-FMS-08",
            "the notice cannot be dated before the acceptance or rejection.",
            field="sco_notified_on",
        )
    return None


# --- amendments, modifications, restatements (§11) --------------------------------------------


def change_request_problem(kind: str, description: str | None) -> Finding | None:
    """R-FMS-03: a change is an amendment, a modification or a restatement, and says why."""
    if kind not in dict(ChangeKind.CHOICES):
        return Finding("R-FMS-03", "choose amendment, modification or restatement.", field="kind")
    if not (description or "").strip():
        return Finding("R-FMS-03", "describe the change and why it is made.", field="description")
    return None


def pending_amendment_problem(pending: bool) -> Finding | None:
    if pending:
        return Finding(
            "R-FMS-03",
            "an amendment is waiting for the purchaser's acceptance: it is accepted or withdrawn first.",
        )
    return None


def line_deletion_problem(number: str, has_deliveries: bool) -> Finding | None:
    if has_deliveries:
        return Finding(
            "R-FMS-03",
            f"line {number} has deliveries and cannot be deleted: reduce its quantity instead.",
            field="changes",
        )
    return None


def amendment_acceptance_problem(
    is_amendment: bool, offered: bool, closhold: bool
) -> Finding | None:
    """§11: an amendment needs the purchaser's acceptance (a modification takes effect when
    issued); CLOSHOLD stops it taking effect."""
    if not (is_amendment and offered):
        return Finding(
            "SPEC-11-amendment-vs-modification",
            "only an amendment offered to the purchaser is accepted; modifications take effect when issued.",
        )
    if closhold:
        return Finding(
            "SPEC-11-closure",
            "the case is supply/services complete (CLOSHOLD): the amendment can no longer take effect.",
        )
    return None


def loa_content_problem(status: str, content: Iterable[str], closhold: bool) -> Finding | None:
    """R-FMS-03: an LOA's content (not its case manager, approvals or delay reason) is edited only
    before MILDEP approval; after, it changes by restatement, amendment or modification."""
    content = sorted(content)
    if content and status not in Status.PRE_OFFER:
        return Finding(
            "R-FMS-03",
            f"the LOA is {Status.LABELS[status].lower()}: its content changes only through a restatement (while offered, unsigned, before the OED), an amendment or a modification.",
            field=content[0],
        )
    if content and closhold:
        return Finding("SPEC-11-closure", "the case is supply/services complete (CLOSHOLD).")
    return None


def needs_reapproval(status: str) -> bool:
    """The LOA is frozen once the MILDEP approves it: a change of its content or lines before the
    offer returns it for re-approval (a new MILAP, and so a new OED)."""
    return status == Status.MILAP


def lines_locked_problem(status: str) -> Finding | None:
    """R-FMS-03: lines are entered and edited while the LOA is in development."""
    if status not in Status.PRE_OFFER:
        return Finding(
            "R-FMS-03",
            "the LOA is past MILDEP approval: lines change only through a restatement, amendment or modification.",
        )
    return None


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
        return usd(v)
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
) -> Finding | None:
    """Why this change may not be made, if it may not (SPEC R-FMS-03, §11 amendment vs
    modification, pen-and-ink, closure). The finding is on the change's kind."""
    closure = closure_change_problem(kind, status, closhold)
    if closure is not None:
        return closure
    diff = diff_lines(before, after)
    if not diff:
        return Finding(
            "R-FMS-03",
            "the change leaves every line as it was: change at least one line.",
            field="kind",
        )
    for row in diff:
        if row.change in ("added", "deleted"):
            line = next(
                x for x in (after if row.change == "added" else before) if x.number == row.number
            )
            if line.sme or line.mde:
                return Finding(
                    "SPEC-11-amendment-vs-modification",
                    f"line {row.number} {row.change} SME/MDE: adding or deleting SME/MDE needs a new LOA, not a change to this one.",
                    field="kind",
                )
    if kind == ChangeKind.RESTATEMENT:
        if status != Status.OFFERED or signed or lapsed:
            return Finding(
                "R-FMS-03",
                "an LOA is restated only while it is offered, unsigned by the purchaser and before its OED: issue an amendment or a modification instead.",
                field="kind",
            )
        return None
    if status not in (Status.ACCEPTED, Status.IMPLEMENTED, Status.SSC):
        return Finding(
            "R-FMS-03",
            "amendments and modifications change an accepted or implemented case; before acceptance, restate the offered LOA.",
            field="kind",
        )
    if kind == ChangeKind.MODIFICATION:
        scope = [
            r
            for r in diff
            if r.change != "changed"
            or any(f in ("item", "quantity", "sme", "mde") for f, _, _ in r.fields)
        ]
        if scope:
            return Finding(
                "SPEC-11-amendment-vs-modification",
                f"line {scope[0].number}: a change of scope (lines, items or quantities) is an amendment, which the purchaser must accept; a modification changes no scope.",
                field="kind",
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
) -> Finding | None:
    """R-FMS-09: classified materiel ships only under a transportation plan that is part of the
    LOA; a DTS shipment names the government representative who receives it."""
    if classified and not case_has_transportation_plan:
        return Finding(
            "R-FMS-09",
            "classified materiel needs a transportation plan in the LOA before it ships: record the plan on the case first.",
            field="classified",
        )
    if via_dts and not (dts_representative or "").strip():
        return Finding(
            "R-FMS-09",
            "a DTS shipment needs the designated government representative who receives it.",
            field="dts_representative",
        )
    return None


def shipment_delivery_problem(
    same_case: bool, line_classified: bool, shipment_classified: bool
) -> Finding | None:
    """R-FMS-09: a shipment of a delivery is on the delivery's case and classified like its line."""
    if not same_case:
        return Finding(
            "R-FMS-09", "the shipment's delivery belongs to another case.", field="delivery"
        )
    if line_classified and not shipment_classified:
        return Finding(
            "R-FMS-09",
            "the line is classified materiel: mark the shipment classified.",
            field="classified",
        )
    return None


def delivery_record_problem(
    actual_quantity, actual_on: dt.date | None, today: dt.date
) -> Finding | None:
    """R-FMS-06: a delivery records what arrived and when (not in the future)."""
    problem = quantity_problem(actual_quantity, "the delivered quantity", field="actual_quantity")
    if problem:
        return problem
    if actual_on is None or actual_on > today:
        return Finding(
            "R-FMS-06",
            "give the date the items were delivered (not in the future).",
            field="actual_on",
        )
    return None


def planned_delivery_problem(same_case: bool, planned_quantity) -> Finding | None:
    """R-FMS-06: a programmed delivery is of a line of its case, of at least one item."""
    if not same_case:
        return Finding("R-FMS-06", "the delivery's line belongs to another case.", field="line")
    return quantity_problem(planned_quantity, "the planned quantity", field="planned_quantity")


def sdr_problem(
    quantity, ilco_of_the_mildep: bool, ia_name: str, line_on_the_case: bool
) -> Finding | None:
    """R-FMS-10: an SDR reports a discrepant quantity, of a line of its case, and goes to the
    ILCO of the implementing agency's military department."""
    if quantity is None or quantity <= 0:
        return Finding(
            "R-FMS-10",
            "the discrepant quantity is a whole number of at least 1.",
            field="quantity",
        )
    if not ilco_of_the_mildep:
        return Finding(
            "R-FMS-10",
            f"no ILCO is recorded for {ia_name}'s military department: an administrator adds the ILCO routing.",
        )
    if not line_on_the_case:
        return Finding("R-FMS-10", "the line belongs to another case.", field="line")
    return None


def sdr_reply_problem(reply: str | None, closed: bool) -> Finding | None:
    if not (reply or "").strip():
        return Finding(
            "R-FMS-10",
            "write the ILCO's reply (disposition, credit or replacement).",
            field="reply",
        )
    if closed:
        return Finding("R-FMS-10", "this SDR is closed.")
    return None


def sdr_submitter_problem(submitter_is_purchaser_sco_or_ia: bool) -> Finding | None:
    if not submitter_is_purchaser_sco_or_ia:
        return Finding(
            "R-FMS-10",
            "an SDR is submitted by the purchaser, its SCO or the implementing agency.",
            field="owner_org",
        )
    return None


@dataclass(frozen=True)
class SdrThresholds:
    min_value_usd: Decimal
    endorsement_usd: Decimal
    reconsideration_days: int
    filing_months: int = 12


def sdr_assessment(value: Decimal, recommended_fms_funds: Decimal | None, t: SdrThresholds) -> dict:
    """§11 SDR: compensation review only from the minimum value (DSCA 04-47); MILDEP headquarters
    endorsement for an SDR package that recommends more than the ceiling of FMS funds (DSCA 14-10)
    — not for a discrepancy worth more than it."""
    return {
        "compensable": value >= t.min_value_usd,
        "needs_endorsement": recommended_fms_funds is not None
        and recommended_fms_funds > t.endorsement_usd,
    }


def sdr_filing_problem(
    title_passed_on: dt.date | None, reported_on: dt.date, t: SdrThresholds
) -> Finding | None:
    """§11 SDR: an SDR is filed within the filing limit (one year) of the later of title passing
    and the initial billing, and not before it."""
    if title_passed_on is None:
        return None
    if reported_on < title_passed_on:
        return Finding(
            "R-FMS-10",
            f"the SDR ({day(reported_on)}) is dated before title passed or the first billing ({day(title_passed_on)}). Check both dates.",
            field="reported_on",
        )
    limit = add_months(title_passed_on, t.filing_months)
    if reported_on > limit:
        return Finding(
            "R-FMS-10",
            f"an SDR is filed within {t.filing_months} months of title passing or the first billing ({day(title_passed_on)}): the limit was {day(limit)}.",
            field="reported_on",
        )
    return None


def sdr_reconsideration_due(replied_on: dt.date, t: SdrThresholds) -> dt.date:
    return replied_on + dt.timedelta(days=t.reconsideration_days)


def review_problem(case_specific: bool, sco_travel_charged_to_fms_admin: bool) -> Finding | None:
    """R-FMS-11: SCO travel to a case-specific review is not an FMS-admin expense."""
    if case_specific and sco_travel_charged_to_fms_admin:
        return Finding(
            "R-FMS-11",
            "SCO travel to a case-specific review is not an FMS administrative expense: charge it to the case.",
            field="sco_travel_fms_admin",
        )
    return None


def document_problem(
    notification: bool,
    at_least_cui: bool,
    title: str,
    released_to_partner: bool,
    internal: bool,
    kind_label: str,
) -> Finding | None:
    """§11 congressional notification documents are CUI and PRE-DECISIONAL; internal USG
    material (CTAs, technology release documents, review notes, notifications) is never
    released to the partner (R-SEC-03)."""
    if notification and (not at_least_cui or "PRE-DECISIONAL" not in (title or "").upper()):
        return Finding(
            "SPEC-11-congressional-notification-documents",
            "a congressional notification document is marked CUI and PRE-DECISIONAL: mark it CUI and put PRE-DECISIONAL in its title.",
            field="title",
        )
    if released_to_partner and internal:
        return Finding(
            "R-SEC-03",
            f"a {kind_label.lower()} is internal USG material and is never released to the partner.",
            field="released_to_partner",
        )
    return None


def payment_problem(amount: Decimal | None) -> Finding | None:
    """R-FMS-06 (programmed costs): a payment is a positive amount."""
    if amount is None or amount <= 0:
        return Finding("R-FMS-06", "a payment is a positive amount in USD.", field="amount")
    return None


# --- closure (§11) and retention (R-FMS-07) ---------------------------------------------------


def closure_due(ssc_on: dt.date, final_delivery_on: dt.date | None, months: int) -> dt.date:
    """Close `months` after SSC is posted — at once if final delivery was more than `months` before."""
    if final_delivery_on is not None and add_months(final_delivery_on, months) < ssc_on:
        return ssc_on
    return add_months(ssc_on, months)


def ssc_problem(open_deliveries: int) -> Finding | None:
    """§11 closure: supply/services complete when every item is delivered with title passed."""
    if open_deliveries:
        return Finding(
            "SPEC-11-closure",
            f"{open_deliveries} {'deliveries' if open_deliveries != 1 else 'delivery'} still open: SSC comes when every item is delivered with title passed.",
        )
    return None


def retained_until(closed_on: dt.date | None, years: int) -> dt.date | None:
    if closed_on is None:
        return None
    return add_months(closed_on, 12 * years)


def file_retention_problem(what: str, years: int) -> Finding:
    """R-FMS-07: an LOR or CTA not yet on a case belongs to the case file all the same."""
    return Finding(
        "R-FMS-07",
        f"{what} records belong to the case file: kept {years} years after the case closes.",
    )


def deletion_problem(closed_on: dt.date | None, today: dt.date, years: int) -> Finding | None:
    """R-FMS-07: case records are kept `years` after final closure and cannot be deleted before."""
    until = retained_until(closed_on, years)
    if until is None:
        return Finding(
            "R-FMS-07",
            f"the case is not closed: case file records are kept {years} years after final closure.",
        )
    if today < until:
        return Finding(
            "R-FMS-07",
            f"case file records are kept until {day(until)} ({years} years after closure on {day(closed_on)}).",
        )
    return None


# === fmsclssa: CLSSA (FMSO I / II), emergency implementation, AOD of versions =====================
# (issue 13 items 5, 8; docs/decisions/0031-clssa-emergency-aod.md)

# --- CLSSA (SPEC §5 "CLSSA"; SAMM C6.4.3, LOA note "CLSSA – FMSO I purpose", DSCA 05-23/06-11) ---

FMSO_I = "fmso1"
FMSO_II = "fmso2"
CLSSA_RULE = "SPEC-5-lifecycle"  # §5: CLSSA is one of its LOA types; rules.toml states the pair


def clssa_link_problem(
    loa_type: str, fmso1_type: str | None, same_purchaser: bool, same_ia: bool
) -> Finding | None:
    """A CLSSA is an FMSO I case (the purchaser's equity investment in U.S. stocks) and an FMSO II
    case (requisitions filled from those stocks): an FMSO II case names the FMSO I of the same
    purchaser and military department; no other case names one. `fmso1_type` is the LOA type of
    the case named (None: none named)."""
    if loa_type == "clssa":
        return Finding(
            CLSSA_RULE,
            "a CLSSA is two cases: choose FMSO I (the equity investment) or FMSO II (the requisitions) as the LOA type.",
            field="loa_type",
        )
    if loa_type == FMSO_II:
        if fmso1_type is None:
            return Finding(
                CLSSA_RULE,
                "an FMSO II (requisition) case draws on the purchaser's FMSO I equity: choose its FMSO I case.",
                field="fmso1_case",
            )
        if fmso1_type != FMSO_I:
            return Finding(
                CLSSA_RULE,
                "the case chosen is not a CLSSA FMSO I case: choose the purchaser's FMSO I (equity) case.",
                field="fmso1_case",
            )
        if not same_purchaser:
            return Finding(
                CLSSA_RULE,
                "the FMSO I case is another purchaser's: an FMSO II draws only on its own purchaser's equity.",
                field="fmso1_case",
            )
        if not same_ia:
            return Finding(
                CLSSA_RULE,
                "the FMSO I case belongs to another implementing agency: a CLSSA is an arrangement with one military department, so both cases are its.",
                field="fmso1_case",
            )
        return None
    if fmso1_type is not None:
        return Finding(
            CLSSA_RULE,
            "only a CLSSA FMSO II case names an FMSO I case: clear the FMSO I case, or make this an FMSO II case.",
            field="fmso1_case",
        )
    return None


def fmso2_implementation_problem(fmso1_label: str, fmso1_implemented: bool) -> Finding | None:
    """SPEC §5 CLSSA: the FMSO II requisition case is implemented only once its FMSO I equity case
    is (the equity buys the stock the requisitions draw on)."""
    if not fmso1_implemented:
        return Finding(
            CLSSA_RULE,
            f"the FMSO I case {fmso1_label} is not implemented: the FMSO II requisition case is implemented once the FMSO I equity investment is in place.",
        )
    return None


def requisition_problem(
    loa_type: str,
    implemented: bool,
    fmso1_implemented: bool,
    document_number: str,
    quantity: int | None,
    value: Decimal | None,
) -> Finding | None:
    """SPEC §5 CLSSA: requisitions are made against an implemented FMSO II case whose FMSO I is
    implemented; each is a MILSTRIP requisition (a 14-character document number) of at least one
    item with a value."""
    if loa_type != FMSO_II:
        return Finding(
            CLSSA_RULE, "requisitions are made against a CLSSA FMSO II case, not this LOA type."
        )
    if not fmso1_implemented:
        return Finding(
            CLSSA_RULE,
            "the FMSO I equity case is not implemented: FMSO II requisitions wait until the FMSO I exists and is implemented.",
        )
    if not implemented:
        return Finding(
            CLSSA_RULE,
            "the FMSO II case is not implemented: requisitions are made while it is implemented.",
        )
    if len((document_number or "").strip()) != 14:
        return Finding(
            CLSSA_RULE,
            "give the requisition's MILSTRIP document number: 14 characters.",
            field="document_number",
        )
    if quantity is None or quantity < 1:
        return Finding(
            CLSSA_RULE,
            "the quantity requisitioned is a whole number of at least 1.",
            field="quantity",
        )
    if value is None or value < 0:
        return Finding(
            CLSSA_RULE, "give the requisition's estimated value in USD (0 or more).", field="value"
        )
    return None


# --- emergency implementation (SPEC §11 acceptance; SAMM C6.1.2) ---------------------------------

EMERGENCY = Lifecycle(
    "emergency implementation request",
    {"requested": "Requested of DSCA", "approved": "Approved by DSCA", "denied": "Denied by DSCA"},
    {
        "approve": (("requested",), "approved", "Record DSCA's approval"),
        "deny": (("requested",), "denied", "Record DSCA's denial"),
    },
    action="secoop.cases.actions.decide_emergency_implementation",
)


def emergency_implementation_problem(
    approved_on: dt.date | None, on: dt.date | None
) -> Finding | None:
    """SAMM C6.1.2: without the initial deposit a case goes ahead (acceptance on signature,
    implementation) only with DSCA's written approval of emergency implementation, dated on or
    before the step."""
    if approved_on is None:
        return Finding(
            "SPEC-11-acceptance",
            "the initial deposit has not been received, and no written DSCA approval of emergency implementation is recorded: record the deposit date, or request emergency implementation on the case (the circumstances) and have DSCA record who approved it, when, and the reference of its written decision.",
            field="deposit_on",
        )
    if on is not None and approved_on > on:
        return Finding(
            "SPEC-11-acceptance",
            f"DSCA approved emergency implementation on {day(approved_on)}, after {day(on)}: the case goes ahead on or after the approval.",
        )
    return None


def emergency_request_problem(
    offered: bool,
    signed_on: dt.date | None,
    deposit_on: dt.date | None,
    oed: dt.date | None,
    requested_on: dt.date,
    circumstances: str | None,
    pending_or_approved: bool,
) -> Finding | None:
    """SAMM C6.1.2: the implementing agency asks DSCA in writing, naming the case and the
    extenuating circumstances, for an LOA the purchaser has signed (before its OED) but whose
    initial deposit has not arrived; one request at a time."""
    if deposit_on is not None:
        return Finding(
            "SPEC-11-acceptance",
            f"the initial deposit arrived on {day(deposit_on)}: implement the case the usual way.",
        )
    if not offered:
        return Finding(
            "SPEC-11-acceptance",
            "emergency implementation is requested for an LOA offered to, and signed by, the purchaser.",
        )
    if signed_on is None:
        return Finding(
            "SPEC-11-acceptance",
            "give the date the purchaser signed the LOA: emergency implementation is only for a signed LOA.",
            field="signed_on",
        )
    if signed_on > requested_on:
        return Finding(
            "SPEC-11-acceptance",
            f"the signature ({day(signed_on)}) is after the request ({day(requested_on)}): the purchaser signs first. Check both dates.",
            field="signed_on",
        )
    if oed is not None and signed_on > oed:
        return Finding(
            "SPEC-11-acceptance",
            f"the signature is after the OED ({day(oed)}): the offer lapsed; reactivate and re-offer it.",
            field="signed_on",
        )
    if not (circumstances or "").strip():
        return Finding(
            "SPEC-11-acceptance",
            "describe the extenuating circumstances that make it urgent (e.g. a contract award deadline after which prices rise).",
            field="circumstances",
        )
    if pending_or_approved:
        return Finding(
            "SPEC-11-acceptance",
            "a request for this case is already waiting for, or has, DSCA's decision.",
        )
    return None


def emergency_decision_problem(
    name: str,
    status: str,
    decided_by: str | None,
    reference: str | None,
    decided_on: dt.date,
    requested_on: dt.date,
) -> Finding | None:
    """SAMM C6.1.2: DSCA's decision is written; the record names who decided, when, and the
    reference of the written decision."""
    problem = EMERGENCY.problem(name, status)
    if problem:
        return Finding("SPEC-11-acceptance", problem)
    if not (decided_by or "").strip():
        return Finding(
            "SPEC-11-acceptance",
            "name the DSCA official who decided (e.g. the Country Finance Director, Business Operations).",
            field="decided_by",
        )
    if not (reference or "").strip():
        return Finding(
            "SPEC-11-acceptance",
            "give the reference of DSCA's written decision (the e-mail or memorandum).",
            field="reference",
        )
    if decided_on < requested_on:
        return Finding(
            "SPEC-11-acceptance",
            f"the decision ({day(decided_on)}) is dated before the request ({day(requested_on)}). Check both dates.",
            field="decided_on",
        )
    return None


def deposit_problem(
    accepted: bool, deposit_on: dt.date | None, on: dt.date, signed_on: dt.date | None
) -> Finding | None:
    """§11 acceptance: the initial deposit of a case that went ahead on DSCA's emergency approval is
    recorded when it arrives (once, not before the signature)."""
    if not accepted:
        return Finding(
            "SPEC-11-acceptance",
            "record the initial deposit with the purchaser's acceptance (signature and deposit).",
        )
    if deposit_on is not None:
        return Finding(
            "SPEC-11-acceptance", f"the initial deposit was recorded on {day(deposit_on)}."
        )
    if signed_on is not None and on < signed_on:
        return Finding(
            "SPEC-11-acceptance",
            f"the deposit ({day(on)}) is dated before the purchaser's signature ({day(signed_on)}). Check both dates.",
            field="deposit_on",
        )
    return None


# --- AOD of amendments and modifications (SPEC §11 AOD; SAMM C5.4.2) ------------------------------

MEASURED_KINDS = (ChangeKind.AMENDMENT, ChangeKind.MODIFICATION)


def version_measured_on(
    kind: str, issued_on: dt.date | None, accepted_on: dt.date | None
) -> dt.date | None:
    """§11 AOD: an amendment is measured to its offer (issue to the purchaser), a modification to
    its implementation (it takes effect when issued); a restatement re-offers the LOA and is not a
    document of its own."""
    if kind == ChangeKind.AMENDMENT:
        return issued_on
    if kind == ChangeKind.MODIFICATION:
        return accepted_on or issued_on
    return None


def version_aod_problem(
    kind: str,
    request_complete_on: dt.date | None,
    issued_on: dt.date,
    aod: dt.date | None,
    delay_reason: str,
    codes: Iterable[str],
) -> Finding | None:
    """§11 AOD: an amendment or modification counts from the day its request was complete (not
    after its issue); one issued after its AOD carries a delay reason code from the list."""
    if request_complete_on is None:
        return None
    if kind not in MEASURED_KINDS:
        return Finding(
            "SPEC-11-AOD",
            "a restatement re-offers the LOA and is measured with it: give a request-complete date only for an amendment or a modification.",
            field="request_complete_on",
        )
    if request_complete_on > issued_on:
        return Finding(
            "SPEC-11-AOD",
            f"the request-complete date ({day(request_complete_on)}) is after the {kind}'s issue ({day(issued_on)}). Check both dates.",
            field="request_complete_on",
        )
    codes = sorted(codes)
    if code_problem := delay_reason_problem(delay_reason, codes):
        return code_problem
    if aod is not None and issued_on > aod and delay_reason not in codes:
        step = "offer" if kind == ChangeKind.AMENDMENT else "implementation"
        return Finding(
            "SPEC-11-AOD",
            f"the {kind}'s {step} on {day(issued_on)} is after its AOD ({day(aod)}): choose the delay reason code ({', '.join(codes) or 'an administrator adds the code list'}).",
            field="delay_reason",
        )
    return None


# === closure: SSC conditions, interim and final closure, line closure, CLOSHOLD ==================
# Issue 13 item 6, SPEC §11 "closure" (DSCA 13-32, 25-89, 25-97, 25-100, 26-32; SAMM C16 and the
# Case Reconciliation and Closure Guide, SAMM Appendix 7). Every figure arrives as an argument.

CLOSING = (Status.INTERIM, Status.CLOSED)


@dataclass(frozen=True)
class SscFacts:
    """What the implementing agency checks before posting the SSC milestone (§11 closure)."""

    open_deliveries: int
    untitled_deliveries: int
    services_complete_on: dt.date | None
    warranties_end_on: dt.date | None
    storage_quantity: int | None


def ssc_unmet(f: SscFacts, on: dt.date) -> list[str]:
    """The SSC conditions not met on `on`, in plain words (empty when the case may be SSC)."""
    unmet = []
    if f.open_deliveries:
        unmet.append(f"{f.open_deliveries} delivery(ies) not yet made")
    if f.untitled_deliveries:
        unmet.append(f"title has not passed on {f.untitled_deliveries} delivery(ies)")
    if f.services_complete_on is None:
        unmet.append("the day the last service was performed is not recorded")
    elif f.services_complete_on > on:
        unmet.append(f"services run until {day(f.services_complete_on)}")
    if f.warranties_end_on is not None and f.warranties_end_on > on:
        unmet.append(f"a warranty runs until {day(f.warranties_end_on)}")
    if f.storage_quantity is None:
        unmet.append("the number of items held in storage is not recorded (0 if none)")
    elif f.storage_quantity > 0:
        unmet.append(f"{f.storage_quantity} item(s) still held in storage for the purchaser")
    return unmet


def ssc_conditions_problem(f: SscFacts, on: dt.date) -> Finding | None:
    """§11 closure: SSC when every item is delivered with title passed, services are done,
    warranties have elapsed and nothing is in storage; the refusal names every unmet condition."""
    unmet = ssc_unmet(f, on)
    if unmet:
        return Finding(
            "SPEC-11-closure",
            "the case is not supply/services complete: " + "; ".join(unmet) + ".",
            fix="Record what is missing, then post SSC.",
        )
    return None


def closure_day_problem(
    step: str, on: dt.date, closure_due: dt.date | None, months: int
) -> Finding | None:
    """§11 (accelerated closure): a case closes `months` after the SSC milestone is posted — at
    once if final delivery was more than `months` before (rules.closure_due)."""
    if closure_due is None:
        return Finding("SPEC-11-closure", f"{step} follows supply/services complete (SSC).")
    if on < closure_due:
        return Finding(
            "SPEC-11-closure",
            f"{step} comes {months} months after the SSC milestone is posted: not before {day(closure_due)}.",
            field="on",
        )
    return None


def final_closure_problem(open_lines: Sequence[str]) -> Finding | None:
    """DSCA 26-32: every line is closed before the case closes finally — a line whose contracts
    are still active closes conditionally."""
    if open_lines:
        return Finding(
            "SPEC-11-closure",
            f"line(s) {', '.join(open_lines)} not closed: close each line first (conditionally, naming its contracts, if a contract is still active).",
        )
    return None


def line_closure_problem(
    case_status: str,
    already_closed: bool,
    open_deliveries: int,
    conditional: bool,
    active_contracts: str,
) -> Finding | None:
    """A line closes once the case is SSC and the line is delivered; a line with active contracts
    closes only conditionally, naming them (DSCA 26-32)."""
    if case_status not in (Status.SSC, Status.INTERIM):
        return Finding(
            "SPEC-11-closure",
            "lines close once the case is supply/services complete and before its final closure.",
        )
    if already_closed:
        return Finding("SPEC-11-closure", "this line is already closed.")
    if open_deliveries:
        return Finding(
            "SPEC-11-closure",
            f"{open_deliveries} delivery(ies) of this line are not complete with title passed.",
        )
    if conditional and not active_contracts.strip():
        return Finding(
            "SPEC-11-closure",
            "a conditional closure names the line's active contracts.",
            field="active_contracts",
        )
    if not conditional and active_contracts.strip():
        return Finding(
            "SPEC-11-closure",
            "a line with active contracts closes conditionally.",
            field="active_contracts",
        )
    return None


def contracts_closed_problem(conditional: bool, closed_on: dt.date | None) -> Finding | None:
    if not conditional:
        return Finding("SPEC-11-closure", "this line closed without active contracts.")
    if closed_on is not None:
        return Finding("SPEC-11-closure", f"its contracts were closed out on {day(closed_on)}.")
    return None


def closure_change_problem(kind: str, status: str, closhold: bool) -> Finding | None:
    """DSCA 25-89: the CLOSHOLD milestone blocks new amendments, modifications and revisions of an
    SSC case; without the hold an SSC case still takes a modification (e.g. to draw down excess
    funds, RCG A7.C3.9), and a closed case takes nothing."""
    if closhold:
        return Finding(
            "SPEC-11-closure",
            "the case is on closure hold (CLOSHOLD): no new amendments, modifications or restatements while the hold stands.",
            field="kind",
        )
    if status in CLOSING:
        return Finding(
            "SPEC-11-closure",
            "the case is closed: no new amendments, modifications or restatements.",
            field="kind",
        )
    if status == Status.SSC and kind != ChangeKind.MODIFICATION:
        return Finding(
            "SPEC-11-closure",
            "the case is supply/services complete: it takes only a modification (no change of scope) until it closes.",
            field="kind",
        )
    return None


def closhold_set_problem(status: str, on_hold: bool, reason: str | None) -> Finding | None:
    """DSCA 25-89: DSCA places SSC cases (and cases in final reconciliation) on CLOSHOLD."""
    if status not in (Status.SSC, Status.INTERIM):
        return Finding(
            "SPEC-11-closure",
            "CLOSHOLD applies to a supply/services complete case awaiting final closure.",
        )
    if on_hold:
        return Finding("SPEC-11-closure", "the case is already on closure hold (CLOSHOLD).")
    if not (reason or "").strip():
        return Finding("SPEC-11-closure", "give the reason for the closure hold.", field="reason")
    return None


def closhold_lift_problem(on_hold: bool, reason: str | None) -> Finding | None:
    if not on_hold:
        return Finding("SPEC-11-closure", "the case is not on closure hold (CLOSHOLD).")
    if not (reason or "").strip():
        return Finding("SPEC-11-closure", "give the reason for lifting the hold.", field="reason")
    return None


def certificate_problem(status: str) -> Finding | None:
    """The case closure certificate (RCG A7.C4.6) is issued at interim or final closure."""
    if status not in CLOSING:
        return Finding(
            "SPEC-11-closure",
            "the closure certificate is issued once the case is closed (interim or final).",
        )
    return None


# === billing: the quarterly DD Form 645 and its reconciliation ====================================
# Issue 13 item 7, SPEC §5 ("DD Form 645 is the quarterly FMS billing statement"), SAMM C9.10: the
# statement is prepared as of 31 December, 31 March, 30 June and 30 September; the amount billed is
# the payment schedule's or the quarterly forecast's, whichever is greater (here: the costs accrued).


def is_quarter_end(d: dt.date) -> bool:
    return (d.month, d.day) in ((3, 31), (6, 30), (9, 30), (12, 31))


def quarter_start(period_end: dt.date) -> dt.date:
    return add_months(period_end.replace(day=1), -2)


def payment_due(period_end: dt.date, months: int, due_day: int) -> dt.date:
    """SAMM Table C9.T16: payment is due on `due_day` of the month `months` after the period ends
    (period ended 31 December → due 15 March)."""
    first = add_months(period_end.replace(day=1), months)
    return first.replace(day=min(due_day, calendar.monthrange(first.year, first.month)[1]))


def statement_period_problem(
    period_end: dt.date | None,
    implemented_on: dt.date | None,
    issued_on: dt.date,
    already_issued: bool,
) -> Finding | None:
    if period_end is None or not is_quarter_end(period_end):
        return Finding(
            "SPEC-5-DD645",
            "a DD Form 645 covers a quarter: give its last day (31 Dec, 31 Mar, 30 Jun or 30 Sep).",
            field="period_end",
        )
    if implemented_on is None or period_end < implemented_on:
        return Finding(
            "SPEC-5-DD645",
            "the case is billed from the quarter it was implemented in.",
            field="period_end",
        )
    if period_end > issued_on:
        return Finding(
            "SPEC-5-DD645",
            f"the quarter ends on {day(period_end)}: issue its statement after that day.",
            field="period_end",
        )
    if already_issued:
        return Finding(
            "SPEC-5-DD645",
            f"the statement for the quarter ended {day(period_end)} was already issued.",
            field="period_end",
        )
    return None


@dataclass(frozen=True)
class LineMoney:
    number: str
    item: str
    value: Decimal
    obligated: Decimal = Decimal("0")
    expended: Decimal = Decimal("0")
    expended_in_period: Decimal = Decimal("0")


@dataclass(frozen=True)
class Statement:
    period_start: dt.date
    period_end: dt.date
    payment_due_on: dt.date
    case_value: Decimal
    scheduled_to_date: Decimal  # payments scheduled on or before the period's end
    scheduled_to_due: Decimal  # … on or before the payment due date
    collected_to_date: Decimal
    collected_in_period: Decimal
    expended_to_date: Decimal
    expended_in_period: Decimal
    obligated_to_date: Decimal
    amount_due: Decimal
    lines: tuple[LineMoney, ...]

    def as_dict(self) -> dict:
        return {
            k: (str(v) if isinstance(v, Decimal) else v.isoformat())
            for k, v in self.__dict__.items()
            if k != "lines"
        }


def dd645(
    period_end: dt.date,
    due_on: dt.date,
    lines: Sequence[tuple[str, str, Decimal]],
    schedule: Iterable[tuple[dt.date, Decimal]],
    collections: Iterable[tuple[dt.date, Decimal]],
    costs: Iterable[tuple[str | None, dt.date, Decimal, Decimal]],
) -> Statement:
    """The quarter's statement from plain rows: lines (number, item, value), the payment schedule
    (due, amount), collections (received, amount) and costs (line number, dated, obligated,
    expended). Only what is dated on or before the period's end counts; the amount due is the
    greater of the schedule through the payment due date and the costs accrued, less what was
    collected (never below zero). Money stays Decimal."""
    zero = Decimal("0")
    start = quarter_start(period_end)
    schedule, collections, costs = list(schedule), list(collections), list(costs)
    per_line = {n: [zero, zero, zero] for n, _, _ in lines}
    for number, on, obligated, expended in costs:
        if on > period_end or number not in per_line:
            continue
        per_line[number][0] += obligated
        per_line[number][1] += expended
        if on >= start:
            per_line[number][2] += expended
    money = tuple(LineMoney(n, item, value, *per_line[n]) for n, item, value in sorted(lines))
    unassigned = [c for c in costs if c[0] not in per_line and c[1] <= period_end]
    expended = sum((m.expended for m in money), zero) + sum((c[3] for c in unassigned), zero)
    expended_q = sum((m.expended_in_period for m in money), zero) + sum(
        (c[3] for c in unassigned if c[1] >= start), zero
    )
    obligated = sum((m.obligated for m in money), zero) + sum((c[2] for c in unassigned), zero)
    collected = sum((a for on, a in collections if on <= period_end), zero)
    collected_q = sum((a for on, a in collections if start <= on <= period_end), zero)
    scheduled = sum((a for on, a in schedule if on <= period_end), zero)
    scheduled_due = sum((a for on, a in schedule if on <= due_on), zero)
    return Statement(
        period_start=start,
        period_end=period_end,
        payment_due_on=due_on,
        case_value=sum((m.value for m in money), zero),
        scheduled_to_date=scheduled,
        scheduled_to_due=scheduled_due,
        collected_to_date=collected,
        collected_in_period=collected_q,
        expended_to_date=expended,
        expended_in_period=expended_q,
        obligated_to_date=obligated,
        amount_due=max(zero, max(scheduled_due, expended) - collected),
        lines=money,
    )


@dataclass(frozen=True)
class Difference:
    """One reconciliation difference: what, the amount (signed), whether it needs action."""

    kind: str
    label: str
    amount: Decimal
    attention: bool

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "amount": str(self.amount),
            "attention": self.attention,
        }


def reconcile(s: Statement) -> list[Difference]:
    """The differences a case manager reconciles (SAMM C16.2; RCG A7.C3.5): collections against
    the payment schedule, collections against the costs accrued, costs against each line's value,
    and the obligations not yet expended (unliquidated) per line. Equal figures list nothing."""
    out: list[Difference] = []
    gap = s.collected_to_date - s.scheduled_to_date
    if gap:
        out.append(
            Difference(
                "collections-schedule",
                "Collections above the payment schedule"
                if gap > 0
                else "Collections below the payment schedule (in arrears)",
                gap,
                gap < 0,
            )
        )
    cover = s.collected_to_date - s.expended_to_date
    if cover:
        out.append(
            Difference(
                "collections-costs",
                "Collections ahead of costs accrued (cash in advance)"
                if cover > 0
                else "Costs accrued exceed collections",
                cover,
                cover < 0,
            )
        )
    for m in s.lines:
        if m.expended > m.value:
            out.append(
                Difference(
                    "line-over-value",
                    f"Line {m.number}: costs exceed the line's value",
                    m.value - m.expended,
                    True,
                )
            )
        ulo = m.obligated - m.expended
        if ulo > 0:
            out.append(
                Difference(
                    "line-unliquidated",
                    f"Line {m.number}: obligated, not yet expended (unliquidated)",
                    ulo,
                    False,
                )
            )
        if m.expended > m.obligated:
            out.append(
                Difference(
                    "line-unobligated-costs",
                    f"Line {m.number}: costs without an obligation",
                    m.obligated - m.expended,
                    True,
                )
            )
    return out


# === Excess Defense Articles and DCS license requests (issue 13 item 11; EO 14268) ===============
# dcseda. Thresholds, notice periods and the DDTC review goal arrive as arguments (facts.py reads
# them from dated ReferenceFact rows); nothing here is a figure from guidance.

EDA_STATES = {
    "proposed": "Proposed",
    "offered": "Offered",
    "accepted": "Accepted",
    "declined": "Declined",
    "transferred": "Transferred",
    "withdrawn": "Withdrawn",
}
# The EDA offer (SAMM C11.3): offered "as is, where is", accepted or declined by the recipient,
# then transferred — not before the congressional notification period ends (SPEC §11 EDA row).
EDA = Lifecycle(
    "EDA offer",
    EDA_STATES,
    {
        "offer": (("proposed",), "offered", "Offer to the recipient"),
        "accept": (("offered",), "accepted", "Record acceptance"),
        "decline": (("offered",), "declined", "Record that the recipient declined"),
        "transfer": (("accepted",), "transferred", "Record the transfer"),
        "withdraw": (("proposed", "offered", "accepted"), "withdrawn", "Withdraw the offer"),
    },
    # The owner takes every step but the recipient's answer.
    action="secoop.cases.actions.eda_step",
    actions=dict.fromkeys(("accept", "decline"), "secoop.cases.actions.eda_recipient_step"),
)
EDA_DATE_OF = {
    "offer": "offered_on",
    "accept": "accepted_on",
    "decline": "closed_on",
    "transfer": "transferred_on",
    "withdraw": "closed_on",
}
EDA_SHARED_FROM = ("offer",)  # the recipient sees the offer from the day it is made

DCS_STATES = {
    "draft": "Being prepared",
    "submitted": "Submitted to DDTC",
    "in_review": "In DDTC review",
    "approved": "Approved",
    "denied": "Denied",
    "rwa": "Returned without action",
    "withdrawn": "Withdrawn",
}
DCS_DECISIONS = ("approve", "deny", "return")  # DDTC's decisions
# A DCS license request (22 CFR 123–126): the company submits it to DDTC; DDTC receives it,
# reviews it (with the congressional certification of AECA §36(c)/(d) where one applies), and
# approves (with or without provisos), denies or returns it without action.
DCS = Lifecycle(
    "DCS license request",
    DCS_STATES,
    {
        "submit": (("draft",), "submitted", "Record submission to DDTC"),
        "receive": (("submitted",), "in_review", "Record DDTC receipt"),
        "approve": (("in_review",), "approved", "Record approval"),
        "deny": (("in_review",), "denied", "Record denial"),
        "return": (("submitted", "in_review"), "rwa", "Record return without action"),
        "withdraw": (("draft", "submitted", "in_review"), "withdrawn", "Withdraw"),
    },
    action="secoop.cases.actions.dcs_step",
    actions=dict.fromkeys(DCS_DECISIONS, "secoop.cases.actions.dcs_decide"),
)
DCS_DECIDED = ("approved", "denied", "rwa")
DCS_EDITABLE = ("draft",)
# Agreements (22 CFR 124) are the authorizations AECA §36(d) reaches.
DCS_AGREEMENTS = ("taa", "mla")


def lifecycle_problem(lifecycle: Lifecycle, rule: str, name: str, status: str) -> Finding | None:
    message = lifecycle.problem(name, status)
    return Finding(rule, message) if message else None


# --- EDA (FAA §516, AECA; SAMM C11) ------------------------------------------------------------


def eda_notification(original_acquisition_value: Decimal, threshold_usd: Decimal, days: int):
    """SPEC §11 EDA row, FAA §516(f): a transfer of EDA — grant or sale, under §516 or the AECA —
    whose original acquisition value reaches the threshold waits `days` after Congress is notified."""
    if original_acquisition_value >= threshold_usd:
        return Notification(
            required=True,
            reasons=(
                f"original acquisition value {usd(original_acquisition_value)} ≥ {usd(threshold_usd)}",
            ),
            days=days,
            nato_plus_5=False,
            informal_review_days=0,
        )
    return Notification(False, (), 0, False, 0)


def eda_offer_problem(
    authority: str, terms: str, original: Decimal | None, current: Decimal | None, as_is: bool
) -> Finding | None:
    """SAMM C11.3: the AECA transfers EDA by sale only (grants are FAA §516); the current value
    is what the articles are worth now, never more than the U.S. paid; EDA go "as is, where is"."""
    if authority == "aeca" and terms == "grant":
        return Finding(
            "R-EDA-01",
            "the AECA sells excess defense articles; a grant is made under FAA §516. Choose FAA §516 or a sale.",
            field="terms",
        )
    if original is not None and current is not None and current > original:
        return Finding(
            "R-EDA-01",
            f"the current value ({usd(current)}) cannot exceed the original acquisition value ({usd(original)}): check both figures.",
            field="current_value",
        )
    if not as_is:
        return Finding(
            "R-EDA-01",
            'excess defense articles are offered "as is, where is": the recipient pays refurbishment and transport. Keep the term.',
            field="as_is_where_is",
        )
    return None


def statutory_wait_problem(
    rule: str, n: Notification, notified_on: dt.date | None, on: dt.date, what: str, field: str
) -> Finding | None:
    """A congressional notification gate (like 36(b), decision 0022): notified on D, the period
    runs D+1 … D+days; `what` may happen on D + days + 1, named in the refusal."""
    if not n.required:
        return None
    if notified_on is None:
        return Finding(
            rule,
            f"this needs congressional notification ({'; '.join(n.reasons)}): record the notification to Congress; the {what} may happen {n.days} days after it.",
            field="notified_on",
        )
    allowed = offer_allowed_from(notified_on, n.days)
    if on < allowed:
        return Finding(
            rule,
            f"Congress was notified on {day(notified_on)}: the {n.days}-day period runs until {day(allowed - dt.timedelta(days=1))}. The {what} may happen on {day(allowed)}.",
            field=field,
        )
    return None


def notification_entry_problem(
    rule: str,
    n: Notification,
    on: dt.date,
    earliest: dt.date | None,
    out_of_window: bool,
    window: str,
) -> Finding | None:
    """A notification is recorded only where one is needed, in the window it belongs to (`window`:
    "while the request is with DDTC"), and not before the step it follows (`earliest`)."""
    if not n.required:
        return Finding(rule, "this does not reach a notification threshold: nothing to record.")
    if out_of_window:
        return Finding(rule, f"the notification is recorded {window}.")
    if earliest is not None and on < earliest:
        return Finding(
            rule,
            f"the notification ({day(on)}) cannot come before {day(earliest)}.",
            field="notified_on",
        )
    return None


def eda_date_problem(step: str, on: dt.date, previous: dt.date | None) -> Finding | None:
    """The steps of an EDA offer follow each other in time."""
    if previous is not None and on < previous:
        return Finding(
            "R-EDA-01",
            f"“{EDA[step].label}” on {day(on)} cannot come before the previous step ({day(previous)}).",
            field=EDA_DATE_OF[step],
        )
    return None


# --- DCS license requests (AECA §36(c)/(d), §38; 22 CFR 123–126) -------------------------------


@dataclass(frozen=True)
class DcsThresholds:
    mde_usd: Decimal
    total_usd: Decimal
    days: int


def dcs_notification(
    license_type: str,
    value: Decimal,
    mde_value: Decimal,
    firearms_category_i: bool,
    manufacture_abroad_sme: bool,
    nato_plus_5: bool,
    standard: DcsThresholds,
    nato5: DcsThresholds,
    firearms_usd: Decimal,
) -> Notification:
    """AECA §36(c) (22 CFR 123.15) for a license, §36(d) (22 CFR 124.11) for an agreement: the
    thresholds this request meets, and the period before DDTC may approve it (NATO+5 variant)."""
    t = nato5 if nato_plus_5 else standard
    reasons = []
    if mde_value >= t.mde_usd:
        reasons.append(f"MDE {usd(mde_value)} ≥ {usd(t.mde_usd)}")
    if value >= t.total_usd:
        reasons.append(f"articles/services {usd(value)} ≥ {usd(t.total_usd)}")
    if firearms_category_i and value >= firearms_usd:
        reasons.append(f"USML Category I firearms {usd(value)} ≥ {usd(firearms_usd)}")
    if manufacture_abroad_sme and license_type in DCS_AGREEMENTS:
        reasons.append("manufacture abroad of significant military equipment (§36(d))")
    required = bool(reasons)
    return Notification(required, tuple(reasons), t.days if required else 0, nato_plus_5, 0)


def dcs_request_problem(
    license_type: str,
    value: Decimal | None,
    mde_value: Decimal | None,
    manufacture_abroad_sme: bool,
    linked: bool,
    relation: str,
    company_is_company: bool,
) -> Finding | None:
    """What a DCS license request must say to be tracked (EO 14268; 22 CFR 123–124)."""
    if not company_is_company:
        return Finding(
            "R-DCS-01",
            "the applicant must be a company (an organization of kind Company).",
            field="company",
        )
    if value is not None and mde_value is not None and mde_value > value:
        return Finding(
            "R-DCS-01",
            f"the MDE part ({usd(mde_value)}) cannot exceed the whole value ({usd(value)}).",
            field="mde_value",
        )
    if manufacture_abroad_sme and license_type not in DCS_AGREEMENTS:
        return Finding(
            "R-DCS-01",
            "manufacture abroad is licensed by an agreement: choose a TAA or an MLA, or clear the box.",
            field="manufacture_abroad_sme",
        )
    if linked and not relation:
        return Finding(
            "R-DCS-01",
            "say whether the license competes with or complements the FMS case or LOR.",
            field="relation",
        )
    if relation and not linked:
        return Finding(
            "R-DCS-01",
            "choose the FMS case or LOR the license competes with or complements.",
            field="fms_case",
        )
    return None


def dcs_decision_problem(name: str, note: str | None, provisos: str | None) -> Finding | None:
    """A denial or a return without action carries DDTC's reason; provisos belong to an approval."""
    if name in ("deny", "return") and not (note or "").strip():
        return Finding(
            "R-DCS-01",
            "a denial or a return without action records the reason DDTC gave.",
            field="decision_note",
        )
    if name != "approve" and (provisos or "").strip():
        return Finding(
            "R-DCS-01", "provisos are conditions of an approval: clear them.", field="provisos"
        )
    return None


def dcs_date_problem(
    step: str, on: dt.date, submitted_on: dt.date | None, received_on: dt.date | None
) -> Finding | None:
    """DDTC receives what was submitted, and decides what it received."""
    earlier = received_on if step in DCS_DECISIONS and received_on else submitted_on
    if step != "submit" and earlier is not None and on < earlier:
        return Finding(
            "R-DCS-01",
            f"“{DCS[step].label}” on {day(on)} cannot come before {day(earlier)}.",
            field="decided_on" if step in DCS_DECISIONS else "received_on",
        )
    return None


def dcs_days_in_review(
    start: dt.date | None, decided_on: dt.date | None, today: dt.date
) -> int | None:
    """R-DCS-03: days from DDTC's receipt (the submission where no receipt is recorded) to the
    decision, or to today while the request is open."""
    if start is None:
        return None
    return ((decided_on or today) - start).days


def dcs_late(days: int | None, goal_days: int | None, exempt: bool) -> bool | None:
    """R-DCS-03: past the review goal; None where no goal applies (no goal on record, or a
    notification case, which the goal's published exceptions exclude)."""
    if days is None or goal_days is None or exempt:
        return None
    return days > goal_days


@dataclass(frozen=True)
class DcsReviewSummary:
    decided: int
    open: int
    median_days: int | None
    within_goal: int
    past_goal: int
    exempt: int


@dataclass(frozen=True)
class DcsReviewRow:
    """One request in the R-DCS-03 figures: DDTC's receipt (or the submission), its decision,
    whether it is a notification case (an exception to the goal), the goal in force at receipt."""

    start: dt.date | None
    decided_on: dt.date | None
    exempt: bool
    goal_days: int | None


def dcs_review_summary(rows: Iterable[DcsReviewRow]) -> DcsReviewSummary:
    """R-DCS-03 over a list of requests (decided or with DDTC; withdrawn ones are left out by the
    caller): the decided ones' median days from DDTC's receipt to decision, and how many met the
    goal in force at their receipt; a notification case is one of the goal's exceptions."""
    return dcs_review_counted(
        (None if r.decided_on is None else (r.decided_on - r.start).days, r.exempt, r.goal_days, 1)
        for r in rows
        if r.start is not None
    )


def dcs_review_counted(
    groups: Iterable[tuple[int | None, bool, int | None, int]],
) -> DcsReviewSummary:
    """dcs_review_summary over requests counted by (days to decision or None while open,
    notification case, goal in force, how many): the list counts them in SQL (issue 15 item 4)."""
    open_, within, past, exempt = 0, 0, 0, 0
    by_days: dict[int, int] = {}
    for days, notification_case, goal_days, n in groups:
        if days is None:
            open_ += n
            continue
        by_days[days] = by_days.get(days, 0) + n
        late = dcs_late(days, goal_days, notification_case)
        if notification_case:
            exempt += n
        elif late is True:
            past += n
        elif late is False:
            within += n
    n = sum(by_days.values())
    median = None
    if n:
        ordered = sorted(by_days.items())

        def nth(i: int) -> int:  # the i-th (0-based) decided request's days, in order
            seen = 0
            for days, count in ordered:
                seen += count
                if i < seen:
                    return days
            raise IndexError(i)

        mid = n // 2
        median = nth(mid) if n % 2 else (nth(mid - 1) + nth(mid)) // 2
    return DcsReviewSummary(n, open_, median, within, past, exempt)
