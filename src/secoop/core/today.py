"""'What needs me today': each app registers functions that return the items a user should act on.

An item is a TodayItem; the home page shows them grouped and each links to where it is fixed.
Providers must read through the access door like any other view.

A to-do list neither reveals a hidden record nor claims one is missing (issue 12.1): a user is shown
the steps they are responsible for and can act on (`handles`: a role the step's action declares,
and a clearance and citizenship that let them read the step's records as they are marked by
default). Whether such a step is missing is answered by a trusted query, so that a record the user
cannot see never makes it look missing; a step the user does not handle is not on their list at
all, and pages that show progress say "with U.S. staff" for it, whatever its state (WITH_US_STAFF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from . import access
from . import clock
from . import rules
from .formats import counted
from .keyset import Count
from .keyset import exact_count_limit
from .markings import Classification
from .markings import Marking
from .markings import combine


@dataclass(frozen=True)
class TodayItem:
    title: str
    detail: str
    url: str
    rule: str = ""
    severity: str = "info"  # info | warning | error
    due: dt.date | None = None
    count: int | None = None
    # The page of the record the item is about, when it is about one record (a notification names
    # the record it concerns): an item about a record already on the list is shown once.
    about: str = ""
    # The marking of the records the item names or counts (combine of their markings): the home
    # page's banner covers it (R-SEC-01). None: the item names no record.
    marking: Marking | None = None


WITH_US_STAFF = "with U.S. staff"


def marking_of(records) -> Marking | None:
    """The marking an item about `records` carries (None for no record)."""
    markings = [r.marking for r in records if r is not None]
    return combine(markings) if markings else None


def counted_rows(queryset) -> tuple[Count, Marking | None]:
    """How many rows of `queryset` (already through the door) an item counts, and their marking,
    in one query that reads the markings of at most the lists' exact-count limit + 1 rows
    (core.keyset): past it the count says "more than N", and the item's words rest on the rows
    read, so their markings are the item's (R-SEC-01). A COUNT and a DISTINCT over every row
    cost the size of the set (issue 15)."""
    limit = exact_count_limit()
    rows = list(
        queryset.order_by()
        .select_related(None)
        .values_list("classification", "dissemination", "rel_to")[: limit + 1]
    )
    count = Count(min(len(rows), limit), len(rows) <= limit)
    markings = [
        Marking(Classification(c), d, Marking.rel_to_from_stored(r))
        for c, d, r in sorted(set(rows))
    ]
    return count, combine(markings) if markings else None


def usg_holding(user, roles=None) -> bool:
    """Whether `user` is U.S. Government staff, holding one of `roles` when given: the items about
    steps U.S. staff take are theirs, never a partner's or industry's."""
    profile = access.profile_for(user)
    if profile is None or profile.person.audience != rules.Audience.USG:
        return False
    return roles is None or access.holds_role(user, roles)


def administrator(user) -> bool:
    """Whether `user` administers accounts and organizations somewhere (R-SEC-11)."""
    profile = access.profile_for(user)
    return profile is not None and profile.is_administrator


def handles(user, roles, marking: str | None = None) -> bool:
    """Whether `user` is responsible for a step and can act on it: they hold one of `roles` (the
    roles the step's action declares) and, when the step's records carry a default marking, the
    door would let them read a record so marked about their own organization's country. Decided
    by the user and the step only, never by the records, so that the answer tells nothing about
    them (LE staff without an LAA do not handle NOFORN steps: vetting, screening, the ITO's
    sources, arrival notices, after-training records; ANSWERS.md, Markings)."""
    from .markings import Marking

    profile = access.profile_for(user)
    if profile is None or not access.holds_role(user, roles):
        return False
    if not marking:
        return True
    person = profile.person
    return rules.can_see(
        person,
        rules.RecordFacts(
            marking=Marking.parse(marking),
            partner_visible=False,
            owner_org_id=next(iter(person.member_org_ids), None),
            country=person.partner_country,
        ),
        clock.today_for(user),
        profile.reinvestigation_years,
    )


Provider = Callable[[object], list[TodayItem]]
_providers: list[tuple[str, Provider]] = []


def register(section: str):
    def decorator(fn: Provider) -> Provider:
        _providers.append((section, fn))
        return fn

    return decorator


def items_for(user) -> list[tuple[str, list[TodayItem]]]:
    """Each section's items, every record once (issue 12.10): a notification about a record that
    another item already lists is folded into that item, and an item is listed once however many
    providers return it."""
    sections: dict[str, list[TodayItem]] = {}
    for section, provider in _providers:
        found = provider(user)
        if found:
            sections.setdefault(section, []).extend(found)
    return _once(sections)


def _once(sections: dict[str, list[TodayItem]]) -> list[tuple[str, list[TodayItem]]]:
    listed = {
        item.url for name, items in sections.items() if name != NOTIFICATIONS for item in items
    }
    out: list[tuple[str, list[TodayItem]]] = []
    seen: set[tuple[str, str]] = set()
    for name, items in sections.items():
        kept = []
        for item in items:
            if name == NOTIFICATIONS and item.about and item.about in listed:
                continue
            key = (item.url, item.title)
            if key in seen:
                continue
            seen.add(key)
            kept.append(item)
        if kept:
            out.append((name, kept))
    return out


def overdue_severity(due: dt.date | None, today: dt.date, otherwise: str = "warning") -> str:
    """An item past its due date is an error (shown in red), whatever it is."""
    return "error" if due is not None and due < today else otherwise


def about(
    record, rule: str, title: str, detail: str, *, severity="warning", due=None, tab=""
) -> TodayItem:
    """An item about one record the user may see: it links to the record's page (to its `tab`
    when the tab is where the step is taken)."""
    url = record.get_absolute_url() + (f"?tab={tab}" if tab else "")
    return TodayItem(
        title=title,
        detail=detail,
        url=url,
        rule=rule,
        severity=severity,
        due=due,
        marking=getattr(record, "marking", None),  # the home page's banner covers it (R-SEC-01)
    )


def count_item(
    n: int | Count,
    rule: str,
    title: str,
    detail: str,
    url: str,
    *,
    severity="warning",
    marking=None,
) -> list[TodayItem]:
    """One item that counts `n` records and links to their (filtered) list; none when n is 0.
    `n` may be a bounded count (`counted_rows`): past its limit the item shows no figure, its
    title says "More than N". `marking`: of the records counted (`marking_of`), for the home
    page's banner (R-SEC-01)."""
    number, exact = (n.number, n.exact) if isinstance(n, Count) else (n, True)
    if not number:
        return []
    return [
        TodayItem(
            title=title[:1].upper() + title[1:],
            detail=detail,
            url=url,
            rule=rule,
            severity=severity,
            count=number if exact else None,
            marking=marking,
        )
    ]


NOTIFICATIONS = "Notifications"


@register(NOTIFICATIONS)
def open_notifications(user) -> list[TodayItem]:
    """What actions told the user's organizations and nobody has acknowledged yet: the newest
    three by name, the rest as a count."""
    from .filters import inbox_q
    from .models import Notification

    if access.profile_for(user) is None:
        return []
    open_ = Notification.objects.visible_to(user).filter(
        inbox_q(user), acknowledged_at__isnull=True
    )
    newest = list(open_.order_by("-created_at", "-id")[:3])
    items = [
        TodayItem(
            title=note.subject,
            detail="Open the notification to act on it, then acknowledge it.",
            url=note.get_absolute_url(),
            rule=note.rule,
            severity="warning",
            about=note.url,
            marking=note.marking,  # its subject is on the page (R-SEC-01)
        )
        for note in newest
    ]
    if len(newest) < 3:
        return items
    # The rest, counted past the three named (bounded, with the markings of the rows counted).
    total, marking = counted_rows(open_)
    more = Count(max(total.number - 3, 0), total.exact)
    return items + count_item(
        more,
        "",
        counted(more, "more open notification"),
        "Everything sent to your organizations and not yet acknowledged.",
        reverse("notifications") + "?status=open",
        severity="info",
        marking=marking,
    )


@register("Accounts")
def locked_and_disabled_accounts(user) -> list[TodayItem]:
    from .models import User

    if not administrator(user):
        return []
    locked = User.objects.visible_to(user).filter(locked_at__isnull=False).count()
    return count_item(
        locked,
        "R-SEC-07",
        counted(locked, "locked account"),
        "Locked after repeated failed logons; confirm the user's identity, then unlock with a reason.",
        reverse("people") + "?status=locked",
    )


@register("Accounts")
def access_requests_waiting(user) -> list[TodayItem]:
    """R-SEC-11: access change requests a security officer may decide (not their own, not ones
    about them)."""
    from .models import AccessChangeRequest

    if not access.holds_role(user, rules.Role.SECURITY_OFFICER):
        return []
    waiting = (
        AccessChangeRequest.objects.visible_to(user)
        .filter(status="pending")
        .exclude(requested_by=user)
        .exclude(subject=user)
        .count()
    )
    return count_item(
        waiting,
        "R-SEC-11",
        f"{counted(waiting, 'access change request')} to decide",
        "An administrator asked to raise a clearance or LAA, or to change an audience or citizenship: approve or refuse.",
        reverse("access-requests"),
    )


REINVESTIGATIONS_NAMED = 8


@register("Accounts")
def le_reinvestigations_due(user) -> list[TodayItem]:
    """R-SEC-02: LE staff need a background reinvestigation every 5 years (a dated fact). The
    database picks those due (core.filters.reinvestigation_due_q), the earliest due named, the
    rest counted and listed on the people page (issue 15: a loop over every LE staff member
    named each of them here)."""
    from django.db.models import F

    from .filters import REINVESTIGATION_NOTICE_DAYS
    from .filters import reinvestigation_due_q
    from .keyset import bounded_count
    from .models import User

    profile = access.profile_for(user)
    if profile is None or not profile.is_administrator:
        return []
    today = clock.today_for(user)
    due = User.objects.visible_to(user).filter(reinvestigation_due_q(user))
    first = list(
        due.order_by(F("last_investigation_on").asc(nulls_first=True), "username", "pk")[
            : REINVESTIGATIONS_NAMED + 1
        ]
    )
    items = []
    for person in first[:REINVESTIGATIONS_NAMED]:
        on = rules.reinvestigation_due(person.last_investigation_on, profile.reinvestigation_years)
        late = on is None or on < today
        items.append(
            about(
                person,
                "R-SEC-02",
                f"Reinvestigation {'overdue' if late else 'due'}: {person}",
                "No investigation on record" if on is None else f"Due {on:%d %b %Y}",
                severity="error" if late else "warning",
                due=on,
            )
        )
    if len(first) > REINVESTIGATIONS_NAMED:
        total = bounded_count(due)
        more = Count(total.number - REINVESTIGATIONS_NAMED, total.exact)
        items += count_item(
            more,
            "R-SEC-02",
            f"{counted(more, 'more LE staff member')} due for reinvestigation",
            "Locally employed staff whose reinvestigation is overdue or due within "
            f"{REINVESTIGATION_NOTICE_DAYS} days.",
            reverse("people") + "?status=reinvestigation",
        )
    return items


@register("Accounts")
def recently_disabled_accounts(user) -> list[TodayItem]:
    """R-SEC-05: accounts the daily task disabled this week, in case one should be re-enabled."""
    from .models import AuditEvent

    if not administrator(user):
        return []
    since = timezone.now() - dt.timedelta(days=7)
    n = AuditEvent.objects.visible_to(user).filter(kind="disabled_inactive", at__gte=since).count()
    return count_item(
        n,
        "R-SEC-05",
        f"{counted(n, 'account')} disabled for inactivity this week",
        "Disabled, not deleted. Re-enable one only on the user's request, with a reason.",
        reverse("people") + "?status=disabled",
        severity="info",
    )


@register("While you were away")
def changes_since_previous_logon(user) -> list[TodayItem]:
    """What changed, among the records the user may see, since their previous logon."""
    from .models import ChangeLogEntry
    from .models import LogonAttempt

    if access.profile_for(user) is None:
        return []
    previous = (
        LogonAttempt.objects.filter(user=user, succeeded=True)
        .order_by("-at")
        .values_list("at", flat=True)[1:2]
    )
    since = previous[0] if previous else None
    if since is None:
        return []
    changes = ChangeLogEntry.objects.visible_to(user).filter(at__gt=since).exclude(user=user)
    n, marking = counted_rows(changes)
    return count_item(
        n,
        "",
        f"{counted(n, 'change')} since your last logon",
        f"By others, to records you may see, since {since:%d %b %Y %H:%M} UTC.",
        reverse("changes") + f"?since={since:%Y-%m-%d}",
        severity="info",
        marking=marking,
    )


RECENT = 8  # changes the home page lists
# Past this many organizations under the user's own, their records are a large share of the log:
# one arm for all of them finds its newest entries quickly by date; below it, one arm each.
ARM_ORGANIZATIONS = 20


def recent_work(user, memberships, n: int = RECENT) -> list:
    """The newest changes to what the user works on (issue 12.10): records their organizations or
    those under them own, records about the countries their organizations are in, and their own
    changes; not everything the door lets them read (a case manager is not told of each training
    step). Each of those is read on its own from an index in date order, cut at `n`, and the few
    found are sorted again (core.keyset.firsts_of_union): an OR of them walked the log by date
    until it found `n`, the whole log for a user whose work is a small share of it (issue 15)."""
    from django.db.models import Q

    from .keyset import firsts_of_union
    from .models import ChangeLogEntry
    from .models import Organization

    visible = ChangeLogEntry.objects.visible_to(user)
    arms = [visible.filter(user=user)]
    under = Q()
    for m in memberships:
        if m.organization.tree_path:
            under |= Q(tree_path__startswith=m.organization.tree_path)
    if under:
        # Trusted: only the ids of the organizations in the user's subtrees, to filter the log as
        # the door already does; no organization is shown.
        orgs = list(
            Organization.objects.system()
            .filter(under)
            .order_by("pk")
            .values_list("pk", flat=True)[: ARM_ORGANIZATIONS + 1]
        )
        if len(orgs) > ARM_ORGANIZATIONS:
            arms.append(visible.filter(owner_org__in=Organization.objects.system().filter(under)))
        else:
            arms += [visible.filter(owner_org_id=org) for org in orgs]
    countries = sorted(
        {m.organization.country_id for m in memberships if m.organization.country_id}
    )
    arms += [visible.filter(country_id=country) for country in countries]
    pks = firsts_of_union(arms, ("-at", "-pk"), n)
    if not pks:
        return []
    return list(visible.filter(pk__in=pks).select_related("content_type").order_by("-at", "-id"))


@dataclass(frozen=True)
class Area:
    """A country the user works on, and why (their organization's country or command)."""

    country: object
    via: str


def areas_for(user) -> list[Area]:
    """The countries of the user's organizations: a combatant command's area of responsibility,
    an SCO's or embassy's host country, a partner's own country."""
    from .models import Country

    if access.profile_for(user) is None:
        return []
    areas: list[Area] = []
    seen: set[str] = set()
    memberships = user.memberships.select_related("organization__country")
    commands = {m.organization.ccmd: m.organization for m in memberships if m.organization.ccmd}
    for m in memberships:
        country = m.organization.country
        if country is not None and country.pk not in seen:
            areas.append(Area(country, str(m.organization)))
            seen.add(country.pk)
    if commands:
        for country in (
            Country.objects.visible_to(user).filter(ccmd__in=list(commands)).order_by("name")
        ):
            if country.pk not in seen:
                areas.append(Area(country, f"{commands[country.ccmd]} area of responsibility"))
                seen.add(country.pk)
    return areas
