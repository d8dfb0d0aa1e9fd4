"""The metrics dashboard: server-side SVG bar charts (no JavaScript chart library) and XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from secoop.core import access, clock
from secoop.core.markings import combine
from secoop.core.rules import Audience
from secoop.core.spreadsheets import workbook_bytes
from secoop.planning.exports import XLSX_MIME

from . import facts, metrics

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


def compute(user):
    today = clock.today_for(user)
    offers, deliveries = metrics.load(user, today)
    return (
        today,
        offers,
        deliveries,
        metrics.aod_performance(offers),
        metrics.delivery_timeliness(deliveries, today),
        metrics.durations(offers),
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
    today, offers, deliveries, aod, timely, durations = compute(user)
    goal = facts.fact(facts.AOD_GOAL, today, "SPEC-11-AOD")
    if request.GET.get("format") == "xlsx":
        return _xlsx(user, today, aod, timely, durations, goal)
    charts = []
    labels = {
        "ia": "implementing agency",
        "category": "case category",
        "country": "country",
        "month": "month offered",
    }
    for name, groups in aod["by"].items():
        rows = [(k, s.percent, _share_note(s)) for k, s in groups.items()]
        charts.append(
            (
                f"LOAs offered on or before the AOD, by {labels[name]}",
                bar_chart(
                    f"Share on or before AOD by {labels[name]}",
                    rows,
                    maximum=Decimal(100),
                    goal=goal,
                    ident=f"aod-{name}",
                ),
            )
        )
    for name, groups in timely["by"].items():
        rows = [(k, t.late_percent, _late_note(t)) for k, t in groups.items()]
        charts.append(
            (
                f"Deliveries late, by {labels[name]}",
                bar_chart(
                    f"Late share of due deliveries by {labels[name]}",
                    rows,
                    maximum=Decimal(100),
                    ident=f"late-{name}",
                ),
            )
        )
    from .models import FmsCase

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
            "late_note": f"{timely['overall'].late_percent}% ({timely['overall'].late} of {timely['overall'].due})"
            if timely["overall"].due
            else "—",
            "page_records": list(
                FmsCase.objects.visible_to(user).only("classification", "dissemination", "rel_to")
            ),
        },
    )


def _xlsx(user, today, aod, timely, durations, goal) -> HttpResponse:
    from .models import FmsCase

    banner = str(
        combine(
            c.marking
            for c in FmsCase.objects.visible_to(user).only(
                "classification", "dissemination", "rel_to"
            )
        )
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "AOD performance"
    head = PatternFill("solid", fgColor="1A4480")

    def header(sheet, *names):
        sheet.append(list(names))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = head

    ws.append([banner])
    ws.append(
        [
            f"FMS metrics on {today:%d %b %Y}, for {user.username}; AOD goal {goal.normalize():f}% (§11 AOD, dated fact)"
        ]
    )
    header(ws, "Grouping", "Group", "On or before AOD", "Offered", "Share (%)")
    ws.append(
        [
            "all",
            "all",
            aod["overall"].on_time,
            aod["overall"].total,
            float(aod["overall"].percent) if aod["overall"].percent is not None else None,
        ]
    )
    for name, groups in aod["by"].items():
        for key, s in groups.items():
            ws.append(
                [name, key, s.on_time, s.total, float(s.percent) if s.percent is not None else None]
            )
    ws2 = wb.create_sheet("Delivery timeliness")
    ws2.append([banner])
    header(
        ws2, "Grouping", "Group", "Due", "Late", "Late share (%)", "Mean days late", "Max days late"
    )
    rows = [("all", "all", timely["overall"])] + [
        (n, k, t) for n, g in timely["by"].items() for k, t in g.items()
    ]
    for name, key, t in rows:
        ws2.append(
            [
                name,
                key,
                t.due,
                t.late,
                float(t.late_percent) if t.late_percent is not None else None,
                float(t.mean_days_late) if t.mean_days_late is not None else None,
                t.max_days_late,
            ]
        )
    ws3 = wb.create_sheet("Durations")
    ws3.append([banner])
    header(ws3, "Measure", "Count", "Mean days", "Median days")
    for name, d in durations.items():
        ws3.append(
            [
                name.replace("_", " "),
                d.count,
                float(d.mean) if d.mean is not None else None,
                float(d.median) if d.median is not None else None,
            ]
        )
    for sheet in (ws, ws2, ws3):
        sheet.append([])
        sheet.append([banner])
    response = HttpResponse(
        workbook_bytes(wb), content_type=XLSX_MIME
    )  # no live formula (issue 10 item 6)
    response["Content-Disposition"] = f'attachment; filename="fms-metrics-{today:%Y%m%d}.xlsx"'
    return response
