"""Field kinds the apps' models declare again and again (issue 11 §4: one definition each).

Each function returns a new field: positional arguments are the field's own (verbose_name first;
a foreign key's target first), keyword arguments are passed on, so a model states only what
differs. The columns are those of the plain Django field: a model that switches to one of these
gets no migration (`makemigrations --check`). core/migration_helpers.py keeps the frozen
migration-side twins; these may change with the models, those never do.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models

FY_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def action_date(*args, **kwargs) -> models.DateField:
    """A date only an action records (ARCHITECTURE invariant 2: no form edits it), empty until
    then: `offered_on`, `accepted_on`, `closed_on`..."""
    return models.DateField(*args, null=True, blank=True, editable=False, **kwargs)


def optional_date(*args, **kwargs) -> models.DateField:
    """A date a user may leave empty."""
    return models.DateField(*args, null=True, blank=True, **kwargs)


def protected_fk(to, **kwargs) -> models.ForeignKey:
    """A foreign key whose target may not be deleted while a row points at it (records keep
    their history: on_delete=PROTECT)."""
    return models.ForeignKey(to, on_delete=models.PROTECT, **kwargs)


def optional_fk(to, **kwargs) -> models.ForeignKey:
    """protected_fk() that may be empty."""
    return models.ForeignKey(to, null=True, blank=True, on_delete=models.PROTECT, **kwargs)


def fiscal_year(*args, **kwargs) -> models.PositiveSmallIntegerField:
    """A U.S. fiscal year, 2000 to 2100."""
    return models.PositiveSmallIntegerField(*args, validators=FY_VALIDATORS, **kwargs)


def usd(*args, max_digits: int = 16, **kwargs) -> models.DecimalField:
    """An amount in U.S. dollars and cents (`max_digits` in all, two of them after the point)."""
    return models.DecimalField(*args, max_digits=max_digits, decimal_places=2, **kwargs)


def non_negative_usd(*args, **kwargs) -> models.DecimalField:
    """usd() that may not be below zero."""
    return usd(*args, validators=[MinValueValidator(Decimal("0"))], **kwargs)


def measured_value(*args, **kwargs) -> models.DecimalField:
    """A performance indicator's number (baseline, target, actual, disaggregated amount): 16
    digits, 4 after the point (assessment, R-AME-02)."""
    return models.DecimalField(*args, max_digits=16, decimal_places=4, **kwargs)
