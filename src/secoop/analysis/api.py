"""Analysis API under /api/v1/analysis/: reads through the door, writes through analysis.actions,
bad input as 400 with field messages (a refusal with its rule in X-Rule)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from secoop.core.api import CountryCodeField
from secoop.core.api_base import FieldsOnceModelSerializer
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedViewSet
from secoop.core.api_base import MarkingField
from secoop.core.api_steps import RecordSteps
from secoop.core.models import Country

from . import actions
from . import rules
from .forms import ANALYSIS_FIELDS
from .forms import OPTION_FIELDS
from .models import CapabilityAnalysis
from .models import Program
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioPlan
from .models import SolutionOption


class ProgramSerializer(FieldsOnceModelSerializer):
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


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "example": "1500000.00"},
        "example": {"FY2028": "1500000.00", "FY2029": "400000.00"},
        "description": "Cost by fiscal year (USD, as text). Writing it replaces every year: a "
        "year left out is removed.",
    }
)
class CostsField(serializers.Field):
    """An option's costs, {"FY2028": "1500000.00"} (a key may be written 2028 too)."""

    default_error_messages = {"invalid": "{message}"}

    def get_attribute(self, instance):
        return instance

    def to_representation(self, obj) -> dict[str, str]:
        return {f"FY{c.fiscal_year}": str(c.amount) for c in obj.costs.all()}

    def to_internal_value(self, data) -> dict[int, Decimal]:
        if not isinstance(data, dict):
            self.fail("invalid", message='Write the costs as {"FY2028": "1500000"}.')
        amount_field = serializers.DecimalField(max_digits=14, decimal_places=2)
        costs: dict[int, Decimal] = {}
        for key, value in data.items():
            text = str(key).strip().upper().removeprefix("FY")
            if not (text.isdigit() and 2000 <= int(text) <= 2100):
                self.fail("invalid", message=f"“{key}” is not a fiscal year (write FY2028).")
            try:
                amount = amount_field.to_internal_value(value)
            except serializers.ValidationError:
                self.fail("invalid", message=f"{key}: “{value}” is not an amount in USD.")
            if amount < 0:
                self.fail("invalid", message=f"{key}: a cost is not negative.")
            if int(text) in costs:
                self.fail("invalid", message=f"FY{text} is given twice.")
            costs[int(text)] = amount
        return costs


class OptionSerializer(MarkedModelSerializer):
    costs = CostsField(required=False)
    programs = serializers.ListField(
        write_only=True,
        child=serializers.CharField(),
        required=False,
        help_text="The catalog keys of the programs that may fund it (e.g. '10 USC 333').",
    )
    requires = serializers.ListField(
        write_only=True,
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of the options it needs first (prerequisites).",
    )
    excludes = serializers.ListField(
        write_only=True,
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of the options it excludes (mutually exclusive, both ways).",
    )
    sweet_spot = serializers.SerializerMethodField(help_text="R-CBA-04")

    class Meta:
        model = SolutionOption
        fields = [
            "id",
            *OPTION_FIELDS,
            "sweet_spot",
            "costs",
            "programs",
            "requires",
            "excludes",
            "marking",
            "created_at",
            "updated_at",
        ]

    LINKS = ("programs", "requires", "excludes")

    def to_representation(self, obj):
        data = super().to_representation(obj)
        # Prefetched through the door (OptionViewSet.list_prefetch): a hidden option is not named.
        data["programs"] = sorted(p.key for p in obj.programs.all())
        data["requires"] = sorted(o.pk for o in obj.requires.all())
        data["excludes"] = sorted(o.pk for o in obj.excludes.all())
        return data

    def get_sweet_spot(self, obj) -> bool:
        return obj.support.sweet_spot

    def pop_extras(self, data: dict) -> dict:
        extras = {"costs": data.pop("costs", None)}
        for name in self.LINKS:
            extras[name] = data.pop(name, None)
        return extras


def _links(user, option: SolutionOption | None, extras: dict) -> dict | None:
    """The links to write: those given, the others as they are (set_links writes all three)."""
    if all(extras.get(name) is None for name in OptionSerializer.LINKS):
        return None
    now = (
        actions.links_of(option.pk, user)  # the links the writer sees; set_links keeps the rest
        if option is not None
        else {"programs": [], "requires": [], "excludes": []}
    )
    keys = extras["programs"] if extras.get("programs") is not None else now["programs"]
    programs = {p.key: p for p in Program.objects.visible_to(user).filter(key__in=keys)}
    unknown = [k for k in keys if k not in programs]
    if unknown:
        raise serializers.ValidationError({"programs": [f"“{unknown[0]}” is not in the catalog."]})
    out = {"programs": [programs[k] for k in keys]}
    for name in ("requires", "excludes"):
        ids = extras[name] if extras.get(name) is not None else now[name]
        found = {o.pk: o for o in SolutionOption.objects.visible_to(user).filter(pk__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise serializers.ValidationError(
                {name: [f"no option #{missing[0]} that you may see."]}
            )
        out[name] = [found[i] for i in ids]
    return out


class OptionViewSet(MarkedViewSet):
    """Solution options of the gaps, with their costs by fiscal year and their links (programs,
    prerequisites, exclusions), written through the actions in one transaction."""

    model = SolutionOption
    serializer_class = OptionSerializer
    queryset = SolutionOption.objects.none()
    list_prefetch = ("costs", "programs", "requires", "excludes")
    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True

    def _rows(self, option, extras: dict, links: dict | None) -> None:
        user, reason = self.request.user, self._reason()
        if extras.get("costs") is not None:
            actions.set_costs(user, option, extras["costs"], reason=reason)
        if links is not None:
            actions.set_links(user, option, **links, reason=reason)

    def create_record(self, obj, extras: dict):
        links = _links(self.request.user, None, extras)
        with transaction.atomic():
            saved = actions.create(self.request.user, obj, reason=self._reason())
            self._rows(saved, extras, links)
        return saved

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        extras = serializer.pop_extras(changes)
        links = _links(self.request.user, serializer.instance, extras)
        with transaction.atomic():
            saved = actions.update(
                self.request.user, serializer.instance, changes, reason=self._reason()
            )
            self._rows(saved, extras, links)
        serializer.instance = self._reread(saved)


class PlanSerializer(FieldsOnceModelSerializer):
    class Meta:
        model = ScenarioPlan
        fields = ["method", "status", "value", "gap", "seconds", "choices", "not_chosen"]


class BudgetLineSerializer(serializers.Serializer):
    program = serializers.CharField(help_text="The program's catalog key, e.g. '10 USC 333'.")
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))


# A budget line's program as the guarded prefetch attached it (None: one the reader may not see).
BUDGET_PROGRAM = ScenarioBudget._meta.get_field("program")


class ScenarioCountrySerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO alpha-3 code, e.g. XBN.")
    absorb_per_year = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    min_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    max_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )

    def validate_country(self, value: str) -> str:
        code = value.strip().upper()
        if not Country.objects.filter(alpha3=code).exists():
            raise serializers.ValidationError(f"“{value}” is not an ISO alpha-3 country code.")
        return code


class ScenarioWeightSerializer(serializers.Serializer):
    analysis = serializers.IntegerField(help_text="The id of a capabilities-based analysis.")
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0"))


class ScenarioSerializer(MarkedModelSerializer):
    plans = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    budgets = BudgetLineSerializer(
        many=True,
        write_only=True,
        required=False,
        help_text="New money per program per fiscal year. Writing it replaces every line.",
    )
    countries = ScenarioCountrySerializer(
        many=True,
        write_only=True,
        required=False,
        help_text="The countries that compete for the money, with their limits. Writing it "
        "replaces every country.",
    )
    weights = ScenarioWeightSerializer(
        many=True,
        write_only=True,
        required=False,
        help_text="Weights of the analyses' objectives (default: from the IMO's priority). "
        "Writing it replaces the weights of the analyses you may see.",
    )

    INPUTS = ("budgets", "countries", "weights")

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
            "budgets",
            "countries",
            "weights",
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

    def to_representation(self, obj):
        data = super().to_representation(obj)
        # Prefetched through the door (ScenarioViewSet.list_prefetch): no query per scenario.
        # A line whose program the reader may not see is not attached to it by the guarded
        # prefetch (None): the line is left out, as a weight of a hidden analysis is.
        shown = [(BUDGET_PROGRAM.get_cached_value(b, None), b) for b in obj.budgets.all()]
        data["budgets"] = [
            {"program": p.key, "fiscal_year": b.fiscal_year, "amount": str(b.amount)}
            for p, b in sorted(
                ((p, b) for p, b in shown if p is not None),
                key=lambda pb: (pb[0].key, pb[1].fiscal_year),
            )
        ]
        data["countries"] = [
            {
                "country": c.country_id,
                **{
                    k: None if getattr(c, k) is None else str(getattr(c, k))
                    for k in ("absorb_per_year", "min_total", "max_total")
                },
            }
            for c in sorted(obj.countries.all(), key=lambda c: c.country_id)
        ]
        seen = {a.pk for a in self.context.get("visible_analyses", ())}
        data["weights"] = [
            {"analysis": w.analysis_id, "weight": str(w.weight)}
            for w in sorted(obj.weights.all(), key=lambda w: w.analysis_id)
            if w.analysis_id in seen
        ]
        return data

    def get_plans(self, obj) -> list[dict]:
        # Prefetched through the door (ScenarioViewSet.list_prefetch): no query per scenario.
        return PlanSerializer(sorted(obj.plans.all(), key=lambda p: p.method), many=True).data

    def pop_extras(self, data: dict) -> dict:
        extras = {name: data.pop(name, None) for name in self.INPUTS}
        if extras["budgets"] is not None:
            extras["budgets"] = [
                rules.BudgetLine(b["program"].strip(), b["fiscal_year"], b["amount"])
                for b in extras["budgets"]
            ]
        if extras["weights"] is not None:
            extras["weights"] = [(w["analysis"], w["weight"]) for w in extras["weights"]]
        return extras


class ScenarioReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScenarioCopySerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScenarioViewSet(RecordSteps, MarkedViewSet):
    """Resourcing scenarios with their budgets, countries and weights (written through the
    actions in one transaction); `solve` runs the optimizer and the greedy baseline; `copy`
    makes a draft variant."""

    model = Scenario
    serializer_class = ScenarioSerializer
    queryset = Scenario.objects.none()
    list_prefetch = ("plans", "budgets", "budgets__program", "countries", "weights")
    create_action = staticmethod(actions.create)
    update_action = staticmethod(actions.update)
    delete_action = staticmethod(actions.delete)
    reread_writes = True

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            # One read for every scenario of the answer: a weight names only an analysis the
            # reader may see.
            ctx["visible_analyses"] = list(CapabilityAnalysis.objects.visible_to(user).only("pk"))
        return ctx

    def _inputs(self, scenario, extras: dict) -> None:
        if all(extras.get(name) is None for name in ScenarioSerializer.INPUTS):
            return
        weights = extras.get("weights")
        if weights is not None:
            given = [a for a, _ in weights]
            if len(set(given)) < len(given):
                raise serializers.ValidationError({"weights": ["an analysis is given twice."]})
            weights = dict(weights)
        actions.set_scenario_inputs(
            self.request.user,
            scenario,
            budgets=extras.get("budgets"),
            countries=extras.get("countries"),
            weights=weights,
            reason=self._reason(),
        )

    def create_record(self, obj, extras: dict):
        with transaction.atomic():
            saved = actions.create(self.request.user, obj, reason=self._reason())
            self._inputs(saved, extras)
        return saved

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        extras = serializer.pop_extras(changes)
        with transaction.atomic():
            saved = actions.update(
                self.request.user, serializer.instance, changes, reason=self._reason()
            )
            self._inputs(saved, extras)
        serializer.instance = self._reread(saved)

    @extend_schema(request=ScenarioReasonSerializer, responses={200: ScenarioSerializer})
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        """Solve now (or queue a large scenario for the task worker: see `solve_state`)."""
        return self._act(actions.solve_scenario)

    @extend_schema(request=ScenarioCopySerializer, responses={201: ScenarioSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A draft copy (budgets, countries and their limits, weights) to try a variant."""
        body = ScenarioCopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = self._apply(
            actions.copy_scenario,
            title=body.validated_data["title"],
            reason=body.validated_data["reason"],
        )
        return Response(self.get_serializer(self._reread(made)).data, status=201)


router = SimpleRouter(use_regex_path=False)
router.register("programs", ProgramViewSet, basename="analysis-program")
router.register("analyses", AnalysisViewSet, basename="analysis-analysis")
router.register("options", OptionViewSet, basename="analysis-option")
router.register("scenarios", ScenarioViewSet, basename="analysis-scenario")

urlpatterns = router.urls
