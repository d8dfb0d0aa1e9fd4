"""Template filters for cases pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def status_on(case, today) -> str:
    """The case's state as users read it on `today` (an offer past its OED shows as lapsed)."""
    return case.status_label(today)
