"""Budget pages: the budget calls and their steps, countries' requests (requirements, versions
with their diffs, hand-offs), forecasts with the Javits and sales-forecast reports, the
consonance check, and the CCMD / DSCA roll-ups with the request-vs-allocation chart. Reads through
the door; writes through budget.actions; refusals shown with their rule id. Partners and
industry see none of it (R-FCT-05): every record here is internal, so the door answers nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from decimal import InvalidOperation

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from secoop.core import access
from secoop.core.forms import MarkedRecordForm
from secoop.core.forms import uswds_widgets
from secoop.core.list_exports import Marked
from secoop.core.lists import Column
from secoop.core.lists import RecordListView
from secoop.core.models import Country
from secoop.core.models import Organization
from secoop.core.models.organizations import OrganizationKind
from secoop.core.models.reference import CombatantCommand
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.core.today import usg_holding
from secoop.core.viewkit import Section
from secoop.core.viewkit import form_page
from secoop.core.viewkit import record_form
from secoop.core.viewkit import run_action
from secoop.core.viewkit import save_from_form
from secoop.core.viewkit import visible_or_404
from secoop.core.views import RecordDetailView

from . import actions
from . import consonance
from . import exports
from . import facts
from . import rules
from .models import BudgetCall
from .models import BudgetRequest
from .models import CallStep
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import RequestVersion
from .models import Requirement
from .models import RequirementYear
from .rules import Stage

SECTION = Section("Budget", "budget:index")


def _internal_only(user) -> None:
    """Partners and industry have no budget pages (R-FCT-05): the records are invisible to them
    anyway; the pages say nothing more."""
    if not usg_holding(user):
        raise Http404


@login_required
def index(request):
    user = request.user
    _internal_only(user)
    calls = list(BudgetCall.objects.visible_to(user)[:5])
    requests = list(BudgetRequest.objects.visible_to(user).select_related("country")[:20])
    forecasts = list(ForecastSubmission.objects.visible_to(user).select_related("country")[:20])
    objectives = list(MissionObjective.objects.visible_to(user).select_related("country")[:20])
    countries = sorted(
        {r.country for r in requests} | {f.country for f in forecasts}, key=lambda c: c.name
    )
    return render(
        request,
        "budget/index.html",
        {
            "section": SECTION,
            "calls": calls,
            "requests": requests,
            "forecasts": forecasts,
            "objectives": objectives,
            "countries": countries,
            "may_start": usg_holding(user, actions.FORECASTERS),
            "may_open_call": access.holds_role(user, actions.CALL_ROLES),
            "may_record_objective": access.holds_role(user, actions.MSRP_ROLES),
            "page_records": calls + requests + forecasts + objectives,
        },
    )


# --- the call ---------------------------------------------------------------------------------------


class CallDetail(RecordDetailView):
    model = BudgetCall
    section = SECTION
    template_name = "budget/call_detail.html"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        steps = list(CallStep.objects.visible_to(user).filter(call=self.object))
        ctx["steps"] = steps
        ctx["may_set"] = access.holds_role(user, actions.CALL_ROLES)
        ctx["page_records"] = [*ctx["page_records"], *steps]
        return ctx


@login_required
@require_POST
def call_step(request, pk):
    step = visible_or_404(CallStep, request.user, pk)
    try:
        due = dt.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        due = None
    run_action(
        request,
        lambda: actions.set_step_due(
            request.user,
            step,
            due,
            source=request.POST.get("source", ""),
            reason=request.POST.get("reason", ""),
        ),
        "Due date saved.",
    )
    return redirect("budget:call-detail", step.call_id)


# --- requests -----------------------------------------------------------------------------------------


class InternalList(RecordListView):
    """A list of internal records: partners and industry get no page (R-FCT-05)."""

    def get(self, request, *args, **kwargs):
        _internal_only(request.user)
        return super().get(request, *args, **kwargs)


class CountryRecordList(InternalList):
    """A list of one country's records a year (requests, forecasts): each named as its title
    says it (the country and the year), then the country and the columns of the kind."""

    select_related = ("country",)

    @staticmethod
    def columns_of(noun: str, *more: Column) -> list[Column]:
        return [
            Column(noun, "col_name", link=True),
            Column("Country", "country.name", sort="country__name"),
            *more,
        ]


class RequestList(CountryRecordList):
    model = BudgetRequest
    title = "Budget requests (FMF/IMET)"
    intro = "Each country's unconstrained request for a budget year (R-BUD-02) and where it is on its way to the Department of State (R-BUD-05)."
    columns = CountryRecordList.columns_of(
        "Request",
        Column("Budget FY", "budget_fy", sort="budget_fy"),
        Column("Where", "stage_label", sort="stage"),
    )
    default_sort = "-budget_fy"


def _need_by_fy(
    user, request_obj, read: list
) -> tuple[list[int], dict[int, dict[int, Decimal]], dict[int, Decimal]]:
    """The need by fiscal year of each requirement and the totals; the rows read go into `read`,
    for the page's banner (R-SEC-01: a total is marked like the records it adds up)."""
    years: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for y in RequirementYear.objects.visible_to(user).filter(requirement__request=request_obj):
        years[y.requirement_id][y.fiscal_year] = y.amount
        read.append(y)
    fys = sorted({fy for by in years.values() for fy in by})
    totals = {fy: sum((by.get(fy, Decimal(0)) for by in years.values()), Decimal(0)) for fy in fys}
    return fys, years, totals


class RequestDetail(RecordDetailView):
    model = BudgetRequest
    section = SECTION
    template_name = "budget/request_detail.html"
    select_related = ("country",)
    tabs = ("overview", "versions", "history")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        # Each line's objective read with the lines, through the door: one query for the table,
        # not one per line (ARCHITECTURE invariant 7).
        reqs = list(
            Requirement.objects.visible_to(user)
            .filter(request=obj)
            .prefetch_related(GuardedPrefetch("mission_objective", user))
        )
        # The table shows each line's need by year (and adds them up) and names its MSRP/ICS
        # objective: the banner covers them.
        shown: list = [related(r, "mission_objective", user) for r in reqs]
        fys, years, totals = _need_by_fy(user, obj, shown)
        rows = [(r, [years[r.pk].get(fy) for fy in fys]) for r in reqs]
        versions = (
            # Each version names who handed it on (a person, not a marked record).
            list(
                RequestVersion.objects.visible_to(user)
                .filter(request=obj)
                .select_related("made_by")
            )
            if self.tab == "versions"
            else []
        )
        diffs = []
        previous: list = []
        for v in versions:
            diffs.append(
                (v, rules.diff_versions(previous, v.content) if previous or v.number > 1 else [])
            )
            previous = v.content
        # What the current holder changed since the last hand-off (R-BUD-05), not yet a version.
        pending = rules.diff_versions(previous, actions.content_of(obj, user)) if versions else []
        step = actions.due_step(obj.call_id, obj.stage, user) if obj.stage in Stage.ORDER else None
        transitions = rules.REQUEST.actions_now(user, obj.stage)
        holder = _is_holder(user, obj)
        ctx.update(
            requirements=rows,
            fys=fys,
            totals=[totals[fy] for fy in fys],
            versions=list(reversed(diffs)),
            pending=pending,
            transitions=[t for t in transitions if t.name != "allocate"] if holder else [],
            may_allocate=any(t.name == "allocate" for t in transitions),
            holder=holder,
            due=step.due_on if step else None,
            uncommitted_finding=rules.uncommitted_problem(
                obj.uncommitted_fmf, obj.uncommitted_plan, obj.uncommitted_commit_by
            ),
            page_records=[
                *ctx["page_records"],
                *reqs,
                *versions,
                *(r for r in [step, *shown] if r is not None),
            ],
        )
        return ctx


def _is_holder(user, obj) -> bool:
    try:
        actions.require_holder(user, obj, "check")
    except (PermissionDenied, ValidationError):  # a refusal: not the holder now
        return False
    return True


def _amount(text: str) -> Decimal | None:
    text = (text or "").replace(",", "").replace("$", "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal("-1")  # refused by the action with what to fix


@login_required
@require_POST
def request_act(request, pk, what):
    user = request.user
    obj = visible_or_404(BudgetRequest, user, pk)
    reason = request.POST.get("reason", "")
    if what in rules.FORWARD_BY_STAGE.values():
        run_action(
            request,
            lambda: actions.forward_request(user, obj, what, reason=reason),
            f"{rules.REQUEST[what].label}: done.",
        )
    elif what == "allocate":
        run_action(
            request,
            lambda: actions.record_allocation(
                user,
                obj,
                _amount(request.POST.get("fmf", "")),
                _amount(request.POST.get("imet", "")),
                reason=reason,
            ),
            "Allocation recorded.",
        )
    elif what == "uncommitted":
        try:
            by = (
                dt.date.fromisoformat(request.POST.get("commit_by", ""))
                if request.POST.get("commit_by")
                else None
            )
        except ValueError:
            by = None
        run_action(
            request,
            lambda: actions.update_request(
                user,
                obj,
                {
                    "uncommitted_fmf": _amount(request.POST.get("balance", "")) or Decimal(0),
                    "uncommitted_plan": request.POST.get("plan", ""),
                    "uncommitted_commit_by": by,
                },
                reason=reason,
            ),
            "Uncommitted FMF balance saved.",
        )
    else:
        raise Http404
    return redirect(obj.get_absolute_url())


class RequirementForm(forms.ModelForm):
    """A requirement with every element of R-BUD-01 and its need per fiscal year."""

    years = forms.CharField(
        label="Out-year need by fiscal year (USD)",
        help_text="One line per year: 2028: 1200000",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(required=False)

    class Meta:
        model = Requirement
        fields = list(Requirement.entry_fields)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission_objective"].queryset = MissionObjective.objects.visible_to(user)
        from secoop.planning.models import Activity

        self.fields["activity"].queryset = Activity.objects.visible_to(user)
        uswds_widgets(self)

    def clean_years(self):
        out = {}
        for n, line in enumerate(self.cleaned_data["years"].splitlines(), start=1):
            if not line.strip():
                continue
            fy, _, amount = line.partition(":")
            try:
                out[int(fy.strip().upper().removeprefix("FY"))] = Decimal(
                    amount.replace(",", "").replace("$", "").strip()
                )
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    f"Line {n}: write a fiscal year and an amount, e.g. 2028: 1200000."
                ) from None
        return out

    def add_action_error(self, exc):
        for f in getattr(exc, "findings", []):
            self.add_error(f.field if f.field in self.fields else None, f.text)
        if not getattr(exc, "findings", None):
            for m in exc.messages:
                self.add_error(None, m)


@login_required
def requirement_edit(request, pk=None, request_pk=None):
    user = request.user
    instance = visible_or_404(Requirement, user, pk) if pk else None
    parent = visible_or_404(BudgetRequest, user, request_pk or instance.request_id)
    if not _is_holder(user, parent):
        raise Http404("Only the holder of the request's current stage changes its requirements.")
    initial = {}
    years = (
        list(RequirementYear.objects.visible_to(user).filter(requirement=instance))
        if instance is not None
        else []
    )
    if instance is not None:
        initial["years"] = "\n".join(f"{y.fiscal_year}: {y.amount}" for y in years)
    form = RequirementForm(request.POST or None, instance=instance, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        years, reason = form.cleaned_data["years"], form.cleaned_data["reason"]
        if instance is None:
            new = form.save(commit=False)
            new.request = parent
            new.marking = parent.marking
            saved = save_from_form(
                form, lambda: actions.add_requirement(user, new, years, reason=reason)
            )
        else:
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name not in ("years", "reason")
            }
            saved = save_from_form(
                form,
                lambda: actions.change_requirement(user, instance, changes, years, reason=reason),
            )
        if saved is not None:
            return redirect(parent.get_absolute_url())
    title = f"Edit {instance}" if instance else f"New requirement for {parent}"
    # The title names the request and the text area shows the years: the banner covers them.
    shown = [r for r in (instance, parent, *years) if r is not None]
    return form_page(
        request,
        form,
        instance,
        title,
        parent.get_absolute_url(),
        section=SECTION,
        page_records=shown,
    )


# --- MSRP/ICS objectives --------------------------------------------------------------------------


class ObjectiveDetail(RecordDetailView):
    model = MissionObjective
    section = SECTION
    template_name = "budget/objective_detail.html"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lines = list(
            Requirement.objects.visible_to(self.request.user).filter(mission_objective=self.object)
        )
        ctx["lines"] = lines
        ctx["page_records"] = [*ctx["page_records"], *lines]
        return ctx


# --- forecasts ------------------------------------------------------------------------------------------


class ForecastList(CountryRecordList):
    model = ForecastSubmission
    title = "Forecasts (Javits and FMS sales forecast)"
    intro = "One SCO submission a year (R-FCT-01) gives both reports. Never shown to partners (R-FCT-05)."
    columns = CountryRecordList.columns_of(
        "Forecast",
        Column("Year", "report_year", sort="report_year"),
        Column("Status", "get_status_display", sort="status"),
    )
    default_sort = "-report_year"


class ForecastDetail(RecordDetailView):
    model = ForecastSubmission
    section = SECTION
    template_name = "budget/forecast_detail.html"
    select_related = ("country",)
    tabs = ("overview", "history")

    def get(self, request, *args, **kwargs):
        which = request.GET.get("format")
        if which in ("javits", "sales"):
            self.object = self.get_object()
            sales = list(
                ForecastSale.objects.visible_to(request.user).filter(submission=self.object)
            )
            return exports.report_xlsx(
                self.object, sales, which, facts.thresholds(), request.user
            ).response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        # Each sale's LOR and plan objective read with the sales, through the door: one query
        # each for the table, not two per sale (ARCHITECTURE invariant 7).
        sales = list(
            ForecastSale.objects.visible_to(user)
            .filter(submission=obj)
            .prefetch_related(GuardedPrefetch("lor", user), GuardedPrefetch("objective", user))
        )
        t = facts.thresholds()
        ctx.update(
            sales=sales,
            thresholds=t,
            javits=exports.javits_rows(sales, obj.report_year, t),
            forecast=exports.forecast_rows(sales, obj.report_year, t),
            forecast_years=rules.forecast_years(obj.report_year, t),
            may_submit=bool(rules.FORECAST.actions_now(user, obj.status)) and obj.status == "draft",
            # Each sale row names its LOR and its plan objective (R-SEC-01).
            page_records=[
                *ctx["page_records"],
                *sales,
                *(
                    r
                    for s in sales
                    for r in (related(s, "lor", user), related(s, "objective", user))
                    if r is not None
                ),
            ],
        )
        return ctx


@login_required
@require_POST
def forecast_act(request, pk, what):
    user = request.user
    obj = visible_or_404(ForecastSubmission, user, pk)
    if what != "submit":
        raise Http404
    run_action(
        request,
        lambda: actions.submit_forecast(user, obj, reason=request.POST.get("reason", "")),
        "Forecast submitted.",
    )
    return redirect(obj.get_absolute_url())


# --- consonance and roll-ups -----------------------------------------------------------------------


@login_required
def consonance_page(request, country):
    user = request.user
    _internal_only(user)
    found = Country.objects.visible_to(user).filter(pk=country.upper()).first()
    if found is None:
        raise Http404
    result = consonance.check(user, found)
    return render(
        request,
        "budget/consonance.html",
        {
            "section": SECTION,
            "result": result,
            "labels": rules.Kind.LABELS,
            "page_records": result.records,
        },
    )


@login_required
def rollup(request):
    """CCMD and DSCA views across countries: the consonance findings per country and per
    combatant command, and the request vs allocation by budget year (server-side SVG)."""
    user = request.user
    _internal_only(user)
    ccmd = request.GET.get("ccmd", "")
    if ccmd and ccmd not in CombatantCommand.values:
        ccmd = ""
    requests = BudgetRequest.objects.visible_to(user)
    forecasts = ForecastSubmission.objects.visible_to(user)
    codes = set(requests.values_list("country_id", flat=True)) | set(
        forecasts.values_list("country_id", flat=True)
    )
    countries = Country.objects.visible_to(user).filter(pk__in=codes).order_by("ccmd", "name")
    if ccmd:
        countries = countries.filter(ccmd=ccmd)
    countries = list(countries)
    found = consonance.rollup(user, countries)
    commands: dict[str, dict[str, int]] = {}
    for t in found.tallies:
        per = commands.setdefault(t.country.ccmd or "(none)", dict.fromkeys(rules.Kind.LABELS, 0))
        for k, n in t.counts.items():
            per[k] += n
    return render(
        request,
        "budget/rollup.html",
        {
            "section": SECTION,
            "results": found.tallies,
            "commands": sorted(commands.items()),
            "labels": rules.Kind.LABELS,
            "chart": rules.chart_geometry(found.bars),
            "ccmd": ccmd,
            "ccmds": CombatantCommand.choices,
            # The banner covers every record added up (decision 0047), by their markings.
            "page_records": [Marked(m) for m in found.markings],
        },
    )


# --- starting records: the year's forecast and its sales, a country's request -------------------


class BudgetForm(MarkedRecordForm):
    """A budget record's form: related choices through the door, owners where the user edits."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if name == "owner_org":
                field.queryset = Organization.objects.editable_by(user).order_by("tree_path")
            elif hasattr(queryset.model.objects, "visible_to"):
                field.queryset = queryset.model.objects.visible_to(user)
        self.initial.setdefault("marking", "CUI//NOFORN")


class ForecastForm(BudgetForm):
    class Meta:
        model = ForecastSubmission
        fields = ["country", "owner_org", "report_year", "notes"]


class SaleForm(BudgetForm):
    class Meta:
        model = ForecastSale
        fields = list(ForecastSale.entry_fields)


class RequestForm(BudgetForm):
    class Meta:
        model = BudgetRequest
        fields = [
            "call",
            "country",
            "owner_org",
            "uncommitted_fmf",
            "uncommitted_plan",
            "uncommitted_commit_by",
            "notes",
        ]


class CallForm(BudgetForm):
    class Meta:
        model = BudgetCall
        fields = ["budget_fy", "owner_org", "issued_on", "reference", "notes"]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "budget_fy": {
                "unique": "R-BUD-05: this budget year's call is open already: set its steps' dates on its page."
            }
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The call is a public tasking (SAMM C2.3.3.1.1); its countries' requests are marked.
        self.initial["marking"] = "UNCLASSIFIED"
        owner = self.fields["owner_org"]
        owner.label, owner.help_text = "Issued by", "DSCA, which tasks the SCOs through the call."
        dsca = owner.queryset.filter(kind=OrganizationKind.DSCA).first()
        if dsca is not None:
            self.initial.setdefault("owner_org", dsca.pk)


class ObjectiveForm(BudgetForm):
    class Meta:
        model = MissionObjective
        fields = ["country", "owner_org", "code", "title", "description", "ics", "first_fy", "last_fy"]  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The objective is the embassy's (the Chief of Mission's plan), whoever records it: the
        # SCO gives the MSRP its input without editing for the embassy (actions._may_keep_msrp).
        self.fields["owner_org"].queryset = (
            Organization.objects.visible_to(user)
            .filter(kind=OrganizationKind.EMBASSY)
            .order_by("name")
        )
        self.fields["owner_org"].label = "Embassy"
        self.fields["owner_org"].help_text = "The Chief of Mission's plan: the embassy owns it."
        self.fields["first_fy"].label, self.fields["last_fy"].label = "First fiscal year", "Last fiscal year"  # fmt: skip
        self.fields["ics"].help_text = "Planning's ICS guidance document it comes from, if entered."
        self.initial["marking"] = "CUI//NOFORN"  # R-FCT-05: budget records are U.S.-only
        self.fields["ics"].queryset = self.fields["ics"].queryset.filter(kind="ics")


def _no_update(*args, **kwargs):
    raise Http404


def _create_page(request, model, form_class, create, noun: str, list_name: str, **more):
    """The page that starts a budget record (no edit page: the actions change them): U.S. staff
    only (R-FCT-05), core's record form saved by the app's create action."""
    _internal_only(request.user)
    return record_form(
        request, model, form_class, None, create=create, update=_no_update, noun=noun,
        list_name=list_name, section=SECTION, **more,
    )  # fmt: skip


def _only_for_roles(user, roles, refusal: str) -> None:
    """A page for the holders of `roles` (403 with `refusal` to other U.S. staff)."""
    _internal_only(user)
    if not access.holds_role(user, roles):
        raise PermissionDenied(refusal)


@login_required
def call_create(request):
    """DSCA opens the year's FMF/IMET budget call; its steps start from the notional timeline of
    SAMM Table C2.T2 in force (R-BUD-05), and DSCA sets their real dates on the call's page."""
    _only_for_roles(request.user, actions.CALL_ROLES, "DSCA opens the budget call.")
    return _create_page(request, BudgetCall, CallForm, actions.open_call, "budget call", "budget:index")  # fmt: skip


@login_required
def objective_create(request):
    """Record an objective of the Chief of Mission's MSRP/ICS (R-BUD-04): State PM, the embassy's
    country team, or the SCO of the country, which gives the MSRP its input."""
    _only_for_roles(
        request.user,
        actions.MSRP_ROLES,
        "State PM, the embassy's country team or the country's SCO records MSRP/ICS objectives.",
    )
    return _create_page(
        request, MissionObjective, ObjectiveForm, actions.create_objective, "MSRP/ICS objective",
        "budget:index", only_if_may_create=False,
    )  # fmt: skip


@login_required
def forecast_create(request):
    """R-FCT-01: the SCO starts the year's one submission."""
    return _create_page(
        request, ForecastSubmission, ForecastForm, actions.create_forecast,
        "forecast submission", "budget:forecasts",
    )  # fmt: skip


@login_required
def request_create(request):
    """The SCO starts its country's request for an open call (R-BUD-01..03)."""
    return _create_page(
        request, BudgetRequest, RequestForm, actions.create_request, "budget request",
        "budget:requests",
    )  # fmt: skip


@login_required
def sale_create(request, pk):
    """A possible sale, however unlikely, on a draft submission (R-FCT-02)."""
    _internal_only(request.user)
    submission = visible_or_404(ForecastSubmission, request.user, pk)

    def on_submission(form, record):
        record.submission = submission

    return _create_page(
        request, ForecastSale, SaleForm, actions.add_sale, f"possible sale for {submission}",
        "budget:forecasts", prepare=on_submission,
        page_records=[submission],  # the title names it: the banner covers it
    )  # fmt: skip
