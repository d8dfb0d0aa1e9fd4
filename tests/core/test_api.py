"""REST API under /api/v1/: resources, filtering, ordering, pagination, bad input, schema, docs."""

import pytest
from django.contrib.contenttypes.models import ContentType

from secoop.core.models import ChangeLogEntry
from secoop.core.models import Organization

pytestmark = pytest.mark.django_db


def org_id(short_name):
    return Organization.objects.system().get(short_name=short_name).pk


def test_countries_carry_their_combatant_command_and_filter_by_it(api):
    client = api("sco.bandaria")
    xbn = client.get("/api/v1/countries/XBN/").json()
    assert xbn["alpha2"] == "XB" and xbn["notional"] is True
    assert client.get("/api/v1/countries/XB/").json()["alpha3"] == "XBN"
    assert client.get("/api/v1/countries/ISR/").json()["ccmd"] == "CENTCOM"
    assert client.get("/api/v1/countries/EGY/").json()["ccmd"] == "CENTCOM"
    assert client.get("/api/v1/countries/GRL/").json()["ccmd"] == "NORTHCOM"
    assert client.get("/api/v1/countries/IND/").json()["ccmd"] == "INDOPACOM"
    africom = client.get("/api/v1/countries/", {"ccmd": "AFRICOM", "page_size": 500}).json()
    codes = {c["alpha3"] for c in africom["results"]}
    assert {"NGA", "KEN", "XBN", "MAR"} <= codes and "EGY" not in codes
    assert (
        client.get("/api/v1/countries/", {"ordering": "-name", "page_size": 1}).json()["results"][
            0
        ]["name"]
        != "Afghanistan"
    )


def test_every_country_has_a_geographic_combatant_command(api):
    data = api("sco.bandaria").get("/api/v1/countries/", {"page_size": 500}).json()
    assert data["count"] >= 250
    assert all(c["ccmd"] for c in data["results"])


def test_users_me_shows_roles_and_access_facts(api):
    me = api("le.staff").get("/api/v1/users/me/").json()
    assert me["citizenship"] == "XBN" and me["is_le_staff"] is True
    assert me["memberships"][0]["organization_name"] == "SCO Bandaria"


def test_organizations_list_filters_searches_orders_and_paginates(api):
    client = api("sco.bandaria")
    ccmds = client.get("/api/v1/organizations/", {"kind": "ccmd", "ordering": "short_name"}).json()
    assert [o["short_name"] for o in ccmds["results"]][:2] == ["AFRICOM", "CENTCOM"]
    assert ccmds["count"] == 6
    found = client.get("/api/v1/organizations/", {"search": "Bandaria"}).json()
    assert found["count"] >= 3
    page = client.get("/api/v1/organizations/", {"page_size": 5}).json()
    assert len(page["results"]) == 5 and page["next"]


def test_create_organization_through_the_api_writes_the_change_log(api):
    response = api("ccmd.planner").post(
        "/api/v1/organizations/",
        {
            "name": "Office of Defense Cooperation Neverland",
            "short_name": "ODC Test",
            "kind": "sco",
            "parent": org_id("AFRICOM"),
            "country": "KEN",
            "marking": "UNCLASSIFIED",
            "reason": "new office",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    entry = ChangeLogEntry.objects.system().get(
        object_id=str(response.json()["id"]), content_type__model="organization"
    )
    assert (
        entry.action == "create"
        and entry.reason == "new office"
        and entry.username == "ccmd.planner"
    )


@pytest.mark.parametrize(
    "payload, field, message",
    [
        (
            {"country": "ZZZ"},
            "country",
            "Unknown country code ZZZ: use an ISO 3166 alpha-3 code such as XBN.",
        ),
        (
            {"marking": "SECRET"},
            "marking",
            "R-SEC-01: this system holds information up to CUI only",
        ),
        (
            {"marking": "CUI//REL TO USA, XYZ"},
            "marking",
            "R-SEC-01: unknown country code XYZ in REL TO",
        ),
        ({"marking": "CUI//REL TO XBN"}, "marking", "A REL TO list starts with USA"),
        ({"kind": "brigade"}, "kind", '"brigade" is not a valid choice.'),
        ({"name": ""}, "name", "This field may not be blank."),
    ],
)
def test_bad_organization_input_is_400_naming_the_field(api, payload, field, message):
    body = {
        "name": "Test office",
        "short_name": "TO",
        "kind": "sco",
        "parent": org_id("AFRICOM"),
        "marking": "CUI",
    }
    body.update(payload)
    before = Organization.objects.system().count()
    response = api("ccmd.planner").post("/api/v1/organizations/", body, format="json")
    assert response.status_code == 400
    assert any(message in m for m in response.json()[field]), response.json()
    assert Organization.objects.system().count() == before


def test_organization_cycle_is_refused_with_the_fix(api):
    client = api("admin")
    sco = org_id("SCO Bandaria")
    response = client.patch(
        f"/api/v1/organizations/{org_id('AFRICOM')}/", {"parent": sco}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "parent": [
            "SCO Bandaria is inside AFRICOM's own subtree, so AFRICOM cannot be placed under it. "
            "Choose a parent outside AFRICOM's subtree."
        ]
    }


def test_moving_an_organization_moves_its_subtree(api):
    client = api("admin")
    response = client.patch(
        f"/api/v1/organizations/{org_id('SCO Bandaria')}/",
        {"parent": org_id("EUCOM")},
        format="json",
    )
    assert response.status_code == 200, response.json()
    sco = Organization.objects.system().get(short_name="SCO Bandaria")
    eucom = Organization.objects.system().get(short_name="EUCOM")
    assert sco.tree_path == f"{eucom.tree_path}{sco.pk}/"


def test_writing_outside_ones_organizations_is_403_with_the_reason(api):
    response = api("sco.bandaria").post(
        "/api/v1/documents/",
        {"title": "x", "owner_org": org_id("DSCA"), "marking": "CUI"},
        format="json",
    )
    # DSCA is not among the choices the SCO officer may write for... but it is visible, so the
    # actions layer answers.
    assert response.status_code == 403
    assert response.json()["detail"].startswith("You cannot create a document owned by DSCA")


def test_partner_cannot_see_or_touch_a_noforn_document(api):
    sco = api("sco.bandaria")
    doc = sco.post(
        "/api/v1/documents/",
        {
            "title": "Internal note",
            "owner_org": org_id("SCO Bandaria"),
            "country": "XBN",
            "marking": "CUI//NOFORN",
        },
        format="json",
    ).json()
    partner = api("partner.bandaria")
    assert partner.get(f"/api/v1/documents/{doc['id']}/").status_code == 404
    assert (
        partner.patch(
            f"/api/v1/documents/{doc['id']}/", {"title": "hacked"}, format="json"
        ).status_code
        == 404
    )
    assert partner.delete(f"/api/v1/documents/{doc['id']}/").status_code == 404
    assert doc["id"] not in [
        d["id"] for d in partner.get("/api/v1/documents/", {"page_size": 500}).json()["results"]
    ]


def test_unauthenticated_api_is_refused():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/documents/").status_code == 401


def test_openapi_schema_and_local_docs_page(api, login):
    schema = api("sco.bandaria").get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/countries/",
        "/api/v1/organizations/",
        "/api/v1/users/me/",
        "/api/v1/changes/",
        "/api/v1/auth/token/",
    ]:
        assert path in schema["paths"]
    docs = login("sco.bandaria").get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower() and "https://" not in html.split("<body")[0]


LIST_ENDPOINTS = [
    "/api/v1/countries/",
    "/api/v1/organizations/",
    "/api/v1/documents/",
    "/api/v1/changes/",
]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_endpoints_run_a_fixed_number_of_queries(api, endpoint, django_assert_max_num_queries):
    """ARCHITECTURE invariant 7: the query count does not grow with the rows."""
    from secoop.core import actions
    from secoop.core.markings import Marking
    from secoop.core.models import Document

    client = api("sco.bandaria")
    client.get(endpoint)  # warm the per-user profile
    # Start both measures with no content types cached, as after another test cleared them: the
    # count must not depend on the order the suite runs in (a CI run once counted 3 against 2).
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(8) as small:
        client.get(endpoint, {"page_size": 5})
    owner = Organization.objects.system().get(short_name="SCO Bandaria")
    for i in range(30):
        doc = Document(title=f"Extra {i}", owner_org=owner, country_id="XBN")
        doc.marking = Marking.parse("CUI")
        actions.system_create(doc, reason="query-count test")
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(8) as large:
        client.get(endpoint, {"page_size": 100})
    assert len(large.captured_queries) == len(small.captured_queries)
