"""Filters for planning lists and API endpoints: by country, combatant command, status, fiscal
year. Choices of related records come through the door."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import ccmd_choice
from secoop.core.filters import country_choice
from secoop.core.filters import country_code
from secoop.core.filters import covers_fiscal_year

from . import rules
from .models import Activity
from .models import ActivityDependency
from .models import ActivityType
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import GuidanceDocument
from .models import GuidanceKind
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Measure
from .models import Phase
from .models import PlanKind
from .models import PlanningAssumption
from .models import PlanningEvent
from .models import PlanningEventKind
from .models import PlanStatus
from .models import Reschedule
from .models import Term


def _fy(value) -> int | None:
    """A fiscal year from a filter value, or None when it is not one (the filter then matches nothing)."""
    try:
        fy = int(value)
    except (TypeError, ValueError):
        return None
    return fy if 1901 <= fy <= 9998 and fy == value else None


def in_fiscal_year(lookups):
    """A filter method for a fiscal year (1 Oct – 30 Sep): `lookups(fy)` gives the filter's
    arguments; no year, every record; a year out of range, none."""

    def method(queryset, name, value):
        if value is None:
            return queryset
        value = _fy(value)
        if value is None:
            return queryset.none()
        return queryset.filter(**lookups(value))

    return method


def only_if_chosen(value: str, text: str, label: str, where) -> django_filters.ChoiceFilter:
    """A list filter with one choice, `value` shown as `text`: chosen, only the rows the Q that
    `where()` builds matches (built at each request: it may depend on the day); "Any", every row."""
    return django_filters.ChoiceFilter(
        choices=[(value, text)],
        method=lambda queryset, name, chosen: (
            queryset.filter(where()) if chosen == value else queryset
        ),
        empty_label="Any",
        label=label,
    )


def fiscal_year_overlap(prefix: str = ""):
    """Records whose dates overlap the fiscal year."""
    return in_fiscal_year(
        lambda fy: {
            f"{prefix}start_date__lte": rules.fy_end(fy),
            f"{prefix}end_date__gte": rules.fy_start(fy),
        }
    )


# --- API filter sets (plain values) --------------------------------------------------------------


class CampaignPlanFilter(django_filters.FilterSet):
    ccmd = ccmd_choice("owner_org__ccmd")
    fiscal_year = covers_fiscal_year()

    class Meta:
        model = CampaignPlan
        fields = ["kind", "status", "owner_org", "ccmd", "fiscal_year"]


class EndStateFilter(django_filters.FilterSet):
    class Meta:
        model = EndState
        fields = ["campaign_plan", "kind"]


class LineOfEffortFilter(django_filters.FilterSet):
    country = country_code()
    ccmd = ccmd_choice("campaign_plan__owner_org__ccmd")

    class Meta:
        model = LineOfEffort
        fields = ["campaign_plan", "end_state", "country", "ccmd"]


class ImoFilter(django_filters.FilterSet):
    country = country_code("line_of_effort__country_id")
    ccmd = ccmd_choice("line_of_effort__campaign_plan__owner_org__ccmd")
    campaign_plan = django_filters.NumberFilter(field_name="line_of_effort__campaign_plan_id")
    fiscal_year = django_filters.NumberFilter(
        method=in_fiscal_year(
            lambda fy: {"deadline__gte": rules.fy_start(fy), "deadline__lte": rules.fy_end(fy)}
        ),
        label="Deadline in fiscal year",
    )

    class Meta:
        model = IntermediateObjective
        fields = [
            "line_of_effort",
            "end_state",
            "term",
            "country",
            "ccmd",
            "campaign_plan",
            "fiscal_year",
        ]


class MeasureFilter(django_filters.FilterSet):
    class Meta:
        model = Measure
        fields = ["imo", "kind"]


class LineOfActivityFilter(django_filters.FilterSet):
    country = country_code("imo__line_of_effort__country_id")
    campaign_plan = django_filters.NumberFilter(field_name="imo__line_of_effort__campaign_plan_id")

    class Meta:
        model = LineOfActivity
        fields = ["imo", "country", "campaign_plan"]


class ActivityFilter(django_filters.FilterSet):
    country = country_code()
    ccmd = ccmd_choice("country__ccmd")
    fiscal_year = django_filters.NumberFilter(method=fiscal_year_overlap(), label="Fiscal year")
    campaign_plan = django_filters.NumberFilter(
        field_name="line_of_activity__imo__line_of_effort__campaign_plan_id"
    )
    imo = django_filters.NumberFilter(field_name="line_of_activity__imo_id")
    line_of_effort = django_filters.NumberFilter(
        field_name="line_of_activity__imo__line_of_effort_id"
    )
    unlinked = django_filters.BooleanFilter(field_name="line_of_activity", lookup_expr="isnull")
    assessment_overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Activity
        fields = [
            "country",
            "ccmd",
            "status",
            "fiscal_year",
            "activity_type",
            "owner_org",
            "line_of_activity",
            "country_plan",
            "phase",
            "campaign_plan",
            "imo",
            "line_of_effort",
            "unlinked",
            "needs_us_forces",
            "assessment_overdue",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = rules.assessment_overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class DependencyFilter(django_filters.FilterSet):
    activity = django_filters.NumberFilter(method="filter_activity", label="Either end")
    country_plan = django_filters.NumberFilter(field_name="successor__country_plan_id")

    class Meta:
        model = ActivityDependency
        fields = ["predecessor", "successor", "activity", "country_plan"]

    def filter_activity(self, queryset, name, value):
        return queryset.filter(Q(predecessor_id=value) | Q(successor_id=value))


class RescheduleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=list(rules.RESCHEDULE_STATES.items()))
    activity = django_filters.NumberFilter(field_name="activity_id")
    approver_org = django_filters.NumberFilter(field_name="approver_org_id")

    class Meta:
        model = Reschedule
        fields = ["status", "activity", "approver_org"]


class AssumptionFilter(django_filters.FilterSet):
    review_overdue = django_filters.BooleanFilter(method="filter_overdue")
    country = country_code("country_plan__country_id")

    class Meta:
        model = PlanningAssumption
        fields = [
            "campaign_plan",
            "country_plan",
            "valid",
            "necessary",
            "country",
            "review_overdue",
        ]

    def filter_overdue(self, queryset, name, value):
        overdue = rules.assumption_overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class CountryPlanFilter(django_filters.FilterSet):
    country = country_code()
    ccmd = ccmd_choice("country__ccmd")
    fiscal_year = covers_fiscal_year()

    class Meta:
        model = CountryPlan
        fields = ["campaign_plan", "country", "ccmd", "fiscal_year", "owner_org"]


class PhaseFilter(django_filters.FilterSet):
    class Meta:
        model = Phase
        fields = ["country_plan"]


class GuidanceFilter(django_filters.FilterSet):
    country = country_code()

    class Meta:
        model = GuidanceDocument
        fields = ["kind", "country"]


class PlanningEventFilter(django_filters.FilterSet):
    country = country_code()

    class Meta:
        model = PlanningEvent
        fields = ["kind", "fiscal_year", "country", "owner_org"]


# --- list-page filter sets (forms) ---------------------------------------------------------------


class ActivityListFilter(SearchFilterSet):
    search_fields = ("title", "program", "location", "description")
    country = country_choice()
    status = any_choice(rules.Status.CHOICES, "Any status")
    activity_type = any_choice(ActivityType.choices, "Any type", "Type")
    fiscal_year = django_filters.NumberFilter(method=fiscal_year_overlap(), label="Fiscal year")
    unlinked = django_filters.ChoiceFilter(
        choices=[("yes", "Unlinked only (R-PLN-01)"), ("no", "Linked only")],
        method="filter_unlinked",
        empty_label="Linked or not",
        label="Link",
    )
    overdue = only_if_chosen(
        "yes", "Assessment overdue (R-PLN-06)", "Assessment", rules.assessment_overdue_q
    )

    class Meta:
        model = Activity

    def filter_unlinked(self, queryset, name, value):
        return queryset.filter(line_of_activity__isnull=(value == "yes"))


class ImoListFilter(SearchFilterSet):
    search_fields = ("title", "statement", "by_whom")
    term = any_choice(Term.choices, "Any term")

    class Meta:
        model = IntermediateObjective


class CampaignPlanListFilter(SearchFilterSet):
    search_fields = ("title", "summary")
    kind = any_choice(PlanKind.choices, "Any kind")
    status = any_choice(PlanStatus.choices, "Any status")
    ccmd = ccmd_choice("owner_org__ccmd")

    class Meta:
        model = CampaignPlan


class CountryPlanListFilter(SearchFilterSet):
    search_fields = ("title", "country_objectives")
    country = country_choice()

    class Meta:
        model = CountryPlan


class AssumptionListFilter(SearchFilterSet):
    search_fields = ("statement", "rationale")
    review = only_if_chosen(
        "overdue",
        "Past review date (R-PLN-04)",
        "Review",
        lambda: rules.assumption_overdue_q(timezone.localdate()),
    )

    class Meta:
        model = PlanningAssumption


class GuidanceListFilter(SearchFilterSet):
    search_fields = ("title", "issued_by", "summary")
    kind = any_choice(GuidanceKind.choices, "Any kind")

    class Meta:
        model = GuidanceDocument


class PlanningEventListFilter(SearchFilterSet):
    search_fields = ("title", "location")
    kind = any_choice(PlanningEventKind.choices, "Any meeting")
    fiscal_year = django_filters.NumberFilter()

    class Meta:
        model = PlanningEvent
