"""Analysis pages: the program catalog, capabilities-based analyses, scenarios and the unfunded
requirements. Reads through the door; writes through analysis.actions; findings with their rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from secoop.core import keyset
from secoop.core.list_exports import Marked
from secoop.core.lists import Column
from secoop.core.lists import RecordListView
from secoop.core.permissions import REGISTRY
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
from . import exports
from . import filters
from . import rules
from . import solving
from .forms import AnalysisForm
from .forms import GapForm
from .forms import OptionForm
from .forms import ProgramCreateForm
from .forms import ProgramForm
from .forms import ResourceForm
from .forms import ScenarioForm
from .models import CapabilityAnalysis
from .models import Gap
from .models import PlannedResource
from .models import Program
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioCountry
from .models import ScenarioPlan
from .models import SolutionOption

SECTION = Section("Analysis", "analysis:index", ("analysis/analysis.css",))
PAGE_ROWS = 50  # unfunded requirements a page


def _may(user, action: str) -> bool:
    return REGISTRY[f"secoop.analysis.actions.{action}"].permits(user)


# --- overview ----------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    analyses = list(
        CapabilityAnalysis.objects.visible_to(user)
        .select_related("country")
        .order_by("country__name", "title")[:30]
    )
    scenarios = list(Scenario.objects.visible_to(user).order_by("-start_fy", "title")[:20])
    # The tile counts the unfunded requirements in SQL (bounded) and marks the page with what they
    # hold, without reading them (issue 15 item 4: thousands of options at enterprise scale).
    unfunded_count, unfunded_marking = solving.unfunded_summary(user)
    programs = list(Program.objects.visible_to(user))
    return render(
        request,
        "analysis/index.html",
        {
            "section": SECTION,
            "analyses": analyses,
            "scenarios": scenarios,
            "unfunded_count": unfunded_count,
            "programs": len(programs),
            "may_create_analysis": may_create(user, CapabilityAnalysis),
            "may_create_scenario": may_create(user, Scenario) and _may(user, "solve_scenario"),
            # The tiles count unfunded requirements and programs: the banner covers what they
            # count, not only what the page names (decision 0047).
            "page_records": [*analyses, *scenarios, *programs, Marked(unfunded_marking)],
        },
    )


# --- the program catalog --------------------------------------------------------------------------


class ProgramList(RecordListView):
    model = Program
    filterset_class = filters.ProgramListFilter
    default_sort = "key"
    title = "SC program catalog"
    intro = (
        "Security cooperation programs and authorities: who funds and executes each, what it may "
        "buy (DOTMLPF-P), its limits, money lifespan, timelines and notifications — each with its "
        "source and the date it was read as in force (SPEC §3 step 6)."
    )
    columns = [
        Column("Key", "key", sort="key", link=True),
        Column("Program", "name", sort="name"),
        Column("Authority", "authority"),
        Column("Title", "title_code", sort="title_code"),
        Column("May buy", "dotmlpf"),
        Column("BPC", "is_bpc", sort="is_bpc"),
        Column("Money (years)", "lifespan_years", sort="lifespan_years"),
        Column("Lead time (months)", "lead_time_months", sort="lead_time_months"),
        Column("Status", "get_status_display", sort="status"),
    ]
    create_url_name = "analysis:program-create"
    export_columns = [
        Column("Executes", "executes"),
        Column("Eligibility", "eligibility"),
        Column("Notification", "notification"),
        Column("Submission", "submission_deadline"),
        Column("Source", "source"),
        Column("In force from", "effective_from"),
        Column("Unconfirmed", "unconfirmed"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not _may(self.request.user, "create_program"):
            ctx["create_url_name"] = None
        return ctx


class AnalysisDetailBase(RecordDetailView):
    tabs = ("overview", "history")
    section = SECTION


class ProgramDetail(AnalysisDetailBase):
    model = Program
    template_name = "analysis/program_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = _may(self.request.user, "update_program")
        return ctx


@login_required
def program_edit(request, pk):
    user = request.user
    if not _may(user, "update_program"):
        raise PermissionDenied("The catalog is kept by DSCA staff and administrators.")
    program = visible_or_404(Program, user, pk)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        saved = save_from_form(
            form,
            lambda: actions.update_program(
                user,
                Program.objects.visible_to(user).get(pk=pk),
                form.changes(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if saved is not None:
            messages.success(request, f"Saved {saved.key}.")
            return redirect(saved.get_absolute_url())
        program.refresh_from_db()
    return form_page(
        request, form, program, f"Edit {program.key}", program.get_absolute_url(), section=SECTION
    )


def _no_update(*args, **kwargs):
    raise Http404


@login_required
def program_create(request):
    """Add a program to the catalog (DSCA staff and administrators): core's record form, saved by
    actions.create_program with its source (a fact without one is refused)."""
    if not _may(request.user, "create_program"):
        raise PermissionDenied("The catalog is kept by DSCA staff and administrators.")
    return record_form(
        request,
        Program,
        ProgramCreateForm,
        None,
        create=actions.create_program,
        update=_no_update,
        noun="SC program",
        list_name="analysis:programs",
        section=SECTION,
        only_if_may_create=False,
    )


# --- analyses ------------------------------------------------------------------------------------


class AnalysisList(RecordListView):
    model = CapabilityAnalysis
    filterset_class = filters.AnalysisListFilter
    select_related = ("country", "owner_org")
    default_sort = "country__name"
    title = "Capabilities-based analyses"
    intro = (
        "Per IMO and partner role: the partner's desire (R-CBA-02), required and current "
        "capability, gaps by DOTMLPF-P (R-CBA-01), solution options and the investment "
        "considerations (R-CBA-03)."
    )
    create_url_name = "analysis:analysis-create"
    columns = [
        Column("Analysis", "title", sort="title", link=True),
        Column("Country", "country.name", sort="country__name"),
        Column("Role", "get_role_kind_display", sort="role_kind"),
        Column("Partner desire", "get_partner_desire_display", sort="partner_desire"),
        Column("Status", "status_label", sort="status"),
        Column("Owner", "owner_org.short_name", sort="owner_org__short_name"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not may_create(self.request.user, CapabilityAnalysis):
            ctx["create_url_name"] = None
        return ctx


def option_rows(user, options) -> list[dict]:
    """Each option with its costs, programs, support and the sweet-spot picture (R-CBA-04),
    ranked by value per dollar, the sweet spot first among equals."""
    rows = []
    for o in options:
        costs = {c.fiscal_year: c.amount for c in o.costs.all()}
        total = sum(costs.values(), start=0)
        rows.append(
            {
                "option": o,
                "costs": sorted(costs.items()),
                "total": total,
                "programs": list(o.programs.all()),
                "support": o.support,
                "venn": mark_safe(rules.sweet_spot_svg(o.support, title=o.title)),  # noqa: S308 (built and escaped by rules.sweet_spot_svg)
                "rank": rules.rank_key(float(o.expected_effect), o.support, total),
            }
        )
    return sorted(rows, key=lambda r: r["rank"])


def rows_records(rows: list[dict]) -> list:
    """What option rows show besides the options: their costs (listed and added up) and the
    programs they name; the page's banner covers them (R-SEC-01, decision 0047)."""
    return [r for row in rows for r in (*row["option"].costs.all(), *row["programs"])]


def _options(user, queryset):
    return queryset.prefetch_related(
        GuardedPrefetch("costs", user),
        GuardedPrefetch("programs", user),
        GuardedPrefetch("requires", user),
    )


class AnalysisDetail(AnalysisDetailBase):
    model = CapabilityAnalysis
    template_name = "analysis/analysis_detail.html"
    select_related = ("country", "owner_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, a = self.request.user, self.object
        gaps = list(Gap.objects.visible_to(user).filter(analysis=a))
        options = list(
            _options(user, SolutionOption.objects.visible_to(user).filter(gap__analysis=a))
        )
        resources = list(PlannedResource.objects.visible_to(user).filter(gap__analysis=a))
        by_gap = {
            g.pk: {
                "gap": g,
                "options": option_rows(user, [o for o in options if o.gap_id == g.pk]),
                "resources": [r for r in resources if r.gap_id == g.pk],
            }
            for g in gaps
        }
        imo = related(a, "imo", user)
        findings = rules.ready_findings(actions.ready_facts(a, user)) if ctx["can_edit"] else []
        ctx.update(
            imo=imo,
            gaps=list(by_gap.values()),
            desire_flag=rules.desire_flag(a.partner_desire),
            considerations=[
                (label, question, getattr(a, key)) for key, label, question in rules.CONSIDERATIONS
            ],
            findings=findings,
            transitions=rules.ANALYSIS.actions_now(user, a.status) if ctx["can_edit"] else [],
        )
        # The page's head names the IMO on every tab; the overview shows the rest.
        rows = [row for g in by_gap.values() for row in g["options"]]
        shown = [imo] + (
            gaps + options + resources + rows_records(rows) if ctx["tab"] == "overview" else []
        )
        ctx["page_records"] = [r for r in ctx["page_records"] + shown if r is not None]
        return ctx


def _edit(request, model, form_class, pk, noun, list_name, **extra):
    return record_form(
        request,
        model,
        form_class,
        pk,
        create=actions.create,
        update=actions.update,
        noun=noun,
        list_name=list_name,
        section=SECTION,
        **extra,
    )


@login_required
def analysis_edit(request, pk=None):
    return _edit(request, CapabilityAnalysis, AnalysisForm, pk, "capabilities-based analysis", "analysis:analyses")  # fmt: skip


def _from_link(request, form_class, parent: str):
    """The form, its parent chosen when the page was opened from the parent's page (?gap=3)."""
    value = request.GET.get(parent, "")
    if not value.isdigit():
        return form_class

    class Form(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial.setdefault(parent, int(value))

    return Form


@login_required
def gap_edit(request, pk=None):
    form = _from_link(request, GapForm, "analysis")
    return _edit(request, Gap, form, pk, "capability gap", "analysis:analyses")


@login_required
def resource_edit(request, pk=None):
    form = _from_link(request, ResourceForm, "gap")
    return _edit(request, PlannedResource, form, pk, "resource planned by others", "analysis:analyses")  # fmt: skip


def _option_rows(user, saved, form, reason):
    actions.set_costs(user, saved, form.cleaned_data["costs"], reason=reason)
    actions.set_links(user, saved, **form.links(), reason=reason)


@login_required
def option_edit(request, pk=None):
    """An option, its costs by fiscal year and its links, saved in one transaction."""
    form = _from_link(request, OptionForm, "gap")
    return _edit(request, SolutionOption, form, pk, "solution option", "analysis:analyses", then=_option_rows)  # fmt: skip


class OptionDetail(AnalysisDetailBase):
    model = SolutionOption
    template_name = "analysis/option_detail.html"

    def get_queryset(self):
        return _options(self.request.user, super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, o = self.request.user, self.object
        gap = related(o, "gap", user)
        analysis = related(gap, "analysis", user) if gap else None
        ctx.update(gap=gap, analysis=analysis, row=option_rows(user, [o])[0])
        # The head (eyebrow, breadcrumbs) names the gap and the analysis on every tab.
        ctx["page_records"] += [r for r in (gap, analysis) if r is not None]
        if ctx["tab"] == "overview":
            ctx["page_records"] += rows_records([ctx["row"]])
        return ctx


@login_required
@require_POST
def analysis_transition(request, pk, transition):
    user = request.user
    analysis = visible_or_404(CapabilityAnalysis, user, pk)
    calls = {"ready": actions.mark_ready, "reopen": actions.reopen_analysis}
    if transition not in calls:
        raise Http404
    run_action(
        request,
        lambda: calls[transition](user, analysis, reason=request.POST.get("reason", "")),
        f"{rules.ANALYSIS[transition].label}: done.",
        forbid=True,
    )
    return redirect(analysis.get_absolute_url())


# --- scenarios ------------------------------------------------------------------------------------


class ScenarioList(RecordListView):
    model = Scenario
    filterset_class = filters.ScenarioListFilter
    select_related = ("owner_org",)
    default_sort = "-start_fy"
    title = "Resourcing scenarios"
    intro = "Budgets per program and fiscal year and the weights of the objectives; each solved by the optimizer and by the greedy baseline, side by side."
    create_url_name = "analysis:scenario-create"
    columns = [
        Column("Scenario", "title", sort="title", link=True),
        Column("Command", "ccmd", sort="ccmd"),
        Column("Period", "period_label", sort="start_fy"),
        Column("Status", "status_label", sort="status"),
        Column("Owner", "owner_org.short_name", sort="owner_org__short_name"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not (
            may_create(self.request.user, Scenario) and _may(self.request.user, "solve_scenario")
        ):
            ctx["create_url_name"] = None
        return ctx


def _scenario_rows(user, saved, form, reason):
    actions.set_scenario_inputs(
        user,
        saved,
        budgets=form.cleaned_data["budget_lines"],
        countries=form.cleaned_data["country_rows"],
        weights=form.cleaned_data["weights"],
        reason=reason,
    )


@login_required
def scenario_edit(request, pk=None):
    """A scenario with its budgets and countries, saved in one transaction; a new one only for
    those who may also solve it."""
    if pk is None and not _may(request.user, "solve_scenario"):
        raise Http404("No scenario form for you.")
    return _edit(request, Scenario, ScenarioForm, pk, "scenario", "analysis:scenarios", then=_scenario_rows)  # fmt: skip


def plan_view(user, plans: dict[str, ScenarioPlan]) -> dict:
    """The plans side by side: each chosen option with its start, program and cost; every option
    either plan left unfunded with each plan's reason (R-CBA-06). Titles through the door."""
    keys = set()
    for plan in plans.values():
        keys |= set(plan.options)
    ids = [solving.option_id(k) for k in keys]
    shown = {
        o.pk: o
        for o in SolutionOption.objects.visible_to(user).filter(pk__in=[i for i in ids if i])
    }

    def title(key):
        o = shown.get(solving.option_id(key))
        return o if o is not None else "(restricted)"

    titles = {solving.option_key(pk): o.title for pk, o in shown.items()}

    def words(reason):
        return solving.in_words(reason, titles) if reason else reason

    methods = [m for m in ("milp", "greedy") if m in plans]
    chosen = {}
    for m in methods:
        plan = plans[m]
        chosen[m] = [
            {
                "option": title(c["option"]),
                "key": c["option"],
                "start_fy": c["start_fy"],
                "program": c["program"],
                "country": plan.options.get(c["option"], {}).get("country", ""),
                "cost": sum(
                    (solving.money(x) for x in plan.options.get(c["option"], {}).get("costs", [])),
                    start=solving.money(0),
                ),
            }
            for c in plan.choices
        ]
    unfunded = []
    for key in sorted(keys, key=lambda k: solving.option_id(k) or 0):
        reasons = {m: words(plans[m].not_chosen.get(key)) for m in methods}
        if any(reasons.values()):
            unfunded.append({"option": title(key), "key": key, "reasons": [reasons[m] or "funded" for m in methods]})  # fmt: skip
    return {
        "methods": [plans[m] for m in methods],
        "columns": [{"plan": plans[m], "chosen": chosen[m]} for m in methods],
        "unfunded": unfunded,
        "shown": list(shown.values()),
    }


class ScenarioDetail(AnalysisDetailBase):
    model = Scenario
    template_name = "analysis/scenario_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, s = self.request.user, self.object
        budgets = list(
            ScenarioBudget.objects.visible_to(user).filter(scenario=s).select_related("program")
        )
        countries = list(
            ScenarioCountry.objects.visible_to(user).filter(scenario=s).select_related("country")
        )
        plans = actions.plans_of(user, s)
        view = plan_view(user, plans)
        now = rules.SCENARIO.actions_now(user, s.status) if ctx["can_edit"] else []
        ctx.update(
            budgets=[(b, related(b, "program", user)) for b in budgets],
            countries=countries,
            plans=view,
            transitions=now,
            may_solve="solve" in {t.name for t in now} and not s.is_solving,
            may_commit="commit" in {t.name for t in now},
            others=list(Scenario.objects.visible_to(user).exclude(pk=s.pk).order_by("title")),
            may_copy=_may(user, "copy_scenario") and may_create(user, Scenario),
        )
        if ctx["tab"] == "overview":
            ctx["page_records"] += budgets + countries + list(plans.values()) + view["shown"]
            ctx["page_records"] += [p for _, p in ctx["budgets"] if p is not None]  # named
            ctx["page_records"] += ctx["others"]  # the "compare with" list names each (R-SEC-01)
        return ctx


@login_required
def scenario_progress(request, pk):
    scenario = visible_or_404(Scenario, request.user, pk)
    return render(request, "analysis/includes/progress.html", {"object": scenario})


@login_required
@require_POST
def scenario_solve(request, pk):
    user = request.user
    scenario = visible_or_404(Scenario, user, pk)
    run_action(request, lambda: actions.solve_scenario(user, scenario), "Solved: the optimizer and the greedy baseline are shown side by side.", forbid=True)  # fmt: skip
    return redirect(scenario.get_absolute_url())


@login_required
@require_POST
def scenario_commit(request, pk):
    user = request.user
    scenario = visible_or_404(Scenario, user, pk)
    method = request.POST.get("method", "")
    run_action(
        request,
        lambda: actions.commit_scenario(
            user, scenario, method, reason=request.POST.get("reason", "")
        ),
        "Committed: the chosen options are now proposed activities in planning.",
        forbid=True,
    )
    return redirect(scenario.get_absolute_url())


@login_required
@require_POST
def scenario_copy(request, pk):
    """A draft copy of the scenario (its budgets, countries and weights), to try a variant."""
    user = request.user
    scenario = visible_or_404(Scenario, user, pk)
    made = []
    title = request.POST.get("title", "")
    if run_action(
        request,
        lambda: made.append(actions.copy_scenario(user, scenario, title=title)),
        "Copied: change the copy's budgets, countries or weights, then solve it.",
        forbid=True,
    ):
        return redirect(made[0].get_absolute_url())
    return redirect(scenario.get_absolute_url())


@login_required
def scenario_compare(request):
    """Two scenarios side by side: what each funds, its value and its unfunded list."""
    user = request.user
    scenarios = Scenario.objects.visible_to(user)
    picked = []
    for name in ("a", "b"):
        value = request.GET.get(name, "")
        s = scenarios.filter(pk=value).first() if value.isdigit() else None
        if s is not None:
            plans = actions.plans_of(user, s)
            picked.append({"scenario": s, "plans": plan_view(user, plans)})
    choices = list(scenarios.order_by("title"))
    records = [p["scenario"] for p in picked] + choices  # the two selects name every scenario
    for p in picked:
        records += p["plans"]["methods"] + p["plans"]["shown"]
    return render(
        request,
        "analysis/compare.html",
        {
            "section": SECTION,
            "picked": picked,
            "choices": choices,
            "page_records": records,
        },
    )


@login_required
def scenario_xlsx(request, pk):
    scenario = visible_or_404(Scenario, request.user, pk)
    return exports.scenario_report(request.user, scenario).response()


@login_required
def unfunded(request):
    """R-CBA-06: requirements kept and shown, with the reason each is not funded — a keyset page
    of 50 options at a time (issue 15 item 1); the workbook has them all."""
    user = request.user
    if request.GET.get("format") == "xlsx":
        return exports.unfunded_report(user, solving.unfunded_requirements(user)).response()
    reasons = solving.plan_reasons(user)
    options = solving.unfunded_options(user, reasons[0])
    try:
        page = keyset.paginate(
            options.prefetch_related(GuardedPrefetch("costs", user)),
            PAGE_ROWS,
            request.GET.get("cursor") or None,
        )
    except keyset.BadCursor as exc:
        messages.warning(request, exc.messages[0])
        return redirect(reverse("analysis:unfunded"))
    rows = solving.unfunded_requirements(user, page.rows, reasons)
    return render(
        request,
        "analysis/unfunded.html",
        {
            "section": SECTION,
            "rows": rows,
            "count": keyset.bounded_count(options),
            "keyset_page": page,
            **keyset.page_links(request, page),
            "page_records": [rec for r in rows for rec in solving.row_records(r)],
        },
    )
