"""Reference data: countries (ISO 3166) with their geographic combatant command, and dated facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone


class CombatantCommand(models.TextChoices):
    AFRICOM = "AFRICOM", "U.S. Africa Command"
    CENTCOM = "CENTCOM", "U.S. Central Command"
    EUCOM = "EUCOM", "U.S. European Command"
    INDOPACOM = "INDOPACOM", "U.S. Indo-Pacific Command"
    NORTHCOM = "NORTHCOM", "U.S. Northern Command"
    SOUTHCOM = "SOUTHCOM", "U.S. Southern Command"


class CountryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Countries are public reference data; every signed-in user reads them."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self


class Country(models.Model):
    """An ISO 3166-1 country or area, or a notional partner from the user-assigned ranges."""

    alpha3 = models.CharField("ISO alpha-3", max_length=3, primary_key=True)
    alpha2 = models.CharField("ISO alpha-2", max_length=2, unique=True)
    numeric = models.CharField("ISO numeric", max_length=3, blank=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)
    ccmd = models.CharField(
        "geographic combatant command",
        max_length=10,
        choices=CombatantCommand.choices,
        blank=True,
        help_text="The geographic combatant command whose area of responsibility holds it (UCP).",
    )
    notional = models.BooleanField(
        default=False, help_text="A notional country for exercises and demos (ISO user-assigned code)."
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("country-detail", args=[self.alpha3])


class ReferenceFactQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self

    def in_force(self, key: str, on: dt.date | None = None) -> ReferenceFact:
        on = on or timezone.localdate()
        fact = self.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
        if fact is None:
            raise ReferenceFact.DoesNotExist(
                f"No reference fact {key!r} in force on {on:%Y-%m-%d}: an administrator adds it under "
                "Reference facts, with its source."
            )
        return fact


class ReferenceFact(models.Model):
    """A fact from guidance that changes over time (a threshold, a day count, a goal): kept as data
    with its source and the date it took effect, never as a literal in code (SPEC §11)."""

    key = models.SlugField(max_length=80, help_text="Stable name the code looks the fact up by.")
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=20, help_text="days, months, years, USD, percent, …")
    effective_from = models.DateField()
    source = models.CharField(max_length=300, help_text="The public guidance that sets it.")
    notes = models.TextField(blank=True)

    objects = ReferenceFactQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="fact_key_from_unique")]

    def __str__(self) -> str:
        return f"{self.label}: {self.value.normalize():f} {self.unit} (from {self.effective_from:%Y-%m-%d})"

    @property
    def as_int(self) -> int:
        return int(self.value)

    @property
    def as_decimal(self) -> Decimal:
        return self.value
