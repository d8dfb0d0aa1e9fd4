"""The dated facts assessment rules take (SPEC §11, OHDACA row): read from ReferenceFact rows
that migration 0001 adds (its FACTS) and an administrator edits; never literals in code."""

from __future__ import annotations

import datetime as dt

from secoop.core.models import ReferenceFact

POST_FIRST = "ame-post-project-first-days"
POST_SECOND = "ame-post-project-second-days"


def days(key: str, on: dt.date | None = None) -> int:
    return ReferenceFact.objects.in_force(key, on).as_int
