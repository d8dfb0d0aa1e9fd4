"""`secoop generate` with assessment: results of the generated activities and IMOs, indicators
with their reference sheets and baselines, periods with targets and approved updates, each one a
user could have entered (R-AME-01, R-AME-02, R-SEC-11)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from secoop.assessment import rules
from secoop.assessment.actions import APPROVERS
from secoop.assessment.actions import REPORTERS
from secoop.assessment.models import Indicator
from secoop.assessment.models import Period
from secoop.assessment.models import Result
from secoop.assessment.models import Update
from secoop.assessment.rules import UpdateStatus
from secoop.core.models import Membership
from tests.core.test_generate import made  # noqa: F401  (the tiny run, seed 7)

pytestmark = pytest.mark.django_db


def _of(made, model):  # noqa: F811  (the imported fixture's name)
    return model.objects.system().filter(pk__in=made.pks[model._meta.label])


def test_a_tiny_run_makes_results_of_activities_and_imos_down_to_approved_updates(made):  # noqa: F811
    results = list(_of(made, Result))
    assert len(results) == 12
    assert any(r.activity_id for r in results) and any(r.imo_id for r in results)
    assert {r.activity_id for r in results if r.activity_id} <= set(made.pks["planning.Activity"])
    assert _of(made, Indicator).count() >= len(results)
    assert _of(made, Period).exists()
    assert _of(made, Update).filter(status=UpdateStatus.APPROVED).exists()


def test_results_and_indicators_are_marked_as_what_they_measure(made):  # noqa: F811
    for r in _of(made, Result).select_related("activity", "imo"):
        r.full_clean()
        parent = r.activity or r.imo
        assert r.marking_text == parent.marking_text
        assert not r.shared_with_partner or r.marking.releasable_to(r.country_id)
    for i in _of(made, Indicator).select_related("result"):
        i.full_clean()
        assert i.marking_text == i.result.marking_text
        assert i.shared_with_partner == i.result.shared_with_partner
        sheet = i.facts()
        assert rules.reference_sheet_problems(sheet, i.definition) == []  # R-AME-02
        assert sheet.has_baseline and rules.value_problem(i.baseline, sheet, "baseline") is None


def test_periods_fit_their_activity_and_never_overlap(made):  # noqa: F811
    periods = list(_of(made, Period).select_related("indicator__result__activity"))
    for p in periods:
        p.full_clean()
        activity = p.indicator.result.activity
        span = (activity.start_date, activity.end_date) if activity else None
        others = [(o.period_start, o.period_end) for o in periods if o.indicator_id == p.indicator_id and o.pk != p.pk]  # fmt: skip
        assert rules.period_problems(p.period_start, p.period_end, span, others) == []
        assert rules.value_problem(p.target, p.indicator.facts(), "target") is None


def test_updates_follow_the_baseline_and_are_approved_by_someone_else(made):  # noqa: F811
    updates = list(_of(made, Update).select_related("period__indicator"))
    roles = {}
    for m in Membership.objects.filter(user__in=made.users):
        roles.setdefault((m.user_id, m.organization_id), set()).add(m.role)
    for u in updates:
        u.full_clean()
        sheet = u.period.indicator.facts()
        assert rules.baseline_problem(sheet) is None  # R-AME-01
        assert rules.before_baseline_problem(sheet, u.period.period_end) is None
        assert rules.value_problem(u.value, sheet) is None
        assert u.submitted_on >= u.period.period_end
        org = u.period.indicator.owner_org_id
        assert roles[(u.entered_by_id, org)] & REPORTERS
        if u.status == UpdateStatus.APPROVED:  # R-SEC-11: never by its author
            assert u.decided_by_id != u.entered_by_id
            assert roles[(u.decided_by_id, org)] & APPROVERS
            assert u.decided_on >= u.submitted_on
        else:
            assert u.status == UpdateStatus.SUBMITTED and u.decided_by_id is None


def test_a_second_run_is_refused_without_append(made):  # noqa: F811
    before = Result.objects.system().count()
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--scale", "tiny")
    assert Result.objects.system().count() == before
