"""ARCHITECTURE invariant 1 and R-SEC-03 for planning, proven from the outside: sentinel planning
records of every type in every marking (each hung on a parent of another marking, so a parent's
name shown beside a visible child is caught too); every planning route, page and API, walked as
each kind of user; no response may show a sentinel the pure rule says the user may not see, and
a partner sees none at all."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import override_settings

from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.planning import models as m
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import get_each
from tests.core.test_no_leaks import may_see
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import reads_tab
from tests.core.test_no_leaks import routes
from tests.core.test_no_leaks import text_of

# The walkers read response bodies only: templates render without the test instrumentation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]
D = dt.date

# Route name → the planning model whose ids it takes.
KINDS = {
    "guidance": m.GuidanceDocument,
    "campaign-plan": m.CampaignPlan,
    "objective": m.EndState,
    "line-of-effort": m.LineOfEffort,
    "imo": m.IntermediateObjective,
    "measure": m.Measure,
    "line-of-activity": m.LineOfActivity,
    "activity": m.Activity,
    "dependency": m.ActivityDependency,
    "country-plan": m.CountryPlan,
    "phase": m.Phase,
    "assumption": m.PlanningAssumption,
    "event": m.PlanningEvent,
    "plan": m.CampaignPlan,
    "loe": m.LineOfEffort,
    "reschedule": m.Reschedule,
}


def model_of(name: str):
    base = name.removeprefix("planning-")
    for suffix in (
        "-detail",
        "-edit",
        "-approve",
        "-reopen",
        "-assess",
        "-cancel",
        "-complete",
        "-plan",
        "-reschedule",
        "-start",
        "-transition",
        "-review",
        "-decline",
        "-undo",
    ):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if name in ("matrix", "export", "reschedule", "request", "move"):
        return m.CountryPlan
    return KINDS[base]


def token() -> str:
    return f"SENTINEL{uuid.uuid4().hex[:12].upper()}"


def make(record, marking):
    record.marking = Marking.parse(marking)
    return core.system_create(record, reason="sentinel")


@pytest.fixture(scope="module")
def planning_sentinels(django_db_setup, django_db_blocker):
    """One chain guidance → plan → end state → LOE → IMO → measure → LOA → country plan → phase →
    activities (+ funding, dependency) → assumption, event, per marking; each child hangs on the
    parent of the next marking. Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        africom = Organization.objects.system().get(short_name="AFRICOM")
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        n = len(MARKINGS)
        plans, ends, loes, imos, loas, cps, phases = [], [], [], [], [], [], []
        for mk in MARKINGS:
            g = make(
                m.GuidanceDocument(kind="ics", title=token(), country_id="XBN", owner_org=africom),
                mk,
            )
            plans.append(
                make(
                    m.CampaignPlan(
                        title=token(),
                        owner_org=africom,
                        start_fy=2027,
                        end_fy=2031,
                        summary=token(),
                    ),
                    mk,
                )
            )
            made += [g, plans[-1]]
        for i, mk in enumerate(MARKINGS):
            parent = plans[(i + 1) % n]
            ends.append(make(m.EndState(campaign_plan=parent, title=token()), mk))
            loes.append(
                make(m.LineOfEffort(campaign_plan=parent, name=token(), country_id="XBN"), mk)
            )
            cps.append(
                make(
                    m.CountryPlan(
                        campaign_plan=parent,
                        country_id="XBN",
                        owner_org=africom,
                        title=token(),
                        version=i + 10,
                        start_fy=2027,
                        end_fy=2031,
                        country_objectives=token(),
                    ),
                    mk,
                )
            )
            made += [ends[-1], loes[-1], cps[-1]]
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            imos.append(
                make(
                    m.IntermediateObjective(
                        line_of_effort=loes[j], end_state=ends[j], title=token(), statement=token()
                    ),
                    mk,
                )
            )
            phases.append(
                make(
                    m.Phase(
                        country_plan=cps[j],
                        number=i + 10,
                        name=token(),
                        start_date=D(2027, 1, 1),
                        end_date=D(2027, 6, 30),
                    ),
                    mk,
                )
            )
            made += [imos[-1], phases[-1]]
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            made.append(
                make(
                    m.Measure(imo=imos[j], kind="MOE", indicator=token(), method="x", target=1), mk
                )
            )
            loas.append(make(m.LineOfActivity(imo=imos[j], name=token()), mk))
            made.append(loas[-1])
        acts = []
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            a = make(
                m.Activity(
                    title=token(),
                    activity_type="kle",
                    line_of_activity=loas[j],
                    country_id="XBN",
                    country_plan=cps[j],
                    phase=phases[j],
                    owner_org=sco,
                    start_date=D(2027, 2, 1) + dt.timedelta(days=10 * i),
                    end_date=D(2027, 2, 3) + dt.timedelta(days=10 * i),
                    location=token(),
                ),
                mk,
            )
            acts.append(a)
            made.append(a)
            made.append(
                make(
                    m.ActivityFunding(
                        activity=a, fiscal_year=2027, source="om", amount=1000, note=token()
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.PlanningAssumption(
                        campaign_plan=plans[j],
                        country_plan=cps[j],
                        owner_org=africom,
                        statement=token(),
                        review_on=D(2026, 1, 1),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.PlanningEvent(
                        kind="rwg",
                        title=token(),
                        fiscal_year=2027,
                        start_date=D(2027, 2, 1),
                        end_date=D(2027, 2, 2),
                        owner_org=africom,
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            made.append(
                make(
                    m.ActivityDependency(
                        predecessor=acts[i], successor=acts[(i + 1) % n], note=token()
                    ),
                    mk,
                )
                if i + 1 < n
                else None
            )
            a = acts[(i + 1) % n]
            made.append(
                make(
                    m.Reschedule(
                        country_plan=a.country_plan,
                        activity=a,
                        country_id="XBN",
                        owner_org=sco,
                        approver_org=africom,
                        new_start=D(2027, 3, 1),
                        new_end=D(2027, 3, 3),
                        moves=[],
                        status="requested",
                        note=token(),
                    ),
                    mk,
                )
            )
        yield [r for r in made if r is not None]


def sentinel_text(record) -> set[str]:
    """The sentinel tokens a record carries (title, summary, note …)."""
    return {v for v in vars(record).values() if isinstance(v, str) and v.startswith("SENTINEL")}


def planning_routes():
    return {
        route: name
        for route, name in routes().items()
        if route.startswith(("planning/", "api/v1/planning/"))
    }


def test_every_planning_route_is_known_to_the_walker():
    unknown = []
    for route, name in planning_routes().items():
        if "<" in route:
            try:
                model_of(name)
            except KeyError:
                unknown.append(f"{route} ({name})")
    assert len(planning_routes()) > 40
    assert not unknown, (
        f"Teach tests/planning/test_no_leaks.py (KINDS) which record these routes take: {unknown}"
    )


@pytest.mark.parametrize(
    "username",
    ["ccmd.planner", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep", "admin"],
)
def test_no_planning_route_shows_a_record_the_user_may_not_see(
    username, planning_sentinels, login, api
):
    user = User.objects.get(username=username)
    hidden = set().union(*(sentinel_text(r) for r in planning_sentinels if not may_see(user, r)))
    visible = set().union(*(sentinel_text(r) for r in planning_sentinels if may_see(user, r)))
    if username == "partner.bandaria":
        assert not visible, "R-SEC-03: partners never see planning"
    assert hidden or username in ("ccmd.planner", "sco.bandaria")
    ids = {
        model: [r.pk for r in planning_sentinels if isinstance(r, model)]
        for model in set(KINDS.values())
    }
    web, rest = login(username), api(username)
    checked = 0
    for route, name in planning_routes().items():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            urls = [fill(route, pk) for pk in ids[model_of(name)]]
            queries = ({}, {"tab": "related"}) if reads_tab(urls[0]) else ({},)
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
                f"{username} was shown {len(leaked)} planning record(s) they may not see at {url}?{query}"
            )
            checked += 1
    assert checked > 100
    # …and the API lists what they may see.
    seen = rest.get(
        "/api/v1/planning/activities/", {"search": "SENTINEL", "page_size": 500}
    ).json()["results"]
    expected = {
        r.title for r in planning_sentinels if isinstance(r, m.Activity) and may_see(user, r)
    }
    assert {a["title"] for a in seen} == expected
