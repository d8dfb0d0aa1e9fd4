"""'What needs me today' for end-use monitoring: the SCO's U.S. staff see the overdue and coming
EEUM inventories, CAV, routine report and database review of their countries, and the open
possible violations; the country team sees violations to forward; DoS PM sees end-use requests
awaiting the USG decision; the partner sees its own inventories and reports due (R-EUM-03) and
the status of its possible violations."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from secoop.core import access
from secoop.core import clock
from secoop.core.formats import counted
from secoop.core.rules import Role
from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import marking_of
from secoop.core.today import overdue_severity
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import actions
from . import rules
from .models import EndUseRequest
from .models import PossibleViolation
from .models import TransferredArticle

SECTION = "End-use monitoring"
SOON_DAYS = 30  # a due date this close shows before it is overdue (a display choice, not a rule)
SHOWN = 6


def _countries(user) -> list[str]:
    return sorted(
        set(
            TransferredArticle.objects.visible_to(user)
            .order_by()
            .values_list("country_id", flat=True)
            .distinct()[:20]
        )
    )


def _due_items(user, today: dt.date) -> list[TodayItem]:
    """The SHOWN EUM dates of the user's countries due first, overdue or within SOON_DAYS
    (issue 15: read in SQL up to what is shown, actions.first_dues)."""
    until = today + dt.timedelta(days=SOON_DAYS)
    items = []
    for country, d, article in actions.first_dues(user, _countries(user), today, until, SHOWN):
        url = (
            reverse("eum:article-detail", args=[d.article])
            if d.article
            else reverse("eum:index") + f"?country={country}"
        )
        items.append(
            TodayItem(
                title=f"{d.what} {'overdue' if d.overdue else 'due'} ({country})",
                detail=f"Due {d.due:%d %b %Y}.",
                url=url,
                rule=d.rule,
                severity=overdue_severity(d.due, today),
                due=d.due,
                marking=marking_of([article]),
            )
        )
    return items


@register(SECTION)
def sco_eum(user) -> list[TodayItem]:
    """The SCO's U.S. staff: what falls due, and the possible violations still open."""
    if not usg_holding(user, actions.MONITORS):
        return []
    today = clock.today_for(user)
    items = _due_items(user, today)
    open_ = PossibleViolation.objects.editable_by(user).filter(status__in=rules.VIOLATION_OPEN)
    counted_ = list(open_[:101])
    n = len(counted_)
    if n:
        first = open_.order_by("opened_on").first()
        items.append(
            TodayItem(
                title=f"{counted(n, 'possible violation')} open",
                detail="Investigate locally; forward to DoS PM/RSAT what is not resolved.",
                url=first.get_absolute_url() if n == 1 else reverse("eum:violations"),
                rule="R-EUM-07",
                severity="error",
                due=first.opened_on,
                count=n,
                marking=marking_of(counted_),
            )
        )
    return items


@register(SECTION)
def violations_to_forward(user) -> list[TodayItem]:
    """R-EUM-07: the country team forwards what the SCO could not resolve locally."""
    if not usg_holding(user, {Role.COUNTRY_TEAM}):
        return []
    waiting = PossibleViolation.objects.visible_to(user).filter(status="investigating")[:SHOWN]
    return [
        about(
            v,
            "R-EUM-07",
            f"{v.summary}: resolve or forward to DoS PM/RSAT",
            f"Opened {v.opened_on:%d %b %Y}.",
            due=v.opened_on,
        )
        for v in waiting
    ]


@register(SECTION)
def end_use_decisions(user) -> list[TodayItem]:
    """R-EUM-05/06: DoS PM decides changes of end use and third-party transfers."""
    if not usg_holding(user, actions.STATE):
        return []
    waiting = EndUseRequest.objects.visible_to(user).filter(status="requested")[:SHOWN]
    return [
        about(
            r,
            rules.rule_of(r.kind),
            f"{r}: USG decision needed",
            f"Requested {r.requested_on:%d %b %Y}; nothing is carried out before the decision.",
            due=r.requested_on,
        )
        for r in waiting
    ]


@register(SECTION)
def partner_eum(user) -> list[TodayItem]:
    """The partner: its routine reports and inventories due, its possible violations' status."""
    profile = access.profile_for(user)
    if profile is None or profile.person.audience != "PARTNER":
        return []
    today = clock.today_for(user)
    items = [i for i in _due_items(user, today) if i.rule in ("R-EUM-03", rules.EEUM)]
    for v in PossibleViolation.objects.visible_to(user).filter(
        status__in=rules.VIOLATION_OPEN + ("forwarded",)
    )[:SHOWN]:
        items.append(
            about(
                v,
                "R-EUM-07",
                v.summary,
                f"{v.get_status_display()} since {v.opened_on:%d %b %Y}.",
                due=v.opened_on,
            )
        )
    return items
