"""Planning rules R-PLN-01..10 as pure functions over plain facts: no database, no settings.

The actions layer builds the facts from records and turns a finding into a Refused; the
UI and the API show the same findings. Every message says what is wrong and how to fix it.

Conventions:
* Fiscal years run 1 October – 30 September: FY2027 is 1 Oct 2026 – 30 Sep 2027.
* Activity dates are inclusive days. A finish-to-start dependency with a lag of L days means the
  successor may start no earlier than L days after the day after the predecessor ends
  (`earliest_start = predecessor end + 1 + L`): the predecessor's last day is finished first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections import deque
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from django.db.models import Q

# Fiscal years are core's (every app plans in them); planning's callers may still say rules.fy_*.
from secoop.core import formats
from secoop.core.fiscal import fiscal_year  # noqa: F401
from secoop.core.fiscal import fy_end  # noqa: F401
from secoop.core.fiscal import fy_label  # noqa: F401
from secoop.core.fiscal import fy_range_label  # noqa: F401
from secoop.core.fiscal import fy_start  # noqa: F401
from secoop.core.lifecycle import Lifecycle
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused

ONE_DAY = dt.timedelta(days=1)


def fmt(day: dt.date) -> str:
    """'3 Dec 2026', as every page and export writes a day (core.formats)."""
    return formats.day(day)


# --- R-PLN-03: plan period ----------------------------------------------------------------------

PLAN_MIN_YEARS = 3
PLAN_MAX_YEARS = 5


def plan_period_problem(start_fy: int | None, end_fy: int | None) -> Finding | None:
    """R-PLN-03: a campaign plan spans 3 to 5 fiscal years. None when it does."""
    problem = _plan_period_text(start_fy, end_fy)
    return Finding("R-PLN-03", problem, field="end_fy") if problem else None


def _plan_period_text(start_fy: int | None, end_fy: int | None) -> str | None:
    if start_fy is None or end_fy is None:
        return "give the plan's first and last fiscal years (a campaign plan spans 3 to 5 fiscal years)."
    if end_fy < start_fy:
        return (
            f"the last fiscal year (FY{end_fy}) is before the first (FY{start_fy}): set the last "
            f"fiscal year to FY{start_fy + PLAN_MIN_YEARS - 1}–FY{start_fy + PLAN_MAX_YEARS - 1}."
        )
    years = end_fy - start_fy + 1
    if years < PLAN_MIN_YEARS or years > PLAN_MAX_YEARS:
        return (
            f"a campaign plan spans 3 to 5 fiscal years; {fy_range_label(start_fy, end_fy)} is {years}. "
            f"Set the last fiscal year to FY{start_fy + PLAN_MIN_YEARS - 1}–FY{start_fy + PLAN_MAX_YEARS - 1}."
        )
    return None


def period_contains(start_fy: int, end_fy: int, start: dt.date, end: dt.date) -> bool:
    return fy_start(start_fy) <= start and end <= fy_end(end_fy)


def dates_outside_period_problem(
    start: dt.date,
    end: dt.date,
    start_fy: int,
    end_fy: int,
    what: str = "the plan",
    *,
    rule: str = "R-PLN-03",
    otherwise: str = "link the activity to a plan that covers them",
) -> Finding | None:
    """R-PLN-03: an activity lies inside its plan's period (R-PLN-09: a phase inside its country
    plan's). None when it does."""
    if period_contains(start_fy, end_fy, start, end):
        return None
    return Finding(
        rule,
        f"{fmt(start)}–{fmt(end)} is outside {what} ({fy_range_label(start_fy, end_fy)}: "
        f"{fmt(fy_start(start_fy))}–{fmt(fy_end(end_fy))}). Move the dates inside that period, or "
        f"{otherwise}.",
        field="start_date",
    )


def same_parent_problem(
    linked_parent: int | None, own_parent: int | None, rule: str, message: str, field: str
) -> Finding | None:
    """A record links only to records of its own parent (an end state of its campaign plan, a
    country plan of its line of activity's plan): the linked record's parent must be its own."""
    if linked_parent == own_parent:
        return None
    return Finding(rule, message, field=field)


def date_order_problem(start: dt.date | None, end: dt.date | None, rule: str) -> Finding | None:
    """Both dates, the end not before the start; `rule` is the rule of the dated record
    (R-PLN-08 an activity, R-PLN-09 a phase, R-PLN-07 a planning event)."""
    if start is None or end is None:
        return Finding(rule, "give both the start and the end date.", field="end_date")
    if end < start:
        return Finding(
            rule,
            f"the end ({fmt(end)}) is before the start ({fmt(start)}): swap or correct the dates.",
            field="end_date",
        )
    return None


def fy_subrange_problem(
    start_fy: int, end_fy: int, outer_start: int, outer_end: int, what: str
) -> Finding | None:
    """R-PLN-05: a country plan covers fiscal years inside its campaign plan's."""
    if end_fy < start_fy:
        return Finding(
            "R-PLN-05",
            f"the last fiscal year (FY{end_fy}) is before the first (FY{start_fy}).",
            field="end_fy",
        )
    if start_fy < outer_start or end_fy > outer_end:
        return Finding(
            "R-PLN-05",
            f"{fy_range_label(start_fy, end_fy)} is outside {what} ({fy_range_label(outer_start, outer_end)}): "
            "cover only fiscal years inside it.",
            field="end_fy",
        )
    return None


# --- R-PLN-02: SMART ------------------------------------------------------------------------------

SMART_LETTERS = ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound")


@dataclass(frozen=True)
class MeasureFacts:
    kind: str  # "MOP" or "MOE" (R-AME-02)
    indicator: str
    method: str
    target: object | None  # a Decimal quantity, or None


@dataclass(frozen=True)
class ImoFacts:
    """What the SMART check needs to know about an intermediate military objective."""

    statement: str = ""  # what is expected
    by_whom: str = ""
    with_whom: str = ""  # for / with whom
    measures: tuple[MeasureFacts, ...] = ()
    authority: str = ""  # authority / program
    resources: str = ""
    partner_agreement_on: dt.date | None = None
    political_risk_considered: bool = False
    fiscal_risk_considered: bool = False
    end_state_linked: bool = False
    priority: int | None = None
    deadline: dt.date | None = None
    plan_end: dt.date | None = None  # the last day of the campaign plan, when known


def _f(letter: str, what: str, fix: str) -> Finding:
    return Finding("R-PLN-02", f"{letter}: {what}", fix, letter=letter)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def smart_specific(imo: ImoFacts) -> list[Finding]:
    """Specific: describes what is expected, by whom, and for/with whom."""
    out = []
    if _blank(imo.statement):
        out.append(
            _f("Specific", "no statement of what is expected", "say what the objective achieves.")
        )
    if _blank(imo.by_whom):
        out.append(
            _f(
                "Specific",
                "does not say by whom",
                "name the partner unit or organization that achieves it.",
            )
        )
    if _blank(imo.with_whom):
        out.append(
            _f(
                "Specific",
                "does not say for or with whom",
                "name who it is for or with (e.g. the U.S. agencies involved).",
            )
        )
    return out


def measure_gaps(m: MeasureFacts) -> list[str]:
    gaps = []
    if _blank(m.indicator):
        gaps.append("an indicator")
    if _blank(m.method):
        gaps.append("a method of measurement")
    if m.target is None:
        gaps.append("a target quantity")
    return gaps


def smart_measurable(imo: ImoFacts) -> list[Finding]:
    """Measurable: at least one measure (MOP or MOE) with an indicator, a method and a target."""
    if not imo.measures:
        return [
            _f(
                "Measurable",
                "no indicator or target quantity",
                "add a measure of performance (MOP) or effectiveness (MOE) with its method and target.",
            )
        ]
    if any(not measure_gaps(m) for m in imo.measures):
        return []
    gaps = sorted(
        {g for m in imo.measures for g in measure_gaps(m)},
        key=["an indicator", "a method of measurement", "a target quantity"].index,
    )
    return [
        _f(
            "Measurable",
            f"no measure is complete (missing {', '.join(gaps)})",
            "complete at least one measure with its indicator, method and target.",
        )
    ]


def smart_achievable(imo: ImoFacts) -> list[Finding]:
    """Achievable: authorities/programs and resources in place, partner agreement secured,
    political and fiscal risks considered."""
    out = []
    if _blank(imo.authority):
        out.append(
            _f(
                "Achievable",
                "no authority or program named",
                "name the authority or program (e.g. FMF, 10 U.S.C. 333).",
            )
        )
    if _blank(imo.resources):
        out.append(
            _f(
                "Achievable",
                "no resources named",
                "say which resources (funds, forces, people) carry it.",
            )
        )
    if imo.partner_agreement_on is None:
        out.append(
            _f("Achievable", "no partner agreement recorded", "record the date the partner agreed.")
        )
    if not imo.political_risk_considered:
        out.append(
            _f(
                "Achievable",
                "political risk not considered",
                "consider the political risk and tick it.",
            )
        )
    if not imo.fiscal_risk_considered:
        out.append(
            _f("Achievable", "fiscal risk not considered", "consider the fiscal risk and tick it.")
        )
    return out


def smart_relevant(imo: ImoFacts) -> list[Finding]:
    """Relevant and results-oriented: contributes to an end state, prioritized."""
    out = []
    if not imo.end_state_linked:
        out.append(
            _f(
                "Relevant",
                "not linked to an end state",
                "link it to the theater end state or SC objective it serves.",
            )
        )
    if imo.priority is None:
        out.append(_f("Relevant", "no priority", "give it a priority (1 is highest)."))
    return out


def smart_time_bound(imo: ImoFacts) -> list[Finding]:
    """Time-bound: a deadline, inside the plan's period."""
    if imo.deadline is None:
        return [_f("Time-bound", "no deadline", "set the date by which it is achieved.")]
    if imo.plan_end is not None and imo.deadline > imo.plan_end:
        return [
            _f(
                "Time-bound",
                f"deadline {fmt(imo.deadline)} is after the plan ends ({fmt(imo.plan_end)})",
                "bring the deadline inside the plan's period.",
            )
        ]
    return []


SMART_CHECKS = (
    smart_specific,
    smart_measurable,
    smart_achievable,
    smart_relevant,
    smart_time_bound,
)


def smart(imo: ImoFacts) -> list[Finding]:
    """Every SMART finding for an IMO, letter by letter (R-PLN-02). Empty when it passes."""
    return [finding for check in SMART_CHECKS for finding in check(imo)]


def failing_letters(findings: Iterable[Finding]) -> list[str]:
    letters = {f.letter for f in findings}
    return [letter for letter in SMART_LETTERS if letter in letters]


def approval_problem(failing: Sequence[tuple[str, Sequence[Finding]]]) -> Finding | None:
    """R-PLN-02: a plan cannot be approved while an IMO fails SMART. `failing` is (IMO title,
    its findings) for each failing IMO."""
    if not failing:
        return None
    parts = [f"“{title}” ({'; '.join(f.message for f in findings)})" for title, findings in failing]
    noun = "IMO fails" if len(failing) == 1 else "IMOs fail"
    return Finding(
        "R-PLN-02",
        f"the plan cannot be approved while {len(failing)} {noun} SMART: {', '.join(parts)}. Fix them, then approve.",
    )


# --- R-PLN-01 / R-PLN-06 / R-PLN-08: activities -----------------------------------------------


class Status:
    PROPOSED = "proposed"
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    CHOICES = [
        (PROPOSED, "Proposed"),
        (PLANNED, "Planned"),
        (ONGOING, "Ongoing"),
        (COMPLETED, "Completed"),
        (CANCELLED, "Cancelled"),
    ]
    OPEN = (PROPOSED, PLANNED, ONGOING)
    DONE = (COMPLETED, CANCELLED)


# R-PLN-08: the activity lifecycle, one registered action per transition.
TRANSITIONS = Lifecycle(
    "activity",
    dict(Status.CHOICES),
    {
        "plan": ((Status.PROPOSED,), Status.PLANNED, "Plan"),
        "start": ((Status.PLANNED,), Status.ONGOING, "Start"),
        "complete": ((Status.ONGOING,), Status.COMPLETED, "Complete"),
        "cancel": ((Status.PROPOSED, Status.PLANNED, Status.ONGOING), Status.CANCELLED, "Cancel"),
    },
    actions={
        name: f"secoop.planning.actions.{name}_activity"
        for name in ("plan", "start", "complete", "cancel")
    },
)
STATUS_LABELS = dict(Status.CHOICES)
# Only proposed and planned activities are rescheduled; open ones are edited (R-PLN-08).
RESCHEDULABLE = (Status.PROPOSED, Status.PLANNED)

# R-PLN-02: a campaign plan is approved, and reopened for revision.
PLAN = Lifecycle(
    "campaign plan",
    {"draft": "Draft", "approved": "Approved"},
    {
        "approve": (("draft",), "approved", "Approve"),
        "reopen": (("approved",), "draft", "Reopen for revision"),
    },
    actions={
        "approve": "secoop.planning.actions.approve_plan",
        "reopen": "secoop.planning.actions.reopen_plan",
    },
)


def transition_problem(current: str, transition: str) -> Finding | None:
    """R-PLN-08 statuses: proposed → planned → ongoing → completed, or cancelled while open."""
    if transition not in TRANSITIONS:
        return Finding(
            "R-PLN-08",
            f"unknown transition {transition!r}:",
            f"use one of {', '.join(TRANSITIONS)}.",
            field="status",
        )
    row = TRANSITIONS[transition]
    if current in row.sources:
        return None
    allowed = [t.name for t in TRANSITIONS.available(current)]
    now = STATUS_LABELS.get(current, current).lower()
    return Finding(
        "R-PLN-08",
        f"a {now} activity cannot be moved to {STATUS_LABELS[row.target].lower()}.",
        f"From {now} it can: {', '.join(allowed)}."
        if allowed
        else "It is closed: nothing further.",
        field="status",
    )


def is_unlinked(line_of_activity_id: int | None) -> bool:
    """R-PLN-01: an activity that serves no line of activity (and so no IMO) is flagged."""
    return line_of_activity_id is None


def assessment_overdue(status: str, assessed_on: dt.date | None) -> bool:
    """R-PLN-06: a completed activity without its assessment is overdue."""
    return status == Status.COMPLETED and assessed_on is None


# The two rules above as filters, so that a page counts what the rule flags without restating it
# (a Q is a value: no query runs here). A cancelled activity needs no link.
def unlinked_q() -> Q:
    """R-PLN-01, for counts: open or completed activities that serve no line of activity."""
    return Q(line_of_activity__isnull=True) & ~Q(status=Status.CANCELLED)


def assessment_overdue_q() -> Q:
    """R-PLN-06, for counts: completed activities without their assessment."""
    return Q(status=Status.COMPLETED, assessed_on__isnull=True)


def assessment_problem(
    status: str, completed_on: dt.date | None, assessed_on: dt.date, today: dt.date
) -> Finding | None:
    """R-PLN-06: the sponsor assesses an activity after it is completed."""
    if status != Status.COMPLETED:
        problem = f"only a completed activity is assessed; this one is {STATUS_LABELS.get(status, status).lower()}. Complete it first."
    elif assessed_on > today:
        problem = (
            f"the assessment date {fmt(assessed_on)} is in the future: give the date it was made."
        )
    elif completed_on is not None and assessed_on < completed_on:
        problem = f"the assessment date {fmt(assessed_on)} is before the activity was completed ({fmt(completed_on)})."
    else:
        return None
    return Finding("R-PLN-06", problem, field="assessed_on")


def country_mismatch_problem(
    activity_country: str | None, imo_country: str | None, imo_title: str
) -> Finding | None:
    """R-PLN-01: an activity with one partner cannot serve another country's IMO."""
    if imo_country is None or activity_country is None or activity_country == imo_country:
        return None
    return Finding(
        "R-PLN-01",
        f"the activity is with {activity_country} but “{imo_title}” is an objective for {imo_country}: "
        f"link it to a line of activity of a {activity_country} IMO, or correct the activity's country.",
        field="line_of_activity",
    )


# --- R-PLN-10: request-for-forces lead time --------------------------------------------------


def rff_earliest_start(lead_days: int, submitted_on: dt.date | None, today: dt.date) -> dt.date:
    """The first day an activity needing U.S. forces can start: the RFF lead time after the
    request was submitted (or after today, if it has not been)."""
    return (submitted_on or today) + dt.timedelta(days=lead_days)


def rff_problem(
    start: dt.date,
    needs_us_forces: bool,
    lead_days: int | None,
    submitted_on: dt.date | None,
    today: dt.date,
) -> Finding | None:
    """R-PLN-10: an activity needing U.S. forces scheduled inside the RFF lead time."""
    if not needs_us_forces or not lead_days:
        return None
    earliest = rff_earliest_start(lead_days, submitted_on, today)
    if start >= earliest:
        return None
    since = (
        f"the request for forces submitted {fmt(submitted_on)}"
        if submitted_on
        else "today (no request for forces submitted yet)"
    )
    return Finding(
        "R-PLN-10",
        f"it needs U.S. forces and starts {fmt(start)}, inside the {lead_days}-day request-for-forces "
        f"lead time from {since}. Start it on or after {fmt(earliest)}, or record an earlier RFF submission.",
        field="start_date",
    )


# --- R-PLN-04: assumptions ---------------------------------------------------------------------


def assumption_overdue(review_on: dt.date | None, today: dt.date) -> bool:
    """R-PLN-04: an assumption past its review date is flagged."""
    return review_on is not None and review_on < today


def assumption_overdue_q(today: dt.date) -> Q:
    """R-PLN-04, for counts and lists: assumptions past their review date."""
    return Q(review_on__lt=today)


def assumption_problems(valid: bool, necessary: bool) -> list[Finding]:
    """R-PLN-04: assumptions should be valid and necessary; findings say which is not."""
    out = []
    if not valid:
        out.append(
            Finding("R-PLN-04", "not marked valid (logical and realistic): revise it or drop it")
        )
    if not necessary:
        out.append(
            Finding(
                "R-PLN-04",
                "not marked necessary (planning could continue without it): drop it unless it is",
            )
        )
    return out


# --- R-PLN-05: the country plan (CSCS) --------------------------------------------------------

CSCS_SECTIONS = (
    ("country_assessment", "Country assessment"),
    ("country_objectives", "Country objectives"),
    ("ccp_reference", "Reference to the CCMD campaign plan"),
    ("ics_reference", "Reference to the embassy ICS"),
    ("concept_of_engagement", "Concept of engagement"),
    ("coordinating_instructions", "Coordinating instructions"),
)


def cscs_missing_sections(sections: Mapping[str, str]) -> list[str]:
    """R-PLN-05: the CSCS sections that are still empty (the synchronization matrix is drawn
    from the activities, so it is not a text section)."""
    return [label for key, label in CSCS_SECTIONS if _blank(sections.get(key))]


def cscs_update_due(issued_on: dt.date | None) -> dt.date | None:
    """R-PLN-05: a CSCS is updated at least annually."""
    if issued_on is None:
        return None
    try:
        return issued_on.replace(year=issued_on.year + 1)
    except ValueError:
        return issued_on.replace(year=issued_on.year + 1, day=28)


# --- R-PLN-07: annual planning events ----------------------------------------------------------


def planning_event_findings(kind: str, start: dt.date) -> list[Finding]:
    """R-PLN-07: the SCETWG is usually held between March and June."""
    if kind == "scetwg" and not 3 <= start.month <= 6:
        return [
            Finding(
                "R-PLN-07",
                f"the SCETWG is usually held March–June; this one starts {fmt(start)}.",
                field="start_date",
            )
        ]
    return []


# --- R-PLN-09: dependencies, rescheduling, critical path ---------------------------------------


@dataclass(frozen=True)
class Span:
    """An activity on the calendar (inclusive dates)."""

    id: int
    start: dt.date
    end: dt.date
    title: str = ""
    movable: bool = True  # False for ongoing, completed or cancelled activities

    @classmethod
    def of(cls, id: int, start: dt.date, end: dt.date, title: str, status: str) -> Span:
        """An activity's span: only a proposed or planned one moves (RESCHEDULABLE)."""
        return cls(id, start, end, title, movable=status in RESCHEDULABLE)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return f"“{self.title}”" if self.title else f"activity {self.id}"


@dataclass(frozen=True)
class Link:
    """Finish-to-start: `successor` starts after `predecessor` ends, plus `lag_days`."""

    predecessor: int
    successor: int
    lag_days: int = 0


def earliest_start(predecessor_end: dt.date, lag_days: int) -> dt.date:
    return predecessor_end + ONE_DAY + dt.timedelta(days=lag_days)


def _successors(links: Iterable[Link]) -> dict[int, list[Link]]:
    out: dict[int, list[Link]] = defaultdict(list)
    for link in links:
        out[link.predecessor].append(link)
    return out


def _predecessors(links: Iterable[Link]) -> dict[int, list[Link]]:
    out: dict[int, list[Link]] = defaultdict(list)
    for link in links:
        out[link.successor].append(link)
    return out


def find_cycle(links: Iterable[Link], new: Link) -> list[int] | None:
    """The chain of activity ids that adding `new` would close into a cycle
    ([new.predecessor, new.successor, …, new.predecessor]), or None."""
    if new.predecessor == new.successor:
        return [new.predecessor, new.predecessor]
    succ = _successors(links)
    # A path successor → … → predecessor closes the loop.
    parent: dict[int, int | None] = {new.successor: None}
    queue = deque([new.successor])
    while queue:
        node = queue.popleft()
        if node == new.predecessor:
            path = [node]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])
            path.reverse()  # successor … predecessor
            return [new.predecessor, *path]
        for link in succ.get(node, ()):
            if link.successor not in parent:
                parent[link.successor] = node
                queue.append(link.successor)
    return None


def cycle_problem(chain: Sequence[int], names: Mapping[int, str]) -> Finding:
    """R-PLN-09: dependencies never form a cycle."""
    text = " → ".join(names.get(i, str(i)) for i in chain)
    return Finding(
        "R-PLN-09",
        f"this dependency would make a cycle ({text}): an activity cannot wait for itself. Remove one of these dependencies first.",
        field="predecessor",
    )


@dataclass(frozen=True)
class Violation:
    """A successor that starts before its predecessor (plus lag) allows."""

    link: Link
    earliest: dt.date
    start: dt.date

    @property
    def days_early(self) -> int:
        return (self.earliest - self.start).days


def dependency_violations(spans: Mapping[int, Span], links: Iterable[Link]) -> list[Violation]:
    """R-PLN-09: every dependency the current dates break."""
    out = []
    for link in links:
        pred, succ = spans.get(link.predecessor), spans.get(link.successor)
        if pred is None or succ is None:
            continue
        earliest = earliest_start(pred.end, link.lag_days)
        if succ.start < earliest:
            out.append(Violation(link, earliest, succ.start))
    return out


def violation_message(v: Violation, spans: Mapping[int, Span]) -> str:
    pred, succ = spans[v.link.predecessor], spans[v.link.successor]
    lag = f" plus {v.link.lag_days} days" if v.link.lag_days else ""
    return (
        f"{succ.label} starts {fmt(succ.start)}, before {pred.label} ends ({fmt(pred.end)}){lag}: "
        f"start it on or after {fmt(v.earliest)}, or end {pred.label} earlier."
    )


@dataclass(frozen=True)
class Move:
    """An activity that must move, from and to."""

    id: int
    old_start: dt.date
    old_end: dt.date
    new_start: dt.date
    new_end: dt.date
    because_of: int | None = None  # the predecessor that pushes it

    @property
    def shift_days(self) -> int:
        return (self.new_start - self.old_start).days


def _schedule_refused(rule: str, message: str) -> Refused:
    """A reschedule that cannot be done: one finding naming the rule, the message the fix."""
    return Refused(Finding(rule, message))


def cascade(
    spans: Mapping[int, Span],
    links: Iterable[Link],
    moved_id: int,
    new_start: dt.date,
    new_end: dt.date | None = None,
) -> list[Move]:
    """Move one activity and push its dependents (transitively) as far as the dependencies
    require, keeping each one's duration. Returns the moves, the moved activity first.

    Raises Refused (R-PLN-09) when the new start breaks a dependency on a predecessor,
    or a dependent that must move cannot (it is under way or closed). Moving earlier never
    pulls dependents with it."""
    links = list(links)
    span = spans[moved_id]
    if new_end is None:
        new_end = new_start + (span.end - span.start)
    if new_end < new_start:
        raise _schedule_refused(
            "R-PLN-08", f"the end ({fmt(new_end)}) is before the start ({fmt(new_start)})."
        )
    preds = _predecessors(links)
    for link in preds.get(moved_id, ()):
        pred = spans.get(link.predecessor)
        if pred is None:
            continue
        earliest = earliest_start(pred.end, link.lag_days)
        if new_start < earliest:
            lag = f" plus {link.lag_days} days" if link.lag_days else ""
            raise _schedule_refused(
                "R-PLN-09",
                f"{span.label} cannot start {fmt(new_start)}: it depends on {pred.label}, which ends "
                f"{fmt(pred.end)}{lag}. Start it on or after {fmt(earliest)}, or move {pred.label} earlier first.",
            )
    current: dict[int, tuple[dt.date, dt.date]] = {i: (s.start, s.end) for i, s in spans.items()}
    current[moved_id] = (new_start, new_end)
    moves: dict[int, Move] = {
        moved_id: Move(moved_id, span.start, span.end, new_start, new_end, None)
    }
    succ = _successors(links)
    queue = deque([moved_id])
    guard = 0
    while queue:
        guard += 1
        if guard > 100_000:  # a cycle in stored data; refuse rather than loop
            raise _schedule_refused(
                "R-PLN-09", "the dependencies form a cycle: remove it before rescheduling."
            )
        node = queue.popleft()
        node_end = current[node][1]
        for link in succ.get(node, ()):
            if link.successor not in spans:
                continue
            s_start, s_end = current[link.successor]
            earliest = earliest_start(node_end, link.lag_days)
            if s_start >= earliest:
                continue
            dep = spans[link.successor]
            if not dep.movable:
                raise _schedule_refused(
                    "R-PLN-09",
                    f"moving {span.label} would push {dep.label} to {fmt(earliest)}, but it is under way "
                    f"or closed and cannot move. Keep {span.label} ending by "
                    f"{fmt(s_start - ONE_DAY - dt.timedelta(days=link.lag_days))}, or remove the dependency.",
                )
            shift = earliest - s_start
            current[link.successor] = (s_start + shift, s_end + shift)
            original = spans[link.successor]
            moves[link.successor] = Move(
                link.successor, original.start, original.end, s_start + shift, s_end + shift, node
            )
            queue.append(link.successor)
    ordered = [moves[moved_id]] + sorted(
        (m for i, m in moves.items() if i != moved_id), key=lambda m: (m.new_start, m.id)
    )
    return ordered


@dataclass(frozen=True)
class CriticalPath:
    """The activities with the least float and the links between them that leave no slack."""

    activities: list[int] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)
    float_days: dict[int, int] = field(default_factory=dict)
    finish: dt.date | None = None


def critical_path(spans: Iterable[Span], links: Iterable[Link]) -> CriticalPath:
    """R-PLN-09: the critical path of scheduled activities.

    With the dates as scheduled, an activity's total float is how many days it could slip before
    it delays the last finish of the plan, through its chain of dependents (the backward pass of
    the critical path method over fixed durations). The critical path is the activities with the
    least float (zero, or negative where a dependency is already broken), ordered by start; its
    links are the dependencies that leave no slack between two critical activities.
    Dependencies among activities not given are ignored; a cycle raises Refused."""
    spans = {s.id: s for s in spans}
    if not spans:
        return CriticalPath()
    links = [link for link in links if link.predecessor in spans and link.successor in spans]
    succ = _successors(links)
    order = topological_order(spans.keys(), links)
    finish = max(s.end for s in spans.values())
    late_finish: dict[int, dt.date] = {}
    late_start: dict[int, dt.date] = {}
    for node in reversed(order):
        lf = finish
        for link in succ.get(node, ()):
            lf = min(lf, late_start[link.successor] - ONE_DAY - dt.timedelta(days=link.lag_days))
        late_finish[node] = lf
        late_start[node] = lf - (spans[node].end - spans[node].start)
    floats = {i: (late_start[i] - spans[i].start).days for i in spans}
    least = min(floats.values())
    critical = sorted(
        (i for i, f in floats.items() if f == least), key=lambda i: (spans[i].start, i)
    )
    crit = set(critical)
    tight = [
        (link.predecessor, link.successor)
        for link in links
        if link.predecessor in crit
        and link.successor in crit
        and late_start[link.successor] - ONE_DAY - dt.timedelta(days=link.lag_days)
        == late_finish[link.predecessor]
    ]
    return CriticalPath(critical, tight, floats, finish)


def topological_order(ids: Iterable[int], links: Iterable[Link]) -> list[int]:
    """Activity ids so that every predecessor comes before its successors."""
    ids = list(ids)
    indegree = {i: 0 for i in ids}
    succ: dict[int, list[int]] = defaultdict(list)
    for link in links:
        if link.predecessor in indegree and link.successor in indegree:
            succ[link.predecessor].append(link.successor)
            indegree[link.successor] += 1
    queue = deque(sorted(i for i, d in indegree.items() if d == 0))
    out = []
    while queue:
        node = queue.popleft()
        out.append(node)
        for nxt in succ[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(out) != len(indegree):
        raise _schedule_refused("R-PLN-09", "the dependencies form a cycle: remove it first.")
    return out


# --- R-PLN-09: moves the user may not make alone, requests for them, undo ----------------------

# A reschedule, recorded when it is applied (so that it can be undone) or when it is asked of the
# office that may change every activity it pushes (issue 12 items 2 and 3).
RESCHEDULE_STATES = {
    "requested": "Waiting for approval",
    "applied": "Moved",
    "declined": "Declined",
    "undone": "Undone",
}
RESCHEDULE = Lifecycle(
    "reschedule",
    RESCHEDULE_STATES,
    {
        "approve": (("requested",), "applied", "Approve and move"),
        "decline": (("requested",), "declined", "Decline"),
        "undo": (("applied",), "undone", "Undo the move"),
    },
    actions={
        "approve": "secoop.planning.actions.approve_reschedule",
        "decline": "secoop.planning.actions.decline_reschedule",
        "undo": "secoop.planning.actions.undo_reschedule",
    },
)


def common_approver(paths: Iterable[str]) -> str:
    """The tree path of the lowest organization at or above every one of `paths` (organization
    tree paths such as '/1/4/9/'): the office that may change all of them. '' when none."""
    split = [[p for p in path.strip("/").split("/") if p] for path in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return f"/{'/'.join(common)}/" if common else ""


def latest_start_alone(
    spans: Mapping[int, Span],
    links: Iterable[Link],
    moved_id: int,
    new_start: dt.date,
    blocked: Iterable[int],
) -> dt.date | None:
    """R-PLN-09: the latest start between the activity's current start and `new_start` that
    pushes none of `blocked` (activities the user may not change); None when even a day later
    would. The cascade is monotone in the start, so a bisection finds it."""
    blocked = set(blocked)
    links = list(links)
    span = spans[moved_id]
    if new_start <= span.start:
        return None

    def free(day: dt.date) -> bool:
        try:
            moves = cascade(spans, links, moved_id, day)
        except Refused:
            return False
        return not any(m.id in blocked for m in moves[1:])

    low, high = 0, (new_start - span.start).days  # free(start + low) holds: nothing moves at 0
    while low < high:
        mid = (low + high + 1) // 2
        if free(span.start + dt.timedelta(days=mid)):
            low = mid
        else:
            high = mid - 1
    return span.start + dt.timedelta(days=low) if low else None


def needs_approval_finding(
    blocked: Sequence[tuple[str, str]], approver: str, alone: dt.date | None
) -> Finding:
    """R-PLN-09: the move pushes activities the user may not change. `blocked` is (label, sponsor)
    per activity; `approver` the office that may change them all; `alone` the latest start the user
    may give without them."""
    names = "; ".join(f"{label} (sponsored by {sponsor})" for label, sponsor in blocked)
    fix = f"Send the move to {approver} for approval" if approver else "Ask their sponsors"
    if alone is not None:
        fix += f", or start it on or before {fmt(alone)}, which pushes nothing you cannot change"
    return Finding(
        "R-PLN-09",
        f"this move pushes {names}, which you may not change.",
        fix=fix + ".",
        field="start_date",
    )


def undo_problems(
    recorded: Sequence[Move], now: Mapping[int, Span], labels: Mapping[int, str]
) -> list[Finding]:
    """R-PLN-09: a move is undone only while every activity it moved still has the dates it moved
    them to and may still be rescheduled; otherwise undoing would overwrite a later change."""
    found = []
    for move in recorded:
        span = now.get(move.id)
        label = labels.get(move.id, f"activity {move.id}")
        if span is None:
            found.append(
                Finding(
                    "R-PLN-09",
                    f"{label} no longer exists, so this move cannot be undone.",
                    fix="Reschedule the remaining activities instead.",
                )
            )
        elif (span.start, span.end) != (move.new_start, move.new_end):
            found.append(
                Finding(
                    "R-PLN-09",
                    f"{label} changed since this move: it now runs {fmt(span.start)} – {fmt(span.end)}, "
                    f"not {fmt(move.new_start)} – {fmt(move.new_end)}. Nothing was undone.",
                    fix="Reschedule it instead, from its current dates.",
                )
            )
        elif not span.movable:
            found.append(
                Finding(
                    "R-PLN-08",
                    f"{label} is under way or closed since this move and keeps its dates. Nothing was undone.",
                )
            )
    return found
