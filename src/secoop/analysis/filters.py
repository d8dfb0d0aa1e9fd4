"""List filters of the analysis pages (choices of related records through the door)."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import ccmd_choice
from secoop.core.filters import country_choice

from . import rules
from .models import CapabilityAnalysis
from .models import Program
from .models import Scenario


class ProgramListFilter(SearchFilterSet):
    search_fields = ("key", "abbreviation", "name", "authority", "purpose", "executes")
    status = any_choice(rules.ProgramStatus.choices, "Any status")
    title_code = any_choice(rules.Title.choices, "Title 10 or 22", "Title")
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
    partner_desire = any_choice(rules.Desire.choices, "Any", "Partner desire (R-CBA-02)")
    status = any_choice(list(rules.ANALYSIS.labels.items()), "Any status")

    class Meta:
        model = CapabilityAnalysis
        fields = ["country", "partner_desire", "status"]


class ScenarioListFilter(SearchFilterSet):
    search_fields = ("title", "notes")
    ccmd = ccmd_choice()
    status = any_choice(list(rules.SCENARIO.labels.items()), "Any status")

    class Meta:
        model = Scenario
        fields = ["ccmd", "status"]
