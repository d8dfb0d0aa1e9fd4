"""'What needs me today' for planning (ARCHITECTURE §5): the planner sees IMOs failing SMART and
activities whose assessment is overdue; the SCO sees unlinked activities and overdue assessments
for its country; everyone sees the assumptions past review that they may change and the
activities they sponsor that sit inside the request-for-forces lead time. Reads through the door."""

from __future__ import annotations

from django.urls import reverse

from secoop.core import clock
from secoop.core.formats import counted
from secoop.core.related import GuardedPrefetch
from secoop.core.rules import Role
from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import count_item
from secoop.core.today import counted_rows
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import findings
from . import rules

SECTION = "Planning"
PLANNER_ROLES = frozenset({Role.CCMD_PLANNER, Role.COUNTRY_DESK_OFFICER})
SCO_ROLES = frozenset({Role.SCO_CHIEF, Role.SCO_OFFICER, Role.SDO_DATT, Role.LE_ASSISTANT})
LIMIT = 8
ROLES_ATTR = "_planning_roles"


def _roles(user) -> tuple[frozenset[str], frozenset[str]]:
    """(the user's roles, the countries of the organizations where they hold an SCO role)."""
    cached = getattr(user, ROLES_ATTR, None)
    if cached is None:
        roles, countries = set(), set()
        for m in user.memberships.select_related("organization"):
            roles.add(m.role)
            if m.role in SCO_ROLES and m.organization.country_id:
                countries.add(m.organization.country_id)
        cached = (frozenset(roles), frozenset(countries))
        setattr(user, ROLES_ATTR, cached)
    return cached


@register(SECTION)
def imos_failing_smart(user) -> list[TodayItem]:
    """R-PLN-02: the planner's IMOs (in plans they may change) that fail SMART."""
    from .models import IntermediateObjective

    if not usg_holding(user) or not (_roles(user)[0] & PLANNER_ROLES):
        return []
    imos = (
        IntermediateObjective.objects.editable_by(user)
        .select_related("line_of_effort__campaign_plan")
        .prefetch_related(GuardedPrefetch("measures", user))
        .order_by("deadline", "title")
    )
    items = []
    for imo in imos:
        found = findings.imo_findings(imo, imo.measures.all(), findings.plan_end(imo, user))
        if found:
            detail = "; ".join(f.message for f in found[:3]) + (" …" if len(found) > 3 else "")
            items.append(about(imo, "R-PLN-02", f"IMO not SMART: {imo.title}", detail))
    return items[:LIMIT]


@register(SECTION)
def assessments_overdue(user) -> list[TodayItem]:
    """R-PLN-06: completed activities the user's organization sponsors, without an assessment;
    for an SCO, also those of its country."""
    from .models import Activity

    if not usg_holding(user):
        return []
    roles, countries = _roles(user)
    overdue = dict(status=rules.Status.COMPLETED, assessed_on__isnull=True)
    items, listed = [], []
    if roles & (PLANNER_ROLES | SCO_ROLES):
        for a in (
            Activity.objects.editable_by(user)
            .filter(**overdue)
            .order_by("assessment_due", "title")[:LIMIT]
        ):
            listed.append(a.pk)
            done = f"Completed {rules.fmt(a.completed_on)}. " if a.completed_on else ""
            items.append(
                about(
                    a,
                    "R-PLN-06",
                    f"Assessment overdue: {a.title}",
                    f"{done}Your organization sponsored it: enter its assessment.",
                    severity="error",
                    due=a.assessment_due,
                )
            )
    if countries:
        others = (
            Activity.objects.visible_to(user)
            .filter(country_id__in=sorted(countries), **overdue)
            .exclude(pk__in=listed)
        )
        n, marking = counted_rows(others)
        items += count_item(
            n,
            "R-PLN-06",
            f"{counted(n, 'other activity', 'other activities')} in your country completed without an assessment",
            "Their sponsors enter the assessments; the SCO checks that the activities of its country are captured and accurate (SAMM C2.1.3.2.3).",
            reverse("planning:activities") + "?overdue=yes",
            marking=marking,
        )
    return items


@register(SECTION)
def unlinked_activities(user) -> list[TodayItem]:
    """R-PLN-01: the SCO sees the activities of its country that serve no line of activity."""
    from .models import Activity

    if not usg_holding(user):
        return []
    countries = _roles(user)[1]
    if not countries:
        return []
    unlinked = (
        Activity.objects.visible_to(user)
        .filter(country_id__in=sorted(countries), line_of_activity__isnull=True)
        .exclude(status=rules.Status.CANCELLED)
    )
    n, marking = counted_rows(unlinked)
    return count_item(
        n,
        "R-PLN-01",
        f"{counted(n, 'unlinked activity', 'unlinked activities')} in your country",
        "Not linked to a line of activity, so to no IMO: link each, or drop it.",
        reverse("planning:activities") + "?unlinked=yes",
        marking=marking,
    )


@register(SECTION)
def assumptions_past_review(user) -> list[TodayItem]:
    """R-PLN-04: assumptions the user may change that are past their review date."""
    from .models import PlanningAssumption

    if not usg_holding(user) or not (_roles(user)[0] & (PLANNER_ROLES | SCO_ROLES)):
        return []
    today = clock.today_for(user)
    return [
        about(
            a,
            "R-PLN-04",
            f"Assumption past review: {a.statement[:90]}",
            "Confirm it is still valid and necessary, revise it or drop it.",
            due=a.review_on,
        )
        for a in PlanningAssumption.objects.editable_by(user)
        .filter(rules.assumption_overdue_q(today))
        .order_by("review_on")[:LIMIT]
    ]


@register(SECTION)
def inside_rff_lead_time(user) -> list[TodayItem]:
    """R-PLN-10: activities the user may change that need U.S. forces inside the RFF lead time."""
    from .models import Activity

    if not usg_holding(user) or not (_roles(user)[0] & (PLANNER_ROLES | SCO_ROLES)):
        return []
    today = clock.today_for(user)
    items = []
    candidates = (
        Activity.objects.editable_by(user)
        .filter(
            needs_us_forces=True,
            status__in=[rules.Status.PROPOSED, rules.Status.PLANNED],
            start_date__gte=today,
        )
        .order_by("start_date")
    )
    for a in candidates[:200]:
        problem = rules.rff_problem(a.start_date, True, a.rff_lead_days, a.rff_submitted_on, today)
        if problem:
            items.append(
                about(
                    a,
                    "R-PLN-10",
                    f"Inside the request-for-forces lead time: {a.title}",
                    problem.message[0].upper() + problem.message[1:],
                    due=a.start_date,
                )
            )
    return items[:LIMIT]
