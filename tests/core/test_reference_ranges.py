"""Issue 11 §5: a dated fact looked up before its first effective date raised an error, so a case
whose LOR completed before the fact's date failed. Each fact now has an effective range; the
decision is docs/decisions/0009-embedded-default-and-dated-facts.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db import transaction

from secoop.cases import facts as case_facts
from secoop.core.models import ReferenceFact
from secoop.core.reference_data import load_facts

pytestmark = pytest.mark.django_db
D = dt.date


def _fact(
    key: str, value: str, since: dt.date, until: dt.date | None = None, unit: str = "days"
) -> ReferenceFact:
    return ReferenceFact.objects.create(
        key=key,
        label=key,
        value=Decimal(value),
        unit=unit,
        effective_from=since,
        effective_until=until,
        source="test",
    )


def test_aod_days_for_a_lor_completed_before_the_first_figure_on_record_use_that_figure():
    first = (
        ReferenceFact.objects.filter(key="fms-aod-group-a-days").order_by("effective_from").first()
    )
    before = first.effective_from - dt.timedelta(days=400)
    assert case_facts.aod_group_days("A", before) == first.as_int


def test_a_later_row_ends_the_one_before_and_each_date_reads_its_own_figure():
    _fact("test-lead-days", "30", D(2020, 1, 1))
    _fact("test-lead-days", "45", D(2027, 1, 1))
    assert ReferenceFact.objects.close_superseded("test-lead-days") == 1
    old = ReferenceFact.objects.get(key="test-lead-days", effective_from=D(2020, 1, 1))
    assert old.effective_until == D(2026, 12, 31)
    assert ReferenceFact.objects.in_force("test-lead-days", D(2026, 12, 31)).as_int == 30
    assert ReferenceFact.objects.in_force("test-lead-days", D(2027, 1, 1)).as_int == 45


def test_loading_the_reference_facts_gives_existing_rows_their_ranges():
    load_facts(ReferenceFact)
    open_rows = ReferenceFact.objects.filter(effective_until__isnull=True)
    assert open_rows.count() == len(set(ReferenceFact.objects.values_list("key", flat=True)))


def test_a_withdrawn_fact_answers_a_message_that_names_its_range_and_what_to_do():
    _fact("test-withdrawn", "10", D(2020, 1, 1), until=D(2022, 6, 30))
    with pytest.raises(ReferenceFact.DoesNotExist) as refused:
        ReferenceFact.objects.in_force("test-withdrawn", D(2023, 1, 1))
    message = str(refused.value)
    assert "applies on 1 Jan 2023" in message
    assert "1 Jan 2020 to 30 Jun 2022" in message
    assert "adds the figure in force on that date under Reference facts" in message


def test_a_membership_flag_does_not_hold_before_its_date():
    # ANSWERS "Dated facts": NATO+5 membership counts from each member's accession date.
    assert case_facts.is_nato_plus_5("FIN", D(2023, 4, 4)) is True
    assert case_facts.is_nato_plus_5("FIN", D(2023, 4, 3)) is False


def test_a_fact_cannot_end_before_it_takes_effect():
    with pytest.raises(IntegrityError), transaction.atomic():
        _fact("test-backwards", "1", D(2025, 1, 1), until=D(2024, 1, 1))


def test_facts_kept_for_a_request_per_date_are_the_ranges_answer_and_a_save_drops_them():
    """Issue 15: within a request a fact is looked up once per key and date (in_force_kept, the
    DCS list's R-DCS-03 figures apply nine facts to each of thousands of requests); the answer is
    in_force's for every date, and a fact saved meanwhile is read again."""
    from secoop.core.context import request_memo_var
    from secoop.core.models.reference import in_force_kept

    key = case_facts.DCS_REVIEW_GOAL
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=90 * i) for i in range(40)]
    token = request_memo_var.set({})
    try:
        for on in days * 2:
            assert in_force_kept(key, on) == ReferenceFact.objects.in_force(key, on)
        latest = ReferenceFact.objects.in_force(key, days[-1])
        newer = ReferenceFact.objects.get(pk=latest.pk)
        newer.pk, newer.effective_from, newer.value = None, days[-1], latest.value + 1
        newer.save()
        assert in_force_kept(key, days[-1]).value == latest.value + 1
    finally:
        request_memo_var.reset(token)
