"""The analysis API (/api/v1/analysis/): the catalog, analyses, options and scenarios through the
door; POST scenarios/{id}/solve/; bad input as 400 with the field and the rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from secoop.analysis.models import CapabilityAnalysis
from secoop.analysis.models import ScenarioPlan

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_at_least_forty_programs_each_with_its_source(api):
    response = api("ccmd.planner").get("/api/v1/analysis/programs/", {"page_size": 200})
    rows = response.json()["results"]
    assert response.status_code == 200 and len(rows) >= 40
    assert all(r["source"] and r["effective_from"] for r in rows)
    s333 = next(r for r in rows if r["key"] == "10 USC 333")
    assert s333["is_bpc"] and s333["lifespan_years"] == 3 and "T" in s333["dotmlpf"]


@pytest.mark.parametrize("username", ["partner.bandaria", "industry.rep"])
def test_r_sec_03_partners_and_industry_read_no_analysis_through_the_api(api, username, bandaria):
    client = api(username)
    for path in ("programs", "analyses", "options", "scenarios"):
        response = client.get(f"/api/v1/analysis/{path}/")
        assert response.status_code in (200, 403, 404)
        if response.status_code == 200:
            assert response.json()["results"] == [], path
    assert client.get(f"/api/v1/analysis/analyses/{bandaria.pk}/").status_code in (403, 404)


def test_an_analysis_is_created_through_the_action_and_bad_input_is_a_400(api, bandaria):
    client = api("ccmd.planner")
    body = {
        "imo": bandaria.imo_id,
        "country": "XBN",
        "owner_org": bandaria.owner_org_id,
        "title": "Bandaria air wing: casualty evacuation",
        "partner_role": "The air wing evacuates casualties from the border.",
        "partner_desire": "willing",
        "marking": "CUI//NOFORN",
    }
    created = client.post("/api/v1/analysis/analyses/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["partner_willing"] is True and created.json()["status"] == "draft"
    bad = client.post(
        "/api/v1/analysis/analyses/", {**body, "partner_desire": "maybe"}, format="json"
    )
    assert bad.status_code == 400 and "partner_desire" in bad.json()
    assert CapabilityAnalysis.objects.system().filter(title=body["title"]).count() == 1


def test_post_solve_runs_the_optimizer_and_the_greedy_baseline(api, scenario, optimizer):
    client = api("ccmd.planner")
    response = client.post(f"/api/v1/analysis/scenarios/{scenario.pk}/solve/", {}, format="json")
    assert response.status_code == 200, response.json()
    plans = {p["method"]: p for p in response.json()["plans"]}
    assert set(plans) == {"milp", "greedy"} and plans["milp"]["value"] >= plans["greedy"]["value"]
    assert plans["milp"]["gap"] is not None and plans["greedy"]["not_chosen"]
    refused = api("sco.bandaria").post(f"/api/v1/analysis/scenarios/{scenario.pk}/solve/")
    assert refused.status_code in (403, 404)
    assert ScenarioPlan.objects.system().filter(scenario=scenario).count() == 2


def test_option_costs_and_links_are_written_through_the_api_in_one_transaction(api, bandaria):
    from secoop.analysis.models import Gap
    from secoop.analysis.models import OptionCost
    from secoop.analysis.models import SolutionOption

    gap = Gap.objects.system().filter(analysis=bandaria).exclude(dotmlpf="").first()
    other = SolutionOption.objects.system().filter(gap=gap).first()
    client = api("ccmd.planner")
    body = {
        "gap": gap.pk,
        "title": "Mobile surveillance vans",
        "marking": "CUI//NOFORN",
        "costs": {"FY2028": "1200000", "2029": "300000.50"},
        "programs": ["10 USC 333"],
        "excludes": [other.pk],
    }
    made = client.post("/api/v1/analysis/options/", body, format="json")
    assert made.status_code == 201, made.json()
    data = made.json()
    assert data["costs"] == {"FY2028": "1200000.00", "FY2029": "300000.50"}
    assert data["programs"] == ["10 USC 333"] and data["excludes"] == [other.pk]
    pk = data["id"]
    changed = client.patch(
        f"/api/v1/analysis/options/{pk}/", {"costs": {"FY2028": "900000"}}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["costs"] == {"FY2028": "900000.00"}
    assert changed.json()["programs"] == ["10 USC 333"]  # links not given stay as they were
    # bad input: 400 naming the field, nothing written (one transaction)
    for bad, field in (
        ({"costs": {"FY2028": "-1"}}, "costs"),
        ({"costs": {"next year": "1"}}, "costs"),
        ({"programs": ["10 USC 999"]}, "programs"),
        ({"requires": [pk]}, None),  # an option cannot require itself
    ):
        response = client.patch(f"/api/v1/analysis/options/{pk}/", bad, format="json")
        assert response.status_code == 400, (bad, response.json())
        if field:
            assert field in response.json(), response.json()
    assert [
        (c.fiscal_year, c.amount) for c in OptionCost.objects.system().filter(option_id=pk)
    ] == [(2028, Decimal("900000"))]
    duplicate = client.post("/api/v1/analysis/options/", {**body, "title": "Vans", "costs": {"FY2028": "-5"}}, format="json")  # fmt: skip
    assert duplicate.status_code == 400
    assert not SolutionOption.objects.system().filter(title="Vans").exists()


def test_scenario_budgets_countries_and_weights_are_written_through_the_api(
    api, scenario, bandaria
):
    client = api("ccmd.planner")
    body = {
        "title": "AFRICOM: a variant by API",
        "owner_org": scenario.owner_org_id,
        "ccmd": scenario.ccmd,
        "start_fy": 2028,
        "end_fy": 2029,
        "marking": "CUI//NOFORN",
        "budgets": [{"program": "10 USC 333", "fiscal_year": 2028, "amount": "4000000"}],
        "countries": [{"country": "xbn", "absorb_per_year": "3000000", "max_total": "5000000"}],
        "weights": [{"analysis": bandaria.pk, "weight": "4"}],
    }
    made = client.post("/api/v1/analysis/scenarios/", body, format="json")
    assert made.status_code == 201, made.json()
    data = made.json()
    assert data["budgets"] == [
        {"program": "10 USC 333", "fiscal_year": 2028, "amount": "4000000.00"}
    ]
    assert data["countries"] == [
        {"country": "XBN", "absorb_per_year": "3000000.00", "min_total": None, "max_total": "5000000.00"}
    ]  # fmt: skip
    assert data["weights"] == [{"analysis": bandaria.pk, "weight": "4.00"}]
    pk = data["id"]
    for bad in (
        {"budgets": [{"program": "10 USC 333", "fiscal_year": 2031, "amount": "1"}]},
        {"budgets": [{"program": "10 USC 999", "fiscal_year": 2028, "amount": "1"}]},
        {"budgets": [{"program": "10 USC 333", "fiscal_year": 2028, "amount": "-1"}]},
        {"countries": [{"country": "ZZZ"}]},
        {"countries": [{"country": "XBN", "min_total": "9", "max_total": "1"}]},
        {"weights": [{"analysis": 999999, "weight": "1"}]},
    ):
        response = client.patch(f"/api/v1/analysis/scenarios/{pk}/", bad, format="json")
        assert response.status_code == 400, (bad, response.status_code)
    again = client.get(f"/api/v1/analysis/scenarios/{pk}/").json()
    assert again["budgets"] == data["budgets"] and again["countries"] == data["countries"]


def test_post_copy_makes_a_draft_variant_and_the_sco_may_not(api, scenario):
    response = api("ccmd.planner").post(
        f"/api/v1/analysis/scenarios/{scenario.pk}/copy/", {"title": "Variant B"}, format="json"
    )
    assert response.status_code == 201, response.json()
    copy = response.json()
    assert copy["title"] == "Variant B" and copy["status"] == "draft" and copy["plans"] == []
    assert copy["budgets"] and copy["countries"]
    refused = api("sco.bandaria").post(f"/api/v1/analysis/scenarios/{scenario.pk}/copy/", {}, format="json")  # fmt: skip
    assert refused.status_code in (403, 404)
