"""The budget API (/api/v1/budget/): reads through the door, writes through the actions, refusals as
400 with the rule id in X-Rule; the request handed on by POST …/forward/ with its versions; the
forecast's two reports; the consonance check; nothing for the partner (R-FCT-05)."""

from __future__ import annotations

import pytest

from secoop.budget import demo
from secoop.budget.models import BudgetRequest
from secoop.budget.models import Requirement
from secoop.budget.rules import Stage
from tests.helpers import saved_copy

from .conftest import person

pytestmark = pytest.mark.django_db


def test_the_holder_forwards_by_api_and_the_versions_say_what_changed(api, fy2028):
    refused = api("sco.bandaria").post(
        f"/api/v1/budget/requests/{fy2028.pk}/forward/",
        {"transition": "to_joint_staff"},
        format="json",
    )
    assert refused.status_code == 403
    wrong = api("ccmd.planner").post(
        f"/api/v1/budget/requests/{fy2028.pk}/forward/", {"transition": "to_dsca"}, format="json"
    )
    assert wrong.status_code == 400 and wrong["X-Rule"] == "R-BUD-05"
    ok = api("ccmd.planner").post(
        f"/api/v1/budget/requests/{fy2028.pk}/forward/",
        {"transition": "to_joint_staff"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["stage"] == Stage.JOINT_STAFF
    assert api("joint.staff").get(f"/api/v1/budget/requests/{fy2028.pk}/").json()[
        "actions_now"
    ] == ["to_dsca"]
    versions = api("dsca.analyst").get(f"/api/v1/budget/requests/{fy2028.pk}/versions/").json()
    assert [v["stage"] for v in versions] == [Stage.SCO, Stage.CCMD]
    assert versions[1]["changes"][0]["fields"] == [
        {"what": "FY2029 need", "before": "$700,000.00", "after": "$750,000.00"}
    ]


def test_r_bud_01_a_requirement_by_api_needs_every_element_and_writes_nothing_when_refused(
    api, fy2028
):
    body = {
        "request": fy2028.pk,
        "title": "Boat engines",
        "funding_source": "fmf",
        "purpose": "materiel",
        "priority": 5,
        "objective": "Keep the boats at sea",
        "capability": "maintain",
        "capability_text": "Coastal patrol",
        "time_to_achieve": "2 years",
        "end_state": "Boats at sea",
        "justification": " ",
        "need": {"2028": "400000.00"},
        "marking": "CUI//NOFORN",
    }
    client = api("ccmd.planner")
    refused = client.post("/api/v1/budget/requirements/", body, format="json")
    assert refused.status_code == 400
    assert not Requirement.objects.system().filter(title="Boat engines").exists()
    made = client.post(
        "/api/v1/budget/requirements/",
        {**body, "justification": "Engines are worn out"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["years"] == [{"fiscal_year": 2028, "amount": "400000.00"}]


def test_r_fct_02_03_the_reports_and_r_fct_04_the_check_by_api(api, forecast):
    client = api("dsca.analyst")
    javits = {
        s["title"] for s in client.get(f"/api/v1/budget/forecasts/{forecast.pk}/javits/").json()
    }
    assert javits == {"Coastal patrol boats", demo.NO_OBJECTIVE}
    sales = {
        s["title"]
        for s in client.get(f"/api/v1/budget/forecasts/{forecast.pk}/sales-forecast/").json()
    }
    assert sales == {"Coastal patrol boats", "Night vision devices", "Patrol vehicle spare parts"}
    xlsx = client.get(f"/api/v1/budget/forecasts/{forecast.pk}/javits/", {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    found = client.get("/api/v1/budget/consonance/XBN/").json()
    assert sorted(i["rule"] for i in found) == ["R-BUD-04", "R-FCT-04"]
    assert all(i["left"]["url"] for i in found)


def test_r_fct_05_the_partner_and_industry_read_nothing(api, fy2028, forecast):
    for who in ("partner.bandaria", "industry.rep"):
        client = api(who)
        for path in ("requests", "requirements", "forecasts", "sales", "objectives", "calls"):
            assert client.get(f"/api/v1/budget/{path}/").json()["results"] == [], (who, path)
        assert client.get(f"/api/v1/budget/forecasts/{forecast.pk}/javits/").status_code == 404
        assert client.get("/api/v1/budget/consonance/XBN/").status_code == 404
    assert BudgetRequest.objects.visible_to(person("partner.bandaria")).count() == 0


def test_the_budget_api_lists_and_reports_cost_the_same_queries_whatever_their_rows(
    api, fy2028, forecast
):
    """ARCHITECTURE invariant 7: a list costs its page, not its rows. A sale's report year comes
    from its submission read with the page through the door (it was two queries per sale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.budget.models import ForecastSale
    from secoop.budget.models import RequirementYear
    from tests.conftest import builds

    base = "/api/v1/budget"
    urls = [
        *(f"{base}/{kind}/" for kind in ("calls", "objectives", "requests", "requirements")),
        *(f"{base}/{kind}/" for kind in ("forecasts", "sales")),
        f"{base}/forecasts/{forecast.pk}/javits/",
        f"{base}/forecasts/{forecast.pk}/sales-forecast/",
        f"{base}/requests/{fy2028.pk}/",
        f"{base}/requests/{fy2028.pk}/versions/",
    ]
    client = api("dsca.analyst")

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as seen:
                answer = client.get(url, {"page_size": 500})
            assert answer.status_code == 200, url
            found[url] = len(seen)
        return found

    counts()  # warm the session and the reference facts
    before = counts()
    boats = ForecastSale.objects.system().get(submission=forecast, title="Coastal patrol boats")
    line = Requirement.objects.system().filter(request=fy2028).first()
    years = list(RequirementYear.objects.system().filter(requirement=line))
    with builds("more rows"):
        for n in range(4):
            saved_copy(ForecastSale, boats.pk, title=f"More boats {n}")
            new = saved_copy(Requirement, line.pk, priority=60 + n)
            for y in years:
                saved_copy(RequirementYear, y.pk, requirement=new)
    assert counts() == before
    javits = client.get(f"{base}/forecasts/{forecast.pk}/javits/").json()
    assert {s["title"] for s in javits} >= {f"More boats {n}" for n in range(4)}
    sales = client.get(f"{base}/sales/", {"page_size": 500}).json()["results"]
    assert all(s["in_javits"] for s in sales if s["title"].startswith("More boats"))
