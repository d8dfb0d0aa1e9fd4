"""ARCHITECTURE invariant 1, R-FCT-05 and R-SEC-03 for budget, proven from the outside: sentinel
budget records of every type in every marking (children hung on a parent of another marking, so a
parent's name shown beside a visible child is caught too); every budget route, page and API
(the Javits and sales-forecast XLSX included), walked as each kind of user; no response may show a
sentinel the pure rule says the user may not see; a partner and industry see no budget request,
forecast or MSRP/ICS objective at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from secoop.budget import models as m
from secoop.core.models import Organization
from secoop.core.models import User
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import get_each
from tests.core.test_no_leaks import may_see
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import reads_tab
from tests.core.test_no_leaks import routes
from tests.core.test_no_leaks import text_of
from tests.training.test_no_leaks import make
from tests.training.test_no_leaks import token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]
D = dt.date


@pytest.fixture(scope="module")
def budget_sentinels(django_db_setup, django_db_blocker):
    """Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        dsca = Organization.objects.system().get(short_name="DSCA")
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        embassy = Organization.objects.system().get(short_name="Embassy Bandaria")
        n = len(MARKINGS)
        calls, requests, objectives, submissions, reqs = [], [], [], [], []
        for i, mk in enumerate(MARKINGS):
            calls.append(
                make(
                    m.BudgetCall(
                        budget_fy=2090 + i,
                        owner_org=dsca,
                        issued_on=D(2088, 8, 1),
                        reference=token(),
                        notes=token(),
                    ),
                    mk,
                )
            )
            objectives.append(
                make(
                    m.MissionObjective(
                        country_id="XBN",
                        owner_org=embassy,
                        code=token()[:20],
                        title=token(),
                        description=token(),
                        first_fy=2090,
                        last_fy=2099,
                    ),
                    mk,
                )
            )
            submissions.append(
                make(
                    m.ForecastSubmission(
                        country_id="XBN", owner_org=sco, report_year=2090 + i, notes=token()
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            made.append(
                make(
                    m.CallStep(
                        call=calls[j],
                        order=1,
                        action=token(),
                        due_on=D(2088, 10, 1),
                        source=token(),
                    ),
                    mk,
                )
            )
            requests.append(
                make(
                    m.BudgetRequest(
                        call=calls[i],
                        budget_fy=2090 + i,
                        country_id="XBN",
                        owner_org=sco,
                        stage="ccmd",
                        notes=token(),
                        uncommitted_plan=token(),
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            title = token()
            reqs.append(
                make(
                    m.Requirement(
                        request=requests[j],
                        title=title,
                        funding_source="fmf",
                        purpose="materiel",
                        priority=1,
                        objective=token(),
                        capability="create",
                        capability_text=token(),
                        time_to_achieve=token(),
                        end_state=token(),
                        justification=token(),
                        mission_objective=objectives[j],
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.RequestVersion(
                        request=requests[j],
                        number=2,
                        stage="sco",
                        made_on=D(2088, 10, 1),
                        content=[{"id": 1, "title": token()}],
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.ForecastSale(
                        submission=submissions[j],
                        title=token(),
                        channel="fms",
                        kind="mde",
                        value=Decimal("90000000"),
                        probability=95,
                        expected_on=D(2090 + j, 1, 15),
                        notes=token(),
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            made.append(
                make(
                    m.RequirementYear(
                        requirement=reqs[(i + 1) % n],
                        fiscal_year=2090 + i,
                        amount=Decimal(f"98765{i}3.21"),
                    ),
                    mk,
                )
            )
        made += calls + requests + objectives + submissions + reqs
        yield made


def sentinel_text(record) -> set[str]:
    found = {v for v in vars(record).values() if isinstance(v, str) and v.startswith("SENTINEL")}
    if isinstance(record, m.RequestVersion):
        found |= {row["title"] for row in record.content}
    if isinstance(record, m.RequirementYear):
        found.add(f"{record.amount:,.2f}")  # its amount, as the pages show it
    return found


def budget_routes():
    return {
        route: name
        for route, name in routes().items()
        if route.startswith(("budget/", "api/v1/budget/"))
    }


KINDS = (
    ("calls", m.BudgetCall),
    ("steps", m.CallStep),
    ("requirements/new", m.BudgetRequest),
    ("requirements", m.Requirement),
    ("requests", m.BudgetRequest),
    ("objectives", m.MissionObjective),
    ("forecasts", m.ForecastSubmission),
    ("sales", m.ForecastSale),
    ("consonance", "country"),
)


def kind_of(route: str):
    for part, model in KINDS:
        if f"{part}/<" in route or (part == "requirements/new" and "requirements/new" in route):
            return model
    raise AssertionError(f"teach tests/budget/test_no_leaks.py which record {route} takes")


def test_every_budget_route_is_known_to_the_walker():
    found = budget_routes()
    assert len(found) > 20
    for route in found:
        if "<" in route:
            kind_of(route)


@pytest.mark.parametrize(
    "username",
    ["ccmd.planner", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep", "admin"],
)
def test_no_budget_route_shows_a_record_the_user_may_not_see(
    username, budget_sentinels, login, api
):
    user = User.objects.get(username=username)
    hidden = set().union(*(sentinel_text(r) for r in budget_sentinels if not may_see(user, r)))
    visible = [r for r in budget_sentinels if may_see(user, r)]
    if username in ("partner.bandaria", "industry.rep"):
        assert visible == [], "R-FCT-05: no budget request, forecast or MSRP/ICS objective"
    ids = {
        model: [r.pk for r in budget_sentinels if isinstance(r, model)]
        for model in {type(r) for r in budget_sentinels}
    }
    web, rest = login(username), api(username)
    checked = 0
    for route in budget_routes():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            model = kind_of(route)
            if model == "country":
                urls, queries = [fill(route, "XBN")], ({},)
            else:
                urls = [
                    fill(route, pk).replace(f"/{pk}/{pk}/", f"/{pk}/submit/") for pk in ids[model]
                ]
                if route.endswith(("javits/", "sales-forecast/")):
                    queries = ({}, {"export": "xlsx"})
                elif (
                    route.startswith("api/")
                    or "<str:" in route
                    or "edit" in route
                    or "new" in route
                ):
                    queries = ({},)
                elif model is m.ForecastSubmission:
                    queries = ({}, {"tab": "history"}, {"format": "javits"}, {"format": "sales"})
                elif model is m.BudgetRequest:
                    queries = ({}, {"tab": "versions"}, {"tab": "history"})
                else:
                    queries = ({}, {"tab": "history"}) if reads_tab(urls[0]) else ({},)
        else:
            urls = ["/" + route]
            queries = page_queries(urls[0])
        for url, query, response in get_each(client, urls, queries):
            assert response.status_code in (200, 302, 400, 403, 404, 405), (
                url,
                response.status_code,
            )
            body = text_of(response)
            leaked = [t for t in hidden if t in body]
            assert not leaked, (
                f"{username} was shown {len(leaked)} budget record(s) they may not see at {url}?{query}"
            )
            if (
                username in ("partner.bandaria", "industry.rep")
                and response.status_code == 200
                and not route.startswith("api/")
            ):
                raise AssertionError(f"R-FCT-05: {username} was shown the budget page {url}")
            checked += 1
    assert checked > 100
    changes = {
        c["object_repr"]
        for c in rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()[
            "results"
        ]
    }
    assert not [t for t in hidden if any(t in c for c in changes)]
    seen = rest.get("/api/v1/budget/sales/", {"page_size": 500}).json()["results"]
    expected = {
        r.title for r in budget_sentinels if isinstance(r, m.ForecastSale) and may_see(user, r)
    }
    assert {s["title"] for s in seen if s["title"].startswith("SENTINEL")} == expected
