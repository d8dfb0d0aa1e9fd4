"""The synchronization matrix of a country plan (R-PLN-09) [PLAN "Putting the Pieces Together in a CSCS"].

Two halves:

* `load(user, pk)` reads everything the matrix and the CSCS exports show, through the access door
  (`visible_to(user)`), in a fixed number of queries whatever the number of activities, and
  `matrix_input(data)` turns it into plain facts.
* `layout(facts, …)` is pure: rows are the lines of effort (LOE/SSCI), columns the months (or
  quarters) of the plan's fiscal years (FY starts 1 October), phases are bands, activities are bars
  packed into lanes so that neither bars nor their labels overlap, dependencies are arrows, the
  critical path comes from `rules.critical_path` and broken dependencies from
  `rules.dependency_violations`. The SVG (matrix.svg), the PPTX and the XLSX are drawn from it.

Only what the user may see is drawn, and the critical path and the flags are computed over that
alone: a hidden activity never shows through as a float or an arrow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.core.fiscal import FiscalPeriod
from secoop.core.markings import Marking
from secoop.core.verdicts import Refused

from .. import rules
from ..rules import Status

ONE_DAY = dt.timedelta(days=1)
UNLINKED_ROW = "unlinked"
RESTRICTED_ROW = "restricted"

# --- colours: fills carry white text (contrast >= 4.5:1, tested); strokes >= 3:1 on white ----------

SOURCE_COLORS: dict[str, str] = {
    "fmf": "#1a4480",  # navy
    "fms": "#2e6276",  # steel blue
    "dcs": "#3d4551",  # slate
    "bpc": "#216e1f",  # green
    "imet": "#0b6a6a",  # teal
    "om": "#54278f",  # violet
    "dib": "#8a4a00",  # brown
    "state": "#7a2a5e",  # plum
    "interagency": "#5c4a1e",  # olive
    "partner": "#4b5e27",  # moss
    "other": "#565c65",  # grey
    "": "#565c65",  # unfunded
}
SOURCE_LABELS: dict[str, str] = {
    "fmf": "FMF",
    "fms": "FMS",
    "dcs": "DCS",
    "bpc": "BPC / Section 333",
    "imet": "IMET",
    "om": "DoD O&M",
    "dib": "Institution building",
    "state": "Other DoS",
    "interagency": "Other U.S. agencies",
    "partner": "Partner funds",
    "other": "Other",
    "": "No funding recorded",
}
CRITICAL_COLOR = "#c43d00"  # orange-red, 4.6:1 on white
VIOLATION_COLOR = "#b50909"  # red, 7.4:1 on white
ARROW_COLOR = "#565c65"
CANCELLED_FILL = "#a9aeb1"
CANCELLED_TEXT = "#1b1b1b"
PHASE_TINTS = ("#eef3fa", "#ffffff")
TODAY_COLOR = "#005ea2"


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""

    def lum(hex_: str) -> float:
        chans = []
        for i in (1, 3, 5):
            c = int(hex_[i : i + 2], 16) / 255
            chans.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        r, g, b_ = chans
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- money -------------------------------------------------------------------------------------


def money(amount: Decimal) -> str:
    """$4.75M, $310K, $18.5K, $900 — a compact label for a bar; the table shows exact dollars."""
    amount = Decimal(amount)
    if amount >= Decimal("1000000"):
        value, unit = amount / Decimal("1000000"), "M"
    elif amount >= Decimal("1000"):
        value, unit = amount / Decimal("1000"), "K"
    else:
        return f"${amount:,.0f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"${text}{unit}"


def dollars(amount: Decimal) -> str:
    return f"${Decimal(amount):,.2f}"


# --- plain facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingFact:
    fiscal_year: int
    source: str
    amount: Decimal

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source.upper())


@dataclass(frozen=True)
class ActivityFact:
    id: int
    title: str
    start: dt.date
    end: dt.date
    row: str  # the key of its row
    status: str = Status.PLANNED
    type_label: str = ""
    program: str = ""
    location: str = ""
    phase: int | None = None
    marking: Marking = field(default_factory=Marking)
    funding: tuple[FundingFact, ...] = ()
    editable: bool = False
    unlinked: bool = False
    line_of_activity: str = ""
    needs_us_forces: bool = False
    url: str = ""

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS.get(self.status, self.status)

    @property
    def total(self) -> Decimal:
        return sum((f.amount for f in self.funding), Decimal("0"))

    @property
    def main_source(self) -> str:
        """The source of the largest share of the funding ('' when none is recorded)."""
        by_source: dict[str, Decimal] = defaultdict(Decimal)
        for f in self.funding:
            by_source[f.source] += f.amount
        if not by_source:
            return ""
        return max(by_source.items(), key=lambda kv: (kv[1], kv[0]))[0]

    @property
    def funding_text(self) -> str:
        """'FY2027 FMF $2,400,000.00; FY2028 FMF $1,100,000.00' (exact, for tables and exports)."""
        return "; ".join(
            f"FY{f.fiscal_year} {f.source_label} {dollars(f.amount)}" for f in self.funding
        )

    @property
    def program_line(self) -> str:
        """The short line under a bar: program and total, as in the textbook's matrix."""
        parts = [self.program] if self.program else []
        if self.funding:
            parts.append(money(self.total))
        return " · ".join(parts)

    @property
    def dates_text(self) -> str:
        if self.start == self.end:
            return rules.fmt(self.start)
        return f"{rules.fmt(self.start)} – {rules.fmt(self.end)}"

    def span(self) -> rules.Span:
        return rules.Span.of(self.id, self.start, self.end, self.title, self.status)

    @property
    def movable(self) -> bool:
        """The user may drag or key-move its bar: they may change it, and it may be rescheduled."""
        return self.editable and self.status in rules.RESCHEDULABLE


@dataclass(frozen=True)
class RowFact:
    key: str
    name: str
    caption: str = ""  # e.g. "LOE / SSCI 1"
    sequence: int = 0


@dataclass(frozen=True)
class PhaseFact:
    number: int
    name: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"Phase {self.number}: {self.name}"


@dataclass(frozen=True)
class LinkFact:
    predecessor: int
    successor: int
    lag_days: int = 0
    note: str = ""

    def link(self) -> rules.Link:
        return rules.Link(self.predecessor, self.successor, self.lag_days)


@dataclass(frozen=True)
class MatrixFacts(FiscalPeriod):
    title: str
    start_fy: int
    end_fy: int
    rows: tuple[RowFact, ...]
    phases: tuple[PhaseFact, ...]
    activities: tuple[ActivityFact, ...]
    links: tuple[LinkFact, ...]
    today: dt.date | None = None
    marking: Marking = field(default_factory=Marking)


# --- schedule analysis (pure) -------------------------------------------------------------------


@dataclass
class Analysis:
    critical: rules.CriticalPath
    violations: list[rules.Violation]
    messages: dict[tuple[int, int], str]
    critical_ids: frozenset[int]
    critical_links: frozenset[tuple[int, int]]
    violated_links: frozenset[tuple[int, int]]
    violated_ids: frozenset[int]


def analyse(activities: Sequence[ActivityFact], links: Sequence[LinkFact]) -> Analysis:
    """R-PLN-09: the critical path and the broken dependencies of what is shown. Cancelled
    activities take no part in the schedule."""
    live = [a for a in activities if a.status != Status.CANCELLED]
    spans = {a.id: a.span() for a in live}
    rl = [link.link() for link in links if link.predecessor in spans and link.successor in spans]
    try:
        cp = rules.critical_path(spans.values(), rl)
    except Refused:
        cp = rules.CriticalPath()
    violations = rules.dependency_violations(spans, rl)
    messages = {
        (v.link.predecessor, v.link.successor): rules.violation_message(v, spans)
        for v in violations
    }
    violated_links = frozenset(messages)
    return Analysis(
        critical=cp,
        violations=violations,
        messages=messages,
        critical_ids=frozenset(cp.activities),
        critical_links=frozenset(cp.links),
        violated_links=violated_links,
        violated_ids=frozenset(i for pair in violated_links for i in pair),
    )


# --- layout (pure) -----------------------------------------------------------------------------

SCALES = {
    # px per day, whether month columns are labelled
    "month": 0.74,
    "quarter": 0.40,
}
LABEL_W = 236
FY_ROW_H = 24
QUARTER_ROW_H = 20
MONTH_ROW_H = 20
PHASE_ROW_H = 30
ROW_PAD_TOP = 10
ROW_PAD_BOTTOM = 8
LANE_H = 42
BAR_H = 20
MIN_ROW_H = 64
CHAR_W = 6.1  # average width of an 11px sans-serif character
SUB_CHAR_W = 5.4  # 10px
LABEL_MAX = 42
GAP = 10
RIGHT_PAD = 24
FOOTER_H = 22  # under the rows: the 'today' marker
MONTH_INITIALS = "JFMAMJJASOND"


def text_width(text: str, char_w: float = CHAR_W) -> float:
    return len(text) * char_w


def truncate(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,:;—-") + "…"


def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


@dataclass
class Bar:
    activity: ActivityFact
    x: float
    y: float
    w: float
    h: float
    lane: int
    label: str
    label_inside: bool
    sub: str
    fill: str
    text_color: str
    label_left: bool = False  # outside labels go left of a bar near the right edge
    critical: bool = False
    violated: bool = False
    float_days: int | None = None
    clipped_left: bool = False
    clipped_right: bool = False

    @property
    def x_end(self) -> float:
        return self.x + self.w

    @property
    def y_mid(self) -> float:
        return self.y + self.h / 2

    @property
    def aria_label(self) -> str:
        a = self.activity
        parts = [a.title, a.dates_text, a.type_label, a.program or "no program named"]
        if a.funding:
            parts.append(f"funding {a.funding_text}")
        parts.append(f"status {a.status_label.lower()}")
        if self.critical:
            parts.append("on the critical path")
        elif self.float_days is not None:
            parts.append(f"float {self.float_days} days")
        if self.violated:
            parts.append("a dependency is broken (R-PLN-09)")
        if a.unlinked:
            parts.append("unlinked draft (R-PLN-01)")
        if a.movable:
            parts.append(
                "movable: arrow keys move it a week, Shift with arrows a month, Enter reschedules"
            )
        return "; ".join(parts)


@dataclass
class Arrow:
    predecessor: int
    successor: int
    path: str
    critical: bool
    violated: bool
    note: str
    message: str = ""
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class RowBox:
    row: RowFact
    y: float
    h: float
    lanes: int
    label_lines: list[str]
    count: int


@dataclass
class Tick:
    x: float
    w: float
    label: str
    long_label: str = ""


@dataclass
class Band:
    phase: PhaseFact
    x: float
    w: float
    tint: str
    label: str


@dataclass
class Layout:
    facts: MatrixFacts
    scale: str
    start: dt.date
    end: dt.date
    ppd: float
    width: float
    height: float
    header_h: float
    rows: list[RowBox]
    bars: list[Bar]
    arrows: list[Arrow]
    fy_ticks: list[Tick]
    quarter_ticks: list[Tick]
    month_ticks: list[Tick]
    bands: list[Band]
    today_x: float | None
    analysis: Analysis
    sources: list[str]  # funding sources drawn, for the legend

    def x_of(self, day: dt.date) -> float:
        return LABEL_W + (day - self.start).days * self.ppd

    @property
    def body_top(self) -> float:
        return self.header_h

    @property
    def critical_bars(self) -> list[Bar]:
        return sorted(
            (b for b in self.bars if b.critical), key=lambda b: (b.activity.start, b.activity.id)
        )

    def bar(self, activity_id: int) -> Bar | None:
        return next((b for b in self.bars if b.activity.id == activity_id), None)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - ONE_DAY


def _fy_quarter(day: dt.date) -> int:
    return ((day.month - 10) % 12) // 3 + 1


def layout(
    facts: MatrixFacts,
    *,
    scale: str = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    ppd: float | None = None,
    skip_empty_rows: bool = False,
) -> Layout:
    """Lay the matrix out. `start`/`end` cut a window (e.g. one phase, for a slide); `ppd`
    overrides the scale's pixels per day."""
    scale = scale if scale in SCALES else "month"
    start = start or facts.period_start
    end = end or facts.period_end
    ppd = ppd or SCALES[scale]
    days = (end - start).days + 1
    body_w = days * ppd

    def x_of(day: dt.date) -> float:
        return LABEL_W + (day - start).days * ppd

    # --- header: fiscal years, quarters, months, phases -------------------------------------------
    fy_ticks, q_ticks, m_ticks = [], [], []
    for fy in range(rules.fiscal_year(start), rules.fiscal_year(end) + 1):
        s, e = max(rules.fy_start(fy), start), min(rules.fy_end(fy), end)
        if s <= e:
            fy_ticks.append(
                Tick(
                    x_of(s),
                    (e - s).days * ppd + ppd,
                    rules.fy_label(fy),
                    f"Fiscal year {fy}: {rules.fmt(rules.fy_start(fy))} – {rules.fmt(rules.fy_end(fy))}",
                )
            )
    months = _months(start, end)
    for m in months:
        s = max(m, start)
        e = min(_month_end(m), end)
        m_ticks.append(
            Tick(
                x_of(s), (e - s).days * ppd + ppd, MONTH_INITIALS[m.month - 1], m.strftime("%B %Y")
            )
        )
        if m.month in (10, 1, 4, 7) or m == months[0]:
            q_end_month = ((m.month - 1) // 3 + 1) * 3  # FY quarters are calendar quarters
            q_end = min(_month_end(m.replace(month=q_end_month)), end)
            q = _fy_quarter(m)
            q_ticks.append(
                Tick(
                    x_of(s),
                    (q_end - s).days * ppd + ppd,
                    f"Q{q}",
                    f"Quarter {q} of FY{rules.fiscal_year(m)}",
                )
            )
    header_h = FY_ROW_H + QUARTER_ROW_H + (MONTH_ROW_H if scale == "month" else 0) + PHASE_ROW_H

    bands = []
    for i, ph in enumerate(sorted(facts.phases, key=lambda p: (p.start, p.number))):
        s, e = max(ph.start, start), min(ph.end, end)
        if s > e:
            continue
        w = (e - s).days * ppd + ppd
        label = ph.label
        max_chars = int((w - 12) / CHAR_W)
        if max_chars < len(label):
            label = truncate(label, max_chars) if max_chars >= 12 else f"Phase {ph.number}"
        bands.append(Band(ph, x_of(s), w, PHASE_TINTS[i % 2], label))

    # --- what is in the window ----------------------------------------------------------------------
    analysis = analyse(facts.activities, facts.links)
    shown = [a for a in facts.activities if a.end >= start and a.start <= end]
    by_row: dict[str, list[ActivityFact]] = defaultdict(list)
    for a in shown:
        by_row[a.row].append(a)

    bars: list[Bar] = []
    rows: list[RowBox] = []
    y = header_h
    sources: set[str] = set()
    for row in facts.rows:
        acts = sorted(
            by_row.get(row.key, []), key=lambda a: (a.start, -(a.end - a.start).days, a.id)
        )
        lane_ends: list[float] = []
        placed: list[tuple[ActivityFact, int, float, float, str, bool, str, bool]] = []
        for a in acts:
            s, e = max(a.start, start), min(a.end, end)
            x = x_of(s)
            w = max((e - s).days * ppd + ppd, 3.0)
            label = truncate(a.title)
            if a.status == Status.COMPLETED:
                label = "✓ " + label
            inside = text_width(label) + 12 <= w
            sub = a.program_line
            left = not inside and x + w + 5 + text_width(label) > LABEL_W + body_w + RIGHT_PAD - 4
            if left:
                sub_start = x + w - text_width(sub, SUB_CHAR_W) - 2
                extent_start = min(x - 5 - text_width(label), sub_start)
                extent_end = x + w
            else:
                extent_start = x
                extent_end = max(
                    x + (w if inside else w + 5 + text_width(label)),
                    x + text_width(sub, SUB_CHAR_W) + 2,
                )
            lane = next((i for i, le in enumerate(lane_ends) if le + GAP <= extent_start), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(extent_end)
            else:
                lane_ends[lane] = extent_end
            placed.append((a, lane, x, w, label, inside, sub, left))
        lanes = max(len(lane_ends), 1)
        label_lines = wrap(row.name, 30)[:3]
        h = max(
            ROW_PAD_TOP + lanes * LANE_H + ROW_PAD_BOTTOM, MIN_ROW_H, 46 + 16 * len(label_lines)
        )
        for a, lane, x, w, label, inside, sub, left in placed:
            source = a.main_source
            sources.add(source)
            if a.status == Status.CANCELLED:
                fill, text_color = CANCELLED_FILL, CANCELLED_TEXT
            else:
                fill = SOURCE_COLORS.get(source, SOURCE_COLORS["other"])
                text_color = "#ffffff"
            bars.append(
                Bar(
                    activity=a,
                    x=round(x, 2),
                    y=round(y + ROW_PAD_TOP + lane * LANE_H, 2),
                    w=round(w, 2),
                    h=BAR_H,
                    lane=lane,
                    label=label,
                    label_inside=inside,
                    sub=sub,
                    label_left=left,
                    fill=fill,
                    text_color=text_color,
                    critical=a.id in analysis.critical_ids,
                    violated=a.id in analysis.violated_ids,
                    float_days=analysis.critical.float_days.get(a.id),
                    clipped_left=a.start < start,
                    clipped_right=a.end > end,
                )
            )
        rows.append(RowBox(row, y, h, lanes, label_lines, len(acts)))
        y += h

    # --- arrows --------------------------------------------------------------------------------------
    where = {b.activity.id: b for b in bars}
    arrows = []
    for link in facts.links:
        p, s = where.get(link.predecessor), where.get(link.successor)
        if p is None or s is None:
            continue
        pair = (link.predecessor, link.successor)
        arrows.append(
            Arrow(
                link.predecessor,
                link.successor,
                _route(p, s),
                critical=pair in analysis.critical_links,
                violated=pair in analysis.violated_links,
                note=link.note,
                message=analysis.messages.get(pair, ""),
                points=_route_points(p, s),
            )
        )

    today_x = None
    if facts.today is not None and start <= facts.today <= end:
        today_x = round(x_of(facts.today), 2)
    return Layout(
        facts=facts,
        scale=scale,
        start=start,
        end=end,
        ppd=ppd,
        width=round(LABEL_W + body_w + RIGHT_PAD, 2),
        height=round(y + FOOTER_H, 2),
        header_h=header_h,
        rows=rows,
        bars=bars,
        arrows=arrows,
        fy_ticks=fy_ticks,
        quarter_ticks=q_ticks,
        month_ticks=m_ticks if scale == "month" else [],
        bands=bands,
        today_x=today_x,
        analysis=analysis,
        sources=sorted(
            sources, key=lambda s: list(SOURCE_COLORS).index(s) if s in SOURCE_COLORS else 99
        ),
    )


def _route_points(p: Bar, s: Bar) -> list[tuple[float, float]]:
    """An orthogonal route from the end of the predecessor's bar to the start of the successor's."""
    x1, y1 = p.x_end, p.y_mid
    x2, y2 = s.x, s.y_mid
    if x2 - x1 >= 12:
        if abs(y1 - y2) < 0.5:
            return [(x1, y1), (x2 - 1, y2)]
        elbow = x1 + 6
        return [(x1, y1), (elbow, y1), (elbow, y2), (x2 - 1, y2)]
    # The successor starts before (or right at) the predecessor's end: go round, between lanes.
    if y2 >= y1:
        gap_y = s.y - 6 if y2 > y1 else p.y + p.h + 6
    else:
        gap_y = s.y + s.h + 6
    return [(x1, y1), (x1 + 6, y1), (x1 + 6, gap_y), (x2 - 8, gap_y), (x2 - 8, y2), (x2 - 1, y2)]


def _route(p: Bar, s: Bar) -> str:
    pts = _route_points(p, s)
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def predecessors_of(facts: MatrixFacts, activity_id: int) -> list[int]:
    return predecessor_index(facts).get(activity_id, [])


_PRED_CACHE: dict[int, tuple[MatrixFacts, dict[int, list[int]]]] = {}


def predecessor_index(facts: MatrixFacts) -> dict[int, list[int]]:
    """Activity id → ids of its predecessors, built once per facts object."""
    cached = _PRED_CACHE.get(id(facts))
    if cached is not None and cached[0] is facts:
        return cached[1]
    index: dict[int, list[int]] = defaultdict(list)
    for link in facts.links:
        index[link.successor].append(link.predecessor)
    _PRED_CACHE.clear()
    _PRED_CACHE[id(facts)] = (facts, index)
    return index


def facts_by_id(facts: MatrixFacts) -> dict[int, ActivityFact]:
    return {a.id: a for a in facts.activities}


def phase_totals(facts: MatrixFacts) -> list[tuple[PhaseFact | None, Decimal]]:
    """Funding per phase (and activities in no phase), Decimal USD."""
    totals: dict[int | None, Decimal] = defaultdict(Decimal)
    for a in facts.activities:
        if a.status != Status.CANCELLED:
            totals[a.phase] += a.total
    out: list[tuple[PhaseFact | None, Decimal]] = [
        (p, totals.get(p.number, Decimal("0"))) for p in facts.phases
    ]
    if None in totals:
        out.append((None, totals[None]))
    return out


def fy_totals(facts: MatrixFacts) -> dict[int, dict[str, Decimal]]:
    """Funding per fiscal year and source (Decimal USD), for the matrix's funding line."""
    out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for a in facts.activities:
        if a.status == Status.CANCELLED:
            continue
        for f in a.funding:
            out[f.fiscal_year][f.source] += f.amount
    return {fy: dict(v) for fy, v in sorted(out.items())}


def iter_months(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    return _months(start, end)
