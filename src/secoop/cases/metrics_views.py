"""The metrics dashboard: server-side SVG bar charts (no JavaScript chart library) and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from secoop.core import access
from secoop.core import clock
from secoop.core.list_exports import rows_marking
from secoop.core.markings import Marking
from secoop.core.rules import Audience

from . import exports
from . import facts
from . import metrics
from .models import AodGroup

BAR = 18
GAP = 8
LABEL_W = 190
CHART_W = 520


def bar_chart(
    title: str,
    rows: list[tuple[str, Decimal | None, str]],
    *,
    maximum: Decimal,
    goal: Decimal | None = None,
    ident: str,
) -> str:
    """A horizontal bar chart as accessible SVG: a title, one bar per row, an optional goal line."""
    height = 30 + len(rows) * (BAR + GAP) + 10
    scale = (CHART_W - LABEL_W - 175) / float(maximum or 1)
    parts = [
        f'<svg class="cases-chart" role="img" aria-labelledby="{ident}-t" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
    ]
    for i, (label, value, note) in enumerate(rows):
        y = 24 + i * (BAR + GAP)
        width = 0 if value is None else max(float(value) * scale, 1)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR - 5}" text-anchor="end">{escape(label[:30])}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR}" fill="#1a4480"><title>{escape(label)}: {escape(note)}</title></rect>'
        )
        parts.append(f'<text x="{LABEL_W + width + 4:.1f}" y="{y + BAR - 5}">{escape(note)}</text>')
    if goal is not None:
        x = LABEL_W + float(goal) * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height - 6}" stroke="#b50909" stroke-width="2" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x + 3:.1f}" y="12" fill="#b50909">goal {goal.normalize():f}%</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _share_note(share: metrics.Share) -> str:
    return f"{share.percent}% ({share.on_time} of {share.total})" if share.total else "—"


def _late_note(t: metrics.Timeliness) -> str:
    if not t.due:
        return "—"
    return f"{t.late_percent}% ({t.late} of {t.due}), mean {t.mean_days_late or 0} d"


@dataclass(frozen=True)
class Marked:
    """What the page's banner covers, as a record the banner reads (core page_marking)."""

    marking: Marking


def compute(user):
    """The dashboard's figures over what `user` may see, each one grouped query (metrics.*_figures:
    the database sums, Python never walks the cases or deliveries)."""
    today = clock.today_for(user)
    return (
        today,
        metrics.aod_figures(user, AodGroup.values),
        metrics.timeliness_figures(user, today),
        metrics.duration_figures(user),
    )


def may_see_metrics(user) -> bool:
    """AOD performance and timeliness measure the U.S. enterprise: internal, never shown to partner
    or industry users (R-SEC-03)."""
    profile = access.profile_for(user)
    return profile is not None and profile.person.audience == Audience.USG


@login_required
def dashboard(request):
    user = request.user
    if not may_see_metrics(user):
        raise Http404("FMS metrics are internal to the U.S. Government.")
    today, aod, timely, durations = compute(user)
    goal = facts.fact(facts.AOD_GOAL, today, "SPEC-11-AOD")
    if request.GET.get("format") == "xlsx":
        return _xlsx(user, today, aod, timely, durations, goal)
    charts = []
    labels = {
        "group": "AOD group",
        "ia": "implementing agency",
        "category": "case category",
        "country": "country",
        "month": "month offered",
    }
    # Each chart: a percentage per group (AOD share on time, deliveries late), one chart per grouping.
    for key, groups_by, value, note, heading, title, chart_goal in (
        (
            "aod",
            aod["by"],
            lambda s: s.percent,
            _share_note,
            "LOAs offered on or before the AOD",
            "Share on or before AOD",
            goal,
        ),
        (
            "late",
            timely["by"],
            lambda t: t.late_percent,
            _late_note,
            "Deliveries late",
            "Late share of due deliveries",
            None,
        ),
    ):
        for name, groups in groups_by.items():
            rows = [(k, value(g), note(g)) for k, g in groups.items()]
            chart = bar_chart(
                f"{title} by {labels[name]}",
                rows,
                maximum=Decimal(100),
                goal=chart_goal,
                ident=f"{key}-{name}",
            )
            charts.append((f"{heading}, by {labels[name]}", chart))
    from .models import AodDelayReason
    from .models import FmsCase

    reasons = dict(AodDelayReason.objects.values_list("code", "label"))
    # §11 AOD: LOAs, amendments and modifications, each against the goal (aggregated in SQL).
    documents = metrics.document_aod(user, AodGroup.values)
    document_rows = [
        (
            doc,
            share,
            _share_note(share),
            share.percent is not None and share.percent >= goal,
            [(g, _share_note(s)) for g, s in documents["by_group"][doc].items()],
        )
        for doc, share in documents["overall"].items()
    ]
    return render(
        request,
        "cases/metrics.html",
        {
            "aod": aod,
            "timely": timely,
            "durations": durations,
            "goal": goal,
            "charts": charts,
            "today": today,
            "overall_note": _share_note(aod["overall"]),
            "late_by_code": [
                (code, count, reasons.get(code, "offered late without a code"))
                for code, count in metrics.late_offers_by_code(user).items()
            ],
            "documents": document_rows,
            "document_names": metrics.DOCUMENTS,
            "document_groups": [f"Group {g}" for g in AodGroup.values],
            "documents_late": [
                (
                    code,
                    reasons.get(code, "late without a code"),
                    [counts[d] for d in metrics.DOCUMENTS],
                )
                for code, counts in documents["late_by_code"].items()
            ],
            "late_note": f"{timely['overall'].late_percent}% ({timely['overall'].late} of {timely['overall'].due})"
            if timely["overall"].due
            else "—",
            # The banner covers every case measured: their distinct markings, not every row.
            "page_records": [Marked(rows_marking(FmsCase.objects.visible_to(user)))],
        },
    )


def _xlsx(user, today, aod, timely, durations, goal) -> HttpResponse:
    from .models import FmsCase

    marking = rows_marking(FmsCase.objects.visible_to(user))
    documents = metrics.document_aod(user, AodGroup.values)
    return exports.metrics_xlsx(
        marking, user, today, aod, timely, durations, goal, documents
    ).response()
