"""Template filters for cases pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def status_on(case, today) -> str:
    """The case's state as users read it on `today` (an offer past its OED shows as lapsed)."""
    return case.status_label(today)


@register.filter
def usd(value) -> str:
    if value in (None, ""):
        return "—"
    return f"${Decimal(value):,.2f}"
