"""The analysis API (/api/v1/analysis/): the catalog, analyses, options and scenarios through the
door; POST scenarios/{id}/solve/; bad input as 400 with the field and the rule."""

from __future__ import annotations

import pytest

from secoop.analysis.models import CapabilityAnalysis, ScenarioPlan

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
