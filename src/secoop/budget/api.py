"""The budget API under /api/v1/budget/: calls with their steps, requests with requirements and
versions (hand them on with POST …/forward/), MSRP/ICS objectives, forecasts with their sales and
the two reports DSCA draws from them, and the consonance check per country. Reads through the
door (related rows prefetched through it), writes through budget.actions, refusals as 400 with the
rule id. Partners and industry read nothing here (R-FCT-05)."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from secoop.core.api import CountryCodeField
from secoop.core.api_base import ActionsNowField
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedReadCreateViewSet
from secoop.core.api_steps import RecordSteps
from secoop.core.models import Country
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related
from secoop.core.today import usg_holding

from . import actions
from . import consonance
from . import exports
from . import facts
from . import rules
from .models import BudgetCall
from .models import BudgetRequest
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import Requirement


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    stage = serializers.CharField()
    action = serializers.CharField()
    due_on = serializers.DateField()
    source = serializers.CharField()


class CallSerializer(MarkedModelSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = BudgetCall
        fields = [
            "id",
            "budget_fy",
            "owner_org",
            "issued_on",
            "reference",
            "notes",
            "steps",
            "marking",
        ]


class ObjectiveSerializer(MarkedModelSerializer):
    country = CountryCodeField()

    class Meta:
        model = MissionObjective
        fields = [
            "id",
            "country",
            "owner_org",
            "code",
            "title",
            "description",
            "ics",
            "first_fy",
            "last_fy",
            "marking",
        ]


class YearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class RequirementSerializer(MarkedModelSerializer):
    years = YearSerializer(many=True, read_only=True)
    need = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        write_only=True,
        help_text='The out-year need by fiscal year, e.g. {"2028": "1200000.00"} (R-BUD-01).',
    )

    class Meta:
        model = Requirement
        fields = ["id", "request", *Requirement.entry_fields, "years", "need", "marking"]

    def pop_extras(self, data: dict) -> dict:
        return {"years": data.pop("need", {})}


class RequestSerializer(MarkedModelSerializer):
    country = CountryCodeField()
    requirements = RequirementSerializer(many=True, read_only=True)
    actions_now = ActionsNowField(rules.REQUEST, source="stage")

    class Meta:
        model = BudgetRequest
        fields = [
            "id",
            "call",
            "country",
            "owner_org",
            "stage",
            "uncommitted_fmf",
            "uncommitted_plan",
            "uncommitted_commit_by",
            "allocated_fmf",
            "allocated_imet",
            "notes",
            "requirements",
            "actions_now",
            "marking",
        ]
        read_only_fields = ["stage", "allocated_fmf", "allocated_imet"]


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    stage = serializers.CharField()
    made_on = serializers.DateField()
    changes = serializers.ListField(child=serializers.DictField())


class SaleSerializer(MarkedModelSerializer):
    in_javits = serializers.SerializerMethodField()
    in_sales_forecast = serializers.SerializerMethodField()

    class Meta:
        model = ForecastSale
        fields = [
            "id",
            "submission",
            *ForecastSale.entry_fields,
            "in_javits",
            "in_sales_forecast",
            "marking",
        ]

    def _year(self, obj) -> int | None:
        """The report year of the sale's submission, read through the reader's door: nothing is
        derived from a submission they may not see (None then)."""
        request = self.context.get("request")
        if request is None:  # server code, no reader
            return (
                ForecastSubmission.objects.system()
                .filter(pk=obj.submission_id)
                .values_list("report_year", flat=True)
                .first()
            )
        # Prefetched with the sales through the door (SaleViewSet.list_prefetch, _report), and
        # checked once per response: not two queries per sale (ARCHITECTURE invariant 7).
        memo = self.context.setdefault("guard_memo", {})
        submission = related(obj, "submission", request.user, memo)
        return None if submission is None else submission.report_year

    def get_in_javits(self, obj) -> bool | None:
        year = self._year(obj)
        return None if year is None else rules.in_javits(obj.facts(), year, self.context["thresholds"])  # fmt: skip

    def get_in_sales_forecast(self, obj) -> bool | None:
        year = self._year(obj)
        return None if year is None else rules.in_sales_forecast(obj.facts(), year, self.context["thresholds"])  # fmt: skip


class ForecastSerializer(MarkedModelSerializer):
    country = CountryCodeField()
    actions_now = ActionsNowField(rules.FORECAST)

    class Meta:
        model = ForecastSubmission
        fields = [
            "id",
            "country",
            "owner_org",
            "report_year",
            "status",
            "submitted_on",
            "notes",
            "actions_now",
            "marking",
        ]
        read_only_fields = ["status", "submitted_on"]


class ReadCreate(RecordSteps, MarkedReadCreateViewSet):
    reread_writes = True


class CallViewSet(ReadCreate):
    """Budget calls with their steps and due dates (R-BUD-05); DSCA opens one by POST."""

    model = BudgetCall
    serializer_class = CallSerializer
    filterset_fields = ["budget_fy"]
    list_prefetch = ("steps",)
    create_action = staticmethod(actions.open_call)


class ObjectiveViewSet(ReadCreate):
    """The Chief of Mission's MSRP/ICS objectives per country (R-BUD-04)."""

    model = MissionObjective
    serializer_class = ObjectiveSerializer
    filterset_fields = ["country"]
    create_action = staticmethod(actions.create_objective)


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise serializers.ValidationError(
            {"amount": ["write an amount in USD, e.g. 1200000.00."]}
        ) from None


class RequestViewSet(ReadCreate):
    """Countries' budget requests: requirements, versions, hand-offs (R-BUD-01..05)."""

    model = BudgetRequest
    serializer_class = RequestSerializer
    filterset_fields = ["country", "stage", "call"]
    list_prefetch = ("requirements", "requirements__years")
    create_action = staticmethod(actions.create_request)

    @extend_schema(
        request=inline_serializer(
            "Forward",
            {
                "transition": serializers.ChoiceField(
                    choices=list(rules.FORWARD_BY_STAGE.values())
                ),
                "reason": serializers.CharField(required=False),
            },
        )
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self._do(
            actions.forward_request,
            str(request.data.get("transition", "")),
            reason=str(request.data.get("reason", "")),
        )

    @extend_schema(
        request=inline_serializer(
            "BudgetAllocation",
            {
                "fmf": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
                "imet": serializers.DecimalField(max_digits=14, decimal_places=2, required=False),
            },
        )
    )
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        return self._do(
            actions.record_allocation,
            _amount(request.data.get("fmf")),
            _amount(request.data.get("imet")),
            reason=str(request.data.get("reason", "")),
        )

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """Each version a stage handed on, with what changed since the one before (R-BUD-05)."""
        obj = self.get_object()
        out, previous = [], []
        for v in (
            obj.versions.model.objects.visible_to(request.user)
            .filter(request=obj)
            .order_by("number")
        ):
            diff = rules.diff_versions(previous, v.content) if previous else []
            out.append(
                {
                    "number": v.number,
                    "stage": v.stage,
                    "made_on": v.made_on,
                    "changes": [
                        {
                            "requirement": d.title,
                            "kind": d.kind,
                            "fields": [c.__dict__ for c in d.changes],
                        }
                        for d in diff
                    ],
                }
            )
            previous = v.content
        return Response(VersionSerializer(out, many=True).data)


class RequirementViewSet(ReadCreate):
    """Requirements; POST adds one with its need by fiscal year (the holder of the stage only)."""

    model = Requirement
    serializer_class = RequirementSerializer
    filterset_fields = ["request", "funding_source"]
    list_prefetch = ("years",)

    def create_record(self, obj, extras: dict):
        return actions.add_requirement(
            self.request.user, obj, extras.get("years", {}), reason=self._reason()
        )


class ForecastViewSet(ReadCreate):
    """The SCO's forecast submissions (R-FCT-01); GET …/javits/ and …/sales-forecast/ give the
    two reports (add ?format=xlsx for the workbook); POST …/submit/."""

    model = ForecastSubmission
    serializer_class = ForecastSerializer
    filterset_fields = ["country", "report_year", "status"]
    create_action = staticmethod(actions.create_forecast)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._do(actions.submit_forecast, reason=str(request.data.get("reason", "")))

    def _report(self, request, which: str):
        obj = self.get_object()
        sales = list(
            ForecastSale.objects.visible_to(request.user)
            .filter(submission=obj)
            .prefetch_related(GuardedPrefetch("submission", request.user))
        )
        t = facts.thresholds()
        if request.query_params.get("export") == "xlsx":
            return exports.report_xlsx(obj, sales, which, t, request.user).response()
        rows = (
            exports.javits_rows(sales, obj.report_year, t)
            if which == "javits"
            else exports.forecast_rows(sales, obj.report_year, t)
        )
        return Response(
            SaleSerializer(
                rows, many=True, context={**self.get_serializer_context(), "thresholds": t}
            ).data
        )

    @extend_schema(responses=SaleSerializer(many=True))
    @action(detail=True, methods=["get"])
    def javits(self, request, pk=None):
        """R-FCT-02: the calendar year's FMS, DCS and EDA sales over the thresholds, any probability."""
        return self._report(request, "javits")

    @extend_schema(responses=SaleSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="sales-forecast")
    def sales_forecast(self, request, pk=None):
        """R-FCT-03: FMS sales of the next two fiscal years, 90% likely or more."""
        return self._report(request, "sales")


class SaleViewSet(ReadCreate):
    """Possible sales of the forecasts; POST adds one to a draft submission."""

    model = ForecastSale
    serializer_class = SaleSerializer
    filterset_fields = ["submission", "channel"]
    list_prefetch = ("submission",)
    create_action = staticmethod(actions.add_sale)

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a database
            return super().get_serializer_context()
        return {**super().get_serializer_context(), "thresholds": facts.thresholds()}


class InconsistencySerializer(serializers.Serializer):
    rule = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
    left = serializers.DictField()
    right = serializers.DictField(allow_null=True)


class ConsonanceView(APIView):
    """R-FCT-04, R-BUD-04: every inconsistency you may see for a country."""

    @extend_schema(responses=InconsistencySerializer(many=True))
    def get(self, request, country: str):
        found = Country.objects.visible_to(request.user).filter(pk=country.upper()).first()
        if found is None or not usg_holding(request.user):
            raise Http404
        result = consonance.check(request.user, found)
        rows = [
            {
                "rule": i.rule,
                "kind": i.kind,
                "label": i.label,
                "message": i.message,
                "left": i.left.__dict__,
                "right": i.right.__dict__ if i.right else None,
            }
            for i in result.found
        ]
        return Response(InconsistencySerializer(rows, many=True).data)


router = SimpleRouter(use_regex_path=False)
router.register("calls", CallViewSet, basename="budget-call")
router.register("objectives", ObjectiveViewSet, basename="budget-objective")
router.register("requests", RequestViewSet, basename="budget-request")
router.register("requirements", RequirementViewSet, basename="budget-requirement")
router.register("forecasts", ForecastViewSet, basename="budget-forecast")
router.register("sales", SaleViewSet, basename="budget-sale")

urlpatterns = router.urls + [
    path("consonance/<str:country>/", ConsonanceView.as_view(), name="budget-consonance"),
]
