"""Roll-up into the objective's indicators (issue 17 item 10), activity monitoring and actual costs
(R-AME-04), ROI from actual costs (R-AME-07) and campaign support plan assessments (R-AME-06) on
the demo: one action test per new action with its refusal, the objective's roll-up table, its
XLSX opened with openpyxl, the roll-up API, the ROI with actuals, the activity's page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from secoop.assessment import actions
from secoop.assessment import demo
from secoop.assessment import models as m
from secoop.assessment.rules import Frequency
from secoop.assessment.rules import ResultType
from secoop.assessment.rules import RollUp
from secoop.planning.models import Activity
from secoop.planning.models import EndState
from secoop.planning.models import IntermediateObjective

from .conftest import indicator
from .conftest import log_for
from .conftest import person
from .conftest import snapshot_counts

pytestmark = pytest.mark.django_db
D = dt.date
NEAR = "Support built and the border brigade vetted and selected"


def refused(call, rule: str) -> ValidationError:
    counts = snapshot_counts()
    with pytest.raises(ValidationError) as refusal:
        call()
    assert any(rule in text for text in refusal.value.messages), refusal.value.messages
    assert counts == snapshot_counts(), f"refused ({rule}) but saved something"
    return refusal.value


@pytest.fixture
def villages(db) -> m.Indicator:
    return indicator("Wells handed over in border villages")


@pytest.fixture
def near(db) -> IntermediateObjective:
    return IntermediateObjective.objects.system().get(title=NEAR)


@pytest.fixture
def wells_activity(db) -> Activity:
    return Activity.objects.system().get(title=demo.WELLS)


# --- actions ---------------------------------------------------------------------------------------


def test_item10_an_activity_indicator_rolls_up_only_into_its_objective_in_the_same_unit(
    villages, wells, coordination
):
    assert m.Indicator.objects.system().get(pk=wells.pk).contributes_to_id == villages.pk
    found = refused(
        lambda: actions.link_contribution(person("sco.bandaria"), coordination, villages),
        "R-AME-02",
    )
    assert "units differ" in " ".join(found.messages)  # a scale level is not a count of wells
    assert m.Indicator.objects.system().get(pk=coordination.pk).contributes_to_id is None
    with pytest.raises(PermissionDenied):  # a partner declares no roll-up
        actions.link_contribution(person("partner.bandaria"), coordination, villages)


def test_r_ame_04_monitoring_is_recorded_by_the_sco_marked_like_the_activity(wells_activity):
    sco = person("sco.bandaria")
    refused(
        lambda: actions.record_monitoring(
            sco, wells_activity, actual_start=D(2026, 10, 6), performance="off_track"
        ),
        "R-AME-04",
    )
    refused(
        lambda: actions.record_monitoring(sco, wells_activity, actual_start=D(2027, 1, 6)),
        "R-AME-04",
    )
    with pytest.raises(PermissionDenied):  # LE staff enter data, but do not monitor
        actions.record_monitoring(person("le.staff"), wells_activity, actual_start=D(2026, 10, 6))
    done = actions.record_monitoring(
        sco,
        wells_activity,
        as_of=D(2026, 12, 2),
        actual_start=D(2026, 10, 6),
        performance="on_track",
        inputs_note="A second rig arrived.",
    )
    assert done.marking == wells_activity.marking and done.performance == "on_track"
    assert m.ActivityMonitoring.objects.system().filter(activity=wells_activity).count() == 1
    assert log_for(done)[-1].after["performance"] == "on_track"


def test_r_ame_07_an_actual_cost_is_recorded_per_year_and_source_and_never_for_a_future_year(
    wells_activity,
):
    sco = person("sco.bandaria")
    refused(
        lambda: actions.record_actual_cost(
            sco, wells_activity, fiscal_year=2029, source="om", amount="1000.00"
        ),
        "R-AME-07",
    )
    refused(
        lambda: actions.record_actual_cost(
            sco, wells_activity, fiscal_year=2027, source="om", amount="twelve"
        ),
        "R-AME-07",
    )
    again = actions.record_actual_cost(
        sco, wells_activity, fiscal_year=2027, source="om", amount="190000.00", note="Rig hire"
    )
    line = m.ActualCost.objects.system().get(activity=wells_activity, fiscal_year=2027)
    assert line.pk == again.pk and line.amount == Decimal("190000.00")  # replaced, not added
    assert [e.before["amount"] for e in log_for(line) if e.before] == ["182400.00"]


def test_r_ame_06_a_support_plan_is_assessed_by_its_agency_never_by_the_command():
    cycle = m.CampaignAssessment.objects.system().get(campaign_plan__title=demo.SUPPORT_PLAN)
    assert cycle.kind == "support" and str(cycle) == "Campaign support plan assessment FY2027"
    imo = IntermediateObjective.objects.system().get(title=NEAR)
    with pytest.raises(PermissionDenied):
        actions.assess_objective(person("ccmd.planner"), cycle, imo, progress="On track.")
    done = actions.submit_campaign_assessment(person("dsca.analyst"), cycle)
    assert done.status == "assessed"
    command = m.CampaignAssessment.objects.system().get(kind="campaign", fiscal_year=2027)
    with pytest.raises(PermissionDenied):  # DSCA does not assess the command's own plan
        actions.assess_objective(person("dsca.analyst"), command, imo, progress="x")


# --- pages, XLSX, API ---------------------------------------------------------------------------------


def test_item10_the_objective_page_shows_each_contribution_and_the_rolled_up_value_by_dimension(
    login, near
):
    body = login("ccmd.planner").get(f"/assessment/objectives/{near.pk}/").content.decode()
    assert 'data-testid="rollup-table"' in body and "Rolled up from the records you can see" in body
    assert "Wells completed and handed over" in body and demo.WELLS in body
    # The wells count is cumulative (latest): November's approved 3, by district as reported.
    assert 'data-testid="rollup-value"><strong>3</strong>' in body and "district: Kessa 1" in body
    assert "contributions you cannot see" not in body


def test_item10_the_roll_up_xlsx_holds_the_numbers(login, near):
    response = login("ccmd.planner").get(f"/assessment/objectives/{near.pk}/", {"format": "xlsx"})
    assert response["X-Marking"] == "CUI//NOFORN"  # it names the objective, marked NOFORN
    book = load_workbook(io.BytesIO(response.content))
    rows = [
        r
        for r in book["Roll-up"].iter_rows(values_only=True)
        if r[0] == "Wells handed over in border villages"
    ]
    assert len(rows) == 1
    assert rows[0][1] == "Sum" and rows[0][2] == "wells" and rows[0][5] == 8
    assert rows[0][7] == "Wells completed and handed over" and rows[0][9] == 3 and rows[0][10] == 3
    parts = [r for r in book["By dimension"].iter_rows(values_only=True) if r[3] == "district"]
    assert [(r[4], r[5]) for r in parts] == [("Kessa", 1)]


def test_item10_the_roll_up_api_reads_through_the_door(api, villages):
    body = api("ccmd.planner").get(f"/api/v1/assessment/indicators/{villages.pk}/roll-up/").json()
    assert body["method"] == "sum" and body["note"].startswith(
        "Rolled up from the records you can see"
    )
    (period,) = body["periods"]
    assert (
        Decimal(period["value"]) == 3
        and period["contributions"][0]["name"] == "Wells completed and handed over"
    )
    assert [(p["category"], Decimal(p["amount"])) for p in period["parts"]] == [("Kessa", 1)]
    assert (
        api("partner.bandaria")
        .get(f"/api/v1/assessment/indicators/{villages.pk}/roll-up/")
        .status_code
        == 404
    )


def test_r_ame_07_the_roi_shows_planned_and_actual_spend_and_cost_per_point(login):
    client = login("ccmd.planner")
    body = client.get("/assessment/return-on-investment/").content.decode()
    assert "Actual spend" in body and "Cost per point of progress" in body
    assert "$244,450.00" in body and "Actuals missing for 5 of 8 activities you may see" in body
    assert "from planned spend" in body
    book = load_workbook(
        io.BytesIO(client.get("/assessment/return-on-investment/", {"format": "xlsx"}).content)
    )
    (row,) = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == NEAR]
    assert [float(v) for v in (row[1], row[2], row[5], row[6])] == [155500, 244450, 0.38, 4092.11]
    assert row[3] == "actuals missing for 5 of 8 activities you may see"
    assert row[7] == "planned spend"


def test_r_ame_04_the_activity_page_shows_schedule_performance_and_costs_and_refuses_a_bad_date(
    login, wells_activity, wells, villages
):
    client = login("sco.bandaria")
    url = f"/assessment/activities/{wells_activity.pk}/"
    body = client.get(url).content.decode()
    assert "5 days late" in body and "At risk" in body and "$182,400.00" in body
    assert "Record an actual cost" in body
    counts = snapshot_counts()
    after = client.post(url + "do/monitor/", {"actual_start": "6 October"}, follow=True)
    assert "is not a date" in after.content.decode() and snapshot_counts() == counts
    # The roll-up link from the page: a weight of zero is refused, nothing changes.
    linked = client.post(
        url + "do/link/", {"indicator": wells.pk, "into": villages.pk, "weight": "0"}, follow=True
    ).content.decode()
    assert "R-AME-02" in linked and "more than zero" in linked and snapshot_counts() == counts
    assert "Record monitoring" not in login("le.staff").get(url).content.decode()


# --- one level more: IMO/outcome indicators into the campaign objective's ------------------------


@pytest.fixture
def border_objective(near) -> EndState:
    return EndState.objects.system().get(pk=near.end_state_id)


@pytest.fixture
def crossings_controlled(border_objective, villages) -> m.Indicator:
    """A campaign objective's indicator counted in wells, FY2027, summing its IMOs'."""
    planner = person("ccmd.planner")
    result = actions.create_result(
        planner,
        demo.marked(
            m.Result(
                title="Border villages served along the frontier",
                result_type=ResultType.OUTCOME,
                end_state=border_objective,
                owner_org_id=villages.owner_org_id,
                country_id="XBN",
            ),
            "CUI",
        ),
    )
    made = actions.create_indicator(
        planner,
        demo.marked(
            m.Indicator(
                result=result,
                title="Wells handed over across the objective",
                kind="MOE",
                unit="wells",
                definition="Wells handed over by every IMO of the objective, rolled up.",
                data_source="The IMOs' indicators (roll-up)",
                frequency=Frequency.ANNUAL,
                roll_up=RollUp.SUM,
                owner_org_id=villages.owner_org_id,
                country_id="XBN",
            ),
            "CUI",
        ),
    )
    actions.add_period(
        planner,
        demo.marked(
            m.Period(indicator=made, period_start=D(2026, 10, 1), period_end=D(2027, 9, 30)),
            "CUI",
        ),
    )
    return made


def test_item10_an_imo_indicator_rolls_up_into_its_campaign_objective_and_no_further(
    crossings_controlled, villages, wells
):
    planner = person("ccmd.planner")
    # An activity's indicator skips no level: it rolls up into its IMO's, not the objective's.
    found = refused(
        lambda: actions.link_contribution(planner, wells, crossings_controlled), "R-AME-02"
    )
    assert "rolls up into an IMO/outcome's" in " ".join(found.messages)
    found = refused(
        lambda: actions.link_contribution(planner, crossings_controlled, villages), "R-AME-02"
    )
    assert "top of the roll-up" in " ".join(found.messages)
    linked = actions.link_contribution(planner, villages, crossings_controlled)
    assert linked.contributes_to_id == crossings_controlled.pk
    assert log_for(linked)[-1].after["contributes_to"] == crossings_controlled.pk


def test_item10_the_campaign_objective_page_and_api_carry_the_activities_through_the_imo(
    login, api, crossings_controlled, villages, border_objective
):
    actions.link_contribution(person("ccmd.planner"), villages, crossings_controlled)
    # The IMO's indicator has no approved actual of its own: it contributes what its activities
    # roll up to (the wells project's 3, by district), and the objective sums it.
    url = f"/assessment/campaign-objectives/{border_objective.pk}/"
    body = login("ccmd.planner").get(url).content.decode()
    assert "Roll-up from the IMOs / outcomes" in body and NEAR in body
    assert "Wells handed over in border villages" in body
    assert 'data-testid="rollup-value"><strong>3</strong>' in body and "district: Kessa 1" in body
    data = (
        api("ccmd.planner")
        .get(f"/api/v1/assessment/indicators/{crossings_controlled.pk}/roll-up/")
        .json()
    )
    (period,) = data["periods"]
    (line,) = period["contributions"]
    assert Decimal(period["value"]) == 3 and line["indicator"] == villages.pk
    assert line["imo"] == IntermediateObjective.objects.system().get(title=NEAR).pk
    assert line["activity"] is None
    assert [(p["category"], Decimal(p["amount"])) for p in period["parts"]] == [("Kessa", 1)]
    # The partner sees neither the objective's indicator nor the page's figures.
    assert (
        api("partner.bandaria")
        .get(f"/api/v1/assessment/indicators/{crossings_controlled.pk}/roll-up/")
        .status_code
        == 404
    )
    assert "rollup-value" not in login("partner.bandaria").get(url).content.decode()
