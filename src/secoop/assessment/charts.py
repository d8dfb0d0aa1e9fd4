"""The target-vs-actual chart of an indicator, drawn on the server as SVG (offline, no script):
targets as a dashed line, approved actuals as a solid line with points, the baseline as a rule.
Accessible: a title and description, and the page shows the same numbers in a table."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48


def target_actual_svg(
    labels: list[str],
    targets: list[Decimal | None],
    actuals: list[Decimal | None],
    baseline: Decimal | None,
    unit: str,
    title: str,
) -> SafeString:
    values = [v for v in (*targets, *actuals, baseline) if v is not None]
    if not labels or not values:
        return mark_safe("")
    top = max(values) or Decimal(1)
    low = min(Decimal(0), min(values))
    span = (top - low) or Decimal(1)
    n = len(labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: Decimal) -> float:
        return TOP + plot_h - float((v - low) / span) * plot_h

    def line(series, css: str) -> str:
        points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series) if v is not None]
        if not points:
            return ""
        dots = "".join(
            f'<circle class="{css}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3"><title>{escape(labels[i])}: {v.normalize()}</title></circle>'
            for i, v in enumerate(series)
            if v is not None
        )
        return f'<polyline class="{css}" fill="none" points="{" ".join(points)}"/>{dots}'

    step = max(1, n // 8)
    ticks = "".join(
        f'<text class="assessment-chart__label" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(labels[i])}</text>'
        for i in range(0, n, step)
    )
    axis = (
        f'<line class="assessment-chart__axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>'
        f'<text class="assessment-chart__label" x="{LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end">{top.normalize()}</text>'
        f'<text class="assessment-chart__label" x="{LEFT - 6}" y="{y(low) + 4:.1f}" text-anchor="end">{low.normalize()}</text>'
    )
    base = (
        f'<line class="assessment-chart__baseline" x1="{LEFT}" y1="{y(baseline):.1f}" x2="{WIDTH - RIGHT}" y2="{y(baseline):.1f}"/>'
        if baseline is not None
        else ""
    )
    legend = (
        f'<g transform="translate({LEFT},{HEIGHT - 14})">'
        '<line class="assessment-chart__target" x1="0" y1="0" x2="24" y2="0"/><text class="assessment-chart__label" x="30" y="4">Target</text>'
        '<line class="assessment-chart__actual" x1="100" y1="0" x2="124" y2="0"/><text class="assessment-chart__label" x="130" y="4">Actual (approved)</text>'
        '<line class="assessment-chart__baseline" x1="260" y1="0" x2="284" y2="0"/><text class="assessment-chart__label" x="290" y="4">Baseline</text></g>'
    )
    body = (
        axis
        + base
        + line(targets, "assessment-chart__target")
        + line(actuals, "assessment-chart__actual")
        + ticks
        + legend
    )
    return format_html(
        '<svg class="assessment-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{}</title><desc id="chart-desc">Target and approved actual per period, in {}; the table below gives the same numbers.</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        unit or "levels of the scale",
        mark_safe(body),  # built above from escaped labels and numbers
    )


def _label_lines(text: str, width: int = 38, lines: int = 2) -> str:
    """An objective's name on at most two lines beside its bar, cut with an ellipsis; the whole
    name is the label's title and is in the table below."""
    import textwrap

    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [
            *wrapped[: lines - 1],
            textwrap.shorten(" ".join(wrapped[lines - 1 :]), width, placeholder=" …"),
        ]
    return "".join(
        f'<tspan x="0" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
        for i, line in enumerate(wrapped)
    )


def roi_svg(rows) -> SafeString:
    """R-AME-07: one bar per objective, its length the measured progress (0–100%+), labelled
    with its progress; its planned and actual spend on the line below. The ROI table gives the
    same numbers."""
    if not rows:
        return mark_safe("")
    bar_h, gap, label_w, plot_w = 22, 26, 250, 300
    height = TOP + len(rows) * (bar_h + gap) + 8
    parts = []
    for n, f in enumerate(rows):
        y = TOP + n * (bar_h + gap)
        share = max(0.0, min(float(f.progress or 0), 1.2))
        text = f"{f.progress:.0%}" if f.progress is not None else "not measured"
        spend = f"planned ${f.spend:,.0f} · " + (
            f"actual ${f.actual_spend:,.0f}" if f.actual_spend is not None else "no actual cost yet"
        )
        parts.append(
            f'<text class="assessment-chart__label" x="0" y="{y + 9}"><title>{escape(str(f.imo))}</title>'
            f"{_label_lines(str(f.imo))}</text>"
            f'<rect class="assessment-chart__bar" x="{label_w}" y="{y}" width="{plot_w * share / 1.2:.1f}" height="{bar_h}"/>'
            f'<text class="assessment-chart__label" x="{label_w + plot_w * share / 1.2 + 6:.1f}" y="{y + 15}">{escape(text)}</text>'
            f'<text class="assessment-chart__label" x="{label_w}" y="{y + bar_h + 13}">{escape(spend)}</text>'
        )
    return format_html(
        '<svg class="assessment-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="roi-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="roi-title">Measured progress, planned and actual spend per objective</title>{}</svg>',
        label_w + plot_w + 60,
        height,
        mark_safe("".join(parts)),  # escaped labels and numbers
    )
