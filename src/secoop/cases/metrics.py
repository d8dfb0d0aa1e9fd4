"""FMS metrics as pure functions over plain rows (no queries): the share of LOAs offered on or
before their AOD against the goal (by IA, category, country, month), delivery timeliness (late
share and days late by IA and country), and the LOR-to-offer and offer-to-acceptance durations.

`load(user, today)` reads the rows through the door, so a user's metrics cover only what they may
see; everything else here is arithmetic that tests check against hand-computed values.

The dashboard does not walk rows: it asks the database for the same figures, grouped
(`aod_figures`, `late_offers_by_code`, `timeliness_figures`, `duration_figures` below, decision
0046), and the tests check those against these functions over load()'s rows — the rules stated
once in Python, the work done where the rows are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator to one decimal (half up); None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OfferRow:
    identifier: str
    ia: str
    category: str
    country: str
    aod: dt.date | None
    offered_on: dt.date | None
    lor_received_on: dt.date | None = None
    accepted_on: dt.date | None = None
    group: str = ""
    delay_reason: str = ""


@dataclass(frozen=True)
class DeliveryRow:
    identifier: str
    ia: str
    country: str
    planned_on: dt.date
    actual_on: dt.date | None


@dataclass
class Share:
    on_time: int = 0
    total: int = 0

    @property
    def percent(self) -> Decimal | None:
        return _ratio(100 * self.on_time, self.total)


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


AOD_GROUPINGS: dict[str, Callable[[OfferRow], str]] = {
    "group": lambda r: f"Group {r.group}" if r.group else "(no group)",
    "ia": lambda r: r.ia,
    "category": lambda r: r.category,
    "country": lambda r: r.country,
    "month": lambda r: _month(r.offered_on),
}


def aod_performance(rows: Iterable[OfferRow], all_groups: Iterable[str] = ()) -> dict:
    """Offered documents with an AOD: overall share on or before the AOD, and by each grouping
    (every AOD group of `all_groups` shown, measured or not)."""
    measured = [r for r in rows if r.offered_on is not None and r.aod is not None]
    overall = Share()
    groups: dict[str, dict[str, Share]] = {name: defaultdict(Share) for name in AOD_GROUPINGS}
    for g in all_groups:
        groups["group"][f"Group {g}"]  # noqa: B018  (a group with no document still shows)
    for r in measured:
        ok = r.offered_on <= r.aod
        overall.total += 1
        overall.on_time += ok
        for name, key in AOD_GROUPINGS.items():
            share = groups[name][key(r)]
            share.total += 1
            share.on_time += ok
    return {"overall": overall, "by": {name: dict(sorted(g.items())) for name, g in groups.items()}}


def lateness_by_code(rows: Iterable[OfferRow]) -> dict[str, int]:
    """§11 AOD: documents offered after their AOD, counted by delay reason code ("(no code)" for
    one offered late before codes were required)."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.offered_on is not None and r.aod is not None and r.offered_on > r.aod:
            counts[r.delay_reason or "(no code)"] += 1
    return dict(sorted(counts.items()))


@dataclass
class Timeliness:
    due: int = 0
    late: int = 0
    days_late: list[int] = field(default_factory=list)

    @property
    def late_percent(self) -> Decimal | None:
        return _ratio(100 * self.late, self.due)

    @property
    def mean_days_late(self) -> Decimal | None:
        return _ratio(sum(self.days_late), len(self.days_late))

    @property
    def max_days_late(self) -> int | None:
        return max(self.days_late) if self.days_late else None


def delivery_timeliness(rows: Iterable[DeliveryRow], today: dt.date) -> dict:
    """Deliveries that are due (delivered, or planned on or before today): late share and days
    late, overall and by IA and country. A delivery still open past its date counts as late."""
    overall = Timeliness()
    by: dict[str, dict[str, Timeliness]] = {
        "ia": defaultdict(Timeliness),
        "country": defaultdict(Timeliness),
    }
    for r in rows:
        if r.actual_on is None and r.planned_on > today:
            continue
        late = max(((r.actual_on or today) - r.planned_on).days, 0)
        for t in (overall, by["ia"][r.ia], by["country"][r.country]):
            t.due += 1
            if late:
                t.late += 1
                t.days_late.append(late)
    return {"overall": overall, "by": {k: dict(sorted(v.items())) for k, v in by.items()}}


@dataclass(frozen=True)
class Durations:
    values: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> Decimal | None:
        return _ratio(sum(self.values), len(self.values))

    @property
    def median(self) -> Decimal | None:
        if not self.values:
            return None
        s = sorted(self.values)
        mid = len(s) // 2
        return Decimal(s[mid]) if len(s) % 2 else (Decimal(s[mid - 1] + s[mid]) / 2)


def durations(rows: Iterable[OfferRow]) -> dict[str, Durations]:
    rows = list(rows)
    lor_to_offer = tuple(
        (r.offered_on - r.lor_received_on).days for r in rows if r.offered_on and r.lor_received_on
    )
    offer_to_acceptance = tuple(
        (r.accepted_on - r.offered_on).days for r in rows if r.offered_on and r.accepted_on
    )
    return {
        "lor_to_offer": Durations(lor_to_offer),
        "offer_to_acceptance": Durations(offer_to_acceptance),
    }


# --- reading the rows through the door -------------------------------------------------------


def load(user, today: dt.date) -> tuple[list[OfferRow], list[DeliveryRow]]:
    """The rows this user may see (three queries)."""
    from secoop.core.related import related

    from .models import Delivery
    from .models import FmsCase

    cases = list(FmsCase.objects.visible_to(user).select_related("owner_org", "lor", "country"))

    def ia_name(c) -> str:
        ia = related(c, "owner_org", user)
        return str(ia) if ia is not None else "(restricted)"

    def received(c):
        lor = related(c, "lor", user)
        return lor.received_on if lor is not None else None

    offers = [
        OfferRow(
            c.identifier,
            ia_name(c),
            c.get_category_display(),
            c.country.name,
            c.aod,
            c.offered_on,
            received(c),
            c.accepted_on,
            c.aod_group,
            c.delay_reason,
        )
        for c in cases
    ]
    by_id = {c.pk: c for c in cases}
    deliveries = []
    for d in Delivery.objects.visible_to(user).only(
        "case_id", "planned_on", "actual_on", "classification", "dissemination", "rel_to"
    ):
        c = by_id.get(d.case_id)
        if c is not None:
            deliveries.append(
                DeliveryRow(c.identifier, ia_name(c), c.country.name, d.planned_on, d.actual_on)
            )
    return offers, deliveries


# === fmsclssa: LOAs, amendments and modifications against their AOD, aggregated in SQL ==========
# (issue 13 item 5; SPEC §11 AOD: LOAs and amendments are measured to offer, modifications to
# implementation; the goal fact applies to each; late documents by delay reason code.)

DOCUMENTS = ("LOA", "Amendment", "Modification")


def document_aod(user, groups: Iterable[str] = ()) -> dict:
    """Per document type: the share on or before the AOD, overall and by AOD group, and the late
    documents by delay reason code — counted by the database over what `user` may see (four
    aggregate queries, whatever the number of documents)."""
    from django.db.models import Case
    from django.db.models import Count
    from django.db.models import DateField
    from django.db.models import F
    from django.db.models import Q
    from django.db.models import When

    from .models import CaseAmendment
    from .models import FmsCase
    from .rules import ChangeKind

    loas = FmsCase.objects.visible_to(user).filter(aod__isnull=False, offered_on__isnull=False)
    versions = (
        CaseAmendment.objects.visible_to(user)
        .filter(kind__in=(ChangeKind.AMENDMENT, ChangeKind.MODIFICATION), aod__isnull=False)
        .annotate(
            measured=Case(
                When(kind=ChangeKind.AMENDMENT, then=F("issued_on")),
                default=F("accepted_on"),
                output_field=DateField(),
            )
        )
        .filter(measured__isnull=False)
    )
    doc_of = {ChangeKind.AMENDMENT: "Amendment", ChangeKind.MODIFICATION: "Modification"}
    by_group: dict[str, dict[str, Share]] = {
        d: {f"Group {g}": Share() for g in groups} for d in DOCUMENTS
    }
    overall = {d: Share() for d in DOCUMENTS}

    def add(doc: str, group: str, total: int, on_time: int) -> None:
        for share in (overall[doc], by_group[doc].setdefault(f"Group {group}", Share())):
            share.total += total
            share.on_time += on_time

    for row in loas.values("aod_group").annotate(
        total=Count("pk"), on_time=Count("pk", filter=Q(offered_on__lte=F("aod")))
    ):
        add("LOA", row["aod_group"], row["total"], row["on_time"])
    for row in versions.values("kind", "aod_group").annotate(
        total=Count("pk"), on_time=Count("pk", filter=Q(measured__lte=F("aod")))
    ):
        add(doc_of[row["kind"]], row["aod_group"], row["total"], row["on_time"])
    late: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DOCUMENTS, 0))
    for row in loas.filter(offered_on__gt=F("aod")).values("delay_reason").annotate(n=Count("pk")):
        late[row["delay_reason"] or "(no code)"]["LOA"] += row["n"]
    for row in (
        versions.filter(measured__gt=F("aod"))
        .values("kind", "delay_reason")
        .annotate(n=Count("pk"))
    ):
        late[row["delay_reason"] or "(no code)"][doc_of[row["kind"]]] += row["n"]
    return {
        "overall": overall,
        "by_group": {d: dict(sorted(g.items())) for d, g in by_group.items()},
        "late_by_code": {code: dict(counts) for code, counts in sorted(late.items())},
    }


# === The dashboard's figures, aggregated by the database (issue 15 item 4, decision 0046) ========
# The same answers as aod_performance / lateness_by_code / delivery_timeliness / durations over
# load()'s rows (tests/cases/test_metrics.py checks them against each other on the demo data), but
# one grouped query per figure over what `user` may see: the time grows with the groups shown,
# not with the cases and deliveries measured (2.2 s at 20,000 cases, row by row in Python).


@dataclass
class Lateness:
    """Timeliness as the database sums it: due and late deliveries, their days late summed and
    the most (Timeliness keeps each delivery's days; these properties answer the same)."""

    due: int = 0
    late: int = 0
    days_total: int = 0
    days_max: int = 0

    @property
    def late_percent(self) -> Decimal | None:
        return _ratio(100 * self.late, self.due)

    @property
    def mean_days_late(self) -> Decimal | None:
        return _ratio(self.days_total, self.late)

    @property
    def max_days_late(self) -> int | None:
        return self.days_max if self.late else None

    def add(self, due: int, late: int, days_total: int, days_max: int) -> None:
        self.due += due
        self.late += late
        self.days_total += days_total
        self.days_max = max(self.days_max, days_max)


@dataclass(frozen=True)
class DurationCounts:
    """Durations as the database counts them: (days, how many) pairs in order of days."""

    counts: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def mean(self) -> Decimal | None:
        return _ratio(sum(v * n for v, n in self.counts), self.count)

    def _nth(self, k: int) -> int:
        for value, n in self.counts:
            if k < n:
                return value
            k -= n
        raise IndexError(k)

    @property
    def median(self) -> Decimal | None:
        total = self.count
        if not total:
            return None
        mid = total // 2
        if total % 2:
            return Decimal(self._nth(mid))
        return Decimal(self._nth(mid - 1) + self._nth(mid)) / 2


def days_between(later, earlier):
    """Whole days from `earlier` to `later` (two date expressions), as an integer on either
    database: PostgreSQL subtracts dates to days; SQLite counts Julian days."""
    from django.db.models import Func
    from django.db.models import IntegerField

    class DaysBetween(Func):
        output_field = IntegerField()
        template = "(%(expressions)s)"
        arg_joiner = " - "

        def as_sqlite(self, compiler, connection, **extra):
            return self.as_sql(
                compiler,
                connection,
                template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
                arg_joiner=") - julianday(",
                **extra,
            )

    return DaysBetween(later, earlier)


def _ia_names(user, org_ids) -> dict[int, str]:
    """The implementing agencies' names the user may see (one query); the others are
    "(restricted)", as related() answers a hidden owner."""
    from secoop.core.models import Organization

    seen = {o.pk: str(o) for o in Organization.objects.visible_to(user).filter(pk__in=org_ids)}
    return {pk: seen.get(pk, "(restricted)") for pk in org_ids}


def _measured_offers(user):
    from .models import FmsCase

    return FmsCase.objects.visible_to(user).filter(offered_on__isnull=False, aod__isnull=False)


def aod_figures(user, all_groups: Iterable[str] = ()) -> dict:
    """aod_performance() over the cases `user` may see: one grouped query per grouping, and the
    overall share summed from the AOD groups (every case has one)."""
    from django.db.models import Count
    from django.db.models import F
    from django.db.models import Q
    from django.db.models.functions import TruncMonth

    from .models import FmsCase

    offers = _measured_offers(user)
    counted = {"total": Count("pk"), "on_time": Count("pk", filter=Q(offered_on__lte=F("aod")))}
    category = dict(FmsCase._meta.get_field("category").flatchoices)
    groups: dict[str, dict[str, Share]] = {name: defaultdict(Share) for name in AOD_GROUPINGS}
    for g in all_groups:
        groups["group"][f"Group {g}"]  # noqa: B018  (a group with no document still shows)

    def add(name: str, key: str, row: dict) -> None:
        share = groups[name][key]
        share.total += row["total"]
        share.on_time += row["on_time"]

    overall = Share()
    for row in offers.values("aod_group").annotate(**counted).order_by():
        add("group", f"Group {row['aod_group']}" if row["aod_group"] else "(no group)", row)
        overall.total += row["total"]
        overall.on_time += row["on_time"]
    by_ia = list(offers.values("owner_org_id").annotate(**counted).order_by())
    names = _ia_names(user, [r["owner_org_id"] for r in by_ia])
    for row in by_ia:
        add("ia", names[row["owner_org_id"]], row)
    for row in offers.values("category").annotate(**counted).order_by():
        add("category", str(category.get(row["category"], row["category"])), row)
    for row in offers.values("country__name").annotate(**counted).order_by():
        add("country", row["country__name"], row)
    for row in (
        offers.annotate(m=TruncMonth("offered_on")).values("m").annotate(**counted).order_by()
    ):
        add("month", _month(row["m"]), row)
    return {"overall": overall, "by": {name: dict(sorted(g.items())) for name, g in groups.items()}}


def late_offers_by_code(user) -> dict[str, int]:
    """lateness_by_code() over the cases `user` may see, counted by the database."""
    from django.db.models import Count
    from django.db.models import F

    counts: dict[str, int] = defaultdict(int)
    late = _measured_offers(user).filter(offered_on__gt=F("aod"))
    for row in late.values("delay_reason").annotate(n=Count("pk")).order_by():
        counts[row["delay_reason"] or "(no code)"] += row["n"]
    return dict(sorted(counts.items()))


def timeliness_figures(user, today: dt.date) -> dict:
    """delivery_timeliness() over the deliveries `user` may see of the cases they may see: due
    (delivered, or planned on or before today), late, days late summed and the most, by IA and by
    country (two grouped queries; the overall figures are the countries' summed)."""
    from django.db.models import Count
    from django.db.models import DateField
    from django.db.models import Max
    from django.db.models import Q
    from django.db.models import Sum
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    from .models import Delivery
    from .models import FmsCase

    done_or_today = Coalesce("actual_on", Value(today, output_field=DateField()))
    due = (
        Delivery.objects.visible_to(user)
        .filter(case__in=FmsCase.objects.visible_to(user).values("pk"))
        .filter(Q(actual_on__isnull=False) | Q(planned_on__lte=today))
        .annotate(days=days_between(done_or_today, "planned_on"))
    )
    late = Q(days__gt=0)
    figures = {
        "n_due": Count("pk"),
        "n_late": Count("pk", filter=late),
        "days_total": Sum("days", filter=late),
        "days_max": Max("days", filter=late),
    }
    overall = Lateness()
    by: dict[str, dict[str, Lateness]] = {
        "ia": defaultdict(Lateness),
        "country": defaultdict(Lateness),
    }

    def add(t: Lateness, row: dict) -> None:
        t.add(row["n_due"], row["n_late"], row["days_total"] or 0, row["days_max"] or 0)

    by_ia = list(due.values("case__owner_org_id").annotate(**figures).order_by())
    names = _ia_names(user, [r["case__owner_org_id"] for r in by_ia])
    for row in by_ia:
        add(by["ia"][names[row["case__owner_org_id"]]], row)
    for row in due.values("case__country__name").annotate(**figures).order_by():
        add(by["country"][row["case__country__name"]], row)
        add(overall, row)
    return {"overall": overall, "by": {k: dict(sorted(v.items())) for k, v in by.items()}}


def duration_figures(user) -> dict[str, DurationCounts]:
    """durations() over the cases `user` may see: how many cases took each number of days (two
    grouped queries), from which the count, mean and median follow. The LOR's received date
    counts only where the user may see the LOR, as related() answers."""
    from django.db.models import Count

    from .models import FmsCase
    from .models import LetterOfRequest

    cases = FmsCase.objects.visible_to(user).filter(offered_on__isnull=False)
    lor_to_offer = cases.filter(
        lor__in=LetterOfRequest.objects.visible_to(user).values("pk"),
        lor__received_on__isnull=False,
    ).annotate(d=days_between("offered_on", "lor__received_on"))
    offer_to_acceptance = cases.filter(accepted_on__isnull=False).annotate(
        d=days_between("accepted_on", "offered_on")
    )
    return {
        name: DurationCounts(
            tuple((r["d"], r["n"]) for r in qs.values("d").annotate(n=Count("pk")).order_by("d"))
        )
        for name, qs in (
            ("lor_to_offer", lor_to_offer),
            ("offer_to_acceptance", offer_to_acceptance),
        )
    }
