"""The synchronization matrix page of a country plan (R-PLN-09), its exports, and rescheduling by
drag (or the keyboard, or the table's form). Thin: reads through the door (matrix.load), writes
through planning.actions.reschedule, which checks the rules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from secoop.core import access
from secoop.core.errors import NotPermitted
from secoop.core.verdicts import Refused

from .. import actions, exports, matrix, rules
from ..models import Activity
from . import svg

EXPORTS = [
    ("xlsx", "Excel matrix", "XLSX"),
    ("pptx", "Briefing slides", "PPTX"),
    ("ics", "Calendar", "ICS"),
    ("docx", "CSCS document", "DOCX"),
    ("pdf", "CSCS document", "PDF"),
]


@login_required
@require_GET
def matrix_page(request, pk: int):
    scale = request.GET.get("scale", "month")
    data = matrix.load(request.user, pk)
    facts = matrix.matrix_input(data)
    lay = matrix.layout(facts, scale=scale)
    by_id = matrix.facts_by_id(facts)
    rows = []
    for row in lay.rows:
        for bar in sorted(
            (b for b in lay.bars if b.activity.row == row.row.key),
            key=lambda b: (b.activity.start, b.activity.id),
        ):
            a = bar.activity
            rows.append(
                {
                    "row": row.row,
                    "bar": bar,
                    "a": a,
                    "after": [by_id[i] for i in matrix.predecessors_of(facts, a.id) if i in by_id],
                    "movable": a.editable
                    and a.status in (rules.Status.PROPOSED, rules.Status.PLANNED),
                }
            )
    cp = data.country_plan
    return render(
        request,
        "planning/matrix/page.html",
        {
            "cp": cp,
            "campaign_plan": data.campaign_plan,
            "lay": lay,
            "svg": svg.render(lay),
            "legend": svg.legend_items(lay),
            "table": rows,
            "violations": [lay.analysis.messages[k] for k in sorted(lay.analysis.messages)],
            "critical": lay.critical_bars,
            "phase_totals": matrix.phase_totals(facts),
            "exports": [
                (fmt, label, short, reverse("planning-matrix:export", args=[cp.pk, fmt]))
                for fmt, label, short in EXPORTS
            ],
            "scale": lay.scale,
            "page_records": data.records(),
            "banner_marking": data.marking,
            "detail_url": _detail_url(cp),
            "any_movable": any(r["movable"] for r in rows),
            "reschedule_url": reverse("planning-matrix:reschedule", args=[cp.pk]),
        },
    )


def _detail_url(cp) -> str:
    try:
        return cp.get_absolute_url()
    except Exception:  # the country plan page is the backbone's; the matrix works without it
        return ""


def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def reschedule(request, pk: int):
    """Move an activity of the plan (R-PLN-09, -10, -03). Refused: the message with the rule and
    what to change. Dependents must move: which, and a button to move them all. Done: the page
    reloads with the new dates."""
    user = request.user
    cp = matrix.load_country_plan(user, pk)
    activity_id = request.POST.get("activity") or ""
    if not activity_id.isdigit() or len(activity_id) > 18:
        # Issue 10 item 7: not an id is a 400 that says so, not a crash.
        return HttpResponseBadRequest(
            "Name the activity to move by its number (activity=<id>).",
            content_type="text/plain; charset=utf-8",
        )
    activity = (
        Activity.objects.visible_to(user).filter(pk=int(activity_id), country_plan=cp).first()
    )
    if activity is None:
        raise Http404("No such activity in this country plan.")
    start = _parse_day(request.POST.get("start"))
    confirm = request.POST.get("confirm") in ("1", "true", "on", "yes")
    htmx = request.headers.get("HX-Request") == "true"
    ctx = {"cp": cp, "activity": activity, "start": start}
    if start is None:
        ctx.update(refused=True, rule="R-PLN-08", message="give the new start date as YYYY-MM-DD.")
        return _answer(request, ctx, htmx, status=400)
    try:
        result = actions.reschedule(user, activity, start, confirm=confirm)
    except Refused as exc:
        text = " ".join(exc.messages)
        prefix = f"{exc.rule}: "
        ctx.update(
            refused=True, rule=exc.rule, message=text.removeprefix(prefix) if exc.rule else text
        )
        return _answer(request, ctx, htmx, status=200 if htmx else 400)
    except NotPermitted as exc:
        ctx.update(refused=True, rule="", message=str(exc))
        return _answer(request, ctx, htmx, status=200 if htmx else 403)
    moves = [
        {
            "move": m,
            "title": result.activities[m.id].title
            if access.can_see_record(user, result.activities[m.id])
            else "An activity you may not see",
        }
        for m in result.moves
    ]
    ctx.update(moves=moves, first=moves[0], dependents=moves[1:], applied=result.applied)
    if result.applied:
        pushed = len(moves) - 1
        text = f"“{activity.title}” now starts {rules.fmt(moves[0]['move'].new_start)}"
        if pushed:
            text += f"; {pushed} dependent activit{'y' if pushed == 1 else 'ies'} moved with it"
        messages.success(request, text + ".")
        if htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect(reverse("planning-matrix:matrix", args=[cp.pk]))
    return _answer(request, ctx, htmx)


def _answer(request, ctx, htmx: bool, status: int = 200):
    if htmx:
        return render(request, "planning/matrix/reschedule.html", ctx, status=status)
    if ctx.get("refused"):
        rule = f"{ctx['rule']}: " if ctx.get("rule") else ""
        messages.error(request, f"{rule}{ctx['message']}")
        return redirect(reverse("planning-matrix:matrix", args=[ctx["cp"].pk]))
    return render(
        request,
        "planning/matrix/confirm_page.html",
        {**ctx, "page_records": [ctx["cp"], ctx["activity"]]},
        status=status,
    )


@login_required
@require_GET
def export(request, pk: int, fmt: str):
    """The matrix or the CSCS as a file, with only what the user may see and its highest marking."""
    if fmt not in exports.FORMATS:
        raise Http404("No such export.")
    data = matrix.load(request.user, pk, document=fmt in ("docx", "pdf"))
    return exports.report(data, fmt).response()
