"""The cases API: every endpoint lists through the door, milestones as POST actions, bad input as
400 with field messages and the rule in X-Rule (nothing changed), fixed query counts, and the
partner's view (own releasable records; never CTAs, reviews, internal notes or costs)."""

from __future__ import annotations

import pytest

from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import SupplyDiscrepancyReport

from .builders import new_case
from .conftest import case
from .conftest import lor
from .conftest import org
from .conftest import snapshot_counts
from .conftest import state

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cases/"
ENDPOINTS = [
    "lors",
    "ctas",
    "cases",
    "case-lines",
    "amendments",
    "deliveries",
    "shipments",
    "sdrs",
    "reviews",
    "documents",
]
PARTNER_NEVER = ["ctas", "reviews"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_lists_the_demo_for_the_case_manager(api, endpoint):
    assert api("case.manager").get(f"{BASE}{endpoint}/").json()["count"] >= 1, endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_endpoints_run_a_fixed_number_of_queries(api, endpoint, django_assert_max_num_queries):
    """ARCHITECTURE invariant 7: one page of 1 row costs what a page of 100 rows costs."""
    client = api("sco.bandaria")
    client.get(f"{BASE}{endpoint}/")
    with django_assert_max_num_queries(10) as one:
        client.get(f"{BASE}{endpoint}/", {"page_size": 1})
    with django_assert_max_num_queries(10) as many:
        client.get(f"{BASE}{endpoint}/", {"page_size": 100})
    assert len(many.captured_queries) == len(one.captured_queries), endpoint


@pytest.mark.parametrize("endpoint", PARTNER_NEVER)
def test_r_sec_03_partner_never_sees_ctas_or_reviews(api, endpoint):
    client = api("partner.bandaria")
    assert client.get(f"{BASE}{endpoint}/", {"page_size": 500}).json()["count"] == 0
    some = api("sco.bandaria").get(f"{BASE}{endpoint}/").json()["results"][0]["id"]
    assert client.get(f"{BASE}{endpoint}/{some}/").status_code == 404


def test_partner_sees_shared_cases_lines_deliveries_and_sdrs_only(api):
    client = api("partner.bandaria")
    ids = {c["identifier"] for c in client.get(f"{BASE}cases/").json()["results"]}
    assert ids == {
        "XB-B-ZAA",
        "XB-B-ZAB",
        "XB-B-ZAD",
        "XB-B-KAA",  # the CLSSA FMSO I and FMSO II (fmsclssa demo)
        "XB-B-KAB",
        "XB-B-ZAF",  # SSC and interim-closed (fmsclose demo)
        "XB-B-ZAG",
    }  # the patrol-boat LOA in development is not shared
    boats = case("XB-P-ZAC")
    assert client.get(f"{BASE}cases/{boats.pk}/").status_code == 404
    lines = client.get(f"{BASE}case-lines/", {"page_size": 100}).json()["results"]
    # 7 lines of ZAA, ZAB, ZAD, 3 of the CLSSA pair (KAA's two after its amendment, KAB's one)
    # and 4 of the closure pair (ZAF, ZAG: two each).
    assert boats.pk not in {ln["case"] for ln in lines} and len(lines) == 14
    assert client.get(f"{BASE}deliveries/", {"state": "late"}).json()["count"] == 2
    assert client.get(f"{BASE}sdrs/").json()["count"] == 1


def test_partner_never_sees_internal_review_notes_document(api):
    titles = {
        d["title"] for d in api("partner.bandaria").get(f"{BASE}documents/").json()["results"]
    }
    assert titles == {"LOA XB-B-ZAA, basic (signed)", "DD Form 645, quarter ending 30 Sep 2026"}


def test_partner_posts_an_lor_and_an_sdr(api):
    client = api("partner.bandaria")
    r = client.post(
        f"{BASE}lors/",
        {
            "title": "Coastal radar spares",
            "country": "XBN",
            "owner_org": org("Bandaria MoD").pk,
            "requested_items": "Spares",
            "estimated_value": "120000.00",
            "request_type": "pa",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "received"
    radios = case("XB-B-ZAA")
    r = client.post(
        f"{BASE}sdrs/",
        {
            "case": radios.pk,
            "owner_org": org("Bandaria MoD").pk,
            "reported_on": "2026-11-20",
            "discrepancy": "shortage",
            "description": "One radio missing",
            "quantity": 1,
            "value": "32500.00",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["ilco"] == org("USASAC").pk and r.json()["status"] == "routed"


def test_partner_cannot_post_an_sdr_on_a_case_it_cannot_see(api):
    before = snapshot_counts()
    r = api("partner.bandaria").post(
        f"{BASE}sdrs/",
        {
            "case": case("XB-P-ZAC").pk,
            "owner_org": org("Bandaria MoD").pk,
            "reported_on": "2026-11-20",
            "discrepancy": "damage",
            "description": "x",
            "value": "1",
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 400 and "case" in r.json()
    assert snapshot_counts() == before


def test_milestone_actions_as_posts(api, on_demo_day):
    c = new_case()
    client = api("case.manager")
    for name in ("write", "review", "propose", "approve"):
        if name == "approve":  # R-SEC-11: a second person approves
            client = api("usasac.approver")
        r = client.post(f"{BASE}cases/{c.pk}/{name}/", {"on": "2026-11-01"}, format="json")
        assert r.status_code == 200, (name, r.content)
    data = r.json()
    assert (
        data["status"] == "milap"
        and data["oed"] == "2027-01-25"
        and data["next_actions"] == ["offer", "cancel"]
    )


def test_approve_with_a_longer_oed_needs_the_remark_over_the_api(api, on_demo_day):
    c = new_case()
    client = api("case.manager")
    for name in ("write", "review", "propose"):
        assert (
            client.post(
                f"{BASE}cases/{c.pk}/{name}/", {"on": "2026-11-01"}, format="json"
            ).status_code
            == 200
        )
    # R-SEC-11: the case manager who wrote the LOA may not approve it; a second person does.
    r = client.post(f"{BASE}cases/{c.pk}/approve/", {"on": "2026-11-01"}, format="json")
    assert r.status_code == 400 and r["X-Rule"] == "R-SEC-11"
    client = api("usasac.approver")
    r = client.post(
        f"{BASE}cases/{c.pk}/approve/", {"on": "2026-11-01", "oed_days": 120}, format="json"
    )
    assert r.status_code == 400 and r["X-Rule"] == "SPEC-11-OED" and "oed_remark" in r.json()
    r = client.post(
        f"{BASE}cases/{c.pk}/approve/", {"on": "2026-11-01", "oed_days": "many"}, format="json"
    )
    assert r.status_code == 400 and "oed_days" in r.json()
    r = client.post(
        f"{BASE}cases/{c.pk}/approve/",
        {"on": "2026-11-01", "oed_days": 120, "oed_remark": "Parliament sits in March"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["oed"] == "2027-03-01"


def test_unknown_ia_code_is_400_with_the_field_and_rule(api, on_demo_day):
    before = snapshot_counts()
    r = api("case.manager").post(
        f"{BASE}cases/",
        {
            "identifier": "XB-Q-AAA",
            "title": "x",
            "country": "XBN",
            "owner_org": org("USASAC").pk,
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 400 and r["X-Rule"] == "SPEC-5-case-identifier"
    assert "Q is not a known implementing agency code" in r.json()["identifier"][0]
    assert snapshot_counts() == before


def test_change_to_accepted_loa_is_400_r_fms_03(api):
    radios = case("XB-B-ZAA")
    before = state(radios)
    r = api("case.manager").patch(f"{BASE}cases/{radios.pk}/", {"title": "Changed"}, format="json")
    assert r.status_code == 400 and r["X-Rule"] == "R-FMS-03" and "title" in r.json()
    assert state(radios) == before


def test_signature_before_the_transfer_approval_is_400_r_fms_04(api):
    nvd = case("XB-B-ZAB")  # transfer approved 20 Oct 2026
    before = state(nvd)
    r = api("partner.bandaria").post(
        f"{BASE}cases/{nvd.pk}/accept/",
        {"signed_on": "2026-10-15", "deposit_on": "2026-11-21", "on": "2026-11-21"},
        format="json",
    )
    assert r.status_code == 400 and r["X-Rule"] == "R-FMS-04" and "signed_on" in r.json()
    assert state(nvd) == before


def test_implement_without_case_manager_is_400_r_fms_05(api):
    spares = case("XB-B-ZAD")
    r = api("case.manager").post(f"{BASE}cases/{spares.pk}/implement/", {}, format="json")
    assert r.status_code == 400 and r["X-Rule"] == "R-FMS-05"
    assert FmsCase.objects.system().get(pk=spares.pk).status == "accepted"


def test_lor_route_and_validate_endpoints(api, on_demo_day):
    radar = lor("Border surveillance radar")
    r = api("sco.bandaria").post(
        f"{BASE}lors/{radar.pk}/route/", {"implementing_agency": org("USASAC").pk}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = api("case.manager").post(f"{BASE}lors/{radar.pk}/validate/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "validated"
    detail = api("sco.bandaria").get(f"{BASE}lors/{radar.pk}/").json()
    assert detail["notification_36b"]["required"] is False and detail["cta_reasons"] == []


def test_lor_detail_shows_36b_and_cta_reasons(api):
    detail = api("sco.bandaria").get(f"{BASE}lors/{lor('Coastal patrol boats').pk}/").json()
    assert detail["notification_36b"] == {
        "required": True,
        "reasons": ["MDE $18,000,000 ≥ $14,000,000"],
        "days": 30,
        "lead_days": 50,
        "nato_plus_5": False,
    }
    assert "Includes Major Defense Equipment" in detail["cta_reasons"]


def test_deliver_endpoint_and_negative_quantity(api, on_demo_day):
    radios = case("XB-B-ZAA")
    open_one = (
        api("case.manager")
        .get(f"{BASE}deliveries/", {"case": radios.pk, "state": "open"})
        .json()["results"][0]
    )
    r = api("case.manager").post(
        f"{BASE}deliveries/{open_one['id']}/deliver/",
        {"actual_on": "2026-11-20", "actual_quantity": -5},
        format="json",
    )
    assert r.status_code == 400 and "actual_quantity" in r.json()
    r = api("case.manager").post(
        f"{BASE}deliveries/{open_one['id']}/deliver/",
        {"actual_on": "2026-11-20", "actual_quantity": 1},
        format="json",
    )
    assert r.status_code == 200 and r.json()["actual_quantity"] == 1


def test_amendment_through_the_api_with_diff(api, on_demo_day):
    radios = case("XB-B-ZAA")
    r = api("case.manager").post(
        f"{BASE}amendments/",
        {
            "case": radios.pk,
            "kind": "amendment",
            "description": "Ten more handhelds",
            "changes": [{"op": "change", "number": "001", "quantity": 130}],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert (
        r.json()["diff"][0]["fields"] == [["quantity", "120", "130"]]
        and r.json()["status"] == "proposed"
    )
    r = api("partner.bandaria").post(
        f"{BASE}amendments/{r.json()['id']}/accept/", {}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"


def test_sdr_reply_by_the_ilco(api, on_demo_day):
    sdr = SupplyDiscrepancyReport.objects.system().get(case=case("XB-B-ZAA"))
    r = api("case.manager").post(
        f"{BASE}sdrs/{sdr.pk}/reply/", {"reply": "Replacement panels shipped"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "replied"
    r = api("partner.bandaria").post(f"{BASE}sdrs/{sdr.pk}/reply/", {"reply": "me"}, format="json")
    assert r.status_code == 403


def test_lor_list_filters(api):
    client = api("sco.bandaria")
    assert (
        client.get(f"{BASE}lors/", {"status": "received"}).json()["count"]
        == LetterOfRequest.objects.system().filter(status="received").count()
    )
    assert client.get(f"{BASE}cases/", {"status": "offered"}).json()["count"] == 1
    # ZAA, ZAD and the CLSSA pair XB-B-KAA / KAB were offered in FY 2026.
    assert client.get(f"{BASE}cases/", {"fy": 2026}).json()["count"] == 4


def test_36b_on_the_loa_from_its_lines(api):
    boats = case("XB-P-ZAC")  # four MDE boats at $9M: $36M MDE ≥ $14M; $42M total < $50M
    n = api("sco.bandaria").get(f"{BASE}cases/{boats.pk}/").json()["notification_36b"]
    assert (
        n["required"] and n["reasons"] == ["MDE $36,000,000 ≥ $14,000,000"] and n["lead_days"] == 50
    )
    radios = case("XB-B-ZAA")
    assert "notification_36b" not in api("partner.bandaria").get(f"{BASE}cases/{radios.pk}/").json()


def test_r_sec_03_the_partner_reads_partner_fields_only_on_its_own_lor(api):
    radar = lor("Border surveillance radar")  # submitted by the partner itself
    client = api("partner.bandaria")
    for url in (f"{BASE}lors/{radar.pk}/", f"{BASE}lors/"):
        body = client.get(url).json()
        row = body if "title" in body else next(r for r in body["results"] if r["id"] == radar.pk)
        assert row["title"] == "Border surveillance radar"
        assert not {"cta_reasons", "notification_36b", "validation_due", "validated_by"} & set(row)
    usg = api("sco.bandaria").get(f"{BASE}lors/{radar.pk}/").json()
    assert {"cta_reasons", "notification_36b", "validated_by"} <= set(usg)


def test_r_sec_03_the_partner_reads_no_internal_case_field(api):
    radios = case("XB-B-ZAA")
    body = api("partner.bandaria").get(f"{BASE}cases/{radios.pk}/").json()
    assert body["identifier"] == "XB-B-ZAA" and "actions_now" in body
    assert not {"n36b_review_on", "n36b_notified_on", "aod", "aod_group", "delay_reason"} & set(
        body
    )


def test_r_fms_01_the_partner_does_not_route_its_lor_through_the_api(api):
    r = api("partner.bandaria").post(
        f"{BASE}lors/",
        {
            "title": "Routed by the partner",
            "country": "XBN",
            "owner_org": org("Bandaria MoD").pk,
            "requested_items": "Spares",
            "estimated_value": "1000",
            "request_type": "pa",
            "implementing_agency": org("USASAC").pk,
            "marking": "CUI//REL TO USA, XBN",
        },
        format="json",
    )
    assert r.status_code == 400 and r["X-Rule"] == "R-FMS-01", r.content
    assert "implementing_agency" in r.json()
