"""Money and dates in every template, one way (secoop.core.formats): `{{ amount|usd }}`,
`{{ day|day }}`, `{{ at|moment }}`. Built into every template (settings.TEMPLATES builtins), so
no page needs to load them. Like Django's `|date`, a missing day or moment gives '' (so that
`|default:"never"` still applies); a missing amount gives '—'."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from .. import formats

register = template.Library()


@register.filter
def usd(value) -> str:
    """$1,250,000.00"""
    return formats.usd(value)


@register.filter
def day(value) -> str:
    """3 Dec 2026 (a moment in the reader's time zone is shown by its day there)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.day(value, empty="")


@register.filter
def moment(value) -> str:
    """3 Dec 2026 14:05, in the reader's time zone."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.moment(value, empty="")
