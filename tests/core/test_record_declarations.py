"""Declarations a record or a list filter set makes once (decision 0056): `shown_by`
(core/models/pages.py) and a list filter set's filters (core/filters.py SearchFilterSet)."""

from __future__ import annotations

import django_filters

from secoop.analysis.models import Gap
from secoop.assessment.filters import LessonFilter
from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.models import Document
from secoop.core.models.documents import DocumentKind
from secoop.planning.models import CampaignPlan
from secoop.training.models import Course


def test_a_record_shown_by_its_title_says_so_once():
    assert str(Gap(title="Maritime domain awareness")) == "Maritime domain awareness"
    assert str(CampaignPlan(title="CCP 2027")) == "CCP 2027"
    assert str(Document(title="Country plan annex")) == "Country plan annex"


def test_a_record_without_shown_by_keeps_its_own_str():
    assert Course.shown_by == ""
    assert (
        str(Course(course_id="MASL-1", title="Basic officer course"))
        == "MASL-1 Basic officer course"
    )


def test_a_list_filter_set_filters_q_then_what_it_declares():
    assert list(LessonFilter.base_filters) == ["q", "kind", "tag"]

    class KindFilter(SearchFilterSet):
        kind = any_choice(DocumentKind.choices, "Any kind")
        title = django_filters.CharFilter(lookup_expr="icontains")

        class Meta:
            model = Document

    assert list(KindFilter.base_filters) == ["q", "kind", "title"]
    assert KindFilter.base_filters["kind"].extra["empty_label"] == "Any kind"


def test_a_meta_that_lists_fields_is_taken_as_it_is():
    class ByModelField(SearchFilterSet):
        class Meta:
            model = Document
            fields = ["kind", "q"]

    assert list(ByModelField.base_filters) == ["kind", "q"]
