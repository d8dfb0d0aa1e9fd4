"""Budget and forecast actions on the database: who may act at each stage (R-BUD-05), versions and
their diffs, the refusals of R-BUD-01/03 and R-FCT-01 that write nothing, and the call's steps
from the dated notional timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secoop.budget import actions
from secoop.budget import demo
from secoop.budget.models import BudgetCall
from secoop.budget.models import BudgetRequest
from secoop.budget.models import CallStep
from secoop.budget.models import ForecastSale
from secoop.budget.models import ForecastSubmission
from secoop.budget.models import RequestVersion
from secoop.budget.models import Requirement
from secoop.budget.rules import Stage
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.models import Notification
from secoop.core.verdicts import Refused

from .conftest import log_for
from .conftest import org
from .conftest import person

D = dt.date


def test_r_bud_05_the_call_takes_its_steps_and_dates_from_the_notional_table(db):
    call = BudgetCall(budget_fy=2029, owner_org=org("DSCA"), issued_on=D(2027, 8, 13))
    call.marking = Marking.parse("UNCLASSIFIED")
    actions.open_call(person("dsca.analyst"), call)
    steps = list(CallStep.objects.system().filter(call=call).order_by("order"))
    assert (
        len(steps) == 12
        and steps[0].due_on == D(2027, 8, 15)
        and steps[-1].due_on == D(2028, 4, 15)
    )
    assert [s.stage for s in steps if s.stage] == [
        "sco",
        "ccmd",
        "joint_staff",
        "dsca",
        "osd",
        "dos",
    ]
    assert "Table C2.T2" in steps[0].source
    with pytest.raises(NotPermitted):
        actions.set_step_due(person("sco.bandaria"), steps[2], D(2027, 10, 30))
    actions.set_step_due(
        person("dsca.analyst"), steps[2], D(2027, 10, 30), source="FY2029 call message"
    )
    steps[2].refresh_from_db()
    assert steps[2].due_on == D(2027, 10, 30) and log_for(steps[2])[-1].user == person(
        "dsca.analyst"
    )


def test_r_bud_05_only_the_holder_of_the_stage_hands_the_request_on_and_each_hand_off_is_a_version(
    fy2028,
):
    assert fy2028.stage == Stage.CCMD
    for who in (
        "sco.bandaria",
        "joint.staff",
        "dsca.analyst",
        "le.staff",
        "partner.bandaria",
        "industry.rep",
        "admin",
    ):
        with pytest.raises((NotPermitted, Refused)):
            actions.forward_request(person(who), fy2028, "to_joint_staff")
    actions.forward_request(person("ccmd.planner"), fy2028, "to_joint_staff", on=D(2026, 12, 10))
    fy2028.refresh_from_db()
    assert fy2028.stage == Stage.JOINT_STAFF
    told = Notification.objects.system().filter(rule="R-BUD-05", object_id=str(fy2028.pk))
    assert [n.recipient_org.short_name for n in told.order_by("-pk")[:1]] == ["Joint Staff J5"]
    assert told.order_by("-pk")[0].subject.endswith("is now with the Joint Staff")
    v1, v2 = RequestVersion.objects.system().filter(request=fy2028).order_by("number")
    assert (v1.stage, v2.stage) == (Stage.SCO, Stage.CCMD)
    from secoop.budget.rules import diff_versions

    changes = [
        (d.title, c.what, c.before, c.after)
        for d in diff_versions(v1.content, v2.content)
        for c in d.changes
    ]
    assert changes == [
        ("Professional military education (IMET)", "FY2029 need", "$700,000.00", "$750,000.00")
    ]
    # the Joint Staff now holds it: the CCMD no longer changes it
    pme = Requirement.objects.system().get(request=fy2028, priority=2)
    with pytest.raises(NotPermitted):
        actions.change_requirement(person("ccmd.planner"), pme, {"priority": 1})
    actions.change_requirement(
        person("joint.staff"), pme, {"priority": 1}, reason="guidance compliance"
    )


def requirement(request, **given) -> Requirement:
    """A complete requirement of R-BUD-01, but for what `given` changes."""
    values = {
        "funding_source": "fmf",
        "purpose": "materiel",
        "priority": 9,
        "objective": "Watch the coast",
        "capability": "create",
        "capability_text": "Maritime domain awareness",
        "time_to_achieve": "5 years",
        "end_state": "Coast watched",
        "justification": "No other means",
        **given,
    }
    made = Requirement(request=request, **values)
    made.marking = request.marking
    return made


def test_r_bud_01_a_requirement_missing_an_element_is_refused_and_nothing_is_written(fy2028):
    before = Requirement.objects.system().count()
    bad = requirement(fy2028, title="Spare parts", funding_source="imet", objective="")
    with pytest.raises(Refused) as refused:
        actions.add_requirement(person("ccmd.planner"), bad, {2028: "100000"})
    assert {f.field for f in refused.value.findings} == {"objective", "funding_source"}
    assert Requirement.objects.system().count() == before


def test_r_bud_02_a_request_far_above_past_allocations_is_accepted(fy2028):
    big = requirement(fy2028, title="Maritime patrol aircraft")
    actions.add_requirement(person("ccmd.planner"), big, {2028: "250000000", 2029: "250000000"})
    assert big.years.model.objects.system().filter(requirement=big).count() == 2


def test_r_bud_03_an_uncommitted_balance_without_a_plan_is_refused(fy2028):
    with pytest.raises(Refused) as refused:
        actions.update_request(person("ccmd.planner"), fy2028, {"uncommitted_plan": ""})
    assert refused.value.rule == "R-BUD-03"
    new = BudgetRequest(
        call=BudgetCall.objects.system().get(budget_fy=2028),
        country_id="GBR",
        owner_org=org("SCO Bandaria"),
        uncommitted_fmf=Decimal("10"),
    )
    new.marking = Marking.parse("CUI//NOFORN")
    with pytest.raises(Refused):
        actions.create_request(person("sco.bandaria"), new)


def test_r_bud_05_the_allocation_is_state_pms_at_the_dos_stage(db):
    request = BudgetRequest.objects.system().get(country_id="XBN", call__budget_fy=2027)
    assert request.stage == Stage.ALLOCATED and request.allocated_fmf == Decimal("2400000")
    with pytest.raises(Refused):
        actions.record_allocation(person("state.pm"), request, Decimal(1), None)
    with pytest.raises(NotPermitted):
        actions.record_allocation(person("sco.bandaria"), request, Decimal(1), None)


def test_r_fct_01_one_submission_a_year_and_a_submitted_forecast_changes_no_more(forecast):
    again = ForecastSubmission(country_id="XBN", owner_org=org("SCO Bandaria"), report_year=2027)
    again.marking = forecast.marking
    with pytest.raises(Refused) as refused:
        actions.create_forecast(person("sco.bandaria"), again)
    assert refused.value.rule == "R-FCT-01"
    sale = ForecastSale(
        submission=forecast,
        title="Late idea",
        channel="fms",
        kind="other",
        value=Decimal(1),
        probability=10,
        expected_on=D(2027, 5, 1),
    )
    sale.marking = forecast.marking
    with pytest.raises(Refused):
        actions.add_sale(person("sco.bandaria"), sale)
    with pytest.raises(NotPermitted):
        actions.create_forecast(person("ccmd.planner"), again)
    assert ForecastSale.objects.system().filter(title=demo.NO_OBJECTIVE).count() == 1
