"""ARCHITECTURE invariant 1 and R-SEC-03 for analysis, proven from the outside: sentinel records
of every analysis type in every marking (children hung on a parent of another marking, so a
parent's name shown beside a visible child is caught too); every analysis route, page and API
(incl. the XLSX exports), walked as each kind of user; no response may show a sentinel the pure
rule says the user may not see; partners and industry see no analysis record at all."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.test import override_settings

from secoop.analysis import models as m
from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.planning.models import IntermediateObjective
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import get_each
from tests.core.test_no_leaks import may_see
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import reads_tab
from tests.core.test_no_leaks import routes
from tests.core.test_no_leaks import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]


def token() -> str:
    return f"SENTINEL{uuid.uuid4().hex[:12].upper()}"


def make(record, marking):
    record.marking = Marking.parse(marking)
    return core.system_create(record, reason="sentinel")


@pytest.fixture(scope="module")
def analysis_sentinels(django_db_setup, django_db_blocker):
    """Built once for the module: one record per type per marking."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        africom = Organization.objects.system().get(short_name="AFRICOM")
        imo = IntermediateObjective.objects.system().order_by("pk").first()
        n = len(MARKINGS)
        programs, analyses, gaps, options, scenarios = [], [], [], [], []
        for i, mk in enumerate(MARKINGS):
            programs.append(
                make(
                    m.Program(key=token()[:40], name=token(), authority=token(), source=token(), effective_from="2026-12-01"),
                    mk,
                )
            )  # fmt: skip
            analyses.append(
                make(
                    m.CapabilityAnalysis(
                        imo=imo, country_id="GBR" if i % 3 == 2 else "XBN", owner_org=africom,
                        title=token(), partner_role=token(), desire_notes=token(), prioritizing=token(),
                    ),
                    mk,
                )
            )  # fmt: skip
            scenarios.append(
                make(
                    m.Scenario(
                        title=token(), notes=token(), owner_org=africom, start_fy=2028, end_fy=2030
                    ),
                    mk,
                )  # fmt: skip
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            gaps.append(make(m.Gap(analysis=analyses[j], title=token(), required=token(), dotmlpf="M"), mk))  # fmt: skip
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            o = make(m.SolutionOption(gap=gaps[j], title=token(), description=token()), mk)
            o.programs.add(programs[j])
            options.append(o)
            made += [
                make(m.PlannedResource(gap=gaps[j], provider_kind="partner", provider=token(), description=token(), fiscal_year=2028, amount=Decimal(1)), mk),  # fmt: skip
                make(m.ScenarioBudget(scenario=scenarios[j], program=programs[j], fiscal_year=2028, amount=Decimal(1)), mk),  # fmt: skip
                make(m.ScenarioCountry(scenario=scenarios[j], country_id="XBN"), mk),
                make(
                    m.ScenarioPlan(
                        scenario=scenarios[j], method="milp", status="optimal",
                        not_chosen={f"O{o.pk}": token()}, options={f"O{o.pk}": {"option_id": o.pk, "country": "XBN", "costs": ["1"]}},
                    ),
                    mk,
                ),
            ]  # fmt: skip
        made += programs + analyses + gaps + options + scenarios
        yield made


def sentinel_text(record) -> set[str]:
    found = {v for v in vars(record).values() if isinstance(v, str) and v.startswith("SENTINEL")}
    if isinstance(record, m.ScenarioPlan):
        found |= set(record.not_chosen.values())
    return found


def analysis_routes():
    return {
        route: name
        for route, name in routes().items()
        if route.startswith(("analysis/", "api/v1/analysis/"))
    }


def kind_of(route: str):
    for part, model in (
        ("programs", m.Program),
        ("analyses", m.CapabilityAnalysis),
        ("gaps", m.Gap),
        ("resources", m.PlannedResource),
        ("options", m.SolutionOption),
        ("scenarios", m.Scenario),
    ):
        if f"{part}/" in route:
            return model
    raise AssertionError(f"teach tests/analysis/test_no_leaks.py which record {route} takes")


def test_every_analysis_route_is_known_to_the_walker():
    found = analysis_routes()
    assert len(found) > 20
    for route in found:
        if "<" in route:
            kind_of(route)


@pytest.mark.parametrize(
    "username",
    ["ccmd.planner", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep", "admin"],
)
def test_no_analysis_route_shows_a_record_the_user_may_not_see(
    username, analysis_sentinels, login, api
):
    user = User.objects.get(username=username)
    hidden = set().union(*(sentinel_text(r) for r in analysis_sentinels if not may_see(user, r)))
    visible = [r for r in analysis_sentinels if may_see(user, r)]
    if username in ("partner.bandaria", "industry.rep"):
        assert visible == [], "R-SEC-03: analysis records are internal to the U.S. Government"
    ids = {
        model: [r.pk for r in analysis_sentinels if isinstance(r, model)]
        for model in {type(r) for r in analysis_sentinels}
    }
    web, rest = login(username), api(username)
    checked = 0
    for route in analysis_routes():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            model = kind_of(route)
            urls = [fill(route, pk) for pk in ids[model]]
            tabbed = not route.startswith("api/") and reads_tab(urls[0])
            queries = ({}, {"tab": "history"}) if tabbed else ({},)
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
                f"{username} was shown {len(leaked)} analysis record(s) they may not see at {url}?{query}"
            )
            checked += 1
    assert checked > 100
    # The change log carries the same door.
    changes = {
        c["object_repr"]
        for c in rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()[
            "results"
        ]
    }
    assert not [t for t in hidden if any(t in c for c in changes)]
    seen = rest.get("/api/v1/analysis/analyses/", {"page_size": 500})
    titles = {a["title"] for a in seen.json()["results"]} if seen.status_code == 200 else set()
    expected = {r.title for r in visible if isinstance(r, m.CapabilityAnalysis)}
    assert expected <= titles and not (titles & hidden)
