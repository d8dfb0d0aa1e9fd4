"""The assessment API under /api/v1/assessment/: reads through the door, writes through
assessment.actions, refusals as 400 with the rule id (X-Rule). `updates` take
POST …/{id}/submit/, …/approve/ and …/return/; `iati.xml` is the IATI 2.03 file of what may be
published."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from secoop.core import clock
from secoop.core.api_base import ActionsNowField
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedReadCreateViewSet
from secoop.core.api_steps import RecordSteps
from secoop.core.api_steps import text_step
from secoop.core.related import related

from . import actions
from . import findings
from . import iati
from . import models as m
from . import rollup
from . import rules
from .forms import INDICATOR_FIELDS


class ResultSerializer(MarkedModelSerializer):
    class Meta:
        model = m.Result
        fields = [
            "id",
            "title",
            "description",
            "result_type",
            "end_state",
            "imo",
            "activity",
            "owner_org",
            "country",
            "shared_with_partner",
            "public_release",
            "marking",
        ]
        # R-SEC-10: set by POST …/{id}/public-release/ (a foreign disclosure officer), never by
        # the record's writer.
        read_only_fields = ["public_release"]


class IndicatorSerializer(MarkedModelSerializer):
    name = serializers.SerializerMethodField(
        help_text="The indicator's name (a measure's, for an IMO measure)."
    )

    class Meta:
        model = m.Indicator
        fields = [
            "id",
            "name",
            *INDICATOR_FIELDS,
            "public_release",
            "contributes_to",
            "roll_up_weight",
            "country",
            "marking",
        ]
        # Set through POST …/{id}/contributes-to/ (the link's rules: same unit, the objective
        # the activity serves, a positive weight).
        # public_release: POST …/{id}/public-release/ (R-SEC-10).
        read_only_fields = ["contributes_to", "roll_up_weight", "public_release"]

    def get_name(self, obj) -> str:
        request = self.context.get("request")
        if obj.measure_id and request is not None:
            measure = related(obj, "measure", request.user)
            if measure is not None:
                return measure.indicator
        return obj.title


class PeriodSerializer(MarkedModelSerializer):
    target_unit = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="The unit the target is given in; refused unless it is the indicator's.",
    )

    class Meta:
        model = m.Period
        fields = [
            "id",
            "indicator",
            "period_start",
            "period_end",
            "target",
            "target_comment",
            "target_unit",
            "marking",
        ]

    def pop_extras(self, data: dict) -> dict:
        return {"target_unit": data.pop("target_unit", "")}


class UpdateSerializer(MarkedModelSerializer):
    value = serializers.CharField(
        help_text="A number (or a scale level for a qualitative indicator)."
    )
    marking = serializers.CharField(read_only=True, source="marking_text")
    actions_now = ActionsNowField(rules.UPDATE)

    class Meta:
        model = m.Update
        fields = [
            "id",
            "period",
            "value",
            "narrative",
            "status",
            "owner_org",
            "submitted_on",
            "decided_by",
            "decided_on",
            "decision_comment",
            "marking",
            "actions_now",
        ]
        read_only_fields = ["owner_org", "decided_by"]


class EvaluationSerializer(MarkedModelSerializer):
    actions_now = ActionsNowField(rules.EVALUATION)

    class Meta:
        model = m.Evaluation
        fields = [
            "id",
            "title",
            "kind",
            "activity",
            "imo",
            "criteria",
            "plan",
            "due_on",
            "status",
            "started_on",
            "completed_on",
            "recommended_adjustments",
            "owner_org",
            "country",
            "marking",
            "actions_now",
        ]


class FindingSerializer(MarkedModelSerializer):
    class Meta:
        model = m.EvaluationFinding
        fields = ["id", "evaluation", "criterion", "statement", "cited_data", "marking"]


class LessonSerializer(MarkedModelSerializer):
    class Meta:
        model = m.Lesson
        fields = [
            "id",
            "title",
            "kind",
            "observation",
            "recommendation",
            "tags",
            "evaluation",
            "activity",
            "observed_on",
            "owner_org",
            "country",
            "marking",
        ]


class ReadCreate(RecordSteps, MarkedReadCreateViewSet):
    reread_writes = True


class PublicRelease:
    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="public-release")
    def public_release(self, request, pk=None):
        """R-SEC-10: a foreign disclosure officer over the owner (a U.S. person who did not
        write it) approves it for the IATI file, with the `reason`."""
        return self._do(actions.approve_public_release, reason=str(request.data.get("reason", "")))


class ResultViewSet(PublicRelease, ReadCreate):
    """Results (output, outcome, impact) of a campaign objective (`end_state`), an IMO/outcome
    or an activity."""

    model = m.Result
    serializer_class = ResultSerializer
    filterset_fields = ["result_type", "country", "end_state", "imo", "activity"]
    search_fields = ["title", "description"]
    create_action = staticmethod(actions.create_result)


class RollUpLineSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(
        help_text="The contributing indicator: an activity's, or an IMO/outcome's into a "
        "campaign objective's."
    )
    name = serializers.CharField()
    activity = serializers.IntegerField(allow_null=True)
    imo = serializers.IntegerField(allow_null=True, help_text="For an IMO/outcome's indicator.")
    value = serializers.DecimalField(
        max_digits=20, decimal_places=4, help_text="Its value in the period, by its own method."
    )


class RollUpPartSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    category = serializers.CharField()
    amount = serializers.DecimalField(max_digits=20, decimal_places=4)


class RollUpPeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    own_actual = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        help_text="The objective indicator's own approved actual.",
    )
    value = serializers.DecimalField(
        max_digits=20, decimal_places=4, allow_null=True, help_text="Rolled up by its method."
    )
    contributions = RollUpLineSerializer(many=True)
    parts = RollUpPartSerializer(many=True, help_text="The disaggregations carried through.")


class RollUpSkippedSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()


class RollUpSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    method = serializers.CharField()
    note = serializers.CharField(help_text="The figures come from the records you can see.")
    marking = serializers.CharField(help_text="The highest marking of the records it reads.")
    periods = RollUpPeriodSerializer(many=True)
    skipped = RollUpSkippedSerializer(many=True)


def roll_up_data(indicator, user) -> dict:
    """The roll-up of an objective's indicator as `user` may see it (issue 17 item 10)."""
    from secoop.core.markings import combine

    t = rollup.table(indicator, user)
    if t is None:
        return {
            "indicator": indicator.pk,
            "name": findings.related_name(indicator, user),
            "unit": "",
            "method": indicator.roll_up,
            "note": rollup.NOTE + " No indicator that you can see rolls up into it.",
            "marking": indicator.marking_text,
            "periods": [],
            "skipped": [],
        }
    return {
        "indicator": indicator.pk,
        "name": t.name,
        "unit": t.unit,
        "method": t.method,
        "note": rollup.NOTE,
        "marking": str(combine([r.marking for r in t.records])),
        "periods": [
            {
                "period_start": p.period.period_start,
                "period_end": p.period.period_end,
                "target": p.target,
                "own_actual": p.own_actual,
                "value": p.value,
                "contributions": [
                    {
                        "indicator": c.indicator.pk,
                        "name": c.name,
                        "activity": c.activity.pk if c.activity else None,
                        "imo": c.imo.pk if c.imo else None,
                        "value": value,
                    }
                    for c, value in p.lines
                ],
                "parts": [{"dimension": d, "category": c, "amount": a} for d, c, a in p.parts],
            }
            for p in t.periods
        ],
        "skipped": [
            {"indicator": c.indicator.pk, "name": c.name, "reason": c.skipped} for c in t.skipped
        ],
    }


class RollUpLinkSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=m.Indicator.objects.none(), allow_null=True, help_text="The objective's indicator."
    )
    weight = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:  # offered through the door
            self.fields["into"].queryset = m.Indicator.objects.visible_to(request.user)


class IndicatorViewSet(PublicRelease, ReadCreate):
    """Indicators (MOP/MOE) with their reference sheets (R-AME-02); an IMO measure's indicator
    keeps its name, kind, unit and baseline on the measure."""

    model = m.Indicator
    serializer_class = IndicatorSerializer
    filterset_fields = ["result", "measure", "country"]
    search_fields = ["title", "definition"]

    def prefetches(self) -> list:
        # Each row's name (its measure's), through the door once per page, not once per row.
        return [*super().prefetches(), findings.measures(self.request.user)]

    create_action = staticmethod(actions.create_indicator)

    @extend_schema(responses=RollUpSerializer)
    @action(detail=True, methods=["get"], url_path="roll-up")
    def roll_up(self, request, pk=None):
        """The indicator rolled up from the indicators that contribute to it (an IMO/outcome's
        from its activities', a campaign objective's from its IMOs'), per period, with the
        disaggregations carried through; from the records you can see."""
        from rest_framework.response import Response

        return Response(RollUpSerializer(roll_up_data(self.get_object(), request.user)).data)

    @extend_schema(request=RollUpLinkSerializer)
    @action(detail=True, methods=["post"], url_path="contributes-to")
    def contributes_to(self, request, pk=None):
        """Roll this activity indicator up into an objective's indicator (`into`: its id, or
        null to end the link), with its `weight` for a weighted mean."""
        form = RollUpLinkSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return self._do(
            actions.link_contribution,
            into=form.validated_data.get("into"),
            weight=form.validated_data.get("weight"),
        )


class PeriodViewSet(ReadCreate):
    """Reporting periods with their targets."""

    model = m.Period
    serializer_class = PeriodSerializer
    filterset_fields = ["indicator"]
    create_action = staticmethod(actions.add_period)


class UpdateViewSet(ReadCreate):
    """Indicator updates (actuals): POST enters a draft (R-AME-01: never before the baseline);
    submit, approve (never one's own, R-SEC-11) and return (with a comment)."""

    model = m.Update
    serializer_class = UpdateSerializer
    filterset_fields = ["status", "period"]
    search_fields = ["narrative"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        period = data["period"]  # offered through the door (MarkedModelSerializer)
        made = actions.enter_update(
            self.request.user, period, data["value"], narrative=data.get("narrative", "")
        )
        serializer.instance = self._reread(made)

    submit = text_step("submit", actions.submit_update)
    approve = text_step("approve", actions.approve_update, "comment")
    return_ = text_step("return_", actions.return_update, "comment", url_path="return")


class EvaluationViewSet(ReadCreate):
    """Evaluations (R-AME-04): start, complete (every finding cites evidence), cancel."""

    model = m.Evaluation
    serializer_class = EvaluationSerializer
    filterset_fields = ["status", "kind", "activity", "imo"]
    search_fields = ["title", "plan"]
    create_action = staticmethod(actions.create_evaluation)

    start = text_step("start", actions.start_evaluation)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        adjustments = request.data.get("recommended_adjustments")
        return self._do(
            actions.complete_evaluation,
            recommended_adjustments=None if adjustments is None else str(adjustments),
        )

    cancel = text_step("cancel", actions.cancel_evaluation, "reason")


class FindingViewSet(ReadCreate):
    """Evaluation findings; cite evidence with `updates` and `documents` (ids you may see)."""

    model = m.EvaluationFinding
    serializer_class = FindingSerializer
    filterset_fields = ["evaluation", "criterion"]

    def create_record(self, obj, extras: dict):
        from secoop.core.models import Document

        ids = _ids_in(self.request.data)
        updates = list(
            m.Update.objects.visible_to(self.request.user).filter(pk__in=_ints(ids("updates")))
        )
        documents = list(
            Document.objects.visible_to(self.request.user).filter(pk__in=_ints(ids("documents")))
        )
        return actions.add_finding(self.request.user, obj, updates=updates, documents=documents)


def _ints(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]


def _ids_in(data):
    """The list of ids under a key, from a form (repeated keys) or JSON (a list or one id)."""

    def read(key):
        if hasattr(data, "getlist"):
            return data.getlist(key)
        value = data.get(key) if hasattr(data, "get") else None
        return value if isinstance(value, list) else ([] if value is None else [value])

    return read


class LessonViewSet(ReadCreate):
    """Lessons learned and best practices (R-AME-05), searchable (`search=`) and by tag."""

    model = m.Lesson
    serializer_class = LessonSerializer
    filterset_fields = ["kind", "evaluation", "activity", "country"]
    search_fields = ["title", "observation", "recommendation", "tags"]
    create_action = staticmethod(actions.create_lesson)


class ObjectiveAssessmentSerializer(MarkedModelSerializer):
    marking = serializers.CharField(read_only=True, source="marking_text")  # the assessment's

    class Meta:
        model = m.ObjectiveAssessment
        fields = ["id", "imo", "progress", "risks", "resources", "owner_org", "marking"]
        read_only_fields = ["owner_org"]


class CampaignAssessmentSerializer(MarkedModelSerializer):
    objectives = ObjectiveAssessmentSerializer(many=True, read_only=True)
    actions_now = ActionsNowField(rules.CAMPAIGN_ASSESSMENT)

    class Meta:
        model = m.CampaignAssessment
        fields = [
            "id",
            "campaign_plan",
            "fiscal_year",
            "kind",
            "template",
            "status",
            "submitted_on",
            "reviewed_on",
            "review_comment",
            "evaluated_on",
            "evaluation",
            "owner_org",
            "objectives",
            "marking",
            "actions_now",
        ]
        read_only_fields = ["owner_org"]


class CampaignAssessmentViewSet(ReadCreate):
    """Campaign plan assessments (R-AME-06): the Joint Staff issues the template (POST); the
    command assesses each objective (POST …/{id}/objectives/) and submits; the Joint Staff
    reviews or returns; OSD evaluates."""

    model = m.CampaignAssessment
    serializer_class = CampaignAssessmentSerializer
    filterset_fields = ["campaign_plan", "fiscal_year", "status"]
    list_prefetch = ("objectives",)

    def perform_create(self, serializer):
        data = serializer.validated_data
        made = actions.issue_campaign_template(
            self.request.user,
            data["campaign_plan"],
            data["fiscal_year"],
            data["template"],
            marking=data.get("marking") or "CUI",
        )
        serializer.instance = self._reread(made)

    @extend_schema(request=ObjectiveAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None):
        form = ObjectiveAssessmentSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return self._do(
            actions.assess_objective,
            imo=data["imo"],
            progress=data["progress"],
            risks=data.get("risks", ""),
            resources=data.get("resources", "adequate"),
        )

    submit = text_step("submit", actions.submit_campaign_assessment)
    review = text_step("review", actions.review_campaign_assessment, "comment")
    return_ = text_step("return_", actions.return_campaign_assessment, "comment", url_path="return")
    evaluate = text_step("evaluate", actions.evaluate_campaign_assessment, "evaluation")


class MonitoringSerializer(MarkedModelSerializer):
    marking = serializers.CharField(read_only=True, source="marking_text")  # the activity's

    class Meta:
        model = m.ActivityMonitoring
        fields = [
            "id",
            "activity",
            "as_of",
            "actual_start",
            "actual_end",
            "performance",
            "performance_note",
            "inputs_note",
            "marking",
        ]


class MonitoringViewSet(ReadCreate):
    """Activity monitoring (R-AME-04): actual start and end, performance, inputs. POST records
    it (or brings it up to date) for an activity, marked like the activity."""

    model = m.ActivityMonitoring
    serializer_class = MonitoringSerializer
    filterset_fields = ["activity", "performance"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        made = actions.record_monitoring(
            self.request.user,
            data["activity"],
            as_of=data.get("as_of"),
            actual_start=data.get("actual_start"),
            actual_end=data.get("actual_end"),
            performance=data.get("performance", rules.Performance.ON_TRACK),
            performance_note=data.get("performance_note", ""),
            inputs_note=data.get("inputs_note", ""),
        )
        serializer.instance = self._reread(made)


class ActualCostSerializer(MarkedModelSerializer):
    marking = serializers.CharField(read_only=True, source="marking_text")  # the activity's

    class Meta:
        model = m.ActualCost
        fields = ["id", "activity", "fiscal_year", "source", "amount", "note", "marking"]


class ActualCostViewSet(ReadCreate):
    """Actual costs per activity, fiscal year and source (R-AME-07), USD. POST records one (or
    replaces the amount of the year and source)."""

    model = m.ActualCost
    serializer_class = ActualCostSerializer
    filterset_fields = ["activity", "fiscal_year", "source"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        made = actions.record_actual_cost(
            self.request.user,
            data["activity"],
            fiscal_year=data["fiscal_year"],
            source=data["source"],
            amount=data["amount"],
            note=data.get("note", ""),
        )
        serializer.instance = self._reread(made)


class IatiView(APIView):
    """The IATI 2.03 activity file of what you may see and may be published: UNCLASSIFIED,
    without a dissemination control, approved for public release. A comment at its top says how
    many records were left out and why."""

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    def get(self, request):
        body, report = iati.build(request.user)
        if body is None:
            raise NotFound(
                "Nothing you may see may be published: IATI takes UNCLASSIFIED activities with "
                "results approved for public release. " + " ".join(report.lines())
            )
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{iati.filename(clock.today_for(request.user))}"'
        )
        response["X-IATI-Activities"] = str(report.activities)
        return response


router = SimpleRouter(use_regex_path=False)
router.register("results", ResultViewSet, basename="assessment-result")
router.register("indicators", IndicatorViewSet, basename="assessment-indicator")
router.register("periods", PeriodViewSet, basename="assessment-period")
router.register("updates", UpdateViewSet, basename="assessment-update")
router.register("evaluations", EvaluationViewSet, basename="assessment-evaluation")
router.register("findings", FindingViewSet, basename="assessment-finding")
router.register("lessons", LessonViewSet, basename="assessment-lesson")
router.register(
    "campaign-assessments", CampaignAssessmentViewSet, basename="assessment-campaign-assessment"
)
router.register("activity-monitoring", MonitoringViewSet, basename="assessment-monitoring")
router.register("actual-costs", ActualCostViewSet, basename="assessment-actual-cost")

from django.urls import path  # noqa: E402

urlpatterns = router.urls + [
    path("iati.xml", IatiView.as_view(), name="assessment-iati"),
]
