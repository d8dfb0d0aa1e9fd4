"""Reference data: countries (ISO 3166) with their geographic combatant command, and dated facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone

from ..formats import day
from .fieldkit import optional_date
from .pages import RecordPage


class CombatantCommand(models.TextChoices):
    AFRICOM = "AFRICOM", "U.S. Africa Command"
    CENTCOM = "CENTCOM", "U.S. Central Command"
    EUCOM = "EUCOM", "U.S. European Command"
    INDOPACOM = "INDOPACOM", "U.S. Indo-Pacific Command"
    NORTHCOM = "NORTHCOM", "U.S. Northern Command"
    SOUTHCOM = "SOUTHCOM", "U.S. Southern Command"


def ccmd_field(verbose_name: str, help_text: str) -> models.CharField:
    """A combatant command, optional (a country's geographic command; an organization's own)."""
    return models.CharField(
        verbose_name,
        max_length=10,
        choices=CombatantCommand.choices,
        blank=True,
        help_text=help_text,
    )


class ReferenceQuerySet(models.QuerySet):
    """Reference data kept as data (countries; the apps' code lists, criteria and routing tables):
    no marking, nothing to hide."""

    def visible_to(self, user):
        """Every signed-in, active user reads it; nobody else."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self


class CodeListEntry(models.Model):
    """A code from a list an administrator keeps as data (its code, label, source and whether it
    is in use), shown as "code — label" and read by every signed-in user: AOD delay reason codes,
    IMET priority codes. Each list declares its own fields (their lengths differ)."""

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Country(RecordPage, models.Model):
    """An ISO 3166-1 country or area, or a notional partner from the user-assigned ranges."""

    alpha3 = models.CharField("ISO alpha-3", max_length=3, primary_key=True)
    alpha2 = models.CharField("ISO alpha-2", max_length=2, unique=True)
    numeric = models.CharField("ISO numeric", max_length=3, blank=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)
    ccmd = ccmd_field(
        "geographic combatant command",
        "The geographic combatant command whose area of responsibility holds it (UCP).",
    )
    notional = models.BooleanField(
        default=False,
        help_text="A notional country for exercises and demos (ISO user-assigned code).",
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    detail_url = "country-detail"
    detail_arg = "alpha3"


FLAG_UNIT = "flag"


FACTS_MEMO = "reference-facts"
FACTS_ON_MEMO = "reference-facts-on"  # in_force_kept: (key, date) → the row in force


class ReferenceFactQuerySet(ReferenceQuerySet):
    def _rows_of(self, key: str) -> list[ReferenceFact]:
        """The rows of `key` by effective date. Within a request the whole (small) table is read
        once and kept for the request (issue 15 §4: a page applying ten facts ran ten queries);
        a fact saved meanwhile drops what was kept (ReferenceFact.save)."""
        from ..context import request_memo

        memo = request_memo()
        if memo is None or self.query.where:
            return list(self.filter(key=key).order_by("effective_from"))
        table = memo.get(FACTS_MEMO)
        if table is None:
            table = {}
            for row in self.order_by("key", "effective_from"):
                table.setdefault(row.key, []).append(row)
            memo[FACTS_MEMO] = table
        return list(table.get(key, ()))

    def in_force(self, key: str, on: dt.date | None = None) -> ReferenceFact:
        """The fact `key` in force on `on` (today by default), by its effective range
        (docs/decisions/0009-embedded-default-and-dated-facts.md):

        - the row whose [effective_from, effective_until] holds the date; where ranges overlap, the
          one that took effect last;
        - a date before the first row on record: that first row, except for flags (unit "flag", e.g.
          NATO+5 membership), which did not hold before their date;
        - otherwise (a flag before its date, a gap, a fact withdrawn without a successor) a clear
          ReferenceFact.DoesNotExist naming the ranges on record and what to do."""
        on = on or timezone.localdate()
        rows = self._rows_of(key)
        if not rows:
            raise ReferenceFact.DoesNotExist(
                f"No reference fact {key!r} is on record: an administrator adds it under Reference facts, "
                "with its source and the date it took effect."
            )
        for row in reversed(rows):
            if row.covers(on):
                return row
        first = rows[0]
        if on < first.effective_from and first.unit != FLAG_UNIT:
            return first
        ranges = "; ".join(row.range_label for row in rows)
        raise ReferenceFact.DoesNotExist(
            f"No reference fact {key!r} applies on {day(on)} (on record: {ranges}). An administrator "
            "adds the figure in force on that date under Reference facts, with its source."
        )

    def close_superseded(self, key: str | None = None) -> int:
        """End each open row the day before the next row of its key takes effect; return how many
        rows changed. Loading facts and migration 0008 call it."""
        changed = 0
        keys = [key] if key else sorted(set(self.values_list("key", flat=True)))
        for k in keys:
            rows = list(self.filter(key=k).order_by("effective_from"))
            for row, nxt in zip(rows, rows[1:], strict=False):
                until = nxt.effective_from - dt.timedelta(days=1)
                if row.effective_until is None or row.effective_until > until:
                    self.filter(pk=row.pk).update(effective_until=until)
                    changed += 1
        return changed


class ReferenceFact(models.Model):
    """A fact from guidance that changes over time (a threshold, a day count, a goal): kept as data
    with its source and the range of dates it is in force, never as a literal in code (SPEC §11)."""

    key = models.SlugField(max_length=80, help_text="Stable name the code looks the fact up by.")
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=20, help_text="days, months, years, USD, percent, flag, …")
    effective_from = models.DateField(help_text="First day the fact is in force.")
    effective_until = optional_date(
        help_text="Last day the fact is in force; empty while it still is. Adding a later row of the "
        "same key ends this one the day before."
    )
    source = models.CharField(max_length=300, help_text="The public guidance that sets it.")
    notes = models.TextField(blank=True)

    objects = ReferenceFactQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="fact_key_from_unique"),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="fact_until_not_before_from",
                violation_error_message="A fact cannot end before it takes effect: set 'effective until' "
                "on or after 'effective from'.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value.normalize():f} {self.unit} ({self.range_label})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_facts()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_facts()
        return result

    @property
    def range_label(self) -> str:
        until = day(self.effective_until) if self.effective_until else "open"
        return f"{day(self.effective_from)} to {until}"

    def covers(self, on: dt.date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    @property
    def as_int(self) -> int:
        return int(self.value)

    @property
    def as_decimal(self) -> Decimal:
        return self.value


def _forget_facts() -> None:
    from ..context import request_memo

    memo = request_memo()
    if memo is not None:
        memo.pop(FACTS_MEMO, None)
        memo.pop(FACTS_ON_MEMO, None)


def in_force_kept(key: str, on: dt.date | None = None) -> ReferenceFact:
    """ReferenceFact.objects.in_force(key, on), kept for the request per key and date: a list that
    applies the same facts to each of its rows (R-DCS-03's figures over every DCS request the
    reader may see: 17,000 at enterprise scale, nine facts each) looks each up once per date
    rather than building a queryset and searching the ranges per row (issue 15). Outside a
    request, and for a fact not on record, exactly in_force."""
    from ..context import request_memo

    on = on or timezone.localdate()
    memo = request_memo()
    if memo is None:
        return ReferenceFact.objects.in_force(key, on)
    kept = memo.setdefault(FACTS_ON_MEMO, {})
    row = kept.get((key, on))
    if row is None:
        row = kept[(key, on)] = ReferenceFact.objects.in_force(key, on)
    return row
