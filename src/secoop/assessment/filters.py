"""List-page filters for assessment (choices through the door, search through core.search)."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet, country_choice

from .models import Evaluation, Indicator, Lesson, Result, Update
from .rules import EvaluationStatus, LessonKind, ResultType, UpdateStatus


class ResultFilter(SearchFilterSet):
    search_fields = ("title", "description")
    result_type = django_filters.ChoiceFilter(choices=ResultType.choices, empty_label="Any type")
    country = country_choice()

    class Meta:
        model = Result
        fields = ["q", "result_type", "country"]


class IndicatorFilter(SearchFilterSet):
    search_fields = ("title", "definition", "measure__indicator")
    country = country_choice()

    class Meta:
        model = Indicator
        fields = ["q", "country"]


class UpdateFilter(SearchFilterSet):
    search_fields = ("narrative",)
    status = django_filters.ChoiceFilter(choices=UpdateStatus.choices, empty_label="Any status")

    class Meta:
        model = Update
        fields = ["q", "status"]


class EvaluationFilter(SearchFilterSet):
    search_fields = ("title", "plan", "recommended_adjustments")
    status = django_filters.ChoiceFilter(choices=EvaluationStatus.choices, empty_label="Any status")

    class Meta:
        model = Evaluation
        fields = ["q", "status"]


class LessonFilter(SearchFilterSet):
    """R-AME-05: lessons searchable by words in the title, observation, recommendation or tags."""

    search_fields = ("title", "observation", "recommendation", "tags")
    kind = django_filters.ChoiceFilter(
        choices=LessonKind.choices, empty_label="Lessons and best practices"
    )
    tag = django_filters.CharFilter(method="by_tag", label="Tag")

    class Meta:
        model = Lesson
        fields = ["q", "kind", "tag"]

    def by_tag(self, queryset, name, value):
        tag = " ".join((value or "").strip().lower().split())
        return queryset.filter(tags__contains=f",{tag},") if tag else queryset
