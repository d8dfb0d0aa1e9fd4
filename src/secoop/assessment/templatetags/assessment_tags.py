"""Numbers as assessment pages show them: a Decimal without trailing zeros, "—" when there is none
(0 is a value: a baseline of zero is shown as 0)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
