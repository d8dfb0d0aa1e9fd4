"""Training list-page filters (search, status, program, fiscal year); related choices through the door."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import country_choice

from . import rules
from .models import Course
from .models import Student
from .models import StudentStatus
from .models import TrainingPlan
from .rules import Program


def _fy_of_class(queryset, name, value):
    return queryset.filter(
        class_start__gte=rules.fy_start(int(value)), class_start__lte=rules.fy_end(int(value))
    )


class StudentFilter(SearchFilterSet):
    search_fields = ("given_name", "family_name", "course_title", "unit")
    status = any_choice(StudentStatus.choices, "Any status")
    program = any_choice(Program.CHOICES, "Any program")
    fiscal_year = django_filters.NumberFilter(method=_fy_of_class, label="Class starts in FY")
    country = country_choice()

    class Meta:
        model = Student


class CourseFilter(SearchFilterSet):
    search_fields = ("course_id", "title", "school", "location")
    eimet = django_filters.BooleanFilter(
        field_name="eimet_certified_on",
        lookup_expr="isnull",
        exclude=True,
        label="E-IMET certified",
    )

    class Meta:
        model = Course


class PlanFilter(SearchFilterSet):
    search_fields = ("title",)

    class Meta:
        model = TrainingPlan


class StudentApiFilter(django_filters.FilterSet):
    """The student API's filters. `course` filters by id without reading the catalog (a partner
    may not filter on it at all: the field policy refuses it, core.fields)."""

    course = django_filters.NumberFilter(field_name="course_id")

    class Meta:
        model = Student
        fields = ["status", "program", "country", "course"]
