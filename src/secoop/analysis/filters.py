"""List filters of the analysis pages (choices of related records through the door)."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet, ccmd_choice, country_choice

from . import rules
from .models import CapabilityAnalysis, Program, Scenario


class ProgramListFilter(SearchFilterSet):
    search_fields = ("key", "abbreviation", "name", "authority", "purpose", "executes")
    status = django_filters.ChoiceFilter(
        choices=rules.ProgramStatus.choices, empty_label="Any status"
    )
    title_code = django_filters.ChoiceFilter(
        choices=rules.Title.choices, empty_label="Title 10 or 22", label="Title"
    )
    is_bpc = django_filters.BooleanFilter(label="Building Partner Capacity")
    dotmlpf = django_filters.ChoiceFilter(
        choices=rules.Dotmlpf.choices,
        lookup_expr="icontains",
        empty_label="Any DOTMLPF-P",
        label="May buy",
    )

    class Meta:
        model = Program
        fields = ["status", "title_code", "is_bpc", "dotmlpf"]


class AnalysisListFilter(SearchFilterSet):
    search_fields = ("title", "partner_role", "required_capability", "current_capability")
    country = country_choice()
    partner_desire = django_filters.ChoiceFilter(
        choices=rules.Desire.choices, empty_label="Any", label="Partner desire (R-CBA-02)"
    )
    status = django_filters.ChoiceFilter(
        choices=list(rules.ANALYSIS.labels.items()), empty_label="Any status"
    )

    class Meta:
        model = CapabilityAnalysis
        fields = ["country", "partner_desire", "status"]


class ScenarioListFilter(SearchFilterSet):
    search_fields = ("title", "notes")
    ccmd = ccmd_choice()
    status = django_filters.ChoiceFilter(
        choices=list(rules.SCENARIO.labels.items()), empty_label="Any status"
    )

    class Meta:
        model = Scenario
        fields = ["ccmd", "status"]
