"""The synchronization matrix page of a country plan (R-PLN-09), its exports, and rescheduling by
drag (or the keyboard, or the table's form). Thin: reads through the door (matrix.load), writes
through planning.actions.reschedule, which checks the rules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpResponse
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from secoop.core import access
from secoop.core.errors import NotPermitted
from secoop.core.models import Organization
from secoop.core.verdicts import Refused

from .. import actions
from .. import exports
from .. import matrix
from .. import rules
from ..models import Activity
from ..models import Reschedule
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
                    "movable": a.movable,
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
            "move": move_panel(request.user, cp, request.GET.get("move")),
            "recent_moves": recent_moves(request.user, cp),
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


def _activity_of(request, cp) -> Activity | HttpResponse:
    activity_id = request.POST.get("activity") or ""
    if not activity_id.isdigit() or len(activity_id) > 18:
        # Issue 10 item 7: not an id is a 400 that says so, not a crash.
        return HttpResponseBadRequest(
            "Name the activity to move by its number (activity=<id>).",
            content_type="text/plain; charset=utf-8",
        )
    activity = (
        Activity.objects.visible_to(request.user)
        .filter(pk=int(activity_id), country_plan=cp)
        .first()
    )
    if activity is None:
        raise Http404("No such activity in this country plan.")
    return activity


def _refusal(ctx: dict, exc: Exception) -> dict:
    if isinstance(exc, Refused):
        text = " ".join(exc.messages)
        prefix = f"{exc.rule}: "
        return {
            **ctx,
            "refused": True,
            "rule": exc.rule,
            "message": text.removeprefix(prefix) if exc.rule else text,
        }
    return {**ctx, "refused": True, "rule": "", "message": str(exc)}


def _matrix_url(cp, record=None) -> str:
    url = reverse("planning-matrix:matrix", args=[cp.pk])
    return f"{url}?move={record.pk}" if record is not None else url


def _done(request, cp, record, htmx: bool) -> HttpResponse:
    """After a write: the matrix, with the move's panel next to the activity (issue 12 item 3)."""
    url = _matrix_url(cp, record)
    if htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def reschedule(request, pk: int):
    """Move an activity of the plan (R-PLN-09, -10, -03). Refused: the message with the rule and
    what to change. `preview=1` (a drag or a keyboard move) always asks first; dependents that must
    move are listed to confirm; those the user may not change are named with the office that must
    approve, and only what the user may do is offered. Done: the matrix with the move's panel."""
    user = request.user
    asked = _move_asked(request, pk)
    if isinstance(asked, HttpResponse):
        return asked
    ctx, htmx = asked
    cp, activity, start = ctx["cp"], ctx["activity"], ctx["start"]
    confirm = request.POST.get("confirm") in ("1", "true", "on", "yes")
    preview = request.POST.get("preview") in ("1", "true", "on", "yes") and not confirm
    try:
        result = actions.reschedule(user, activity, start, confirm=confirm, preview=preview)
    except (Refused, NotPermitted) as exc:
        return _answer_refusal(request, ctx, exc, htmx)
    if result.applied:
        return _done(request, cp, result.record, htmx)
    sponsors = {
        o.pk: str(o)
        for o in Organization.objects.system().filter(
            pk__in={result.activities[i].owner_org_id for i in result.blocked}
        )
    }
    moves = [
        {
            "move": m,
            "title": result.activities[m.id].title
            if access.can_see_record(user, result.activities[m.id])
            else "An activity you may not see",
            "approver": sponsors.get(result.activities[m.id].owner_org_id)
            if m.id in result.blocked
            else "",
        }
        for m in result.moves
    ]
    ctx.update(
        moves=moves,
        first=moves[0],
        dependents=moves[1:],
        blocked=len(result.blocked),
        approver=result.approver,
        alone=result.alone,
    )
    return _answer(request, ctx, htmx)


@login_required
@require_POST
def request_move(request, pk: int):
    """R-PLN-09: send a move that pushes activities the user may not change to the office that
    may change them all (actions.request_reschedule); it is told through its notifications."""
    asked = _move_asked(request, pk)
    if isinstance(asked, HttpResponse):
        return asked
    ctx, htmx = asked
    try:
        record = actions.request_reschedule(
            request.user,
            ctx["activity"],
            ctx["start"],
            reason=(request.POST.get("note") or "").strip()[:500],
        )
    except (Refused, NotPermitted) as exc:
        return _answer_refusal(request, ctx, exc, htmx)
    return _done(request, ctx["cp"], record, htmx)


MOVE_ACTIONS = {
    "approve": actions.approve_reschedule,
    "decline": actions.decline_reschedule,
    "undo": actions.undo_reschedule,
}


@login_required
@require_POST
def move_action(request, pk: int):
    """Approve or decline a requested move, or undo an applied one (R-PLN-09, issue 12 items 2
    and 3): each a change-logged action that refuses with a finding when it cannot apply."""
    user = request.user
    cp = matrix.load_country_plan(user, pk)
    move_id = request.POST.get("move") or ""
    step = request.POST.get("step") or ""
    if not move_id.isdigit() or len(move_id) > 18 or step not in MOVE_ACTIONS:
        return HttpResponseBadRequest(
            "Name the move (move=<id>) and the step (approve, decline or undo).",
            content_type="text/plain; charset=utf-8",
        )
    record = Reschedule.objects.visible_to(user).filter(pk=int(move_id), country_plan=cp).first()
    if record is None:
        raise Http404("No such move in this country plan.")
    htmx = request.headers.get("HX-Request") == "true"
    reason = (request.POST.get("reason") or "").strip()[:500]
    try:
        MOVE_ACTIONS[step](user, record, reason=reason)
    except (Refused, NotPermitted) as exc:
        ctx = _refusal({"cp": cp, "activity": None, "move_record": record}, exc)
        if htmx:
            return render(request, "planning/matrix/reschedule.html", ctx)
        messages.error(
            request, f"{ctx['rule']}: {ctx['message']}" if ctx["rule"] else ctx["message"]
        )
        return redirect(_matrix_url(cp, record))
    return _done(request, cp, record, htmx)


def _move_asked(request, pk: int) -> tuple[dict, bool] | HttpResponse:
    """What a move's form names: the country plan, its activity and the new start (the page's
    context), and whether htmx asked; the answer instead when the activity or the date is wrong."""
    cp = matrix.load_country_plan(request.user, pk)
    activity = _activity_of(request, cp)
    if isinstance(activity, HttpResponse):
        return activity
    start = _parse_day(request.POST.get("start"))
    htmx = request.headers.get("HX-Request") == "true"
    ctx = {"cp": cp, "activity": activity, "start": start}
    if start is None:
        ctx.update(refused=True, rule="R-PLN-08", message="give the new start date as YYYY-MM-DD.")
        return _answer(request, ctx, htmx, status=400)
    return ctx, htmx


def _answer_refusal(request, ctx, exc: Exception, htmx: bool):
    """A refused move: in the panel under htmx; else 400 for a rule, 403 for a role."""
    status = 200 if htmx else (400 if isinstance(exc, Refused) else 403)
    return _answer(request, _refusal(ctx, exc), htmx, status=status)


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


def move_panel(user, cp, move_id: str | None) -> dict | None:
    """What the matrix shows about one recorded move (`?move=<id>`): its moves, its state, and
    the steps this user may take now (undo; approve or decline a request sent to their office)."""
    if not move_id or not move_id.isdigit() or len(move_id) > 18:
        return None
    record = Reschedule.objects.visible_to(user).filter(pk=int(move_id), country_plan=cp).first()
    if record is None:
        return None
    recorded = record.recorded_moves()
    ids = [m.id for m in recorded]
    seen = {a.pk: a for a in Activity.objects.visible_to(user).filter(pk__in=ids)}
    editable = set(
        Activity.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    orgs = {
        o.pk: o
        for o in Organization.objects.system().filter(
            pk__in={record.owner_org_id, record.approver_org_id} - {None}
        )
    }
    approver = orgs.get(record.approver_org_id)
    may = actions.reschedule_steps_may(user, record, approver, set(ids) <= editable)
    steps = {t.name: t for t in rules.RESCHEDULE.actions_now(user, record.status, may=may)}
    title = seen[record.activity_id].title if record.activity_id in seen else "An activity"
    return {
        "record": record,
        "title": title,
        "moves": [
            {
                "move": m,
                "title": seen[m.id].title if m.id in seen else "An activity you may not see",
            }
            for m in recorded
        ],
        "pushed": len(recorded) - 1,
        "requester": str(orgs.get(record.owner_org_id, "")),
        "approver": str(approver or ""),
        "steps": steps,
    }


def recent_moves(user, cp) -> list[dict]:
    """The plan's latest recorded moves and requests the user may see, newest first."""
    records = list(Reschedule.objects.visible_to(user).filter(country_plan=cp)[:8])
    seen = dict(
        Activity.objects.visible_to(user)
        .filter(pk__in={r.activity_id for r in records})
        .values_list("pk", "title")
    )
    return [
        {
            "record": r,
            "title": seen.get(r.activity_id, "An activity you may not see"),
            "url": _matrix_url(cp, r),
        }
        for r in records
    ]


@login_required
@require_GET
def export(request, pk: int, fmt: str):
    """The matrix or the CSCS as a file, with only what the user may see and its highest marking."""
    if fmt not in exports.FORMATS:
        raise Http404("No such export.")
    data = matrix.load(request.user, pk, document=fmt in ("docx", "pdf"))
    return exports.report(data, fmt).response()
