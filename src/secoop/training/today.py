"""'What needs me today' for training: the SCO's staff see the students whose steps they handle
that are missing (vetting, medical, RDFP approval, ITO, arrival notice, after training); the CCMD
planner sees CETPPs awaiting review and RDFP nominations to forward; the partner, who acts on no
student step once a student is nominated, is shown none (their training page shows each student's
status, every step "with U.S. staff").

Issue 12.1: a step is on a user's list only if they handle it (findings.handled_areas: the role of
the step's action, and a clearance and citizenship that read the step's records as marked by
default); whether it is missing is the trusted query findings.missing_q, never the records the user
happens to see, so LE staff are not told a NOFORN vetting was "never requested". Issue 14.6: counts
are queries; only the first few students per step are loaded, to name them and date the item."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from secoop.core import clock
from secoop.core.formats import counted
from secoop.core.keyset import bounded_counts_and_firsts
from secoop.core.related import GuardedPrefetch
from secoop.core.rules import Role
from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import findings
from .models import Cetpp
from .models import CetppStatus
from .models import Student
from .models import StudentStatus

SECTION = "Training"
PLANNER_ROLES = frozenset({Role.CCMD_PLANNER, Role.COUNTRY_DESK_OFFICER})
SCO_ROLES = Role.SCO_CLERICAL  # the SCO's staff, who manage the students of their country
NAMED = 4  # students named in an item's detail
DATED = 8  # students per step whose checklist dates the item (the earliest classes)
COUNT_CAP = 100  # students counted per step; past it the item says "more than" (issue 15 §4)
AREAS = {
    "vetting": ("missing human-rights vetting", "R-TRN-06"),
    "medical": ("missing or expired medical clearance", "R-TRN-05"),
    "rdfp": ("with an RDFP nomination not yet through the CCMD and OSD/SOLIC", "R-TRN-03"),
    "ito": ("waiting for an ITO", "R-TRN-08"),
    "arrival": ("with an arrival notice due or overdue", "R-TRN-09"),
    "after": ("with after-training records missing", "R-TRN-10"),
}


@register(SECTION)
def sco_students(user) -> list[TodayItem]:
    """Per step the user handles: how many of the students they manage have it open."""
    if not usg_holding(user, SCO_ROLES):
        return []
    handled = [a for a in AREAS if a in findings.handled_areas(user)]
    if not handled:
        return []
    today = clock.today_for(user)
    ctx = findings.context(today)
    # The students of the user's own SCO (editable_by: their organization's subtree).
    managed = Student.objects.editable_by(user).filter(status__in=findings.OPEN)
    # Issue 15 item 4: every step's bounded count (COUNT over a LIMIT, which stops at COUNT_CAP + 1
    # students however many the SCO manages; past the cap the item says "more than") and its
    # earliest students, in one query for all the steps.
    counted_first = bounded_counts_and_firsts(
        [managed.filter(findings.missing_q(area, today, ctx)) for area in handled],
        COUNT_CAP,
        DATED,
        ("class_start", "family_name", "pk"),
    )
    found = {area: (n, first) for area, (n, first) in zip(handled, counted_first, strict=True) if n}
    if not found:
        return []
    # The first students of each step, checked as the system (trusted: the item shows no record
    # of theirs, only the student's name and the earliest date a step is due).
    pks = {pk for _, first in found.values() for pk in first}
    lists = {
        c.student.pk: c
        for c in (
            findings.checklist(s, today, ctx)
            for s in findings.with_related(Student.objects.system().filter(pk__in=pks))
        )
    }
    items = []
    for area, (n, first) in found.items():
        what, rule = AREAS[area]
        steps = [i for pk in first if pk in lists for i in lists[pk].by_area(area)]
        dues = [i.due for i in steps if i.due]
        names = [str(lists[pk].student) for pk in first[:NAMED] if pk in lists]
        capped = n > COUNT_CAP
        items.append(
            TodayItem(
                title=f"More than {COUNT_CAP} students {what}"
                if capped
                else f"{counted(n, 'student')} {what}",
                detail=", ".join(names) + ("…" if n > NAMED else ""),
                url=reverse("training:index") + f"?missing={area}",
                rule=rule,
                severity="error" if any(i.overdue for i in steps) else "warning",
                due=min(dues) if dues else None,
                count=None if capped else n,
            )
        )
    return items


@register(SECTION)
def cetpps_awaiting_review(user) -> list[TodayItem]:
    if not usg_holding(user, PLANNER_ROLES):
        return []
    return [
        about(
            c,
            "R-TRN-02",
            f"CETPP FY{c.fiscal_year} for {c.country_name} awaits your review",
            f"Submitted {c.submitted_on:%d %b %Y}: approve or return it with comments.",
            due=c.submitted_on,
        )
        for c in Cetpp.objects.editable_by(user)
        .filter(status=CetppStatus.SUBMITTED)
        # the CETPP's own country (its country_field), not a read of the plan
        .annotate(country_name=F("plan__country__name"))[:8]
    ]


@register(SECTION)
def rdfp_to_forward(user) -> list[TodayItem]:
    """R-TRN-03: Regional Defense Fellowship nominations the CCMD has not forwarded to OSD/SOLIC."""
    if not usg_holding(user, PLANNER_ROLES):
        return []
    waiting = [
        s
        for s in Student.objects.editable_by(user)
        .filter(program="rdfp", status__in=(StudentStatus.NOMINATED, StudentStatus.SCREENING))
        .prefetch_related(GuardedPrefetch("readiness", user))
        if not (getattr(s, "readiness", None) and s.readiness.rdfp_forwarded_on)
    ]
    return [
        about(
            s,
            "R-TRN-03",
            f"RDFP nomination of {s} to forward to OSD/SOLIC",
            f"{s.course_title}, class starts {s.class_start:%d %b %Y}.",
            due=s.class_start,
        )
        for s in waiting[:8]
    ]
