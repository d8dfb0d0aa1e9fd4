"""Assessment pages under /assessment/: results, indicators (reference sheet, baseline, periods,
the target-vs-actual chart, reporting an update), updates (submit, approve, return, evidence),
evaluations (findings and their evidence, complete), lessons learned (searchable). Reads through
the door; writes through assessment.actions; refusals shown with their rule id and fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from secoop.core import access
from secoop.core import clock
from secoop.core import keyset
from secoop.core import lifecycle
from secoop.core.lists import Column
from secoop.core.lists import RecordListView
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.core.stale_pages import stale_answer
from secoop.core.step_buttons import run_step
from secoop.core.viewkit import Section
from secoop.core.viewkit import form_page
from secoop.core.viewkit import record_form
from secoop.core.viewkit import run_action
from secoop.core.viewkit import save_from_form
from secoop.core.viewkit import visible_or_404
from secoop.core.views import RecordDetailView
from secoop.planning.models import Activity
from secoop.planning.models import ActivityFunding
from secoop.planning.models import EndState
from secoop.planning.models import FundingSource
from secoop.planning.models import IntermediateObjective

from . import actions
from . import charts
from . import filters
from . import findings
from . import forms
from . import logframe
from . import rollup
from . import rules
from .models import ActivityMonitoring
from .models import ActualCost
from .models import CampaignAssessment
from .models import Disaggregation
from .models import Evaluation
from .models import EvaluationFinding
from .models import Indicator
from .models import Lesson
from .models import Period
from .models import Result
from .models import Update
from .rules import CAMPAIGN_ASSESSMENT
from .rules import EVALUATION
from .rules import UPDATE
from .templatetags.assessment_tags import num

SECTION = Section("Assessment", "assessment:index", ("assessment/assessment.css",))


class CreatingList(RecordListView):
    """A list with its "New" button for those who hold the creating action's roles."""

    create: tuple[str, frozenset, str] | None = None  # URL name, roles, label

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.create and access.holds_role(self.request.user, self.create[1]):
            ctx.update(create_url=reverse(self.create[0]), create_label=self.create[2])
        return ctx


def _for(roles):
    """A form page only for those who hold one of the action's roles (404 for the others: no
    form they could not save); the action checks again, over the record's organization."""

    def wrap(view):
        @wraps(view)
        def run(request, *args, **kwargs):
            if not access.holds_role(request.user, roles):
                raise Http404("No such form for you.")
            return view(request, *args, **kwargs)

        return run

    return wrap


def _initial_from(request, model, **params) -> dict:
    """A new record's parent from the query string (?imo=, ?activity=, ?result=, ?evaluation=),
    only when the user may see it."""
    initial = {}
    for name, parent_model in params.items():
        pk = _pk(request.GET.get(name))
        parent = parent_model.objects.visible_to(request.user).filter(pk=pk).first() if pk else None
        if parent is not None:
            initial[name] = parent
            country = getattr(parent, "country_id", None)
            if country and "country" not in initial:
                initial["country"] = country
            owner = getattr(parent, "owner_org_id", None)
            if owner and "owner_org" not in initial:
                initial["owner_org"] = owner
            initial.setdefault("marking", parent.marking_text)
    return initial


def _form(request, model, form_class, pk, *, create, update, noun, list_name, parents=None, **page):
    """A record's form page; `parents` (query-string name → model) are the records a new one may
    be opened from (`_initial_from`)."""
    if parents and pk is None:
        form_class = partial(form_class, initial=_initial_from(request, model, **parents))
    return record_form(
        request,
        model,
        form_class,
        pk,
        create=create,
        update=update,
        noun=noun,
        list_name=list_name,
        section=SECTION,
        **page,
    )


@login_required
@_for(actions.DEFINERS)
def result_edit(request, pk=None):
    return _form(
        request,
        Result,
        forms.ResultForm,
        pk,
        create=actions.create_result,
        update=actions.update_result,
        noun="result",
        list_name="assessment:results",
        parents={"imo": IntermediateObjective, "activity": Activity, "end_state": EndState},
    )


def _indicator_country(form, target):
    """A new indicator is of its result's country."""
    if isinstance(target, Indicator) and target.result_id:
        target.country_id = target.result.country_id
    return target


@login_required
@_for(actions.DEFINERS)
def indicator_edit(request, pk=None):
    initial = {}
    if pk is None:
        initial = _initial_from(request, Indicator, result=Result)
        initial.pop("country", None)
    return _form(
        request,
        Indicator,
        partial(forms.IndicatorForm, initial=initial),
        pk,
        create=actions.create_indicator,
        update=actions.update_indicator,
        noun="indicator",
        list_name="assessment:indicators",
        prepare=_indicator_country,
        about={
            "heading": "The reference sheet (R-AME-02)",
            "lines": [
                "A measure of performance (MOP) says what we or the partner do; a measure of "
                "effectiveness (MOE) says what changed because of it.",
                "A quantitative indicator has a unit; a qualitative one a scale of levels, "
                "one a line, lowest first.",
                "No actual is recorded before the baseline (R-AME-01): give its value and the "
                "date it was assessed, or record it later.",
            ],
        },
        template="assessment/parts_form.html",
    )


def _parts(request, prefix="parts", initial=None):
    posted = f"{prefix}-TOTAL_FORMS" in request.POST
    return forms.PartsFormSet(
        request.POST if posted else None, initial=initial or None, prefix=prefix
    ), posted


@login_required
@_for(actions.DEFINERS)
def period_edit(request, pk=None, indicator_pk=None):
    """A period of an indicator with its target and the target's disaggregation rows: one save
    through add_period/update_period, so bad input anywhere saves nothing."""
    user = request.user
    if pk is None:
        indicator = visible_or_404(Indicator, user, indicator_pk)
        instance = None
    else:
        instance = get_object_or_404(Period.objects.editable_by(user), pk=pk)
        indicator = visible_or_404(Indicator, user, instance.indicator_id)
    sheet = findings.sheet_of(indicator, user)
    unit = (sheet.unit if sheet and not sheet.qualitative else "") or ""
    form = forms.PeriodForm(
        request.POST or None, instance=instance, user=user, indicator=indicator, unit=unit
    )
    current = (
        [
            {"dimension": d.dimension, "category": d.category, "amount": num(d.amount)}
            for d in Disaggregation.objects.visible_to(user)
            .filter(period=instance, update__isnull=True)
            .order_by("dimension", "category")
        ]
        if instance
        else []
    )
    parts, posted = _parts(request, initial=current)
    if request.method == "POST" and form.is_valid() and (not posted or parts.is_valid()):
        reason = form.cleaned_data["reason"]
        unit_given = form.cleaned_data.get("target_unit", "")
        rows = parts.rows() if posted else None
        if instance is None:
            record = form.save(commit=False)
            record.indicator = indicator
            record.marking = Marking.parse(form.cleaned_data["marking"])
            saved = save_from_form(
                form,
                lambda: actions.add_period(
                    user, record, target_unit=unit_given, parts=rows or [], reason=reason
                ),
            )
        else:
            saved = save_from_form(
                form,
                lambda: actions.update_period(
                    user,
                    Period.objects.editable_by(user).get(pk=pk),
                    form.changes(),
                    target_unit=unit_given,
                    parts=rows,
                    reason=reason,
                ),
            )
        if saved is not None:
            messages.success(request, f"Saved the period {saved}.")
            return redirect(indicator.get_absolute_url())
    name = findings.related_name(indicator, user)
    return form_page(
        request,
        form,
        instance,
        f"Edit the period {instance} of {name}" if instance else f"New period of {name}",
        indicator.get_absolute_url(),
        section=SECTION,
        template="assessment/parts_form.html",
        parts=parts,
        parts_legend="The target by dimension",
        page_records=[
            indicator,
            *([instance] if instance else []),
            *findings.measures_named([indicator], user),
        ],
        about={
            "heading": "Periods and targets",
            "lines": [
                f"Reported {indicator.get_frequency_display().lower()}: one period per interval; "
                "periods of one indicator do not overlap.",
                "An activity's indicator has its periods inside the activity's dates.",
                f"Targets are in {unit or 'the scale levels'}.",
            ],
        },
    )


@login_required
@_for(actions.REPORTERS)
def update_edit(request, pk):
    return _form(
        request,
        Update,
        forms.UpdateForm,
        pk,
        create=None,
        update=actions.change_update,
        noun="update",
        list_name="assessment:updates",
    )


@login_required
@_for(actions.EVALUATORS)
def evaluation_edit(request, pk=None):
    return _form(
        request,
        Evaluation,
        forms.EvaluationForm,
        pk,
        create=actions.create_evaluation,
        update=actions.update_evaluation,
        noun="evaluation",
        list_name="assessment:evaluations",
        parents={"activity": Activity, "imo": IntermediateObjective},
    )


@login_required
@_for(actions.EVALUATORS)
def finding_create(request, pk):
    """A finding of an open evaluation, with the updates, documents or data it cites (R-AME-04;
    GAO-23-106275)."""
    user = request.user
    evaluation = visible_or_404(Evaluation, user, pk)
    if not Evaluation.objects.editable_by(user).filter(pk=pk).exists():
        raise Http404("No finding form for you.")
    form = forms.FindingForm(request.POST or None, user=user, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.evaluation = evaluation
        record.marking = Marking.parse(form.cleaned_data["marking"])
        saved = save_from_form(
            form,
            lambda: actions.add_finding(
                user,
                record,
                updates=list(form.cleaned_data["updates"]),
                documents=list(form.cleaned_data["documents"]),
                reason=form.cleaned_data["reason"],
            ),
        )
        if saved is not None:
            data = form.cleaned_data
            if data["updates"] or data["documents"] or (data["cited_data"] or "").strip():
                messages.success(request, "Finding recorded with its evidence.")
            else:
                messages.warning(
                    request,
                    "R-AME-04: finding recorded, citing no evidence yet: the evaluation does "
                    "not complete until it does. Cite its evidence from the evaluation page.",
                )
            return redirect(evaluation.get_absolute_url())
    return form_page(
        request,
        form,
        None,
        f"New finding: {evaluation}",
        evaluation.get_absolute_url(),
        section=SECTION,
        template="assessment/parts_form.html",
        page_records=[evaluation],
        about={
            "heading": "Findings rest on evidence (R-AME-04)",
            "lines": [
                "Cite the updates or documents the finding rests on, or name the data in "
                "words: an evaluation does not complete while a finding cites nothing "
                "(GAO-23-106275).",
            ],
        },
    )


@login_required
@_for(actions.EVALUATORS)
def finding_evidence(request, pk):
    """Cite more evidence for a finding (R-AME-04): an evaluation does not complete while one of
    its findings cites nothing."""
    user = request.user
    finding = visible_or_404(EvaluationFinding, user, pk)
    evaluation = visible_or_404(Evaluation, user, finding.evaluation_id)
    if not Evaluation.objects.editable_by(user).filter(pk=evaluation.pk).exists():
        raise Http404("No evidence form for you.")
    form = forms.EvidenceForm(
        request.POST or None, user=user, finding=finding, evaluation=evaluation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_from_form(
            form,
            lambda: actions.cite_evidence(
                user,
                finding,
                updates=list(data["updates"]),
                documents=list(data["documents"]),
                cited_data=data["cited_data"],
            ),
        )
        if saved is not None:
            messages.success(request, "Evidence cited.")
            return redirect(evaluation.get_absolute_url())
    return form_page(
        request,
        form,
        None,
        f"Cite evidence: {finding}",
        evaluation.get_absolute_url(),
        section=SECTION,
        template="assessment/parts_form.html",
        page_records=[evaluation, finding],
    )


@login_required
@_for(actions.LESSON_WRITERS)
def lesson_edit(request, pk=None):
    return _form(
        request,
        Lesson,
        forms.LessonForm,
        pk,
        create=actions.create_lesson,
        update=actions.update_lesson,
        noun="lesson learned",
        list_name="assessment:lessons",
        parents={"evaluation": Evaluation, "activity": Activity},
    )


@login_required
def index(request):
    user = request.user
    today = clock.today_for(user)
    to_decide = findings.updates_to_decide(user)[:20]
    overdue = findings.overdue_indicators(user, today)[:20]
    due_soon = findings.updates_falling_due(user, today)[:20]
    results = list(Result.objects.visible_to(user).order_by("title", "pk")[:20])
    return render(
        request,
        "assessment/index.html",
        {
            "section": SECTION,
            "to_decide": to_decide,
            "overdue": overdue,
            "due_soon": due_soon,
            "due_days": rules.DUE_SOON_DAYS,
            "results": results,
            "may_report": access.holds_role(user, actions.REPORTERS),
            "may_define": access.holds_role(user, actions.DEFINERS),
            "may_evaluate": access.holds_role(user, actions.EVALUATORS),
            "may_learn": access.holds_role(user, actions.LESSON_WRITERS),
            # The banner covers every record the page names (R-SEC-01).
            "page_records": [
                *to_decide,
                *(o.indicator for o in overdue),
                *(r for d in due_soon for r in (d.period, d.indicator)),
                *findings.measures_named(
                    [*(o.indicator for o in overdue), *(d.indicator for d in due_soon)], user
                ),
                *results,
            ],
        },
    )


# --- lists ---------------------------------------------------------------------------------------


class ResultList(CreatingList):
    create = ("assessment:result-create", actions.DEFINERS, "New result")
    model = Result
    title = "Results"
    intro = "Outputs, outcomes and impacts of IMOs/outcomes and activities (IATI results)."
    columns = [
        Column("Result", "title", "title", link=True),
        Column("Type", "get_result_type_display", "result_type"),
        Column("Country", "country.name", sort="country__name"),
    ]
    select_related = ("country",)
    default_sort = "title"
    filterset_class = filters.ResultFilter


class IndicatorList(CreatingList):
    create = ("assessment:indicator-create", actions.DEFINERS, "New indicator")
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

    def base_queryset(self):
        # The name (a measure's) and the result each row shows, read through the door once per
        # page, not once per row (ARCHITECTURE invariant 7).
        user = self.request.user
        shown = [findings.measures(user), GuardedPrefetch("result", user)]
        return super().base_queryset().prefetch_related(*shown)

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

    def base_queryset(self):
        # Each row names its indicator through its period (and the indicator's measure): read
        # through the door once per page, one level at a time, not once per row (invariant 7).
        user = self.request.user
        levels = [
            GuardedPrefetch("period", user),
            GuardedPrefetch("period__indicator", user),
            findings.measures(user, "period__indicator__measure"),
        ]
        return super().base_queryset().prefetch_related(*levels)

    def col_indicator(self, obj):
        return findings.indicator_of(obj, self.request.user)


class EvaluationList(CreatingList):
    create = ("assessment:evaluation-create", actions.EVALUATORS, "New evaluation")
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


class LessonList(CreatingList):
    create = ("assessment:lesson-create", actions.LESSON_WRITERS, "New lesson")
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
        ctx["parent"] = (
            related(self.object, "imo", user)
            or related(self.object, "activity", user)
            or related(self.object, "end_state", user)
        )
        indicators = list(Indicator.objects.visible_to(user).filter(result=self.object))
        ctx["indicators"] = [(i, findings.related_name(i, user)) for i in indicators]
        # The banner covers the parent and the indicators (and their measures) it names.
        ctx["page_records"] = [
            *ctx["page_records"],
            *([ctx["parent"]] if ctx["parent"] is not None else []),
            *indicators,
            *findings.measures_named(indicators, user),
        ]
        ctx["may_define"] = ctx["can_edit"] and access.holds_role(user, actions.DEFINERS)
        ctx["may_release"] = _may_release(user, self.object)
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
                *([measure] if measure is not None else []),
                *[r.period for r in rows],
                *(u for r in rows for u in r.updates),
            ],
            scale=rules.scale_levels(indicator.scale),
            baseline_missing=sheet is not None and rules.baseline_problem(sheet),
            may_report=bool(rows) and access.holds_role(user, actions.REPORTERS),
            may_define=ctx["can_edit"] and access.holds_role(user, actions.DEFINERS),
            editable_periods=set(
                Period.objects.editable_by(user)
                .filter(indicator=indicator)
                .values_list("pk", flat=True)
            )
            if self.tab == "overview"
            else set(),
            responsible=related(indicator, "responsible_org", user),
            may_release=_may_release(user, indicator),
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
        parts = list(
            Disaggregation.objects.visible_to(user)
            .filter(update=update)
            .order_by("dimension", "category")
        )
        ctx.update(
            parts=parts,
            reported_for=related(update, "owner_org", user),
            # The period and indicator it names too (R-SEC-01).
            page_records=[
                *ctx["page_records"],
                *parts,
                *(r for r in (period, indicator) if r is not None),
                *findings.measures_named([indicator], user),
            ],
            period=period,
            indicator=indicator,
            indicator_name=findings.related_name(indicator, user) if indicator else "",
            actions_now=lifecycle.names(UPDATE.actions_now(user, update.status, may=may)),
            entered_by=_person(user, update, "entered_by"),
            decided_by=_person(user, update, "decided_by"),
            may_add_evidence=update.is_editable and ctx["can_edit"],
            may_change=update.is_editable
            and ctx["can_edit"]
            and access.holds_role(user, actions.REPORTERS),
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
        subject = related(evaluation, "activity", user) or related(evaluation, "imo", user)
        ctx.update(
            rows=rows,
            # The findings, their citations, the evidence and the subject they name (R-SEC-01).
            page_records=[
                *ctx["page_records"],
                *shown,
                *(e for _, evidence in rows for e in evidence if hasattr(e, "marking")),
                *([subject] if subject is not None else []),
            ],
            subject=subject,
            actions_now=lifecycle.names(EVALUATION.actions_now(user, evaluation.status))
            if ctx["can_edit"]
            else [],
            overdue=rules.evaluation_overdue(
                evaluation.status, evaluation.due_on, clock.today_for(user)
            ),
            is_open=not EVALUATION.problem("cancel", evaluation.status),
            may_evaluate=ctx["can_edit"] and access.holds_role(user, actions.EVALUATORS),
            may_learn=access.holds_role(user, actions.LESSON_WRITERS),
            unjudged=rules.unjudged_criteria(
                evaluation.criteria_list, [f.criterion for f, _ in rows]
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
        if ctx["source"] is not None:  # named on the page: under the banner (R-SEC-01)
            ctx["page_records"] = [*ctx["page_records"], ctx["source"]]
        ctx["may_change"] = ctx["can_edit"] and access.holds_role(user, actions.LESSON_WRITERS)
        return ctx


# --- actions from the pages ----------------------------------------------------------------------


def _pk(value) -> int:
    """A record id from a form, 0 (no record) when it is not one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else 0


@login_required
@_for(actions.REPORTERS)
def report(request, pk):
    """Enter an update (a draft) for one of the indicator's periods: value, narrative,
    disaggregation rows and an evidence file, saved together or not at all (R-AME-01: baseline
    first; the refusal says why)."""
    user = request.user
    indicator = visible_or_404(Indicator, user, pk)
    sheet = findings.sheet_of(indicator, user)
    periods = Period.objects.visible_to(user).filter(indicator=indicator).order_by("period_start")
    hint = ""
    if sheet is not None:
        scale = rules.scale_levels(indicator.scale)
        hint = f" ({sheet.unit})" if sheet.unit else (f" (level 1–{len(scale)})" if scale else "")
    form = forms.ReportForm(
        request.POST or None, request.FILES or None, periods=periods, unit_hint=hint
    )
    if request.method == "GET" and request.GET.get("period"):
        form.initial["period"] = _pk(request.GET.get("period"))
    parts, posted = _parts(request)
    if request.method == "POST" and form.is_valid() and (not posted or parts.is_valid()):
        data = form.cleaned_data
        saved = save_from_form(
            form,
            lambda: actions.report_update(
                user,
                data["period"],
                data["value"],
                narrative=data["narrative"],
                parts=parts.rows() if posted else [],
                evidence_title=data["evidence_title"],
                evidence_file=data["evidence_file"],
            ),
        )
        if saved is not None:
            messages.success(request, "Update saved as a draft: submit it when it is complete.")
            return redirect(saved.get_absolute_url())
    problem = rules.baseline_problem(sheet) if sheet is not None else None
    name = findings.related_name(indicator, user)
    return form_page(
        request,
        form,
        None,
        f"Report an actual: {name}",
        indicator.get_absolute_url(),
        section=SECTION,
        template="assessment/parts_form.html",
        parts=parts,
        parts_legend="The actual by dimension",
        multipart=True,
        submit_label="Save as draft",
        page_records=[indicator, *findings.measures_named([indicator], user)],
        baseline_missing=problem,
        about={
            "heading": "Reporting an actual",
            "lines": [
                "The update is saved as a draft; submit it for approval from its page. "
                "Someone other than its author approves it (R-SEC-11).",
                "Evidence files are kept as documents of the update, marked like it.",
            ],
        },
    )


@login_required
@require_POST
def update_act(request, pk, what):
    update = visible_or_404(Update, request.user, pk)
    stale = stale_answer(request, update)
    if stale:
        return stale
    comment = request.POST.get("comment", "")
    calls = {
        "submit": lambda: actions.submit_update(request.user, update),
        "approve": lambda: actions.approve_update(request.user, update, comment=comment),
        "return": lambda: actions.return_update(request.user, update, comment=comment),
        "evidence": lambda: actions.add_evidence(
            request.user,
            update,
            title=request.POST.get("title", ""),
            file=request.FILES.get("file"),
        ),
    }
    return run_step(request, update, what, calls, UPDATE_DONE.get)


# What each step button of an update says when it succeeds.
UPDATE_DONE = {
    "submit": "Submitted for approval.",
    "approve": "Approved.",
    "return": "Returned to its author.",
    "evidence": "Evidence attached (see the Documents tab).",
}


@login_required
@require_POST
def public_release(request, kind, pk):
    """R-SEC-10: a foreign disclosure officer approves a result or indicator for the IATI file."""
    model = {"results": Result, "indicators": Indicator}.get(kind)
    if model is None:
        raise Http404
    record = visible_or_404(model, request.user, pk)
    run_action(
        request,
        lambda: actions.approve_public_release(
            request.user, record, reason=request.POST.get("reason", "")
        ),
        "Approved for public release: it is published in the IATI file.",
    )
    return redirect(record.get_absolute_url())


def _may_release(user, record) -> bool:
    return not record.public_release and access.holds_role(
        user,
        actions.RELEASERS,
        Organization.objects.system().filter(pk=record.owner_org_id).first(),
    )


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
    return run_step(
        request,
        evaluation,
        what,
        calls,
        lambda step: f"Evaluation: {EVALUATION[step].label.lower()} done.",
    )


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
def campaign_objective(request, pk):
    """A campaign objective (a theater end state or SC objective): its results, the IMOs/outcomes
    that serve it, and its indicators rolled up from theirs (issue 17 item 10); `?format=xlsx`
    downloads the roll-up."""
    user = request.user
    end_state = visible_or_404(EndState, user, pk)
    tables = rollup.tables_for_campaign_objective(end_state, user)
    if request.GET.get("format") == "xlsx":
        return rollup.xlsx_report(end_state, tables, kind="objective").response()
    results = list(Result.objects.visible_to(user).filter(end_state=end_state))
    imos = list(IntermediateObjective.objects.visible_to(user).filter(end_state=end_state))
    return render(
        request,
        "assessment/campaign_objective.html",
        {
            "section": SECTION,
            "object": end_state,
            "plan": related(end_state, "campaign_plan", user),
            "results": results,
            "imos": imos,
            "rollups": tables,
            "page_records": [
                end_state,
                *results,
                *imos,
                *(r for t in tables for r in t.records),
            ],
        },
    )


@login_required
def roi(request):
    if request.GET.get("format") == "xlsx":
        return logframe.roi_xlsx(logframe.roi_rows(request.user), request.user).response()
    try:
        page = keyset.paginate(
            logframe.roi_objectives(request.user),
            logframe.ROI_PAGE,
            request.GET.get("cursor") or None,
        )
    except keyset.BadCursor as exc:
        messages.warning(request, exc.messages[0])
        return redirect(reverse("assessment:roi"))
    rows = logframe.roi_rows(request.user, page.rows)
    return render(
        request,
        "assessment/roi.html",
        {
            "section": SECTION,
            "rows": rows,
            "chart": charts.roi_svg(rows),
            "keyset_page": page,
            **keyset.page_links(request, page),
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
            # The objectives it names as well as their assessments (R-SEC-01).
            page_records=[
                *ctx["page_records"],
                *(r for imo, e in entries for r in (imo, e) if r is not None),
            ],
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
    return run_step(request, assessment, what, calls, "Saved.")


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
                *(t for t, _ in targets),
                *findings.measures_named(
                    [*indicators, *(r[2] for r in rows), *(t for t, _ in targets)], user
                ),
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
