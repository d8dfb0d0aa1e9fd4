"""Planning actions: rules enforced with the rule id and the fix, nothing changed on refusal,
every change in the change log (R-PLN-01..10, R-SEC-04)."""

import datetime as dt
from decimal import Decimal

import pytest

from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import ReferenceFact
from secoop.core.verdicts import Refused
from secoop.planning import actions
from secoop.planning.models import Activity
from secoop.planning.models import ActivityDependency
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CampaignPlan
from secoop.planning.models import CountryPlan
from secoop.planning.models import EndState
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfActivity
from secoop.planning.models import LineOfEffort
from secoop.planning.models import Measure
from secoop.planning.models import PlanningEvent

from .conftest import activity
from .conftest import imo
from .conftest import log_for
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date


def messages(exc) -> list[str]:
    return exc.value.messages


def new_plan(**kw) -> CampaignPlan:
    fields = {"title": "Test plan", "owner_org": org("AFRICOM"), "start_fy": 2027, "end_fy": 2030}
    fields.update(kw)
    plan = CampaignPlan(**fields)
    plan.marking = Marking.parse("CUI")
    return plan


def new_activity(**kw) -> Activity:
    fields = {
        "title": "Test activity",
        "activity_type": "kle",
        "country_id": "XBN",
        "owner_org": org("SCO Bandaria"),
        "start_date": D(2027, 5, 1),
        "end_date": D(2027, 5, 2),
    }
    fields.update(kw)
    a = Activity(**fields)
    a.marking = Marking.parse("CUI")
    return a


# --- R-PLN-03 ----------------------------------------------------------------------------------


def test_r_pln_03_plan_of_two_years_is_refused_and_nothing_is_saved():
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.create(person("ccmd.planner"), new_plan(end_fy=2028))
    assert exc.value.rule == "R-PLN-03" and exc.value.field == "end_fy"
    assert messages(exc) == [
        "R-PLN-03: a campaign plan spans 3 to 5 fiscal years; FY2027–FY2028 is 2. Set the last fiscal year to FY2029–FY2031."
    ]
    assert snapshot_counts() == before


def test_r_pln_03_a_plan_of_five_years_is_created_with_its_change_log():
    plan = actions.create(person("ccmd.planner"), new_plan(end_fy=2031), reason="new CCP")
    [entry] = log_for(plan)
    assert (
        entry.action == "create" and entry.username == "ccmd.planner" and entry.reason == "new CCP"
    )
    assert entry.after["start_fy"] == 2027 and entry.after["status"] == "draft"


def test_r_pln_03_shortening_the_plan_below_its_activities_is_refused(plan):
    with pytest.raises(Refused) as exc:
        actions.update(person("ccmd.planner"), plan, {"end_fy": 2029})
    assert exc.value.rule == "R-PLN-03"
    assert messages(exc)[0].startswith(
        "R-PLN-03: activities of this plan fall outside FY2027–FY2029: "
    )
    assert CampaignPlan.objects.system().get(pk=plan.pk).end_fy == 2031


def test_r_pln_03_activity_dates_outside_the_plan_are_refused(plan):
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.create(
            person("sco.bandaria"),
            new_activity(line_of_activity=loa, start_date=D(2026, 9, 1), end_date=D(2026, 9, 3)),
        )
    assert messages(exc) == [
        "R-PLN-03: 1 Sep 2026–3 Sep 2026 is outside the campaign plan “AFRICOM Campaign Plan FY2027–FY2031” "
        "(FY2027–FY2031: 1 Oct 2026–30 Sep 2031). Move the dates inside that period, or link the activity to a plan "
        "that covers them."
    ]
    assert exc.value.field == "start_date"
    assert snapshot_counts() == before


def test_a_campaign_plan_belongs_to_a_combatant_command():
    with pytest.raises(Refused) as exc:
        actions.create(person("ccmd.planner"), new_plan(owner_org=org("SCO Bandaria")))
    assert messages(exc) == [
        "a CCMD campaign plan (CCP) belongs to a combatant command: choose the command as the owner."
    ]


# --- R-PLN-02 ----------------------------------------------------------------------------------


def test_r_pln_02_imo_failing_smart_is_saved_but_blocks_approval(plan):
    planner = person("ccmd.planner")
    loe = LineOfEffort.objects.system().get(name="Border security")
    weak = IntermediateObjective(line_of_effort=loe, title="Better borders")
    weak.marking = Marking.parse("CUI")
    actions.create(planner, weak)  # an IMO can be saved while failing
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.approve_plan(planner, plan)
    text = messages(exc)[0]
    assert exc.value.rule == "R-PLN-02"
    assert text.startswith("R-PLN-02: the plan cannot be approved while 2 IMOs fail SMART: ")
    assert (
        "“Bandaria certifies its border units and runs interagency border operations” (Measurable: no indicator or target quantity; Achievable: no resources named; Achievable: no partner agreement recorded; Achievable: fiscal risk not considered)"
        in text
    )
    assert "“Better borders” (Specific: no statement of what is expected;" in text
    assert text.endswith("Fix them, then approve.")
    assert snapshot_counts() == before
    assert CampaignPlan.objects.system().get(pk=plan.pk).status == "draft"


def test_r_pln_02_plan_is_approved_once_every_imo_passes(plan):
    planner = person("ccmd.planner")
    failing = imo("Bandaria certifies")
    actions.update(
        planner,
        failing,
        {
            "resources": "BPC $390,000 FY2031; INCLE $180,000",
            "partner_agreement_on": D(2026, 11, 19),
            "fiscal_risk_considered": True,
        },
    )
    m = Measure(
        imo=failing,
        kind="MOE",
        indicator="Border units certified by the MoD",
        method="MoD certification orders",
        target=Decimal("3"),
    )
    m.marking = Marking.parse("CUI//NOFORN")
    actions.create(planner, m)
    assert actions.failing_imos(plan) == []
    approved = actions.approve_plan(planner, plan, reason="J5 approval")
    assert (
        approved.status == "approved"
        and approved.approved_by == planner
        and approved.approved_on is not None
    )
    entry = log_for(plan)[-1]
    assert (
        entry.action == "transition"
        and entry.transition == "approve"
        and entry.after["status"] == "approved"
    )
    with pytest.raises(Refused, match="R-PLN-02: the plan is already approved."):
        actions.approve_plan(planner, plan)
    with pytest.raises(Refused, match="R-PLN-02: say why the approved plan is reopened."):
        actions.reopen_plan(planner, plan, reason=" ")
    assert actions.reopen_plan(planner, plan, reason="new guidance").status == "draft"


def test_r_pln_02_only_the_owner_approves(plan):
    with pytest.raises(NotPermitted) as exc:
        actions.approve_plan(person("sco.bandaria"), plan)
    assert str(exc.value).startswith(
        "You cannot approve a campaign plan: that takes the role of CCMD J5 planner"
    )


def test_status_is_changed_only_by_its_action(plan):
    with pytest.raises(Refused) as exc:
        actions.update(person("ccmd.planner"), plan, {"status": "approved"})
    assert messages(exc) == [
        "status changes only through its action (approve, plan, start, complete, cancel, assess)."
    ]


def test_r_pln_02_imo_end_state_of_another_plan_is_refused(plan):
    other = actions.create(person("ccmd.planner"), new_plan(title="Other plan"))
    es = EndState(campaign_plan=other, title="Elsewhere")
    es.marking = Marking.parse("CUI")
    actions.create(person("ccmd.planner"), es)
    with pytest.raises(Refused) as exc:
        actions.update(person("ccmd.planner"), imo("Border brigade patrols"), {"end_state": es})
    assert messages(exc) == [
        "R-PLN-02: Relevant: the end state belongs to another campaign plan — choose one of this plan's end states."
    ]


# --- R-PLN-01 / R-PLN-08 / R-PLN-06 -------------------------------------------------------------


def test_r_pln_01_unlinked_activity_is_a_draft_that_cannot_be_planned():
    station = activity("Visit to border police stations")
    assert station.unlinked and station.status == "proposed"
    with pytest.raises(Refused) as exc:
        actions.plan_activity(person("sco.bandaria"), station)
    assert messages(exc) == [
        "R-PLN-01: an activity not linked to a line of activity (and so to an IMO) stays a proposed draft: link it first."
    ]
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    actions.update(person("sco.bandaria"), station, {"line_of_activity": loa})
    assert (
        actions.plan_activity(
            person("sco.bandaria"), Activity.objects.system().get(pk=station.pk)
        ).status
        == "planned"
    )


def test_r_pln_01_activity_linked_to_another_countrys_imo_is_refused():
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.create(
            person("ccmd.planner"),
            new_activity(country_id="KEN", owner_org=org("AFRICOM"), line_of_activity=loa),
        )
    assert messages(exc) == [
        "R-PLN-01: the activity is with KEN but “Support built and the border brigade vetted and selected” is an "
        "objective for XBN: link it to a line of activity of a KEN IMO, or correct the activity's country."
    ]
    assert exc.value.field == "line_of_activity"
    assert snapshot_counts() == before


def test_r_pln_08_activity_runs_proposed_planned_ongoing_completed(on_demo_day):
    sco = person("sco.bandaria")
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    a = actions.create(
        sco,
        new_activity(line_of_activity=loa, start_date=D(2026, 11, 20), end_date=D(2026, 11, 21)),
    )
    with pytest.raises(Refused) as exc:
        actions.complete_activity(sco, a)
    assert messages(exc) == [
        "R-PLN-08: a proposed activity cannot be moved to completed. From proposed it can: plan, cancel."
    ]
    a = actions.plan_activity(sco, a)
    a = actions.start_activity(sco, a)
    a = actions.complete_activity(sco, a, completed_on=D(2026, 11, 21))
    assert a.status == "completed" and a.assessment_due == D(2026, 11, 21) and a.assessment_overdue
    assert [e.transition for e in log_for(a)] == ["", "plan", "start", "complete"]
    with pytest.raises(Refused) as exc:
        actions.cancel_activity(sco, a, reason="too late")
    assert messages(exc) == [
        "R-PLN-08: a completed activity cannot be moved to cancelled. It is closed: nothing further."
    ]


def test_r_pln_08_cancel_needs_a_reason():
    a = activity("DCS purchase of tactical radios")
    with pytest.raises(Refused) as exc:
        actions.cancel_activity(person("sco.bandaria"), a, reason="")
    assert messages(exc) == ["R-PLN-08: say why the activity is cancelled."]
    done = actions.cancel_activity(person("sco.bandaria"), a, reason="MoD buys radios nationally")
    assert done.status == "cancelled" and log_for(a)[-1].reason == "MoD buys radios nationally"


def test_r_pln_06_assessment_of_a_completed_activity(on_demo_day):
    talks = activity("Interagency staff talks")
    assert talks.assessment_overdue
    with pytest.raises(Refused) as exc:
        actions.record_assessment(person("ccmd.planner"), talks, "  ")
    assert messages(exc) == [
        "R-PLN-06: write the assessment: what was achieved against the IMO, and what to change."
    ]
    with pytest.raises(Refused) as exc:
        actions.record_assessment(person("ccmd.planner"), talks, "Good", assessed_on=D(2026, 11, 1))
    assert messages(exc) == [
        "R-PLN-06: the assessment date 1 Nov 2026 is before the activity was completed (19 Nov 2026)."
    ]
    done = actions.record_assessment(
        person("ccmd.planner"), talks, "Interior joined; budget line agreed in principle."
    )
    assert (
        done.assessed_on == D(2026, 11, 23)
        and not done.assessment_overdue
        and done.assessed_by.username == "ccmd.planner"
    )
    assert log_for(talks)[-1].transition == "assess"


def test_r_pln_06_only_completed_activities_are_assessed(on_demo_day):
    with pytest.raises(Refused) as exc:
        actions.record_assessment(
            person("ccmd.planner"), activity("Border brigade capability assessment"), "early"
        )
    assert messages(exc) == [
        "R-PLN-06: only a completed activity is assessed; this one is planned. Complete it first."
    ]


def test_r_pln_06_the_sponsor_assesses_not_another_organization(on_demo_day):
    with pytest.raises(NotPermitted):
        actions.record_assessment(
            person("sco.bandaria"), activity("Interagency staff talks"), "not mine"
        )


def test_r_pln_08_funding_lines_per_fiscal_year_and_source():
    sco = person("sco.bandaria")
    a = activity("DV orientation tour")
    actions.update(
        sco,
        a,
        {},
        funding=[
            {"fiscal_year": 2028, "source": "om", "amount": "65000.00"},
            {"fiscal_year": 2028, "source": "partner", "amount": "12500.50", "note": "per diem"},
        ],
    )
    lines = list(ActivityFunding.objects.system().filter(activity=a).order_by("source"))
    assert [(ln.source, ln.amount) for ln in lines] == [
        ("om", Decimal("65000.00")),
        ("partner", Decimal("12500.50")),
    ]
    assert isinstance(lines[0].amount, Decimal) and lines[1].marking == a.marking
    with pytest.raises(Refused) as exc:
        actions.update(
            sco,
            a,
            {},
            funding=[
                {"fiscal_year": 2028, "source": "om", "amount": "1"},
                {"fiscal_year": 2028, "source": "om", "amount": "2"},
            ],
        )
    assert messages(exc) == [
        "R-PLN-08: FY2028 OM is listed twice: one line per fiscal year and source."
    ]
    actions.update(sco, a, {}, funding=[{"fiscal_year": 2028, "source": "om", "amount": "70000"}])
    assert [
        (ln.source, ln.amount) for ln in ActivityFunding.objects.system().filter(activity=a)
    ] == [("om", Decimal("70000.00"))]
    partner_line = [e for e in log_for(lines[1])]
    assert [e.action for e in partner_line] == ["create", "delete"]
    assert partner_line[0].related_object_id == str(a.pk)  # shows in the activity's history


def test_r_pln_10_default_lead_time_comes_from_the_reference_fact():
    fact = ReferenceFact.objects.in_force("rff-lead-time-days")
    assert fact.as_int == 365 and "Requirements Coordination and Integration" in fact.source
    loa = LineOfActivity.objects.system().get(name="Equip and train the border brigade")
    a = actions.create(
        person("ccmd.planner"),
        new_activity(
            owner_org=org("AFRICOM"),
            line_of_activity=loa,
            needs_us_forces=True,
            start_date=D(2028, 5, 1),
            end_date=D(2028, 5, 9),
        ),
    )
    assert a.rff_lead_days == 365


# --- R-PLN-09: dependencies and rescheduling ---------------------------------------------------


def test_r_pln_09_dependency_cycle_is_refused_naming_the_chain():
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.add_dependency(
            person("ccmd.planner"),
            activity("Border patrol individual training"),
            activity("Border brigade capability assessment"),
        )
    assert exc.value.rule == "R-PLN-09"
    assert messages(exc) == [
        "R-PLN-09: this dependency would make a cycle (Border patrol individual training (mobile training team) → "
        "Border brigade capability assessment → Human rights (Leahy) vetting of the border brigade → Border patrol "
        "individual training (mobile training team)): an activity cannot wait for itself. Remove one of these dependencies first."
    ]
    assert snapshot_counts() == before


def test_r_pln_09_a_dependency_on_itself_or_twice_is_refused():
    mtt = activity("Border patrol individual training")
    with pytest.raises(Refused, match="R-PLN-09: an activity cannot depend on itself"):
        actions.add_dependency(person("ccmd.planner"), mtt, mtt)
    with pytest.raises(Refused, match="already depends on"):
        actions.add_dependency(person("ccmd.planner"), activity("Human rights (Leahy)"), mtt)


def test_r_pln_09_violated_dependency_is_recorded_and_flagged():
    planner = person("ccmd.planner")
    talks = activity("Military staff talks FY2030")
    kle = activity("Key leader engagement: program progress review")
    dep = actions.add_dependency(planner, talks, kle, note="talks prepare the review")
    assert dep.marking == Marking.parse("CUI//REL TO USA, XBN")
    [v] = actions.violations([talks, kle], [dep])
    assert v.earliest == D(2030, 2, 13)
    actions.remove_dependency(planner, dep, reason="wrong way round")
    assert not ActivityDependency.objects.system().filter(pk=dep.pk).exists()
    assert [e.action for e in log_for(dep)] == ["create", "delete"]


def test_r_pln_09_reschedule_that_breaks_a_dependency_is_refused(on_demo_day):
    mtt = activity("Border patrol individual training")
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.reschedule(person("ccmd.planner"), mtt, D(2027, 12, 1))
    assert messages(exc) == [
        "R-PLN-09: “Border patrol individual training (mobile training team)” cannot start 1 Dec 2027: it depends on "
        "“Section 333 delivery: patrol vehicles and night-vision devices”, which ends 15 Dec 2027. Start it on or after "
        "16 Dec 2027, or move “Section 333 delivery: patrol vehicles and night-vision devices” earlier first."
    ]
    assert snapshot_counts() == before


def test_r_pln_09_reschedule_shows_the_dependents_then_moves_them_on_confirm(on_demo_day):
    planner = person("ccmd.planner")
    vetting = activity("Human rights (Leahy)")  # owned by the SCO; AFRICOM is above it
    before = snapshot_counts()
    result = actions.reschedule(planner, vetting, D(2027, 8, 2))
    assert not result.applied and result.needs_confirmation
    assert [(result.activities[m.id].title[:24], m.new_start, m.new_end) for m in result.moves] == [
        ("Human rights (Leahy) vet", D(2027, 8, 2), D(2027, 10, 29)),
        ("Joint combined exchange ", D(2027, 10, 30), D(2027, 11, 24)),
    ]
    assert snapshot_counts() == before  # nothing moves until confirmed
    done = actions.reschedule(
        planner, vetting, D(2027, 8, 2), confirm=True, reason="vetting backlog"
    )
    assert done.applied
    jcet = activity("Joint combined exchange")
    assert (jcet.start_date, jcet.end_date) == (D(2027, 10, 30), D(2027, 11, 24))
    entry = log_for(jcet)[-1]
    assert entry.action == "update" and entry.reason == "vetting backlog"
    assert entry.before["start_date"] == "2027-08-02" and entry.after["start_date"] == "2027-10-30"


def test_r_pln_09_reschedule_without_dependents_to_move_applies_at_once(on_demo_day):
    talks = activity("Military staff talks FY2030")
    result = actions.reschedule(person("ccmd.planner"), talks, D(2030, 3, 2))
    assert result.applied and result.dependents == []
    assert activity("Military staff talks FY2030").end_date == D(2030, 3, 4)


def test_r_pln_09_reschedule_past_the_plan_end_is_refused_naming_the_dependent(on_demo_day):
    ex2 = activity("Joint interagency exercise: border security (participants)")
    with pytest.raises(Refused) as exc:
        actions.reschedule(person("ccmd.planner"), ex2, D(2031, 6, 1))
    text = messages(exc)[0]
    assert text == (
        "R-PLN-03: moving “Joint interagency exercise: border security (participants)” pushes “Certification of border "
        "units” to 20 Jun 2031, and then 20 Jun 2031–14 Oct 2031 is outside the campaign plan “AFRICOM Campaign Plan "
        "FY2027–FY2031” (FY2027–FY2031: 1 Oct 2026–30 Sep 2031). Move the dates inside that period, or link the activity "
        "to a plan that covers them."
    )
    assert activity("Certification of border units").start_date == D(2031, 3, 2)


def test_r_pln_09_editing_dates_that_break_a_dependency_points_to_reschedule():
    bpc = activity("Section 333 delivery")
    with pytest.raises(Refused) as exc:
        actions.update(person("ccmd.planner"), bpc, {"end_date": D(2028, 2, 1)})
    assert messages(exc) == [
        "R-PLN-09: ending “Section 333 delivery: patrol vehicles and night-vision devices” on 1 Feb 2028 breaks the "
        "dependencies of Border patrol individual training (mobile training team): reschedule it instead, which shows the "
        "dependents that must move and moves them when you confirm."
    ]


def test_r_pln_09_completed_activities_are_not_rescheduled(on_demo_day):
    with pytest.raises(Refused) as exc:
        actions.reschedule(
            person("sco.bandaria"), activity("Key leader engagement: Chief"), D(2026, 12, 1)
        )
    assert messages(exc) == [
        "R-PLN-08: a completed activity keeps its dates: only proposed or planned activities are rescheduled."
    ]


def test_r_pln_10_reschedule_inside_the_rff_lead_time_is_refused(on_demo_day):
    mtt = activity("Border patrol individual training")  # RFF submitted 15 Jul 2026, 365 days
    with pytest.raises(Refused) as exc:
        actions.reschedule(
            person("ccmd.planner"), activity("Joint combined exchange"), D(2027, 9, 1)
        )
    assert messages(exc) == [
        "R-PLN-10: it needs U.S. forces and starts 1 Sep 2027, inside the 365-day request-for-forces lead time from today "
        "(no request for forces submitted yet). Start it on or after 23 Nov 2027, or record an earlier RFF submission."
    ]
    assert actions.reschedule(person("ccmd.planner"), mtt, D(2028, 1, 17)).applied


def test_r_pln_09_a_move_that_pushes_what_the_user_may_not_change_names_who_must_approve(
    on_demo_day,
):
    # Issue 12 item 2: the SCO moves its vetting; the JCET that must follow belongs to AFRICOM.
    sco, vetting = person("sco.bandaria"), activity("Human rights (Leahy)")
    before = snapshot_counts()
    result = actions.reschedule(sco, vetting, D(2027, 8, 2))
    jcet = activity("Joint combined exchange")
    assert result.needs_approval and result.blocked == [jcet.pk]
    assert result.approver == org("AFRICOM")
    # the latest start that pushes nothing the SCO may not change: the JCET starts 2 Aug 2027
    assert result.alone == D(2027, 5, 5)  # ends 1 Aug; the JCET starts 2 Aug
    with pytest.raises(Refused) as exc:
        actions.reschedule(sco, vetting, D(2027, 8, 2), confirm=True)
    assert exc.value.findings[0].rule == "R-PLN-09"
    text = messages(exc)[0]
    assert "“Joint combined exchange training: border reconnaissance” (sponsored by AFRICOM" in text
    assert f"Send the move to {result.approver} for approval" in text
    assert "start it on or before 5 May 2027, which pushes nothing you cannot change" in text
    assert snapshot_counts() == before
    assert actions.reschedule(sco, vetting, D(2027, 5, 5), confirm=True).applied


def test_r_pln_09_the_sco_asks_africom_which_approves_and_everything_moves(on_demo_day):
    from secoop.core.models import Notification

    sco, planner = person("sco.bandaria"), person("ccmd.planner")
    vetting = activity("Human rights (Leahy)")
    request = actions.request_reschedule(sco, vetting, D(2027, 8, 2), reason="INVEST backlog")
    assert request.status == "requested" and request.is_waiting
    assert [e.action for e in log_for(request)] == ["create"]
    assert activity("Human rights (Leahy)").start_date == D(2027, 2, 1)  # nothing moved yet
    notes = Notification.objects.system().filter(
        content_type__model="reschedule", object_id=str(request.pk)
    )
    [note] = notes
    assert note.recipient_org == request.approver_org and note.rule == "R-PLN-09"
    assert note.subject.startswith("Approve a reschedule: Human rights (Leahy)")
    assert note.url == request.get_absolute_url()
    assert Notification.objects.visible_to(planner).filter(pk=note.pk).exists()
    # asking twice is refused, saying what waits
    with pytest.raises(Refused) as exc:
        actions.request_reschedule(sco, vetting, D(2027, 8, 9))
    assert "already waiting for" in messages(exc)[0]
    # the SCO may not approve its own request (R-SEC-11); AFRICOM may
    with pytest.raises(Refused) as own:
        actions.approve_reschedule(sco, request)
    assert own.value.rule == "R-SEC-11"
    actions.approve_reschedule(planner, request)
    request.refresh_from_db()
    assert request.status == "applied" and request.decided_by == planner
    jcet = activity("Joint combined exchange")
    assert (jcet.start_date, jcet.end_date) == (D(2027, 10, 30), D(2027, 11, 24))
    assert notes.filter(recipient_org=request.owner_org).exists()
    with pytest.raises(Refused):
        actions.decline_reschedule(planner, request, reason="too late")


def test_r_pln_09_a_declined_request_moves_nothing_and_needs_a_reason(on_demo_day):
    sco, planner = person("sco.bandaria"), person("ccmd.planner")
    request = actions.request_reschedule(sco, activity("Human rights (Leahy)"), D(2027, 8, 2))
    with pytest.raises(Refused) as exc:
        actions.decline_reschedule(planner, request, reason=" ")
    assert "say why you decline" in messages(exc)[0]
    actions.decline_reschedule(planner, request, reason="the JCET detachment is fixed")
    request.refresh_from_db()
    assert request.status == "declined" and request.decision_note.startswith("the JCET")
    assert activity("Joint combined exchange").start_date == D(2027, 8, 2)


def test_r_pln_09_no_request_for_a_move_the_user_may_make():
    with pytest.raises(Refused) as exc:
        actions.request_reschedule(
            person("ccmd.planner"), activity("Human rights (Leahy)"), D(2027, 8, 2)
        )
    assert "move it yourself" in messages(exc)[0]


def test_r_pln_09_a_move_is_undone_and_the_undo_is_change_logged(on_demo_day):
    planner = person("ccmd.planner")
    vetting = activity("Human rights (Leahy)")
    done = actions.reschedule(planner, vetting, D(2027, 8, 2), confirm=True)
    record = done.record
    assert record.status == "applied" and len(record.moves) == 2
    actions.undo_reschedule(planner, record)
    record.refresh_from_db()
    assert record.status == "undone" and record.undone_by == planner
    vetting, jcet = activity("Human rights (Leahy)"), activity("Joint combined exchange")
    assert (vetting.start_date, vetting.end_date) == (D(2027, 2, 1), D(2027, 4, 30))
    assert (jcet.start_date, jcet.end_date) == (D(2027, 8, 2), D(2027, 8, 27))
    assert [e.action for e in log_for(jcet)][-2:] == ["update", "update"]
    assert log_for(record)[-1].transition == "undo"
    with pytest.raises(Refused) as exc:
        actions.undo_reschedule(planner, record)
    assert "this one is undone" in messages(exc)[0]


def test_r_pln_09_an_undo_is_refused_when_an_activity_changed_since(on_demo_day):
    planner = person("ccmd.planner")
    record = actions.reschedule(
        planner, activity("Human rights (Leahy)"), D(2027, 8, 2), confirm=True
    ).record
    actions.reschedule(planner, activity("Joint combined exchange"), D(2027, 11, 29))
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        actions.undo_reschedule(planner, record)
    assert messages(exc) == [
        "R-PLN-09: “Joint combined exchange training: border reconnaissance” changed since this move: it now runs "
        "29 Nov 2027 – 24 Dec 2027, not 30 Oct 2027 – 24 Nov 2027. Nothing was undone. Reschedule it instead, from its "
        "current dates."
    ]
    assert snapshot_counts() == before
    assert activity("Human rights (Leahy)").start_date == D(2027, 8, 2)


def test_r_pln_09_only_who_may_change_every_moved_activity_undoes(on_demo_day):
    record = actions.reschedule(
        person("ccmd.planner"), activity("Human rights (Leahy)"), D(2027, 8, 2), confirm=True
    ).record
    for username in ("sco.bandaria", "case.manager"):
        with pytest.raises(NotPermitted):
            actions.undo_reschedule(person(username), record)
    assert activity("Joint combined exchange").start_date == D(2027, 10, 30)


# --- R-PLN-04 / -05 / -07 ------------------------------------------------------------------


def test_r_pln_05_country_plan_years_outside_the_campaign_plan_are_refused(plan):
    cp = CountryPlan(
        campaign_plan=plan,
        country_id="KEN",
        owner_org=org("AFRICOM"),
        title="Kenya CSCS",
        start_fy=2026,
        end_fy=2029,
    )
    cp.marking = Marking.parse("CUI")
    with pytest.raises(Refused) as exc:
        actions.create(person("ccmd.planner"), cp)
    assert messages(exc) == [
        "R-PLN-05: FY2026–FY2029 is outside the campaign plan (FY2027–FY2031): cover only fiscal years inside it."
    ]
    cp.country_id = "DEU"
    cp.start_fy = 2027
    with pytest.raises(Refused) as exc:
        actions.create(person("ccmd.planner"), cp)
    assert messages(exc) == [
        "Germany is in EUCOM's area of responsibility, not AFRICOM's: choose that command's campaign plan."
    ]


def test_r_pln_05_the_demo_cscs_has_every_section():
    cp = CountryPlan.objects.system().get(country_id="XBN")
    assert cp.missing_sections() == [] and cp.phases.system().count() == 5


def test_r_pln_07_planning_event_fiscal_year_follows_its_dates():
    e = PlanningEvent(
        kind="rwg",
        title="RWG",
        fiscal_year=2026,
        start_date=D(2026, 10, 5),
        end_date=D(2026, 10, 7),
        owner_org=org("AFRICOM"),
    )
    e.marking = Marking.parse("CUI")
    with pytest.raises(Refused) as exc:
        actions.create(person("ccmd.planner"), e)
    assert messages(exc) == [
        "R-PLN-07: a meeting starting 5 Oct 2026 falls in FY2027, not FY2026: correct the fiscal year or the dates."
    ]
    e.fiscal_year = 0
    assert actions.create(person("ccmd.planner"), e).fiscal_year == 2027


# --- access ------------------------------------------------------------------------------------


def test_r_sec_03_partner_cannot_create_planning_records():
    a = new_activity(owner_org=org("Bandaria MoD"))
    with pytest.raises((NotPermitted, Refused)):
        actions.create(person("partner.bandaria"), a)
    assert not Activity.objects.system().filter(title="Test activity").exists()


def test_r_sec_01_linking_to_a_record_the_user_may_not_see_is_refused():
    loa = LineOfActivity.objects.system().get(name="Build support and set conditions")
    imo_ = loa.imo
    actions.update(person("ccmd.planner"), imo_, {"marking": "CUI//NOFORN"})
    actions.update(person("ccmd.planner"), loa, {"marking": "CUI//NOFORN"})
    with pytest.raises(Refused) as exc:
        actions.create(person("le.staff"), _le_activity(loa))
    assert messages(exc) == [
        f"R-SEC-01: no line of activity #{loa.pk} that you may see: choose another."
    ]


def _le_activity(loa):
    a = new_activity(line_of_activity=loa)
    a.marking = Marking.parse("CUI//REL TO USA, XBN")
    return a
