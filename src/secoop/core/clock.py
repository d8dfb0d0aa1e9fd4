"""Dates as the user lives them (issue 11 §5): "today" and due dates are computed in the time zone of
the acting or viewing user's organization, not in UTC, so that a deadline does not flip a day early
or late in Manila or Honolulu. The apps' `today()` helpers call `today_for(user)`.

An organization's zone is its own setting; when left empty it is taken, when the organization is
saved, from its country (the principal zone of tz's zone.tab), else from its combatant command's
headquarters, else from its parent, else UTC (docs/decisions/0009)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone

UTC = "UTC"

# Where each geographic combatant command's headquarters sits.
CCMD_HEADQUARTERS_ZONE = {
    "AFRICOM": "Europe/Berlin",  # Stuttgart
    "CENTCOM": "America/New_York",  # Tampa
    "EUCOM": "Europe/Berlin",  # Stuttgart
    "INDOPACOM": "Pacific/Honolulu",  # Camp H. M. Smith
    "NORTHCOM": "America/Denver",  # Colorado Springs
    "SOUTHCOM": "America/New_York",  # Doral
}


def validate_time_zone(name: str) -> None:
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{name!r} is not a time zone: use an IANA name such as Asia/Manila, Europe/Berlin or UTC."
        ) from None


@cache
def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


@cache
def _country_zones() -> dict[str, str]:
    """ISO alpha-2 → the country's first (principal) zone in tz's zone.tab."""
    zones: dict[str, str] = {}
    text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coords, name, *_ = line.split("\t")
            zones.setdefault(code, name)
    return zones


def country_zone(alpha2: str | None) -> str | None:
    return _country_zones().get(alpha2 or "")


def default_zone(country_alpha2: str | None, ccmd: str | None, parent_zone: str | None) -> str:
    return (
        country_zone(country_alpha2) or CCMD_HEADQUARTERS_ZONE.get(ccmd or "") or parent_zone or UTC
    )


def zone_name_for(user) -> str:
    """The user's time zone: that of their first organization (by membership), UTC for a user with
    none. Read from the user's cached access profile (core.access), so no query of its own."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return UTC
    from . import access

    return access.cached_profile(user).time_zone or UTC


def now_for(user) -> dt.datetime:
    return timezone.localtime(timezone.now(), ZoneInfo(zone_name_for(user)))


def today_for(user) -> dt.date:
    """Today's date where the user's organization is."""
    return now_for(user).date()


def acting_today(user=None) -> dt.date:
    """Today where the acting user's organization is (today_for); the server's date when no user
    acts (scheduled jobs). The apps' actions modules import it as their `today`."""
    return today_for(user) if user is not None else timezone.localdate()


def action_day(user, given: dt.date | None, not_before: dt.date | None = None) -> dt.date:
    """The date an action is recorded on: the one the user gave, else today where the user is.

    An earlier step recorded by an organization in a zone ahead (an LOR received in Nairobi,
    validated in New York) may carry tomorrow's date while it is still today here. The default
    date then takes that step's date instead of being refused as "before" it; a date the user
    gives is never changed, so the rules still refuse a real mistake."""
    if given is not None:
        return given
    day = today_for(user)
    if not_before is not None and day < not_before <= day + dt.timedelta(days=1):
        return not_before
    return day
