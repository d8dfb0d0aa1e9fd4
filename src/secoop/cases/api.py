"""The cases API under /api/v1/cases/: reads through the door, writes and milestones through
cases.actions, bad input as 400 with field messages and the rule in X-Rule.

Milestones are `POST /api/v1/cases/cases/{id}/<action>/` (write, review, propose, approve, offer,
accept, reject, cancel, reactivate, implement, complete, interim, close, notify; closure and
billing at the end of this module); LORs have route/validate/
return, CTAs coordinate/transmit, amendments accept, deliveries deliver, SDRs reply.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import SimpleRouter

from secoop.core import access
from secoop.core import fields as field_policy
from secoop.core.api import CountryCodeField
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedViewSet
from secoop.core.api_base import MarkingField
from secoop.core.api_base import request_date
from secoop.core.api_base import request_text
from secoop.core.api_base import request_value
from secoop.core.api_base import step_endpoints
from secoop.core.api_steps import RecordSteps
from secoop.core.models import Organization
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused

from . import actions
from . import filters
from . import rules
from .forms import milestone_inputs
from .models import CaseAmendment
from .models import CaseDocument
from .models import CaseLine
from .models import CaseReview
from .models import ClssaRequisition
from .models import CountryTeamAssessment
from .models import Delivery
from .models import EmergencyImplementation
from .models import FmsCase
from .models import LetterOfRequest
from .models import Shipment
from .models import SupplyDiscrepancyReport

MARKING_COLUMNS = {"classification", "dissemination", "rel_to"}


class CasesSerializer(MarkedModelSerializer):
    """Every model field but the marking columns (the marking is one text field); fields the
    model marks not editable are read-only; related-record choices come through the door."""

    # Organizations are chosen by role (the action checks who may write for them); the partner
    # may name its own ministry even though USG organizations are hidden from it.
    related_by_role = (Organization,)

    def to_representation(self, instance):
        """Only the fields the model's one field policy lets this reader see (core.fields,
        ARCHITECTURE invariant 8): a partner's response carries partner fields only (R-SEC-03)."""
        data = super().to_representation(instance)
        policy = field_policy.policy_of(type(instance))
        request = self.context.get("request")
        if not policy.restricts or request is None:
            return data
        reader = field_policy.reader_of(request.user)
        return {k: v for k, v in data.items() if policy.allows(reader, k)}


def serializer_for(model, extra_fields=(), **attrs):
    names = [f.name for f in model._meta.concrete_fields if f.name not in MARKING_COLUMNS]
    read_only = [
        f.name
        for f in model._meta.concrete_fields
        if not f.editable and f.name not in MARKING_COLUMNS and f.name != "id"
    ]
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*names, *extra_fields, "marking"],
            "read_only_fields": read_only,
        },
    )
    body = {"Meta": meta, **attrs}
    if any(f.name == "case" for f in model._meta.concrete_fields):
        body["marking"] = MarkingField(required=False, help_text="Defaults to the case's marking.")
    if any(f.name == "country" for f in model._meta.concrete_fields):
        body["country"] = CountryCodeField()
    return type(f"{model.__name__}Serializer", (CasesSerializer,), body)


def _detail(serializer) -> bool:
    view = serializer.context.get("view")
    return getattr(view, "action", None) not in ("list",)


def _notification_dict(n: rules.Notification) -> dict:
    return {"required": n.required, "reasons": list(n.reasons), "days": n.days}


def _notification_36b_dict(n: rules.Notification) -> dict:
    """A 36(b) notification adds its lead days and whether the NATO+5 thresholds applied."""
    return {**_notification_dict(n), "lead_days": n.lead_days, "nato_plus_5": n.nato_plus_5}


class LorSerializer(
    serializer_for(LetterOfRequest, ("cta_reasons", "notification_36b", "validation_due"))
):
    cta_reasons = serializers.SerializerMethodField(
        help_text="R-FMS-02: the CTA criteria this LOR meets (detail only)."
    )
    notification_36b = serializers.SerializerMethodField(
        help_text="§11 36(b): required, reasons, days and lead days (detail only)."
    )
    validation_due = serializers.SerializerMethodField(
        help_text="§11 LOR validation goal date (detail only)."
    )

    def get_cta_reasons(self, obj) -> list[str] | None:
        return [c.label for c in actions.cta_reasons(obj)] if _detail(self) else None

    def get_notification_36b(self, obj) -> dict | None:
        if not _detail(self):
            return None
        n = actions.lor_notification(obj)
        return _notification_36b_dict(n)

    def get_validation_due(self, obj) -> dt.date | None:
        return actions.validation_due(obj) if _detail(self) and obj.received_on else None


class CaseSerializer(
    serializer_for(
        FmsCase,
        ("display_status", "lapsed", "next_actions", "actions_now", "notification_36b"),
    )
):
    # Uniqueness is checked by the model inside the action (a trusted read), not by a field validator.
    identifier = serializers.CharField(max_length=8, help_text="CC-I-DDD, e.g. XB-B-ZAA.")
    display_status = serializers.SerializerMethodField()
    lapsed = serializers.SerializerMethodField(help_text="Offered and past the OED (SPEC §5).")
    next_actions = serializers.SerializerMethodField(
        help_text="The milestones the case may take next."
    )

    def get_display_status(self, obj) -> str:
        return obj.status_label(timezone.localdate())

    def get_lapsed(self, obj) -> bool:
        return obj.is_lapsed(timezone.localdate())

    def get_next_actions(self, obj) -> list[str]:
        return rules.next_actions(obj.status, obj.is_lapsed(timezone.localdate()))

    actions_now = serializers.SerializerMethodField(
        help_text="The milestones you may take now: allowed by the lifecycle, your roles and "
        "your organization (detail only; null in lists)."
    )

    def get_actions_now(self, obj) -> list[str] | None:
        request = self.context.get("request")
        if not _detail(self) or request is None:
            return None
        return actions.milestones_now(request.user, obj, actions.today(request.user))

    notification_36b = serializers.SerializerMethodField(
        help_text="§11 36(b) from the LOA's lines (detail only; USG users only)."
    )

    def get_notification_36b(self, obj) -> dict | None:
        request = self.context.get("request")
        profile = access.profile_for(request.user) if request else None
        if not _detail(self) or profile is None or profile.person.audience != "USG":
            return None
        n = actions.case_notification(
            obj, list(CaseLine.objects.visible_to(request.user).filter(case=obj))
        )
        return _notification_36b_dict(n)


class AmendmentSerializer(serializer_for(CaseAmendment)):
    """An amendment, modification or restatement: its lines before and after and the readable diff."""


class DeliverySerializer(serializer_for(Delivery, ("days_late",))):
    days_late = serializers.SerializerMethodField()

    def get_days_late(self, obj) -> int:
        return obj.days_late(timezone.localdate())


SERIALIZERS = {
    CountryTeamAssessment: serializer_for(CountryTeamAssessment),
    CaseLine: serializer_for(CaseLine),
    Shipment: serializer_for(Shipment),
    SupplyDiscrepancyReport: serializer_for(SupplyDiscrepancyReport),
    CaseReview: serializer_for(CaseReview),
    CaseDocument: serializer_for(CaseDocument),
}


class CasesViewSet(RecordSteps, MarkedViewSet):
    """CRUD through cases.actions; steps through core.api_steps (`_act`, `_apply`, `_dated`)."""

    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True


def _flag(request, name: str, default: bool) -> bool:
    """A yes/no input given as text: absent, or any other word than the opposite, is the default."""
    text = str(request.data.get(name, default)).lower()
    return text not in ("false", "0", "no") if default else text in ("true", "1", "yes")


def _whole(request, name):
    return request_value(request, name, serializers.IntegerField(min_value=1))


class LorViewSet(CasesViewSet):
    """Letters of request (R-FMS-01): the SCO or the partner enters them; the SCO routes; the IA validates."""

    model = LetterOfRequest
    serializer_class = LorSerializer
    filterset_class = filters.LorFilter
    search_fields = ["title", "requested_items"]
    ordering_fields = ["received_on", "title", "status"]

    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """The SCO routes the LOR to an implementing agency (`implementing_agency`: its id)."""
        ia_id = request.data.get("implementing_agency")
        ia = (
            Organization.objects.system().filter(pk=ia_id).first()
            if str(ia_id or "").isdigit()
            else None
        )
        if ia_id and ia is None:
            raise Refused(
                Finding(
                    "R-FMS-01",
                    "no such implementing agency: give its id.",
                    field="implementing_agency",
                )
            )
        return self._act(
            actions.route_lor,
            ia,
            on=request_date(request, "on"),
            reason=self._reason(),
        )

    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """The IA validates the LOR (`validated_on`, default today; 5-day goal from the IA's
        receipt) and records its LOR-complete date (`complete_on`, default the validation date)."""
        return self._act(
            actions.validate_lor,
            request_date(request, "validated_on"),
            complete_on=request_date(request, "complete_on"),
            reason=self._reason(),
        )

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """The IA returns an incomplete LOR, with the reason."""
        return self._act(actions.return_lor, reason=self._reason())


class CtaViewSet(CasesViewSet):
    """Country Team Assessments (R-FMS-02): internal USG, never shown to partners."""

    model = CountryTeamAssessment
    serializer_class = SERIALIZERS[CountryTeamAssessment]
    filterset_class = filters.CtaFilter
    ordering_fields = ["dated", "status"]

    @action(detail=True, methods=["post"])
    def coordinate(self, request, pk=None):
        """Record coordination with the country team (`coordinated_with`, `coordinated_on`)."""
        return self._act(
            actions.coordinate_cta,
            request_text(request, "coordinated_with"),
            request_date(request, "coordinated_on"),
        )

    @action(detail=True, methods=["post"])
    def transmit(self, request, pk=None):
        """Transmit to DSCA and the DoD component (`transmitted_on`, `with_lor`: true/false)."""
        return self._act(
            actions.transmit_cta,
            request_date(request, "transmitted_on"),
            with_lor=_flag(request, "with_lor", True),
        )


class CaseViewSet(CasesViewSet):
    """FMS cases (LOAs) with their milestones as POST actions (SPEC §5)."""

    model = FmsCase
    serializer_class = CaseSerializer
    filterset_class = filters.CaseFilter
    search_fields = ["identifier", "title"]
    ordering_fields = ["identifier", "status", "aod", "oed", "offered_on"]

    def _milestone(self, request, name):
        data = milestone_inputs(
            name,
            {
                "date": lambda f: request_date(request, f),
                "whole": lambda f: _whole(request, f),
                "count": lambda f: _count(request, f),
                "text": lambda f: request_text(request, f),
            },
        )
        on = request_date(request, "on")
        return self._act(actions.milestone, name, on, reason=self._reason(), **data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        """R-FMS-08: the SCO advised the IA and DSCA of the purchaser's decision (`on`)."""
        return self._dated(request, actions.notify_ia_and_dsca)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="36b-review")
    def n36b_review(self, request, pk=None):
        """AECA 36(b), SAMM C5.5: the informal (tiered) review of the notification began (`on`)."""
        return self._dated(request, actions.record_36b, "review")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="36b-notify")
    def n36b_notify(self, request, pk=None):
        """AECA 36(b): Congress was formally notified (`on`); the offer waits the statutory period."""
        return self._dated(request, actions.record_36b, "notify")


def _milestone_endpoint(name):
    def endpoint(self, request, pk=None):
        return self._milestone(request, name)

    endpoint.__name__ = name
    endpoint.__doc__ = (
        f"Milestone “{rules.TRANSITIONS[name][2]}” (`on`: the date, default today"
        + (
            "; `signed_on` and `deposit_on`: acceptance is signature and initial deposit by the OED)."
            if name == "accept"
            else "; optional `oed_days` for a non-standard OED, with `oed_remark`: the case remark or short-OED note)."
            if name == "approve"
            else ")."
        )
    )
    return extend_schema(request=None)(
        action(detail=True, methods=["post"], url_path=name)(endpoint)
    )


for _name in rules.TRANSITIONS:
    setattr(CaseViewSet, _name, _milestone_endpoint(_name))


class LineViewSet(CasesViewSet):
    """Case lines: item, quantity, unit and total value (USD), SME/MDE, FMF-funded."""

    model = CaseLine
    serializer_class = SERIALIZERS[CaseLine]
    filterset_class = filters.LineFilter
    search_fields = ["item", "description"]
    ordering_fields = ["number", "total_value"]
    list_select_related = ("case",)


class AmendmentViewSet(CasesViewSet):
    """Amendments, modifications and restatements: each a new LOA version with a diff of lines and values."""

    model = CaseAmendment
    serializer_class = AmendmentSerializer
    filterset_class = filters.AmendmentFilter
    ordering_fields = ["number", "issued_on"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = data["case"]
        version = actions.propose_change(
            self.request.user,
            case,
            data["kind"],
            data.get("description", ""),
            data.get("changes") or [],
            # §11 AOD (fmsclssa): the version's measurement, read-only fields given on creation.
            request_complete_on=request_date(self.request, "request_complete_on"),
            aod_group=str(self.request.data.get("aod_group", "") or ""),
            category=str(self.request.data.get("category", "") or ""),
            delay_reason=str(self.request.data.get("delay_reason", "") or ""),
        )
        serializer.instance = self._reread(version)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The purchaser accepts an amendment (`on`)."""
        return self._act(actions.accept_change, request_date(request, "on"))


class DeliveryViewSet(CasesViewSet):
    """Deliveries per line: planned vs actual dates and quantities."""

    model = Delivery
    serializer_class = DeliverySerializer
    filterset_class = filters.DeliveryFilter
    ordering_fields = ["planned_on", "actual_on"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """Record the actual delivery (`actual_on`, `actual_quantity`, `title_passed`)."""
        quantity = request.data.get("actual_quantity")
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            raise Refused(
                Finding(
                    "SPEC-11-case-lines",
                    "give the delivered quantity as a whole number.",
                    field="actual_quantity",
                )
            ) from None
        return self._act(
            actions.record_delivery,
            request_date(request, "actual_on"),
            quantity,
            title_passed=_flag(request, "title_passed", True),
        )


class ShipmentViewSet(CasesViewSet):
    """Shipments (R-FMS-09: transportation plan for classified materiel, DTS representative)."""

    model = Shipment
    serializer_class = SERIALIZERS[Shipment]
    filterset_class = filters.ShipmentFilter
    ordering_fields = ["shipped_on"]


class SdrViewSet(CasesViewSet):
    """Supply discrepancy reports (SF 364), routed to the MILDEP's ILCO (R-FMS-10)."""

    model = SupplyDiscrepancyReport
    serializer_class = SERIALIZERS[SupplyDiscrepancyReport]
    filterset_class = filters.SdrFilter
    search_fields = ["description"]
    ordering_fields = ["reported_on", "status", "value"]
    http_method_names = ["get", "post", "head", "options"]

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """The ILCO (or the IA) replies (`reply`, `on`, `close`: true/false)."""
        return self._act(
            actions.reply_sdr,
            request_text(request, "reply"),
            request_date(request, "on"),
            close=_flag(request, "close", False),
        )


class ReviewViewSet(CasesViewSet):
    """Program, case and financial management reviews (R-FMS-11): internal USG."""

    model = CaseReview
    serializer_class = SERIALIZERS[CaseReview]
    filterset_class = filters.ReviewFilter
    ordering_fields = ["held_on"]


class DocumentViewSet(CasesViewSet):
    """The case file (R-FMS-07): every document type, with its marking; deletion refused for 10 years after closure."""

    model = CaseDocument
    serializer_class = SERIALIZERS[CaseDocument]
    filterset_class = filters.DocumentFilter
    search_fields = ["title"]
    ordering_fields = ["dated", "kind"]


# === fmsclssa: CLSSA requisitions, emergency implementation, the deposit ========================
# (issue 13 item 8; docs/decisions/0031-clssa-emergency-aod.md)


class RequisitionViewSet(CasesViewSet):
    """Requisitions against a CLSSA FMSO II case (SPEC §5 CLSSA): made by the implementing agency
    once the FMSO II and its FMSO I are implemented; the purchaser reads them with its case."""

    model = ClssaRequisition
    serializer_class = serializer_for(ClssaRequisition)
    ordering_fields = ["requisitioned_on", "document_number"]
    http_method_names = ["get", "post", "head", "options"]
    create_action = staticmethod(actions.requisition)


class EmergencyImplementationViewSet(CasesViewSet):
    """Emergency implementation requests (SAMM C6.1.2): the IA asks DSCA in writing to let a signed
    case go ahead before its initial deposit; DSCA records who decided, when, and the reference.
    Internal USG: never shown to partners."""

    model = EmergencyImplementation
    serializer_class = serializer_for(EmergencyImplementation)
    ordering_fields = ["requested_on", "status"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        made = actions.request_emergency_implementation(
            self.request.user,
            data["case"],
            signed_on=data.get("signed_on"),
            circumstances=data.get("circumstances", ""),
            on=data.get("requested_on"),
        )
        serializer.instance = self._reread(made)

    def _decide(self, request, name):
        return self._act(
            actions.decide_emergency_implementation,
            name,
            decided_by=request_text(request, "decided_by"),
            reference=request_text(request, "reference"),
            expected_deposit_on=request_date(request, "expected_deposit_on"),
            on=request_date(request, "on"),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """DSCA approves (`decided_by`: the official, `reference`: the written decision, `on`,
        `expected_deposit_on`)."""
        return self._decide(request, "approve")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        """DSCA denies (`decided_by`, `reference`, `on`)."""
        return self._decide(request, "deny")


@extend_schema(request=None)
@action(detail=True, methods=["post"])
def deposit(self, request, pk=None):
    """§11 acceptance: the initial deposit of a case that went ahead on DSCA's emergency approval
    arrived (`on`)."""
    return self._act(actions.record_deposit, request_date(request, "on"))


CaseViewSet.deposit = deposit


# === closure and billing (issue 13 items 6–7) ======================================================
# POST /api/v1/cases/cases/{id}/closhold-set/ and closhold-lift/ (DSCA, `reason`, `on`);
# POST /api/v1/cases/cases/{id}/dd645/ (`period_end`, `notes`): issue the quarter's statement;
# POST /api/v1/cases/case-lines/{id}/close/ (`on`, `active_contracts`: conditional when given);
# POST /api/v1/cases/line-closures/{id}/contracts-closed/ (`on`);
# lists: line-closures, closure-holds, collections, expenditures, statements (the partner reads its
# statements without the reconciliation: BillingStatement.field_policy).

from rest_framework.response import Response  # noqa: E402 — this section's imports

from .models import BillingStatement  # noqa: E402
from .models import CaseExpenditure  # noqa: E402
from .models import ClosureHold  # noqa: E402
from .models import Collection  # noqa: E402
from .models import LineClosure  # noqa: E402


def _count(request, name):
    """A count (0 or more): the SSC milestone's items held in storage."""
    return request_value(request, name, serializers.IntegerField(min_value=0))


def _answer(viewset, model, obj):
    """The record an action made, as its own list shows it (through the door, field policy)."""
    current = model.objects.visible_to(viewset.request.user).get(pk=obj.pk)
    return Response(
        CLOSURE_SERIALIZERS[model](current, context=viewset.get_serializer_context()).data
    )


CLOSURE_SERIALIZERS = {
    model: serializer_for(model)
    for model in (LineClosure, ClosureHold, Collection, CaseExpenditure, BillingStatement)
}


def _closhold_endpoint(step):
    def endpoint(self, request, pk=None):
        act = actions.set_closhold if step == "set" else actions.lift_closhold
        self._apply(act, reason=self._reason(), on=request_date(request, "on"))
        return self._done(self.get_object())

    endpoint.__name__ = f"closhold_{step}"
    endpoint.__doc__ = (
        "DSCA 25-89: DSCA places the SSC case on closure hold (CLOSHOLD) — `reason`, `on`."
        if step == "set"
        else "DSCA lifts the case's closure hold (CLOSHOLD) — `reason`, `on`."
    )
    return extend_schema(request=None)(
        action(detail=True, methods=["post"], url_path=f"closhold-{step}")(endpoint)
    )


def dd645(self, request, pk=None):
    """SPEC §5 / SAMM C9.10: issue the quarter's DD Form 645 (`period_end`: the quarter's last
    day; `notes`: internal reconciliation notes)."""
    statement = self._apply(
        actions.issue_dd645,
        request_date(request, "period_end"),
        on=request_date(request, "on"),
        notes=request_text(request, "notes"),
    )
    return _answer(self, BillingStatement, statement)


def close(self, request, pk=None):
    """Close the line (`on`); naming `active_contracts` closes it conditionally (DSCA 26-32)."""
    closure = self._apply(
        actions.close_line,
        on=request_date(request, "on"),
        active_contracts=request_text(request, "active_contracts"),
        reason=self._reason(),
    )
    return _answer(self, LineClosure, closure)


for _step in ("set", "lift"):
    setattr(CaseViewSet, f"closhold_{_step}", _closhold_endpoint(_step))
CaseViewSet.dd645 = extend_schema(request=None, responses=CLOSURE_SERIALIZERS[BillingStatement])(
    action(detail=True, methods=["post"], url_path="dd645")(dd645)
)
LineViewSet.close = extend_schema(request=None, responses=CLOSURE_SERIALIZERS[LineClosure])(
    action(detail=True, methods=["post"], url_path="close")(close)
)


class LineClosureViewSet(CasesViewSet):
    """Line closures (DSCA 26-32): made by the line's close action; conditional while contracts are active."""

    model = LineClosure
    serializer_class = CLOSURE_SERIALIZERS[LineClosure]
    ordering_fields = ["closed_on"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="contracts-closed")
    def contracts_closed(self, request, pk=None):
        """The conditionally closed line's contracts are closed out (`on`)."""
        return self._act(
            actions.close_out_contracts,
            on=request_date(request, "on"),
            reason=self._reason(),
        )


class ClosureHoldViewSet(CasesViewSet):
    """CLOSHOLD periods (DSCA 25-89), internal USG: set and lifted through the case's actions."""

    model = ClosureHold
    serializer_class = CLOSURE_SERIALIZERS[ClosureHold]
    ordering_fields = ["set_on"]
    http_method_names = ["get", "head", "options"]


class CollectionViewSet(CasesViewSet):
    """Payments the purchaser made into the case (the collections of the DD Form 645)."""

    model = Collection
    serializer_class = CLOSURE_SERIALIZERS[Collection]
    ordering_fields = ["received_on"]


class ExpenditureViewSet(CasesViewSet):
    """Obligations and accrued expenditures per line (internal): the costs the DD Form 645 bills."""

    model = CaseExpenditure
    serializer_class = CLOSURE_SERIALIZERS[CaseExpenditure]
    ordering_fields = ["dated"]


class StatementViewSet(CasesViewSet):
    """Quarterly DD Form 645 statements, issued through the case's dd645 action. The partner reads
    its own case's statements without the reconciliation (R-SEC-03)."""

    model = BillingStatement
    serializer_class = CLOSURE_SERIALIZERS[BillingStatement]
    ordering_fields = ["period_end"]
    http_method_names = ["get", "head", "options"]


# === Excess Defense Articles and DCS license requests (dcseda) ===================================
# `eda-offers` (POST …/{id}/notify/ and …/{id}/<offer|accept|decline|transfer|withdraw>/) and
# `dcs-licenses` (POST …/{id}/<submit|receive|notify|approve|deny|return|withdraw>/). Partners
# read an offered EDA without its notification (field policy); DCS requests never reach them.

from .models import DcsLicense  # noqa: E402
from .models import EdaOffer  # noqa: E402


class EdaSerializer(serializer_for(EdaOffer, ("notification",))):
    notification = serializers.SerializerMethodField(
        help_text="SPEC §11 EDA row: required, reasons, days (detail only; internal)."
    )

    def get_notification(self, obj) -> dict | None:
        return _notification_dict(actions.eda_notification(obj)) if _detail(self) else None


class DcsSerializer(serializer_for(DcsLicense, ("notification", "timeliness"))):
    notification = serializers.SerializerMethodField(
        help_text="R-DCS-02, AECA §36(c)/(d): required, reasons, days (detail only)."
    )
    timeliness = serializers.SerializerMethodField(
        help_text="R-DCS-03: days from DDTC receipt to decision, the goal, late (detail only)."
    )

    def get_notification(self, obj) -> dict | None:
        return _notification_dict(actions.dcs_notification(obj)) if _detail(self) else None

    def get_timeliness(self, obj) -> dict | None:
        if not _detail(self):
            return None
        return actions.dcs_timeliness(obj, timezone.localdate())


class EdaViewSet(CasesViewSet):
    """Excess defense articles offers (R-EDA-01): the transfer waits the congressional
    notification period (SPEC §11 EDA row)."""

    model = EdaOffer
    serializer_class = EdaSerializer
    filterset_class = filters.EdaFilter
    search_fields = ["title", "article"]
    ordering_fields = ["title", "status", "offered_on", "original_acquisition_value"]
    create_action = staticmethod(actions.create_eda)
    update_action = staticmethod(actions.update_eda)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        """Record the notification to Congress (`on`, default today)."""
        return self._dated(request, actions.record_eda_notification)


def _eda_step(viewset, request, offer, name):
    on = request_date(request, "on")
    return actions.eda_take_step(request.user, offer, name, on, reason=viewset._reason())


step_endpoints(
    EdaViewSet,
    "eda",
    rules.EDA,
    _eda_step,
    lambda name: f"EDA lifecycle: {rules.EDA[name].label} (`on`, default today).",
)


class DcsViewSet(CasesViewSet):
    """DCS license requests (R-DCS-01..03): an industry user reads their company's only."""

    model = DcsLicense
    serializer_class = DcsSerializer
    filterset_class = filters.DcsFilter
    search_fields = ["commodity", "reference"]
    ordering_fields = ["submitted_on", "decided_on", "status", "value"]
    create_action = staticmethod(actions.create_dcs)
    update_action = staticmethod(actions.update_dcs)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        """DoS PM records the day Congress received the §36(c)/(d) certification (`on`)."""
        return self._dated(request, actions.record_dcs_notification)


def _dcs_step(viewset, request, lic, name):
    inputs = {k: request_text(request, k) for k in actions.DCS_STEP_INPUTS}
    on = request_date(request, "on")
    return actions.dcs_take_step(request.user, lic, name, on, inputs, viewset._reason())


step_endpoints(
    DcsViewSet,
    "dcs",
    rules.DCS,
    _dcs_step,
    lambda name: (
        f"DCS lifecycle: {rules.DCS[name].label} (`on`; decisions take `provisos`, `decision_note`; submit takes `reference`)."
    ),
)


# === routes ======================================================================================
# Every viewset of this module under /api/v1/cases/<prefix>/, registered once its actions are all
# set (the case's closure and billing actions above are added after its class); route names are
# cases-<name>-list, cases-<name>-detail, cases-<name>-<action>.
ROUTES = (
    ("lors", LorViewSet, "lor"),
    ("ctas", CtaViewSet, "cta"),
    ("cases", CaseViewSet, "case"),
    ("case-lines", LineViewSet, "case-line"),
    ("amendments", AmendmentViewSet, "amendment"),
    ("deliveries", DeliveryViewSet, "delivery"),
    ("shipments", ShipmentViewSet, "shipment"),
    ("sdrs", SdrViewSet, "sdr"),
    ("reviews", ReviewViewSet, "review"),
    ("documents", DocumentViewSet, "document"),
    ("requisitions", RequisitionViewSet, "requisition"),
    ("emergency", EmergencyImplementationViewSet, "emergency"),
    ("line-closures", LineClosureViewSet, "line-closure"),
    ("closure-holds", ClosureHoldViewSet, "closure-hold"),
    ("collections", CollectionViewSet, "collection"),
    ("expenditures", ExpenditureViewSet, "expenditure"),
    ("statements", StatementViewSet, "statement"),
    ("eda-offers", EdaViewSet, "eda"),
    ("dcs-licenses", DcsViewSet, "dcs"),
)
router = SimpleRouter(use_regex_path=False)
for _prefix, _viewset, _name in ROUTES:
    router.register(_prefix, _viewset, basename=f"cases-{_name}")
urlpatterns = router.urls
