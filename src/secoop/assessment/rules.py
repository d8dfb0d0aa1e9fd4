"""Assessment, monitoring and evaluation rules (SPEC §4, R-AME-01..07) as pure functions: no
database, no settings, no clock.

Day counts (the post-project evaluations' 30 days and one year) come in as arguments: callers
read them from dated ReferenceFact rows (assessment/facts.py), never from literals here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation

from django.db.models import TextChoices

from secoop.core.lifecycle import Lifecycle
from secoop.core.rules import add_months
from secoop.core.verdicts import Finding

__all__ = ["Finding", "add_months"]


# --- the results model (IATI 2.03 result → indicator → baseline → period) ------------------------


class ResultType(TextChoices):
    """IATI ResultType codes (SPEC §11, IATI codes row): 1 output, 2 outcome, 3 impact, 9 other."""

    OUTPUT = "1", "Output"
    OUTCOME = "2", "Outcome"
    IMPACT = "3", "Impact"
    OTHER = "9", "Other"


class IndicatorKind(TextChoices):
    """R-AME-02: two distinct kinds (planning's MeasureKind, the same codes)."""

    MOP = "MOP", "Measure of performance (MOP)"
    MOE = "MOE", "Measure of effectiveness (MOE)"


class MeasureType(TextChoices):
    """How an indicator is measured, as IATI's IndicatorMeasure codes: 1 unit, 2 percentage,
    5 qualitative (a level of a declared scale)."""

    UNIT = "1", "Quantity (a number of units)"
    PERCENTAGE = "2", "Percentage"
    QUALITATIVE = "5", "Qualitative (a level of a scale)"


class Direction(TextChoices):
    ASCENDING = "ascending", "Ascending (higher is better)"
    DESCENDING = "descending", "Descending (lower is better)"


class Frequency(TextChoices):
    MONTHLY = "1", "Monthly"
    QUARTERLY = "3", "Quarterly"
    SEMIANNUAL = "6", "Every six months"
    ANNUAL = "12", "Annually"


def frequency_months(frequency: str) -> int:
    return int(frequency)


@dataclass(frozen=True)
class IndicatorFacts:
    """What the rules need of an indicator: its own reference sheet, or planning's measure's
    kind, unit and baseline when the indicator is that measure's (one record per measure)."""

    kind: str
    measure_type: str
    unit: str
    baseline: Decimal | None
    baseline_on: dt.date | None
    scale: tuple[str, ...] = ()
    direction: str = Direction.ASCENDING
    frequency: str = Frequency.QUARTERLY

    @property
    def qualitative(self) -> bool:
        return self.measure_type == MeasureType.QUALITATIVE

    @property
    def has_baseline(self) -> bool:
        return self.baseline is not None and self.baseline_on is not None


def scale_levels(text: str) -> tuple[str, ...]:
    """A qualitative indicator's scale, one level a line, lowest first ("1 = no capability")."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def reference_sheet_problems(facts: IndicatorFacts, definition: str) -> list[Finding]:
    """R-AME-02: an indicator says what it is, how it is measured and of which kind."""
    out = []
    if facts.kind not in IndicatorKind.values:
        out.append(
            Finding("R-AME-02", "say whether this is a MOP or a MOE.", "Choose the kind.", "kind")
        )
    if not (definition or "").strip():
        out.append(
            Finding(
                "R-AME-02",
                "the reference sheet has no definition.",
                "Write what is counted or judged, and how.",
                "definition",
            )
        )
    if facts.qualitative and len(facts.scale) < 2:
        out.append(
            Finding(
                "R-AME-02",
                "a qualitative indicator needs a scale of at least two levels.",
                "Write one level a line, lowest first (e.g. '1 = no capability').",
                "scale",
            )
        )
    if not facts.qualitative and not facts.unit.strip():
        out.append(
            Finding(
                "R-AME-02",
                "a quantitative indicator needs its unit.",
                "Name the unit (e.g. 'personnel', 'patrols', 'percent').",
                "unit",
            )
        )
    return out


# --- values ------------------------------------------------------------------------------------


def value_problem(value, facts: IndicatorFacts, field: str = "value") -> Finding | None:
    """A value the indicator cannot take: not a number, a percentage outside 0–100, or not a
    level of a qualitative indicator's scale."""
    number = as_decimal(value)
    if number is None:
        if facts.qualitative:
            return Finding(
                "R-AME-02",
                f"“{value}” is not a level of this indicator's scale.",
                f"Give the level's number, 1 to {len(facts.scale)}.",
                field,
            )
        return Finding(
            "R-AME-02",
            f"“{value}” is not a number; this indicator is counted in {facts.unit or 'numbers'}.",
            "Give a number such as 12 or 12.5, without words or units.",
            field,
        )
    if facts.qualitative:
        if number != number.to_integral_value() or not 1 <= number <= len(facts.scale):
            return Finding(
                "R-AME-02",
                f"{number} is not a level of this indicator's scale.",
                f"Give the level's number, 1 to {len(facts.scale)}.",
                field,
            )
    elif facts.measure_type == MeasureType.PERCENTAGE and not 0 <= number <= 100:
        return Finding(
            "R-AME-02", f"{number} is not a percentage.", "Give a value from 0 to 100.", field
        )
    elif number < 0:
        return Finding("R-AME-02", "a count cannot be negative.", "Give zero or more.", field)
    return None


def as_decimal(value) -> Decimal | None:
    """The value as a Decimal, or None when it is not a finite number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def target_unit_problem(given_unit: str, facts: IndicatorFacts) -> Finding | None:
    """A target stated in another unit than the indicator's (bad input, issue 17)."""
    given = (given_unit or "").strip()
    if not given or facts.qualitative:
        return None
    expected = "percent" if facts.measure_type == MeasureType.PERCENTAGE else facts.unit
    if given.lower() in {expected.lower(), (facts.unit or "").lower()} or (
        facts.measure_type == MeasureType.PERCENTAGE and given == "%"
    ):
        return None
    return Finding(
        "R-AME-02",
        f"the target is in {given}, but this indicator is counted in {expected}.",
        f"Convert the target to {expected}, or give it to another indicator.",
        "target_unit",
    )


# --- R-AME-01: baseline first --------------------------------------------------------------------


def baseline_problem(facts: IndicatorFacts, field: str = "value") -> Finding | None:
    """R-AME-01: no progress (an actual) before the initial assessment (the baseline)."""
    if facts.has_baseline:
        return None
    return Finding(
        "R-AME-01",
        "this indicator has no baseline yet, so no actual can be recorded.",
        "Record the baseline (its value and the date it was assessed) first.",
        field,
    )


def before_baseline_problem(
    facts: IndicatorFacts, period_end: dt.date, field: str = "value"
) -> Finding | None:
    """R-AME-01: an actual for a period that ended before the baseline was assessed."""
    if facts.baseline_on is None or period_end >= facts.baseline_on:
        return None
    return Finding(
        "R-AME-01",
        f"this period ended on {period_end:%d %b %Y}, before the baseline of {facts.baseline_on:%d %b %Y}.",
        "Record actuals only for periods after the baseline, or correct the baseline's date.",
        field,
    )


# --- periods ----------------------------------------------------------------------------------


def period_problems(
    start: dt.date,
    end: dt.date,
    activity: tuple[dt.date, dt.date] | None,
    others: Iterable[tuple[dt.date, dt.date]] = (),
) -> list[Finding]:
    """A period's dates: in order, inside the activity's dates when the result is an activity's,
    and not overlapping another period of the indicator (IATI: periods do not overlap)."""
    if end < start:
        return [
            Finding(
                "R-AME-02",
                "the period ends before it starts.",
                "Give an end date on or after the start.",
                "period_end",
            )
        ]
    out = []
    if activity is not None and (start < activity[0] or end > activity[1]):
        out.append(
            Finding(
                "R-AME-02",
                f"the period {start:%d %b %Y}–{end:%d %b %Y} lies outside the activity's dates "
                f"({activity[0]:%d %b %Y}–{activity[1]:%d %b %Y}).",
                "Choose dates inside the activity, or measure it under the objective instead.",
                "period_start",
            )
        )
    for other_start, other_end in others:
        if start <= other_end and other_start <= end:
            out.append(
                Finding(
                    "R-AME-02",
                    f"the period overlaps the period {other_start:%d %b %Y}–{other_end:%d %b %Y}.",
                    "Periods of one indicator follow each other without overlapping.",
                    "period_start",
                )
            )
            break
    return out


def periods_by_frequency(
    first_start: dt.date, last_end: dt.date, frequency: str
) -> list[tuple[dt.date, dt.date]]:
    """The reporting periods from `first_start` to `last_end`, one per frequency interval."""
    months = frequency_months(frequency)
    out = []
    start = first_start
    while start <= last_end:
        end = min(add_months(start, months) - dt.timedelta(days=1), last_end)
        out.append((start, end))
        start = end + dt.timedelta(days=1)
    return out


# --- updates: the reporting workflow -------------------------------------------------------------


class UpdateStatus(TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


UPDATE = Lifecycle(
    "update",
    dict(UpdateStatus.choices),
    {
        "submit": ((UpdateStatus.DRAFT, UpdateStatus.RETURNED), UpdateStatus.SUBMITTED, "Submit"),
        "approve": ((UpdateStatus.SUBMITTED,), UpdateStatus.APPROVED, "Approve"),
        "return": ((UpdateStatus.SUBMITTED,), UpdateStatus.RETURNED, "Return"),
    },
    actions={
        "submit": "secoop.assessment.actions.submit_update",
        "approve": "secoop.assessment.actions.approve_update",
        "return": "secoop.assessment.actions.return_update",
    },
)

EDITABLE_UPDATE = (UpdateStatus.DRAFT, UpdateStatus.RETURNED)


def transition_problem(lifecycle: Lifecycle, name: str, status: str) -> Finding | None:
    problem = lifecycle.problem(name, status)
    return Finding("R-AME-02", problem) if problem else None


def return_comment_problem(comment: str) -> Finding | None:
    if (comment or "").strip():
        return None
    return Finding(
        "R-AME-02",
        "a returned update needs a comment.",
        "Say what the author should correct.",
        "comment",
    )


def update_due(reported_through: dt.date, frequency: str) -> dt.date:
    """The next update is due one frequency interval after the last period reported (or the
    baseline, before any report)."""
    return add_months(reported_through, frequency_months(frequency))


def update_overdue(reported_through: dt.date | None, frequency: str, today: dt.date) -> bool:
    return reported_through is not None and update_due(reported_through, frequency) < today


DUE_SOON_DAYS = 14  # how far ahead the pages list updates falling due: a display choice


def period_falls_due(
    period_end: dt.date, reported: bool, baseline_on: dt.date | None
) -> dt.date | None:
    """When a period's update falls due: the day after the period ends (its frequency made the
    period), unless it was reported (submitted or approved) or no actual can be recorded for it
    yet (no baseline, or the period ended before the baseline: R-AME-01). None: nothing due."""
    if reported or baseline_on is None or period_end < baseline_on:
        return None
    return period_end + dt.timedelta(days=1)


def due_state(due: dt.date | None, today: dt.date, horizon_days: int = DUE_SOON_DAYS) -> str:
    """'overdue' (due before today), 'due' (due today or within the horizon) or '' (nothing)."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due <= today + dt.timedelta(days=horizon_days):
        return "due"
    return ""


# --- progress and roll-up ------------------------------------------------------------------------


def progress(
    baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> Decimal | None:
    """How far from the baseline toward the target the actual has come (0 = baseline,
    1 = target reached), either direction; None when it cannot be said."""
    if baseline is None or target is None or actual is None or target == baseline:
        return None
    return ((actual - baseline) / (target - baseline)).quantize(Decimal("0.01"))


class RollUp(TextChoices):
    """How an indicator's values combine (issue 17 item 10): an objective's indicator combines
    its contributors' values by its method; each contributor first combines its own periods
    inside the objective's period by its own method (docs/decisions/0044-amerollup-…)."""

    SUM = "sum", "Sum"
    MEAN = "mean", "Mean"
    WEIGHTED = "weighted", "Weighted mean (by each contributor's weight)"
    LATEST = "latest", "Latest"


def roll_up(
    values: Sequence[Decimal], method: str, weights: Sequence[Decimal] | None = None
) -> Decimal | None:
    """`values` combined by `method`; `weights` (one per value, default 1) for the weighted
    mean. LATEST takes the last value: callers order them by date."""
    if not values:
        return None
    if method == RollUp.SUM:
        return sum(values, Decimal(0))
    if method == RollUp.MEAN:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
    if method == RollUp.WEIGHTED:
        ws = list(weights) if weights is not None else [Decimal(1)] * len(values)
        total = sum(ws, Decimal(0))
        if total <= 0:
            return None
        return (sum((v * w for v, w in zip(values, ws, strict=True)), Decimal(0)) / total).quantize(
            Decimal("0.01")
        )
    return values[-1]


@dataclass(frozen=True)
class Contribution:
    """One approved actual of a contributing (activity) indicator, in one of its periods."""

    source: int  # the contributing indicator's id
    period_end: dt.date
    value: Decimal
    parts: tuple[tuple[str, str, Decimal], ...] = ()  # (dimension, category, amount)


@dataclass(frozen=True)
class Contributor:
    """A contributing indicator: its own method (over its periods), unit and weight."""

    source: int
    method: str
    unit: str
    measure_type: str
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class RolledUp:
    """An objective indicator's value for one period, rolled up from its contributors."""

    value: Decimal | None
    per_source: dict  # source id → its value in the period (after its own method)
    parts: tuple[tuple[str, str, Decimal], ...]  # (dimension, category, rolled-up amount)
    skipped: dict  # source id → why it does not count


def unit_mismatch(parent_unit: str, parent_type: str, unit: str, measure_type: str) -> str | None:
    """Why a contributor cannot roll up into the parent: another measure type or another unit
    (counts in different units never add; issue 17 item 10)."""
    if measure_type != parent_type:
        return (
            f"it is measured as {MeasureType(measure_type).label.lower()}, the objective's "
            f"indicator as {MeasureType(parent_type).label.lower()}"
        )
    if (
        measure_type != MeasureType.QUALITATIVE
        and (unit or "").strip().lower() != (parent_unit or "").strip().lower()
    ):
        return f"it is counted in {unit or 'no unit'}, the objective's indicator in {parent_unit or 'no unit'}"
    return None


def _combine_parts(rows: Sequence[tuple[tuple[str, str, Decimal], ...]], method: str, weights):
    """The parts (dimension, category) combined across contributors by `method`: each category
    over the contributors that report it."""
    keys: list[tuple[str, str]] = []
    for parts in rows:
        for dimension, category, _ in parts:
            if (dimension, category) not in keys:
                keys.append((dimension, category))
    out = []
    for key in sorted(keys):
        values, ws = [], []
        for parts, weight in zip(rows, weights, strict=True):
            for dimension, category, amount in parts:
                if (dimension, category) == key:
                    values.append(amount)
                    ws.append(weight)
        combined = roll_up(values, method, ws)
        if combined is not None:
            out.append((key[0], key[1], combined))
    return tuple(out)


def _own_parts(items: Sequence[Contribution], method: str) -> tuple[tuple[str, str, Decimal], ...]:
    """A contributor's parts over its own periods inside the objective's period, by its method."""
    if method == RollUp.LATEST:
        return items[-1].parts if items else ()
    return _combine_parts([c.parts for c in items], method, [Decimal(1)] * len(items))


def roll_up_period(
    parent_method: str,
    parent_unit: str,
    parent_type: str,
    contributors: Sequence[Contributor],
    contributions: Sequence[Contribution],
) -> RolledUp:
    """An objective indicator's value for one of its periods, from the approved actuals of its
    contributors whose periods end inside it (issue 17 item 10):
    1. a contributor of another unit or measure type is skipped, with the reason;
    2. each contributor combines its own values in the period by its own method (a monthly
       count declared `sum` adds up; a cumulative count or a level declared `latest` gives its
       last value), and its disaggregations the same way;
    3. the contributors' values combine by the objective indicator's method (sum, mean,
       weighted by each contributor's weight, latest = the contributor reported last), each
       (dimension, category) over the contributors that report it.
    A qualitative scale never sums (a level 2 and a level 3 are not a level 5)."""
    skipped: dict[int, str] = {}
    if parent_type == MeasureType.QUALITATIVE and parent_method == RollUp.SUM:
        return RolledUp(
            None,
            {},
            (),
            {c.source: "levels of a qualitative scale do not add up" for c in contributors},
        )
    ordered: list[tuple[dt.date, int, Decimal, Decimal, tuple]] = []
    for contributor in contributors:
        why = unit_mismatch(parent_unit, parent_type, contributor.unit, contributor.measure_type)
        if why:
            skipped[contributor.source] = why
            continue
        mine = sorted(
            (c for c in contributions if c.source == contributor.source),
            key=lambda c: c.period_end,
        )
        if not mine:
            continue
        own = roll_up([c.value for c in mine], contributor.method)
        if own is None:
            continue
        ordered.append(
            (
                mine[-1].period_end,
                contributor.source,
                own,
                contributor.weight,
                _own_parts(mine, contributor.method),
            )
        )
    ordered.sort(key=lambda row: (row[0], row[1]))
    values = [row[2] for row in ordered]
    weights = [row[3] for row in ordered]
    if parent_method == RollUp.LATEST:
        parts = ordered[-1][4] if ordered else ()
    else:
        parts = _combine_parts([row[4] for row in ordered], parent_method, weights)
    return RolledUp(
        roll_up(values, parent_method, weights),
        {row[1]: row[2] for row in ordered},
        parts,
        skipped,
    )


# What a result hangs on, lowest first; an indicator rolls up one level (issue 17 item 10).
ACTIVITY, IMO, CAMPAIGN_OBJECTIVE = "activity", "imo", "campaign objective"
ROLLS_UP_INTO = {ACTIVITY: IMO, IMO: CAMPAIGN_OBJECTIVE}
LEVEL_NAMES = {
    ACTIVITY: "an activity's",
    IMO: "an IMO/outcome's",
    CAMPAIGN_OBJECTIVE: "a campaign objective's",
}
OBJECT_NAMES = {IMO: "IMO/outcome", CAMPAIGN_OBJECTIVE: "campaign objective"}


def contribution_link_problems(
    parent_level: str,
    child_level: str,
    serves_objective: bool,
    mismatch: str | None,
    weight: Decimal | None,
    same: bool,
) -> list[Finding]:
    """Whether an indicator may roll up into another: an activity's into the IMO/outcome its
    activity serves, an IMO/outcome's into the campaign objective its IMO serves."""
    out = []
    if same:
        return [
            Finding("R-AME-02", "an indicator cannot roll up into itself.", field="contributes_to")
        ]
    into = ROLLS_UP_INTO.get(child_level)
    if into is None:
        out.append(
            Finding(
                "R-AME-02",
                "a campaign objective's indicator is the top of the roll-up.",
                "Link the IMO/outcome indicators that measure this objective instead.",
                "contributes_to",
            )
        )
    elif parent_level != into:
        out.append(
            Finding(
                "R-AME-02",
                f"{LEVEL_NAMES[child_level]} indicator rolls up into {LEVEL_NAMES[into]}, "
                f"and this one is {LEVEL_NAMES.get(parent_level, 'another record')}.",
                f"Choose an indicator of the {OBJECT_NAMES[into]} it serves.",
                "contributes_to",
            )
        )
    elif not serves_objective:
        out.append(
            Finding(
                "R-AME-02",
                "the activity does not serve this IMO/outcome (its line of activity is another's)."
                if child_level == ACTIVITY
                else "the IMO/outcome does not serve this campaign objective (it names another end state).",
                f"Choose an indicator of the {OBJECT_NAMES[into]} it serves.",
                "contributes_to",
            )
        )
    if mismatch:
        out.append(
            Finding(
                "R-AME-02",
                f"units differ: {mismatch}.",
                "Roll up only indicators counted in the same unit.",
                "contributes_to",
            )
        )
    if weight is not None and weight <= 0:
        out.append(
            Finding(
                "R-AME-02",
                "a roll-up weight is more than zero.",
                "Give a positive weight (1 when all contributors count alike).",
                "roll_up_weight",
            )
        )
    return out


# --- evaluations (R-AME-04) ----------------------------------------------------------------------


class Criterion(TextChoices):
    """The criteria an evaluation judges (R-AME-04; the OECD DAC criteria plus DoD's
    supportability)."""

    RELEVANCE = "relevance", "Relevance"
    EFFECTIVENESS = "effectiveness", "Effectiveness"
    EFFICIENCY = "efficiency", "Efficiency"
    IMPACT = "impact", "Impact"
    SUSTAINABILITY = "sustainability", "Sustainability"
    SUPPORTABILITY = "supportability", "Supportability"


class EvaluationKind(TextChoices):
    MIDTERM = "midterm", "Mid-term evaluation"
    FINAL = "final", "Final evaluation"
    POST_FIRST = "post_first", "Post-project evaluation (30 days)"
    POST_SECOND = "post_second", "Post-project evaluation (1 year)"
    OTHER = "other", "Other evaluation"


class EvaluationStatus(TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


EVALUATION = Lifecycle(
    "evaluation",
    dict(EvaluationStatus.choices),
    {
        "start": ((EvaluationStatus.PLANNED,), EvaluationStatus.IN_PROGRESS, "Start"),
        "complete": ((EvaluationStatus.IN_PROGRESS,), EvaluationStatus.COMPLETED, "Complete"),
        "cancel": (
            (EvaluationStatus.PLANNED, EvaluationStatus.IN_PROGRESS),
            EvaluationStatus.CANCELLED,
            "Cancel",
        ),
    },
    actions={
        "start": "secoop.assessment.actions.start_evaluation",
        "complete": "secoop.assessment.actions.complete_evaluation",
        "cancel": "secoop.assessment.actions.cancel_evaluation",
    },
)


def post_project_due(activity_end: dt.date, days: int) -> dt.date:
    """A post-project evaluation's due date: `days` after the activity ended (30 days and one
    year for humanitarian projects, dated facts)."""
    return activity_end + dt.timedelta(days=days)


def evaluation_overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    return (
        due_on is not None
        and due_on < today
        and status in (EvaluationStatus.PLANNED, EvaluationStatus.IN_PROGRESS)
    )


def criteria_stored(codes) -> str:
    """The criteria an evaluation plans to judge, as stored: ',relevance,impact,' (known codes,
    in the criteria's order, no repeats). `codes`: a list, or the stored/comma-separated text."""
    if isinstance(codes, str):
        codes = codes.split(",")
    wanted = {(c or "").strip().lower() for c in codes}
    kept = [c for c in Criterion.values if c in wanted]
    return f",{','.join(kept)}," if kept else ""


def criteria_shown(stored: str) -> list[str]:
    return [c for c in (stored or "").split(",") if c]


def unknown_criteria(codes) -> list[str]:
    """Codes that are not evaluation criteria (bad input from the API)."""
    if isinstance(codes, str):
        codes = codes.split(",")
    return [c.strip() for c in codes if c.strip() and c.strip().lower() not in Criterion.values]


def finding_criterion_problem(criterion: str, planned: Sequence[str]) -> Finding | None:
    """R-AME-04: a finding judges one of the criteria the evaluation's plan names (any criterion
    when the plan names none)."""
    if not planned or criterion in planned:
        return None
    names = ", ".join(Criterion(c).label.lower() for c in planned)
    return Finding(
        "R-AME-04",
        f"the evaluation's plan judges {names}, not {criterion}.",
        "Choose one of the planned criteria, or add this one to the evaluation's plan.",
        "criterion",
    )


def unjudged_criteria(planned: Sequence[str], judged: Iterable[str]) -> list[str]:
    """The planned criteria no finding judges yet."""
    done = set(judged)
    return [c for c in planned if c not in done]


@dataclass(frozen=True)
class FindingFacts:
    """An evaluation finding and how much evidence it cites."""

    label: str
    updates: int
    documents: int
    data: str = ""

    @property
    def cites_something(self) -> bool:
        return bool(self.updates or self.documents or self.data.strip())


def completion_problems(
    findings: Sequence[FindingFacts],
    recommended_adjustments: str,
    unjudged: Sequence[str] = (),
) -> list[Finding]:
    """R-AME-04: an evaluation is completed with findings that each rest on cited evidence
    (GAO-23-106275: conclusions that did not follow from their evidence), a finding for each
    criterion its plan names (`unjudged`: those without one) and its recommended adjustments
    recorded."""
    out = []
    if findings and unjudged:
        out.append(
            Finding(
                "R-AME-04",
                "no finding judges "
                + ", ".join(Criterion(c).label.lower() for c in unjudged)
                + ", which the evaluation's plan names.",
                "Record a finding for each planned criterion, with its evidence.",
            )
        )
    if not findings:
        out.append(
            Finding(
                "R-AME-04",
                "the evaluation has no findings.",
                "Record at least one finding, with the evidence it rests on.",
            )
        )
    bare = [f.label.rstrip(". ") for f in findings if not f.cites_something]
    if bare:
        out.append(
            Finding(
                "R-AME-04",
                f"{len(bare)} finding(s) cite no evidence: {'; '.join(bare[:3])}.",
                "Cite the updates, documents or data each finding rests on.",
            )
        )
    if not (recommended_adjustments or "").strip():
        out.append(
            Finding(
                "R-AME-04",
                "the recommended adjustments are not recorded.",
                "Say what should change (or that nothing should).",
                "recommended_adjustments",
            )
        )
    return out


# --- lessons (R-AME-05) --------------------------------------------------------------------------


class LessonKind(TextChoices):
    LESSON = "lesson", "Lesson learned"
    BEST_PRACTICE = "best_practice", "Best practice"


def tags_stored(text: str) -> str:
    """Tags as stored: ',border,logistics,' (lower case, no repeats), searchable as words."""
    seen: list[str] = []
    for raw in (text or "").replace(";", ",").split(","):
        tag = " ".join(raw.strip().lower().split())
        if tag and tag not in seen:
            seen.append(tag)
    return f",{','.join(seen)}," if seen else ""


def tags_shown(stored: str) -> list[str]:
    return [t for t in (stored or "").split(",") if t]


def lesson_problems(title: str, observation: str, recommendation: str) -> list[Finding]:
    out = []
    for value, field, what in (
        (title, "title", "a title"),
        (observation, "observation", "what was observed"),
        (recommendation, "recommendation", "what to do next time"),
    ):
        if not (value or "").strip():
            out.append(Finding("R-AME-05", f"the lesson has no {field}.", f"Write {what}.", field))
    return out


# --- IATI export: what may leave -----------------------------------------------------------------


def public_problem(classification: int, dissemination: str, public_release: bool) -> str | None:
    """Why a record is left out of the public IATI file, or None when it may be published: only
    UNCLASSIFIED records, without a dissemination control, approved for public release."""
    if classification != 0:
        return "not UNCLASSIFIED"
    if dissemination:
        return "carries a dissemination control (NOFORN or REL TO)"
    if not public_release:
        return "not approved for public release"
    return None


def iati_activity_status(status: str) -> str:
    """Planning's activity status as IATI's ActivityStatus (SPEC §11): 1 pipeline,
    2 implementation, 3 finalisation, 4 closed, 5 cancelled."""
    return {
        "proposed": "1",
        "planned": "1",
        "ongoing": "2",
        "completed": "4",
        "cancelled": "5",
    }.get(status, "1")


# --- campaign plan assessments (R-AME-06) ---------------------------------------------------------


class AssessedPlan(TextChoices):
    """R-AME-06: a command's campaign plan, or a MILDEP's or defense agency's campaign support
    plan (from the plan's kind in planning, set when the template is issued)."""

    CAMPAIGN = "campaign", "Campaign plan assessment"
    SUPPORT = "support", "Campaign support plan assessment"


class CampaignAssessmentStatus(TextChoices):
    TEMPLATE = "template", "Template issued: the plan's owner assesses"
    ASSESSED = "assessed", "Assessed by the plan's owner: with the Joint Staff"
    REVIEWED = "reviewed", "Reviewed by the Joint Staff: with OSD"
    EVALUATED = "evaluated", "Evaluated by OSD"


CAMPAIGN_ASSESSMENT = Lifecycle(
    "campaign plan assessment",
    dict(CampaignAssessmentStatus.choices),
    {
        "submit": (
            (CampaignAssessmentStatus.TEMPLATE,),
            CampaignAssessmentStatus.ASSESSED,
            "Submit to the Joint Staff",
        ),
        "review": (
            (CampaignAssessmentStatus.ASSESSED,),
            CampaignAssessmentStatus.REVIEWED,
            "Review and send to OSD",
        ),
        "return": (
            (CampaignAssessmentStatus.ASSESSED,),
            CampaignAssessmentStatus.TEMPLATE,
            "Return to the command",
        ),
        "evaluate": (
            (CampaignAssessmentStatus.REVIEWED,),
            CampaignAssessmentStatus.EVALUATED,
            "Record OSD's evaluation",
        ),
    },
    actions={
        name: f"secoop.assessment.actions.{name}_campaign_assessment"
        for name in ("submit", "review", "return", "evaluate")
    },
)


class Adequacy(TextChoices):
    ADEQUATE = "adequate", "Adequate"
    PARTLY = "partly", "Partly adequate"
    INADEQUATE = "inadequate", "Inadequate"


def campaign_submission_problems(objectives: int, assessed: int) -> list[Finding]:
    """R-AME-06: the command assesses every objective of its plan (progress, risks, resource
    adequacy) before the assessment goes to the Joint Staff. Assessments may be qualitative."""
    if objectives == 0:
        return [
            Finding(
                "R-AME-06",
                "the campaign plan has no objective to assess.",
                "Add its IMOs/outcomes in planning first.",
            )
        ]
    if assessed < objectives:
        return [
            Finding(
                "R-AME-06",
                f"{objectives - assessed} of the plan's {objectives} objectives are not assessed yet.",
                "Record progress, risks and resource adequacy for each IMO/outcome.",
            )
        ]
    return []


# --- monitoring of inputs, costs, schedule and performance (R-AME-04) ---------------------------


class Performance(TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


def schedule_variance(planned: dt.date, actual: dt.date | None) -> int | None:
    """Days late (positive) or early (negative) against the plan; None before it happened."""
    return None if actual is None else (actual - planned).days


def monitoring_problems(
    as_of: dt.date,
    actual_start: dt.date | None,
    actual_end: dt.date | None,
    performance: str,
    note: str,
    today: dt.date,
) -> list[Finding]:
    """R-AME-04: what monitoring records has happened (no actual date in the future), in order,
    and a performance at risk or off track says why."""
    out = []
    if as_of > today:
        out.append(
            Finding(
                "R-AME-04",
                f"the monitoring date {as_of:%d %b %Y} is in the future.",
                "Record what is known today.",
                "as_of",
            )
        )
    for day, field, what in (
        (actual_start, "actual_start", "started"),
        (actual_end, "actual_end", "ended"),
    ):
        if day is not None and day > as_of:
            out.append(
                Finding(
                    "R-AME-04",
                    f"the activity cannot have {what} on {day:%d %b %Y}, after the monitoring date.",
                    "Give the date it actually happened, or leave it blank until it does.",
                    field,
                )
            )
    if actual_end is not None and actual_start is None:
        out.append(
            Finding(
                "R-AME-04",
                "an activity that ended has a start date.",
                "Give the actual start.",
                "actual_start",
            )
        )
    elif actual_end is not None and actual_start is not None and actual_end < actual_start:
        out.append(
            Finding(
                "R-AME-04",
                "the actual end is before the actual start.",
                "Give an end on or after the start.",
                "actual_end",
            )
        )
    if performance not in Performance.values:
        out.append(
            Finding(
                "R-AME-04",
                f"performance is one of {', '.join(Performance.values)}.",
                field="performance",
            )
        )
    elif performance != Performance.ON_TRACK and not (note or "").strip():
        out.append(
            Finding(
                "R-AME-04",
                f"a performance {Performance(performance).label.lower()} needs a note.",
                "Say what is behind it and what is done about it.",
                "performance_note",
            )
        )
    return out


def actual_cost_problems(amount, fiscal_year: int, current_fy: int) -> list[Finding]:
    """R-AME-07: an actual cost is a non-negative amount in USD for a fiscal year that has begun."""
    out = []
    number = as_decimal(amount)
    if number is None:
        out.append(
            Finding(
                "R-AME-07",
                f"“{amount}” is not an amount in USD.",
                "Give a number such as 12500.00, without a currency sign.",
                "amount",
            )
        )
    elif number < 0:
        out.append(
            Finding("R-AME-07", "an actual cost is not negative.", "Give zero or more.", "amount")
        )
    elif number != number.quantize(Decimal("0.01")):
        out.append(Finding("R-AME-07", "USD have two decimals.", "Round to the cent.", "amount"))
    if fiscal_year > current_fy:
        out.append(
            Finding(
                "R-AME-07",
                f"FY{fiscal_year} has not begun: an actual cost is spent money.",
                "Plan future money as the activity's funding in planning.",
                "fiscal_year",
            )
        )
    return out


# --- return on investment (R-AME-07) ---------------------------------------------------------------


def cost_per_point(spend: Decimal | None, progress_share: Decimal | None) -> Decimal | None:
    """USD per percentage point of progress toward the targets; None when nothing was spent
    or no progress was made (no division by zero, no negative cost)."""
    if spend is None or progress_share is None or progress_share <= 0:
        return None
    return (spend / (progress_share * 100)).quantize(Decimal("0.01"))
