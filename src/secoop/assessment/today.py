"""'What needs me today' for assessment: updates waiting for the user's decision (U.S. staff who
approve for the indicator's owner, never their own: R-SEC-11), the user's returned updates,
indicator updates overdue by the indicator's reporting frequency (R-AME-02) for those who report,
and evaluations past their due date (R-AME-04; the post-project evaluations GAO-12-359 found
missing). Every count reads through the door (visible_to / editable_by)."""

from __future__ import annotations

from django.urls import reverse

from secoop.core import clock
from secoop.core.formats import counted
from secoop.core.today import TodayItem
from secoop.core.today import handles
from secoop.core.today import marking_of
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import actions
from . import findings
from . import rules
from .models import Evaluation
from .models import Update
from .rules import EVALUATION
from .rules import UPDATE
from .rules import UpdateStatus

SECTION = "Assessment"
NAMED = 3


@register(SECTION)
def updates_to_decide(user) -> list[TodayItem]:
    if not usg_holding(user, actions.APPROVERS):
        return []
    waiting = findings.updates_to_decide(user)
    n = len(waiting)
    if not n:
        return []
    return [
        TodayItem(
            title=f"{counted(n, 'indicator update', 'indicator updates')} to approve or return",
            detail="; ".join(findings.indicator_of(u, user) for u in waiting[:NAMED])
            + (" …" if n > NAMED else "")
            + ". You cannot approve an update you wrote (R-SEC-11).",
            url=reverse("assessment:updates") + f"?status={UpdateStatus.SUBMITTED}",
            rule="R-SEC-11",
            count=n,
            marking=marking_of(waiting),
        )
    ]


@register(SECTION)
def my_returned_updates(user) -> list[TodayItem]:
    if not handles(user, actions.REPORTERS):
        return []
    returned = (
        Update.objects.editable_by(user)
        .filter(status=UpdateStatus.RETURNED, entered_by=user)
        .order_by("pk")
    )
    counted_ = list(returned[:101])
    n = len(counted_)
    if not n:
        return []
    return [
        TodayItem(
            title=f"{counted(n, 'update', 'updates')} returned to you",
            detail="Correct and submit again: " + UPDATE["submit"].label.lower() + ".",
            url=reverse("assessment:updates") + f"?status={UpdateStatus.RETURNED}",
            rule="R-AME-02",
            severity="warning",
            count=n,
            marking=marking_of(counted_),
        )
    ]


@register(SECTION)
def overdue_indicator_updates(user) -> list[TodayItem]:
    if not handles(user, actions.REPORTERS):
        return []
    today = clock.today_for(user)
    overdue = findings.overdue_indicators(user, today)
    if not overdue:
        return []
    first = overdue[0]
    return [
        TodayItem(
            title=f"{counted(len(overdue), 'indicator', 'indicators')} overdue for an update",
            detail="; ".join(f"{row.name} (due {row.due:%d %b %Y})" for row in overdue[:NAMED])
            + ". Updates are due one reporting interval after the last period reported.",
            url=first.indicator.get_absolute_url()
            if len(overdue) == 1
            else reverse("assessment:indicators"),
            rule="R-AME-02",
            severity="error",
            due=first.due,
            count=len(overdue),
            marking=marking_of([row.indicator for row in overdue]),
        )
    ]


@register(SECTION)
def indicator_updates_falling_due(user) -> list[TodayItem]:
    """Issue 17 item 10: the periods whose update falls due in the next days, by the
    indicator's reporting frequency (the periods it made), for those who report."""
    if not handles(user, actions.REPORTERS):
        return []
    due = findings.updates_falling_due(user, clock.today_for(user))
    if not due:
        return []
    first = due[0]
    return [
        TodayItem(
            title=f"{counted(len(due), 'indicator update', 'indicator updates')} falling due "
            f"in the next {rules.DUE_SOON_DAYS} days",
            detail="; ".join(f"{d.name} (due {d.due:%d %b %Y})" for d in due[:NAMED])
            + (" …" if len(due) > NAMED else "")
            + ".",
            url=reverse("assessment:indicator-report", args=[first.indicator.pk])
            + f"?period={first.period.pk}"
            if len(due) == 1
            else reverse("assessment:index"),
            rule="R-AME-02",
            severity="warning",
            due=first.due,
            count=len(due),
        )
    ]


@register(SECTION)
def evaluations_overdue(user) -> list[TodayItem]:
    if not usg_holding(user, actions.EVALUATORS):
        return []
    today = clock.today_for(user)
    late = (
        Evaluation.objects.editable_by(user)
        .filter(
            status__in=EVALUATION.states_allowing("complete", "start"),
            due_on__lt=today,
        )
        .order_by("due_on", "pk")
    )
    rows = list(late[:NAMED])
    if not rows:
        return []
    counted_ = list(late[:101])
    n = len(counted_)
    return [
        TodayItem(
            title=f"{counted(n, 'evaluation', 'evaluations')} past due",
            detail="; ".join(f"{e} (due {e.due_on:%d %b %Y})" for e in rows),
            url=rows[0].get_absolute_url() if n == 1 else reverse("assessment:evaluations"),
            rule="R-AME-04",
            severity="error",
            due=rows[0].due_on,
            count=n,
            marking=marking_of(counted_),
        )
    ]
