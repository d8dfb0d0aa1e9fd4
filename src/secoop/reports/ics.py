"""Calendars: the calendar carries the highest marking of its events (in its name and an
X-SECOOP-MARKING property); each event its own, first in the summary and first and last in the
description, so that a calendar client shows it wherever the event is shown. Every event's access
class is PRIVATE (never CONFIDENTIAL, which people read as a classification)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event

from secoop.core.markings import Marking


def calendar(name: str, marking: Marking, *, product: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//secoop//{product}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"({marking}) {name}")
    cal.add("x-secoop-marking", str(marking))
    return cal


def all_day_event(
    uid: str,
    first_day: dt.date,
    last_day: dt.date,
    summary: str,
    marking: Marking,
    details: Sequence[str] = (),
    *,
    stamp: dt.datetime | None = None,
) -> Event:
    """An all-day event from `first_day` to `last_day` inclusive (DTEND is exclusive in iCalendar)."""
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp or timezone.now())
    ev.add("dtstart", first_day)
    ev.add("dtend", last_day + dt.timedelta(days=1))
    ev.add("summary", f"({marking}) {summary}")
    classification = f"Classification: {marking}"
    ev.add("description", "\n".join([classification, *details, classification]))
    # The iCalendar access class (RFC 5545 §3.8.1.3), not a classification: PRIVATE keeps the
    # event from those the calendar is shared with as free/busy. CONFIDENTIAL, the other value
    # that does so, reads to people as a U.S. classification the event does not carry; the
    # marking is in the summary, the description and X-SECOOP-MARKING.
    ev.add("class", "PRIVATE")
    ev.add("x-secoop-marking", str(marking))
    return ev


def to_bytes(cal: Calendar) -> bytes:
    return cal.to_ical()
