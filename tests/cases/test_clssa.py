"""Issue 13 items 5, 8, 10 (fmsclssa): CLSSA FMSO I / II cases, emergency implementation only with
DSCA's written approval, amendments and modifications measured against their AOD (in SQL), and
the night vision device elements of the CTA."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from secoop.cases import actions
from secoop.cases import metrics
from secoop.cases import rules
from secoop.cases.models import CaseAmendment
from secoop.cases.models import ClssaRequisition
from secoop.cases.models import CountryTeamAssessment
from secoop.cases.models import CtaElement
from secoop.cases.models import EmergencyImplementation
from secoop.cases.models import FmsCase
from secoop.core.markings import Marking
from secoop.core.verdicts import Refused

from .builders import D
from .builders import accepted
from .builders import implemented
from .builders import new_case
from .builders import offered
from .builders import validated_lor
from .conftest import case
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts

BASE = "/api/v1/cases/"


def refused(rule: str, fn, *args, **kwargs) -> Refused:
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert exc.value.rule == rule, exc.value.messages
    assert snapshot_counts() == before, "nothing changed"
    return exc.value


# --- pure rules ------------------------------------------------------------------------------------


def test_spec_5_clssa_an_fmso2_names_its_own_purchasers_fmso1_of_the_same_ia():
    assert rules.clssa_link_problem("fmso2", None, False, False).field == "fmso1_case"
    assert "not a CLSSA FMSO I" in rules.clssa_link_problem("fmso2", "defined", True, True).message
    assert "another purchaser" in rules.clssa_link_problem("fmso2", "fmso1", False, True).message
    assert (
        "another implementing agency"
        in rules.clssa_link_problem("fmso2", "fmso1", True, False).message
    )
    assert rules.clssa_link_problem("fmso2", "fmso1", True, True) is None
    assert "only a CLSSA FMSO II" in rules.clssa_link_problem("fmso1", "fmso1", True, True).message
    assert rules.clssa_link_problem("defined", None, False, False) is None
    assert rules.clssa_link_problem("clssa", None, False, False).field == "loa_type"


def test_spec_5_clssa_requisitions_wait_for_an_implemented_fmso1_and_fmso2():
    ok = ("fmso2", True, True, "XBB0KAB6124001", 2, Decimal("10"))
    assert rules.requisition_problem(*ok) is None
    assert "FMSO II case" in rules.requisition_problem("fmso1", *ok[1:]).message
    assert (
        "FMSO I equity case is not implemented"
        in rules.requisition_problem("fmso2", True, False, *ok[3:]).message
    )
    assert (
        "FMSO II case is not implemented"
        in rules.requisition_problem("fmso2", False, True, *ok[3:]).message
    )
    assert rules.requisition_problem(*ok[:3], "SHORT", 2, Decimal("1")).field == "document_number"
    assert rules.requisition_problem(*ok[:4], 0, Decimal("1")).field == "quantity"
    assert rules.fmso2_implementation_problem("XB-B-KAA", False).rule == "SPEC-5-lifecycle"
    assert rules.fmso2_implementation_problem("XB-B-KAA", True) is None


def test_spec_11_acceptance_without_deposit_only_with_dscas_dated_emergency_approval():
    signed, approved = D(2026, 3, 18), D(2026, 3, 23)
    missing = rules.implementation_problem(True, signed, None)
    assert missing.rule == "SPEC-11-acceptance" and "no written DSCA approval" in missing.message
    assert (
        "after 22 Mar 2026"
        in rules.implementation_problem(True, signed, None, approved, D(2026, 3, 22)).message
    )
    assert rules.implementation_problem(True, signed, None, approved, D(2026, 3, 25)) is None
    ok = D(2026, 3, 1)
    assert rules.acceptance_problem(signed, None, None, ok, ok).field == "deposit_on"
    assert rules.acceptance_problem(signed, None, None, ok, ok, approved) is None


def test_spec_11_acceptance_emergency_request_needs_a_signed_offer_circumstances_and_no_deposit():
    on, signed, oed = D(2026, 3, 20), D(2026, 3, 18), D(2026, 5, 25)
    args = (True, signed, None, oed, on, "Contract award deadline", False)
    assert rules.emergency_request_problem(*args) is None
    assert (
        "implement the case the usual way"
        in rules.emergency_request_problem(
            True, signed, D(2026, 3, 19), oed, on, "x", False
        ).message
    )
    assert "offered to, and signed" in rules.emergency_request_problem(False, *args[1:]).message
    assert rules.emergency_request_problem(True, None, *args[2:]).field == "signed_on"
    assert rules.emergency_request_problem(True, D(2026, 3, 21), *args[2:]).field == "signed_on"
    assert rules.emergency_request_problem(*args[:5], "  ", False).field == "circumstances"
    assert "already waiting" in rules.emergency_request_problem(*args[:6], True).message
    decision = ("approve", "requested", "CFD, DSCA OBO", "e-mail 23 Mar", on, on)
    assert rules.emergency_decision_problem(*decision) is None
    assert rules.emergency_decision_problem("approve", "requested", " ", *decision[3:]).field == (
        "decided_by"
    )
    assert rules.emergency_decision_problem(*decision[:3], "", on, on).field == "reference"
    assert (
        "applies to a requested"
        in rules.emergency_decision_problem("deny", "approved", *decision[2:]).message
    )
    assert rules.emergency_decision_problem(*decision[:4], D(2026, 3, 1), on).field == "decided_on"


def test_spec_11_aod_amendments_to_offer_modifications_to_implementation_late_ones_coded():
    issued, accepted_on = D(2026, 7, 20), D(2026, 7, 20)
    assert rules.version_measured_on("amendment", issued, None) == issued
    assert rules.version_measured_on("modification", issued, accepted_on) == accepted_on
    assert rules.version_measured_on("restatement", issued, accepted_on) is None
    aod = D(2026, 7, 8)
    late = rules.version_aod_problem("modification", D(2026, 3, 10), issued, aod, "", ["B2"])
    assert late.field == "delay_reason" and "implementation on 20 Jul 2026" in late.message
    assert (
        rules.version_aod_problem("modification", D(2026, 3, 10), issued, aod, "B2", ["B2"]) is None
    )
    assert rules.version_aod_problem(
        "amendment", D(2026, 3, 10), issued, aod, "ZZ", ["B2"]
    ).field == ("delay_reason")
    assert rules.version_aod_problem("amendment", D(2026, 8, 1), issued, None, "", []).field == (
        "request_complete_on"
    )
    assert rules.version_aod_problem("restatement", D(2026, 7, 1), issued, None, "", []).field == (
        "request_complete_on"
    )


# --- actions (both databases) ----------------------------------------------------------------------


def _clssa_pair():
    fmso1 = new_case(loa_type="fmso1")
    fmso2 = new_case(loa_type="fmso2", fmso1_case=FmsCase.objects.system().get(pk=fmso1.pk))
    return fmso1, fmso2


@pytest.mark.django_db
def test_spec_5_clssa_fmso2_without_its_fmso1_is_refused_and_waits_for_it(on_demo_day):
    lor = validated_lor()
    refused("SPEC-5-lifecycle", new_case, loa_type="fmso2", lor=lor)
    fmso1, fmso2 = _clssa_pair()
    fmso2 = accepted(fmso2)
    cm = person("case.manager")
    fmso2 = actions.update(cm, fmso2, {"case_manager": cm})
    exc = refused("SPEC-5-lifecycle", actions.milestone, cm, fmso2, "implement", D(2026, 5, 10))
    assert fmso1.identifier in exc.messages[0]
    req = ClssaRequisition(
        case=fmso2,
        document_number="XBB0TAA6124001",
        item="NSN 5998-01-234-5678",
        quantity=2,
        value=Decimal("9200.00"),
        requisitioned_on=D(2026, 5, 12),
    )
    refused("SPEC-5-lifecycle", actions.requisition, cm, req)
    implemented(fmso1)
    fmso2 = actions.milestone(cm, fmso2, "implement", D(2026, 5, 10))
    with pytest.raises(PermissionDenied):
        actions.requisition(person("partner.bandaria"), req)
    made = actions.requisition(cm, req)
    assert made.pk and made.marking == FmsCase.objects.system().get(pk=fmso2.pk).marking
    # The generic create does not bypass the requisition's own step.
    other = ClssaRequisition(
        case=fmso2,
        document_number="XBB0TAA6124002",
        item="x",
        quantity=1,
        value=Decimal("1"),
        requisitioned_on=D(2026, 5, 12),
    )
    refused("", actions.create, cm, other)


@pytest.mark.django_db
def test_spec_11_acceptance_emergency_implementation_only_with_dscas_written_approval(on_demo_day):
    cm, partner, dsca = person("case.manager"), person("partner.bandaria"), person("dsca.analyst")
    c = offered(new_case())
    c = actions.update(cm, c, {"case_manager": cm})
    exc = refused(
        "SPEC-11-acceptance",
        actions.milestone,
        partner,
        c,
        "accept",
        D(2026, 4, 20),
        signed_on=D(2026, 4, 18),
    )
    assert exc.field == "deposit_on" and "emergency implementation" in exc.messages[0]
    with pytest.raises(PermissionDenied):
        actions.request_emergency_implementation(
            partner, c, signed_on=D(2026, 4, 18), circumstances="urgent", on=D(2026, 4, 19)
        )
    refused(
        "SPEC-11-acceptance",
        actions.request_emergency_implementation,
        cm,
        c,
        signed_on=D(2026, 4, 18),
        circumstances=" ",
        on=D(2026, 4, 19),
    )
    request = actions.request_emergency_implementation(
        cm, c, signed_on=D(2026, 4, 18), circumstances="Contract award deadline", on=D(2026, 4, 19)
    )
    # Requested is not approved: still refused, naming what is missing.
    refused(
        "SPEC-11-acceptance",
        actions.milestone,
        partner,
        c,
        "accept",
        D(2026, 4, 20),
        signed_on=D(2026, 4, 18),
    )
    with pytest.raises(PermissionDenied):  # the IA does not approve its own request
        actions.decide_emergency_implementation(
            cm, request, "approve", decided_by="me", reference="none", on=D(2026, 4, 21)
        )
    refused(
        "SPEC-11-acceptance",
        actions.decide_emergency_implementation,
        dsca,
        request,
        "approve",
        decided_by="CFD, DSCA OBO",
        reference="",
        on=D(2026, 4, 21),
    )
    request = actions.decide_emergency_implementation(
        dsca,
        request,
        "approve",
        decided_by="CFD, DSCA OBO",
        reference="e-mail 21 Apr",
        on=D(2026, 4, 21),
    )
    assert (request.status, request.decided_on, request.reference) == (
        "approved",
        D(2026, 4, 21),
        "e-mail 21 Apr",
    )
    c = actions.milestone(partner, c, "accept", D(2026, 4, 22), signed_on=D(2026, 4, 18))
    assert (c.status, c.accepted_on, c.deposit_on) == ("accepted", D(2026, 4, 18), None)
    c = actions.milestone(cm, c, "implement", D(2026, 4, 23))
    c = actions.record_deposit(cm, c, D(2026, 5, 2))
    assert (c.status, c.deposit_on) == ("implemented", D(2026, 5, 2))
    refused("SPEC-11-acceptance", actions.record_deposit, cm, c, D(2026, 5, 3))


@pytest.mark.django_db
def test_spec_11_aod_versions_carry_group_and_aod_and_a_late_one_needs_a_code(on_demo_day):
    cm = person("case.manager")
    c = implemented(new_case(aod_group="B"))
    change = [{"op": "change", "number": "001", "unit_value": "900.00"}]
    refused(
        "SPEC-11-AOD",
        actions.propose_change,
        cm,
        c,
        "modification",
        "Re-price",
        change,
        on=D(2026, 9, 1),
        request_complete_on=D(2026, 5, 1),
        aod_group="A",
    )
    m = actions.propose_change(
        cm,
        c,
        "modification",
        "Re-price",
        change,
        on=D(2026, 9, 1),
        request_complete_on=D(2026, 5, 1),
        aod_group="A",
        delay_reason="B2",
    )
    assert (m.aod_group, m.category, m.aod, m.delay_reason) == ("A", "unique", D(2026, 8, 29), "B2")
    a = actions.propose_change(
        cm,
        c,
        "amendment",
        "Ten more radios",
        [{"op": "change", "number": "001", "quantity": 20}],
        on=D(2026, 9, 10),
        request_complete_on=D(2026, 8, 1),
    )
    assert (a.aod_group, a.aod) == ("B", D(2026, 12, 29))


# --- metrics: aggregated in SQL over the demo ------------------------------------------------------


@pytest.mark.django_db
def test_spec_11_aod_metrics_count_loas_amendments_and_modifications_in_sql(
    django_assert_max_num_queries,
):
    # Demo: LOAs 2 of 3 on time (0006's XB-B-ZAA, ZAB on time; ZAD late, B2); on XB-B-KAA the
    # modification (AOD 8 Jul, implemented 20 Jul: late, B2) and the amendment (AOD 29 Oct,
    # offered 3 Aug: on time).
    user = person("case.manager")
    with django_assert_max_num_queries(6):
        m = metrics.document_aod(user, "ABCD")
    shares = {d: (s.on_time, s.total) for d, s in m["overall"].items()}
    assert shares == {"LOA": (2, 3), "Amendment": (1, 1), "Modification": (0, 1)}
    assert {g: (s.on_time, s.total) for g, s in m["by_group"]["Modification"].items()} == {
        "Group A": (0, 1),
        "Group B": (0, 0),
        "Group C": (0, 0),
        "Group D": (0, 0),
    }
    assert m["late_by_code"] == {"B2": {"LOA": 1, "Amendment": 0, "Modification": 1}}


@pytest.mark.django_db
def test_metrics_page_shows_loas_amendments_and_modifications_against_the_goal(client):
    client.force_login(person("case.manager"))
    page = client.get("/cases/metrics/").content.decode()
    assert 'data-testid="documents-aod-amendment"' in page
    assert "1 of 1" in page and "0 of 1" in page and "Group D" in page
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(client.get("/cases/metrics/", {"format": "xlsx"}).content))
    rows = list(wb["Documents against the AOD"].iter_rows(values_only=True))
    assert ("Modification", "all", 0, 1, 0.0) in rows and (
        "Amendment",
        "Group B",
        1,
        1,
        100.0,
    ) in rows
    late = list(wb["Late documents by code"].iter_rows(values_only=True))
    assert ("B2", 1, 0, 1) in late
    client.force_login(person("partner.bandaria"))
    assert client.get("/cases/metrics/").status_code == 404


# --- partner view (R-SEC-03) and the API ----------------------------------------------------------


@pytest.mark.django_db
def test_r_sec_03_partner_reads_versions_without_their_aod_and_never_the_emergency_requests(api):
    partner = api("partner.bandaria")
    versions = partner.get(f"{BASE}amendments/", {"page_size": 100}).json()["results"]
    clssa = [v for v in versions if v["case"] == case("XB-B-KAA").pk]
    assert len(clssa) == 2
    for v in clssa:
        assert not {"aod", "aod_group", "delay_reason", "request_complete_on", "category"} & set(v)
    assert partner.get(f"{BASE}emergency/").json()["count"] == 0
    mine = api("case.manager").get(f"{BASE}emergency/").json()["results"]
    assert [r["reference"] for r in mine] == ["DSCA OBO e-mail of 23 Mar 2026"]
    assert partner.get(f"{BASE}emergency/{mine[0]['id']}/").status_code == 404
    assert partner.get(f"{BASE}requisitions/").json()["count"] == 1
    staff = api("case.manager").get(f"{BASE}amendments/", {"case": case("XB-B-KAA").pk}).json()
    assert {v["delay_reason"] for v in staff["results"] if v["case"] == case("XB-B-KAA").pk} == {
        "B2",
        "",
    }


@pytest.mark.django_db
def test_emergency_request_and_decision_over_the_api(api, on_demo_day):
    c = offered(new_case())
    r = api("case.manager").post(
        f"{BASE}emergency/",
        {
            "case": c.pk,
            "requested_on": "2026-04-19",
            "signed_on": "2026-04-18",
            "circumstances": "Contract award deadline",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert api("case.manager").post(f"{BASE}emergency/{pk}/approve/", {}).status_code == 403
    r = api("dsca.analyst").post(
        f"{BASE}emergency/{pk}/approve/",
        {"decided_by": "CFD, DSCA OBO", "reference": "e-mail", "on": "2026-04-21"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "approved", r.content
    assert EmergencyImplementation.objects.system().get(pk=pk).decided_by == "CFD, DSCA OBO"


# --- NVD CTA elements (SPEC §11 CTA elements) -----------------------------------------------------


@pytest.mark.django_db
def test_spec_11_cta_elements_an_nvd_cta_asks_every_nvd_element_before_transmission(on_demo_day):
    nvd = CtaElement.objects.filter(only_when="night_vision", active=True)
    assert nvd.count() == 8 and all(e.source.startswith("SAMM Table C5.T1e") for e in nvd)
    sco = person("sco.bandaria")
    lor = validated_lor(night_vision=True)
    codes = actions.cta_element_codes(lor)
    assert set(nvd.values_list("code", flat=True)) <= set(codes)
    assert not {e.code for e in nvd} & set(actions.cta_element_codes(validated_lor()))
    answers = {code: "answer" for code in codes if code != "nvd-7"}
    cta = CountryTeamAssessment(
        lor=lor,
        owner_org=org("SCO Bandaria"),
        dated=D(2026, 3, 5),
        elements=answers,
    )
    cta.marking = Marking.parse("CUI")
    cta = actions.create(sco, cta)
    exc = refused("R-FMS-02", actions.coordinate_cta, sco, cta, "Chief of Mission", D(2026, 3, 6))
    assert "recommendation on the NVD transfer" in exc.messages[0]
    # An element added after coordination (an administrator edits the list) is answered before
    # the CTA is transmitted.
    cta = actions.update(sco, cta, {"elements": {**answers, "nvd-7": "Approve"}})
    cta = actions.coordinate_cta(sco, cta, "Chief of Mission", D(2026, 3, 6))
    CtaElement.objects.create(
        code="nvd-9", number=21, text="NVDs: new element", only_when="night_vision", source="test"
    )
    exc = refused("R-FMS-02", actions.transmit_cta, sco, cta, D(2026, 3, 7))
    assert "21. NVDs: new element" in exc.messages[0]


# --- pages -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_page_shows_the_clssa_pair_requisitions_and_emergency_only_to_whom_it_may(client):
    fmso2 = case("XB-B-KAB")
    client.force_login(person("case.manager"))
    page = client.get(f"/cases/{fmso2.pk}/").content.decode()
    assert "XB-B-KAA" in page and "XBB0KAB6124001" in page
    assert "DSCA OBO e-mail of 23 Mar 2026" in page and 'data-action="requisition"' in page
    assert 'data-action="emergency-approve"' not in page  # the IA never decides
    client.force_login(person("partner.bandaria"))
    page = client.get(f"/cases/{fmso2.pk}/").content.decode()
    assert "XBB0KAB6124001" in page
    assert 'data-testid="emergency"' not in page and "DSCA OBO" not in page  # R-SEC-03
    assert 'data-action="requisition"' not in page
    version = CaseAmendment.objects.system().get(case=case("XB-B-KAA"), kind="modification")
    assert (
        'data-testid="version-aod"'
        not in client.get(f"/cases/amendments/{version.pk}/").content.decode()
    )
    client.force_login(person("case.manager"))
    page = client.get(f"/cases/amendments/{version.pk}/").content.decode()
    assert "measured to its implementation" in page and "delay reason B2" in page


@pytest.mark.django_db
def test_dsca_decides_a_waiting_request_from_the_case_page(client, on_demo_day):
    c = offered(new_case())
    request = actions.request_emergency_implementation(
        person("case.manager"),
        c,
        signed_on=D(2026, 4, 18),
        circumstances="Deadline",
        on=D(2026, 4, 19),
    )
    client.force_login(person("dsca.analyst"))
    page = client.get(f"/cases/{c.pk}/").content.decode()
    assert 'data-action="emergency-approve"' in page and 'data-action="emergency-deny"' in page
    client.post(
        f"/cases/emergency/{request.pk}/deny/",
        {"decided_by": "CFD, DSCA OBO", "reference": "e-mail", "on": "2026-04-21"},
    )
    assert EmergencyImplementation.objects.system().get(pk=request.pk).status == "denied"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["requisitions", "emergency"])
def test_new_list_endpoints_run_a_fixed_number_of_queries(
    api, endpoint, django_assert_max_num_queries
):
    """ARCHITECTURE invariant 7 for the CLSSA requisitions and emergency requests."""
    client = api("case.manager")
    client.get(f"{BASE}{endpoint}/")
    with django_assert_max_num_queries(10) as one:
        assert client.get(f"{BASE}{endpoint}/", {"page_size": 1}).json()["count"] == 1
    with django_assert_max_num_queries(10) as many:
        client.get(f"{BASE}{endpoint}/", {"page_size": 100})
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_today_dsca_sees_waiting_requests_and_the_ia_an_overdue_deposit(on_demo_day):
    from secoop.cases import today

    c = offered(new_case())
    request = actions.request_emergency_implementation(
        person("case.manager"),
        c,
        signed_on=D(2026, 4, 18),
        circumstances="Deadline",
        on=D(2026, 4, 19),
    )
    titles = [i.title for i in today.emergency_items(person("dsca.analyst"))]
    assert titles == [f"Emergency implementation requested: {c.identifier}"]
    assert today.emergency_items(person("partner.bandaria")) == []
    actions.decide_emergency_implementation(
        person("dsca.analyst"),
        request,
        "approve",
        decided_by="CFD",
        reference="e-mail",
        expected_deposit_on=D(2026, 5, 1),
        on=D(2026, 4, 21),
    )
    titles = [i.title for i in today.emergency_items(person("case.manager"))]
    assert f"Initial deposit overdue: {c.identifier}" in titles


@pytest.mark.django_db
def test_case_form_makes_an_fmso2_only_with_its_fmso1(login, on_demo_day):
    data = {
        "marking": "CUI//REL TO USA, XBN",
        "identifier": "XB-B-KAC",
        "title": "CLSSA FMSO II: second requisition case",
        "country": "XBN",
        "owner_org": org("USASAC").pk,
        "loa_type": "fmso2",
        "category": "standard",
        "aod_group": "B",
    }
    client = login("case.manager")
    r = client.post("/cases/new/", data)
    assert r.status_code == 200 and "choose its FMSO I case" in r.content.decode()
    assert 'name="fmso1_case"' in r.content.decode()
    r = client.post("/cases/new/", {**data, "fmso1_case": case("XB-B-KAA").pk})
    assert r.status_code == 302
    assert FmsCase.objects.system().get(identifier="XB-B-KAC").fmso1_case == case("XB-B-KAA")


@pytest.mark.django_db
def test_amendment_form_records_the_versions_aod(login, on_demo_day):
    c = implemented(new_case())
    r = login("case.manager").post(
        f"/cases/{c.pk}/change/",
        {
            "kind": "modification",
            "description": "Re-price radios",
            "request_complete_on": "2026-05-01",
            "aod_group": "A",
            "delay_reason": "B2",
            "op_0": "change",
            "number_0": "001",
            "unit_value_0": "900.00",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    version = CaseAmendment.objects.system().get(case=c)
    assert (version.aod, version.delay_reason) == (D(2026, 8, 29), "B2")
