"""Findings shown beside planning records (API, pages, home): the pure rules applied to records
already read through the door. No queries here: callers prefetch what is needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..core.related import related
from ..core.related import trusted_following
from . import rules
from .rules import Finding


def activity_flags(
    activity, today: dt.date, dependencies: Iterable = (), user=None
) -> list[Finding]:
    """R-PLN-01 unlinked, R-PLN-06 assessment overdue, R-PLN-10 inside the RFF lead time,
    R-PLN-09 a dependency on a predecessor the dates break (`dependencies`: the activity's
    `depends_on` rows with their predecessors). A predecessor's title is named only to a `user`
    who may see it (None: the system, who sees all)."""
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
        with trusted_following():  # R-PLN-09 holds whoever sees the predecessor: its end date
            pred = dep.predecessor
        earliest = rules.earliest_start(pred.end_date, dep.lag_days)
        if activity.start_date < earliest:
            seen = pred if user is None else related(dep, "predecessor", user)
            name = f"“{seen.title}”" if seen is not None else "an activity you may not see"
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


def plan_end(imo, user) -> dt.date | None:
    """The end of the IMO's campaign plan, for R-PLN-02's time-bound test, when `user` may see
    the line of effort and the plan (a finding never rests on a record the user may not see)."""
    plan = related(related(imo, "line_of_effort", user), "campaign_plan", user)
    return plan.period_end if plan is not None else None


def as_dicts(findings: Iterable[Finding]) -> list[dict]:
    return [
        {"rule": f.rule, "letter": f.letter, "message": f.message, "fix": f.fix} for f in findings
    ]
