"""Planning API under /api/v1/planning/: reads through the door (related rows prefetched through it
too), writes and transitions through planning.actions, bad input as 400 with field messages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from secoop.core import access
from secoop.core import actions as core
from secoop.core.api import CountryCodeField
from secoop.core.api_base import ActionsNowField
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedReadCreateViewSet
from secoop.core.api_base import MarkedViewSet
from secoop.core.api_base import MarkingField
from secoop.core.api_steps import RecordSteps
from secoop.core.models import Organization
from secoop.core.related import GuardedPrefetch

from . import actions
from . import filters
from . import findings
from . import rules
from .actions import ACTIVITY_READ_ONLY
from .forms import ACTIVITY_FIELDS
from .forms import IMO_FIELDS
from .forms import AssumptionForm
from .forms import CountryPlanForm
from .models import Activity
from .models import ActivityDependency
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import FundingSource
from .models import GuidanceDocument
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Measure
from .models import Phase
from .models import PlanningAssumption
from .models import PlanningEvent
from .models import Reschedule

FINDING = inline_serializer(
    "PlanningFinding",
    {
        "rule": serializers.CharField(),
        "letter": serializers.CharField(),
        "message": serializers.CharField(),
        "fix": serializers.CharField(),
    },
)


class PlanningSerializer(MarkedModelSerializer):
    """A planning record in the API (related choices through the door: MarkedModelSerializer)."""


class GuidanceSerializer(PlanningSerializer):
    country = CountryCodeField(allow_null=True, required=False)

    class Meta:
        model = GuidanceDocument
        fields = [
            "id",
            "kind",
            "title",
            "issued_by",
            "issued_on",
            "country",
            "summary",
            "reference",
            "owner_org",
            "marking",
            "created_at",
            "updated_at",
        ]


class CampaignPlanSerializer(PlanningSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)

    class Meta:
        model = CampaignPlan
        fields = [
            "id",
            "kind",
            "title",
            "owner_org",
            "start_fy",
            "end_fy",
            "period",
            "period_start",
            "period_end",
            "status",
            "approved_on",
            "approved_by",
            "supports",
            "summary",
            "guidance",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "approved_on", "approved_by"]

    def pop_extras(self, data):
        return {"guidance": data.pop("guidance")} if "guidance" in data else {}


class EndStateSerializer(PlanningSerializer):
    class Meta:
        model = EndState
        fields = [
            "id",
            "campaign_plan",
            "kind",
            "title",
            "description",
            "priority",
            "marking",
            "created_at",
            "updated_at",
        ]


class LineOfEffortSerializer(PlanningSerializer):
    country = CountryCodeField(allow_null=True, required=False)

    class Meta:
        model = LineOfEffort
        fields = [
            "id",
            "campaign_plan",
            "end_state",
            "name",
            "country",
            "description",
            "sequence",
            "marking",
            "created_at",
            "updated_at",
        ]


class MeasureSerializer(PlanningSerializer):
    class Meta:
        model = Measure
        fields = [
            "id",
            "imo",
            "kind",
            "indicator",
            "method",
            "unit",
            "baseline",
            "baseline_on",
            "target",
            "target_on",
            "marking",
            "created_at",
            "updated_at",
        ]


class ImoSerializer(PlanningSerializer):
    measures = serializers.SerializerMethodField()
    smart = serializers.SerializerMethodField(
        help_text="R-PLN-02: what fails SMART, letter by letter, and the fix. Empty when SMART."
    )
    smart_ok = serializers.SerializerMethodField()

    class Meta:
        model = IntermediateObjective
        fields = [
            "id",
            *IMO_FIELDS,
            "measures",
            "smart_ok",
            "smart",
            "marking",
            "created_at",
            "updated_at",
        ]

    def _findings(self, obj):
        cache = getattr(obj, "_smart_cache", None)
        if cache is None:
            request = self.context.get("request")
            plan_end = findings.plan_end(obj, request.user if request else None)
            cache = obj._smart_cache = findings.imo_findings(obj, obj.measures.all(), plan_end)
        return cache

    @extend_schema(responses={200: MeasureSerializer(many=True)})
    def get_measures(self, obj) -> list[int]:
        return [m.pk for m in obj.measures.all()]

    def get_smart_ok(self, obj) -> bool:
        return not self._findings(obj)

    @extend_schema(responses={200: FINDING})
    def get_smart(self, obj) -> list[dict]:
        return findings.as_dicts(self._findings(obj))


class LineOfActivitySerializer(PlanningSerializer):
    class Meta:
        model = LineOfActivity
        fields = ["id", "imo", "name", "description", "marking", "created_at", "updated_at"]


class FundingSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, help_text="US dollars."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DependsOnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    predecessor = serializers.IntegerField(source="predecessor_id")
    lag_days = serializers.IntegerField()


class ActivitySerializer(PlanningSerializer):
    country = CountryCodeField()
    funding = FundingSerializer(
        many=True,
        required=False,
        help_text="One line per fiscal year and source (R-PLN-08). Replaces the lines on update.",
    )
    depends_on = DependsOnSerializer(many=True, read_only=True)
    fiscal_year = serializers.IntegerField(read_only=True, help_text="Of the start date.")
    unlinked = serializers.BooleanField(
        read_only=True, help_text="R-PLN-01: serves no line of activity."
    )
    assessment_overdue = serializers.BooleanField(read_only=True, help_text="R-PLN-06.")
    flags = serializers.SerializerMethodField(help_text="R-PLN-01/06/09/10 findings.")
    actions_now = ActionsNowField(rules.TRANSITIONS)

    class Meta:
        model = Activity
        fields = [
            "id",
            *ACTIVITY_FIELDS,
            "fiscal_year",
            *ACTIVITY_READ_ONLY,
            "funding",
            "depends_on",
            "unlinked",
            "assessment_overdue",
            "flags",
            "actions_now",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ACTIVITY_READ_ONLY
        extra_kwargs = {"owner_org": {"help_text": "The sponsoring organization."}}

    @extend_schema(responses={200: FINDING})
    def get_flags(self, obj) -> list[dict]:
        request = self.context.get("request")
        user = request.user if request else None
        return findings.as_dicts(
            findings.activity_flags(
                obj,
                timezone.localdate(),
                obj.depends_on.all(),
                user,
            )
        )

    def pop_extras(self, data):
        return {"funding": [dict(row) for row in data.pop("funding")]} if "funding" in data else {}


class DependencySerializer(PlanningSerializer):
    marking = MarkingField(
        required=False, help_text="Defaults to the combined marking of the two activities."
    )

    class Meta:
        model = ActivityDependency
        fields = [
            "id",
            "predecessor",
            "successor",
            "lag_days",
            "note",
            "marking",
            "created_at",
            "updated_at",
        ]


class PhaseSerializer(PlanningSerializer):
    class Meta:
        model = Phase
        fields = [
            "id",
            "country_plan",
            "number",
            "name",
            "start_date",
            "end_date",
            "description",
            "marking",
            "created_at",
            "updated_at",
        ]


class CountryPlanSerializer(PlanningSerializer):
    country = CountryCodeField()
    period = serializers.CharField(source="period_label", read_only=True)
    missing_sections = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="R-PLN-05: empty CSCS sections."
    )
    update_due = serializers.SerializerMethodField(help_text="R-PLN-05: updated at least annually.")

    class Meta:
        model = CountryPlan
        fields = [
            "id",
            *CountryPlanForm.Meta.fields,
            "period",
            "update_due",
            "missing_sections",
            "marking",
            "created_at",
            "updated_at",
        ]

    def get_update_due(self, obj) -> dt.date | None:
        return rules.cscs_update_due(obj.issued_on)


class AssumptionSerializer(PlanningSerializer):
    review_overdue = serializers.SerializerMethodField(help_text="R-PLN-04: past its review date.")
    findings = serializers.SerializerMethodField()

    class Meta:
        model = PlanningAssumption
        fields = [
            "id",
            *AssumptionForm.Meta.fields,
            "review_overdue",
            "findings",
            "marking",
            "created_at",
            "updated_at",
        ]

    def get_review_overdue(self, obj) -> bool:
        return obj.review_overdue(timezone.localdate())

    def get_findings(self, obj) -> list[str]:
        return [f.text for f in rules.assumption_problems(obj.valid, obj.necessary)]


class PlanningEventSerializer(PlanningSerializer):
    country = CountryCodeField(allow_null=True, required=False)
    fiscal_year = serializers.IntegerField(
        required=False, help_text="Taken from the start date when omitted."
    )
    findings = serializers.SerializerMethodField()

    class Meta:
        model = PlanningEvent
        fields = [
            "id",
            "kind",
            "title",
            "fiscal_year",
            "start_date",
            "end_date",
            "location",
            "country",
            "owner_org",
            "notes",
            "findings",
            "marking",
            "created_at",
            "updated_at",
        ]

    def get_findings(self, obj) -> list[str]:
        return [f.text for f in rules.planning_event_findings(obj.kind, obj.start_date)]


# --- viewsets ------------------------------------------------------------------------------------


class PlanningViewSet(RecordSteps, MarkedViewSet):
    """CRUD through planning.actions; related rows prefetched through the door; steps through
    core.api_steps."""

    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class GuidanceViewSet(PlanningViewSet):
    """Guidance documents a plan derives from (NSS, NDS, NMS, JSCP, GEF; DoS JSP, JRS, FBS, ICS; USAID CDCS)."""

    model = GuidanceDocument
    serializer_class = GuidanceSerializer
    filterset_class = filters.GuidanceFilter
    search_fields = ["title", "issued_by", "summary"]
    ordering_fields = ["kind", "issued_on", "title"]


class CampaignPlanViewSet(PlanningViewSet):
    """Campaign plans: GCP, FCP, CCMD campaign plans and campaign support plans (3–5 years, R-PLN-03)."""

    model = CampaignPlan
    serializer_class = CampaignPlanSerializer
    filterset_class = filters.CampaignPlanFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "start_fy", "end_fy", "status"]

    list_prefetch = ("guidance",)

    @extend_schema(request=ReasonSerializer, responses={200: CampaignPlanSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Draft → approved. Refused (400, R-PLN-02) while any IMO of the plan fails SMART; the message lists them."""
        return self._act(actions.approve_plan, reason=self._reason())

    @extend_schema(request=ReasonSerializer, responses={200: CampaignPlanSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Approved → draft, with the reason."""
        return self._act(actions.reopen_plan, reason=self._reason())


class EndStateViewSet(PlanningViewSet):
    """Theater strategic end states and SC objectives."""

    model = EndState
    serializer_class = EndStateSerializer
    filterset_class = filters.EndStateFilter
    search_fields = ["title", "description"]
    ordering_fields = ["priority", "title"]


class LineOfEffortViewSet(PlanningViewSet):
    """Lines of effort, also called significant security cooperation initiatives (LOE / SSCI)."""

    model = LineOfEffort
    serializer_class = LineOfEffortSerializer
    filterset_class = filters.LineOfEffortFilter
    search_fields = ["name", "description"]
    ordering_fields = ["sequence", "name"]


class ImoViewSet(PlanningViewSet):
    """Intermediate military objectives, also called outcomes (IMO / outcome), with their SMART findings (R-PLN-02)."""

    model = IntermediateObjective
    serializer_class = ImoSerializer
    filterset_class = filters.ImoFilter
    search_fields = ["title", "statement", "by_whom", "with_whom"]
    ordering_fields = ["deadline", "priority", "title", "term"]
    list_select_related = ("line_of_effort__campaign_plan",)

    list_prefetch = ("measures",)


class MeasureViewSet(PlanningViewSet):
    """Measures of performance (MOP) and effectiveness (MOE) of an IMO (R-AME-02)."""

    model = Measure
    serializer_class = MeasureSerializer
    filterset_class = filters.MeasureFilter
    search_fields = ["indicator", "method"]
    ordering_fields = ["kind", "indicator"]


class LineOfActivityViewSet(PlanningViewSet):
    """Lines of activity: the ways that advance an IMO."""

    model = LineOfActivity
    serializer_class = LineOfActivitySerializer
    filterset_class = filters.LineOfActivityFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name"]


class CompleteSerializer(ReasonSerializer):
    completed_on = serializers.DateField(required=False, allow_null=True)


class AssessSerializer(ReasonSerializer):
    assessment = serializers.CharField(allow_blank=True)
    assessed_on = serializers.DateField(required=False, allow_null=True)


class RescheduleSerializer(ReasonSerializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    confirm = serializers.BooleanField(
        default=False,
        help_text="Move the dependents too. Without it, nothing moves while dependents must.",
    )


class MoveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    old_start = serializers.DateField()
    old_end = serializers.DateField()
    new_start = serializers.DateField()
    new_end = serializers.DateField()
    because_of = serializers.IntegerField(allow_null=True)


class ActivityViewSet(PlanningViewSet):
    """Activities, events, operations and investments (R-PLN-08) with their funding per fiscal year,
    dependencies and flags; status changes through the transition endpoints."""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_class = filters.ActivityFilter
    search_fields = ["title", "program", "location", "description"]
    ordering_fields = ["start_date", "end_date", "title", "status"]

    def prefetches(self):
        user = self.request.user
        return [
            GuardedPrefetch("funding", user),
            GuardedPrefetch(
                "depends_on",
                user,
                queryset=ActivityDependency.objects.select_related("predecessor"),
            ),
        ]

    @extend_schema(request=ReasonSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"], url_path="plan")
    def plan(self, request, pk=None):
        """Proposed → planned (refused while unlinked, R-PLN-01)."""
        return self._act(actions.plan_activity, reason=self._reason())

    @extend_schema(request=ReasonSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Planned → ongoing."""
        return self._act(actions.start_activity, reason=self._reason())

    @extend_schema(request=CompleteSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Ongoing → completed; the assessment falls due (R-PLN-06)."""
        form = CompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._act(
            actions.complete_activity,
            completed_on=form.validated_data.get("completed_on"),
            reason=form.validated_data["reason"],
        )

    @extend_schema(request=ReasonSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Proposed, planned or ongoing → cancelled, with the reason."""
        return self._act(actions.cancel_activity, reason=self._reason())

    @extend_schema(request=AssessSerializer, responses={200: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Record the sponsor's assessment of a completed activity (R-PLN-06)."""
        form = AssessSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return self._act(
            actions.record_assessment,
            text=data["assessment"],
            assessed_on=data.get("assessed_on"),
            reason=data["reason"],
        )

    @extend_schema(
        request=RescheduleSerializer,
        responses={
            200: inline_serializer(
                "RescheduleResult",
                {
                    "applied": serializers.BooleanField(),
                    "moves": MoveSerializer(many=True),
                    "blocked": serializers.ListField(
                        child=serializers.IntegerField(),
                        help_text="Ids of the pushed activities you may not change (R-PLN-09).",
                    ),
                    "approver": serializers.CharField(
                        allow_null=True,
                        help_text="The office that may change them all: ask it to approve.",
                    ),
                    "alone": serializers.DateField(
                        allow_null=True,
                        help_text="The latest start that pushes nothing you may not change.",
                    ),
                },
            )
        },
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move the activity (R-PLN-09, R-PLN-10, R-PLN-03). Refused with 400 naming the rule and
        the fix; otherwise the moves. When dependents must move, nothing changes until `confirm`."""
        form = RescheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        result = actions.reschedule(
            request.user,
            self.get_object(),
            data["start_date"],
            data.get("end_date"),
            confirm=data["confirm"],
            reason=data["reason"],
        )
        user = request.user
        moves = [
            {
                "id": m.id,
                "title": result.activities[m.id].title
                if access.can_see_record(user, result.activities[m.id])
                else "(restricted)",
                "old_start": m.old_start,
                "old_end": m.old_end,
                "new_start": m.new_start,
                "new_end": m.new_end,
                "because_of": m.because_of,
            }
            for m in result.moves
        ]
        return Response(
            {
                "applied": result.applied,
                "moves": MoveSerializer(moves, many=True).data,
                "blocked": result.blocked,
                "approver": str(result.approver) if result.approver else None,
                "alone": result.alone,
            }
        )


class DependencyViewSet(PlanningViewSet):
    """Finish-to-start dependencies between activities, with a lag in days (R-PLN-09)."""

    model = ActivityDependency
    serializer_class = DependencySerializer
    filterset_class = filters.DependencyFilter
    ordering_fields = ["id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        dep = actions.add_dependency(
            self.request.user,
            data["predecessor"],
            data["successor"],
            lag_days=data.get("lag_days", 0),
            note=data.get("note", ""),
            marking=core.check_marking(data["marking"]) if data.get("marking") else None,
            reason=self._reason(),
        )
        serializer.instance = self._reread(dep)

    def perform_destroy(self, instance):
        actions.remove_dependency(
            self.request.user, instance, reason=self.request.query_params.get("reason", "")
        )


class PhaseViewSet(PlanningViewSet):
    """Phases of a country plan's synchronization matrix."""

    model = Phase
    serializer_class = PhaseSerializer
    filterset_class = filters.PhaseFilter
    ordering_fields = ["number", "start_date"]


class CountryPlanViewSet(PlanningViewSet):
    """Country plans: the country-specific security cooperation section (CSCS) of a campaign plan (R-PLN-05)."""

    model = CountryPlan
    serializer_class = CountryPlanSerializer
    filterset_class = filters.CountryPlanFilter
    search_fields = ["title", "country_objectives", "concept_of_engagement"]
    ordering_fields = ["country", "version", "issued_on"]


class AssumptionViewSet(PlanningViewSet):
    """Planning assumptions with their plan, valid/necessary flags and review date (R-PLN-04)."""

    model = PlanningAssumption
    serializer_class = AssumptionSerializer
    filterset_class = filters.AssumptionFilter
    search_fields = ["statement", "rationale"]
    ordering_fields = ["review_on"]


class PlanningEventViewSet(PlanningViewSet):
    """Meetings of the annual planning cycle (R-PLN-07)."""

    model = PlanningEvent
    serializer_class = PlanningEventSerializer
    filterset_class = filters.PlanningEventFilter
    search_fields = ["title", "location"]
    ordering_fields = ["start_date", "fiscal_year"]

    def before_create(self, obj):
        if obj.fiscal_year is None:
            obj.fiscal_year = 0  # taken from the start date by the action (R-PLN-07)


# --- reschedule records: moves applied (undoable) and requests another office answers ------------


class RescheduleRecordSerializer(PlanningSerializer):
    """A move (R-PLN-09): applied, or asked of the office that may change every activity it pushes."""

    actions_now = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Reschedule
        fields = [
            "id",
            "activity",
            "country_plan",
            "country",
            "owner_org",
            "approver_org",
            "new_start",
            "new_end",
            "moves",
            "status",
            "status_label",
            "actions_now",
            "requested_by",
            "note",
            "decided_by",
            "decided_at",
            "decision_note",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_status_label(self, obj) -> str:
        return rules.RESCHEDULE_STATES.get(obj.status, obj.status)

    def get_actions_now(self, obj) -> list[str]:
        """The steps the requesting user may take now (the office asked answers; one who may
        change every moved activity undoes)."""
        request = self.context.get("request")
        if request is None:
            return []
        user = request.user
        editable_ids, approvers = self._page_facts(user)
        ids = {m.id for m in obj.recorded_moves()}
        may = actions.reschedule_steps_may(
            user, obj, approvers.get(obj.approver_org_id), ids <= editable_ids
        )
        return [t.name for t in rules.RESCHEDULE.actions_now(user, obj.status, may=may)]

    def _page_facts(self, user) -> tuple[set[int], dict]:
        """For every record of the page at once (two queries, not two per record): the moved
        activities this user may change, and the approving offices."""
        facts = self.context.get("_reschedule_page")
        if facts is None:
            page = self.parent.instance if self.parent is not None else [self.instance]
            records = list(page or [])
            moved = {m.id for r in records for m in r.recorded_moves()}
            editable = set(
                Activity.objects.editable_by(user).filter(pk__in=moved).values_list("pk", flat=True)
            )
            offices = {r.approver_org_id for r in records if r.approver_org_id}
            facts = (editable, Organization.objects.system().in_bulk(offices))
            self.context["_reschedule_page"] = facts
        return facts


class RescheduleRequestSerializer(ReasonSerializer):
    activity = serializers.IntegerField(help_text="The activity to move.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)


class RescheduleRecordViewSet(RecordSteps, MarkedReadCreateViewSet):
    """Reschedules (issue 12 items 2–3): each applied move, and each request to the office that may
    change every activity a move pushes. POST asks that office (`actions.request_reschedule`); the
    office approves (the moves are applied) or declines with a reason; an applied move is undone
    while nothing changed since. Moving an activity yourself is `activities/{id}/reschedule/`."""

    model = Reschedule
    serializer_class = RescheduleRecordSerializer
    filterset_class = filters.RescheduleFilter
    ordering_fields = ["created_at", "new_start", "status"]
    ordering = ["-created_at"]

    @extend_schema(request=RescheduleRequestSerializer, responses={201: RescheduleRecordSerializer})
    def create(self, request, *args, **kwargs):
        """Ask the approving office to move the activity (R-PLN-09). Refused (400) when the user may
        change every activity the move pushes (move it yourself) or a request is already waiting."""
        form = RescheduleRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        activity = Activity.objects.visible_to(request.user).filter(pk=data["activity"]).first()
        if activity is None:
            raise serializers.ValidationError({"activity": ["No such activity that you may see."]})
        record = actions.request_reschedule(
            request.user,
            activity,
            data["start_date"],
            data.get("end_date"),
            reason=data["reason"],
        )
        return Response(self.get_serializer(self._reread(record)).data, status=201)

    @extend_schema(request=ReasonSerializer, responses={200: RescheduleRecordSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Requested → moved: the moves are computed again from today's dates and applied."""
        return self._act(actions.approve_reschedule, reason=self._reason())

    @extend_schema(request=ReasonSerializer, responses={200: RescheduleRecordSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Requested → declined, with the reason the requester reads (required)."""
        return self._act(actions.decline_reschedule, reason=self._reason())

    @extend_schema(request=ReasonSerializer, responses={200: RescheduleRecordSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Moved → undone: every activity the move moved goes back, while none changed since."""
        return self._act(actions.undo_reschedule, reason=self._reason())


router = SimpleRouter(use_regex_path=False)
router.register("guidance", GuidanceViewSet, basename="planning-guidance")
router.register("campaign-plans", CampaignPlanViewSet, basename="planning-campaign-plan")
router.register("objectives", EndStateViewSet, basename="planning-objective")
router.register("lines-of-effort", LineOfEffortViewSet, basename="planning-line-of-effort")
router.register("imos", ImoViewSet, basename="planning-imo")
router.register("measures", MeasureViewSet, basename="planning-measure")
router.register("lines-of-activity", LineOfActivityViewSet, basename="planning-line-of-activity")
router.register("activities", ActivityViewSet, basename="planning-activity")
router.register("dependencies", DependencyViewSet, basename="planning-dependency")
router.register("country-plans", CountryPlanViewSet, basename="planning-country-plan")
router.register("phases", PhaseViewSet, basename="planning-phase")
router.register("assumptions", AssumptionViewSet, basename="planning-assumption")
router.register("reschedules", RescheduleRecordViewSet, basename="planning-reschedule")
router.register("events", PlanningEventViewSet, basename="planning-event")

urlpatterns = router.urls
