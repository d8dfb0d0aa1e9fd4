"""Findings shown beside planning records (API, pages, home): the pure rules applied to records
already read through the door. No queries here: callers prefetch what is needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from . import rules
from .rules import Finding


def activity_flags(
    activity,
    today: dt.date,
    dependencies: Iterable = (),
    can_see: Callable[[object], bool] = lambda record: True,
) -> list[Finding]:
    """R-PLN-01 unlinked, R-PLN-06 assessment overdue, R-PLN-10 inside the RFF lead time,
    R-PLN-09 a dependency on a predecessor the dates break (`dependencies`: the activity's
    `depends_on` rows with their predecessors)."""
    out: list[Finding] = []
    if rules.is_unlinked(activity.line_of_activity_id):
        out.append(
            Finding(
                "R-PLN-01",
                "Unlinked: serves no line of activity, so no IMO",
                "link it to a line of activity, or drop it",
            )
        )
    if rules.assessment_overdue(activity.status, activity.assessed_on):
        done = f" since {rules.fmt(activity.completed_on)}" if activity.completed_on else ""
        out.append(
            Finding(
                "R-PLN-06",
                f"Assessment overdue{done}",
                "the sponsoring organization enters its assessment",
            )
        )
    if activity.status in (rules.Status.PROPOSED, rules.Status.PLANNED):
        rff = rules.rff_problem(
            activity.start_date,
            activity.needs_us_forces,
            activity.rff_lead_days,
            activity.rff_submitted_on,
            today,
        )
        if rff:
            out.append(Finding("R-PLN-10", "Inside the request-for-forces lead time", rff.message))
    for dep in dependencies:
        pred = dep.predecessor
        earliest = rules.earliest_start(pred.end_date, dep.lag_days)
        if activity.start_date < earliest:
            name = f"“{pred.title}”" if can_see(pred) else "an activity you may not see"
            out.append(
                Finding(
                    "R-PLN-09",
                    f"Starts before {name} ends{f' plus {dep.lag_days} days' if dep.lag_days else ''}",
                    f"start on or after {rules.fmt(earliest)}, or end the predecessor earlier",
                )
            )
    return out


def imo_findings(imo, measures, plan_end: dt.date | None) -> list[Finding]:
    """R-PLN-02 for an IMO whose measures were read through the door."""
    return rules.smart(imo.smart_facts(list(measures), plan_end))


def as_dicts(findings: Iterable[Finding]) -> list[dict]:
    return [
        {"rule": f.rule, "letter": f.letter, "message": f.message, "fix": f.fix} for f in findings
    ]
