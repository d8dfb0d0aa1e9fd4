"""'What needs me today' for budget and forecasts: the holder of a budget request's current stage
(the SCO, the CCMD, the Joint Staff, DSCA, OSD Policy, State PM) sees the requests waiting for
them with the stage's due date (R-BUD-05); the SCO sees its draft forecast (R-FCT-01); the SCO and
the CCMD see the inconsistencies of the consonance check for their countries (R-FCT-04). Partners
and industry see nothing here (R-FCT-05)."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse

from secoop.core import clock
from secoop.core.formats import counted
from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import marking_of
from secoop.core.today import overdue_severity
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import actions
from . import consonance
from .models import BudgetRequest
from .models import ForecastSubmission
from .rules import Stage

SECTION = "Budget and forecasts"
LIMIT = 8


@register(SECTION)
def requests_waiting(user) -> list[TodayItem]:
    if not usg_holding(user, actions.HOLDERS):
        return []
    today = clock.today_for(user)
    items = []
    for r in (
        BudgetRequest.objects.visible_to(user)
        .exclude(stage=Stage.ALLOCATED)
        .select_related("country")
        .order_by("-budget_fy", "pk")[:50]
    ):
        if len(items) >= LIMIT:
            break
        try:
            actions.require_holder(user, r, "act on it")
        except (PermissionDenied, ValidationError):  # not this user's stage
            continue
        step = actions.due_step(r.call_id, r.stage, user)
        due = step.due_on if step else None
        item = about(
            r,
            "R-BUD-05",
            f"{r} waits for you ({r.stage_label.lower()})",
            f"Review it, modify it if needed, and hand it on{f' by {due:%d %b %Y}' if due else ''}.",
            severity=overdue_severity(due, today),
            due=due,
        )
        # The due date is the call step's: the item is marked by both (decision 0047).
        items.append(replace(item, marking=marking_of([r, step])) if step else item)
    return items


@register(SECTION)
def forecasts_to_submit(user) -> list[TodayItem]:
    if not usg_holding(user, actions.FORECASTERS):
        return []
    return [
        about(
            f,
            "R-FCT-01",
            f"{f} to submit",
            "One submission a year, tasked in April and due in June: list every possible sale, however unlikely.",
        )
        for f in ForecastSubmission.objects.editable_by(user)
        .filter(status="draft")
        .select_related("country")[:LIMIT]
    ]


@register(SECTION)
def inconsistencies(user) -> list[TodayItem]:
    if not usg_holding(user, actions.FORECASTERS | Stage.ROLES[Stage.CCMD]):
        return []
    countries = {
        f.country
        for f in ForecastSubmission.objects.visible_to(user)
        .select_related("country")
        .order_by("-report_year")[:3]
    }
    items = []
    ordered = sorted(countries, key=lambda c: c.name)
    # Issue 15 item 4: one consonance pass for all the countries (check_many), not one a country.
    for country, result in zip(ordered, consonance.check_many(user, ordered), strict=True):
        found = result.found
        if found:
            items.append(
                TodayItem(
                    title=f"{counted(len(found), 'inconsistency', 'inconsistencies')} between forecasts, budget and plans: {country.name}",
                    detail="A forecast sale with no plan objective, a budget line not in the MSRP/ICS, an LOR with no forecast, or amounts that disagree.",
                    url=reverse("budget:consonance", args=[country.pk]),
                    rule="R-FCT-04",
                    severity="warning",
                    count=len(found),
                    marking=marking_of(result.records),
                )
            )
    return items
