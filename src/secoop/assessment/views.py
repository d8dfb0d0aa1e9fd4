"""Assessment pages under /assessment/: results, indicators (reference sheet, baseline, periods,
the target-vs-actual chart, reporting an update), updates (submit, approve, return, evidence),
evaluations (findings and their evidence, complete), lessons learned (searchable). Reads through
the door; writes through assessment.actions; refusals shown with their rule id and fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from secoop.core import access, clock, lifecycle
from secoop.core.lists import Column, RecordListView
from secoop.core.related import related
from secoop.core.versioning import stale_action
from secoop.core.viewkit import Section, run_action, visible_or_404
from secoop.core.views import RecordDetailView
from secoop.planning.models import Activity, ActivityFunding, FundingSource, IntermediateObjective

from . import actions, charts, filters, findings, logframe, rollup, rules
from .models import (
    ActivityMonitoring,
    ActualCost,
    CampaignAssessment,
    Evaluation,
    Indicator,
    Lesson,
    Period,
    Result,
    Update,
)
from .rules import CAMPAIGN_ASSESSMENT, EVALUATION, UPDATE

SECTION = Section("Assessment", "assessment:index", ("assessment/assessment.css",))


@login_required
def index(request):
    user = request.user
    today = clock.today_for(user)
    to_decide = findings.updates_to_decide(user)[:20]
    overdue = findings.overdue_indicators(user, today)[:20]
    results = list(Result.objects.visible_to(user).order_by("title", "pk")[:20])
    return render(
        request,
        "assessment/index.html",
        {
            "section": SECTION,
            "to_decide": to_decide,
            "overdue": overdue,
            "results": results,
            # The banner covers every record the page names (R-SEC-01).
            "page_records": [*to_decide, *(o.indicator for o in overdue), *results],
        },
    )


# --- lists ---------------------------------------------------------------------------------------


class ResultList(RecordListView):
    model = Result
    title = "Results"
    intro = "Outputs, outcomes and impacts of IMOs/outcomes and activities (IATI results)."
    columns = [
        Column("Result", "title", "title", link=True),
        Column("Type", "get_result_type_display", "result_type"),
        Column("Country", "country_id", "country"),
    ]
    default_sort = "title"
    filterset_class = filters.ResultFilter


class IndicatorList(RecordListView):
    model = Indicator
    title = "Indicators"
    intro = "Measures of performance (MOP) and of effectiveness (MOE) with their reference sheets (R-AME-02)."
    columns = [
        Column("Indicator", "col_name", link=True),
        Column("Result", "result.title"),
        Column("Reporting", "get_frequency_display", "frequency"),
    ]
    default_sort = "pk"
    filterset_class = filters.IndicatorFilter

    def col_name(self, obj):
        return findings.related_name(obj, self.request.user)


class UpdateList(RecordListView):
    model = Update
    title = "Indicator updates"
    intro = "Actuals reported per period: submitted, then approved or returned by someone other than their author (R-SEC-11)."
    columns = [
        Column("Update", "col_name", link=True),
        Column("Indicator", "col_indicator"),
        Column("Value", "value", "value"),
        Column("Status", "get_status_display", "status"),
        Column("Submitted", "submitted_on", "submitted_on"),
    ]
    default_sort = "-pk"
    filterset_class = filters.UpdateFilter

    def col_name(self, obj):
        return str(obj)

    def col_indicator(self, obj):
        return findings.indicator_of(obj, self.request.user)


class EvaluationList(RecordListView):
    model = Evaluation
    title = "Evaluations"
    intro = "Evaluations with their plan, due date and findings (R-AME-04), incl. the 30-day and 1-year post-project evaluations."
    columns = [
        Column("Evaluation", "title", "title", link=True),
        Column("Kind", "get_kind_display", "kind"),
        Column("Due", "due_on", "due_on"),
        Column("Status", "get_status_display", "status"),
    ]
    default_sort = "due_on"
    filterset_class = filters.EvaluationFilter


class LessonList(RecordListView):
    model = Lesson
    title = "Lessons learned and best practices"
    intro = "Search by words or by tag (R-AME-05)."
    columns = [
        Column("Lesson", "title", "title", link=True),
        Column("Kind", "get_kind_display", "kind"),
        Column("Tags", "col_tags"),
        Column("Observed", "observed_on", "observed_on"),
    ]
    default_sort = "-observed_on"
    filterset_class = filters.LessonFilter

    def col_tags(self, obj):
        return ", ".join(obj.tag_list)


# --- details -------------------------------------------------------------------------------------


class Detail(RecordDetailView):
    section = SECTION


class ResultDetail(Detail):
    model = Result
    template_name = "assessment/result_detail.html"

    def related(self):
        user = self.request.user
        return {"Indicators": list(Indicator.objects.visible_to(user).filter(result=self.object))}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["parent"] = related(self.object, "imo", user) or related(self.object, "activity", user)
        ctx["indicators"] = [
            (i, findings.related_name(i, user))
            for i in Indicator.objects.visible_to(user).filter(result=self.object)
        ]
        return ctx


class IndicatorDetail(Detail):
    model = Indicator
    template_name = "assessment/indicator_detail.html"

    def related(self):
        return {"Result": [r for r in [related(self.object, "result", self.request.user)] if r]}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, indicator = self.request.user, self.object
        measure = related(indicator, "measure", user) if indicator.measure_id else None
        sheet = findings.sheet_of(indicator, user)
        rows = findings.period_rows(indicator, user) if self.tab == "overview" else []
        name = findings.related_name(indicator, user)
        ctx.update(
            measure=measure,
            definition=indicator.definition or (measure.method if measure else ""),
            method=indicator.collection_method or (measure.method if measure else ""),
            sheet=sheet,
            name=name,
            rows=rows,
            page_records=[
                *ctx["page_records"],
                *[r.period for r in rows],
                *(u for r in rows for u in r.updates),
            ],
            scale=rules.scale_levels(indicator.scale),
            baseline_missing=sheet is not None and rules.baseline_problem(sheet),
            may_report=bool(rows) and access.holds_role(user, actions.REPORTERS),
            responsible=related(indicator, "responsible_org", user),
            chart=charts.target_actual_svg(
                [f"{r.period.period_start:%b %Y}" for r in rows],
                [r.target for r in rows],
                [r.actual for r in rows],
                sheet.baseline if sheet else None,
                sheet.unit if sheet else "",
                f"{name}: target and actual per period",
            )
            if rows and sheet
            else "",
        )
        return ctx


class UpdateDetail(Detail):
    model = Update
    template_name = "assessment/update_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, update = self.request.user, self.object
        period = related(update, "period", user)
        indicator = related(period, "indicator", user) if period else None
        may = {
            "submit": True,
            "approve": indicator is not None and actions.may_decide(user, indicator),
            "return": indicator is not None and actions.may_decide(user, indicator),
        }
        ctx.update(
            period=period,
            indicator=indicator,
            indicator_name=findings.related_name(indicator, user) if indicator else "",
            actions_now=lifecycle.names(UPDATE.actions_now(user, update.status, may=may)),
            entered_by=_person(user, update, "entered_by"),
            decided_by=_person(user, update, "decided_by"),
            may_add_evidence=update.is_editable and ctx["can_edit"],
        )
        return ctx


def _person(viewer, record, field: str) -> str:
    """A person's name as `viewer` may be shown it (core.access.shows_person), else ''."""
    person = related(record, field, viewer)
    if person is None or not access.shows_person(viewer, person):
        return ""
    return person.display_name or person.username


class EvaluationDetail(Detail):
    model = Evaluation
    template_name = "assessment/evaluation_detail.html"

    def related(self):
        user = self.request.user
        return {"Lessons": list(Lesson.objects.visible_to(user).filter(evaluation=self.object))}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, evaluation = self.request.user, self.object
        rows, shown = findings.finding_rows(evaluation, user)
        ctx.update(
            rows=rows,
            page_records=[*ctx["page_records"], *shown],
            subject=related(evaluation, "activity", user) or related(evaluation, "imo", user),
            actions_now=lifecycle.names(EVALUATION.actions_now(user, evaluation.status))
            if ctx["can_edit"]
            else [],
            overdue=rules.evaluation_overdue(
                evaluation.status, evaluation.due_on, clock.today_for(user)
            ),
        )
        return ctx


class LessonDetail(Detail):
    model = Lesson
    template_name = "assessment/lesson_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["source"] = related(self.object, "evaluation", user) or related(
            self.object, "activity", user
        )
        return ctx


# --- actions from the pages ----------------------------------------------------------------------


def _pk(value) -> int:
    """A record id from a form, 0 (no record) when it is not one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else 0


@login_required
@require_POST
def report(request, pk):
    """Enter an update (a draft) for one of the indicator's periods."""
    indicator = visible_or_404(Indicator, request.user, pk)
    period = (
        Period.objects.visible_to(request.user)
        .filter(pk=_pk(request.POST.get("period")), indicator=indicator)
        .first()
    )
    if period is None:
        messages.error(request, "Choose the period the value is for.")
        return redirect(indicator.get_absolute_url())
    made = {}

    def enter():
        made["update"] = actions.enter_update(
            request.user,
            period,
            request.POST.get("value", ""),
            narrative=request.POST.get("narrative", ""),
        )

    if run_action(request, enter, "Update saved as a draft: submit it when it is complete."):
        return redirect(made["update"].get_absolute_url())
    return redirect(indicator.get_absolute_url())


@login_required
@require_POST
def update_act(request, pk, what):
    update = visible_or_404(Update, request.user, pk)
    stale = stale_action(request, update)
    if stale:
        messages.error(request, stale)
        return redirect(update.get_absolute_url())
    comment = request.POST.get("comment", "")
    calls = {
        "submit": (lambda: actions.submit_update(request.user, update), "Submitted for approval."),
        "approve": (
            lambda: actions.approve_update(request.user, update, comment=comment),
            "Approved.",
        ),
        "return": (
            lambda: actions.return_update(request.user, update, comment=comment),
            "Returned to its author.",
        ),
        "evidence": (
            lambda: actions.add_evidence(
                request.user,
                update,
                title=request.POST.get("title", ""),
                file=request.FILES.get("file"),
            ),
            "Evidence attached (see the Documents tab).",
        ),
    }
    if what not in calls:
        raise Http404
    call, ok = calls[what]
    run_action(request, call, ok)
    return redirect(update.get_absolute_url())


@login_required
@require_POST
def evaluation_act(request, pk, what):
    evaluation = visible_or_404(Evaluation, request.user, pk)
    calls = {
        "start": lambda: actions.start_evaluation(request.user, evaluation),
        "complete": lambda: actions.complete_evaluation(
            request.user,
            evaluation,
            recommended_adjustments=request.POST.get("recommended_adjustments") or None,
        ),
        "cancel": lambda: actions.cancel_evaluation(
            request.user, evaluation, reason=request.POST.get("reason", "")
        ),
    }
    if what not in calls:
        raise Http404
    run_action(request, calls[what], f"Evaluation: {EVALUATION[what].label.lower()} done.")
    return redirect(evaluation.get_absolute_url())


# --- the objective: logic framework and return on investment (R-AME-03, R-AME-07) ---------------


@login_required
def objective(request, pk):
    """An IMO/outcome's theory of change and logic framework, with its spend and progress, and
    its indicators rolled up from the activities' (issue 17 item 10); `?format=xlsx` downloads
    the roll-up."""
    imo = visible_or_404(IntermediateObjective, request.user, pk)
    f = logframe.frame(imo, request.user)
    if request.GET.get("format") == "xlsx":
        return rollup.xlsx_report(imo, f.rollups).response()
    return render(
        request,
        "assessment/objective.html",
        {"section": SECTION, "object": imo, "frame": f, "page_records": f.records},
    )


@login_required
def roi(request):
    rows = logframe.roi_rows(request.user)
    if request.GET.get("format") == "xlsx":
        return logframe.roi_xlsx(rows, request.user).response()
    return render(
        request,
        "assessment/roi.html",
        {
            "section": SECTION,
            "rows": rows,
            "chart": charts.roi_svg(rows),
            "page_records": [r for f in rows for r in f.records],
        },
    )


# --- campaign plan assessments (R-AME-06) ---------------------------------------------------------


class CampaignAssessmentList(RecordListView):
    model = CampaignAssessment
    title = "Campaign plan assessments"
    intro = "The annual cycle: Joint Staff template → the command's assessment of its campaign plan (a MILDEP's or defense agency's of its campaign support plan), objective by objective → Joint Staff review → OSD evaluation (R-AME-06)."
    columns = [
        Column("Assessment", "col_name", link=True),
        Column("Plan", "get_kind_display", "kind"),
        Column("Fiscal year", "fiscal_year", "fiscal_year"),
        Column("Status", "get_status_display", "status"),
    ]
    default_sort = "-fiscal_year"

    def col_name(self, obj):
        return str(obj)


class CampaignAssessmentDetail(Detail):
    model = CampaignAssessment
    template_name = "assessment/campaign_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, assessment = self.request.user, self.object
        plan = related(assessment, "campaign_plan", user)
        entries = logframe.objective_entries(assessment, plan, user)
        may = {
            "submit": actions.may_assess(user, assessment),
            "review": True,
            "return": True,
            "evaluate": True,
        }
        owner = related(plan, "owner_org", user) if plan is not None else None
        ctx.update(
            plan=plan,
            # R-AME-06: the command assesses its campaign plan; the MILDEP or agency its
            # campaign support plan.
            assessor=(owner.short_name or owner.name) if owner is not None else "the plan's owner",
            entries=entries,
            page_records=[*ctx["page_records"], *(e for _, e in entries if e is not None)],
            actions_now=lifecycle.names(
                CAMPAIGN_ASSESSMENT.actions_now(user, assessment.status, may=may)
            ),
            may_assess=may["submit"]
            and not CAMPAIGN_ASSESSMENT.problem("submit", assessment.status),
        )
        return ctx


@login_required
@require_POST
def campaign_act(request, pk, what):
    assessment = visible_or_404(CampaignAssessment, request.user, pk)
    post = request.POST
    calls = {
        "assess": lambda: actions.assess_objective(
            request.user,
            assessment,
            visible_or_404(IntermediateObjective, request.user, _pk(post.get("imo"))),
            progress=post.get("progress", ""),
            risks=post.get("risks", ""),
            resources=post.get("resources", "adequate"),
        ),
        "submit": lambda: actions.submit_campaign_assessment(request.user, assessment),
        "review": lambda: actions.review_campaign_assessment(
            request.user, assessment, comment=post.get("comment", "")
        ),
        "return": lambda: actions.return_campaign_assessment(
            request.user, assessment, comment=post.get("comment", "")
        ),
        "evaluate": lambda: actions.evaluate_campaign_assessment(
            request.user, assessment, evaluation=post.get("evaluation", "")
        ),
    }
    if what not in calls:
        raise Http404
    run_action(request, calls[what], "Saved.")
    return redirect(assessment.get_absolute_url())


# --- an activity's assessment: monitoring, costs, results (R-AME-04, R-AME-07) -------------------


@login_required
def activity(request, pk):
    """An activity as assessment sees it: its schedule and performance against the plan, its
    planned and actual costs per fiscal year and source, its results and indicators (and the
    objective indicators they roll up into)."""
    user = request.user
    act = visible_or_404(Activity, user, pk)
    monitoring = ActivityMonitoring.objects.visible_to(user).filter(activity=act).first()
    planned = list(ActivityFunding.objects.visible_to(user).filter(activity=act))
    actual = list(ActualCost.objects.visible_to(user).filter(activity=act))
    costs = monitoring_rows(planned, actual)
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(result__in=Result.objects.visible_to(user).filter(activity=act))
        .order_by("pk")
    )
    rows = []
    for i in indicators:
        into = related(i, "contributes_to", user) if i.contributes_to_id else None
        rows.append(
            (
                i,
                findings.related_name(i, user),
                into,
                findings.related_name(into, user) if into else "",
            )
        )
    imo = None
    line = related(act, "line_of_activity", user) if act.line_of_activity_id else None
    if line is not None:
        imo = related(line, "imo", user)
    # The objective's indicators an activity indicator may roll up into (issue 17 item 10).
    targets = (
        [
            (t, findings.related_name(t, user))
            for t in Indicator.objects.visible_to(user)
            .filter(result__in=Result.objects.visible_to(user).filter(imo=imo))
            .order_by("pk")
        ]
        if imo is not None and indicators
        else []
    )
    may_monitor = access.holds_role(user, actions.MONITORS) and (
        Activity.objects.editable_by(user).filter(pk=act.pk).exists()
    )
    return render(
        request,
        "assessment/activity.html",
        {
            "section": SECTION,
            "object": act,
            "monitoring": monitoring,
            "start_variance": rules.schedule_variance(
                act.start_date, monitoring.actual_start if monitoring else None
            ),
            "end_variance": rules.schedule_variance(
                act.end_date, monitoring.actual_end if monitoring else None
            ),
            "costs": costs,
            "planned_total": sum((f.amount for f in planned), Decimal(0)),
            "actual_total": sum((c.amount for c in actual), Decimal(0)) if actual else None,
            "indicators": rows,
            "imo": imo,
            "may_monitor": may_monitor,
            "targets": targets,
            "may_link": bool(targets) and access.holds_role(user, actions.DEFINERS),
            "performance_choices": rules.Performance.choices,
            "source_choices": FundingSource.choices,
            "page_records": [
                act,
                *(r for r in (line, imo, monitoring) if r is not None),
                *planned,
                *actual,
                *indicators,
                *(r[2] for r in rows if r[2]),
            ],
        },
    )


def monitoring_rows(planned, actual) -> list[tuple[int, str, Decimal | None, Decimal | None]]:
    """(fiscal year, source label, planned, actual) per year and source, planned or actual."""
    keys = sorted({(f.fiscal_year, f.source) for f in [*planned, *actual]})
    plan = {(f.fiscal_year, f.source): f.amount for f in planned}
    spent = {(c.fiscal_year, c.source): c.amount for c in actual}
    return [
        (fy, FundingSource(src).label, plan.get((fy, src)), spent.get((fy, src)))
        for fy, src in keys
    ]


def _posted_date(post, name: str) -> dt.date | None:
    """A date from a form field, None when blank; ValueError when it is not a date."""
    text = (post.get(name) or "").strip()
    if not text:
        return None
    try:
        day = parse_date(text) if len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(name)
    return day


@login_required
@require_POST
def activity_act(request, pk, what):
    act = visible_or_404(Activity, request.user, pk)
    post = request.POST
    back = redirect("assessment:activity", pk=act.pk)
    if what == "monitor":
        try:
            dates = {n: _posted_date(post, n) for n in ("as_of", "actual_start", "actual_end")}
        except ValueError as exc:
            messages.error(
                request,
                f"R-AME-04: the {str(exc).replace('_', ' ')} is not a date (YYYY-MM-DD). Nothing was saved.",
            )
            return back
        call = lambda: actions.record_monitoring(  # noqa: E731
            request.user,
            act,
            as_of=dates["as_of"],
            actual_start=dates["actual_start"],
            actual_end=dates["actual_end"],
            performance=post.get("performance", ""),
            performance_note=post.get("performance_note", ""),
            inputs_note=post.get("inputs_note", ""),
        )
        run_action(request, call, "Monitoring recorded.")
    elif what == "cost":
        call = lambda: actions.record_actual_cost(  # noqa: E731
            request.user,
            act,
            fiscal_year=post.get("fiscal_year", ""),
            source=post.get("source", ""),
            amount=post.get("amount", ""),
            note=post.get("note", ""),
        )
        run_action(request, call, "Actual cost recorded.")
    elif what == "link":
        child = visible_or_404(Indicator, request.user, _pk(post.get("indicator")))
        into = (
            visible_or_404(Indicator, request.user, _pk(post.get("into")))
            if post.get("into")
            else None
        )
        call = lambda: actions.link_contribution(  # noqa: E731
            request.user, child, into, weight=post.get("weight") or None
        )
        run_action(request, call, "Roll-up saved." if into else "Roll-up link ended.")
    else:
        raise Http404
    return back
