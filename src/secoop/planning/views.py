"""Planning pages: lists, details and forms. Reads through the door (related rows prefetched
through it), writes through planning.actions; rule findings shown with their rule id."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models import F
from django.db.models import Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from secoop.core import clock
from secoop.core import lifecycle
from secoop.core.lists import Column
from secoop.core.lists import RecordListView
from secoop.core.markings import Marking
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.core.viewkit import Section
from secoop.core.viewkit import form_page
from secoop.core.viewkit import may_create
from secoop.core.viewkit import record_form
from secoop.core.viewkit import run_action
from secoop.core.viewkit import save_from_form
from secoop.core.viewkit import visible_or_404
from secoop.core.views import RecordDetailView

from . import actions
from . import filters
from . import findings
from . import rules
from .forms import SMART_FIELDS
from .forms import ActivityForm
from .forms import AssessForm
from .forms import AssumptionForm
from .forms import CampaignPlanForm
from .forms import CompleteForm
from .forms import CountryPlanForm
from .forms import FundingFormSet
from .forms import ImoForm
from .forms import ReasonForm
from .forms import ReviewForm
from .models import Activity
from .models import ActivityDependency
from .models import ActivityFunding
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import GuidanceDocument
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Measure
from .models import Phase
from .models import PlanningAssumption
from .models import PlanningEvent

# --- helpers -----------------------------------------------------------------------------------


def _measures(user):
    return GuardedPrefetch("measures", user)


def _imo_rows(user, queryset):
    """IMOs with their SMART findings (measures prefetched through the door)."""
    rows = []
    for imo in queryset.select_related("line_of_effort__campaign_plan").prefetch_related(
        _measures(user)
    ):
        plan_end = findings.plan_end(imo, user)
        rows.append((imo, findings.imo_findings(imo, imo.measures.all(), plan_end)))
    return rows


SECTION = Section("Planning", "planning:index", ("planning/planning.css",))


# --- overview ----------------------------------------------------------------------------------


@login_required
def index(request):
    """Planning at a glance: plans, country plans and what needs attention (R-PLN-01/02/04/06)."""
    user = request.user
    today = clock.today_for(request.user)
    plans = list(
        CampaignPlan.objects.visible_to(user)
        .select_related("owner_org")
        .order_by("-start_fy", "title")[:20]
    )
    country_plans = list(
        CountryPlan.objects.visible_to(user)
        .select_related("country", "campaign_plan")
        .order_by("country__name", "-version")[:20]
    )
    imos = IntermediateObjective.objects.visible_to(user)
    failing = [(imo, f) for imo, f in _imo_rows(user, imos) if f]
    acts = Activity.objects.visible_to(user)
    counts = {
        "activities": acts.count(),
        "unlinked": acts.filter(rules.unlinked_q()).count(),
        "overdue": acts.filter(rules.assessment_overdue_q()).count(),
        "imos": len(failing),
        "assumptions": PlanningAssumption.objects.visible_to(user)
        .filter(rules.assumption_overdue_q(today))
        .count(),
    }
    events = list(
        PlanningEvent.objects.visible_to(user)
        .filter(end_date__gte=today)
        .order_by("start_date")[:6]
    )
    return render(
        request,
        "planning/index.html",
        {
            "plans": plans,
            "country_plans": country_plans,
            "failing": failing[:10],
            "counts": counts,
            "events": events,
            "may_create_activity": may_create(user, Activity),
            "page_records": plans + country_plans + [i for i, _ in failing[:10]] + events,
        },
    )


# --- lists -------------------------------------------------------------------------------------


class PlanningList(RecordListView):
    """A list whose banner also covers the related records its columns name."""

    banner_related: tuple[str, ...] = ()
    create_label = ""  # a named create button ("New country plan") instead of the plain "New"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not may_create(user, self.model):
            ctx["create_url_name"] = None
        elif self.create_label:
            ctx.update(
                create_label=self.create_label,
                create_url=reverse(self.create_url_name),
                create_url_name=None,
            )
        extra = [
            related(obj, name, user) for obj in ctx["page_records"] for name in self.banner_related
        ]
        ctx["page_records"] = ctx["page_records"] + [r for r in extra if r is not None]
        return ctx


class ActivityList(PlanningList):
    banner_related = ("line_of_activity",)
    model = Activity
    filterset_class = filters.ActivityListFilter
    select_related = (
        "owner_org",
        "line_of_activity__imo__line_of_effort__campaign_plan",
        "country",
    )
    default_sort = "start_date"
    title = "Activities"
    create_url_name = "planning:activity-create"
    intro = "Activities, events, operations and investments — the “means” — with the line of activity each serves (R-PLN-08)."
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Type", "get_activity_type_display", sort="activity_type"),
        Column("Start", "start_date", sort="start_date"),
        Column("End", "end_date", sort="end_date"),
        Column("Status", "get_status_display", sort="status"),
        Column("Country", "country.name", sort="country__name"),
        Column("Sponsor", "owner_org.short_name", sort="owner_org__short_name"),
        Column("Line of activity", "line_of_activity.name"),
        Column("Flags", "col_flags"),
    ]

    def col_flags(self, a):
        out = []
        if a.unlinked:
            out.append("Unlinked (R-PLN-01)")
        if a.assessment_overdue:
            out.append("Assessment overdue (R-PLN-06)")
        return "; ".join(out)


class ImoList(PlanningList):
    banner_related = ("line_of_effort",)
    model = IntermediateObjective
    filterset_class = filters.ImoListFilter
    select_related = ("line_of_effort__campaign_plan",)
    default_sort = "deadline"
    title = "IMOs / outcomes"
    create_url_name = "planning:imo-create"
    intro = "Intermediate military objectives (also called outcomes) and whether each is SMART (R-PLN-02)."
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Term", "get_term_display", sort="term"),
        Column("LOE / SSCI", "line_of_effort.name"),
        Column("Priority", "priority", sort="priority"),
        Column("Deadline", "deadline", sort="deadline"),
        Column("SMART (R-PLN-02)", "col_smart"),
    ]

    def base_queryset(self):
        return super().base_queryset().prefetch_related(_measures(self.request.user))

    def col_smart(self, imo):
        found = findings.imo_findings(
            imo, imo.measures.all(), findings.plan_end(imo, self.request.user)
        )
        return "SMART" if not found else "Fails " + ", ".join(rules.failing_letters(found))


class CampaignPlanList(RecordListView):
    model = CampaignPlan
    filterset_class = filters.CampaignPlanListFilter
    select_related = ("owner_org",)
    default_sort = "-start_fy"
    title = "Campaign plans"
    create_url_name = "planning:plan-create"
    intro = "Global, functional and combatant command campaign plans and campaign support plans; each spans 3 to 5 fiscal years (R-PLN-03)."
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Kind", "get_kind_display", sort="kind"),
        Column("Owner", "owner_org.short_name", sort="owner_org__short_name"),
        Column("Period", "period_label", sort="start_fy"),
        Column("Status", "get_status_display", sort="status"),
    ]


class CountryPlanList(PlanningList):
    banner_related = ("campaign_plan",)
    model = CountryPlan
    filterset_class = filters.CountryPlanListFilter
    select_related = ("country", "owner_org", "campaign_plan")
    default_sort = "country__name"
    title = "Country plans (CSCS)"
    intro = "Country-specific security cooperation sections of the campaign plans, updated at least annually (R-PLN-05)."
    create_url_name = "planning:country-plan-create"
    create_label = "New country plan"
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Country", "country.name", sort="country__name"),
        Column("Version", "version", sort="version"),
        Column("Issued", "issued_on", sort="issued_on"),
        Column("Period", "period_label", sort="start_fy"),
        Column("Campaign plan", "campaign_plan.title"),
    ]


class AssumptionList(PlanningList):
    banner_related = ("campaign_plan",)
    model = PlanningAssumption
    filterset_class = filters.AssumptionListFilter
    select_related = ("campaign_plan", "owner_org")
    default_sort = "review_on"
    title = "Planning assumptions"
    intro = "Assumptions recorded with their plan, each valid and necessary, reviewed by its date (R-PLN-04)."
    create_url_name = "planning:assumption-create"
    create_label = "New assumption"
    columns = [
        Column("Assumption", "statement", sort="statement", link=True),
        Column("Valid", "valid", sort="valid"),
        Column("Necessary", "necessary", sort="necessary"),
        Column("Review by", "review_on", sort="review_on"),
        Column("Review", "col_review"),
        Column("Plan", "campaign_plan.title"),
    ]

    def col_review(self, a):
        return "Past review date (R-PLN-04)" if a.review_overdue(timezone.localdate()) else ""


class GuidanceList(RecordListView):
    model = GuidanceDocument
    filterset_class = filters.GuidanceListFilter
    select_related = ("owner_org", "country")
    default_sort = "kind"
    title = "Guidance"
    intro = "The guidance plans derive from: NSS, NDS, NMS, JSCP, GEF / SC planning guidance; DoS JSP, JRS, FBS, ICS; USAID CDCS."
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Kind", "get_kind_display", sort="kind"),
        Column("Issued by", "issued_by", sort="issued_by"),
        Column("Issued", "issued_on", sort="issued_on"),
        Column("Country", "country.name", sort="country__name"),
    ]


class PlanningEventList(RecordListView):
    model = PlanningEvent
    filterset_class = filters.PlanningEventListFilter
    select_related = ("owner_org", "country")
    default_sort = "start_date"
    title = "Annual planning meetings"
    intro = "Theater Strategy Conference, Regional Working Group, SCETWG (usually March–June) and Annual Planning Conference (R-PLN-07)."
    columns = [
        Column("Meeting", "title", sort="title"),
        Column("Kind", "get_kind_display", sort="kind"),
        Column("Fiscal year", "fiscal_year", sort="fiscal_year"),
        Column("Start", "start_date", sort="start_date"),
        Column("End", "end_date", sort="end_date"),
        Column("Where", "location"),
        Column("Host", "owner_org.short_name"),
    ]


# --- details -----------------------------------------------------------------------------------


class PlanningDetail(RecordDetailView):
    """Detail page; the banner covers what the tab shows: the record, the related records named
    in the page head on every tab, and those the overview shows on the overview."""

    tabs = ("overview", "related", "history")
    section = SECTION
    with_today = True


class PlanDetail(PlanningDetail):
    model = CampaignPlan
    template_name = "planning/plan_detail.html"

    select_related = ("owner_org", "supports")

    def related(self):
        user, plan = self.request.user, self.object
        return {
            "Country plans (CSCS)": list(
                CountryPlan.objects.visible_to(user)
                .filter(campaign_plan=plan)
                .select_related("country")
            ),
            "Assumptions": list(
                PlanningAssumption.objects.visible_to(user).filter(campaign_plan=plan)
            ),
            "Guidance": list(GuidanceDocument.objects.visible_to(user).filter(plans=plan)),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        end_states = list(EndState.objects.visible_to(user).filter(campaign_plan=plan))
        loes = list(
            LineOfEffort.objects.visible_to(user)
            .filter(campaign_plan=plan)
            .select_related("country", "end_state")
        )
        imo_rows = _imo_rows(
            user,
            IntermediateObjective.objects.visible_to(user).filter(
                line_of_effort__campaign_plan=plan
            ),
        )
        by_loe: dict[int, list] = {}
        for imo, found in imo_rows:
            by_loe.setdefault(imo.line_of_effort_id, []).append((imo, found))
        ctx.update(
            end_states=end_states,
            loes=[(loe, by_loe.get(loe.pk, [])) for loe in loes],
            failing=[(i, f) for i, f in imo_rows if f],
            awaiting_approval=rules.PLAN.allows("approve", plan.status),
            can_approve=ctx["can_edit"]
            and "approve" in lifecycle.names(rules.PLAN.actions_now(user, plan.status)),
        )
        self.shown(
            ctx,
            head=[related(plan, "owner_org", user)],
            overview=[
                *end_states,
                *loes,
                *(i for i, _ in imo_rows),
                related(plan, "supports", user),
            ],
        )
        return ctx


class LoeDetail(PlanningDetail):
    model = LineOfEffort
    template_name = "planning/loe_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("campaign_plan", "end_state__campaign_plan", "country")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, loe = self.request.user, self.object
        rows = _imo_rows(
            user, IntermediateObjective.objects.visible_to(user).filter(line_of_effort=loe)
        )
        ctx.update(imos=rows)
        self.shown(
            ctx,
            head=[related(loe, "campaign_plan", user)],
            overview=[*(i for i, _ in rows), related(loe, "end_state", user)],
        )
        return ctx


class ImoDetail(PlanningDetail):
    model = IntermediateObjective
    template_name = "planning/imo_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("line_of_effort__campaign_plan", "end_state__campaign_plan")
            .prefetch_related(_measures(self.request.user))
        )

    def related(self):
        user, imo = self.request.user, self.object
        return {
            "Lines of activity": list(LineOfActivity.objects.visible_to(user).filter(imo=imo)),
            "Activities": list(
                Activity.objects.visible_to(user)
                .filter(line_of_activity__imo=imo)
                .order_by("start_date")
            ),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, imo = self.request.user, self.object
        measures = list(imo.measures.all())
        ctx.update(
            measures=measures,
            smart=findings.imo_findings(imo, measures, findings.plan_end(imo, user)),
            letters=rules.SMART_LETTERS,
        )
        ctx["failing"] = rules.failing_letters(ctx["smart"])
        self.shown(
            ctx,
            head=[related(imo, "line_of_effort", user)],
            overview=[*measures, related(imo, "end_state", user)],
        )
        return ctx


class ActivityDetail(PlanningDetail):
    model = Activity
    template_name = "planning/activity_detail.html"

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .select_related(
                "owner_org",
                "line_of_activity__imo__line_of_effort__campaign_plan",
                "country",
                "country_plan",
                "phase__country_plan",
            )
            .prefetch_related(
                GuardedPrefetch("funding", user),
                GuardedPrefetch(
                    "depends_on",
                    user,
                    queryset=ActivityDependency.objects.select_related("predecessor"),
                ),
                GuardedPrefetch(
                    "dependents",
                    user,
                    queryset=ActivityDependency.objects.select_related("successor"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, a = self.request.user, self.object
        funding = list(a.funding.all())
        depends_on = [(d, related(d, "predecessor", user)) for d in a.depends_on.all()]
        dependents = [(d, related(d, "successor", user)) for d in a.dependents.all()]
        ctx.update(
            funding=funding,
            funding_total=sum((f.amount for f in funding), start=0),
            depends_on=depends_on,
            dependents=dependents,
            flags=findings.activity_flags(
                a, clock.today_for(self.request.user), a.depends_on.all(), user
            ),
            transitions=rules.TRANSITIONS.actions_now(self.request.user, a.status)
            if ctx["can_edit"]
            else [],
            complete_form=CompleteForm(),
            assess_form=AssessForm(),
            reason_form=ReasonForm(),
        )
        loa = related(a, "line_of_activity", user)
        self.shown(
            ctx,
            overview=[
                *funding,
                loa,
                related(loa, "imo", user),
                related(a, "country_plan", user),
                related(a, "phase", user),
                related(a, "owner_org", user),
                *(p for _, p in depends_on),
                *(s for _, s in dependents),
            ],
        )
        return ctx


PHASE_ROWS = 25  # activities a country plan's page lists per phase; the activities list has all


class CountryPlanDetail(PlanningDetail):
    model = CountryPlan
    template_name = "planning/country_plan_detail.html"

    select_related = ("campaign_plan", "country", "owner_org", "ics")

    def related(self):
        user, cp = self.request.user, self.object
        return {
            "Assumptions": list(PlanningAssumption.objects.visible_to(user).filter(country_plan=cp))
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, cp = self.request.user, self.object
        phases = list(Phase.objects.visible_to(user).filter(country_plan=cp))
        # Issue 15: the first PHASE_ROWS activities of each phase, and how many there are (a
        # large partner's plan has thousands: the page listed them all, 2 MB and seconds).
        mine = Activity.objects.visible_to(user).filter(country_plan=cp)
        counts = dict(mine.order_by().values_list("phase_id").annotate(n=Count("pk")))
        acts = list(
            mine.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("phase_id")],
                    order_by=[F("start_date").asc(), F("title").asc(), F("pk").asc()],
                )
            )
            .filter(rank__lte=PHASE_ROWS)
            .select_related("owner_org")
            .order_by("start_date", "title", "pk")
        )
        by_phase: dict[int | None, list] = {}
        for a in acts:
            by_phase.setdefault(a.phase_id, []).append(a)
        shown = {p.pk for p in phases}
        ctx.update(
            phases=[(p, by_phase.get(p.pk, []), counts.get(p.pk, 0)) for p in phases],
            unphased=[a for a in acts if a.phase_id not in shown],
            unphased_total=sum(n for k, n in counts.items() if k not in shown),
            phase_rows=PHASE_ROWS,
            sections=[(label, getattr(cp, key)) for key, label in rules.CSCS_SECTIONS],
            missing=cp.missing_sections(),
            update_due=rules.cscs_update_due(cp.issued_on),
            total=sum(counts.values()),
        )
        self.shown(
            ctx,
            overview=[
                *phases,
                *acts,
                related(cp, "campaign_plan", user),
                related(cp, "ics", user),
            ],
        )
        return ctx


class AssumptionDetail(PlanningDetail):
    model = PlanningAssumption
    template_name = "planning/assumption_detail.html"

    select_related = ("campaign_plan", "country_plan", "owner_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, a = self.request.user, self.object
        ctx.update(
            overdue=a.review_overdue(clock.today_for(user)),
            problems=[f.message for f in rules.assumption_problems(a.valid, a.necessary)],
        )
        self.shown(
            ctx,
            overview=[related(a, "campaign_plan", user), related(a, "country_plan", user)],
        )
        return ctx


class GuidanceDetail(PlanningDetail):
    model = GuidanceDocument
    template_name = "planning/guidance_detail.html"

    select_related = ("country", "owner_org")

    def related(self):
        return {
            "Plans derived from it": list(
                CampaignPlan.objects.visible_to(self.request.user).filter(guidance=self.object)
            )
        }


# --- forms -------------------------------------------------------------------------------------


_edit = partial(record_form, create=actions.create, update=actions.update, section=SECTION)


@login_required
def plan_edit(request, pk=None):
    return _edit(
        request,
        CampaignPlan,
        CampaignPlanForm,
        pk,
        noun="campaign plan",
        list_name="planning:plans",
    )


def _smart_context(request, form):
    found = _smart_from_data(request, form.data if form.is_bound else None, form.instance)
    return {"smart": found, "letters": rules.SMART_LETTERS, "failing": rules.failing_letters(found)}


@login_required
def imo_edit(request, pk=None):
    return _edit(
        request,
        IntermediateObjective,
        ImoForm,
        pk,
        noun="IMO / outcome",
        list_name="planning:imos",
        template="planning/imo_form.html",
        extra=lambda form: _smart_context(request, form),
    )


def _funding_period(user, form) -> tuple[int, int, str] | None:
    """The fiscal years the activity's funding may fall in (R-PLN-08): its country plan's, else
    the campaign plan of its line of activity; read through the door."""
    data = getattr(form, "cleaned_data", {})
    cp = data.get("country_plan")
    if cp is not None:
        return cp.start_fy, cp.end_fy, f"the country plan “{cp}”"
    loa = data.get("line_of_activity")
    if loa is not None:
        plan = (
            CampaignPlan.objects.visible_to(user)
            .filter(lines_of_effort__imos__lines_of_activity=loa)
            .first()
        )
        if plan is not None:
            return plan.start_fy, plan.end_fy, f"the campaign plan “{plan}”"
    return None


@login_required
def activity_edit(request, pk=None):
    """An activity with its funding lines (R-PLN-08): one save through planning.actions, so bad
    input anywhere saves nothing."""
    user = request.user
    if pk is None and not may_create(user, Activity):
        raise Http404("No activity form for you.")
    instance = get_object_or_404(Activity.objects.editable_by(user), pk=pk) if pk else None
    form = ActivityForm(request.POST or None, instance=instance, user=user)
    initial = (
        [
            {"fiscal_year": f.fiscal_year, "source": f.source, "amount": f.amount, "note": f.note}
            for f in ActivityFunding.objects.visible_to(user).filter(activity_id=pk)
        ]
        if pk
        else []
    )
    # A post without the funding rows (an older page, a script) leaves the funding as it is.
    funding_posted = "funding-TOTAL_FORMS" in request.POST
    funding = FundingFormSet(
        request.POST if funding_posted else None, initial=initial, prefix="funding"
    )
    if request.method == "POST":
        form_ok = form.is_valid()
        funding.period = _funding_period(user, form)
        funding_ok = funding.is_valid() if funding_posted else True
        if form_ok and funding_ok:
            reason = form.cleaned_data["reason"]
            lines = funding.lines() if funding_posted and funding.has_changed() else None
            if instance is None:
                record = form.save(commit=False)
                record.marking = Marking.parse(form.cleaned_data["marking"])
                saved = save_from_form(
                    form, lambda: actions.create(user, record, reason=reason, funding=lines)
                )
            else:
                saved = save_from_form(
                    form,
                    lambda: actions.update(
                        user,
                        Activity.objects.editable_by(user).get(pk=pk),
                        form.changes(),
                        reason=reason,
                        funding=lines,
                    ),
                )
            if saved is not None:
                messages.success(request, f"Saved {saved}.")
                return redirect("planning:activity-detail", pk=saved.pk)
        elif not funding_ok:
            form.add_error(
                None,
                "R-PLN-08: a funding line needs attention: see Funding below. Nothing was saved.",
            )
    cancel = (
        reverse("planning:activity-detail", args=[pk]) if pk else reverse("planning:activities")
    )
    title = f"Edit {instance}" if instance else "New activity"
    return form_page(
        request,
        form,
        instance,
        title,
        cancel,
        section=SECTION,
        template="planning/activity_form.html",
        funding=funding,
    )


@login_required
def country_plan_edit(request, pk=None):
    return _edit(
        request,
        CountryPlan,
        CountryPlanForm,
        pk,
        noun="country plan",
        list_name="planning:country-plans",
    )


@login_required
def assumption_edit(request, pk=None):
    return _edit(
        request,
        PlanningAssumption,
        AssumptionForm,
        pk,
        noun="planning assumption",
        list_name="planning:assumptions",
    )


@login_required
def assumption_review(request, pk):
    """R-PLN-04: mark an assumption reviewed — it still holds; the next review date, with what the
    review found as the reason (planning.actions.update)."""
    user = request.user
    assumption = get_object_or_404(PlanningAssumption.objects.editable_by(user), pk=pk)
    form = ReviewForm(request.POST or None, today=clock.today_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update(
                user,
                PlanningAssumption.objects.editable_by(user).get(pk=pk),
                {"review_on": form.cleaned_data["review_on"]},
                reason=f"Reviewed: {form.cleaned_data['reason']}",
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(
                    "review_on" if "review_on" in getattr(exc, "error_dict", {}) else None, message
                )
        else:
            messages.success(
                request,
                f"Reviewed; next review {rules.fmt(form.cleaned_data['review_on'])} (R-PLN-04).",
            )
            return redirect("planning:assumption-detail", pk=pk)
    return form_page(
        request,
        form,
        assumption,
        f"Review {assumption}",
        reverse("planning:assumption-detail", args=[pk]),
        section=SECTION,
        template="planning/assumption_review.html",
    )


def _smart_from_data(request, data, instance):
    """The SMART findings of an IMO as the form now reads (R-PLN-02)."""
    user = request.user
    form = ImoForm(data, instance=instance, user=user) if data is not None else None
    imo = instance if instance is not None and instance.pk else IntermediateObjective()
    if form is not None:
        form.is_valid()  # fills cleaned_data for the fields that are valid
        for name in (*SMART_FIELDS, "line_of_effort"):
            if name in form.cleaned_data:
                setattr(imo, name, form.cleaned_data[name])
            elif name in ("partner_agreement_on", "deadline", "priority", "end_state"):
                setattr(imo, name, None)
    measures = list(Measure.objects.visible_to(user).filter(imo_id=imo.pk)) if imo.pk else []
    plan_end = None
    if imo.line_of_effort_id:
        plan = (
            CampaignPlan.objects.visible_to(user)
            .filter(lines_of_effort=imo.line_of_effort_id)
            .first()
        )
        plan_end = plan.period_end if plan else None
    return rules.smart(imo.smart_facts(measures, plan_end))


@login_required
def imo_smart_check(request):
    """htmx: the SMART findings as the planner types, letter by letter, with the rule id."""
    instance = None
    pk = request.GET.get("imo")
    if pk and pk.isdigit():
        instance = IntermediateObjective.objects.visible_to(request.user).filter(pk=pk).first()
    found = _smart_from_data(request, request.GET, instance)
    context = {
        "smart": found,
        "letters": rules.SMART_LETTERS,
        "failing": rules.failing_letters(found),
    }
    html = render_to_string("planning/includes/smart.html", context, request=request)
    return HttpResponse(html)


# --- transitions -------------------------------------------------------------------------------


@login_required
@require_POST
def plan_approve(request, pk):
    plan = visible_or_404(CampaignPlan, request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    run_action(
        request,
        lambda: actions.approve_plan(
            request.user, plan, reason=form.cleaned_data.get("reason", "")
        ),
        f"{plan} is approved.",
        forbid=True,
    )
    return redirect("planning:plan-detail", pk=pk)


TRANSITION_ACTIONS = {
    "plan": actions.plan_activity,
    "start": actions.start_activity,
    "complete": actions.complete_activity,
    "cancel": actions.cancel_activity,
}


@login_required
@require_POST
def activity_transition(request, pk, transition):
    if transition not in TRANSITION_ACTIONS:
        raise Http404("No such transition.")
    activity = visible_or_404(Activity, request.user, pk)
    form = CompleteForm(request.POST)
    form.is_valid()
    kwargs = {"reason": form.cleaned_data.get("reason", "")}
    if transition == "complete":
        kwargs["completed_on"] = form.cleaned_data.get("completed_on")
    run_action(
        request,
        lambda: TRANSITION_ACTIONS[transition](request.user, activity, **kwargs),
        f"{activity}: {rules.STATUS_LABELS[rules.TRANSITIONS.target(transition)].lower()}.",
        forbid=True,
    )
    return redirect("planning:activity-detail", pk=pk)


@login_required
@require_POST
def activity_assess(request, pk):
    activity = visible_or_404(Activity, request.user, pk)
    form = AssessForm(request.POST)
    form.is_valid()
    run_action(
        request,
        lambda: actions.record_assessment(
            request.user,
            activity,
            form.cleaned_data.get("assessment", ""),
            assessed_on=form.cleaned_data.get("assessed_on"),
        ),
        "Assessment recorded (R-PLN-06).",
        forbid=True,
    )
    return redirect("planning:activity-detail", pk=pk)
