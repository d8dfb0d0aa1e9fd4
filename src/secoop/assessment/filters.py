"""List-page filters for assessment (choices through the door, search through core.search)."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import country_choice

from .models import Evaluation
from .models import Indicator
from .models import Lesson
from .models import Result
from .models import Update
from .rules import EvaluationStatus
from .rules import LessonKind
from .rules import ResultType
from .rules import UpdateStatus


class ResultFilter(SearchFilterSet):
    search_fields = ("title", "description")
    result_type = any_choice(ResultType.choices, "Any type")
    country = country_choice()

    class Meta:
        model = Result


class IndicatorFilter(SearchFilterSet):
    search_fields = ("title", "definition", "measure__indicator")
    country = country_choice()

    class Meta:
        model = Indicator


class UpdateFilter(SearchFilterSet):
    search_fields = ("narrative",)
    status = any_choice(UpdateStatus.choices, "Any status")

    class Meta:
        model = Update


class EvaluationFilter(SearchFilterSet):
    search_fields = ("title", "plan", "recommended_adjustments")
    status = any_choice(EvaluationStatus.choices, "Any status")

    class Meta:
        model = Evaluation


class LessonFilter(SearchFilterSet):
    """R-AME-05: lessons searchable by words in the title, observation, recommendation or tags."""

    search_fields = ("title", "observation", "recommendation", "tags")
    kind = any_choice(LessonKind.choices, "Lessons and best practices")
    tag = django_filters.CharFilter(method="by_tag", label="Tag")

    class Meta:
        model = Lesson

    def by_tag(self, queryset, name, value):
        tag = " ".join((value or "").strip().lower().split())
        return queryset.filter(tags__contains=f",{tag},") if tag else queryset
