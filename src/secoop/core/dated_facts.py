"""A dated fact as the rules take it (decision 0009): a whole number (days, months, years, or a
0/1 flag) in force on a day. An app's facts module names its keys and reads them through this."""

from __future__ import annotations

import datetime as dt

from .models import ReferenceFact


def whole(key: str, on: dt.date | None = None) -> int:
    """The fact `key` in force on `on` (today by default), as a whole number."""
    return ReferenceFact.objects.in_force(key, on).as_int
