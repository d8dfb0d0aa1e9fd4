"""Errors the actions layer raises besides a refusal (core.verdicts.Refused): the acting user may
not do this. Views and the API turn it into a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class NotPermitted(PermissionDenied):
    """The acting user may not do this; the message says why and who can."""
