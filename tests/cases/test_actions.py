"""R-FMS-01..12 through the actions layer, on the database: permission, rule, write, log — and,
for bad input, the rule id, the fix and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from secoop.cases import actions
from secoop.cases import facts
from secoop.cases.models import CaseDocument
from secoop.cases.models import CaseEvent
from secoop.cases.models import CaseLine
from secoop.cases.models import CaseReview
from secoop.cases.models import CountryTeamAssessment
from secoop.cases.models import CtaElement
from secoop.cases.models import Delivery
from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import Shipment
from secoop.cases.models import SupplyDiscrepancyReport
from secoop.core.markings import Marking
from secoop.core.models import Notification
from secoop.core.models import ReferenceFact
from secoop.core.verdicts import Refused

from .builders import REL
from .builders import D
from .builders import accepted
from .builders import approvals
from .builders import approver
from .builders import implemented
from .builders import new_case
from .builders import offered
from .builders import validated_lor
from .conftest import case
from .conftest import log_for
from .conftest import lor
from .conftest import org
from .conftest import person
from .conftest import snapshot_counts
from .conftest import state

pytestmark = pytest.mark.django_db


def refused(rule: str, fn, *args, **kwargs) -> Refused:
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert exc.value.rule == rule, exc.value.messages
    assert snapshot_counts() == before, "nothing changed"
    return exc.value


# --- R-FMS-01 LOR -----------------------------------------------------------------------------


def test_r_fms_01_partner_submits_sco_routes_ia_validates(on_demo_day):
    partner, sco, cm = person("partner.bandaria"), person("sco.bandaria"), person("case.manager")
    new = LetterOfRequest(
        title="Night sights",
        country_id="XBN",
        owner_org=org("Bandaria MoD"),
        requested_items="40 thermal sights",
        estimated_value=Decimal("900000"),
        request_type="loa",
    )
    new.marking = Marking.parse(REL)
    new = actions.create(partner, new)
    assert new.status == "received" and new.received_on == on_demo_day
    routed = actions.route_lor(sco, new, org("USASAC"))
    assert routed.status == "submitted"
    assert actions.validation_due(routed) == on_demo_day + dt.timedelta(days=5)
    done = actions.validate_lor(cm, routed, on_demo_day)
    assert (done.status, done.complete_on, done.validated_by) == ("validated", on_demo_day, cm)
    assert [e.transition for e in log_for(done)] == ["", "route", "validate"]
    # Issue 12 item 4: the subjects name the LOR once ("LOR LOR: Night sights" before).
    subjects = sorted(
        Notification.objects.system()
        .filter(object_id=str(new.pk), content_type__model="letterofrequest")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        "Bandaria MoD submitted the LOR “Night sights”",
        "LOR “Night sights” routed to you for validation",
    ]


def test_r_fms_01_incomplete_lor_is_not_routed(on_demo_day):
    new = LetterOfRequest(
        title="Vague",
        country_id="XBN",
        owner_org=org("Bandaria MoD"),
        requested_items="",
        request_type="",
    )
    new.marking = Marking.parse(REL)
    new = actions.create(person("partner.bandaria"), new)
    exc = refused("R-FMS-01", actions.route_lor, person("sco.bandaria"), new, org("USASAC"))
    assert "articles or services requested" in str(exc) and "estimated value" in str(exc)
    assert state(new)["status"] == "received"


def test_r_fms_01_route_only_to_an_implementing_agency(on_demo_day):
    radar = lor("Border surveillance radar")
    refused("R-FMS-01", actions.route_lor, person("sco.bandaria"), radar, org("DSCA"))


def test_r_fms_01_only_the_routed_ia_validates(on_demo_day):
    spares = lor("Patrol vehicle spare parts")
    before = state(spares)
    with pytest.raises(PermissionDenied):
        actions.validate_lor(person("sco.bandaria"), spares)
    assert state(spares) == before


def test_r_fms_01_partner_cannot_enter_another_countrys_lor(on_demo_day):
    new = LetterOfRequest(
        title="X",
        country_id="GBR",
        owner_org=org("Bandaria MoD"),
        requested_items="x",
        estimated_value=1,
        request_type="pa",
    )
    new.marking = Marking.parse("CUI//REL TO USA, XBN")
    refused("R-FMS-01", actions.create, person("partner.bandaria"), new)


def test_36b_flags_and_lead_days_on_the_patrol_boat_lor():
    n = actions.lor_notification(lor("Coastal patrol boats"))
    assert n.required and n.days == 30 and n.lead_days == 50 and not n.nato_plus_5


def test_36b_nato_plus_5_comes_from_the_data():
    boats = lor("Coastal patrol boats")
    ReferenceFact.objects.create(
        key="fms-nato5-xbn",
        label="test",
        value=1,
        unit="flag",
        effective_from=D(2026, 1, 1),
        source="test",
    )
    n = actions.lor_notification(boats, D(2026, 6, 1))
    assert not n.required and n.nato_plus_5  # $18M MDE is under the NATO+5 $25M threshold


# --- R-FMS-02 CTA -----------------------------------------------------------------------------


def test_r_fms_02_cta_required_when_and_why():
    reasons = {c.code for c in actions.cta_reasons(lor("Coastal patrol boats"))}
    assert reasons == {"likely-36b", "mde", "sme", "new-capability"}
    assert actions.cta_reasons(lor("Radio spares and sustainment")) == []


def test_r_fms_02_offer_refused_without_transmitted_cta(on_demo_day):
    the_lor = validated_lor(mde=True, mde_value=Decimal("500000"))
    c = new_case(lor=the_lor)
    cm = person("case.manager")
    for action, on in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
        ("approve", D(2026, 4, 1)),
    ):
        c = actions.milestone(approver(c) if action == "approve" else cm, c, action, on)
    exc = refused("R-FMS-02", actions.milestone, cm, c, "offer", D(2026, 4, 5))
    assert "Includes Major Defense Equipment" in str(exc)


def test_r_fms_02_cta_elements_then_coordination_then_transmission(on_demo_day):
    sco = person("sco.bandaria")
    the_lor = validated_lor(new_capability=True)
    cta = CountryTeamAssessment(
        lor=the_lor,
        owner_org=org("SCO Bandaria"),
        dated=D(2026, 11, 1),
        elements={"e01": "Border gaps"},
    )
    cta.marking = Marking.parse("CUI")
    cta = actions.create(sco, cta)
    exc = refused("R-FMS-02", actions.coordinate_cta, sco, cta, "Chief of Mission")
    assert "2. Effect on force structure" in str(exc)
    answers = {e.code: "answer" for e in CtaElement.objects.all()}
    cta = actions.update(sco, cta, {"elements": answers})
    refused("R-FMS-02", actions.coordinate_cta, sco, cta, "  ")
    cta = actions.coordinate_cta(sco, cta, "Chief of Mission, DCM")
    cta = actions.transmit_cta(sco, cta, on_demo_day, with_lor=False)
    assert (cta.status, cta.with_lor, cta.transmitted_on) == ("transmitted", False, on_demo_day)


def test_r_fms_02_cta_older_than_a_year_is_not_transmitted(on_demo_day):
    sco = person("sco.bandaria")
    cta = CountryTeamAssessment(
        lor=validated_lor(),
        owner_org=org("SCO Bandaria"),
        dated=D(2025, 11, 1),
        elements={e.code: "a" for e in CtaElement.objects.all()},
    )
    cta.marking = Marking.parse("CUI")
    cta = actions.coordinate_cta(sco, actions.create(sco, cta), "Country team")
    exc = refused("R-FMS-02", actions.transmit_cta, sco, cta, on_demo_day)
    assert exc.field == "dated" and "365 days" in str(exc)


def test_r_fms_02_partner_never_sees_ctas():
    assert CountryTeamAssessment.objects.visible_to(person("partner.bandaria")).count() == 0
    assert CountryTeamAssessment.objects.visible_to(person("sco.bandaria")).count() >= 2


# --- the LOA: identifier, AOD, OED ----------------------------------------------------------


def test_case_identifier_with_unknown_ia_code_is_refused(on_demo_day):
    c = FmsCase(
        identifier="XB-Q-ZZZ",
        title="x",
        country_id="XBN",
        owner_org=org("USASAC"),
        lor=validated_lor(),
    )
    c.marking = Marking.parse(REL)
    exc = refused("SPEC-5-case-identifier", actions.create, person("case.manager"), c)
    assert exc.field == "identifier" and "Q is not a known implementing agency code" in str(exc)


def test_aod_from_lor_complete_date_and_group_days(on_demo_day):
    c = new_case(aod_group="B")
    assert c.lor_complete_on == D(2026, 3, 4) and c.aod == D(2026, 3, 4) + dt.timedelta(days=150)
    c = actions.update(person("case.manager"), c, {"aod_group": "A"})
    assert c.aod == D(2026, 3, 4) + dt.timedelta(days=120)


def test_oed_is_milap_plus_85_days_from_the_fact(on_demo_day):
    c = offered(new_case())
    assert (c.oed_days, c.oed) == (85, D(2026, 4, 1) + dt.timedelta(days=85))


def test_oed_country_and_bpc_variants_are_data(on_demo_day):
    ReferenceFact.objects.create(
        key="fms-oed-days-xbn",
        label="Bandaria longer OED",
        value=120,
        unit="days",
        effective_from=D(2026, 1, 1),
        source="test",
    )
    assert offered(new_case()).oed_days == 120
    assert (
        offered(new_case(loa_type="pseudo")).oed_days == 30
    )  # BPC pseudo-LOAs take the BPC figure
    assert facts.oed_days("GBR", False, D(2026, 4, 1)) == 85


def _proposed(c):
    cm = person("case.manager")
    for action, on in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
    ):
        c = actions.milestone(cm, c, action, on)
    return c


def test_oed_longer_needs_a_case_remark_and_shorter_a_short_oed_note(on_demo_day):
    c = _proposed(new_case())
    exc = refused(
        "SPEC-11-OED", actions.milestone, approver(c), c, "approve", D(2026, 4, 1), oed_days=120
    )
    assert exc.field == "oed_remark" and "case remark" in str(exc)
    refused(
        "SPEC-11-OED",
        actions.milestone,
        approver(c),
        c,
        "approve",
        D(2026, 4, 1),
        oed_days=40,
        oed_remark="  ",
    )
    c = actions.milestone(
        approver(c),
        c,
        "approve",
        D(2026, 4, 1),
        oed_days=40,
        oed_remark="Short OED: funds expire 15 May",
    )
    assert (c.oed_days, c.oed, c.oed_remark) == (
        40,
        D(2026, 5, 11),
        "Short OED: funds expire 15 May",
    )


def test_oed_standard_days_keep_no_remark(on_demo_day):
    c = _proposed(new_case())
    c = actions.milestone(
        approver(c),
        c,
        "approve",
        D(2026, 4, 1),
        oed_days=85,
        oed_remark="not needed",
    )
    assert (c.oed_days, c.oed_remark) == (85, "")


def test_bpc_pseudo_loa_shared_only_after_acceptance(on_demo_day):
    c = offered(new_case(loa_type="pseudo", category="bpc"))
    assert not c.shared_with_partner
    assert not FmsCase.objects.visible_to(person("partner.bandaria")).filter(pk=c.pk).exists()
    c = approvals(c)
    c = actions.milestone(
        person("case.manager"),
        c,
        "accept",
        D(2026, 4, 20),
        signed_on=D(2026, 4, 18),
        deposit_on=D(2026, 4, 20),
    )
    assert c.shared_with_partner


def test_lines_no_negative_quantity_no_zero_dollar_line(on_demo_day):
    c = new_case()
    cm = person("case.manager")
    exc = refused(
        "SPEC-11-case-lines",
        actions.create,
        cm,
        CaseLine(case=c, number="009", item="x", quantity=-3, unit_value=Decimal("5")),
    )
    assert exc.field == "quantity"
    refused(
        "SPEC-11-case-lines",
        actions.create,
        cm,
        CaseLine(case=c, number="009", item="x", quantity=1, unit_value=Decimal("0")),
    )
    line = CaseLine.objects.system().get(case=c, number="001")
    refused("SPEC-11-case-lines", actions.update, cm, line, {"quantity": -1})
    line = actions.update(cm, line, {"quantity": 4})
    assert line.total_value == Decimal("4000.00")


def test_approval_needs_lines(on_demo_day):
    c = new_case(lines=())
    cm = person("case.manager")
    for action in ("write", "review", "propose"):
        c = actions.milestone(cm, c, action, D(2026, 3, 20))
    refused("SPEC-11-case-lines", actions.milestone, approver(c), c, "approve", D(2026, 4, 1))


def test_lifecycle_refuses_a_skipped_milestone(on_demo_day):
    c = new_case()
    exc = refused(
        "SPEC-5-lifecycle", actions.milestone, person("case.manager"), c, "offer", D(2026, 4, 1)
    )
    assert "In development" in str(exc)


def test_only_the_ia_moves_milestones(on_demo_day):
    c = new_case()
    with pytest.raises(PermissionDenied):
        actions.milestone(person("sco.bandaria"), c, "write")


# --- R-FMS-03 changes -------------------------------------------------------------------------


def test_r_fms_03_a_change_to_an_accepted_loa_is_refused(on_demo_day):
    c = accepted(new_case())
    exc = refused("R-FMS-03", actions.update, person("case.manager"), c, {"title": "Bigger radios"})
    assert "restatement" in str(exc)
    line = CaseLine.objects.system().get(case=c, number="001")
    refused("R-FMS-03", actions.update, person("case.manager"), line, {"quantity": 20})


def test_r_fms_03_restated_while_offered_unsigned_before_oed(on_demo_day):
    c = offered(new_case())
    v = actions.propose_change(
        person("case.manager"),
        c,
        "restatement",
        "Price correction before signature",
        [{"op": "change", "number": "001", "unit_value": "900.00"}],
        on=D(2026, 4, 10),
    )
    assert (
        v.status == "accepted"
        and v.number == 1
        and v.diff[0]["fields"] == [["unit_value", "$1,000.00", "$900.00"]]
    )
    assert CaseLine.objects.system().get(case=c, number="001").total_value == Decimal("9000.00")
    assert FmsCase.objects.system().get(pk=c.pk).version == 1


def test_r_fms_03_no_restatement_after_the_oed(on_demo_day):
    c = offered(new_case())
    refused(
        "R-FMS-03",
        actions.propose_change,
        person("case.manager"),
        c,
        "restatement",
        "late",
        [{"op": "change", "number": "001", "unit_value": "900"}],
        on=D(2026, 7, 1),
    )


def test_r_fms_03_lapsed_offer_cannot_be_accepted_but_can_be_reactivated(on_demo_day):
    c = approvals(offered(new_case()))
    exc = refused(
        "SPEC-11-acceptance",
        actions.milestone,
        person("partner.bandaria"),
        c,
        "accept",
        D(2026, 6, 20),
        signed_on=D(2026, 6, 30),
        deposit_on=D(2026, 6, 20),
    )
    assert "lapsed" in str(exc)
    assert FmsCase.objects.system().get(pk=c.pk).is_lapsed(D(2026, 7, 1))
    c = actions.milestone(person("case.manager"), c, "reactivate", D(2026, 7, 1))
    assert (c.status, c.oed, c.offered_on) == ("proposed", None, None)


def test_r_fms_03_cancelled_loa_may_be_reactivated(on_demo_day):
    c = actions.milestone(person("case.manager"), new_case(), "cancel", D(2026, 3, 30))
    c = actions.milestone(person("case.manager"), c, "reactivate", D(2026, 4, 30))
    assert c.status == "proposed" and c.cancelled_on is None


def test_amendment_needs_purchaser_acceptance_and_shows_a_diff(on_demo_day):
    c = implemented(new_case())
    cm = person("case.manager")
    v = actions.propose_change(
        cm,
        c,
        "amendment",
        "Ten more radios",
        [{"op": "change", "number": "001", "quantity": 20}],
        on=D(2026, 6, 1),
    )
    assert (
        v.status == "proposed"
        and CaseLine.objects.system().get(case=c, number="001").quantity == 10
    )
    assert v.diff == [
        {
            "number": "001",
            "change": "changed",
            "fields": [["quantity", "10", "20"]],
            "total_before": "10000.00",
            "total_after": "20000.00",
        }
    ]
    assert (v.value_before, v.value_after) == (Decimal("10000.00"), Decimal("20000.00"))
    refused(
        "R-FMS-03",
        actions.propose_change,
        cm,
        c,
        "amendment",
        "another",
        [{"op": "change", "number": "001", "quantity": 30}],
    )
    v = actions.accept_change(person("partner.bandaria"), v, D(2026, 6, 10))
    assert (
        v.status == "accepted"
        and CaseLine.objects.system().get(case=c, number="001").quantity == 20
    )


def test_modification_with_a_scope_change_is_refused(on_demo_day):
    c = implemented(new_case())
    exc = refused(
        "SPEC-11-amendment-vs-modification",
        actions.propose_change,
        person("case.manager"),
        c,
        "modification",
        "more",
        [{"op": "change", "number": "001", "quantity": 20}],
    )
    assert "amendment" in str(exc)


def test_adding_mde_needs_a_new_loa(on_demo_day):
    c = implemented(new_case())
    refused(
        "SPEC-11-amendment-vs-modification",
        actions.propose_change,
        person("case.manager"),
        c,
        "amendment",
        "boats",
        [
            {
                "op": "add",
                "line": {
                    "number": "002",
                    "item": "Boat",
                    "quantity": 1,
                    "unit_value": "1000000",
                    "mde": True,
                },
            }
        ],
    )


# --- R-FMS-04, -05, -08 ------------------------------------------------------------------------


def test_r_fms_04_signature_before_the_release_approvals_is_refused(on_demo_day):
    c = approvals(offered(new_case()), on=D(2026, 5, 2))
    exc = refused(
        "R-FMS-04",
        actions.milestone,
        person("partner.bandaria"),
        c,
        "accept",
        D(2026, 5, 3),
        signed_on=D(2026, 5, 1),
        deposit_on=D(2026, 5, 3),
    )
    assert exc.field == "signed_on"
    assert state(c)["status"] == "offered"


def test_acceptance_needs_the_initial_deposit(on_demo_day):
    c = approvals(offered(new_case()))
    refused(
        "SPEC-11-acceptance",
        actions.milestone,
        person("partner.bandaria"),
        c,
        "accept",
        D(2026, 5, 3),
        signed_on=D(2026, 5, 1),
    )


def test_r_fms_05_implementation_without_case_manager_is_refused(on_demo_day):
    c = accepted(new_case())
    exc = refused(
        "R-FMS-05", actions.milestone, person("case.manager"), c, "implement", D(2026, 5, 10)
    )
    assert exc.field == "case_manager"


def test_r_fms_05_case_manager_is_of_the_ia(on_demo_day):
    c = accepted(new_case())
    refused(
        "R-FMS-05",
        actions.update,
        person("case.manager"),
        c,
        {"case_manager": person("sco.bandaria")},
    )


def test_r_fms_08_sco_advises_ia_and_dsca_after_acceptance(on_demo_day):
    c = new_case()
    refused("R-FMS-08", actions.notify_ia_and_dsca, person("sco.bandaria"), c, D(2026, 5, 4))
    c = accepted(c)
    with pytest.raises(PermissionDenied):
        actions.notify_ia_and_dsca(person("case.manager"), c, D(2026, 5, 4))
    c = actions.notify_ia_and_dsca(person("sco.bandaria"), c, D(2026, 5, 4))
    assert c.sco_notified_on == D(2026, 5, 4)
    assert CaseEvent.objects.system().filter(case=c, summary__contains="R-FMS-08").exists()
    refused("R-FMS-08", actions.notify_ia_and_dsca, person("sco.bandaria"), c, D(2026, 5, 5))


# --- R-FMS-06 execution ----------------------------------------------------------------------


def test_r_fms_06_milestones_and_deliveries_make_the_significant_event_history(on_demo_day):
    c = implemented(new_case())
    line = CaseLine.objects.system().get(case=c, number="001")
    d = actions.create(
        person("case.manager"),
        Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=10),
    )
    d = actions.record_delivery(person("case.manager"), d, D(2026, 8, 11), 10)
    assert d.days_late(on_demo_day) == 10
    summaries = list(
        CaseEvent.objects.system()
        .filter(case=c)
        .order_by("on", "pk")
        .values_list("summary", flat=True)
    )
    assert summaries[0].startswith("LOA development started") and "10 days late" in summaries[-1]
    assert any("Implemented" in s for s in summaries)


def test_delivery_negative_quantity_refused(on_demo_day):
    c = implemented(new_case())
    line = CaseLine.objects.system().get(case=c, number="001")
    refused(
        "SPEC-11-case-lines",
        actions.create,
        person("case.manager"),
        Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=-2),
    )
    d = actions.create(
        person("case.manager"),
        Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=2),
    )
    refused(
        "SPEC-11-case-lines", actions.record_delivery, person("case.manager"), d, D(2026, 8, 1), -2
    )


def test_demo_has_one_late_delivery_and_its_event():
    radios = case("XB-B-ZAA")
    late = [
        d
        for d in Delivery.objects.system().filter(case=radios, actual_on__isnull=False)
        if d.days_late(D(2026, 11, 23))
    ]
    assert len(late) == 1 and late[0].days_late(D(2026, 11, 23)) == 50


# --- R-FMS-09 shipments -------------------------------------------------------------------------


def test_r_fms_09_classified_shipment_without_transportation_plan_is_refused(on_demo_day):
    c = implemented(new_case())
    exc = refused(
        "R-FMS-09",
        actions.create,
        person("case.manager"),
        Shipment(case=c, reference="T1", shipped_on=D(2026, 8, 1), classified=True),
    )
    assert exc.field == "classified"


def test_r_fms_09_dts_shipment_names_a_representative(on_demo_day):
    c = implemented(new_case(transportation_plan="TP-1"))
    refused(
        "R-FMS-09",
        actions.create,
        person("case.manager"),
        Shipment(case=c, reference="T1", shipped_on=D(2026, 8, 1), classified=True, via_dts=True),
    )
    s = actions.create(
        person("case.manager"),
        Shipment(
            case=c,
            reference="T1",
            shipped_on=D(2026, 8, 1),
            classified=True,
            via_dts=True,
            dts_representative="Maj. Reyes",
        ),
    )
    assert s.pk


# --- R-FMS-10 SDRs ---------------------------------------------------------------------------


def test_r_fms_10_partner_sdr_routed_to_the_mildep_ilco(on_demo_day):
    radios = case("XB-B-ZAA")
    sdr = SupplyDiscrepancyReport(
        case=radios,
        owner_org=org("Bandaria MoD"),
        reported_on=on_demo_day,
        discrepancy="shortage",
        description="2 radios short",
        quantity=2,
        value=Decimal("65000"),
    )
    sdr.marking = Marking.parse(REL)
    sdr = actions.create(person("partner.bandaria"), sdr)
    assert sdr.ilco == org("USASAC") and sdr.status == "routed"
    sdr = actions.reply_sdr(person("case.manager"), sdr, "Replacement shipped", D(2026, 11, 30))
    assert actions.sdr_reconsideration_due(sdr) == D(2026, 11, 30) + dt.timedelta(days=45)


def test_r_fms_10_navy_case_sdr_goes_to_navsup(on_demo_day):
    boats = new_case(ia="NIPO", code="P")
    sdr = SupplyDiscrepancyReport(
        case=boats,
        owner_org=org("SCO Bandaria"),
        reported_on=on_demo_day,
        discrepancy="damage",
        description="x",
        value=Decimal("10"),
    )
    sdr = actions.create(person("sco.bandaria"), sdr)
    assert sdr.ilco == org("NAVSUP WSS")


def test_r_fms_10_sdr_negative_quantity_refused(on_demo_day):
    sdr = SupplyDiscrepancyReport(
        case=case("XB-B-ZAA"),
        owner_org=org("Bandaria MoD"),
        reported_on=on_demo_day,
        discrepancy="damage",
        description="x",
        quantity=-1,
        value=Decimal("10"),
    )
    sdr.marking = Marking.parse(REL)
    refused("R-FMS-10", actions.create, person("partner.bandaria"), sdr)


# --- R-FMS-11 reviews, R-FMS-12 FMF ----------------------------------------------------------


def test_r_fms_11_sco_travel_to_case_review_is_not_fms_admin(on_demo_day):
    c = implemented(new_case())
    refused(
        "R-FMS-11",
        actions.create,
        person("case.manager"),
        CaseReview(case=c, kind="pmr", held_on=D(2026, 9, 1), sco_travel_fms_admin=True),
    )
    r = actions.create(
        person("case.manager"), CaseReview(case=c, kind="fmr", held_on=D(2026, 9, 1), notes="ok")
    )
    assert r.pk


def test_r_fms_12_fmf_lines_follow_the_baseline(on_demo_day):
    c = new_case(
        lines=(("Radio", 10, "1000.00", {"fmf_funded": True}),), fmf_baseline=Decimal("8000")
    )
    cm = person("case.manager")
    for action, on in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
        ("approve", D(2026, 4, 1)),
    ):
        c = actions.milestone(approver(c) if action == "approve" else cm, c, action, on)
    exc = refused("R-FMS-12", actions.milestone, cm, c, "offer", D(2026, 4, 5))
    assert "$2,000.00" in str(exc)
    c = actions.update(cm, c, {"fmf_deviation_approved_on": D(2026, 4, 3)})
    assert actions.milestone(cm, c, "offer", D(2026, 4, 5)).status == "offered"


# --- closure and R-FMS-07 retention ---------------------------------------------------------


def test_ssc_needs_every_delivery_and_sets_the_closure_due_date(on_demo_day):
    c = implemented(new_case())
    line = CaseLine.objects.system().get(case=c, number="001")
    d = actions.create(
        person("case.manager"),
        Delivery(case=c, line=line, planned_on=D(2026, 8, 1), planned_quantity=10),
    )
    ssc = {"services_complete_on": D(2026, 8, 1), "storage_quantity": 0}
    refused(
        "SPEC-11-closure",
        actions.milestone,
        person("case.manager"),
        c,
        "complete",
        D(2026, 9, 1),
        **ssc,
    )
    actions.record_delivery(person("case.manager"), d, D(2026, 8, 1), 10)
    c = actions.milestone(person("case.manager"), c, "complete", D(2026, 9, 1), **ssc)
    assert (c.final_delivery_on, c.closure_due) == (D(2026, 8, 1), D(2027, 9, 1))
    # DSCA 25-89: the closure hold (CLOSHOLD) stops every new version of the SSC case.
    actions.set_closhold(person("dsca.analyst"), c, reason="final reconciliation", on=D(2026, 9, 2))
    refused(
        "SPEC-11-closure",
        actions.propose_change,
        person("case.manager"),
        c,
        "modification",
        "reprice",
        [{"op": "change", "number": "001", "unit_value": "900"}],
    )


def test_r_fms_07_deletion_inside_retention_is_refused(on_demo_day):
    doc = CaseDocument.objects.system().get(title="LOA XB-B-ZAA, basic (signed)")
    exc = refused("R-FMS-07", actions.delete, person("case.manager"), doc)
    assert "not closed" in str(exc)
    refused("R-FMS-07", actions.delete, person("case.manager"), case("XB-B-ZAA"))
    refused(
        "R-FMS-07",
        actions.delete,
        person("sco.bandaria"),
        lor("Tactical radios for the border brigade"),
    )


def test_r_fms_07_deletion_allowed_ten_years_after_closure(on_demo_day):
    c = implemented(new_case())
    c = actions.milestone(
        person("case.manager"),
        c,
        "complete",
        D(2026, 9, 1),
        services_complete_on=D(2026, 8, 1),
        storage_quantity=0,
    )
    line = CaseLine.objects.system().get(case=c, number="001")
    actions.close_line(person("case.manager"), line, on=D(2026, 9, 2))
    # Closed 12 months after SSC (§11 closure): kept 10 years after that (R-FMS-07).
    c = actions.milestone(person("case.manager"), c, "close", D(2027, 9, 1))
    doc = actions.create(
        person("case.manager"),
        CaseDocument(case=c, kind="closure", title="Closure certificate", dated=D(2027, 9, 1)),
    )
    refused("R-FMS-07", actions.delete, person("case.manager"), doc)
    with time_machine.travel(dt.datetime(2037, 9, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        actions.delete(person("case.manager"), doc)
    assert not CaseDocument.objects.system().filter(pk=doc.pk).exists()


def test_internal_documents_are_never_released_to_the_partner(on_demo_day):
    c = implemented(new_case())
    refused(
        "R-SEC-03",
        actions.create,
        person("case.manager"),
        CaseDocument(
            case=c, kind="cta", title="CTA copy", dated=D(2026, 5, 1), released_to_partner=True
        ),
    )


def test_facts_are_data_not_literals(on_demo_day):
    ReferenceFact.objects.create(
        key="fms-oed-standard-days",
        label="changed",
        value=60,
        unit="days",
        effective_from=D(2026, 3, 1),
        source="test",
    )
    assert offered(new_case()).oed == D(2026, 4, 1) + dt.timedelta(days=60)


def test_congressional_notification_documents_are_cui_and_pre_decisional(on_demo_day):
    c = new_case()
    doc = CaseDocument(
        case=c, kind="notification", title="36(b) notification draft", dated=D(2026, 5, 1)
    )
    refused(
        "SPEC-11-congressional-notification-documents", actions.create, person("case.manager"), doc
    )
    ok = actions.create(
        person("case.manager"),
        CaseDocument(
            case=c,
            kind="notification",
            title="PRE-DECISIONAL 36(b) notification draft",
            dated=D(2026, 5, 1),
        ),
    )
    assert ok.marking_text.startswith("CUI") and not ok.released_to_partner


def test_duplicate_case_identifier_is_refused(on_demo_day):
    c = FmsCase(
        identifier="XB-B-ZAA",
        title="dup",
        country_id="XBN",
        owner_org=org("USASAC"),
        lor=validated_lor(),
    )
    c.marking = Marking.parse(REL)
    before = snapshot_counts()
    with pytest.raises(ValidationError) as exc:
        actions.create(person("case.manager"), c)
    assert "identifier" in exc.value.message_dict
    assert snapshot_counts() == before
