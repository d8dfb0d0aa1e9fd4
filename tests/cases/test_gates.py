"""Issue 13 items 1–4 through the actions: the 36(b) review tracked and gating the offer, the release
approvals gating MILDEP approval and the offer, the LOA frozen once approved, dates in order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from secoop.cases import actions
from secoop.cases import facts
from secoop.cases.models import CaseEvent
from secoop.cases.models import CaseLine
from secoop.cases.models import Delivery
from secoop.core.verdicts import Refused

from .builders import D
from .builders import approver
from .builders import implemented
from .builders import new_case
from .builders import offered
from .conftest import person
from .conftest import snapshot_counts
from .conftest import state

pytestmark = pytest.mark.django_db
BOATS = (("25 m coastal patrol boat", 4, "9000000.00", {"sme": True, "mde": True}),)  # $36M MDE


def refused(rule: str, fn, *args, **kwargs) -> Refused:
    before = snapshot_counts()
    with pytest.raises(Refused) as exc:
        fn(*args, **kwargs)
    assert exc.value.rule == rule, exc.value.messages
    assert snapshot_counts() == before, "nothing changed"
    return exc.value


APPROVED_ON = D(2026, 4, 1)


def _approved(case, on=APPROVED_ON):
    cm = person("case.manager")
    for action, day in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
        ("approve", on),
    ):
        case = actions.milestone(approver(case) if action == "approve" else cm, case, action, day)
    return case


# --- 13.1 36(b) congressional review -------------------------------------------------------------


def test_spec_11_36b_offer_refused_until_the_statutory_period_after_formal_notification(
    on_demo_day,
):
    cm = person("case.manager")
    c = _approved(new_case(lines=BOATS))
    exc = refused("SPEC-11-36(b)-notification", actions.milestone, cm, c, "offer", D(2026, 4, 5))
    assert exc.field == "n36b_review_on"
    c = actions.record_36b(cm, c, "review", D(2026, 3, 1))
    c = actions.record_36b(cm, c, "notify", D(2026, 4, 2))
    exc = refused("SPEC-11-36(b)-notification", actions.milestone, cm, c, "offer", D(2026, 5, 2))
    assert "may be offered on 3 May 2026" in exc.messages[0]
    c = actions.milestone(cm, c, "offer", D(2026, 5, 3))
    assert (c.status, c.offered_on, c.n36b_notified_on) == ("offered", D(2026, 5, 3), D(2026, 4, 2))
    events = CaseEvent.objects.system().filter(case=c).values_list("summary", flat=True)
    assert any("36(b) formal notification" in e for e in events)


def test_spec_11_36b_steps_are_the_ias_and_in_order(on_demo_day):
    c = _approved(new_case(lines=BOATS))
    for user in ("partner.bandaria", "sco.bandaria"):
        with pytest.raises(PermissionDenied):
            actions.record_36b(person(user), c, "review", D(2026, 3, 1))
    cm = person("case.manager")
    refused("SPEC-11-36(b)-notification", actions.record_36b, cm, c, "notify", D(2026, 3, 1))
    small = new_case()
    refused("SPEC-11-36(b)-notification", actions.record_36b, cm, small, "review", D(2026, 3, 1))


def test_spec_11_36b_case_check_includes_design_and_construction(on_demo_day):
    works = (("Hangar design and construction", 1, "210000000.00", {"design_construction": True}),)
    c = new_case(lines=works)
    n = actions.case_notification(c, list(CaseLine.objects.system().filter(case=c)))
    assert n.required and any("design and construction" in r for r in n.reasons)


def test_spec_11_36b_nato_plus_5_from_the_accession_date(db):
    assert not facts.is_nato_plus_5("POL", D(1999, 3, 11))
    assert facts.is_nato_plus_5("POL", D(1999, 3, 12))
    assert not facts.is_nato_plus_5("MKD", D(2019, 1, 1))
    assert facts.is_nato_plus_5("MKD", D(2020, 3, 27))
    assert facts.is_nato_plus_5("GBR", D(1990, 1, 1))


# --- 13.2 release approvals gate MILDEP approval and the offer ----------------------------------


def test_r_fms_04_mildep_approval_needs_the_release_approvals(on_demo_day):
    cm = person("case.manager")
    c = new_case(disclosure_approved_on=None, transfer_approved_on=None)
    for action, day in (
        ("write", D(2026, 3, 10)),
        ("review", D(2026, 3, 15)),
        ("propose", D(2026, 3, 20)),
    ):
        c = actions.milestone(cm, c, action, day)
    exc = refused("R-FMS-04", actions.milestone, approver(c), c, "approve", D(2026, 4, 1))
    assert exc.field == "disclosure_approved_on" and "before MILDEP approval" in exc.messages[0]
    c = actions.update(cm, c, {"disclosure_approved_on": D(2026, 3, 25)})
    exc = refused("R-FMS-04", actions.milestone, approver(c), c, "approve", D(2026, 4, 1))
    assert exc.field == "transfer_approved_on"
    c = actions.update(cm, c, {"transfer_approved_on": D(2026, 4, 2)})
    exc = refused("R-FMS-04", actions.milestone, approver(c), c, "approve", D(2026, 4, 1))
    assert "2 Apr 2026" in exc.messages[0]
    c = actions.update(cm, c, {"transfer_approved_on": D(2026, 3, 30)})
    assert actions.milestone(approver(c), c, "approve", D(2026, 4, 1)).status == "milap"


def test_r_fms_04_the_offer_needs_the_release_approvals(on_demo_day):
    cm = person("case.manager")
    c = _approved(new_case())
    c = actions.update(cm, c, {"transfer_approved_on": None})
    exc = refused("R-FMS-04", actions.milestone, cm, c, "offer", D(2026, 4, 5))
    assert "before the offer" in exc.messages[0]


# --- 13.3 the LOA is frozen once the MILDEP approves it --------------------------------------------


def test_a_line_changed_after_mildep_approval_returns_the_loa_for_reapproval(on_demo_day):
    cm = person("case.manager")
    c = _approved(new_case())
    assert (c.status, c.oed) == ("milap", D(2026, 6, 25))
    line = CaseLine.objects.system().get(case=c, number="001")
    actions.update(cm, line, {"quantity": 12})
    after = state(c)
    assert (after["status"], after["milap_on"], after["oed"]) == ("proposed", None, None)
    refused("SPEC-5-lifecycle", actions.milestone, cm, c, "offer", D(2026, 4, 5))
    # The approver's first approval and the event it logged are decisions, not authorship.
    c = actions.milestone(approver(c), c, "approve", D(2026, 4, 10))
    assert (c.status, c.oed) == ("milap", D(2026, 7, 4))
    events = CaseEvent.objects.system().filter(case=c).values_list("summary", flat=True)
    assert any("returned for re-approval" in e for e in events)


def test_content_or_a_new_line_after_approval_returns_it_too(on_demo_day):
    cm = person("case.manager")
    c = _approved(new_case())
    actions.update(cm, c, {"title": "Radios, revised"})
    assert state(c)["status"] == "proposed"
    c = actions.milestone(approver(c), c, "approve", D(2026, 4, 2))
    actions.create(
        cm, CaseLine(case=c, number="002", item="Antenna", quantity=5, unit_value=Decimal("100"))
    )
    assert state(c)["status"] == "proposed"
    # The case manager and the release approvals are not LOA content: no re-approval.
    c = actions.milestone(approver(c), c, "approve", D(2026, 4, 3))
    actions.update(cm, c, {"case_manager": cm})
    assert state(c)["status"] == "milap"


def test_r_sec_11_no_one_approves_an_loa_they_wrote(on_demo_day):
    cm, second = person("case.manager"), person("usasac.approver")
    c = new_case()
    for action, day in (("write", D(2026, 3, 10)), ("review", D(2026, 3, 15))):
        c = actions.milestone(cm, c, action, day)
    c = actions.milestone(cm, c, "propose", D(2026, 3, 20))
    exc = refused("R-SEC-11", actions.milestone, cm, c, "approve", D(2026, 4, 1))
    assert "someone else must approve it" in exc.messages[0]
    # Editing a line makes the editor an author too; moving milestones does not.
    line = CaseLine.objects.system().get(case=c, number="001")
    actions.update(second, line, {"quantity": 11})
    refused("R-SEC-11", actions.milestone, second, c, "approve", D(2026, 4, 1))
    other = person("navy.approver")  # not of the IA: may not move USASAC's milestones at all
    with pytest.raises(PermissionDenied):
        actions.milestone(other, c, "approve", D(2026, 4, 1))
    assert state(c)["status"] == "proposed"


# --- 13.4 dates that contradict the lifecycle ------------------------------------------------------


def test_spec_5_milestone_dated_before_the_step_before_it_is_refused(on_demo_day):
    cm = person("case.manager")
    c = new_case()
    c = actions.milestone(cm, c, "write", D(2026, 3, 10))
    exc = refused("SPEC-5-lifecycle", actions.milestone, cm, c, "review", D(2026, 3, 9))
    assert "9 Mar 2026" in exc.messages[0] and "10 Mar 2026" in exc.messages[0]


def test_spec_5_signature_before_the_offer_and_closure_before_ssc_are_refused(on_demo_day):
    c = offered(new_case())  # offered 5 Apr 2026
    refused(
        "SPEC-5-lifecycle",
        actions.milestone,
        person("partner.bandaria"),
        c,
        "accept",
        D(2026, 4, 6),
        signed_on=D(2026, 4, 4),
        deposit_on=D(2026, 4, 6),
    )


def test_spec_5_deliveries_before_acceptance_are_refused(on_demo_day):
    cm = person("case.manager")
    c = implemented(new_case())  # accepted 3 May 2026
    line = CaseLine.objects.system().get(case=c, number="001")
    exc = refused(
        "SPEC-5-lifecycle",
        actions.create,
        cm,
        Delivery(case=c, line=line, planned_on=D(2026, 4, 1), planned_quantity=1),
    )
    assert "3 May 2026" in exc.messages[0]
    d = actions.create(
        cm, Delivery(case=c, line=line, planned_on=D(2026, 6, 1), planned_quantity=10)
    )
    refused("SPEC-5-lifecycle", actions.record_delivery, cm, d, D(2026, 5, 2), 10)
    d = actions.record_delivery(cm, d, D(2026, 6, 1), 10)
    c = actions.milestone(
        cm, c, "complete", D(2026, 6, 2), services_complete_on=D(2026, 6, 1), storage_quantity=0
    )
    exc = refused("SPEC-5-lifecycle", actions.milestone, cm, c, "close", D(2026, 6, 1))
    assert "SSC" in exc.messages[0]


# --- 13.5 the AOD DSCA measures --------------------------------------------------------------------


def test_spec_11_aod_lor_complete_date_is_its_own_and_validation_counts_from_ia_receipt(
    on_demo_day,
):
    from secoop.cases.models import LetterOfRequest
    from secoop.core.markings import Marking

    from .builders import REL
    from .conftest import org

    lor = LetterOfRequest(
        title="Rifle optics",
        country_id="XBN",
        owner_org=org("SCO Bandaria"),
        received_on=D(2026, 3, 1),
        requested_items="Optics",
        estimated_value=Decimal("100000"),
        request_type="loa",
    )
    lor.marking = Marking.parse(REL)
    lor = actions.create(person("sco.bandaria"), lor)
    lor = actions.route_lor(person("sco.bandaria"), lor, org("USASAC"), on=D(2026, 3, 10))
    assert lor.ia_received_on == D(2026, 3, 10)
    assert actions.validation_due(lor) == D(2026, 3, 15)  # 5 days from the IA's receipt
    cm = person("case.manager")
    exc = refused(
        "SPEC-11-AOD", actions.validate_lor, cm, lor, D(2026, 3, 12), complete_on=D(2026, 3, 13)
    )
    assert exc.field == "complete_on"
    lor = actions.validate_lor(cm, lor, D(2026, 3, 12), complete_on=D(2026, 3, 8))
    assert (lor.complete_on, lor.validated_on) == (D(2026, 3, 8), D(2026, 3, 12))
    c = new_case(lor=lor)
    assert (c.lor_complete_on, c.aod) == (D(2026, 3, 8), D(2026, 8, 5))  # group B: 150 days


def test_spec_11_aod_late_offer_needs_a_code_from_the_list(on_demo_day):
    cm = person("case.manager")
    c = new_case(aod_group="A")  # LOR complete 4 Mar 2026 + 120 = AOD 2 Jul 2026
    c = _approved(c, on=D(2026, 6, 30))
    exc = refused("SPEC-11-AOD", actions.milestone, cm, c, "offer", D(2026, 7, 3))
    assert exc.field == "delay_reason"
    refused("SPEC-11-AOD", actions.update, cm, c, {"delay_reason": "contractor was slow"})
    c = actions.update(cm, c, {"delay_reason": "B1"})
    assert actions.milestone(cm, c, "offer", D(2026, 7, 3)).status == "offered"


# --- 13.9 SDRs -------------------------------------------------------------------------------------


def test_r_fms_10_sdr_after_the_filing_limit_is_refused_and_facts_are_dated(on_demo_day):
    from secoop.cases.models import SupplyDiscrepancyReport
    from secoop.core.markings import Marking

    from .builders import REL
    from .conftest import case
    from .conftest import org

    t = facts.sdr_thresholds(D(2009, 5, 19))
    assert (t.reconsideration_days, t.filing_months) == (45, 12)
    assert facts.sdr_thresholds(D(2026, 1, 1)).endorsement_usd == Decimal("50000")

    def sdr(title_passed_on):
        record = SupplyDiscrepancyReport(
            case=case("XB-B-ZAA"),
            owner_org=org("Bandaria MoD"),
            reported_on=D(2026, 11, 20),
            discrepancy="damage",
            description="Cracked housings",
            quantity=2,
            value=Decimal("65000"),
            title_passed_on=title_passed_on,
            recommended_fms_funds=Decimal("60000"),
        )
        record.marking = Marking.parse(REL)
        return record

    exc = refused("R-FMS-10", actions.create, person("partner.bandaria"), sdr(D(2025, 11, 19)))
    assert "20 Nov 2025" not in exc.messages[0] and "19 Nov 2026" in exc.messages[0]
    made = actions.create(person("partner.bandaria"), sdr(D(2025, 11, 20)))
    assert made.recommended_fms_funds == Decimal("60000")


def test_spec_5_shipment_before_acceptance_and_amendment_before_it_are_refused(on_demo_day):
    from secoop.cases.models import Shipment

    cm = person("case.manager")
    c = implemented(new_case())  # accepted 3 May 2026
    exc = refused(
        "SPEC-5-lifecycle",
        actions.create,
        cm,
        Shipment(case=c, reference="T9", shipped_on=D(2026, 4, 20)),
    )
    assert "20 Apr 2026" in exc.messages[0] and "3 May 2026" in exc.messages[0]
    refused(
        "SPEC-5-lifecycle",
        actions.propose_change,
        cm,
        c,
        "amendment",
        "Ten more radios",
        [{"op": "change", "number": "001", "quantity": 20}],
        on=D(2026, 5, 1),
    )
