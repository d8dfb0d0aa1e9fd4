"""Analysis API under /api/v1/analysis/: reads through the door, writes through analysis.actions,
bad input as 400 with field messages (a refusal with its rule in X-Rule)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.routers import SimpleRouter

from secoop.core.api import CountryCodeField
from secoop.core.api_base import MarkedModelSerializer, MarkedViewSet, MarkingField

from . import actions
from .forms import ANALYSIS_FIELDS, OPTION_FIELDS
from .models import CapabilityAnalysis, Program, Scenario, ScenarioPlan, SolutionOption


class ProgramSerializer(serializers.ModelSerializer):
    marking = MarkingField(read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "key",
            "abbreviation",
            "name",
            "authority",
            "title_code",
            "funds",
            "executes",
            "purpose",
            "dotmlpf",
            "is_bpc",
            "eligibility",
            "eligible_countries",
            "lifespan_years",
            "lifespan_note",
            "submission_deadline",
            "lead_time_months",
            "notification",
            "caps",
            "funding_source",
            "status",
            "unconfirmed",
            "source",
            "effective_from",
            "marking",
        ]


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The SC program catalog (read); DSCA and administrators correct it on its page."""

    serializer_class = ProgramSerializer
    queryset = Program.objects.none()

    def get_queryset(self):
        return Program.objects.visible_to(self.request.user).order_by("key")


class AnalysisSerializer(MarkedModelSerializer):
    country = CountryCodeField()
    status = serializers.CharField(read_only=True)
    partner_willing = serializers.BooleanField(read_only=True, help_text="R-CBA-02")

    class Meta:
        model = CapabilityAnalysis
        fields = [
            "id",
            *ANALYSIS_FIELDS,
            "partner_willing",
            "status",
            "marking",
            "created_at",
            "updated_at",
        ]


class AnalysisViewSet(MarkedViewSet):
    """Capabilities-based analyses per IMO and partner role (SPEC §3)."""

    model = CapabilityAnalysis
    serializer_class = AnalysisSerializer
    queryset = CapabilityAnalysis.objects.none()
    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True


class OptionSerializer(MarkedModelSerializer):
    costs = serializers.SerializerMethodField(help_text="Cost by fiscal year (USD, as text).")
    sweet_spot = serializers.SerializerMethodField(help_text="R-CBA-04")

    class Meta:
        model = SolutionOption
        fields = [
            "id",
            *OPTION_FIELDS,
            "sweet_spot",
            "costs",
            "marking",
            "created_at",
            "updated_at",
        ]

    def get_costs(self, obj) -> dict[str, str]:
        return {f"FY{c.fiscal_year}": str(c.amount) for c in obj.costs.all()}

    def get_sweet_spot(self, obj) -> bool:
        return obj.support.sweet_spot


class OptionViewSet(MarkedViewSet):
    """Solution options of the gaps, with their costs by fiscal year."""

    model = SolutionOption
    serializer_class = OptionSerializer
    queryset = SolutionOption.objects.none()
    list_prefetch = ("costs",)
    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScenarioPlan
        fields = ["method", "status", "value", "gap", "seconds", "choices", "not_chosen"]


class ScenarioSerializer(MarkedModelSerializer):
    plans = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Scenario
        fields = [
            "id",
            "title",
            "owner_org",
            "ccmd",
            "start_fy",
            "end_fy",
            "time_limit_seconds",
            "notes",
            "status",
            "solve_state",
            "solve_progress",
            "solve_message",
            "committed_method",
            "plans",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["solve_state", "solve_progress", "solve_message", "committed_method"]

    def get_plans(self, obj) -> list[dict]:
        # Prefetched through the door (ScenarioViewSet.list_prefetch): no query per scenario.
        return PlanSerializer(sorted(obj.plans.all(), key=lambda p: p.method), many=True).data


class ScenarioReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScenarioViewSet(MarkedViewSet):
    """Resourcing scenarios; `solve` runs the optimizer and the greedy baseline."""

    model = Scenario
    serializer_class = ScenarioSerializer
    queryset = Scenario.objects.none()
    list_prefetch = ("plans",)
    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True

    @extend_schema(request=ScenarioReasonSerializer, responses={200: ScenarioSerializer})
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        """Solve now (or queue a large scenario for the task worker: see `solve_state`)."""
        scenario = actions.solve_scenario(request.user, self.get_object())
        return self._done(scenario)


router = SimpleRouter(use_regex_path=False)
router.register("programs", ProgramViewSet, basename="analysis-program")
router.register("analyses", AnalysisViewSet, basename="analysis-analysis")
router.register("options", OptionViewSet, basename="analysis-option")
router.register("scenarios", ScenarioViewSet, basename="analysis-scenario")

urlpatterns = router.urls
