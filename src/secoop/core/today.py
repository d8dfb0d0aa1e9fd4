"""'What needs me today': each app registers functions that return the items a user should act on.

An item is a TodayItem; the home page shows them grouped and each links to where it is fixed.
Providers must read through the access door like any other view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from . import access, rules


@dataclass(frozen=True)
class TodayItem:
    title: str
    detail: str
    url: str
    rule: str = ""
    severity: str = "info"  # info | warning | error
    due: dt.date | None = None
    count: int | None = None


Provider = Callable[[object], list[TodayItem]]
_providers: list[tuple[str, Provider]] = []


def register(section: str):
    def decorator(fn: Provider) -> Provider:
        _providers.append((section, fn))
        return fn

    return decorator


def items_for(user) -> list[tuple[str, list[TodayItem]]]:
    sections: dict[str, list[TodayItem]] = {}
    for section, provider in _providers:
        found = provider(user)
        if found:
            sections.setdefault(section, []).extend(found)
    return list(sections.items())


@register("Accounts")
def locked_and_disabled_accounts(user) -> list[TodayItem]:
    from .models import User

    profile = access.profile_for(user)
    if profile is None or not profile.is_administrator:
        return []
    items = []
    locked = User.objects.visible_to(user).filter(locked_at__isnull=False).count()
    if locked:
        items.append(
            TodayItem(
                title=f"{locked} locked account{'s' if locked != 1 else ''}",
                detail="Locked after repeated failed logons; confirm the user's identity, then unlock with a reason.",
                url=reverse("people") + "?status=locked",
                rule="R-SEC-07",
                severity="warning",
                count=locked,
            )
        )
    return items


@register("Accounts")
def le_reinvestigations_due(user) -> list[TodayItem]:
    """R-SEC-02: LE staff need a background reinvestigation every 5 years (a dated fact)."""
    from .models import User

    profile = access.profile_for(user)
    if profile is None or not profile.is_administrator:
        return []
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=90)
    items = []
    for person in User.objects.visible_to(user).filter(is_le_staff=True, is_active=True).order_by("username"):
        due = rules.reinvestigation_due(person.last_investigation_on, profile.reinvestigation_years)
        if due is None or due <= horizon:
            items.append(
                TodayItem(
                    title=f"Reinvestigation {'overdue' if due is None or due < today else 'due'}: {person}",
                    detail="No investigation on record" if due is None else f"Due {due:%d %b %Y}",
                    url=reverse("person-detail", args=[person.pk]),
                    rule="R-SEC-02",
                    severity="error" if due is None or due < today else "warning",
                    due=due,
                )
            )
    return items
