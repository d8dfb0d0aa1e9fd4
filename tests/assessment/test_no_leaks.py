"""ARCHITECTURE invariant 1 and R-SEC-03 for assessment, proven from the outside: sentinel results,
indicators, periods, updates, evaluations, findings and lessons in every marking (each child hung
on a parent of another marking, half of them released to the partner); every assessment route,
page and API (the IATI file included) walked as each kind of user; no response may show a
sentinel the door's rule says the user may not see; a partner never sees an evaluation, finding
or lesson (internal assessments), nor an indicator not released to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from secoop.assessment import models as m
from secoop.core import access
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from secoop.planning.models import EndState
from secoop.planning.models import IntermediateObjective
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import get_each
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import reads_tab
from tests.core.test_no_leaks import routes
from tests.core.test_no_leaks import text_of
from tests.training.test_no_leaks import make
from tests.training.test_no_leaks import token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]
D = dt.date


@pytest.fixture(scope="module")
def assessment_sentinels(django_db_setup, django_db_blocker):
    """Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        talks = Activity.objects.system().get(title="Interagency staff talks on border security")
        n = len(MARKINGS)

        def reported(indicator, mk, start, end, value):
            """A period of `indicator`, its approved update and one disaggregation, all `mk`."""
            period = make(m.Period(indicator=indicator, period_start=start, period_end=end), mk)
            update = make(
                m.Update(
                    period=period, value=value, narrative=token(), owner_org=sco, status="approved"
                ),
                mk,
            )
            part = make(
                m.Disaggregation(
                    period=period, update=update, dimension=token(), category=token(), amount=value
                ),
                mk,
            )
            return [period, update, part]

        results, indicators, periods, evaluations = [], [], [], []
        for i, mk in enumerate(MARKINGS):
            shared = i % 2 == 0
            results.append(
                make(
                    m.Result(
                        title=token(),
                        description=token(),
                        activity=talks,
                        owner_org=sco,
                        country_id="XBN",
                        shared_with_partner=shared,
                    ),
                    mk,
                )
            )
            evaluations.append(
                make(
                    m.Evaluation(
                        title=token(),
                        kind="final",
                        activity=talks,
                        plan=token(),
                        due_on=D(2026, 12, 1),
                        owner_org=sco,
                        country_id="XBN",
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            indicators.append(
                make(
                    m.Indicator(
                        result=results[j],
                        title=token(),
                        kind="MOP",
                        unit="u",
                        definition=token(),
                        baseline=0,
                        baseline_on=D(2026, 1, 1),
                        owner_org=sco,
                        country_id="XBN",
                        shared_with_partner=i % 2 == 1,
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.EvaluationFinding(
                        evaluation=evaluations[j], criterion="relevance", statement=token()
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.Lesson(
                        title=token(),
                        observation=token(),
                        recommendation=token(),
                        tags=f",{token().lower()},",
                        evaluation=evaluations[j],
                        owner_org=sco,
                        country_id="XBN",
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            periods.append(
                make(
                    m.Period(
                        indicator=indicators[j],
                        period_start=D(2026, 11, 17),
                        period_end=D(2026, 11, 19),
                        target=1,
                        target_comment=token(),
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            j = (i + 1) % n
            made.append(
                make(m.Update(period=periods[j], value=1, narrative=token(), owner_org=sco), mk)
            )
            made.append(
                make(
                    m.Disaggregation(
                        period=periods[j], dimension=token(), category=token(), amount=1
                    ),
                    mk,
                )
            )
        plan = CampaignPlan.objects.system().get(title="AFRICOM Campaign Plan FY2027–FY2031")
        imo = (
            IntermediateObjective.objects.system()
            .filter(line_of_effort__campaign_plan=plan)
            .first()
        )
        cycles = [
            make(
                m.CampaignAssessment(
                    campaign_plan=plan, fiscal_year=2040 + i, template=token(), owner_org=sco
                ),
                mk,
            )
            for i, mk in enumerate(MARKINGS)
        ]
        for i, mk in enumerate(MARKINGS):
            made.append(
                make(
                    m.ObjectiveAssessment(
                        assessment=cycles[(i + 1) % n],
                        imo=imo,
                        progress=token(),
                        risks=token(),
                        owner_org=sco,
                    ),
                    mk,
                )
            )
        # A campaign objective's indicator, for the level above the IMOs (filled below).
        campaign = make(
            m.Result(
                title=token(),
                end_state=EndState.objects.system().filter(campaign_plan=plan).first(),
                owner_org=sco,
                country_id="XBN",
            ),
            "CUI",
        )
        top = make(
            m.Indicator(
                result=campaign,
                title=token(),
                kind="MOE",
                unit="u",
                definition=token(),
                roll_up="sum",
                owner_org=sco,
                country_id="XBN",
            ),
            "CUI",
        )
        made += [campaign, top]
        made.append(
            make(
                m.Period(indicator=top, period_start=D(2026, 10, 1), period_end=D(2027, 9, 30)),
                "CUI",
            )
        )
        # Roll-up (issue 17 item 10): activity indicators in every marking, each with an approved
        # actual disaggregated by a sentinel dimension, rolling up into an objective indicator.
        objective = make(
            m.Result(
                title=token(), imo_id=talks.line_of_activity.imo_id, owner_org=sco, country_id="XBN"
            ),
            "CUI",
        )
        parent = make(
            m.Indicator(
                result=objective,
                title=token(),
                kind="MOP",
                unit="u",
                definition=token(),
                baseline=0,
                baseline_on=D(2026, 1, 1),
                roll_up="sum",
                contributes_to=top,
                owner_org=sco,
                country_id="XBN",
            ),
            "CUI",
        )
        made += [objective, parent]
        made.append(
            make(
                m.Period(indicator=parent, period_start=D(2026, 10, 1), period_end=D(2027, 9, 30)),
                "CUI",
            )
        )
        for i, mk in enumerate(MARKINGS):
            child = make(
                m.Indicator(
                    result=results[(i + 1) % n],
                    title=token(),
                    kind="MOP",
                    unit="u",
                    definition=token(),
                    baseline=0,
                    baseline_on=D(2026, 1, 1),
                    contributes_to=parent,
                    owner_org=sco,
                    country_id="XBN",
                    shared_with_partner=i % 2 == 1,
                ),
                mk,
            )
            made += [child, *reported(child, mk, D(2026, 11, 1), D(2026, 11, 30), 2)]
        # One level more: IMO indicators in every marking (and the objective indicator above,
        # rolled up from its activities) roll up into the campaign objective's indicator.
        for i, mk in enumerate(MARKINGS):
            imo_result = make(
                m.Result(
                    title=token(),
                    imo_id=talks.line_of_activity.imo_id,
                    owner_org=sco,
                    country_id="XBN",
                    shared_with_partner=i % 2 == 1,
                ),
                mk,
            )
            child = make(
                m.Indicator(
                    result=imo_result,
                    title=token(),
                    kind="MOE",
                    unit="u",
                    definition=token(),
                    contributes_to=top,
                    owner_org=sco,
                    country_id="XBN",
                    shared_with_partner=i % 2 == 1,
                ),
                mk,
            )
            made += [imo_result, child, *reported(child, mk, D(2026, 10, 1), D(2027, 9, 30), 3)]
        # Monitoring and actual costs (R-AME-04, R-AME-07), one activity each.
        unmonitored = list(
            Activity.objects.system().filter(monitoring__isnull=True).order_by("pk")[:n]
        )
        for i, mk in enumerate(MARKINGS):
            made.append(
                make(
                    m.ActivityMonitoring(
                        activity=unmonitored[i],
                        as_of=D(2026, 12, 1),
                        performance="at_risk",
                        performance_note=token(),
                        inputs_note=token(),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.ActualCost(
                        activity=unmonitored[(i + 1) % n],
                        fiscal_year=2027,
                        source="other",
                        amount=1000,
                        note=token(),
                    ),
                    mk,
                )
            )
        made += results + indicators + periods + evaluations + cycles
        yield made


def may_see(user, record) -> bool:
    """The door's rule for one record, with the partner flag it follows from its indicator."""
    return access.can_see_record(user, record)


def sentinel_text(record) -> set[str]:
    return {v for v in vars(record).values() if isinstance(v, str) and "SENTINEL" in v.upper()}


def assessment_routes():
    return {
        r: n for r, n in routes().items() if r.startswith(("assessment/", "api/v1/assessment/"))
    }


KINDS = (
    ("campaign-assessments", m.CampaignAssessment),
    ("results", m.Result),
    ("indicators", m.Indicator),
    ("periods", m.Period),
    ("updates", m.Update),
    ("evaluations", m.Evaluation),
    ("findings", m.EvaluationFinding),
    ("lessons", m.Lesson),
    ("campaign-objectives", EndState),  # the roll-up from the IMOs: the sentinels show there
    ("objectives", IntermediateObjective),  # the logic framework: the sentinel results show there
    ("activity-monitoring", m.ActivityMonitoring),
    ("actual-costs", m.ActualCost),
    ("activities", Activity),  # an activity's monitoring, costs and indicators
)


def kind_of(route: str):
    for part, model in KINDS:
        if f"{part}/" in route:
            return model
    raise AssertionError(f"teach tests/assessment/test_no_leaks.py which record {route} takes")


def test_every_assessment_route_is_known_to_the_walker():
    found = assessment_routes()
    assert len(found) > 15
    for route in found:
        if "<" in route:
            kind_of(route)


@pytest.mark.parametrize(
    "username",
    ["ccmd.planner", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep", "admin"],
)
def test_no_assessment_route_shows_a_record_the_user_may_not_see(
    username, assessment_sentinels, login, api
):
    user = User.objects.get(username=username)
    hidden = set().union(*(sentinel_text(r) for r in assessment_sentinels if not may_see(user, r)))
    visible = [r for r in assessment_sentinels if may_see(user, r)]
    if username == "partner.bandaria":
        # R-SEC-03: never an evaluation, finding or lesson; only what is released to it.
        assert visible and not [
            r for r in visible if isinstance(r, (m.Evaluation, m.EvaluationFinding, m.Lesson))
        ]
    ids = {
        model: [r.pk for r in assessment_sentinels if isinstance(r, model)] for _, model in KINDS
    }
    ids[IntermediateObjective] = list(
        IntermediateObjective.objects.system().values_list("pk", flat=True)
    )
    ids[EndState] = list(EndState.objects.system().values_list("pk", flat=True))
    ids[Activity] = sorted(
        {
            r.activity_id
            for r in assessment_sentinels
            if isinstance(r, (m.ActivityMonitoring, m.ActualCost))
        }
    )
    web, rest = login(username), api(username)
    checked = 0
    for route in assessment_routes():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            urls = [
                fill(route, pk).replace(f"/{pk}/{pk}/", f"/{pk}/submit/")
                for pk in ids[kind_of(route)]
            ]
            queries = (
                ({}, {"tab": "related"}, {"tab": "history"})
                if not route.startswith("api/") and reads_tab(urls[0])
                else ({},)
            )
        else:
            urls = ["/" + route]
            queries = page_queries(urls[0], formats=("xlsx",))
        for url, query, response in get_each(client, urls, queries):
            assert response.status_code in (200, 302, 400, 403, 404, 405), (
                url,
                response.status_code,
            )
            body = text_of(response)
            leaked = [t for t in hidden if t in body]
            assert not leaked, (
                f"{username} was shown {len(leaked)} assessment record(s) they may not see at {url}?{query}"
            )
            checked += 1
    assert checked > 60
    changes = {
        c["object_repr"]
        for c in rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()[
            "results"
        ]
    }
    assert not [t for t in hidden if any(t in c for c in changes)]
    seen = rest.get("/api/v1/assessment/lessons/", {"search": "SENTINEL", "page_size": 500}).json()[
        "results"
    ]
    assert {s["title"] for s in seen} == {
        r.title for r in assessment_sentinels if isinstance(r, m.Lesson) and may_see(user, r)
    }
