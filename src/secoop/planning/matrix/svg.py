"""Server-side SVG of the synchronization matrix (R-PLN-09), drawn from layout.layout().

Accessible: the drawing has a <title> and a <desc> that sum it up; each activity is a focusable
group whose aria-label gives its name, dates, program, funding, status and flags (a table of the
same facts follows the drawing on the page). Colours meet WCAG 2.1 AA (tests/planning/test_matrix.py
checks them): white text on every fill, arrows and outlines at 3:1 or more on the background.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from secoop.core.formats import counted

from .. import rules
from ..rules import Status
from .layout import ARROW_COLOR
from .layout import CRITICAL_COLOR
from .layout import FOOTER_H
from .layout import LABEL_W
from .layout import PHASE_ROW_H
from .layout import SOURCE_COLORS
from .layout import SOURCE_LABELS
from .layout import TODAY_COLOR
from .layout import VIOLATION_COLOR
from .layout import Bar
from .layout import Layout

FONT = "'Source Sans Pro Web','Source Sans Pro','Helvetica Neue',Helvetica,Arial,sans-serif"
INK = "#1b1b1b"
INK_2 = "#3d4551"
LINE = "#dfe1e2"
LINE_2 = "#a9aeb1"
FY_LINE = "#1b1b1b"
HEADER_BG = "#162e51"
HEADER_BG_2 = "#dfe1e2"
HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def summary(lay: Layout) -> str:
    f = lay.facts
    a = lay.analysis
    n = len(lay.bars)
    rows = len([r for r in lay.rows if r.count])
    parts = [
        f"{counted(n, 'activity', 'activities')} in {counted(rows, 'line')} of effort, "
        f"{rules.fmt(lay.start)} to {rules.fmt(lay.end)}, in {counted(len(lay.bands), 'phase')}."
    ]
    crit = lay.critical_bars
    if crit:
        parts.append("Critical path: " + " → ".join(b.activity.title for b in crit) + ".")
    if a.violations:
        parts.append(
            f"{counted(len(a.violations), 'broken dependency', 'broken dependencies')} (R-PLN-09)."
        )
    parts.append(
        f"{len(f.links)} dependencies are drawn as arrows. The table after the drawing lists the same activities."
    )
    return " ".join(parts)


def render(
    lay: Layout, *, interactive: bool = True, ident: str = "mx", halo: bool | None = None
) -> SafeString:
    """The SVG markup. `interactive` adds focus, keyboard and drag hooks (for the page); the PDF
    and document exports take it without. `halo` outlines labels in white so that arrows pass
    behind them (browsers; WeasyPrint ignores paint-order, so it is off there by default)."""
    halo_attr = HALO if (interactive if halo is None else halo) else ""
    out: list[str] = []
    w, h = lay.width, lay.height
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mx" id="{ident}" viewBox="0 0 {_n(w)} {_n(h)}" '
        f'width="{_n(w)}" height="{_n(h)}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'data-ppd="{lay.ppd}" data-start="{lay.start.isoformat()}" data-end="{lay.end.isoformat()}" '
        f'font-family="{_e(FONT)}">'
    )
    out.append(f'<title id="{ident}-title">Synchronization matrix: {_e(lay.facts.title)}</title>')
    out.append(f'<desc id="{ident}-desc">{_e(summary(lay))}</desc>')
    out.append(_defs(ident, interactive))
    out.append(f'<rect x="0" y="0" width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>')
    out.append(_grid(lay))
    out.append(_header(lay))
    out.append(_row_labels(lay))
    if lay.today_x is not None:
        foot = h - FOOTER_H
        out.append(
            f'<g class="mx-today"><line x1="{_n(lay.today_x)}" x2="{_n(lay.today_x)}" y1="{_n(lay.header_h)}" '
            f'y2="{_n(foot + 4)}" stroke="{TODAY_COLOR}" stroke-width="1.5" stroke-dasharray="2 3"/>'
            f'<rect x="{_n(lay.today_x - 22)}" y="{_n(foot + 4)}" width="44" height="15" rx="2" fill="{TODAY_COLOR}"/>'
            f'<text x="{_n(lay.today_x)}" y="{_n(foot + 15)}" font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle">TODAY</text></g>'
        )
    out.append(_arrows(lay, ident))
    out.append('<g class="mx-bars">')
    for bar in lay.bars:
        out.append(_bar(bar, interactive, halo_attr))
    out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # every text above is escaped


def _defs(ident: str, interactive: bool) -> str:
    def marker(name: str, color: str, size: float) -> str:
        return (
            f'<marker id="{ident}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="{size}" markerHeight="{size}" '
            f'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )

    style = ""
    if interactive:
        style = (
            "<style>"
            ".mx-bar{cursor:default}"
            ".mx-bar[data-movable='1']{cursor:grab}"
            ".mx-bar.mx-dragging{cursor:grabbing;opacity:.85}"
            ".mx-bar .mx-focus{fill:none;stroke:none}"
            ".mx-bar:focus{outline:none}"
            ".mx-bar:focus .mx-focus,.mx-bar:hover .mx-focus{stroke:#1b1b1b;stroke-width:2;stroke-dasharray:none}"
            ".mx-bar:focus .mx-focus{stroke:#2491ff;stroke-width:3}"
            ".mx-pushed .mx-focus{stroke:#c43d00;stroke-width:2;stroke-dasharray:4 2}"
            ".mx-preview{font-size:11px;font-weight:700;fill:#1b1b1b}"
            "</style>"
        )
    return (
        "<defs>"
        + marker("arrow", ARROW_COLOR, 7)
        + marker("arrow-critical", CRITICAL_COLOR, 9)
        + marker("arrow-violated", VIOLATION_COLOR, 9)
        + "</defs>"
        + style
    )


def _grid(lay: Layout) -> str:
    h = lay.height
    top = lay.header_h
    out = ['<g class="mx-grid" aria-hidden="true">']
    for band in lay.bands:
        out.append(
            f'<rect x="{_n(band.x)}" y="{_n(top)}" width="{_n(band.w)}" height="{_n(h - top)}" fill="{band.tint}"/>'
        )
    for t in lay.month_ticks:
        out.append(
            f'<line x1="{_n(t.x)}" x2="{_n(t.x)}" y1="{_n(top)}" y2="{_n(h)}" stroke="{LINE}" stroke-width="0.6"/>'
        )
    for t in lay.quarter_ticks:
        out.append(
            f'<line x1="{_n(t.x)}" x2="{_n(t.x)}" y1="{_n(top)}" y2="{_n(h)}" stroke="#c6cace" stroke-width="0.9"/>'
        )
    for r in lay.rows[1:]:
        out.append(
            f'<line x1="0" x2="{_n(lay.width)}" y1="{_n(r.y)}" y2="{_n(r.y)}" stroke="{LINE_2}" stroke-width="1"/>'
        )
    for band in lay.bands[1:]:
        out.append(
            f'<line x1="{_n(band.x)}" x2="{_n(band.x)}" y1="{_n(top - PHASE_ROW_H)}" y2="{_n(h)}" stroke="#162e51" '
            'stroke-width="1.2" stroke-dasharray="6 3"/>'
        )
    for t in lay.fy_ticks:
        out.append(
            f'<line x1="{_n(t.x)}" x2="{_n(t.x)}" y1="0" y2="{_n(h)}" stroke="{FY_LINE}" stroke-width="1.6"/>'
        )
    out.append(
        f'<line x1="0" x2="{_n(lay.width)}" y1="{_n(h - 1)}" y2="{_n(h - 1)}" stroke="{LINE_2}"/>'
    )
    out.append("</g>")
    return "".join(out)


BOLD_WHITE = 'font-size="12" font-weight="700" fill="#ffffff"'
BOLD_INK = f'font-size="12" font-weight="700" fill="{INK}"'
SMALL_INK = f'font-size="11" fill="{INK}"'


def _band(lay: Layout, y: float, height: float, fill: str, name: str, name_y: float, style: str):
    """A row of the header: its background across the chart and its name at the left."""
    return [
        f'<rect x="0" y="{_n(y)}" width="{_n(lay.width)}" height="{_n(height)}" fill="{fill}"/>',
        f'<text x="12" y="{_n(name_y)}" {style}>{name}</text>',
    ]


def _header(lay: Layout) -> str:
    from .layout import FY_ROW_H
    from .layout import MONTH_ROW_H
    from .layout import QUARTER_ROW_H

    out = ['<g class="mx-header">']
    y = 0.0
    # fiscal years: navy band, white labels
    out += _band(
        lay, y, FY_ROW_H, HEADER_BG, "Fiscal year (1 Oct – 30 Sep)", FY_ROW_H - 7, BOLD_WHITE
    )
    for t in lay.fy_ticks:
        out.append(
            f'<text x="{_n(t.x + t.w / 2)}" y="{FY_ROW_H - 7}" font-size="13" font-weight="700" fill="#ffffff" '
            f'text-anchor="middle"><title>{_e(t.long_label)}</title>{_e(t.label)}</text>'
        )
    y += FY_ROW_H
    out += _band(lay, y, QUARTER_ROW_H, HEADER_BG_2, "Quarter", y + QUARTER_ROW_H - 6, SMALL_INK)
    for t in lay.quarter_ticks:
        if t.w >= 18:
            out.append(
                f'<text x="{_n(t.x + t.w / 2)}" y="{_n(y + QUARTER_ROW_H - 6)}" font-size="11" fill="{INK}" text-anchor="middle">{_e(t.label)}</text>'
            )
        out.append(
            f'<line x1="{_n(t.x)}" x2="{_n(t.x)}" y1="{_n(y)}" y2="{_n(y + QUARTER_ROW_H)}" stroke="#a9aeb1"/>'
        )
    y += QUARTER_ROW_H
    if lay.month_ticks:
        out += _band(lay, y, MONTH_ROW_H, "#f1f3f6", "Month", y + MONTH_ROW_H - 6, SMALL_INK)
        for t in lay.month_ticks:
            if t.w >= 9:
                out.append(
                    f'<text x="{_n(t.x + t.w / 2)}" y="{_n(y + MONTH_ROW_H - 6)}" font-size="10" fill="{INK_2}" text-anchor="middle">{_e(t.label)}</text>'
                )
        y += MONTH_ROW_H
    # phases: the bands, labelled
    out += _band(lay, y, PHASE_ROW_H, "#ffffff", "Phase", y + PHASE_ROW_H / 2 + 4, BOLD_INK)
    for band in lay.bands:
        out.append(
            f'<g class="mx-phase"><rect x="{_n(band.x + 1)}" y="{_n(y + 3)}" width="{_n(band.w - 2)}" height="{PHASE_ROW_H - 6}" rx="3" '
            f'fill="#e7f2f5" stroke="#00687d" stroke-width="1"/>'
            f'<text x="{_n(band.x + 7)}" y="{_n(y + PHASE_ROW_H / 2 + 4)}" font-size="11" font-weight="700" fill="#00465a">'
            f"<title>{_e(band.phase.label)}: {_e(rules.fmt(band.phase.start))} – {_e(rules.fmt(band.phase.end))}</title>{_e(band.label)}</text></g>"
        )
    out.append(
        f'<line x1="0" x2="{_n(lay.width)}" y1="{_n(lay.header_h)}" y2="{_n(lay.header_h)}" stroke="{INK}" stroke-width="1.2"/>'
    )
    out.append("</g>")
    return "".join(out)


def _row_labels(lay: Layout) -> str:
    out = ['<g class="mx-rows">']
    out.append(
        f'<rect x="0" y="{_n(lay.header_h)}" width="{LABEL_W}" height="{_n(lay.height - lay.header_h)}" fill="#f7f9fa"/>'
    )
    for r in lay.rows:
        out.append(
            f'<text x="12" y="{_n(r.y + 18)}" font-size="10.5" font-weight="700" fill="{INK_2}" letter-spacing="0.04em">{_e(r.row.caption.upper())}</text>'
        )
        for i, line in enumerate(r.label_lines):
            out.append(
                f'<text x="12" y="{_n(r.y + 35 + 16 * i)}" font-size="13.5" font-weight="700" fill="{INK}">{_e(line)}</text>'
            )
        count = counted(r.count, "activity", "activities")
        out.append(
            f'<text x="12" y="{_n(r.y + 35 + 16 * len(r.label_lines))}" font-size="11" fill="{INK_2}">{count}</text>'
        )
    out.append(
        f'<line x1="{LABEL_W}" x2="{LABEL_W}" y1="0" y2="{_n(lay.height)}" stroke="{INK}" stroke-width="1.2"/>'
    )
    out.append("</g>")
    return "".join(out)


def _arrows(lay: Layout, ident: str) -> str:
    out = ['<g class="mx-arrows" aria-hidden="true" fill="none">']
    order = sorted(lay.arrows, key=lambda a: (a.violated, a.critical))
    for a in order:
        if a.violated:
            stroke, width, marker, dash = (
                VIOLATION_COLOR,
                2,
                "arrow-violated",
                ' stroke-dasharray="5 3"',
            )
        elif a.critical:
            stroke, width, marker, dash = CRITICAL_COLOR, 2.5, "arrow-critical", ""
        else:
            stroke, width, marker, dash = ARROW_COLOR, 1.3, "arrow", ""
        cls = (
            "mx-arrow"
            + (" mx-arrow--critical" if a.critical else "")
            + (" mx-arrow--violated" if a.violated else "")
        )
        out.append(
            f'<path class="{cls}" d="{a.path}" stroke="{stroke}" stroke-width="{width}"{dash} '
            f'marker-end="url(#{ident}-{marker})" data-from="{a.predecessor}" data-to="{a.successor}"/>'
        )
    out.append("</g>")
    return "".join(out)


def _bar(bar: Bar, interactive: bool, halo: str) -> str:
    a = bar.activity
    movable = interactive and a.movable
    classes = ["mx-bar", f"mx-bar--{a.status}"]
    if bar.critical:
        classes.append("mx-bar--critical")
    if bar.violated:
        classes.append("mx-bar--violated")
    attrs = (
        f'class="{" ".join(classes)}" data-activity="{a.id}" data-start="{a.start.isoformat()}" data-end="{a.end.isoformat()}" '
        f'data-movable="{1 if movable else 0}"'
    )
    if interactive:
        attrs += f' tabindex="0" aria-label="{_e(bar.aria_label)}"'
    proposed = a.status == Status.PROPOSED
    fill = "#ffffff" if proposed else bar.fill
    stroke = bar.fill
    inside_color = bar.fill if proposed else bar.text_color
    out = [f"<g {attrs}>", f"<title>{_e(bar.aria_label)}</title>"]
    x, y, w, hh = bar.x, bar.y, bar.w, bar.h
    if bar.critical:
        out.append(
            f'<rect x="{_n(x - 3)}" y="{_n(y - 3)}" width="{_n(w + 6)}" height="{_n(hh + 6)}" rx="5" fill="none" '
            f'stroke="{CRITICAL_COLOR}" stroke-width="2.5"/>'
        )
    dash = ' stroke-dasharray="4 2"' if proposed else ""
    out.append(
        f'<rect class="mx-bar__body" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(hh)}" rx="3" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{2 if proposed else 1}"{dash}/>'
    )
    if a.status == Status.CANCELLED:
        out.append(
            f'<line x1="{_n(x)}" x2="{_n(x + w)}" y1="{_n(y + hh / 2)}" y2="{_n(y + hh / 2)}" stroke="#1b1b1b" stroke-width="1"/>'
        )
    if bar.label_inside:
        out.append(
            f'<text x="{_n(x + 6)}" y="{_n(y + hh / 2 + 4)}" font-size="11" font-weight="700" fill="{inside_color}">{_e(bar.label)}</text>'
        )
    elif bar.label_left:
        out.append(
            f'<text x="{_n(x - 5)}" y="{_n(y + hh / 2 + 4)}" text-anchor="end" font-size="11" font-weight="700" fill="{INK}"{halo}>{_e(bar.label)}</text>'
        )
    else:
        out.append(
            f'<text x="{_n(x + w + 5)}" y="{_n(y + hh / 2 + 4)}" font-size="11" font-weight="700" fill="{INK}"{halo}>{_e(bar.label)}</text>'
        )
    if bar.sub:
        if bar.label_left:
            out.append(
                f'<text x="{_n(x + w - 1)}" y="{_n(y + hh + 12)}" text-anchor="end" font-size="10" fill="{INK_2}"{halo}>{_e(bar.sub)}</text>'
            )
        else:
            out.append(
                f'<text x="{_n(x + 1)}" y="{_n(y + hh + 12)}" font-size="10" fill="{INK_2}"{halo}>{_e(bar.sub)}</text>'
            )
    if bar.violated:
        cx, cy = x + w, y
        out.append(
            f'<g class="mx-flag"><circle cx="{_n(cx)}" cy="{_n(cy)}" r="7" fill="{VIOLATION_COLOR}" stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{_n(cx)}" y="{_n(cy + 4)}" font-size="11" font-weight="700" fill="#ffffff" text-anchor="middle">!</text></g>'
        )
    if interactive:
        out.append(
            f'<rect class="mx-focus" x="{_n(x - 5)}" y="{_n(y - 5)}" width="{_n(w + 10)}" height="{_n(hh + 10)}" rx="6"/>'
        )
    out.append("</g>")
    return "".join(out)


def legend_items(lay: Layout) -> list[dict]:
    """The legend, for the page (HTML) and the exports: funding sources drawn, statuses, lines."""
    items = [
        {
            "kind": "source",
            "color": SOURCE_COLORS.get(s, SOURCE_COLORS["other"]),
            "label": SOURCE_LABELS.get(s, s),
        }
        for s in lay.sources
    ]
    return items
