"""ARCHITECTURE invariant 1 and R-SEC-03 for cases, proven from the outside: sentinel records of
every cases model in every marking (each child hung on a case of another marking, so a parent's
name shown beside a visible child is caught too; half the cases shared with the partner, half the
costs and documents released); every cases route — pages, API, XLSX/DOCX/PDF exports — walked as
each kind of user. No response may show a sentinel the door says the user may not see, and the
partner never sees a CTA, an internal note, a review, an internal cost or another country's case."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings

from secoop.cases import models as m
from secoop.core import access
from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.reports import pdf
from tests.conftest import built_once
from tests.core.test_no_leaks import MARKINGS
from tests.core.test_no_leaks import fill
from tests.core.test_no_leaks import get_each
from tests.core.test_no_leaks import page_queries
from tests.core.test_no_leaks import routes
from tests.core.test_no_leaks import text_of

# The walkers read response bodies only: templates render without the test instrumentation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]
D = dt.date
USERS = [
    "ccmd.planner",
    "sco.bandaria",
    "le.staff",
    "partner.bandaria",
    "industry.rep",
    "industry.arden",  # another company's user: never sees Meridian's DCS licenses (R-IND-01)
    "admin",
]
# The first path segment after cases/ (or api/v1/cases/) → the model whose ids the route takes.
SEGMENTS = {
    "lors": m.LetterOfRequest,
    "ctas": m.CountryTeamAssessment,
    "amendments": m.CaseAmendment,
    "deliveries": m.Delivery,
    "sdrs": m.SupplyDiscrepancyReport,
    "documents": m.CaseDocument,
    "case-lines": m.CaseLine,
    "shipments": m.Shipment,
    "reviews": m.CaseReview,
    "cases": m.FmsCase,
    "line-closures": m.LineClosure,
    "closure-holds": m.ClosureHold,
    "collections": m.Collection,
    "expenditures": m.CaseExpenditure,
    "statements": m.BillingStatement,
    "eda": m.EdaOffer,
    "eda-offers": m.EdaOffer,
    "dcs": m.DcsLicense,
    "dcs-licenses": m.DcsLicense,
}
CASE_TABS = (
    "overview",
    "lines",
    "deliveries",
    "amendments",
    "execution",
    "closure",
    "documents",
    "history",
)
NEVER_FOR_PARTNERS = (
    m.CountryTeamAssessment,
    m.CaseNote,
    m.CaseReview,
    m.MasterPlanItem,
    m.CaseEvent,
    m.ClosureHold,
    m.CaseExpenditure,
    m.DcsLicense,
)


def token() -> str:
    return f"SENTINEL{uuid.uuid4().hex[:12].upper()}"


def make(record, marking):
    record.marking = Marking.parse(marking)
    return core.system_create(record, reason="sentinel")


@pytest.fixture(scope="module")
def case_sentinels(django_db_setup, django_db_blocker):
    """Built once for the module."""
    made = []
    with built_once(django_db_blocker), override_settings(MAX_CLASSIFICATION="SECRET"):
        sco = Organization.objects.system().get(short_name="SCO Bandaria")
        usasac = Organization.objects.system().get(short_name="USASAC")
        mod = Organization.objects.system().get(short_name="Bandaria MoD")
        n = len(MARKINGS)
        lors, cases = [], []
        for i, mk in enumerate(MARKINGS):
            lors.append(
                make(
                    m.LetterOfRequest(
                        title=token(),
                        country_id="XBN" if i % 3 else "GBR",
                        owner_org=sco,
                        requested_items=token(),
                        estimated_value=Decimal("1000"),
                        received_on=D(2026, 1, 1),
                        status="validated",
                    ),
                    mk,
                )
            )
        for i, mk in enumerate(MARKINGS):
            c = m.FmsCase(
                identifier=f"XB-B-S{i:02d}",
                title=token(),
                country_id="XBN" if i % 3 else "GBR",
                owner_org=usasac,
                lor=lors[(i + 1) % n],
                status="implemented",
                shared_with_partner=bool(i % 2),
                transportation_plan=token(),
                aod=D(2026, 3, 1),
                offered_on=D(2026, 2, 1),
                accepted_on=D(2026, 3, 1),
            )
            cases.append(make(c, mk))
            made.append(
                make(
                    m.CountryTeamAssessment(
                        lor=lors[(i + 1) % n],
                        owner_org=sco,
                        dated=D(2026, 1, 2),
                        elements={"e01": token()},
                        coordinated_with=token(),
                    ),
                    mk,
                )
            )
        made += lors + cases
        for i, mk in enumerate(MARKINGS):
            case = cases[(i + 1) % n]
            line = make(
                m.CaseLine(
                    case=case,
                    number=f"{i + 1:03d}",
                    item=token(),
                    description=token(),
                    quantity=1,
                    unit_value=Decimal("5"),
                    total_value=Decimal("5"),
                ),
                mk,
            )
            delivery = make(
                m.Delivery(case=case, line=line, planned_on=D(2026, 5, 1), planned_quantity=1), mk
            )
            made += [line, delivery]
            made.append(
                make(
                    m.CaseAmendment(
                        case=case,
                        number=i + 1,
                        kind="modification",
                        description=token(),
                        status="accepted",
                        changes=[{"op": "delete", "number": "009"}],
                        diff=[
                            {
                                "number": "001",
                                "change": "changed",
                                "fields": [["item", token(), token()]],
                                "total_before": "1",
                                "total_after": "2",
                            }
                        ],
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.Shipment(
                        case=case,
                        delivery=delivery,
                        reference=token()[:40],
                        shipped_on=D(2026, 4, 1),
                        dts_representative=token(),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.SupplyDiscrepancyReport(
                        case=case,
                        line=line,
                        owner_org=mod,
                        reported_on=D(2026, 6, 1),
                        discrepancy="damage",
                        description=token(),
                        value=Decimal("10"),
                        ilco=usasac,
                    ),
                    mk,
                )
            )
            made.append(
                make(m.CaseReview(case=case, kind="pmr", held_on=D(2026, 6, 1), notes=token()), mk)
            )
            made.append(
                make(m.MasterPlanItem(case=case, kind="activity", title=token(), poc=token()), mk)
            )
            made.append(make(m.CaseEvent(case=case, on=D(2026, 6, 1), summary=token()), mk))
            made.append(
                make(
                    m.PaymentScheduleEntry(case=case, due_on=D(2026, 7, 1), amount=Decimal("1")), mk
                )
            )
            made.append(
                make(
                    m.CaseCost(case=case, description=token(), released_to_partner=bool(i % 2)), mk
                )
            )
            made.append(make(m.CaseNote(case=case, text=token()), mk))
            # Closure and billing (issue 13 items 6–7).
            made.append(make(m.ClosureHold(case=case, set_on=D(2026, 9, 1), reason=token()), mk))
            made.append(
                make(
                    m.LineClosure(
                        case=case,
                        line=line,
                        closed_on=D(2026, 9, 2),
                        conditional=True,
                        active_contracts=token(),
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.Collection(
                        case=case,
                        received_on=D(2026, 7, 1),
                        amount=Decimal("1"),
                        reference=token()[:60],
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.CaseExpenditure(
                        case=case, line=line, dated=D(2026, 7, 2), description=token()
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.BillingStatement(
                        case=case,
                        period_end=D(2026, 6, 30),
                        issued_on=D(2026, 7, 15),
                        payment_due_on=D(2026, 9, 15),
                        amount_due=Decimal("1"),
                        figures={
                            "period_start": "2026-04-01",
                            "period_end": "2026-06-30",
                            "payment_due_on": "2026-09-15",
                            "case_value": "5",
                            "scheduled_to_date": "1",
                            "scheduled_to_due": "1",
                            "collected_to_date": "1",
                            "collected_in_period": "0",
                            "expended_to_date": "0",
                            "expended_in_period": "0",
                            "obligated_to_date": "0",
                            "amount_due": "1",
                        },
                        lines=[
                            {
                                "number": line.number,
                                "item": token(),
                                "value": "5",
                                "expended": "0",
                                "expended_in_period": "0",
                            }
                        ],
                    ),
                    mk,
                )
            )
            made.append(
                make(
                    m.CaseDocument(
                        case=case,
                        kind="loa" if i % 2 else "cta",
                        title=token(),
                        dated=D(2026, 6, 1),
                        released_to_partner=bool(i % 2),
                    ),
                    mk,
                )
            )
        made += eda_dcs_sentinels(sco, usasac)
        yield made


def eda_dcs_sentinels(sco, usasac) -> list:
    """EDA offers (half offered, so shared with the recipient) and DCS license requests of two
    competing companies, in every marking; with a user of the second company (R-IND-01)."""
    from secoop.core.rules import Audience
    from secoop.core.rules import Clearance
    from secoop.core.rules import Role

    meridian = Organization.objects.system().get(short_name="Meridian Defense")
    arden = Organization.objects.system().get(short_name="Arden Aerospace")
    if not User.objects.filter(username="industry.arden").exists():
        user = User.objects.create(
            username="industry.arden",
            audience=Audience.INDUSTRY,
            citizenship_id="USA",
            clearance=Clearance.SECRET,
        )
        core.grant_membership(None, user, arden, Role.INDUSTRY_REP)
    made = []
    for i, mk in enumerate(MARKINGS):
        made.append(
            make(
                m.EdaOffer(
                    title=token(),
                    country_id="XBN" if i % 3 else "GBR",
                    owner_org=usasac,
                    article=token(),
                    authority="faa516",
                    terms="grant",
                    original_acquisition_value=Decimal("8000000"),
                    current_value=Decimal("1000"),
                    condition="serviceable",
                    status="offered" if i % 2 else "proposed",
                    shared_with_partner=bool(i % 2),
                ),
                mk,
            )
        )
        made.append(
            make(
                m.DcsLicense(
                    company=meridian if i % 2 else arden,
                    country_id="XBN" if i % 3 else "GBR",
                    reference=token()[:40],
                    commodity=token(),
                    license_type="dsp5",
                    value=Decimal("1000"),
                    status="approved",
                    submitted_on=D(2026, 1, 1),
                    decided_on=D(2026, 2, 1),
                    provisos=token(),
                    decision_note=token(),
                ),
                mk,
            )
        )
    return made


def sentinel_text(record) -> set[str]:
    found = set()
    for v in vars(record).values():
        if isinstance(v, str) and v.startswith("SENTINEL"):
            found.add(v)
        elif isinstance(v, dict | list):
            found |= {
                t
                for t in str(v).replace("'", " ").replace('"', " ").split()
                if t.startswith("SENTINEL")
            }
    return {t.strip(",[]{}:") for t in found}


def body_text(response) -> str:
    """The text a user would read: HTML/JSON as is; XLSX cells; DOCX paragraphs, tables, headers."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            if "word/document.xml" in z.namelist():
                return "\n".join(
                    z.read(n).decode("utf-8", "replace")
                    for n in z.namelist()
                    if n.startswith("word/") and n.endswith(".xml")
                )
        return text_of(response)
    return content.decode("utf-8", "replace")


def cases_routes():
    return {
        route: name
        for route, name in routes().items()
        if route.startswith(("cases/", "api/v1/cases/"))
    }


def model_of(route: str):
    rest = route.removeprefix("api/v1/cases/").removeprefix("cases/")
    first = rest.split("/", 1)[0]
    return SEGMENTS.get(first, m.FmsCase)


def test_every_cases_route_is_walked():
    found = cases_routes()
    assert len(found) > 40
    assert {model_of(r) for r in found if "<" in r} >= set(SEGMENTS.values())


@pytest.mark.parametrize("username", USERS)
def test_no_cases_route_shows_a_record_the_user_may_not_see(
    username, case_sentinels, login, api, monkeypatch
):
    user = User.objects.get(username=username)
    # The PDF is checked through the HTML it is printed from (its text is compressed in the PDF).
    monkeypatch.setattr(pdf, "render", lambda page: page.encode())
    hidden = set().union(
        *(sentinel_text(r) for r in case_sentinels if not access.can_see_record(user, r))
    )
    visible = set().union(
        *(sentinel_text(r) for r in case_sentinels if access.can_see_record(user, r))
    )
    if username == "partner.bandaria":
        assert not any(
            access.can_see_record(user, r)
            for r in case_sentinels
            if isinstance(r, NEVER_FOR_PARTNERS)
        ), "R-SEC-03"
        assert not any(
            access.can_see_record(user, r)
            for r in case_sentinels
            if getattr(r, "country_id", "XBN") == "GBR"
        )
        assert visible, "the partner sees its own shared, releasable records"
    assert hidden or username in ("ccmd.planner", "sco.bandaria")
    ids = {
        model: [r.pk for r in case_sentinels if isinstance(r, model)] for model in SEGMENTS.values()
    }
    web, rest = login(username), api(username)
    checked = 0
    for route in cases_routes():
        client = rest if route.startswith("api/") else web
        if "<" in route:
            urls = [fill(route, pk) for pk in ids[model_of(route)]]
            tabbed = route == "cases/<int:pk>/"
            queries = (
                [{"tab": t} for t in CASE_TABS]
                if tabbed
                else [{}, {"tab": "related"}]
                if route == "cases/lors/<int:pk>/"
                else [{}]
            )
        else:
            urls = ["/" + route]
            queries = page_queries(urls[0])
        for url, query, response in get_each(client, urls, queries):
            assert response.status_code in (200, 302, 400, 403, 404, 405), (
                url,
                response.status_code,
            )
            body = body_text(response)
            leaked = [t for t in hidden if t in body]
            assert not leaked, (
                f"{username} was shown {len(leaked)} cases record(s) they may not see at {url}?{query}"
            )
            checked += 1
    assert checked > 300
    # …and the API lists what they may see.
    seen = rest.get("/api/v1/cases/case-lines/", {"search": "SENTINEL", "page_size": 500}).json()[
        "results"
    ]
    expected = {
        r.item
        for r in case_sentinels
        if isinstance(r, m.CaseLine) and access.can_see_record(user, r)
    }
    assert {ln["item"] for ln in seen} == expected
