"""'What needs me today' for training: the SCO sees students missing vetting, medical or the ITO,
arrival notices due or overdue and after-training records missing; the CCMD planner sees CETPPs
awaiting review; the partner sees their nominees' status. Reads through the door."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from secoop.core import access, clock
from secoop.core.rules import Audience, Role
from secoop.core.today import TodayItem, register

from . import findings
from .models import Cetpp, CetppStatus, Readiness, Student, StudentStatus

SECTION = "Training"
SCO_ROLES = frozenset({Role.SCO_CHIEF, Role.SCO_OFFICER, Role.SDO_DATT, Role.LE_ASSISTANT})
PLANNER_ROLES = frozenset({Role.CCMD_PLANNER, Role.COUNTRY_DESK_OFFICER})
AREAS = {
    "vetting": ("missing human-rights vetting", "R-TRN-06"),
    "medical": ("missing or expired medical clearance", "R-TRN-05"),
    "rdfp": ("with an RDFP nomination not yet through the CCMD and OSD/SOLIC", "R-TRN-03"),
    "ito": ("waiting for an ITO", "R-TRN-08"),
    "arrival": ("with an arrival notice due or overdue", "R-TRN-09"),
    "after": ("with after-training records missing", "R-TRN-10"),
}


def _roles(user) -> set[str]:
    return set(user.memberships.values_list("role", flat=True))


@register(SECTION)
def sco_students(user) -> list[TodayItem]:
    profile = access.profile_for(user)
    if profile is None or profile.person.audience != Audience.USG or not (_roles(user) & SCO_ROLES):
        return []
    today = clock.today_for(user)
    lists = findings.checklists(
        Student.objects.editable_by(user).filter(status__in=findings.OPEN), today, user
    )
    items = []
    for area, (what, rule) in AREAS.items():
        hits = [c for c in lists if area in c.areas]
        if not hits:
            continue
        overdue = any(i.overdue for c in hits for i in c.by_area(area))
        dues = [i.due for c in hits for i in c.by_area(area) if i.due]
        items.append(
            TodayItem(
                title=f"{len(hits)} student{'s' if len(hits) != 1 else ''} {what}",
                detail=", ".join(str(c.student) for c in hits[:4]) + ("…" if len(hits) > 4 else ""),
                url=reverse("training:index") + f"?missing={area}",
                rule=rule,
                severity="error" if overdue else "warning",
                due=min(dues) if dues else None,
                count=len(hits),
            )
        )
    return items


@register(SECTION)
def cetpps_awaiting_review(user) -> list[TodayItem]:
    profile = access.profile_for(user)
    if (
        profile is None
        or profile.person.audience != Audience.USG
        or not (_roles(user) & PLANNER_ROLES)
    ):
        return []
    return [
        TodayItem(
            title=f"CETPP FY{c.fiscal_year} for {c.plan.country} awaits your review",
            detail=f"Submitted {c.submitted_on:%d %b %Y}: approve or return it with comments.",
            url=c.get_absolute_url(),
            rule="R-TRN-02",
            severity="warning",
            due=c.submitted_on,
        )
        for c in Cetpp.objects.editable_by(user)
        .filter(status=CetppStatus.SUBMITTED)
        .select_related("plan__country")[:8]
    ]


@register(SECTION)
def rdfp_to_forward(user) -> list[TodayItem]:
    """R-TRN-03: Regional Defense Fellowship nominations the CCMD has not forwarded to OSD/SOLIC."""
    profile = access.profile_for(user)
    if (
        profile is None
        or profile.person.audience != Audience.USG
        or not (_roles(user) & PLANNER_ROLES)
    ):
        return []
    waiting = [
        s
        for s in Student.objects.editable_by(user)
        .filter(program="rdfp", status__in=(StudentStatus.NOMINATED, StudentStatus.SCREENING))
        .prefetch_related(Prefetch("readiness", queryset=Readiness.objects.visible_to(user)))
        if not (getattr(s, "readiness", None) and s.readiness.rdfp_forwarded_on)
    ]
    return [
        TodayItem(
            title=f"RDFP nomination of {s} to forward to OSD/SOLIC",
            detail=f"{s.course_title}, class starts {s.class_start:%d %b %Y}.",
            url=s.get_absolute_url(),
            rule="R-TRN-03",
            severity="warning",
            due=s.class_start,
        )
        for s in waiting[:8]
    ]


@register(SECTION)
def partner_nominees(user) -> list[TodayItem]:
    profile = access.profile_for(user)
    if profile is None or profile.person.audience != Audience.PARTNER:
        return []
    students = list(
        Student.objects.visible_to(user)
        .exclude(status=StudentStatus.WITHDRAWN)
        .order_by("class_start")[:8]
    )
    return [
        TodayItem(
            title=f"{s}: {s.get_status_display()}",
            detail=f"{s.course_title}, {s.class_start:%d %b %Y}–{s.class_end:%d %b %Y}",
            url=s.get_absolute_url(),
            due=s.class_start,
        )
        for s in students
    ]
