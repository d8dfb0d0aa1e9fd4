"""Budget and forecast rules (SPEC §8, R-BUD-01..05, R-FCT-01..05) as pure functions: no
database, no settings, no clock.

Thresholds, probabilities and notional dates come in as arguments: the callers read them from
dated ReferenceFact rows and the notional steps of SAMM Table C2.T2 (budget/facts.py, the
NotionalStep table), never from literals here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.core import formats
from secoop.core.fiscal import fiscal_year
from secoop.core.lifecycle import Lifecycle
from secoop.core.rules import Role
from secoop.core.verdicts import Finding

ZERO = Decimal("0")

# --- who acts at each stage of the budget request (R-BUD-05) --------------------------------------


class Stage:
    """Where a country's budget request is: SCO → CCMD → Joint Staff → DSCA → OSD Policy → DoS."""

    SCO = "sco"
    CCMD = "ccmd"
    JOINT_STAFF = "joint_staff"
    DSCA = "dsca"
    OSD = "osd"
    DOS = "dos"
    ALLOCATED = "allocated"
    CHOICES = [
        (SCO, "Being drafted by the SCO"),
        (CCMD, "With the CCMD"),
        (JOINT_STAFF, "With the Joint Staff"),
        (DSCA, "With DSCA"),
        (OSD, "With OSD Policy"),
        (DOS, "With the Department of State"),
        (ALLOCATED, "Allocation recorded"),
    ]
    LABELS = dict(CHOICES)
    ORDER = (SCO, CCMD, JOINT_STAFF, DSCA, OSD, DOS)
    # The organizations that hold the request at each stage, and so may modify it there.
    ROLES = {
        SCO: frozenset({Role.SCO_CHIEF, Role.SCO_OFFICER, Role.SDO_DATT}),
        CCMD: frozenset({Role.CCMD_PLANNER, Role.COUNTRY_DESK_OFFICER}),
        JOINT_STAFF: frozenset({Role.JOINT_STAFF}),
        DSCA: frozenset({Role.DSCA_STAFF}),
        OSD: frozenset({Role.OSD_POLICY}),
        DOS: frozenset({Role.STATE_PM}),
    }
    # Steps that have no stage of their own (a notional step that is a meeting, not a hand-off).
    NONE = ""
    STEP_CHOICES = [(NONE, "No hand-off (information, meeting)"), *CHOICES[:6]]


def next_stage(stage: str) -> str:
    """The stage a request goes to when it leaves `stage` (DoS → allocation)."""
    order = Stage.ORDER
    return order[order.index(stage) + 1] if order.index(stage) + 1 < len(order) else Stage.ALLOCATED


REQUEST = Lifecycle(
    "budget request",
    Stage.LABELS,
    {
        "submit": ((Stage.SCO,), Stage.CCMD, "Submit to the CCMD"),
        "to_joint_staff": ((Stage.CCMD,), Stage.JOINT_STAFF, "Forward to the Joint Staff"),
        "to_dsca": ((Stage.JOINT_STAFF,), Stage.DSCA, "Forward to DSCA"),
        "to_osd": ((Stage.DSCA,), Stage.OSD, "Forward to OSD Policy"),
        "to_dos": ((Stage.OSD,), Stage.DOS, "Forward to the Department of State"),
        "allocate": ((Stage.DOS,), Stage.ALLOCATED, "Record the allocation"),
    },
    action="secoop.budget.actions.forward_request",
    actions={"allocate": "secoop.budget.actions.record_allocation"},
)
FORWARD_BY_STAGE = {REQUEST[n].sources[0]: n for n in REQUEST if n != "allocate"}


# --- the notional timeline of SAMM Table C2.T2 (R-BUD-05) -----------------------------------------


@dataclass(frozen=True)
class NotionalTiming:
    """When a notional step falls, relative to the budget fiscal year: 'mid August' two years
    before the funds are executed is (month 8, day 15, year offset -2)."""

    month: int
    day: int
    year_offset: int


def notional_due(budget_fy: int, timing: NotionalTiming) -> dt.date:
    """The notional due date of a step for the budget call of `budget_fy` (R-BUD-05: funds asked
    for are executed two years later; the real dates come with each year's call)."""
    return dt.date(budget_fy + timing.year_offset, timing.month, timing.day)


# --- requirements (R-BUD-01..03) ------------------------------------------------------------------


class FundingSource:
    FMF = "fmf"
    IMET = "imet"
    CHOICES = [(FMF, "FMF (Foreign Military Financing)"), (IMET, "IMET (training)")]
    LABELS = dict(CHOICES)


class Capability:
    CREATE = "create"
    ENHANCE = "enhance"
    MAINTAIN = "maintain"
    CHOICES = [(CREATE, "Created"), (ENHANCE, "Enhanced"), (MAINTAIN, "Maintained")]


# What a materiel/service purpose may be funded by (R-BUD-01: a funding source consistent with
# its purpose). IMET pays for education and training only; FMF for articles, services and training.
class Purpose:
    MATERIEL = "materiel"
    SERVICES = "services"
    TRAINING = "training"
    CHOICES = [
        (MATERIEL, "Materiel (defense articles)"),
        (SERVICES, "Defense services"),
        (TRAINING, "Education and training"),
    ]


SOURCE_FITS = {
    FundingSource.FMF: frozenset({Purpose.MATERIEL, Purpose.SERVICES, Purpose.TRAINING}),
    FundingSource.IMET: frozenset({Purpose.TRAINING}),
}

R_BUD_01_FIELDS = (
    ("objective", "the objective: what needs to be accomplished and why"),
    ("capability_text", "the capability created, enhanced or maintained"),
    ("time_to_achieve", "how long it will take to achieve the objective"),
    ("end_state", "the desired end state"),
    ("justification", "the justification of the materiel or services and why they are critical"),
)


def requirement_problems(
    values: Mapping[str, object], years: Mapping[int, Decimal], budget_fy: int
) -> list[Finding]:
    """R-BUD-01: every element of a requirement, and an out-year need by fiscal year; the funding
    source consistent with the purpose. R-BUD-02: no cap — nothing here compares with past
    allocations."""
    out = [
        Finding("R-BUD-01", f"give {what}.", field=name)
        for name, what in R_BUD_01_FIELDS
        if not str(values.get(name) or "").strip()
    ]
    priority = values.get("priority")
    if not priority or int(priority) < 1:
        out.append(
            Finding("R-BUD-01", "give the requirement's priority (1 is highest).", field="priority")
        )
    source, purpose = values.get("funding_source"), values.get("purpose")
    if source in SOURCE_FITS and purpose and purpose not in SOURCE_FITS[source]:
        out.append(
            Finding(
                "R-BUD-01",
                f"{FundingSource.LABELS[source]} does not pay for {purpose}: choose a funding source "
                "consistent with the purpose (IMET pays for education and training only).",
                field="funding_source",
            )
        )
    if not any(amount > ZERO for amount in years.values()):
        out.append(
            Finding(
                "R-BUD-01",
                f"give the out-year program need: an amount for FY{budget_fy} or a later fiscal year.",
                field="years",
            )
        )
    early = sorted(fy for fy, amount in years.items() if fy < budget_fy and amount)
    if early:
        out.append(
            Finding(
                "R-BUD-01",
                f"FY{early[0]} is before the budget year FY{budget_fy}: a request asks for the "
                "budget year and the out-years only.",
                field="years",
            )
        )
    negative = sorted(fy for fy, amount in years.items() if amount < ZERO)
    if negative:
        out.append(
            Finding("R-BUD-01", f"FY{negative[0]}: an amount cannot be negative.", field="years")
        )
    return out


def uncommitted_problem(balance: Decimal, plan: str, commit_by: dt.date | None) -> Finding | None:
    """R-BUD-03: an uncommitted FMF balance needs a plan and a timeframe to commit it."""
    if balance <= ZERO:
        return None
    if not (plan or "").strip():
        return Finding(
            "R-BUD-03",
            f"the request reports {formats.usd(balance)} of uncommitted FMF: say how it will be used.",
            field="uncommitted_plan",
        )
    if commit_by is None:
        return Finding(
            "R-BUD-03",
            f"give the date by which the {formats.usd(balance)} of uncommitted FMF will be committed.",
            field="uncommitted_commit_by",
        )
    return None


def total_by_source(lines: Iterable[tuple[str, int, Decimal]], fy: int) -> dict[str, Decimal]:
    """The total asked per funding source in one fiscal year: (source, FY, amount) rows."""
    out: dict[str, Decimal] = {}
    for source, year, amount in lines:
        if year == fy:
            out[source] = out.get(source, ZERO) + amount
    return out


# --- versions and their diff (R-BUD-05) ------------------------------------------------------------

DIFF_FIELDS = (
    ("title", "Requirement"),
    ("funding_source", "Funding source"),
    ("purpose", "Purpose"),
    ("priority", "Priority"),
    ("objective", "Objective"),
    ("capability", "Capability"),
    ("capability_text", "Capability (what)"),
    ("time_to_achieve", "Time to achieve"),
    ("end_state", "End state"),
    ("justification", "Justification"),
    ("mission_objective", "MSRP/ICS objective"),
)


@dataclass(frozen=True)
class Change:
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class RequirementDiff:
    key: str  # the requirement's id
    title: str
    kind: str  # added | removed | changed
    changes: tuple[Change, ...] = ()


def _text(value) -> str:
    if value is None or value == "":
        return "(empty)"
    return str(value)


def _years(row: Mapping) -> dict[str, str]:
    return {str(k): str(v) for k, v in (row.get("years") or {}).items()}


def diff_versions(before: Sequence[Mapping], after: Sequence[Mapping]) -> list[RequirementDiff]:
    """What changed between two versions of a request's requirements (each a list of snapshots
    with an 'id', the fields above and 'years': {FY: amount}), field by field and year by year."""
    old = {str(r["id"]): r for r in before}
    new = {str(r["id"]): r for r in after}
    out: list[RequirementDiff] = []
    for key in sorted(set(old) | set(new), key=lambda k: (len(k), k)):
        b, a = old.get(key), new.get(key)
        if b is None:
            out.append(RequirementDiff(key, _text(a.get("title")), "added"))
            continue
        if a is None:
            out.append(RequirementDiff(key, _text(b.get("title")), "removed"))
            continue
        changes = [
            Change(label, _text(b.get(name)), _text(a.get(name)))
            for name, label in DIFF_FIELDS
            if _text(b.get(name)) != _text(a.get(name))
        ]
        by, ay = _years(b), _years(a)
        for fy in sorted(set(by) | set(ay)):
            if Decimal(by.get(fy, "0")) != Decimal(ay.get(fy, "0")):
                changes.append(
                    Change(
                        f"FY{fy} need",
                        formats.usd(Decimal(by[fy])) if fy in by else "(none)",
                        formats.usd(Decimal(ay[fy])) if fy in ay else "(none)",
                    )
                )
        if changes:
            out.append(RequirementDiff(key, _text(a.get("title")), "changed", tuple(changes)))
    return out


# --- forecasts (R-FCT-01..03) ----------------------------------------------------------------------


class Channel:
    FMS = "fms"
    DCS = "dcs"
    EDA = "eda"
    CHOICES = [
        (FMS, "FMS (Foreign Military Sales)"),
        (DCS, "DCS (Direct Commercial Sale)"),
        (EDA, "EDA (Excess Defense Articles)"),
    ]
    LABELS = dict(CHOICES)


class SaleKind:
    MDE = "mde"
    OTHER = "other"
    CHOICES = [
        (MDE, "Major defense equipment (MDE)"),
        (OTHER, "Other defense articles and services"),
    ]


@dataclass(frozen=True)
class Thresholds:
    """The dated facts of the two reports (budget/facts.py)."""

    javits_mde: Decimal  # R-FCT-02: $7M of MDE
    javits_other: Decimal  # R-FCT-02: $25M of other articles and services
    forecast_probability: int  # R-FCT-03: 90 (percent) and more
    forecast_years: int  # R-FCT-03: the next two fiscal years


@dataclass(frozen=True)
class Sale:
    """One possible sale of a forecast submission, as the rules read it."""

    channel: str
    kind: str
    value: Decimal
    probability: int  # percent
    expected_on: dt.date


def javits_threshold(kind: str, t: Thresholds) -> Decimal:
    return t.javits_mde if kind == SaleKind.MDE else t.javits_other


def in_javits(sale: Sale, calendar_year: int, t: Thresholds) -> bool:
    """R-FCT-02: the Javits report of a calendar year lists every possible FMS, DCS or EDA sale
    expected that year of $7M or more of MDE or $25M or more of other articles and services,
    however low its probability."""
    return (
        sale.channel in (Channel.FMS, Channel.DCS, Channel.EDA)
        and sale.expected_on.year == calendar_year
        and sale.value >= javits_threshold(sale.kind, t)
    )


def forecast_years(report_year: int, t: Thresholds) -> tuple[int, ...]:
    """R-FCT-03: the fiscal years the FMS sales forecast covers: the next `forecast_years` after
    the June submission (a submission for report year 2027, made in June 2026, covers FY2027 and
    FY2028)."""
    return tuple(range(report_year, report_year + t.forecast_years))


def in_sales_forecast(sale: Sale, report_year: int, t: Thresholds) -> bool:
    """R-FCT-03: FMS only, in the next two fiscal years, highly probable (90% or more), with no
    dollar threshold."""
    return (
        sale.channel == Channel.FMS
        and fiscal_year(sale.expected_on) in forecast_years(report_year, t)
        and sale.probability >= t.forecast_probability
    )


def sale_problems(values: Mapping[str, object]) -> list[Finding]:
    out = []
    probability = values.get("probability")
    if probability is None or not 0 <= int(probability) <= 100:
        out.append(
            Finding(
                "R-FCT-02",
                "give the probability as a percentage from 0 to 100.",
                field="probability",
            )
        )
    value = values.get("value")
    if value is None or Decimal(str(value)) <= ZERO:
        out.append(
            Finding("R-FCT-02", "give the sale's estimated value in U.S. dollars.", field="value")
        )
    return out


FORECAST = Lifecycle(
    "forecast submission",
    {"draft": "Draft", "submitted": "Submitted to the CCMD and DSCA"},
    {"submit": (("draft",), "submitted", "Submit to the CCMD and DSCA")},
    action="secoop.budget.actions.submit_forecast",
)


# --- the consonance check (R-FCT-04, R-BUD-04) ---------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of an inconsistency: what it is and where it is fixed."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class Inconsistency:
    rule: str
    kind: str
    message: str
    left: Side
    right: Side | None = None

    @property
    def label(self) -> str:
        return Kind.LABELS[self.kind]


class Kind:
    SALE_WITHOUT_OBJECTIVE = "sale_without_objective"
    LINE_NOT_IN_MSRP = "line_not_in_msrp"
    LOR_WITHOUT_FORECAST = "lor_without_forecast"
    SALE_AMOUNT = "sale_amount"
    LINE_AMOUNT = "line_amount"
    FMF_AMOUNT = "fmf_amount"
    LABELS = {
        SALE_WITHOUT_OBJECTIVE: "Forecast sale with no country-plan objective",
        LINE_NOT_IN_MSRP: "Budget line not in the MSRP/ICS",
        LOR_WITHOUT_FORECAST: "LOR with no forecast",
        SALE_AMOUNT: "Forecast and LOR amounts disagree",
        LINE_AMOUNT: "Budget line and planned activity amounts disagree",
        FMF_AMOUNT: "FMF-funded sales and FMF budget lines disagree",
    }


@dataclass(frozen=True)
class SaleFacts:
    side: Side
    value: Decimal
    objective_id: int | None  # the country-plan objective (IMO / outcome) it serves
    lor_id: int | None


@dataclass(frozen=True)
class LineFacts:
    side: Side
    msrp_id: int | None
    activity_id: int | None
    source: str
    years: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class LorFacts:
    side: Side
    value: Decimal | None


@dataclass(frozen=True)
class ActivityFacts:
    side: Side
    fmf_by_year: Mapping[int, Decimal] = field(default_factory=dict)
    imet_by_year: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class FmfFacts:
    """The FMF a country's forecast expects to spend and the FMF its budget request asks, by fiscal
    year: the sales paid with FMF by the fiscal year of their expected date, the request's FMF
    lines by the year of their need; `years` are those both cover (the forecast's fiscal years
    from the request's budget year on)."""

    sales_side: Side  # the forecast submission
    lines_side: Side  # the budget request
    sales_by_year: Mapping[int, Decimal] = field(default_factory=dict)
    lines_by_year: Mapping[int, Decimal] = field(default_factory=dict)
    years: tuple[int, ...] = ()


def fmf_disagreements(f: FmfFacts, tolerance_percent: Decimal) -> list[Inconsistency]:
    """R-FCT-04: in each fiscal year both cover where the forecast expects sales paid with FMF,
    those sales and the request's FMF lines agree within the tolerance. A year with FMF lines and
    no FMF-funded sale is not flagged: FMF also pays for training, services and cases already
    signed, which no forecast sale names."""
    out = []
    for fy in sorted(f.years):
        sales = f.sales_by_year.get(fy, Decimal(0))
        lines = f.lines_by_year.get(fy, Decimal(0))
        if sales <= 0 or not disagree(sales, lines, tolerance_percent):
            continue
        if sales > lines:
            what = (
                f"FY{fy}: the forecast expects {formats.usd(sales)} of sales paid with FMF; the "
                f"budget request asks {formats.usd(lines)} of FMF: ask for the FMF those sales "
                "need, or correct the forecast (a sale not paid with FMF, or a later date)."
            )
        else:
            what = (
                f"FY{fy}: the budget request asks {formats.usd(lines)} of FMF; the forecast "
                f"expects only {formats.usd(sales)} of sales paid with FMF: add the sales the FMF "
                "will buy to the forecast, or correct the request."
            )
        out.append(
            Inconsistency(
                "R-FCT-04",
                Kind.FMF_AMOUNT,
                what,
                Side(f"{f.sales_side.label}: FMF-funded sales, FY{fy}", f.sales_side.url),
                Side(f"{f.lines_side.label}: FMF lines, FY{fy}", f.lines_side.url),
            )
        )
    return out


def disagree(a: Decimal, b: Decimal, tolerance_percent: Decimal) -> bool:
    """Two amounts disagree when they differ by more than `tolerance_percent` of the larger."""
    larger = max(abs(a), abs(b))
    return abs(a - b) > larger * tolerance_percent / Decimal(100)


def consonance(
    sales: Sequence[SaleFacts],
    lines: Sequence[LineFacts],
    lors: Mapping[int, LorFacts],
    activities: Mapping[int, ActivityFacts],
    plan_objectives: Iterable[int],
    msrp_objectives: Iterable[int],
    tolerance_percent: Decimal,
    fmf: FmfFacts | None = None,
) -> list[Inconsistency]:
    """Every inconsistency between a country's forecasts, budget requests, country plan, open
    LORs and the Chief of Mission's MSRP/ICS (R-FCT-04, R-BUD-04), each with both sides."""
    plan_ids, msrp_ids = set(plan_objectives), set(msrp_objectives)
    out: list[Inconsistency] = []
    for s in sales:
        if s.objective_id is None or s.objective_id not in plan_ids:
            out.append(
                Inconsistency(
                    "R-FCT-04",
                    Kind.SALE_WITHOUT_OBJECTIVE,
                    "This possible sale serves no objective of the country plan: link it to the "
                    "IMO/outcome it serves, or ask the CCMD to add one.",
                    s.side,
                )
            )
        lor = lors.get(s.lor_id) if s.lor_id is not None else None
        if (
            lor is not None
            and lor.value is not None
            and disagree(s.value, lor.value, tolerance_percent)
        ):
            out.append(
                Inconsistency(
                    "R-FCT-04",
                    Kind.SALE_AMOUNT,
                    f"The forecast says {formats.usd(s.value)}; the LOR estimates "
                    f"{formats.usd(lor.value)}: correct one of them.",
                    s.side,
                    lor.side,
                )
            )
    forecast_lors = {s.lor_id for s in sales if s.lor_id is not None}
    for lor_id, lor in sorted(lors.items()):
        if lor_id not in forecast_lors:
            out.append(
                Inconsistency(
                    "R-FCT-04",
                    Kind.LOR_WITHOUT_FORECAST,
                    "The partner asked for this, but no forecast sale names it: add it to the "
                    "forecast (or return the LOR).",
                    lor.side,
                )
            )
    for ln in lines:
        if ln.msrp_id is None or ln.msrp_id not in msrp_ids:
            out.append(
                Inconsistency(
                    "R-BUD-04",
                    Kind.LINE_NOT_IN_MSRP,
                    "This budget line serves no objective of the Chief of Mission's MSRP/ICS: it is "
                    "at risk of exclusion. Link it to the MSRP/ICS objective it serves, or ask the "
                    "embassy to add one.",
                    ln.side,
                )
            )
        act = activities.get(ln.activity_id) if ln.activity_id is not None else None
        if act is None:
            continue
        planned = act.fmf_by_year if ln.source == FundingSource.FMF else act.imet_by_year
        for fy in sorted(set(ln.years) & set(planned)):
            if disagree(ln.years[fy], planned[fy], tolerance_percent):
                out.append(
                    Inconsistency(
                        "R-FCT-04",
                        Kind.LINE_AMOUNT,
                        f"FY{fy}: the budget line asks {formats.usd(ln.years[fy])}; the country "
                        f"plan's activity plans {formats.usd(planned[fy])}: correct one of them.",
                        ln.side,
                        act.side,
                    )
                )
    if fmf is not None:
        out += fmf_disagreements(fmf, tolerance_percent)
    return out


def count_by_kind(found: Iterable[Inconsistency]) -> dict[str, int]:
    out = dict.fromkeys(Kind.LABELS, 0)
    for i in found:
        out[i.kind] += 1
    return out


@dataclass(frozen=True)
class Tally:
    """One country's consonance facts as the roll-up reads them: SQL aggregates, each key with
    the number of rows that have it (issue 15: a dashboard counts in the database, not row by
    row). The same rows as rules.consonance's facts, grouped:

    - `sales_by_objective`: the forecast's sales per country-plan objective id (None: none);
    - `sales_by_lor`: the sales that name an LOR, per (LOR id, the sale's value);
    - `open_lors`: how many open LORs; `lor_values`: the open LORs a sale names, with their
      estimate;
    - `lines_by_msrp`: the budget lines per MSRP/ICS objective id (None: none);
    - `line_needs`: the lines' needs on a country-plan activity, per (activity id, funding
      source, FY, amount); `planned`: those activities' funding per (activity id, source, FY);
    - `fmf`: the FMF comparison's facts (its sides unused)."""

    plan_objectives: frozenset[int] = frozenset()
    msrp_objectives: frozenset[int] = frozenset()
    sales_by_objective: Mapping[int | None, int] = field(default_factory=dict)
    sales_by_lor: Mapping[tuple[int, Decimal], int] = field(default_factory=dict)
    open_lors: int = 0
    lor_values: Mapping[int, Decimal | None] = field(default_factory=dict)
    lines_by_msrp: Mapping[int | None, int] = field(default_factory=dict)
    line_needs: Mapping[tuple[int, str, int, Decimal], int] = field(default_factory=dict)
    planned: Mapping[tuple[int, str, int], Decimal] = field(default_factory=dict)
    fmf: FmfFacts | None = None


def consonance_counts(t: Tally, tolerance_percent: Decimal) -> dict[str, int]:
    """count_by_kind(consonance(...)) from the counted facts (R-FCT-04, R-BUD-04): the same
    comparisons, once a key instead of once a row."""
    out = dict.fromkeys(Kind.LABELS, 0)
    out[Kind.SALE_WITHOUT_OBJECTIVE] = sum(
        n for objective, n in t.sales_by_objective.items() if objective not in t.plan_objectives
    )
    out[Kind.SALE_AMOUNT] = sum(
        n
        for (lor, value), n in t.sales_by_lor.items()
        if t.lor_values.get(lor) is not None
        and disagree(value, t.lor_values[lor], tolerance_percent)
    )
    out[Kind.LOR_WITHOUT_FORECAST] = t.open_lors - len(t.lor_values)
    out[Kind.LINE_NOT_IN_MSRP] = sum(
        n for msrp, n in t.lines_by_msrp.items() if msrp not in t.msrp_objectives
    )
    for (activity, source, fy, amount), n in t.line_needs.items():
        planned = t.planned.get((activity, planned_source(source), fy))
        if planned is not None and disagree(amount, planned, tolerance_percent):
            out[Kind.LINE_AMOUNT] += n
    if t.fmf is not None:
        out[Kind.FMF_AMOUNT] = len(fmf_disagreements(t.fmf, tolerance_percent))
    return out


def planned_source(line_source: str) -> str:
    """The activity funding a budget line is compared with: its FMF, or else its IMET."""
    return FundingSource.FMF if line_source == FundingSource.FMF else FundingSource.IMET


# --- request vs allocation over years (the roll-up chart) ------------------------------------------


@dataclass(frozen=True)
class Bar:
    fy: int
    requested: Decimal
    allocated: Decimal | None


def chart_geometry(bars: Sequence[Bar], width: int = 640, height: int = 240) -> dict:
    """Where each bar of a request-vs-allocation chart goes (pure: the SVG template draws it)."""
    top = max([b.requested for b in bars] + [b.allocated or ZERO for b in bars] + [Decimal(1)])
    pad_left, pad_bottom, pad_top = 90, 30, 10
    plot_h = height - pad_bottom - pad_top
    slot = (width - pad_left) / max(len(bars), 1)
    bar_w = slot * 0.35
    out = []
    for i, b in enumerate(bars):
        x = pad_left + i * slot + slot * 0.1
        rh = float(b.requested / top) * plot_h
        ah = float((b.allocated or ZERO) / top) * plot_h
        out.append(
            {
                "fy": b.fy,
                "label_x": round(x + bar_w, 1),
                "req_x": round(x, 1),
                "req_y": round(pad_top + plot_h - rh, 1),
                "req_h": round(rh, 1),
                "alloc_x": round(x + bar_w, 1),
                "alloc_y": round(pad_top + plot_h - ah, 1),
                "alloc_h": round(ah, 1),
                "requested": formats.usd(b.requested),
                "allocated": formats.usd(b.allocated) if b.allocated is not None else "not yet",
            }
        )
    return {
        "width": width,
        "height": height,
        "bar_w": round(bar_w, 1),
        "base_y": pad_top + plot_h,
        "axis_x": pad_left,
        "top": formats.usd(top),
        "bars": out,
    }
