"""Errors the actions layer raises. Each says which rule and what to do; views and the API turn
them into inline form errors and 400/403 responses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class RuleViolation(ValidationError):
    """A business rule refused the change. `rule` is the SPEC id (R-…); `field` the input to fix."""

    def __init__(self, rule: str, message: str, field: str | None = None):
        self.rule = rule
        self.field = field
        text = f"{rule}: {message}" if rule else message
        if field:
            super().__init__({field: [ValidationError(text, code=rule or "invalid")]})
        else:
            super().__init__(text, code=rule or "invalid")


class NotPermitted(PermissionDenied):
    """The acting user may not do this; the message says why and who can."""
