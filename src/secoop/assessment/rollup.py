"""Roll-up and disaggregation (issue 17 item 10): an IMO/outcome's indicator rolled up, period by
period, from the approved actuals of the activity indicators that contribute to it, by its
declared method, with their disaggregations carried through (rules.roll_up_period); a campaign
objective's indicator the same way from the IMO/outcome indicators that contribute to it (their
own approved actuals, or, in a period without one, what their activities roll up to).

Only what the reader may see counts: contributors, periods, updates and disaggregations are
read through the door, and the figure is said to be "from the records you can see". Nothing
says how many records were left out (that count would itself leak them). A contributor of
another unit is skipped and the reason is shown (rules.unit_mismatch)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.reports import xlsx
from secoop.reports.common import Report

from . import findings
from . import rules
from .models import Disaggregation
from .models import Indicator
from .models import Period
from .models import Result
from .models import Update
from .rules import UpdateStatus

NOTE = "Rolled up from the records you can see."


@dataclass
class Contributor:
    indicator: Indicator
    name: str
    activity: object  # the activity it measures, as the reader may see it (or None)
    unit: str
    measure_type: str
    method: str
    weight: Decimal
    skipped: str = ""  # why it does not count (another unit or measure type)
    imo: object = None  # the IMO/outcome it measures, for an IMO's indicator (or None)

    @property
    def measures(self):
        """The activity or IMO/outcome it measures, as the reader may see it."""
        return self.activity or self.imo

    @property
    def method_label(self) -> str:
        return rules.RollUp(self.method).label


@dataclass
class PeriodRollUp:
    period: Period
    target: Decimal | None
    own_actual: Decimal | None  # the objective indicator's own approved actual
    value: Decimal | None  # rolled up from the contributors
    lines: list[tuple[Contributor, Decimal]]  # each contributor's value in the period
    parts: tuple[tuple[str, str, Decimal], ...]  # (dimension, category, rolled-up amount)


@dataclass
class RollUpTable:
    indicator: Indicator
    name: str
    unit: str
    method: str
    contributors: list[Contributor]
    periods: list[PeriodRollUp]
    records: list = field(default_factory=list)  # every record read, for the banner and marking

    @property
    def method_label(self) -> str:
        return rules.RollUp(self.method).label

    @property
    def skipped(self) -> list[Contributor]:
        return [c for c in self.contributors if c.skipped]


def table(parent: Indicator, user) -> RollUpTable | None:
    """The roll-up of `parent` as `user` may see it; None when no contributor is visible to them
    (or the objective's measure is not)."""
    return tables([parent], user)[parent.pk]


def _contributor(child: Indicator, sheet, user, records: list) -> Contributor | None:
    """The child as its parent's roll-up counts it (None when its measure is hidden); the
    result, activity and IMO/outcome it names are added to `records`."""
    mine = findings.sheet_of(child, user)
    if mine is None:
        return None
    result = related(child, "result", user)
    activity = related(result, "activity", user) if result and result.activity_id else None
    imo = related(result, "imo", user) if result and result.imo_id else None
    records += [r for r in (result, activity, imo) if r is not None]
    why = rules.unit_mismatch(sheet.unit, sheet.measure_type, mine.unit, mine.measure_type)
    return Contributor(
        child,
        findings.related_name(child, user),
        activity,
        mine.unit,
        mine.measure_type,
        child.roll_up,
        child.roll_up_weight,
        f"not counted: {why}" if why else "",
        imo,
    )


def tables(parents, user) -> dict[int, RollUpTable | None]:
    """table() of each of `parents`, read together (issue 15: the ROI page and its export ask
    for the roll-ups of many objectives): a fixed number of queries for them all, and as many
    again for each level of IMO/outcome indicators rolling up into one another."""
    parents = list({p.pk: p for p in parents}.values())
    out: dict[int, RollUpTable | None] = {p.pk: None for p in parents}
    sheets = {p.pk: findings.sheet_of(p, user) for p in findings.with_measures(parents, user)}
    parents = [p for p in parents if sheets[p.pk] is not None]
    if not parents:
        return out
    children = findings.with_measures(
        list(
            Indicator.objects.visible_to(user)
            .filter(contributes_to__in=[p.pk for p in parents])
            .order_by("pk")
            .prefetch_related(
                GuardedPrefetch("result", user),
                GuardedPrefetch("result__activity", user),
                GuardedPrefetch("result__imo", user),
            )
        ),
        user,
    )
    records = {p.pk: [p] for p in parents}
    for child in children:
        records[child.contributes_to_id].append(child)
    contributors: dict[int, list[Contributor]] = {p.pk: [] for p in parents}
    for child in children:
        parent = child.contributes_to_id
        made = _contributor(child, sheets[parent], user, records[parent])
        if made is not None:
            contributors[parent].append(made)
    parent_of = {c.indicator.pk: p for p, cs in contributors.items() for c in cs}
    periods = list(Period.objects.visible_to(user).filter(indicator_id__in=list(parent_of)))
    ends = {p.pk: p.period_end for p in periods}
    owner = {p.pk: p.indicator_id for p in periods}
    approved: dict[int, Update] = {}  # the latest approved update of each period
    for u in (
        Update.objects.visible_to(user)
        .filter(period_id__in=list(ends), status=UpdateStatus.APPROVED)
        .order_by("pk")
    ):
        approved[u.period_id] = u
    parts: dict[int, list] = {}
    for d in Disaggregation.objects.visible_to(user).filter(
        update_id__in=[u.pk for u in approved.values()]
    ):
        parts.setdefault(d.update_id, []).append(d)
    contributions: dict[int, list] = {p.pk: [] for p in parents}
    for period_id, u in approved.items():
        contributions[parent_of[owner[period_id]]].append(
            rules.Contribution(
                source=owner[period_id],
                period_end=ends[period_id],
                value=u.value,
                parts=tuple((d.dimension, d.category, d.amount) for d in parts.get(u.pk, [])),
            )
        )
    for p in periods:
        records[parent_of[p.indicator_id]].append(p)
    for period_id, u in approved.items():
        records[parent_of[owner[period_id]]] += [u, *parts.get(u.pk, [])]
    # An IMO's indicator with no approved actual of its own in a period contributes what its
    # activities roll up to there (decision 0044's "measured progress"), so the chain
    # activity → IMO → campaign objective carries through.
    lower = [c.indicator for cs in contributors.values() for c in cs if c.imo is not None]
    below = tables(lower, user) if lower else {}
    for parent, cs in contributors.items():
        for c in cs:
            under = below.get(c.indicator.pk) if c.imo is not None else None
            for p in under.periods if under else ():
                if p.period.pk not in approved and p.value is not None:
                    contributions[parent].append(
                        rules.Contribution(c.indicator.pk, p.period.period_end, p.value, p.parts)
                    )
            records[parent] += under.records if under else []
    period_rows = findings.period_rows_of(parents, user)
    for parent in parents:
        sheet = sheets[parent.pk]
        facts = [
            rules.Contributor(c.indicator.pk, c.method, c.unit, c.measure_type, c.weight)
            for c in contributors[parent.pk]
        ]
        by_id = {c.indicator.pk: c for c in contributors[parent.pk]}
        rows = []
        for row in period_rows[parent.pk]:
            p = row.period
            inside = [
                c
                for c in contributions[parent.pk]
                if p.period_start <= c.period_end <= p.period_end
            ]
            if not inside:
                continue
            rolled = rules.roll_up_period(
                parent.roll_up, sheet.unit, sheet.measure_type, facts, inside
            )
            rows.append(
                PeriodRollUp(
                    p,
                    row.target,
                    row.actual,
                    rolled.value,
                    [(by_id[source], value) for source, value in rolled.per_source.items()],
                    rolled.parts,
                )
            )
            records[parent.pk].append(p)
        if records[parent.pk][1:]:  # a contributor the reader may see
            out[parent.pk] = RollUpTable(
                parent,
                findings.related_name(parent, user),
                sheet.unit,
                parent.roll_up,
                contributors[parent.pk],
                rows,
                records[parent.pk],
            )
    return out


def tables_for_objectives(imos, user) -> dict[int, list[RollUpTable]]:
    """For each of `imos`, the roll-up of each indicator of the IMO/outcome's results that has
    contributors; read together (issue 15: the ROI page and its export ask for many)."""
    imo_of = dict(
        Result.objects.visible_to(user)
        .filter(imo__in=[o.pk for o in imos])
        .order_by()
        .values_list("pk", "imo_id")
    )
    out: dict[int, list[RollUpTable]] = {o.pk: [] for o in imos}
    indicators = list(
        Indicator.objects.visible_to(user).filter(result_id__in=list(imo_of)).order_by("pk")
    )
    made = tables(indicators, user)
    for indicator in indicators:
        if made[indicator.pk] is not None:
            out[imo_of[indicator.result_id]].append(made[indicator.pk])
    return out


def tables_for_campaign_objective(end_state, user) -> list[RollUpTable]:
    """The roll-up of each indicator of the campaign objective's results (its end state's) that
    has IMO/outcome indicators contributing."""
    return _tables(user, end_state=end_state)


def _tables(user, **parent) -> list[RollUpTable]:
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(result__in=Result.objects.visible_to(user).filter(**parent))
        .order_by("pk")
    )
    made = tables(indicators, user)
    return [made[i.pk] for i in indicators if made[i.pk] is not None]


# --- the XLSX report --------------------------------------------------------------------------------

HEADERS = [
    "Objective indicator",
    "Method",
    "Unit",
    "Period start",
    "Period end",
    "Target",
    "Objective's own actual",
    "Contributing indicator",
    "Activity or IMO/outcome",
    "Contributor's actual",
    "Rolled-up value",
]
PART_HEADERS = [
    "Objective indicator",
    "Period start",
    "Period end",
    "Dimension",
    "Category",
    "Rolled-up amount",
]


def _marking(objective, tables: list[RollUpTable]) -> Marking:
    """The highest marking of what the workbook holds: the objective it names and every record
    its roll-ups read."""
    return combine([objective.marking, *(r.marking for t in tables for r in t.records)])


def xlsx_report(objective, tables: list[RollUpTable], kind: str = "imo") -> Report:
    """The objective's roll-ups as a workbook: one row per contributor and period with the
    rolled-up value, and the rolled-up disaggregations on a second sheet; marked with the
    highest marking of what it holds."""
    marking = _marking(objective, tables)
    rows, part_rows = [], []
    for t in tables:
        for p in t.periods:
            for contributor, value in p.lines:
                rows.append(
                    [
                        t.name,
                        t.method_label,
                        t.unit,
                        p.period.period_start,
                        p.period.period_end,
                        p.target,
                        p.own_actual,
                        contributor.name,
                        str(contributor.measures) if contributor.measures else "",
                        value,
                        p.value,
                    ]
                )
            for dimension, category, amount in p.parts:
                part_rows.append(
                    [
                        t.name,
                        p.period.period_start,
                        p.period.period_end,
                        dimension,
                        category,
                        amount,
                    ]
                )
        for c in t.skipped:
            rows.append(
                [
                    t.name,
                    t.method_label,
                    t.unit,
                    None,
                    None,
                    None,
                    None,
                    c.name,
                    "",
                    None,
                    c.skipped,
                ]
            )
    wb = xlsx.workbook()
    xlsx.table_sheet(
        wb,
        "Roll-up",
        marking,
        HEADERS,
        rows,
        heading=[f"Roll-up of the contributing indicators into {objective} (issue 17 item 10)"],
        note=NOTE + " Each contributor combines its periods inside the objective's period by its "
        "own method; the contributors combine by the objective indicator's method.",
        money=[False] * len(HEADERS),
    )
    xlsx.table_sheet(
        wb,
        "By dimension",
        marking,
        PART_HEADERS,
        part_rows,
        heading=["Disaggregations carried through the roll-up"],
        note=NOTE,
        money=[False] * len(PART_HEADERS),
    )
    return Report(xlsx.save(wb, marking), f"secoop-rollup-{kind}-{objective.pk}.xlsx", marking)
