"""The EUM API under /api/v1/eum/: reads through the door (the partner's fields by the field
policy: never the investigation notes), writes and steps through eum.actions, bad input as 400
with field messages and the rule in X-Rule.

Steps: `articles/{id}/serials/` (`serials`), `articles/{id}/inventory/` (`kind`, `on`,
`checked_by`, `findings`, `evidence`, `found`), `violations/{id}/<investigate|resolve|forward|
close>/` (`on`, `note`), `reviews/{id}/sign-off/`, `plans/{id}/approve/`,
`requests/{id}/<approve|refuse>/` (`reference`), `requests/{id}/complete/`
(`demil_standard`, `condition_before`, `condition_after`, `serials`),
`notices/{id}/recipients/` (`country`, `eligible`, `evidence`), `notices/{id}/issue/`."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from secoop.cases.api import serializer_for
from secoop.core.api_base import MarkedReadCreateViewSet
from secoop.core.api_base import MarkedViewSet
from secoop.core.api_base import request_date
from secoop.core.api_base import request_text
from secoop.core.api_base import step_endpoints
from secoop.core.api_steps import RecordSteps

from . import actions
from . import filters
from . import models as m
from . import rules


def _list(request, name) -> list[str]:
    value = request.data.get(name) if hasattr(request.data, "get") else None
    if isinstance(value, list):
        return [str(v) for v in value]
    return [s for part in str(value or "").splitlines() for s in part.split(",")]


class EumViewSet(RecordSteps, MarkedReadCreateViewSet):
    http_method_names = ["get", "post", "head", "options"]
    reread_writes = True


class ArticleSerializer(serializer_for(m.TransferredArticle, ("serials",))):
    serials = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        write_only=True,
        help_text="Enhanced EUM: the serials, validated at entry (SPEC §11).",
    )

    def pop_extras(self, data: dict) -> dict:
        return {"serials": data.pop("serials", [])}


class ArticleViewSet(EumViewSet):
    """Transferred articles (R-EUM-01)."""

    model = m.TransferredArticle
    serializer_class = ArticleSerializer
    filterset_class = filters.ArticleFilter
    search_fields = ["nomenclature", "nsn"]
    ordering_fields = ["nomenclature", "delivered_on"]
    create_action = staticmethod(actions.register_article)

    @action(detail=True, methods=["post"])
    def serials(self, request, pk=None):
        """Add serials to an EEUM article (`serials`: a list or one a line); all or none."""
        return self._do(actions.add_serials, _list(request, "serials"), reason=self._reason())

    @action(detail=True, methods=["post"])
    def inventory(self, request, pk=None):
        """Record an inventory or inspection; a missing serial opens a possible violation."""
        check = actions.record_check(
            request.user,
            self.get_object(),
            request_text(request, "kind"),
            on=request_date(request, "on"),
            checked_by=request_text(request, "checked_by"),
            findings=request_text(request, "findings"),
            evidence=request_text(request, "evidence"),
            found=_list(request, "found"),
            reason=self._reason(),
        )
        return Response(
            CheckSerializer(check, context=self.get_serializer_context()).data, status=201
        )


CheckSerializer = serializer_for(m.Check)


class CheckViewSet(EumViewSet):
    """Inventories and inspections (read; record them at `articles/{id}/inventory/`)."""

    model = m.Check
    serializer_class = CheckSerializer
    filterset_class = filters.CheckFilter
    search_fields = ["checked_by", "findings"]
    ordering_fields = ["checked_on"]
    http_method_names = ["get", "head", "options"]


class ViolationSerializer(serializer_for(m.PossibleViolation, ("investigation_notes",))):
    investigation_notes = serializers.SerializerMethodField(
        help_text="The investigation's notes this user may read: NOFORN records, so never to LE "
        "staff or the partner (R-SEC-02/03)."
    )

    def get_investigation_notes(self, obj) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        # Prefetched with the page through the door (ViolationViewSet.list_prefetch): one query
        # for the page, not one per violation (ARCHITECTURE invariant 7); a violation read
        # elsewhere asks the door itself.
        if "notes" in getattr(obj, "_prefetched_objects_cache", {}):
            notes = obj.notes.all()
        else:
            notes = m.InvestigationNote.objects.visible_to(request.user).filter(violation=obj)
        return [
            {"written_on": n.written_on.isoformat(), "text": n.text, "marking": str(n.marking)}
            for n in notes
        ]


class ViolationViewSet(EumViewSet):
    """Possible violations (R-EUM-07); the partner never reads the investigation notes."""

    model = m.PossibleViolation
    serializer_class = ViolationSerializer
    filterset_class = filters.ViolationFilter
    list_prefetch = ("notes",)
    search_fields = ["summary"]
    ordering_fields = ["opened_on", "status"]
    create_action = staticmethod(actions.open_violation)


def _violation_step(viewset, request, violation, name):
    on, note = request_date(request, "on"), request_text(request, "note")
    return actions.violation_step(
        request.user, violation, name, on, note=note, reason=viewset._reason()
    )


step_endpoints(
    ViolationViewSet,
    "violation",
    rules.VIOLATION,
    _violation_step,
    lambda name: f"R-EUM-07: {rules.VIOLATION[name].label} (`on`, `note`).",
)


class VisitViewSet(EumViewSet):
    """Compliance assessment visits (R-EUM-02)."""

    model = m.ComplianceVisit
    serializer_class = serializer_for(m.ComplianceVisit)
    filterset_class = filters.VisitFilter
    search_fields = ["team", "findings"]
    ordering_fields = ["held_on"]
    create_action = staticmethod(actions.record_visit)


class ReportViewSet(EumViewSet):
    """Routine EUM reports (R-EUM-03), by the SCO or the partner."""

    model = m.RoutineReport
    serializer_class = serializer_for(m.RoutineReport)
    filterset_class = filters.ReportFilter
    search_fields = ["summary"]
    ordering_fields = ["period_end"]
    create_action = staticmethod(actions.submit_report)


class ReviewViewSet(EumViewSet):
    """Quarterly EUM database reviews (DODIG-2025-078); internal."""

    model = m.DatabaseReview
    serializer_class = serializer_for(m.DatabaseReview)
    filterset_class = filters.ReviewFilter
    search_fields = ["checked", "discrepancies"]
    ordering_fields = ["reviewed_on"]
    create_action = staticmethod(actions.record_review)

    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """A second person signs the review off (R-SEC-11)."""
        return self._dated(request, actions.sign_off_review)


class PlanViewSet(RecordSteps, MarkedViewSet):
    """EUM control plans (R-EUM-04), one per country."""

    model = m.ControlPlan
    serializer_class = serializer_for(m.ControlPlan)
    filterset_class = filters.PlanFilter
    ordering_fields = ["country"]
    create_action = staticmethod(actions.create_control_plan)
    update_action = staticmethod(actions.update_control_plan)
    http_method_names = ["get", "post", "patch", "head", "options"]
    reread_writes = True

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """R-EUM-04: approved once every element is written."""
        return self._dated(request, actions.approve_control_plan)


class RequestViewSet(EumViewSet):
    """Change of end use (R-EUM-05) and third-party transfer (R-EUM-06) requests."""

    model = m.EndUseRequest
    serializer_class = serializer_for(m.EndUseRequest)
    filterset_class = filters.RequestFilter
    search_fields = ["description", "recipient"]
    ordering_fields = ["requested_on", "status"]
    create_action = staticmethod(actions.request_end_use)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """DoS PM/RSAT's approval or written consent (`reference`, `on`)."""
        return self._decide(request, "approve")

    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """DoS PM/RSAT refuses (`on`)."""
        return self._decide(request, "refuse")

    def _decide(self, request, name):
        return self._act(
            actions.decide_end_use,
            name,
            request_date(request, "on"),
            reference=request_text(request, "reference"),
            reason=self._reason(),
        )

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Carried out: refused without the prior approval (R-EUM-05/06)."""
        return self._act(
            actions.complete_end_use,
            request_date(request, "on"),
            demil_standard=request_text(request, "demil_standard"),
            condition_before=request_text(request, "condition_before"),
            condition_after=request_text(request, "condition_after"),
            serials=_list(request, "serials"),
            reason=self._reason(),
        )


class NoticeViewSet(EumViewSet):
    """Materiel notices (R-EUM-08); internal."""

    model = m.MaterielNotice
    serializer_class = serializer_for(m.MaterielNotice)
    filterset_class = filters.NoticeFilter
    search_fields = ["item", "rationale"]
    ordering_fields = ["item", "issued_on"]
    create_action = staticmethod(actions.create_notice)

    @action(detail=True, methods=["post"])
    def recipients(self, request, pk=None):
        """Add a country (`country`, `eligible`, `evidence`): refused without interest or
        eligibility (R-EUM-08)."""
        recipient = m.NoticeRecipient(
            country_id=request_text(request, "country"),
            eligible=str(request.data.get("eligible", "")).lower() in ("true", "1", "on", "yes"),
            evidence=request_text(request, "evidence"),
        )
        return self._do(actions.add_recipient, recipient, reason=self._reason())

    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the notice (R-EUM-08: rationale, LOR deadline, final LOA acceptance date)."""
        return self._dated(request, actions.issue_notice)


router = SimpleRouter(use_regex_path=False)
router.register("articles", ArticleViewSet, basename="eum-article")
router.register("checks", CheckViewSet, basename="eum-check")
router.register("violations", ViolationViewSet, basename="eum-violation")
router.register("visits", VisitViewSet, basename="eum-visit")
router.register("reports", ReportViewSet, basename="eum-report")
router.register("reviews", ReviewViewSet, basename="eum-review")
router.register("plans", PlanViewSet, basename="eum-plan")
router.register("requests", RequestViewSet, basename="eum-request")
router.register("notices", NoticeViewSet, basename="eum-notice")
urlpatterns = router.urls
