"""Training rules (SPEC §7, R-TRN-01..13) as pure functions: no database, no settings, no clock.

Day counts, windows and retention periods come in as arguments: the callers read them from dated
ReferenceFact rows (see training/facts.py), never from literals here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from django.db.models import TextChoices

from secoop.core import formats
from secoop.core.fiscal import fiscal_year
from secoop.core.fiscal import fy_end
from secoop.core.fiscal import fy_label
from secoop.core.fiscal import fy_start
from secoop.core.lifecycle import Lifecycle
from secoop.core.markings import Classification
from secoop.core.markings import Dissemination
from secoop.core.markings import Marking
from secoop.core.rules import add_months
from secoop.core.rules import add_years
from secoop.core.verdicts import Finding

__all__ = ["Finding", "fiscal_year", "fy_end", "fy_label", "fy_start"]


class Program:
    """Funding programs (R-TRN-03)."""

    IMET = "imet"
    EIMET = "eimet"
    RDFP = "rdfp"
    FMS = "fms"
    OTHER = "other"
    CHOICES = [
        (IMET, "IMET"),
        (EIMET, "E-IMET"),
        (RDFP, "Regional Defense Fellowship Program"),
        (FMS, "FMS training"),
        (OTHER, "Other"),
    ]
    LABELS = dict(CHOICES)
    # U.S.-funded programs: human-rights vetting applies (R-TRN-06). FMS training depends on who
    # pays for it: see vetting_need.
    US_FUNDED = frozenset({IMET, EIMET, RDFP, OTHER})


class Funding:
    """Who pays for FMS training (R-TRN-06): the line's or the case's funding source."""

    FMF = "fmf"
    US_OTHER = "us_other"
    NATIONAL = "national"
    CHOICES = [
        (FMF, "Foreign Military Financing (FMF)"),
        (US_OTHER, "Other U.S. appropriations"),
        (NATIONAL, "Purchaser's national funds"),
    ]
    LABELS = dict(CHOICES)


def fmt(day: dt.date | None) -> str:
    """'3 Dec 2026', as every page and export writes a day (core.formats); '—' for none."""
    return formats.day(day)


# --- R-TRN-01 / R-TRN-02: plans, CETPP lines ----------------------------------------------------

PLAN_MIN_YEARS = 4  # prior/assessment, current, budget and planning year (SAMM C2.1.6.2)
PLAN_YEAR_ROLES = ("Prior / assessment year", "Current year", "Budget year", "Planning year")


def plan_period_problem(first_fy: int | None, last_fy: int | None) -> Finding | None:
    if first_fy is None or last_fy is None:
        return Finding("R-TRN-01", "the plan needs a first and a last fiscal year.", "Enter both.")
    if last_fy < first_fy:
        return Finding(
            "R-TRN-01",
            f"the plan ends (FY{last_fy}) before it starts (FY{first_fy}).",
            "Swap the years.",
        )
    years = last_fy - first_fy + 1
    if years < PLAN_MIN_YEARS:
        return Finding(
            "R-TRN-01",
            f"a training plan covers at least {PLAN_MIN_YEARS} fiscal years (prior/assessment, current, budget and "
            f"planning year); FY{first_fy}–FY{last_fy} is {years}.",
            f"Make the last fiscal year FY{first_fy + PLAN_MIN_YEARS - 1} or later.",
        )
    return None


def year_role(fy: int, cetpp_fy: int) -> str:
    """The role of a plan year seen from the CETPP's current year."""
    offset = fy - cetpp_fy + 1
    if 0 <= offset < len(PLAN_YEAR_ROLES):
        return PLAN_YEAR_ROLES[offset]
    return "Out-year" if offset > 0 else "Past year"


def line_year_problem(fy: int, first_fy: int, last_fy: int) -> Finding | None:
    if not first_fy <= fy <= last_fy:
        return Finding(
            "R-TRN-02",
            f"FY{fy} is outside the plan's years FY{first_fy}–FY{last_fy}.",
            f"Choose a fiscal year from FY{first_fy} to FY{last_fy}, or extend the plan first.",
        )
    return None


def cetpp_year_problem(cetpp_fy: int, first_fy: int, last_fy: int) -> Finding | None:
    """The CETPP plans its budget and planning years (the next two), which the plan must hold."""
    if not (first_fy <= cetpp_fy and cetpp_fy + 2 <= last_fy):
        return Finding(
            "R-TRN-02",
            f"a CETPP for FY{cetpp_fy} plans the budget and planning years FY{cetpp_fy + 1}–FY{cetpp_fy + 2}, which must lie "
            f"inside the plan's FY{first_fy}–FY{last_fy}.",
            "Choose another current year or extend the plan.",
        )
    return None


# --- R-TRN-03: programs and money -----------------------------------------------------------------


def includes_tla(program: str, include_tla: bool | None) -> bool:
    """FMS training does not normally include travel and living allowance (R-TRN-03)."""
    if include_tla is None:
        return program != Program.FMS
    return include_tla


def line_cost(
    program: str, seats: int, tuition: Decimal, travel_living: Decimal, include_tla: bool | None
) -> Decimal:
    per_seat = Decimal(tuition) + (
        Decimal(travel_living) if includes_tla(program, include_tla) else Decimal("0")
    )
    return (per_seat * seats).quantize(Decimal("0.01"))


def budget_program(program: str) -> str:
    """E-IMET is a part of the IMET allocation (R-TRN-03)."""
    return Program.IMET if program == Program.EIMET else program


@dataclass(frozen=True)
class BudgetRow:
    program: str
    fiscal_year: int
    planned: Decimal
    allocated: Decimal | None
    eimet: Decimal = Decimal("0")

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.planned

    @property
    def over(self) -> bool:
        return self.allocated is not None and self.planned > self.allocated

    @property
    def label(self) -> str:
        return Program.LABELS.get(self.program, self.program)


def budget(
    lines: Iterable[tuple[str, int, Decimal]], allocations: Iterable[tuple[str, int, Decimal]]
) -> list[BudgetRow]:
    """Planned cost vs allocation per program and fiscal year; E-IMET lines count against IMET."""
    planned: dict[tuple[str, int], Decimal] = {}
    eimet: dict[tuple[str, int], Decimal] = {}
    for program, fy, cost in lines:
        key = (budget_program(program), fy)
        planned[key] = planned.get(key, Decimal("0")) + Decimal(cost)
        if program == Program.EIMET:
            eimet[key] = eimet.get(key, Decimal("0")) + Decimal(cost)
    allocated: dict[tuple[str, int], Decimal] = {}
    for program, fy, amount in allocations:
        key = (budget_program(program), fy)
        allocated[key] = allocated.get(key, Decimal("0")) + Decimal(amount)
    keys = sorted(
        set(planned) | set(allocated),
        key=lambda k: (k[1], [p for p, _ in Program.CHOICES].index(k[0])),
    )
    return [
        BudgetRow(
            p,
            fy,
            planned.get((p, fy), Decimal("0")),
            allocated.get((p, fy)),
            eimet.get((p, fy), Decimal("0")),
        )
        for p, fy in keys
    ]


def budget_findings(rows: Sequence[BudgetRow]) -> list[Finding]:
    return [
        Finding(
            "R-TRN-03",
            f"{r.label} FY{r.fiscal_year}: planned {formats.usd(r.planned)} exceeds the allocation of {formats.usd(r.allocated)}.",
            "Cut or move lines, or record a larger allocation (e.g. after end-of-year reallocation).",
        )
        for r in rows
        if r.over
    ]


def eimet_recertification_due(certified_on: dt.date | None, years: int) -> dt.date | None:
    return add_years(certified_on, years) if certified_on else None


def eimet_problem(
    program: str, certified_on: dt.date | None, on: dt.date, years: int
) -> Finding | None:
    if program != Program.EIMET:
        return None
    if certified_on is None:
        return Finding(
            "R-TRN-03",
            "E-IMET funds only courses certified as E-IMET.",
            "Fund it under IMET, or choose a certified course.",
        )
    due = eimet_recertification_due(certified_on, years)
    if due is not None and on > due:
        return Finding(
            "R-TRN-03",
            f"the course's E-IMET certification lapsed on {fmt(due)} (recertified every {years} years).",
            "Have the course recertified, or fund it under IMET.",
        )
    return None


def rdfp_findings(
    program: str, forwarded_on: dt.date | None, approved_on: dt.date | None
) -> list[Finding]:
    """R-TRN-03: Regional Defense Fellowship nominations go via the CCMD to OSD/SOLIC."""
    if program != Program.RDFP:
        return []
    if forwarded_on is None:
        return [
            Finding(
                "R-TRN-03",
                "the RDFP nomination has not been forwarded by the CCMD to OSD/SOLIC.",
                "Ask the CCMD to endorse and forward the nomination.",
            )
        ]
    if approved_on is None:
        return [
            Finding(
                "R-TRN-03",
                f"OSD/SOLIC has not approved the RDFP nomination forwarded on {fmt(forwarded_on)}.",
                "Record OSD/SOLIC's approval when it arrives.",
            )
        ]
    return []


def fms_case_advisory(program: str, has_case: bool) -> Finding | None:
    if program == Program.FMS and not has_case:
        return Finding(
            "R-TRN-03",
            "an FMS training line names no case; a blanket order training case is preferred.",
            "Choose the case.",
        )
    return None


# Which cases carry FMS training (R-TRN-03): a blanket order case, or a services-only case (training
# is a defense service). A defined-order materiel case is not a training case.
TRAINING_CASE_LOA_TYPES = ("blanket",)
TRAINING_CASE_CATEGORIES = ("services",)


def fms_case_problem(
    program: str,
    loa_type: str | None,
    category: str | None,
    case_country: str | None,
    line_country: str,
    identifier: str = "",
) -> Finding | None:
    """R-TRN-03: the case an FMS training line names. `loa_type` is None when no case is named."""
    if loa_type is None:
        return None
    if program != Program.FMS:
        return Finding(
            "R-TRN-03",
            f"only an FMS training line names an FMS case; this line is {Program.LABELS.get(program, program)}.",
            "Remove the case, or make the line FMS training.",
        )
    if case_country != line_country:
        return Finding(
            "R-TRN-03",
            f"case {identifier} is another purchaser's ({case_country}), not {line_country}'s.",
            "Choose one of this partner's cases.",
        )
    if loa_type not in TRAINING_CASE_LOA_TYPES and category not in TRAINING_CASE_CATEGORIES:
        return Finding(
            "R-TRN-03",
            f"case {identifier} is neither a blanket order case nor a services (training) case.",
            "Choose the partner's blanket order training case, or a training case.",
        )
    return None


def priority_problem(program: str, code: str | None, active: bool = True) -> Finding | None:
    """R-TRN-03: IMET priority codes belong to IMET and E-IMET lines, and only codes in use."""
    if code is None:
        return None
    if program not in (Program.IMET, Program.EIMET):
        return Finding(
            "R-TRN-03",
            f"priority {code} is an IMET priority code; this line is {Program.LABELS.get(program, program)}.",
            "Leave the priority empty.",
        )
    if not active:
        return Finding(
            "R-TRN-03", f"priority code {code} is no longer in use.", "Choose a current code."
        )
    return None


def nomination_problem(program: str, career_personnel: bool) -> Finding | None:
    """R-TRN-13: IMET students come from career personnel likely to reach key positions."""
    if program in (Program.IMET, Program.EIMET) and not career_personnel:
        return Finding(
            "R-TRN-13",
            "IMET students are selected from career personnel likely to reach key positions.",
            "Confirm the nominee is career personnel (and say which positions), or nominate someone who is.",
        )
    return None


def date_order_problem(start: dt.date | None, end: dt.date | None) -> Finding | None:
    if start and end and end < start:
        return Finding(
            "",
            f"the class ends ({fmt(end)}) before it starts ({fmt(start)}).",
            "Correct the dates.",
        )
    return None


# --- R-TRN-04: English and prerequisites -----------------------------------------------------------


def ecl_findings(
    score: int | None, minimum: int | None, prerequisites_met: bool | None, prerequisites: str
) -> list[Finding]:
    out = []
    if minimum is not None:
        if score is None:
            out.append(
                Finding(
                    "R-TRN-04",
                    f"no ECL score recorded; the course requires ECL {minimum}.",
                    "Record the student's ECL test.",
                )
            )
        elif score < minimum:
            out.append(
                Finding(
                    "R-TRN-04",
                    f"ECL {score} is below the course minimum of {minimum}.",
                    "Retest after English training, or nominate a student who meets the minimum.",
                )
            )
    if prerequisites.strip() and prerequisites_met is not True:
        out.append(
            Finding(
                "R-TRN-04",
                "the course prerequisites are not confirmed as met."
                if prerequisites_met is None
                else "the student does not meet the course prerequisites.",
                f"Confirm the prerequisites ({prerequisites.strip()[:120]}).",
            )
        )
    return out


# --- R-TRN-05: medical ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MedicalFacts:
    window_months: int
    medical_form_required: bool
    dental_form_required: bool


def medical_deadline(statement_on: dt.date, window_months: int) -> dt.date:
    """The last day an ITO may be issued on this statement."""
    return add_months(statement_on, window_months)


def medical_findings(
    statement_on: dt.date | None,
    medical_form_on: dt.date | None,
    dental_form_on: dt.date | None,
    on: dt.date,
    facts: MedicalFacts,
) -> list[Finding]:
    out = []
    if statement_on is None:
        out.append(
            Finding(
                "R-TRN-05",
                "no signed medical statement (physical exam incl. chest X-ray and HIV screening).",
                "Record the date of the signed statement.",
            )
        )
    elif statement_on > on:
        out.append(
            Finding(
                "R-TRN-05",
                f"the medical statement is dated {fmt(statement_on)}, after {fmt(on)}.",
                "Correct the date.",
            )
        )
    elif on > medical_deadline(statement_on, facts.window_months):
        out.append(
            Finding(
                "R-TRN-05",
                f"the medical statement of {fmt(statement_on)} is more than {facts.window_months} months old "
                f"on {fmt(on)}.",
                "Have a new physical exam and record the new statement.",
            )
        )
    if facts.medical_form_required and medical_form_on is None:
        out.append(
            Finding(
                "R-TRN-05",
                "the medical certification form (DSCA 21-78) is missing.",
                "Record the date of the medical form.",
            )
        )
    if facts.dental_form_required and dental_form_on is None:
        out.append(
            Finding(
                "R-TRN-05",
                "the dental certification form (DSCA 21-78) is missing.",
                "Record the date of the dental form.",
            )
        )
    return out


# --- R-TRN-06: human-rights vetting ------------------------------------------------------------------

APPROVED = "approved"


@dataclass(frozen=True)
class VettingNeed:
    """Whether a student needs human-rights (Leahy) vetting, and why, in words a user reads."""

    required: bool
    why: str


def funding_of(student_funding: str, line_funding: str) -> str:
    """The student's own funding source when recorded, else the CETPP line's ("" when neither)."""
    return student_funding or line_funding or ""


def vetting_need(
    program: str, funding: str = "", national_funds_vetted: bool = False
) -> VettingNeed:
    """R-TRN-06. U.S.-funded programs are vetted. FMS training is vetted when U.S. money pays
    (FMF-funded FMS training is U.S. assistance: FAA §620M; State's overview of the Leahy vetting
    process); training the purchaser buys with its national funds is not U.S.-funded training, so
    SAMM C2.1.6.7.4 does not require it — `national_funds_vetted` is the dated fact that says
    whether that still holds (training.facts.VET_NATIONAL_FUNDS). An FMS student whose funding
    source is not recorded is vetted until the line or case shows national funds."""
    if program != Program.FMS:
        if program in Program.US_FUNDED:
            return VettingNeed(
                True,
                f"{Program.LABELS.get(program, program)} is U.S.-funded training: every student and "
                "unit is vetted (SAMM C2.1.6.7.4).",
            )
        return VettingNeed(False, "")
    if funding == Funding.FMF:
        return VettingNeed(
            True,
            "FMS training paid with Foreign Military Financing is U.S. assistance: Leahy vetting "
            "applies (FAA §620M; SAMM C2.1.6.7.4).",
        )
    if funding == Funding.US_OTHER:
        return VettingNeed(
            True,
            "FMS training paid with U.S. appropriations is U.S.-funded training: Leahy vetting "
            "applies (SAMM C2.1.6.7.4).",
        )
    if funding == Funding.NATIONAL:
        if national_funds_vetted:
            return VettingNeed(
                True,
                "FMS training paid with the purchaser's national funds: the policy in force "
                "requires vetting it too.",
            )
        return VettingNeed(
            False,
            "FMS training paid with the purchaser's national funds is not U.S.-funded training: "
            "no Leahy vetting is required (SAMM C2.1.6.7.4); the other screening still applies "
            "(SAMM C10.8, R-TRN-07).",
        )
    return VettingNeed(
        True,
        "FMS training whose funding source is not recorded: vetted as U.S.-funded until the line "
        "or case shows the purchaser's national funds.",
    )


def vetting_findings(
    program: str,
    student_status: str | None,
    unit_status: str | None,
    start: dt.date,
    on: dt.date,
    alternate_lead_days: int,
    has_vetted_alternate: bool,
    is_alternate: bool,
    *,
    funding: str = "",
    national_funds_vetted: bool = False,
) -> list[Finding]:
    """Statuses are the latest vetting of the student and of the unit (None when never requested).
    `alternate_lead_days` is the SCO's own setting (TrainingSettings): no public source fixes it."""
    if not vetting_need(program, funding, national_funds_vetted).required:
        return []
    out = []
    for what, status in (("student", student_status), ("unit", unit_status)):
        if status == APPROVED:
            continue
        if status is None:
            out.append(
                Finding(
                    "R-TRN-06",
                    f"human-rights vetting of the {what} was never requested.",
                    f"Request vetting of the {what}.",
                )
            )
        elif status == CANCELLED:
            out.append(
                Finding(
                    "R-TRN-06",
                    f"the vetting request for the {what} was cancelled unresolved.",
                    "Resubmit the request.",
                )
            )
        elif status in ("denied", "suspended"):
            out.append(
                Finding(
                    "R-TRN-06",
                    f"human-rights vetting of the {what} is {status}.",
                    "The student may not attend; nominate another.",
                )
            )
        else:
            late = (
                " and training starts on " + fmt(start)
                if on < start
                else ", and training has already started"
            )
            out.append(
                Finding(
                    "R-TRN-06",
                    f"human-rights vetting of the {what} is not complete{late}.",
                    "Follow up the vetting; it must be complete before training starts.",
                )
            )
    if (
        out
        and not is_alternate
        and (start - on).days <= alternate_lead_days
        and not has_vetted_alternate
    ):
        out.append(
            Finding(
                "R-TRN-06",
                f"training starts in {(start - on).days} days and vetting is not complete: vet an alternate too.",
                "Nominate an alternate and request their vetting.",
            )
        )
    return out


# The vetting clock: State's system cancels requests left unresolved after a period (a dated fact,
# training.facts.VETTING_LAPSE, "to verify"); the SCO is warned its own number of days before.
VETTING_OPEN = ("requested", "in_process")
CANCELLED = "cancelled"


def vetting_lapses_on(requested_on: dt.date, lapse_days: int) -> dt.date:
    return requested_on + dt.timedelta(days=lapse_days)


def vetting_age(requested_on: dt.date, today: dt.date) -> int:
    return max((today - requested_on).days, 0)


def vetting_clock_finding(
    what: str,
    status: str,
    requested_on: dt.date,
    today: dt.date,
    lapse_days: int,
    warn_days: int,
) -> Finding | None:
    """An open request about to lapse (within `warn_days`) or past the lapse date; None otherwise."""
    if status not in VETTING_OPEN:
        return None
    lapse = vetting_lapses_on(requested_on, lapse_days)
    age = vetting_age(requested_on, today)
    if today > lapse:
        return Finding(
            "R-TRN-06",
            f"the {what} vetting request of {fmt(requested_on)} is {age} days old: State's system "
            f"cancels requests unresolved after {lapse_days} days, so it has likely lapsed on {fmt(lapse)}.",
            "Check it with the embassy's vetting coordinator; record the cancellation and resubmit.",
        )
    if (lapse - today).days <= warn_days:
        return Finding(
            "R-TRN-06",
            f"the {what} vetting request of {fmt(requested_on)} is {age} days old and lapses on "
            f"{fmt(lapse)} if still unresolved.",
            "Follow it up with the embassy's vetting coordinator before it is cancelled.",
        )
    return None


class VettingStatus(TextChoices):
    REQUESTED = "requested", "Requested"
    IN_PROCESS = "in_process", "In process"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled unresolved"


VETTING = Lifecycle(
    "vetting request",
    dict(VettingStatus.choices),
    {
        "process": (("requested",), "in_process", "In process"),
        "approve": (("requested", "in_process"), "approved", "Approved"),
        "deny": (("requested", "in_process"), "denied", "Denied"),
        "suspend": (("requested", "in_process", "approved"), "suspended", "Suspended"),
        "cancel": (("requested", "in_process"), "cancelled", "Cancelled unresolved"),
        # A resubmission is a new request (its own dates); the cancelled one stays as history.
        "resubmit": (("cancelled",), "requested", "Resubmit"),
    },
    action="secoop.training.actions.record_vetting_result",
    actions={
        "cancel": "secoop.training.actions.cancel_vetting",
        "resubmit": "secoop.training.actions.resubmit_vetting",
    },
)
# record_vetting_result: the status it records → the transition that leads there.
VETTING_RESULTS = {
    "in_process": "process",
    "approved": "approve",
    "denied": "deny",
    "suspended": "suspend",
}


class ScreeningStatus(TextChoices):
    PENDING = "pending", "Pending"
    CLEARED = "cleared", "Cleared"
    DEROGATORY = "derogatory", "Derogatory information"


SCREENING = Lifecycle(
    "screening check",
    dict(ScreeningStatus.choices),
    {
        "clear": (("pending", "derogatory"), "cleared", "Cleared"),
        "flag": (("pending", "cleared"), "derogatory", "Derogatory information"),
        "reopen": (("cleared", "derogatory"), "pending", "Reopen"),
    },
    action="secoop.training.actions.record_screening",
)


def screening_transition(before: str, after: str) -> str:
    """The SCREENING transition from `before` to `after` ('' when the status stays)."""
    if before == after:
        return ""
    for name, row in SCREENING.items():
        if before in row.sources and row.target == after:
            return name
    return ""


# --- R-TRN-07: screening ---------------------------------------------------------------------------

REQUIRED_SCREENING = ("rso", "dea", "consular")


def screening_findings(
    checks: Iterable[tuple[str, str]], required: Sequence[str] = REQUIRED_SCREENING
) -> list[Finding]:
    """`checks` are (kind, status) of the checklist; each required kind must be cleared."""
    by_kind: dict[str, set[str]] = {}
    for kind, status in checks:
        by_kind.setdefault(kind, set()).add(status)
    out = []
    for kind in required:
        statuses = by_kind.get(kind)
        if not statuses:
            out.append(
                Finding(
                    "R-TRN-07",
                    f"the {kind.upper()} screening is not on the checklist.",
                    f"Request the {kind.upper()} check.",
                )
            )
        elif "derogatory" in statuses:
            out.append(
                Finding(
                    "R-TRN-07",
                    f"the {kind.upper()} screening found derogatory information.",
                    "Resolve it with the country team before any ITO.",
                )
            )
        elif "cleared" not in statuses:
            out.append(
                Finding(
                    "R-TRN-07",
                    f"the {kind.upper()} screening is still pending.",
                    f"Follow up the {kind.upper()} check.",
                )
            )
    for kind, statuses in by_kind.items():
        if kind not in required and "derogatory" in statuses:
            out.append(
                Finding(
                    "R-TRN-07",
                    f"a {kind} screening found derogatory information.",
                    "Resolve it before any ITO.",
                )
            )
    return out


def retention_until(completed_or_made: dt.date, years: int) -> dt.date:
    return add_years(completed_or_made, years)


# --- R-TRN-08: the ITO --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItoFacts:
    student_count: int
    status: str
    program: str
    issue_on: dt.date
    class_start: dt.date
    vetting_student: str | None
    vetting_unit: str | None
    screenings: tuple[tuple[str, str], ...]
    medical_statement_on: dt.date | None
    medical_form_on: dt.date | None
    dental_form_on: dt.date | None
    ecl_score: int | None
    min_ecl: int | None
    prerequisites_met: bool | None
    prerequisites: str
    manual: bool
    waiver_on: dt.date | None
    already_issued: bool = False
    rdfp_forwarded_on: dt.date | None = None
    rdfp_approved_on: dt.date | None = None
    medical: MedicalFacts = field(default_factory=lambda: MedicalFacts(3, True, True))
    funding: str = ""
    national_funds_vetted: bool = False


ITO_STATUSES = ("nominated", "screening")


def ito_marking(student_marking: Marking, country: str) -> Marking:
    """R-TRN-08, ANSWERS "Markings": the issued ITO is handed to the student, so it is releasable to
    the student's country (REL TO USA and that country), at the student record's classification and
    at least CUI. The vetting and screening behind it keep their own (NOFORN) markings."""
    level = max(student_marking.classification, Classification.CUI)
    return Marking(level, Dissemination.REL, ("USA", country))


def ito_findings(f: ItoFacts) -> list[Finding]:
    """Everything that stops an ITO, each with its rule id and fix; empty when it may be issued."""
    out: list[Finding] = []
    if f.student_count != 1:
        out.append(
            Finding(
                "R-TRN-08",
                f"an ITO names one student only; this one names {f.student_count}.",
                "Issue one ITO per student.",
            )
        )
    if f.already_issued:
        out.append(
            Finding(
                "R-TRN-08",
                "an ITO was already issued for this student.",
                "Amend the issued ITO instead of issuing a second.",
            )
        )
    if f.status not in ITO_STATUSES and not f.already_issued:
        out.append(
            Finding(
                "R-TRN-08",
                f"the student is {f.status.replace('_', ' ')}.",
                "Only a nominated student in screening gets an ITO.",
            )
        )
    if f.issue_on > f.class_start:
        out.append(
            Finding(
                "R-TRN-08",
                f"the class started on {fmt(f.class_start)}.",
                "Move the student to a later class.",
            )
        )
    if vetting_need(f.program, f.funding, f.national_funds_vetted).required:
        for what, status in (("student", f.vetting_student), ("unit", f.vetting_unit)):
            if status != APPROVED:
                state = "never requested" if status is None else status.replace("_", " ")
                out.append(
                    Finding(
                        "R-TRN-06",
                        f"human-rights vetting of the {what} is {state}, not approved.",
                        f"Complete the vetting of the {what} before issuing the ITO.",
                    )
                )
    out += rdfp_findings(f.program, f.rdfp_forwarded_on, f.rdfp_approved_on)
    out += screening_findings(f.screenings)
    out += medical_findings(
        f.medical_statement_on, f.medical_form_on, f.dental_form_on, f.issue_on, f.medical
    )
    out += ecl_findings(f.ecl_score, f.min_ecl, f.prerequisites_met, f.prerequisites)
    if f.manual and (f.waiver_on is None or f.waiver_on > f.issue_on):
        out.append(
            Finding(
                "R-TRN-08",
                "a manual ITO needs a recorded CCMD waiver.",
                "Record the combatant command's waiver first.",
            )
        )
    return out


# --- R-TRN-09: arrival notification -----------------------------------------------------------------


def arrival_lead_days(accompanied: bool, unaccompanied_days: int, accompanied_days: int) -> int:
    return accompanied_days if accompanied else unaccompanied_days


def arrival_due(
    eta: dt.date, accompanied: bool, unaccompanied_days: int, accompanied_days: int
) -> dt.date:
    return eta - dt.timedelta(
        days=arrival_lead_days(accompanied, unaccompanied_days, accompanied_days)
    )


def parse_ages(text: str) -> list[int] | None:
    """'4, 9' → [4, 9]; None when unreadable."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        ages = [int(p) for p in parts]
    except ValueError:
        return None
    return ages if all(0 <= a < 30 for a in ages) else None


def arrival_findings(
    eta: dt.date | None,
    accompanied: bool,
    dependents: int,
    children_ages: str,
    travel_mode: str,
    flight: str,
) -> list[Finding]:
    out = []
    if eta is None:
        out.append(
            Finding("R-TRN-09", "the notice needs the estimated time of arrival.", "Enter the ETA.")
        )
    if accompanied and dependents < 1:
        out.append(
            Finding(
                "R-TRN-09",
                "an accompanied student has at least one dependent.",
                "Enter the number of dependents.",
            )
        )
    if not accompanied and dependents:
        out.append(
            Finding(
                "R-TRN-09",
                "an unaccompanied student brings no dependents.",
                "Mark the student accompanied, or set dependents to 0.",
            )
        )
    ages = parse_ages(children_ages)
    if ages is None:
        out.append(
            Finding(
                "R-TRN-09",
                f"children's ages {children_ages!r} are not readable.",
                "Write the ages as numbers separated by commas, e.g. 4, 9.",
            )
        )
    elif len(ages) > dependents:
        out.append(
            Finding(
                "R-TRN-09",
                f"{len(ages)} children's ages for {dependents} dependents.",
                "Correct the dependents or the ages.",
            )
        )
    if travel_mode in ("air", "milair") and not flight.strip():
        out.append(
            Finding("R-TRN-09", "travel by air needs the flight.", "Enter the flight number.")
        )
    return out


def arrival_notice_overdue(due_on: dt.date, sent_on: dt.date | None, today: dt.date) -> bool:
    return sent_on is None and today > due_on


def missing_arrival_notice(
    accompanied: bool,
    arrival: dt.date,
    today: dt.date,
    unaccompanied_days: int,
    accompanied_days: int,
) -> tuple[Finding, dt.date, bool]:
    """R-TRN-09 before any notice exists: the finding, its due date and whether it is overdue. The
    due date follows whether the student travels with dependents (recorded at nomination)."""
    due = arrival_due(arrival, accompanied, unaccompanied_days, accompanied_days)
    days = arrival_lead_days(accompanied, unaccompanied_days, accompanied_days)
    who = "an accompanied" if accompanied else "an unaccompanied"
    overdue = arrival_notice_overdue(due, None, today)
    return (
        Finding(
            "R-TRN-09",
            f"no arrival notice to the receiving installation yet: {'overdue since' if overdue else 'due'} "
            f"{fmt(due)} ({days} days before arrival for {who} student).",
            "Send it now and record the day." if overdue else f"Send it by {fmt(due)}.",
        ),
        due,
        overdue,
    )


def arrival_sent_late(due_on: dt.date, sent_on: dt.date) -> bool:
    return sent_on > due_on


# --- R-TRN-10/11/13: after training ------------------------------------------------------------------

AFTER_KINDS = ("pre_departure", "interview", "academic")


def after_training_missing(
    status: str, class_end: dt.date, done: Iterable[str], today: dt.date
) -> list[Finding]:
    """Which of the R-TRN-10 records are due and missing, and the R-TRN-13 post-training use."""
    done = set(done)
    out = []
    if status in ("ito_issued", "in_training", "graduated") and "pre_departure" not in done:
        out.append(
            Finding(
                "R-TRN-10",
                "no pre-departure briefing recorded.",
                "Brief the student before departure and record it.",
            )
        )
    if status == "graduated" or (status == "in_training" and today > class_end):
        if "interview" not in done:
            out.append(
                Finding(
                    "R-TRN-10",
                    "no post-training interview recorded.",
                    "Interview the graduate on return and record it.",
                )
            )
        if "academic" not in done:
            out.append(
                Finding(
                    "R-TRN-10",
                    "the academic report has not been delivered.",
                    "Record the delivery of the academic report.",
                )
            )
        if "use" not in done:
            out.append(
                Finding(
                    "R-TRN-13",
                    "post-training use is not recorded.",
                    "Record how the graduate's training is used.",
                )
            )
    return out


def positions_missing(graduates: Iterable[tuple[int, str, set[int]]], fy: int) -> list[Finding]:
    """R-TRN-11: every graduate has a position update for the CETPP's year. `graduates` are
    (id, name, fiscal years with a position)."""
    return [
        Finding(
            "R-TRN-11",
            f"{name} has no position update for FY{fy}.",
            "Record the graduate's current position for this year's CETPP.",
        )
        for _, name, years in graduates
        if fy not in years
    ]


# --- CETPP workflow ----------------------------------------------------------------------------

CETPP_TRANSITIONS = Lifecycle(
    "CETPP",
    {
        "draft": "Draft",
        "submitted": "Submitted",
        "returned": "Returned",
        "approved": "Approved",
        "finalized": "Finalized",
    },
    {
        "submit": (("draft", "returned"), "submitted", "Submit to the CCMD"),
        "approve": (("submitted",), "approved", "Approve"),
        "return": (("submitted",), "returned", "Return"),
        "finalize": (("approved",), "finalized", "Finalize at the SCETWG"),
    },
    actions={
        name: f"secoop.training.actions.{name}_cetpp"
        for name in ("submit", "approve", "return", "finalize")
    },
)
# Lines are added and changed, and the submission findings shown, while the SCO holds the CETPP.
CETPP_OPEN = CETPP_TRANSITIONS.states_allowing("submit")


class StudentStatus(TextChoices):
    NOMINATED = "nominated", "Nominated"
    SCREENING = "screening", "In screening"
    ITO_ISSUED = "ito_issued", "ITO issued"
    IN_TRAINING = "in_training", "In training"
    GRADUATED = "graduated", "Graduated"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The student lifecycle (R-TRN-05..13). Screening starts with the first check, the ITO moves the
# student on (R-TRN-08); the SCO starts, graduates or withdraws (training.actions.transition_student).
STUDENT = Lifecycle(
    "student",
    dict(StudentStatus.choices),
    {
        "screen": (("nominated",), "screening", "Start screening"),
        "issue_ito": (("nominated", "screening"), "ito_issued", "Issue the ITO"),
        "start": (("ito_issued",), "in_training", "Training started"),
        "graduate": (("in_training",), "graduated", "Graduated"),
        "withdraw": (
            ("nominated", "screening", "ito_issued", "in_training"),
            "withdrawn",
            "Withdraw",
        ),
    },
    action="secoop.training.actions.transition_student",  # the moves (STUDENT_MOVES)
    actions={
        "screen": "secoop.training.actions.record_screening",
        "issue_ito": "secoop.training.actions.issue_ito",
    },
)
STUDENT_MOVES = ("start", "graduate", "withdraw")  # what transition_student performs
# Steps that are not moves but belong to a stage of the lifecycle.
SCREENING_OPEN = ("nominated", "screening")  # vetting and screening checks (R-TRN-06, -07)
ARRIVAL_OPEN = ("ito_issued",)  # the arrival notice follows the ITO (R-TRN-09)
AFTER_OPEN = ("ito_issued", "in_training", "graduated")  # after-training steps (R-TRN-10)
POSITIONS_OPEN = ("graduated",)  # positions are tracked for graduates (R-TRN-11)


def cetpp_transition_problem(status: str, transition: str) -> Finding | None:
    allowed = CETPP_TRANSITIONS[transition].sources
    if status not in allowed:
        return Finding(
            "R-TRN-02",
            f"a CETPP that is {status} cannot be {'returned' if transition == 'return' else transition + 'd'}.",
            f"Only a CETPP that is {' or '.join(allowed)} can.",
        )
    return None


def line_edit_problem(fixed: bool, status: str) -> Finding | None:
    if fixed:
        return Finding(
            "R-TRN-02",
            "this current-year selection was finalized at the SCETWG and is fixed.",
            "Change it through the next SCETWG or an amendment.",
        )
    if status not in CETPP_OPEN:
        return Finding(
            "R-TRN-02",
            f"the CETPP is {status}: lines change only while it is a draft or returned.",
            "Ask the CCMD to return it first.",
        )
    return None


# --- R-TRN-12: the Foreign Military Training report ---------------------------------------------


def fmt_report_years(today: dt.date) -> tuple[int, int]:
    """The fiscal year just ended and the one in progress."""
    current = fiscal_year(today)
    return current - 1, current
