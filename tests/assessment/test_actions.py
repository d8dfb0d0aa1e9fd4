"""Assessment actions on the demo: baseline first (R-AME-01), bad input refused with nothing
saved, the update workflow with approver ≠ author (R-SEC-11, core.actions.refuse_own_work), the
partner reporting on what is released to it, evaluations completed only on cited evidence
(R-AME-04), lessons searchable through the door (R-AME-05), one indicator per measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction

from secoop.assessment import actions
from secoop.assessment import facts
from secoop.assessment import models as m
from secoop.assessment.rules import UpdateStatus
from secoop.core.markings import Marking
from secoop.core.search import search
from secoop.planning.models import Activity
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import Measure
from tests.conftest import builds

from .conftest import first_period
from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date


def refused(call, rule: str) -> ValidationError:
    """Run `call`, expect its refusal naming `rule`, and prove no assessment row was written."""
    counts = snapshot_counts()
    with pytest.raises(ValidationError) as refusal:
        call()
    messages = refusal.value.messages
    assert any(rule in text for text in messages), messages
    assert counts == snapshot_counts(), f"refused ({rule}) but saved something"
    return refusal.value


def new_indicator(result, **fields) -> m.Indicator:
    ind = m.Indicator(
        result=result,
        title=fields.pop("title", "Patrol reports filed"),
        kind="MOP",
        unit="reports",
        definition="Reports filed",
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
        **fields,
    )
    ind.marking = Marking.parse("CUI//REL TO USA, XBN")
    return actions.create_indicator(person("sco.bandaria"), ind)


def test_r_ame_01_no_actual_before_the_baseline_and_the_message_says_why(coordination):
    result = m.Result.objects.system().get(pk=coordination.result_id)
    fresh = new_indicator(result, shared_with_partner=True)
    period = m.Period(
        indicator=fresh, period_start=D(2026, 11, 17), period_end=D(2026, 11, 19), target=3
    )
    period.marking = fresh.marking
    period = actions.add_period(person("sco.bandaria"), period, target_unit="reports")
    error = refused(lambda: actions.enter_update(person("le.staff"), period, "2"), "R-AME-01")
    assert "no baseline yet" in error.messages[0] and "Record the baseline" in error.messages[0]
    actions.record_baseline(person("sco.bandaria"), fresh, "0", D(2026, 11, 1))
    update = actions.enter_update(person("le.staff"), period, "2")
    assert update.status == UpdateStatus.DRAFT and update.value == Decimal(2)


def test_bad_input_is_refused_with_what_to_fix_and_nothing_saved(wells):
    officer = person("sco.bandaria")
    period = first_period(wells)
    refused(lambda: actions.enter_update(officer, period, "eight"), "R-AME-02")  # non-numeric
    late = m.Period(
        indicator=wells, period_start=D(2027, 4, 1), period_end=D(2027, 4, 30), target=1
    )
    late.marking = wells.marking
    error = refused(lambda: actions.add_period(officer, late), "R-AME-02")  # outside the activity
    assert "outside the activity's dates" in error.messages[0]


def test_a_target_of_the_wrong_unit_is_refused(interdictions):
    after = m.Period(
        indicator=interdictions, period_start=D(2029, 10, 1), period_end=D(2029, 10, 31), target=30
    )
    after.marking = interdictions.marking
    error = refused(
        lambda: actions.add_period(person("ccmd.planner"), after, target_unit="percent"), "R-AME-02"
    )
    assert (
        "the target is in percent, but this indicator is counted in interdictions"
        in error.messages[0]
    )
    assert actions.add_period(person("ccmd.planner"), after, target_unit="interdictions").pk


def test_r_ame_01_an_actual_for_a_period_before_the_baseline_is_refused(coordination):
    period = m.Period.objects.system().get(indicator=coordination)
    with builds("move the baseline after the period"):
        m.Indicator.objects.system().filter(pk=coordination.pk).update(baseline_on=D(2026, 12, 1))
    error = refused(
        lambda: actions.enter_update(person("partner.bandaria"), period, "2"), "R-AME-01"
    )
    assert "before the baseline of 01 Dec 2026" in error.messages[0]


def test_r_sec_11_the_author_cannot_approve_their_own_update_another_can(wells):
    officer, planner = person("sco.bandaria"), person("ccmd.planner")
    update = actions.enter_update(officer, first_period(wells), "4", narrative="recount")
    actions.submit_update(officer, update)
    error = refused(lambda: actions.approve_update(officer, update), "R-SEC-11")
    assert "update" in error.messages[0]
    done = actions.approve_update(planner, update, comment="ok")
    assert done.status == UpdateStatus.APPROVED and done.decided_by == planner
    assert [e.transition for e in log_for(update) if e.transition] == ["submit", "approve"]


def test_a_return_needs_a_comment_and_the_author_resubmits(wells):
    officer, planner = person("sco.bandaria"), person("ccmd.planner")
    update = actions.enter_update(officer, first_period(wells), "4")
    actions.submit_update(officer, update)
    refused(lambda: actions.return_update(planner, update, comment=" "), "R-AME-02")
    actions.return_update(planner, update, comment="Attach the certificate.")
    update.refresh_from_db()
    assert (
        update.status == UpdateStatus.RETURNED
        and update.decision_comment == "Attach the certificate."
    )
    actions.change_update(officer, update, {"value": "3"})
    assert actions.submit_update(officer, update).status == UpdateStatus.SUBMITTED


def test_the_partner_reports_on_an_indicator_released_to_it_approved_by_us_staff(coordination):
    partner, officer = person("partner.bandaria"), person("sco.bandaria")
    period = m.Period.objects.system().get(indicator=coordination)
    update = actions.enter_update(partner, period, "3", narrative="Cell met twice.")
    assert update.owner_org == org("Bandaria MoD") and update.marking == coordination.marking
    actions.submit_update(partner, update)
    with pytest.raises(PermissionDenied):
        actions.approve_update(partner, update)  # a partner never approves
    with pytest.raises(PermissionDenied):
        actions.approve_update(person("le.staff"), update)  # nor LE staff (R-SEC-02)
    assert actions.approve_update(officer, update).status == UpdateStatus.APPROVED


def test_the_partner_cannot_report_on_an_indicator_not_released_to_it(interdictions):
    with pytest.raises(PermissionDenied):
        actions.enter_update(person("partner.bandaria"), first_period(interdictions), "3")


def test_one_indicator_per_measure_its_baseline_kept_on_the_measure(interdictions, outcome):
    measure = Measure.objects.system().get(pk=interdictions.measure_id)
    twin = m.Indicator(
        result=outcome,
        measure=measure,
        definition="again",
        owner_org=org("SCO Bandaria"),
        country_id="XBN",
    )
    twin.marking = interdictions.marking
    refused(lambda: actions.create_indicator(person("ccmd.planner"), twin), "R-AME-02")
    refused(
        lambda: actions.record_baseline(person("ccmd.planner"), interdictions, "5", D(2026, 10, 1)),
        "R-AME-01",
    )
    assert interdictions.facts(measure).baseline == measure.baseline == Decimal(4)
    with (
        builds("the database refuses a second copy"),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        m.Indicator.objects.system().filter(pk=interdictions.pk).update(unit="crossings")


def test_r_ame_04_an_evaluation_cannot_complete_while_a_finding_cites_nothing():
    planner = person("ccmd.planner")
    evaluation = m.Evaluation.objects.system().get(
        title__startswith="Mid-term evaluation of the border"
    )
    actions.start_evaluation(planner, evaluation)
    finding = m.EvaluationFinding(
        evaluation=evaluation, criterion="relevance", statement="Fits the plan."
    )
    finding.marking = evaluation.marking
    actions.add_finding(planner, finding)
    error = refused(
        lambda: actions.complete_evaluation(planner, evaluation, recommended_adjustments="none"),
        "R-AME-04",
    )
    assert "cite no evidence" in error.messages[0]
    cited = m.EvaluationFinding(
        evaluation=evaluation, criterion="effectiveness", statement="Interdictions rose."
    )
    cited.marking = evaluation.marking
    actions.add_finding(
        planner,
        cited,
        updates=list(m.Update.objects.visible_to(planner).filter(status="approved")[:1]),
    )
    with builds("give the bare finding its data"):
        m.EvaluationFinding.objects.system().filter(pk=finding.pk).update(
            cited_data="the plan's CONOP"
        )
    assert (
        actions.complete_evaluation(planner, evaluation, recommended_adjustments="none").status
        == "completed"
    )


def test_r_ame_04_post_project_evaluations_are_planned_from_the_dated_facts():
    activity = Activity.objects.system().get(
        title__startswith="Key leader engagement: Chief of Defence"
    )
    made = actions.plan_post_project_evaluations(person("ccmd.planner"), activity)
    first = facts.days(facts.POST_FIRST)
    assert [e.due_on for e in made] == [
        activity.end_date + dt.timedelta(days=first),
        activity.end_date + dt.timedelta(days=365),
    ]
    assert actions.plan_post_project_evaluations(person("ccmd.planner"), activity) == []  # once


def test_r_ame_05_lessons_are_searchable_through_the_door():
    planner, partner = person("ccmd.planner"), person("partner.bandaria")
    assert [
        lesson.title
        for lesson in search(
            m.Lesson.objects.visible_to(planner),
            "logistics night",
            ["title", "observation", "tags"],
            planner,
        )
    ] == ["Night patrols start only with the brigade's own logistics"]
    assert not search(
        m.Lesson.objects.visible_to(partner), "pump", ["title", "observation", "tags"], partner
    ).exists()
    refused(
        lambda: actions.create_lesson(
            planner,
            m.Lesson(title="x", observation="", recommendation="y", owner_org=org("AFRICOM")),
        ),
        "R-AME-05",
    )


def test_an_administrator_industry_and_le_staff_define_no_result(outcome):
    for name in ("admin", "industry.rep", "le.staff"):
        result = m.Result(
            title="x", imo_id=outcome.imo_id, owner_org=org("SCO Bandaria"), country_id="XBN"
        )
        with pytest.raises(PermissionDenied):
            actions.create_result(person(name), result)


def joint_staff_officer():
    """A Joint Staff J5 action officer (the demo has none)."""
    from secoop.core import actions as core
    from secoop.core.models import User
    from secoop.core.rules import Audience
    from secoop.core.rules import Clearance
    from secoop.core.rules import Role

    user = User.objects.create(
        username="js.officer",
        audience=Audience.USG,
        citizenship_id="USA",
        clearance=Clearance.SECRET,
    )
    core.grant_membership(None, user, org("Joint Staff J5"), Role.JOINT_STAFF)
    return person("js.officer")


def test_r_ame_06_the_annual_cycle_template_command_joint_staff_osd():
    planner, osd = person("ccmd.planner"), person("osd.solic")
    js = joint_staff_officer()
    cycle = m.CampaignAssessment.objects.system().get(fiscal_year=2027, kind="campaign")
    assert cycle.status == "assessed"  # the demo's command submitted every objective
    refused(
        lambda: actions.evaluate_campaign_assessment(osd, cycle, evaluation="early"), "R-AME-06"
    )
    with pytest.raises(PermissionDenied):
        actions.review_campaign_assessment(planner, cycle)  # the command does not review itself
    refused(lambda: actions.return_campaign_assessment(js, cycle, comment=""), "R-AME-02")
    actions.return_campaign_assessment(js, cycle, comment="Say more on the budget objective.")
    imo = m.ObjectiveAssessment.objects.system().filter(assessment=cycle).last().imo
    actions.assess_objective(
        planner, cycle, imo, progress="Budget line drafted.", resources="partly"
    )
    actions.submit_campaign_assessment(planner, cycle)
    actions.review_campaign_assessment(js, cycle, comment="Complete.")
    refused(lambda: actions.evaluate_campaign_assessment(osd, cycle, evaluation=" "), "R-AME-06")
    done = actions.evaluate_campaign_assessment(
        osd, cycle, evaluation="On track; fund the budget IMO."
    )
    assert done.status == "evaluated" and [
        e.transition for e in log_for(cycle) if e.transition
    ] == ["submit", "return", "submit", "review", "evaluate"]


def test_r_ame_06_the_command_submits_only_when_every_objective_is_assessed():
    js = joint_staff_officer()
    plan = (
        m.CampaignAssessment.objects.system().get(fiscal_year=2027, kind="campaign").campaign_plan
    )
    cycle = actions.issue_campaign_template(js, plan, 2028, "Progress, risks, resources.")
    error = refused(
        lambda: actions.submit_campaign_assessment(person("ccmd.planner"), cycle), "R-AME-06"
    )
    n = IntermediateObjective.objects.system().filter(line_of_effort__campaign_plan=plan).count()
    assert f"{n} of the plan's {n} objectives are not assessed yet" in error.messages[0]
    refused(lambda: actions.issue_campaign_template(js, plan, 2028, "again"), "R-AME-06")
