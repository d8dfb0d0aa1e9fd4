"""ARCHITECTURE invariant 1 and R-SEC-03 for end-use monitoring, proven from the outside: one
sentinel record of every EUM type in every marking (children hung on an article of another
marking, so a parent named beside a visible child is caught too); every EUM route, page and API
(the checklist workbook included), walked as each kind of user; no response may show a sentinel
the user may not see; the partner and LE staff never read an investigation note, the database review or a
materiel notice; industry sees nothing of EUM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from secoop.core.models import Organization
from secoop.core.models import User
from secoop.eum import models as m
from tests.cases.test_no_leaks import make
from tests.cases.test_no_leaks import sentinel_text
from tests.cases.test_no_leaks import token
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import may_see
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import reads_tab
from tests.core.test_no_leaks import responses_hide
from tests.core.test_no_leaks import routes
from tests.training.test_no_leaks import body_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]
D = dt.date
# ControlPlan is one per country: each marking's plan is another country's (Bandaria has the demo's).
PLAN_COUNTRIES = ["GBR", "FRA", "DEU", "ITA", "ESP", "NLD", "BEL", "POL"]


@pytest.fixture(scope="module")
def eum_sentinels(django_db_setup, django_db_blocker):
    """Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        mod = Organization.objects.system().get(short_name="Bandaria MoD")
        nipo = Organization.objects.system().get(short_name="NIPO")
        n = len(MARKINGS)
        articles, notices = [], []
        for i, mk in enumerate(MARKINGS):
            country = "GBR" if i % 3 == 2 else "XBN"
            articles.append(
                make(
                    m.TransferredArticle(
                        country_id=country,
                        owner_org=sco,
                        nomenclature=token(),
                        nsn=f"1005-01-{i:03d}-0000",
                        quantity=2,
                        source="other",
                        program="golden_sentry",
                        monitoring="enhanced",
                        delivered_on=D(2026, 1, 1),
                        serial_format="S-[0-9]+",
                        storage_site=token(),
                    ),
                    mk,
                )
            )
            notices.append(
                make(m.MaterielNotice(owner_org=nipo, item=token(), rationale=token()), mk)
            )
            made.append(
                make(
                    m.ComplianceVisit(
                        country_id=country, owner_org=sco, held_on=D(2026, 1, 2), team=token()
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.RoutineReport(
                        country_id=country,
                        owner_org=mod if country == "XBN" else sco,
                        period_end=D(2026, 9, 30),
                        submitted_on=D(2026, 10, 1),
                        summary=token(),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.DatabaseReview(
                        country_id=country,
                        owner_org=sco,
                        reviewed_on=D(2026, 10, 1),
                        checked=token(),
                        discrepancies=token(),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.ControlPlan(
                        country_id=PLAN_COUNTRIES[i], owner_org=sco, record_keeping=token()
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            article = articles[(i + 1) % n]
            # A token, so a serial named where its reader may not see it is caught too (a check's
            # missing list, a violation's summary, the checklist).
            serial = make(m.SerialNumber(article=article, serial=token()), mk)
            check = make(
                m.Check(
                    article=article,
                    owner_org=sco,
                    kind="initial",
                    checked_on=D(2026, 2, 1),
                    checked_by=token(),
                    findings=token(),
                    missing=[serial.serial],
                ),
                mk,
            )
            violation = make(
                m.PossibleViolation(
                    article=article,
                    serial=serial,
                    owner_org=sco,
                    opened_on=D(2026, 2, 1),
                    summary=token(),
                    timeline=[{"on": "2026-02-01", "what": "Opened", "by": "x"}],
                ),
                mk,
            )
            # The product marks every investigation note NOFORN, at least CUI (eum.actions).
            level = mk.split("//")[0].replace("UNCLASSIFIED", "CUI")
            note = m.InvestigationNote(violation=violation, written_on=D(2026, 2, 2), text=token())
            made += [
                serial,
                check,
                violation,
                make(note, f"{level}//NOFORN"),
                make(
                    m.EndUseRequest(
                        article=article,
                        owner_org=sco,
                        kind="display",
                        quantity=1,
                        description=token(),
                        requested_on=D(2026, 3, 1),
                    ),
                    mk,
                ),
                make(
                    m.NoticeRecipient(
                        notice=notices[(i + 1) % n],
                        country_id="XBN",
                        reason="purchase",
                        eligible=True,
                        evidence=token(),
                    ),
                    mk,
                ),
            ]
        made += articles + notices
        yield made


def eum_routes():
    return {r: n for r, n in routes().items() if r.startswith(("eum/", "api/v1/eum/"))}


KINDS = (
    ("articles", m.TransferredArticle),
    ("checks", m.Check),
    ("violations", m.PossibleViolation),
    ("visits", m.ComplianceVisit),
    ("reports", m.RoutineReport),
    ("reviews", m.DatabaseReview),
    ("plans", m.ControlPlan),
    ("requests", m.EndUseRequest),
    ("notices", m.MaterielNotice),
)


def kind_of(route: str):
    if "/do/" in route:  # the POST-only step buttons: any record (405 to a GET)
        return m.PossibleViolation
    for part, model in KINDS:
        if f"{part}/" in route:
            return model
    raise AssertionError(f"teach tests/eum/test_no_leaks.py which record {route} takes")


def test_every_eum_route_is_known_to_the_walker():
    found = eum_routes()
    assert len(found) > 30
    for route in found:
        if "<" in route:
            kind_of(route)


@pytest.mark.parametrize(
    "username",
    ["ccmd.planner", "sco.bandaria", "le.staff", "partner.bandaria", "industry.rep", "admin"],
)
def test_no_eum_route_shows_a_record_the_user_may_not_see(username, eum_sentinels, login, api):
    user = User.objects.get(username=username)
    hidden = set().union(*(sentinel_text(r) for r in eum_sentinels if not may_see(user, r)))
    if username in ("partner.bandaria", "le.staff"):
        # R-SEC-02/03: never an investigation note (NOFORN records: `hidden` holds them).
        assert not [
            r for r in eum_sentinels if isinstance(r, m.InvestigationNote) and may_see(user, r)
        ]
    if username == "partner.bandaria":
        # R-SEC-03: never the internal reviews or materiel notices.
        visible = [r for r in eum_sentinels if may_see(user, r)]
        assert visible and not [
            r
            for r in visible
            if isinstance(r, m.DatabaseReview | m.MaterielNotice | m.NoticeRecipient)
        ]
    if username == "industry.rep":
        assert not [r for r in eum_sentinels if may_see(user, r)]
    ids = {
        model: [r.pk for r in eum_sentinels if isinstance(r, model)]
        for model in {type(r) for r in eum_sentinels}
    }
    web, rest = login(username), api(username)
    checked = 0
    for route in eum_routes():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            model = kind_of(route)
            urls = [fill(route, pk) for pk in ids[model]]
            if route.startswith("api/") or "inventory" in route or "/do/" in route:
                queries = ({},)
            else:
                queries = ({}, {"tab": "history"}) if reads_tab(urls[0]) else ({},)
        else:
            urls = ["/" + route]
            queries = page_queries(urls[0])
        checked += responses_hide(client, urls, queries, hidden, username, body_of)
    assert checked > 60
    changes = rest.get("/api/v1/changes/", {"search": "SENTINEL", "page_size": 500}).json()[
        "results"
    ]
    assert not [t for t in hidden if any(t in str(c) for c in changes)]
