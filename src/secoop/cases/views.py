"""Cases pages: dashboard, lists, details, forms and milestone buttons. Reads through the door
(related records shown only when the user may see them), writes through cases.actions; refusals
come back as messages naming the rule."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from secoop.core import access
from secoop.core import clock
from secoop.core.list_exports import Marked
from secoop.core.list_exports import rows_marking
from secoop.core.lists import Column
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.related import related
from secoop.core.related import trusted_following
from secoop.core.viewkit import Section
from secoop.core.viewkit import attached_file
from secoop.core.viewkit import form_page
from secoop.core.viewkit import may_create
from secoop.core.viewkit import posted_date
from secoop.core.viewkit import record_form
from secoop.core.viewkit import run_action
from secoop.core.viewkit import save_from_form
from secoop.core.viewkit import visible_or_404
from secoop.core.views import CreatingList
from secoop.core.views import RecordDetailView

from . import actions
from . import facts
from . import filters
from . import metrics_views
from . import rules
from .forms import CaseDocumentForm
from .forms import CaseForm
from .forms import CostForm
from .forms import CtaForm
from .forms import DeliverForm
from .forms import DeliveryForm
from .forms import EmergencyDecisionForm
from .forms import EmergencyRequestForm
from .forms import LineForm
from .forms import LorForm
from .forms import MeasuredAmendmentForm
from .forms import NoteForm
from .forms import PaymentForm
from .forms import PlanItemForm
from .forms import RequisitionForm
from .forms import ReviewForm
from .forms import SdrForm
from .forms import ShipmentForm
from .forms import milestone_inputs
from .models import CaseAmendment
from .models import CaseCost
from .models import CaseDocument
from .models import CaseEvent
from .models import CaseLine
from .models import CaseNote
from .models import CaseReview
from .models import ClssaRequisition
from .models import CountryTeamAssessment
from .models import CtaElement
from .models import Delivery
from .models import EmergencyImplementation
from .models import FmsCase
from .models import LetterOfRequest
from .models import LoaType
from .models import MasterPlanItem
from .models import PaymentScheduleEntry
from .models import Shipment
from .models import SupplyDiscrepancyReport


def of_case(case, queryset) -> list:
    """The case's children, each told its case (and a delivery's line its case) so that checking
    a child's visibility — which follows child → case → owner — reads nothing more (no N+1)."""
    rows = list(queryset)
    for r in rows:
        r.case = case
        line = r._state.fields_cache.get("line")
        if line is not None and line.case_id == case.pk:
            line.case = case
    return rows


SECTION = Section("Cases", "cases:index", ("planning/planning.css", "cases/cases.css"))


# --- dashboard ----------------------------------------------------------------------------------


@login_required
def index(request):
    """FMS cases at a glance: cases by state, LORs waiting, late deliveries, open SDRs."""
    user = request.user
    today = clock.today_for(request.user)
    cases = list(
        FmsCase.objects.visible_to(user).select_related("country").order_by("identifier")[:50]
    )
    lors = list(
        LetterOfRequest.objects.visible_to(user)
        .filter(status__in=rules.LOR_EDITABLE)
        .order_by("-received_on")[:10]
    )
    deliveries = Delivery.objects.visible_to(user)
    late = deliveries.filter(actual_on__isnull=True, planned_on__lt=today).count()
    sdrs = list(
        SupplyDiscrepancyReport.objects.visible_to(user)
        .exclude(status__in=[s for s in rules.SDR.labels if rules.SDR.is_final(s)])
        .select_related("case")
        .order_by("-reported_on")[:10]
    )
    by_status: dict[str, int] = {}
    for c in cases:
        label = c.status_label(today)
        by_status[label] = by_status.get(label, 0) + 1
    return render(
        request,
        "cases/index.html",
        {
            "cases": cases,
            "lors": lors,
            "late": late,
            "sdrs": [(s, related(s, "case", user)) for s in sdrs],
            "by_status": sorted(by_status.items()),
            "today": today,
            "may_submit_lor": may_create(user, LetterOfRequest),
            "internal": metrics_views.may_see_metrics(user),
            "may_create_case": FmsCase.objects.editable_by(user).exists()
            or Organization.objects.editable_by(user).filter(kind="implementing_agency").exists(),
            "page_records": cases + lors + sdrs,
        },
    )


# --- lists ----------------------------------------------------------------------------------------


class CasesList(CreatingList):
    template_name = "cases/record_list.html"


class LorList(CasesList):
    model = LetterOfRequest
    filterset_class = filters.LorFilter
    title = "Letters of request"
    intro = "R-FMS-01: entered by the SCO or submitted by the partner, routed to an implementing agency, validated within the goal."
    columns = [
        Column("Title", "title", "title"),
        Column("Partner", "country.name"),
        Column("Received", "received_on", "received_on"),
        Column("P&A or LOA", "get_request_type_display"),
        Column("Status", "get_status_display", "status"),
        Column("Estimated value (USD)", "estimated_value", "estimated_value", money=True),
    ]
    default_sort = "-received_on"
    select_related = ("country",)
    create_url = "cases:lor-create"
    create_label = "Submit an LOR"


class CtaList(CasesList):
    model = CountryTeamAssessment
    filterset_class = filters.CtaFilter
    title = "Country team assessments"
    intro = "R-FMS-02: internal USG; drafted by the SCO, coordinated with the country team, transmitted to DSCA at most a year old."
    columns = [
        Column("CTA", "col_name"),
        Column("Signed", "dated", "dated"),
        Column("Status", "get_status_display", "status"),
        Column("Transmitted", "transmitted_on", "transmitted_on"),
    ]
    default_sort = "-dated"
    select_related = ("lor",)
    create_url = "cases:cta-create"
    create_label = "Draft a CTA"

    def col_name(self, cta):
        lor = related(cta, "lor", self.request.user)
        return f"{cta} — {lor.title}" if lor is not None else str(cta)


class CaseList(CasesList):
    model = FmsCase
    filterset_class = filters.CaseFilter
    title = "FMS cases"
    intro = "LOAs and the cases they become (SPEC §5): AOD and OED computed from the dated facts."
    columns = [
        Column("Case", "identifier", "identifier"),
        Column("Title", "title", "title"),
        Column("Purchaser", "country.name"),
        Column("Status", "col_status", "status"),
        Column("AOD", "aod", "aod"),
        Column("Offered", "offered_on", "offered_on"),
        Column("OED", "oed", "oed"),
        Column("Version", "version"),
    ]
    default_sort = "identifier"
    select_related = ("country",)
    create_url = "cases:case-create"
    create_label = "New LOA"

    def col_status(self, c):
        return c.status_label(timezone.localdate())


class DeliveryList(CasesList):
    model = Delivery
    filterset_class = filters.DeliveryFilter
    title = "Deliveries"
    intro = "Planned against actual dates and quantities, per case line (R-FMS-06, R-FMS-09)."
    columns = [
        Column("Delivery", "col_name"),
        Column("Case", "case.identifier"),
        Column("Planned", "planned_on", "planned_on"),
        Column("Planned qty", "planned_quantity"),
        Column("Delivered", "actual_on", "actual_on"),
        Column("Delivered qty", "actual_quantity"),
        Column("Days late", "col_late"),
    ]
    default_sort = "planned_on"
    select_related = ("case", "line__case")

    def col_name(self, d):
        line = related(d, "line", self.request.user)
        return f"Line {line.number}: {line.item}" if line is not None else f"Delivery #{d.pk}"

    def col_late(self, d):
        return d.days_late(timezone.localdate())


class SdrList(CasesList):
    model = SupplyDiscrepancyReport
    filterset_class = filters.SdrFilter
    title = "Supply discrepancy reports"
    intro = "SF 364, routed to the ILCO of the case's military department (R-FMS-10)."
    columns = [
        Column("SDR", "col_name"),
        Column("Case", "case.identifier"),
        Column("Reported", "reported_on", "reported_on"),
        Column("Status", "get_status_display", "status"),
        Column("Value (USD)", "value", "value", money=True),
    ]
    default_sort = "-reported_on"
    select_related = ("case",)


# --- details ------------------------------------------------------------------------------------


class CasesDetail(RecordDetailView):
    section = SECTION
    with_today = True


class LorDetail(CasesDetail):
    model = LetterOfRequest
    template_name = "cases/lor_detail.html"
    tabs = ("overview", "related", "history")

    select_related = ("country", "owner_org", "implementing_agency")

    def related(self):
        user, lor = self.request.user, self.object
        return {
            "Cases": list(FmsCase.objects.visible_to(user).filter(lor=lor)),
            "Country team assessments": list(
                CountryTeamAssessment.objects.visible_to(user).filter(lor=lor)
            ),
            # dcseda: DCS license requests that compete with or complement this LOR (EO 14268).
            "DCS license requests": list(
                DcsLicense.objects.visible_to(user).filter(lor=lor).select_related("company")
            ),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, lor = self.request.user, self.object
        ia = related(lor, "implementing_agency", user)
        is_usg = (
            access.profile_for(user) is not None
            and access.profile_for(user).person.audience == "USG"
        )
        ctx.update(
            missing=rules.lor_missing(actions.lor_values(lor), partner=not is_usg),
            awaiting_routing=not is_usg and lor.implementing_agency_id is None,
            # The validation goal measures the implementing agency: internal, like the API's
            # validation_due (the LOR's field policy).
            validation_due=actions.validation_due(lor) if is_usg and lor.received_on else None,
            validation_late=is_usg
            and bool(lor.received_on)
            and (lor.validated_on or ctx["today"]) > actions.validation_due(lor),
            notification=actions.lor_notification(lor) if is_usg else None,
            cta_reasons=actions.cta_reasons(lor) if is_usg else None,
            may_route=rules.LOR.allows("route", lor.status)
            and actions.may_act_as_sco(user, lor.country_id),
            may_validate=rules.LOR.allows("validate", lor.status)
            and ia is not None
            and access.can_write_for(user, ia),
            agencies=list(
                Organization.objects.visible_to(user)
                .filter(kind="implementing_agency")
                .exclude(implementing_agency_code="")
            ),
            ctas=list(CountryTeamAssessment.objects.visible_to(user).filter(lor=lor)),
            cases=list(FmsCase.objects.visible_to(user).filter(lor=lor)),
        )
        self.shown(ctx, [related(lor, "owner_org", user), ia, *ctx["ctas"], *ctx["cases"]])
        return ctx


class CtaDetail(CasesDetail):
    model = CountryTeamAssessment
    template_name = "cases/cta_detail.html"
    tabs = ("overview", "history")

    select_related = ("lor", "owner_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, cta = self.request.user, self.object
        with trusted_following():  # the elements follow from the LOR; none of its fields is shown
            lor_facts = cta.lor
        codes = actions.cta_element_codes(lor_facts)
        elements = [
            (e, (cta.elements or {}).get(e.code, ""))
            for e in CtaElement.objects.filter(code__in=codes).order_by("number")
        ]
        may = actions.may_act_as_sco(user, cta.country_value())
        ctx.update(
            elements=elements,
            missing=[e for e, a in elements if not a.strip()],
            may_coordinate=may and rules.CTA.allows("coordinate", cta.status),
            may_transmit=may and rules.CTA.allows("transmit", cta.status),
            may_edit=may and not rules.CTA.is_final(cta.status),
        )
        self.shown(ctx, [related(cta, "lor", user)])
        return ctx


CASE_TABS = (
    "overview",
    "lines",
    "deliveries",
    "amendments",
    "execution",
    "closure",
    "documents",
    "history",
)


class CaseDetail(CasesDetail):
    model = FmsCase
    template_name = "cases/case_detail.html"
    tabs = CASE_TABS

    select_related = ("country", "owner_org", "lor", "case_manager")

    def get_context_data(self, **kwargs):
        """The page head (every tab) and what the asked tab shows, read by that tab's method
        alone (`tab_<name>`): each tab runs a fixed, small number of queries (issue 15 §4)."""
        ctx = super().get_context_data(**kwargs)
        user, c = self.request.user, self.object
        ctx["is_ia"] = actions.may_act_as_ia(user, c)
        shown = getattr(self, f"tab_{ctx['tab']}")(ctx)
        self.shown(ctx, [related(c, "lor", user), related(c, "owner_org", user), *shown])
        return ctx

    def children(self, model, *order_by, select=()) -> list:
        """The case's `model` rows the user may see, each told its case (of_case)."""
        qs = model.objects.visible_to(self.request.user).filter(case=self.object)
        if select:
            qs = qs.select_related(*select)
        return of_case(self.object, qs.order_by(*order_by) if order_by else qs)

    def lines(self) -> list:
        return self.children(CaseLine, "number")

    def tab_overview(self, ctx) -> list:
        user, c, today = self.request.user, self.object, ctx["today"]
        lines = self.lines()
        notification = (
            actions.case_notification(c, lines)
            if access.profile_for(user).person.audience == "USG"
            else None
        )
        now = actions.milestones_now(user, c, today)
        is_ia = ctx["is_ia"]
        ctx.update(
            lines=lines,
            total=sum((ln.total_value for ln in lines), start=0),
            lapsed=c.is_lapsed(today),
            notification=notification,
            ia_actions=[
                (a, rules.TRANSITIONS[a].label) for a in now if a not in rules.PURCHASER_MILESTONES
            ],
            purchaser_actions=[
                (a, rules.TRANSITIONS[a].label) for a in now if a in rules.PURCHASER_MILESTONES
            ],
            may_notify=c.sco_notified_on is None
            and (c.accepted_on or c.rejected_on) is not None
            and actions.may_act_as_sco(user, c.country_id),
            retained_until=rules.retained_until(
                c.closed_on, facts.days(facts.RETENTION_YEARS, c.closed_on, "R-FMS-07")
            )
            if c.closed_on
            else None,
            offered_on_time=rules.offered_on_time(c.offered_on, c.aod),
            n36b_offer_from=rules.offer_allowed_from(c.n36b_notified_on, notification.days)
            if notification is not None and notification.required and c.n36b_notified_on
            else None,
            may_record_36b=is_ia and c.status in rules.Status.PRE_OFFER,
            n36b_steps=[
                (step, label, getattr(c, field))
                for step, (field, label) in (
                    ("n36b-review", actions.N36B_STEPS["review"]),
                    ("n36b-notify", actions.N36B_STEPS["notify"]),
                )
                if step != "n36b-review" or (notification and notification.informal_review_days)
            ],
            milestones=[
                ("LOR complete", c.lor_complete_on),
                ("Written", c.written_on),
                ("Reviewed", c.reviewed_on),
                ("Proposed", c.proposed_on),
                ("MILAP", c.milap_on),
                ("Offered", c.offered_on),
                ("Accepted", c.accepted_on),
                ("Implemented", c.implemented_on),
                ("SSC", c.ssc_on),
                ("Interim closed", c.interim_closed_on),
                ("Closed", c.closed_on),
            ],
        )
        ctx.update(clssa_context(user, c, today, is_ia))  # fmsclssa section at the end
        return [*ctx["requisitions"], *ctx["emergency_requests"]]

    def tab_lines(self, ctx) -> list:
        c = self.object
        lines = self.lines()
        payments = self.children(PaymentScheduleEntry)
        ctx.update(
            lines=lines,
            payments=payments,
            total=sum((ln.total_value for ln in lines), start=0),
            may_add_line=ctx["is_ia"] and c.status in rules.LINES_OPEN,
        )
        return [*lines, *payments]

    def tab_deliveries(self, ctx) -> list:
        user, c, today = self.request.user, self.object, ctx["today"]
        deliveries = self.children(Delivery, "planned_on", select=("line",))
        shipments = self.children(Shipment)
        sdrs = self.children(SupplyDiscrepancyReport)
        ctx.update(
            deliveries=[(d, related(d, "line", user), d.days_late(today)) for d in deliveries],
            shipments=shipments,
            sdrs=sdrs,
            may_sdr=may_create(user, SupplyDiscrepancyReport) and c.status in rules.SDR_OPEN,
            delivering=c.status in rules.DELIVERING,
        )
        return [*deliveries, *shipments, *sdrs]

    def tab_amendments(self, ctx) -> list:
        versions = self.children(CaseAmendment, "-number")
        ctx.update(
            versions=versions,
            pending=[v for v in versions if rules.AMENDMENT.allows("accept", v.status)],
            may_accept_change=actions.may_act_as_purchaser(self.request.user, self.object),
        )
        return versions

    def tab_execution(self, ctx) -> list:
        ctx.update(
            plan=self.children(MasterPlanItem),
            events=self.children(CaseEvent, "on", "pk"),
            reviews=self.children(CaseReview),
            notes=self.children(CaseNote),
            costs=self.children(CaseCost),
        )
        return [*ctx["plan"], *ctx["events"], *ctx["reviews"], *ctx["notes"], *ctx["costs"]]

    def tab_documents(self, ctx) -> list:
        ctx["case_file"] = self.children(CaseDocument)
        return ctx["case_file"]

    def tab_history(self, ctx) -> list:
        return []  # the change log, read by RecordDetailView on this tab

    def tab_closure(self, ctx) -> list:  # fmsclose
        ctx["lines"] = self.lines()
        return closure_billing_context(self.request.user, self.object, ctx["today"], ctx)


class AmendmentDetail(CasesDetail):
    model = CaseAmendment
    template_name = "cases/amendment_detail.html"
    tabs = ("overview", "history")

    select_related = ("case",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, v = self.request.user, self.object
        case = related(v, "case", user)
        ctx.update(
            may_accept=rules.AMENDMENT.allows("accept", v.status)
            and v.kind == "amendment"
            and case is not None
            and actions.may_act_as_purchaser(user, case),
        )
        ctx.update(version_aod_context(user, v))  # fmsclssa section at the end
        self.shown(ctx, [case])
        return ctx


class SdrDetail(CasesDetail):
    model = SupplyDiscrepancyReport
    template_name = "cases/sdr_detail.html"
    tabs = ("overview", "history")

    select_related = ("case", "line", "owner_org", "ilco")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, s = self.request.user, self.object
        t = facts.sdr_thresholds(s.reported_on)
        case, ilco = related(s, "case", user), related(s, "ilco", user)
        ctx.update(
            assessment=rules.sdr_assessment(s.value, s.recommended_fms_funds, t),
            thresholds=t,
            reconsideration_due=actions.sdr_reconsideration_due(s),
            may_reply=not rules.SDR.is_final(s.status)
            and (
                access.can_write_for(user, ilco)
                or (case is not None and actions.may_act_as_ia(user, case))
            ),
        )
        self.shown(ctx, [case, related(s, "line", user), related(s, "owner_org", user), ilco])
        return ctx


# --- forms --------------------------------------------------------------------------------------


# Every cases form may carry a file (the case file, R-FMS-07).
_form_page = partial(form_page, section=SECTION, multipart=True)


_edit = partial(
    record_form, create=actions.create, update=actions.update, section=SECTION, multipart=True
)


def _edit_page(request, record, form, noun: str, update):
    """The edit page of a record the caller has found this user may edit by the action's own
    predicate (not `editable_by`): a valid form goes to `update(form)`, then to the record."""
    if request.method == "POST" and form.is_valid():
        saved = save_from_form(form, lambda: update(form))
        if saved is not None:
            messages.success(request, f"Saved the {noun}.")
            return redirect(saved.get_absolute_url())
    return _form_page(request, form, record, f"Edit {record}", record.get_absolute_url())


@login_required
def lor_edit(request, pk=None):
    return _edit(
        request, LetterOfRequest, LorForm, pk, noun="letter of request", list_name="cases:lors"
    )


@login_required
def case_edit(request, pk=None):
    return _edit(request, FmsCase, CaseForm, pk, noun="LOA", list_name="cases:cases")


@login_required
def cta_edit(request, pk=None):
    user = request.user
    if pk is not None:
        cta = visible_or_404(CountryTeamAssessment, user, pk)
        if not actions.may_act_as_sco(user, cta.country_value()):  # the CTA's own country
            raise Http404("Not yours to edit.")

        def update(form):
            changes = {**form.changes(), "elements": form.elements()}
            changes = {k: v for k, v in changes.items() if not k.startswith("element_")}
            return actions.update(user, cta, changes, reason=form.cleaned_data["reason"])

        form = CtaForm(request.POST or None, instance=cta, user=user)
        return _edit_page(request, cta, form, "CTA", update)
    if not may_create(user, CountryTeamAssessment):
        raise Http404("No CTA form for you.")
    initial = {"lor": request.GET.get("lor")} if request.GET.get("lor", "").isdigit() else {}
    form = CtaForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.marking = Marking.parse(form.cleaned_data["marking"])
        record.elements = form.elements()
        saved = save_from_form(
            form, lambda: actions.create(user, record, reason=form.cleaned_data["reason"])
        )
        if saved is not None:
            messages.success(request, "Saved the CTA.")
            return redirect(saved.get_absolute_url())
    return _form_page(request, form, None, "New country team assessment", reverse("cases:ctas"))


CHILD_FORMS = {
    "line": (CaseLine, LineForm, "case line", "lines"),
    "delivery": (Delivery, DeliveryForm, "delivery", "deliveries"),
    "shipment": (Shipment, ShipmentForm, "shipment", "deliveries"),
    "sdr": (SupplyDiscrepancyReport, SdrForm, "supply discrepancy report", "deliveries"),
    "review": (CaseReview, ReviewForm, "case review", "execution"),
    "document": (CaseDocument, CaseDocumentForm, "case file document", "documents"),
    "plan-item": (MasterPlanItem, PlanItemForm, "master plan item", "execution"),
    "payment": (PaymentScheduleEntry, PaymentForm, "payment schedule entry", "lines"),
    "cost": (CaseCost, CostForm, "cost", "execution"),
    "note": (CaseNote, NoteForm, "internal note", "execution"),
}


@login_required
def case_child_new(request, pk, kind):
    if kind not in CHILD_FORMS:
        raise Http404("No such form.")
    model, form_class, noun, tab = CHILD_FORMS[kind]
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    kwargs = {"case": case} if kind in ("delivery", "shipment", "sdr", "expenditure") else {}
    form = form_class(request.POST or None, request.FILES or None, user=user, **kwargs)
    if not form.is_bound:
        form.initial["marking"] = case.marking_text
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.case = case
        record.marking = Marking.parse(form.cleaned_data["marking"])
        saved = save_from_form(
            form, lambda: actions.create(user, record, reason=form.cleaned_data["reason"])
        )
        if saved is not None:
            messages.success(request, f"Saved the {noun}.")
            return redirect(reverse("cases:case-detail", args=[case.pk]) + f"?tab={tab}")
    return _form_page(
        request,
        form,
        None,
        f"New {noun} for {case.identifier}",
        reverse("cases:case-detail", args=[case.pk]) + f"?tab={tab}",
        case=case,
    )


@login_required
def amendment_new(request, pk):
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    form = MeasuredAmendmentForm(request.POST or None)  # with its AOD (fmsclssa)
    if request.method == "POST" and form.is_valid():
        version = save_from_form(
            form,
            lambda: actions.propose_change(
                user,
                case,
                form.cleaned_data["kind"],
                form.cleaned_data["description"],
                form.changes(),
                **form.measurement(),
            ),
        )
        if version is not None:
            messages.success(request, f"Issued {version}.")
            return redirect(version.get_absolute_url())
    lines = list(CaseLine.objects.visible_to(user).filter(case=case).order_by("number"))
    return render(
        request,
        "cases/amendment_form.html",
        {
            "form": form,
            "case": case,
            "lines": lines,
            "title": f"Change LOA {case.identifier}",
            "cancel_url": reverse("cases:case-detail", args=[case.pk]) + "?tab=amendments",
            "page_records": [case, *lines],
        },
    )


# --- actions (POST) -------------------------------------------------------------------------------


@login_required
@require_POST
def lor_action(request, pk, name):
    user = request.user
    lor = visible_or_404(LetterOfRequest, user, pk)
    if name == "route":
        ia_id = request.POST.get("implementing_agency", "")
        ia = Organization.objects.system().filter(pk=ia_id).first() if ia_id.isdigit() else None
        run_action(
            request,
            lambda: actions.route_lor(
                user, lor, ia, on=posted_date(request, "on"), reason=request.POST.get("reason", "")
            ),
            "LOR routed to the implementing agency.",
        )
    elif name == "validate":
        run_action(
            request,
            lambda: actions.validate_lor(
                user,
                lor,
                posted_date(request, "on"),
                complete_on=posted_date(request, "complete_on"),
                reason=request.POST.get("reason", ""),
            ),
            "LOR validated: recorded as a customer request.",
        )
    elif name == "return":
        run_action(
            request,
            lambda: actions.return_lor(user, lor, reason=request.POST.get("reason", "")),
            "LOR returned to the partner.",
        )
    else:
        raise Http404("No such action.")
    return redirect(lor.get_absolute_url())


@login_required
@require_POST
def cta_action(request, pk, name):
    user = request.user
    cta = visible_or_404(CountryTeamAssessment, user, pk)
    if name == "coordinate":
        run_action(
            request,
            lambda: actions.coordinate_cta(user, cta, request.POST.get("coordinated_with", "")),
            "CTA coordinated with the country team.",
        )
    elif name == "transmit":
        run_action(
            request,
            lambda: actions.transmit_cta(user, cta, with_lor=request.POST.get("with_lor") != "no"),
            "CTA transmitted to DSCA and the DoD component.",
        )
    else:
        raise Http404("No such action.")
    return redirect(cta.get_absolute_url())


def _post_whole(request, name):
    value = request.POST.get(name, "").strip()
    return int(value) if value.isdigit() else None


N36B_STEPS = {"n36b-review": "review", "n36b-notify": "notify"}


@login_required
@require_POST
def case_milestone(request, pk, name):
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    if name == "notify":
        run_action(
            request,
            lambda: actions.notify_ia_and_dsca(user, case, posted_date(request, "on")),
            "Recorded: the SCO advised the IA and DSCA (R-FMS-08).",
        )
    elif name in N36B_STEPS:
        run_action(
            request,
            lambda: actions.record_36b(user, case, N36B_STEPS[name], posted_date(request, "on")),
            "Recorded: the congressional notification step and its date (AECA 36(b)).",
        )
    elif name in rules.TRANSITIONS:
        data = milestone_inputs(
            name,
            {
                "date": lambda f: posted_date(request, f),
                "whole": lambda f: _post_whole(request, f),
                "count": lambda f: _post_whole(request, f),
                "text": lambda f: request.POST.get(f, ""),
            },
        )
        run_action(
            request,
            lambda: actions.milestone(
                user,
                case,
                name,
                posted_date(request, "on"),
                reason=request.POST.get("reason", ""),
                **data,
            ),
            f"{rules.TRANSITIONS[name][2]}: done.",
        )
    else:
        raise Http404("No such milestone.")
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def delivery_deliver(request, pk):
    user = request.user
    delivery = visible_or_404(Delivery, user, pk)
    form = DeliverForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    else:
        d = form.cleaned_data
        run_action(
            request,
            lambda: actions.record_delivery(
                user, delivery, d["actual_on"], d["actual_quantity"], title_passed=d["title_passed"]
            ),
            "Delivery recorded.",
        )
    return redirect(reverse("cases:case-detail", args=[delivery.case_id]) + "?tab=deliveries")


@login_required
@require_POST
def amendment_accept(request, pk):
    user = request.user
    version = visible_or_404(CaseAmendment, user, pk)
    run_action(
        request,
        lambda: actions.accept_change(user, version),
        "Amendment accepted: the new version is in force.",
    )
    return redirect(version.get_absolute_url())


@login_required
@require_POST
def sdr_reply(request, pk):
    user = request.user
    sdr = visible_or_404(SupplyDiscrepancyReport, user, pk)
    run_action(
        request,
        lambda: actions.reply_sdr(
            user, sdr, request.POST.get("reply", ""), close=request.POST.get("close") == "yes"
        ),
        "Reply recorded.",
    )
    return redirect(sdr.get_absolute_url())


@login_required
def document_file(request, pk):
    """The case file document's file, through the door (R-FMS-07)."""
    return attached_file(request, CaseDocument, pk, what="case file document")


@login_required
@require_POST
def document_delete(request, pk):
    user = request.user
    doc = visible_or_404(CaseDocument, user, pk)
    case_id = doc.case_id
    run_action(
        request,
        lambda: actions.delete(user, doc, reason=request.POST.get("reason", "")),
        "Document deleted.",
    )
    return redirect(reverse("cases:case-detail", args=[case_id]) + "?tab=documents")


# === fmsclssa: CLSSA, emergency implementation, the deposit, the AOD of a version =================
# (issue 13 items 5, 8; docs/decisions/0031-clssa-emergency-aod.md)


def _is_usg(user) -> bool:
    profile = access.profile_for(user)
    return profile is not None and profile.person.audience == "USG"


def clssa_context(user, c: FmsCase, today, is_ia: bool) -> dict:
    """What the case page shows of its CLSSA pair, its requisitions, its emergency implementation
    requests (internal: the door hides them from partners) and the buttons this user may press."""
    fmso1 = related(c, "fmso1_case", user) if c.fmso1_case_id else None
    fmso2_cases = (
        list(FmsCase.objects.visible_to(user).filter(fmso1_case=c).order_by("identifier"))
        if c.loa_type == LoaType.FMSO_I
        else []
    )
    requisitions = (
        of_case(c, ClssaRequisition.objects.visible_to(user).filter(case=c))
        if c.loa_type == LoaType.FMSO_II
        else []
    )
    requests = of_case(c, EmergencyImplementation.objects.visible_to(user).filter(case=c))
    may_decide = _may_decide_emergency(user)
    waiting = [r for r in requests if r.is_waiting]
    return {
        "clssa": c.loa_type in (LoaType.FMSO_I, LoaType.FMSO_II),
        "fmso1": fmso1,
        "fmso2_cases": fmso2_cases,
        "requisitions": requisitions,
        "may_requisition": is_ia
        and c.loa_type == LoaType.FMSO_II
        and c.status == rules.Status.IMPLEMENTED,
        "requisition_form": RequisitionForm(),
        "emergency_requests": requests,
        "may_request_emergency": is_ia
        and c.is_offered
        and not c.is_lapsed(today)
        and c.deposit_on is None
        and not any(r.is_waiting or r.is_approved for r in requests),
        "emergency_form": EmergencyRequestForm(),
        "emergency_decisions": [
            (r, [row for row in rules.EMERGENCY.available(r.status)]) for r in waiting
        ]
        if may_decide
        else [],
        "decision_form": EmergencyDecisionForm(),
        "may_record_deposit": is_ia and c.status in rules.Status.ACTIVE and c.deposit_on is None,
    }


def _may_decide_emergency(user) -> bool:
    """DSCA records its decision: the action's roles (DSCA staff), U.S. users only."""
    from secoop.core.permissions import REGISTRY

    spec = REGISTRY["secoop.cases.actions.decide_emergency_implementation"]
    return _is_usg(user) and spec.permits(user)


def version_aod_context(user, v) -> dict:
    """§11 AOD of an amendment or modification, for USG readers only (R-SEC-03)."""
    if not _is_usg(user) or v.kind not in rules.MEASURED_KINDS:
        return {"version_aod": None}
    measured = rules.version_measured_on(v.kind, v.issued_on, v.accepted_on)
    return {
        "version_aod": {
            "measured_on": measured,
            "step": "offer" if v.kind == "amendment" else "implementation",
            "on_time": rules.offered_on_time(measured, v.aod),
        }
    }


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")


def _run_posted(request, form, call, ok: str, *, report=_form_errors) -> None:
    """A button's form: when valid, run the action on its cleaned data and say what was done (or
    why it was refused); when not, `report` says what is wrong with it."""
    if form.is_valid():
        run_action(request, lambda: call(form.cleaned_data), ok)
    else:
        report(request, form)


@login_required
@require_POST
def case_emergency_request(request, pk):
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    _run_posted(
        request,
        EmergencyRequestForm(request.POST),
        lambda d: actions.request_emergency_implementation(
            user, case, signed_on=d["signed_on"], circumstances=d["circumstances"], on=d["on"]
        ),
        "Emergency implementation requested of DSCA (SAMM C6.1.2).",
    )
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def emergency_decide(request, pk, name):
    user = request.user
    record = visible_or_404(EmergencyImplementation, user, pk)
    if name not in rules.EMERGENCY:
        raise Http404("No such decision.")
    _run_posted(
        request,
        EmergencyDecisionForm(request.POST),
        lambda d: actions.decide_emergency_implementation(
            user,
            record,
            name,
            decided_by=d["decided_by"],
            reference=d["reference"],
            expected_deposit_on=d["expected_deposit_on"],
            on=d["on"],
        ),
        f"DSCA's decision recorded: {rules.EMERGENCY.label_of(rules.EMERGENCY.target(name)).lower()}.",
    )
    return redirect(reverse("cases:case-detail", args=[record.case_id]))


@login_required
@require_POST
def case_deposit(request, pk):
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    run_action(
        request,
        lambda: actions.record_deposit(user, case, posted_date(request, "on")),
        "Initial deposit recorded.",
    )
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def case_requisition(request, pk):
    user = request.user
    case = visible_or_404(FmsCase, user, pk)
    _run_posted(
        request,
        RequisitionForm(request.POST),
        lambda d: actions.requisition(user, ClssaRequisition(case=case, **d)),
        "Requisition recorded.",
    )
    return redirect(case.get_absolute_url())


# === closure and billing (issue 13 items 6–7) ======================================================

from secoop.core import fields as field_policy  # noqa: E402 — this section's imports
from secoop.core.permissions import REGISTRY  # noqa: E402

from .forms import CloseLineForm  # noqa: E402
from .forms import ClosholdForm  # noqa: E402
from .forms import CollectionForm  # noqa: E402
from .forms import ExpenditureForm  # noqa: E402
from .forms import StatementForm  # noqa: E402
from .models import BillingStatement  # noqa: E402
from .models import CaseExpenditure  # noqa: E402
from .models import ClosureHold  # noqa: E402
from .models import Collection  # noqa: E402
from .models import LineClosure  # noqa: E402

CHILD_FORMS.update(
    {
        "collection": (Collection, CollectionForm, "collection", "closure"),
        "expenditure": (CaseExpenditure, ExpenditureForm, "obligation or expenditure", "closure"),
    }
)


def closure_billing_context(user, c: FmsCase, today, ctx: dict) -> list:
    """The closure tab: SSC conditions, closure dates, lines and their closure, CLOSHOLD, the
    billing statements, collections and costs — each read through the door; returns what it
    shows (for the page's marking)."""
    lines = ctx["lines"]
    closures = {
        lc.line_id: lc for lc in of_case(c, LineClosure.objects.visible_to(user).filter(case=c))
    }
    holds = of_case(c, ClosureHold.objects.visible_to(user).filter(case=c))
    statements = of_case(c, BillingStatement.objects.visible_to(user).filter(case=c))
    collections = of_case(c, Collection.objects.visible_to(user).filter(case=c))
    expenditures = of_case(
        c, CaseExpenditure.objects.visible_to(user).filter(case=c).select_related("line")
    )
    is_ia = ctx["is_ia"]
    closing = c.status in (rules.Status.SSC, rules.Status.INTERIM)
    dsca = REGISTRY["secoop.cases.actions.set_closhold"].permits(user) and any(
        access.holds_role(user, actions.DSCA, o) for o in actions._dsca_orgs()
    )
    on_hold = any(h.active for h in holds)
    open_lines = [ln for ln in lines if ln.pk not in closures]
    reader = field_policy.reader_of(user)
    ctx.update(
        line_rows=[(ln, closures.get(ln.pk)) for ln in lines],
        holds=holds,
        on_hold=on_hold,
        may_set_closhold=dsca and closing and not on_hold,
        may_lift_closhold=dsca and on_hold,
        closhold_form=ClosholdForm(prefix="hold"),
        may_close_lines=is_ia and closing and bool(open_lines),
        close_line_form=CloseLineForm(lines=open_lines, prefix="line"),
        statements=statements,
        collections=collections,
        expenditures=[(e, related(e, "line", user)) for e in expenditures],
        may_bill=is_ia and c.implemented_on is not None,
        statement_form=StatementForm(prefix="dd645"),
        sees_reconciliation=field_policy.allows(BillingStatement, reader, "differences"),
        certificate_ready=rules.certificate_problem(c.status) is None,
        closure_rows=[
            ("Supply/services complete (SSC)", c.ssc_on),
            ("Final delivery", c.final_delivery_on),
            ("Last service performed", c.services_complete_on),
            ("Last warranty ends", c.warranties_end_on),
            ("Closure due", c.closure_due),
            ("Interim closure", c.interim_closed_on),
            ("Final closure", c.closed_on),
        ],
    )
    return [*closures.values(), *holds, *statements, *collections, *expenditures]


def _case_for_post(request, pk) -> FmsCase:
    return visible_or_404(FmsCase, request.user, pk)


def _closure_tab(case: FmsCase):
    return redirect(reverse("cases:case-detail", args=[case.pk]) + "?tab=closure")


def _refuse_form(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@login_required
@require_POST
def case_closhold(request, pk, step):
    """DSCA places or lifts CLOSHOLD (DSCA 25-89), with its reason."""
    if step not in ("set", "lift"):
        raise Http404("No such step.")
    user, case = request.user, _case_for_post(request, pk)
    act = actions.set_closhold if step == "set" else actions.lift_closhold
    _run_posted(
        request,
        ClosholdForm(request.POST, prefix="hold"),
        lambda d: act(user, case, reason=d["reason"], on=d["on"]),
        "Closure hold (CLOSHOLD) placed." if step == "set" else "Closure hold (CLOSHOLD) lifted.",
        report=_refuse_form,
    )
    return _closure_tab(case)


@login_required
@require_POST
def case_close_line(request, pk):
    user, case = request.user, _case_for_post(request, pk)
    lines = of_case(case, CaseLine.objects.visible_to(user).filter(case=case))
    form = CloseLineForm(request.POST, lines=lines, prefix="line")
    if not form.is_valid():
        _refuse_form(request, form)
        return _closure_tab(case)
    line = next(ln for ln in lines if ln.pk == form.cleaned_data["line"])
    run_action(
        request,
        lambda: actions.close_line(
            user,
            line,
            on=form.cleaned_data["on"],
            active_contracts=form.cleaned_data["active_contracts"],
        ),
        f"Line {line.number} closed.",
    )
    return _closure_tab(case)


@login_required
@require_POST
def case_contracts_closed(request, pk):
    user, case = request.user, _case_for_post(request, pk)
    closure = get_object_or_404(
        LineClosure.objects.visible_to(user).filter(case=case),
        pk=_post_whole(request, "closure") or 0,
    )
    run_action(
        request,
        lambda: actions.close_out_contracts(user, closure, on=posted_date(request, "on")),
        "Recorded: the line's contracts are closed out.",
    )
    return _closure_tab(case)


@login_required
@require_POST
def case_dd645_issue(request, pk):
    user, case = request.user, _case_for_post(request, pk)
    _run_posted(
        request,
        StatementForm(request.POST, prefix="dd645"),
        lambda d: actions.issue_dd645(user, case, d["period_end"], notes=d["notes"]),
        "DD Form 645 issued.",
        report=_refuse_form,
    )
    return _closure_tab(case)


# === Excess Defense Articles and DCS license requests (dcseda) ===================================

from .forms import DcsForm  # noqa: E402
from .forms import EdaForm  # noqa: E402
from .models import DcsLicense  # noqa: E402
from .models import EdaOffer  # noqa: E402


class EdaList(CasesList):
    model = EdaOffer
    filterset_class = filters.EdaFilter
    title = "Excess defense articles offers"
    intro = 'R-EDA-01: grant or sale, "as is, where is"; the transfer waits the congressional notification period (SPEC §11 EDA row).'
    columns = [
        Column("Offer", "title", "title"),
        Column("Recipient", "country.name"),
        Column("Grant or sale", "get_terms_display", "terms"),
        Column(
            "Original acquisition value (USD)",
            "original_acquisition_value",
            "original_acquisition_value",
            money=True,
        ),
        Column("Current value (USD)", "current_value", "current_value", money=True),
        Column("Status", "get_status_display", "status"),
    ]
    default_sort = "title"
    select_related = ("country",)
    create_url = "cases:eda-create"
    create_label = "New EDA offer"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not access.holds_role(self.request.user, actions.EDA_OWNERS):
            ctx.pop("create_url", None)  # EDA are offered by an IA or DSCA (R-EDA-01)
        return ctx


class DcsList(CasesList):
    """DCS license requests beside the FMS cases (EO 14268): filter by destination to see a
    country's; an industry user sees their company's only (R-IND-01)."""

    model = DcsLicense
    filterset_class = filters.DcsFilter
    title = "DCS license requests"
    intro = "Direct commercial sales beside the FMS cases: the State Department's (DDTC) dates and decision, the congressional certification where one applies (R-DCS-01..03)."
    columns = [
        Column("Request", "commodity", "commodity"),
        Column("Company", "col_company"),
        Column("Destination", "country.name"),
        Column("License type", "get_license_type_display", "license_type"),
        Column("Status", "get_status_display", "status"),
        Column("Submitted", "submitted_on", "submitted_on"),
        Column("Decided", "decided_on", "decided_on"),
        Column("Days in review", "col_days"),
        Column("Value (USD)", "value", "value", money=True),
    ]
    default_sort = "-submitted_on"
    select_related = ("country", "company")
    create_url = "cases:dcs-create"
    create_label = "New DCS license request"

    template_name = "cases/dcs_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today_for(self.request.user)
        # The same figures as the requests' own rows (actions.dcs_review_row), counted in SQL
        # over every request listed (issue 15 item 4).
        reviewed = self.object_list.filter(
            status__in=rules.DCS_DECIDED + ("submitted", "in_review")
        )
        review = actions.dcs_review_figures(reviewed)
        # The figures add up every request listed, not the page's: the banner covers them (0047).
        ctx["page_records"] = [*ctx.get("page_records", []), Marked(rows_marking(reviewed))]
        ctx.update(review=review, review_goal=facts.dcs_review_goal(today))
        return ctx

    def col_company(self, lic):
        company = related(lic, "company", self.request.user)
        return str(company) if company is not None else "(restricted)"

    def col_days(self, lic):
        days = lic.days_to_decision(clock.today_for(self.request.user))
        return "—" if days is None else days


class EdaDetail(CasesDetail):
    model = EdaOffer
    template_name = "cases/eda_detail.html"
    tabs = ("overview", "history")
    select_related = ("country", "owner_org", "lor")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, offer = self.request.user, self.object
        reader = access.profile_for(user)
        is_usg = reader is not None and reader.person.audience == "USG"
        notification = actions.eda_notification(offer) if is_usg else None
        owner_may = actions.may_act_for_eda_owner(user, offer)
        recipient_may = actions.may_act_as_eda_recipient(user, offer)
        steps = [
            t
            for t in rules.EDA.available(offer.status)
            if (recipient_may if t.name in ("accept", "decline") else owner_may)
        ]
        transfer_from = None
        if notification is not None and notification.required and offer.notified_on:
            transfer_from = rules.offer_allowed_from(offer.notified_on, notification.days)
        lor = related(offer, "lor", user)
        ctx.update(
            notification=notification,
            transfer_from=transfer_from,
            may_notify=owner_may
            and notification is not None
            and notification.required
            and not offer.notified_on
            and offer.is_open,
            steps=steps,
            owner=related(offer, "owner_org", user),
            lor=lor,
            can_edit=owner_may and offer.status == "proposed",
        )
        self.shown(ctx, [ctx["owner"], lor])
        return ctx


class DcsDetail(CasesDetail):
    model = DcsLicense
    template_name = "cases/dcs_detail.html"
    tabs = ("overview", "history")
    select_related = ("country", "company", "fms_case", "lor")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, lic = self.request.user, self.object
        notification = actions.dcs_notification(lic)
        may_enter = actions.may_enter_dcs(user, lic)
        may_decide = actions.may_decide_dcs(user, lic)
        steps = []
        for t in rules.DCS.available(lic.status):
            if t.name in rules.DCS_DECISIONS:
                allowed = may_decide
            elif t.name == "receive":
                allowed = may_enter or may_decide
            else:
                allowed = may_enter
            if allowed:
                steps.append(t)
        approve_from = None
        if notification.required and lic.notified_on:
            approve_from = rules.offer_allowed_from(lic.notified_on, notification.days)
        case, lor = related(lic, "fms_case", user), related(lic, "lor", user)
        ctx.update(
            notification=notification,
            approve_from=approve_from,
            may_notify=access.holds_role(user, actions.DCS_CERTIFIERS)
            and notification.required
            and not lic.notified_on
            and lic.status in ("submitted", "in_review"),
            steps=[t for t in steps if t.name not in rules.DCS_DECISIONS],
            decisions=[t for t in steps if t.name in rules.DCS_DECISIONS],
            timeliness=actions.dcs_timeliness(lic, ctx["today"]),
            company=related(lic, "company", user),
            case=case,
            lor=lor,
            can_edit=may_enter and lic.status in rules.DCS_EDITABLE,
        )
        self.shown(ctx, [ctx["company"], case, lor])
        return ctx


@login_required
def eda_edit(request, pk=None):
    return _edit(
        request,
        EdaOffer,
        EdaForm,
        pk,
        noun="EDA offer",
        list_name="cases:eda-offers",
        create=actions.create_eda,
        update=actions.update_eda,
    )


@login_required
def dcs_edit(request, pk=None):
    """The applicant company (its industry representative) or the destination's SCO enters and
    edits a request; the company owns it, so the edit page asks the action's own predicate."""
    user = request.user
    if pk is None:
        return _edit(
            request,
            DcsLicense,
            DcsForm,
            None,
            noun="DCS license request",
            list_name="cases:dcs-licenses",
            create=actions.create_dcs,
            update=actions.update_dcs,
        )
    lic = visible_or_404(DcsLicense, user, pk)
    if not (actions.may_enter_dcs(user, lic) and lic.status in rules.DCS_EDITABLE):
        raise Http404("Not yours to edit.")
    return _edit_page(
        request,
        lic,
        DcsForm(request.POST or None, instance=lic, user=user),
        "DCS license request",
        lambda form: actions.update_dcs(
            user, lic, form.changes(), reason=form.cleaned_data["reason"]
        ),
    )


@login_required
@require_POST
def eda_action(request, pk, name):
    user = request.user
    offer = visible_or_404(EdaOffer, user, pk)
    on, reason = posted_date(request, "on"), request.POST.get("reason", "")
    if name == "notify":
        call = lambda: actions.record_eda_notification(user, offer, on, reason=reason)  # noqa: E731
        done = "Congressional notification recorded."
    elif name in rules.EDA:
        call = lambda: actions.eda_take_step(user, offer, name, on, reason=reason)  # noqa: E731
        done = f"{rules.EDA[name].label}: done."
    else:
        raise Http404("No such action.")
    run_action(request, call, done)
    return redirect(offer.get_absolute_url())


@login_required
@require_POST
def dcs_action(request, pk, name):
    user = request.user
    lic = visible_or_404(DcsLicense, user, pk)
    on, reason = posted_date(request, "on"), request.POST.get("reason", "")
    if name == "notify":
        call = lambda: actions.record_dcs_notification(user, lic, on, reason=reason)  # noqa: E731
        done = "Congressional certification recorded."
    elif name in rules.DCS:
        inputs = {k: request.POST.get(k, "") for k in actions.DCS_STEP_INPUTS}
        call = lambda: actions.dcs_take_step(user, lic, name, on, inputs, reason)  # noqa: E731
        done = f"{rules.DCS[name].label}: done."
    else:
        raise Http404("No such action.")
    run_action(request, call, done)
    return redirect(lic.get_absolute_url())
