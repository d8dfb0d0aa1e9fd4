"""Demo: Bandaria's border-security acquisition (SPEC §5) — tactical radios, night vision devices,
coastal patrol boats and radio spares, in several states, with one late delivery and one SDR.

Everything is made through cases.actions as the demo users who would do it (the partner submits
an LOR, the SCO routes it and drafts the CTA, the case manager builds and moves the LOA), so the
demo exercises the rules and leaves a change log. Idempotent: found by the first LOR's title.
The dates are laid out around DEMO_TODAY (the planning demo's day, 23 Nov 2026).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from secoop.core import actions as core
from secoop.core import demo as core_demo
from secoop.core.markings import Marking
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.organizations import OrganizationKind as K

from . import actions
from .models import CaseCost
from .models import CaseDocument
from .models import CaseLine
from .models import CaseNote
from .models import CaseReview
from .models import ClssaRequisition
from .models import CountryTeamAssessment
from .models import CtaElement
from .models import DcsLicense
from .models import Delivery
from .models import EdaOffer
from .models import FmsCase
from .models import IlcoRouting
from .models import LetterOfRequest
from .models import MasterPlanItem
from .models import PaymentScheduleEntry
from .models import Shipment
from .models import SupplyDiscrepancyReport

D = dt.date
DEMO_TODAY = D(2026, 11, 23)
REL = "CUI//REL TO USA, XBN"
FIRST_LOR = "Tactical radios for the border brigade"

# (key, name, short name, MILDEP key) — the ILCOs that receive each MILDEP's SDRs (R-FMS-10)
ILCOS = [
    ("navsup", "NAVSUP Weapon Systems Support, International Programs", "NAVSUP WSS", "navy"),
    ("afsac", "Air Force Security Assistance and Cooperation Directorate", "AFSAC", "airforce"),
]


def _ilcos(orgs: dict) -> None:
    for key, name, short, mildep in ILCOS:
        org = Organization.objects.system().filter(short_name=short).first()
        if org is None:
            org = Organization(
                name=name, short_name=short, kind=K.IMPLEMENTING_AGENCY, parent=orgs[mildep]
            )
            org.marking = Marking.parse("UNCLASSIFIED")
            org = core.system_create(org, reason="demo data: ILCO (R-FMS-10)")
        orgs[key] = org
    # USASAC is the Army's ILCO as well as its implementing agency.
    for mildep, ilco, source in (
        ("army", "usasac", "USASAC, Army ILCO"),
        ("navy", "navsup", "NAVSUP WSS"),
        ("airforce", "afsac", "AFSAC"),
    ):
        IlcoRouting.objects.get_or_create(
            mildep=orgs[mildep], defaults={"ilco": orgs[ilco], "source": f"DSCA 10-44; {source}"}
        )


def _lor(user, owner, title, **kw) -> LetterOfRequest:
    lor = LetterOfRequest(title=title, country_id="XBN", owner_org=owner, **kw)
    lor.marking = Marking.parse(REL)
    return actions.create(user, lor, reason="demo data")


def _cta(user, sco, lor, dated) -> CountryTeamAssessment:
    elements = {
        e.code: f"Country team view: {e.text.lower()} — assessed for {lor.title.lower()}."
        for e in CtaElement.objects.filter(active=True)
    }
    cta = CountryTeamAssessment(lor=lor, owner_org=sco, dated=dated, elements=elements)
    cta.marking = Marking.parse("CUI")
    return actions.create(user, cta, reason="demo data")


def _case(user, ia, lor, identifier, title, lines, **kw) -> FmsCase:
    case = FmsCase(
        identifier=identifier, title=title, country_id="XBN", owner_org=ia, lor=lor, **kw
    )
    case.marking = Marking.parse(REL)
    case = actions.create(user, case, reason="demo data")
    for i, (item, qty, unit, flags) in enumerate(lines, start=1):
        line = CaseLine(
            case=case, number=f"{i:03d}", item=item, quantity=qty, unit_value=Decimal(unit), **flags
        )
        actions.create(user, line, reason="demo data")
    return case


# R-SEC-11: the writer's IA approves through a second person (the country program director).
APPROVERS = {"case.manager": "usasac.approver", "navy.case.manager": "navy.approver"}


def _through(user, case, steps) -> FmsCase:
    for action, on, data in steps:
        by = User.objects.get(username=APPROVERS[user.username]) if action == "approve" else user
        case = actions.milestone(by, case, action, on, **data)
    return case


def _add(user, record, marking: str | None = None):
    if marking:
        record.marking = Marking.parse(marking)
    return actions.create(user, record, reason="demo data")


@core_demo.register
def load(made: dict) -> None:
    if LetterOfRequest.objects.system().filter(title=FIRST_LOR).exists():
        return
    with transaction.atomic():
        _load(made)


def _load(made: dict) -> None:
    orgs = made["orgs"]
    _ilcos(orgs)
    sco_user = User.objects.get(username="sco.bandaria")
    cm = User.objects.get(username="case.manager")
    navy_cm = User.objects.get(username="navy.case.manager")
    partner = User.objects.get(username="partner.bandaria")
    sco, mod, usasac, nipo = orgs["sco"], orgs["mod"], orgs["usasac"], orgs["nipo"]
    no_flags: dict = {}

    # --- A: tactical radios, implemented, one delivery late, an SDR ----------------------------
    lor_a = _lor(
        sco_user,
        sco,
        FIRST_LOR,
        received_on=D(2025, 9, 24),
        requested_items="120 VHF/UHF handheld radios, 20 vehicle radios, training.",
        estimated_value=Decimal("6200000"),
        implementing_agency=usasac,
        request_type="loa",
    )
    actions.validate_lor(cm, lor_a, D(2025, 10, 1))
    a = _case(
        cm,
        usasac,
        lor_a,
        "XB-B-ZAA",
        "Tactical radios",
        [
            ("AN/PRC-163 handheld radio", 120, "32500.00", no_flags),
            ("AN/VRC-118 vehicle radio", 20, "78000.00", no_flags),
            ("Operator and maintainer training", 1, "340000.00", {"program_of_record": False}),
        ],
        transportation_plan="TP-XB-B-ZAA-01 (COMSEC items)",
    )
    a = actions.update(
        cm,
        a,
        {
            "case_manager": cm,
            "disclosure_approved_on": D(2026, 1, 20),
            "transfer_approved_on": D(2026, 1, 28),
        },
    )
    a = _through(
        cm,
        a,
        [
            ("write", D(2025, 11, 20), {}),
            ("review", D(2025, 12, 15), {}),
            ("propose", D(2026, 1, 10), {}),
            ("approve", D(2026, 2, 2), {}),
            ("offer", D(2026, 2, 10), {}),
        ],
    )
    a = actions.milestone(
        partner, a, "accept", D(2026, 3, 20), signed_on=D(2026, 3, 12), deposit_on=D(2026, 3, 20)
    )
    actions.notify_ia_and_dsca(sco_user, a, D(2026, 3, 23))
    a = actions.milestone(cm, a, "implement", D(2026, 4, 6))
    lines = {ln.number: ln for ln in CaseLine.objects.system().filter(case=a)}
    d1 = _add(
        cm, Delivery(case=a, line=lines["001"], planned_on=D(2026, 7, 15), planned_quantity=60)
    )
    d2 = _add(
        cm, Delivery(case=a, line=lines["002"], planned_on=D(2026, 8, 1), planned_quantity=20)
    )
    _add(cm, Delivery(case=a, line=lines["001"], planned_on=D(2027, 1, 15), planned_quantity=60))
    _add(
        cm, Delivery(case=a, line=lines["003"], planned_on=D(2026, 10, 30), planned_quantity=1)
    )  # open and late
    actions.record_delivery(cm, d1, D(2026, 7, 10), 60)
    actions.record_delivery(cm, d2, D(2026, 9, 20), 20)  # 50 days late
    _add(
        cm,
        Shipment(
            case=a,
            delivery=d1,
            reference="XBBZAA0001",
            shipped_on=D(2026, 6, 25),
            classified=True,
            via_dts=True,
            dts_representative="Maj. Dana Reyes, SCO Bandaria",
            received_on=D(2026, 7, 10),
        ),
    )
    _add(
        cm,
        Shipment(
            case=a,
            delivery=d2,
            reference="XBBZAA0002",
            shipped_on=D(2026, 9, 2),
            received_on=D(2026, 9, 20),
        ),
    )
    _add(
        partner,
        SupplyDiscrepancyReport(
            case=a,
            line=lines["002"],
            owner_org=mod,
            reported_on=D(2026, 10, 2),
            discrepancy="damage",
            description="Four vehicle radios arrived with cracked front panels (shipment XBBZAA0002).",
            quantity=4,
            value=Decimal("312000.00"),
        ),
        REL,
    )
    _add(
        cm,
        CaseReview(
            case=a,
            kind="pmr",
            held_on=D(2026, 9, 30),
            notes="Program management review in Bandaria City: delivery of line 002 slipped; training moved to January.",
        ),
        "CUI",
    )
    for kind, title, due, done, poc in [
        (
            "component",
            "COMSEC account established by the MoD",
            D(2026, 5, 1),
            D(2026, 4, 28),
            "SCO Bandaria",
        ),
        (
            "activity",
            "New equipment training, first cohort",
            D(2026, 10, 30),
            None,
            "USASAC training branch",
        ),
        (
            "schedule",
            "Final delivery of handheld radios",
            D(2027, 1, 15),
            None,
            "PM Tactical Radios",
        ),
        ("poc", "Case manager", None, None, "Chris Patel, USASAC"),
    ]:
        _add(
            cm,
            MasterPlanItem(case=a, kind=kind, title=title, due_on=due, done_on=done, poc=poc),
            "CUI",
        )
    _add(
        cm,
        PaymentScheduleEntry(
            case=a,
            due_on=D(2026, 3, 20),
            amount=Decimal("1250000.00"),
            initial_deposit=True,
            paid_on=D(2026, 3, 20),
        ),
    )
    _add(cm, PaymentScheduleEntry(case=a, due_on=D(2026, 12, 15), amount=Decimal("2500000.00")))
    _add(cm, PaymentScheduleEntry(case=a, due_on=D(2027, 3, 15), amount=Decimal("2710000.00")))
    _add(
        cm,
        CaseCost(
            case=a,
            description="Contract cost growth, handheld radios (internal estimate)",
            programmed=Decimal("3900000"),
            actual=Decimal("4140000"),
        ),
        "CUI",
    )
    _add(
        cm,
        CaseCost(
            case=a,
            description="Transportation (released to the purchaser)",
            programmed=Decimal("180000"),
            actual=Decimal("164500"),
            released_to_partner=True,
        ),
    )
    _add(
        cm,
        CaseNote(
            case=a,
            text="Internal: the vendor's second-source panel supplier is the likely cause of the damage; do not discuss with the MoD before the ILCO replies.",
        ),
        "CUI//NOFORN",
    )
    _add(
        cm,
        CaseDocument(
            case=a,
            kind="loa",
            title="LOA XB-B-ZAA, basic (signed)",
            dated=D(2026, 3, 12),
            released_to_partner=True,
        ),
    )
    _add(
        cm,
        CaseDocument(
            case=a,
            kind="dd645",
            title="DD Form 645, quarter ending 30 Sep 2026",
            dated=D(2026, 10, 15),
            released_to_partner=True,
        ),
    )
    _add(
        cm,
        CaseDocument(
            case=a, kind="review_notes", title="PMR notes, 30 Sep 2026", dated=D(2026, 10, 2)
        ),
        "CUI",
    )
    actions.propose_change(
        cm,
        a,
        "modification",
        "Re-price vehicle radios after contract award (no change of scope).",
        [{"op": "change", "number": "002", "unit_value": "76500.00"}],
        on=D(2026, 5, 12),
    )

    # --- B: night vision devices, offered (CTA needed: night vision, sensitive) ------------------
    lor_b = _lor(
        sco_user,
        sco,
        "Night vision devices for border patrols",
        received_on=D(2026, 6, 10),
        requested_items="200 AN/PVS-14 monocular night vision devices with spares.",
        estimated_value=Decimal("2900000"),
        sensitive_technology=True,
        night_vision=True,
        implementing_agency=usasac,
        request_type="loa",
    )
    actions.validate_lor(cm, lor_b, D(2026, 6, 15))
    cta_b = _cta(sco_user, sco, lor_b, D(2026, 6, 5))
    actions.coordinate_cta(sco_user, cta_b, "Chief of Mission, DCM, POL/ECON, DAO", D(2026, 6, 8))
    actions.transmit_cta(sco_user, cta_b, D(2026, 6, 12))
    b = _case(
        cm,
        usasac,
        lor_b,
        "XB-B-ZAB",
        "Night vision devices",
        [
            ("AN/PVS-14 monocular night vision device", 200, "13250.00", {"sme": True}),
            ("Spares and repair parts", 1, "210000.00", no_flags),
        ],
    )
    b = actions.update(
        cm, b, {"disclosure_approved_on": D(2026, 9, 30), "transfer_approved_on": D(2026, 10, 20)}
    )
    _through(
        cm,
        b,
        [
            ("write", D(2026, 8, 20), {}),
            ("review", D(2026, 9, 25), {}),
            ("propose", D(2026, 10, 15), {}),
            ("approve", D(2026, 11, 1), {}),
            ("offer", D(2026, 11, 5), {}),
        ],
    )

    # --- C: coastal patrol boats, in development, 36(b), CTA coordinated, late against the AOD ----
    lor_c = _lor(
        sco_user,
        sco,
        "Coastal patrol boats",
        received_on=D(2026, 4, 22),
        requested_items="Four 25-metre coastal patrol boats with weapons, spares, training and support.",
        estimated_value=Decimal("42000000"),
        mde_value=Decimal("18000000"),
        sme=True,
        mde=True,
        new_capability=True,
        implementing_agency=nipo,
        request_type="loa",
    )
    actions.validate_lor(navy_cm, lor_c, D(2026, 5, 1))
    cta_c = _cta(sco_user, sco, lor_c, D(2026, 4, 28))
    actions.coordinate_cta(sco_user, cta_c, "Chief of Mission and country team", D(2026, 5, 6))
    c = _case(
        navy_cm,
        nipo,
        lor_c,
        "XB-P-ZAC",
        "Coastal patrol boats",
        [
            ("25 m coastal patrol boat", 4, "9000000.00", {"sme": True, "mde": True}),
            ("Spares, training and technical assistance", 1, "6000000.00", no_flags),
        ],
        fmf_baseline=Decimal("0"),
    )
    actions.milestone(navy_cm, c, "write", D(2026, 8, 30))
    _add(
        navy_cm,
        CaseNote(
            case=c,
            text="Internal: Congressional notification timeline drives the offer; informal review not yet started.",
        ),
        "CUI//NOFORN",
    )

    # --- D: radio spares, accepted, SCO notice not yet sent (R-FMS-08), offered late ----------
    lor_d = _lor(
        sco_user,
        sco,
        "Radio spares and sustainment",
        received_on=D(2025, 11, 25),
        requested_items="Spares and two years of sustainment for the tactical radios.",
        estimated_value=Decimal("850000"),
        implementing_agency=usasac,
        request_type="loa",
    )
    actions.validate_lor(cm, lor_d, D(2025, 12, 1))
    d = _case(
        cm,
        usasac,
        lor_d,
        "XB-B-ZAD",
        "Radio spares and sustainment",
        [
            ("Radio spares package", 1, "520000.00", no_flags),
            ("Sustainment services (2 years)", 1, "330000.00", no_flags),
        ],
        aod_group="A",
        category="services",
        delay_reason="B2",
    )
    d = actions.update(
        cm, d, {"disclosure_approved_on": D(2026, 4, 1), "transfer_approved_on": D(2026, 4, 1)}
    )
    d = _through(
        cm,
        d,
        [
            ("write", D(2026, 2, 1), {}),
            ("review", D(2026, 3, 1), {}),
            ("propose", D(2026, 4, 10), {}),
            ("approve", D(2026, 5, 10), {}),
            ("offer", D(2026, 5, 15), {}),
        ],
    )
    actions.milestone(
        partner, d, "accept", D(2026, 6, 20), signed_on=D(2026, 6, 18), deposit_on=D(2026, 6, 20)
    )

    # --- E: a radar LOR the partner just submitted; F: routed, awaiting validation ------------
    _lor(
        partner,
        mod,
        "Border surveillance radar",
        received_on=D(2026, 11, 18),
        requested_items="Two mobile ground surveillance radars with training.",
        estimated_value=Decimal("7500000"),
        request_type="pa",
    )
    _lor(
        sco_user,
        sco,
        "Patrol vehicle spare parts",
        received_on=D(2026, 11, 16),
        requested_items="Spare parts for 40 light patrol vehicles.",
        estimated_value=Decimal("1100000"),
        implementing_agency=usasac,
        request_type="pa",
    )
    _load_clssa(orgs)  # fmsclssa section at the end


# === fmsclssa: a Bandaria CLSSA (FMSO I / II), emergency implementation, AOD of versions ==========


def _load_clssa(orgs) -> None:
    """Bandaria's CLSSA with USASAC: the FMSO I equity case (implemented; a modification measured
    to implementation, late with a code, and an amendment measured to offer, on time) and the FMSO
    II requisition case, implemented on DSCA's emergency approval before its deposit, with one
    requisition (SPEC §5 CLSSA, §11 acceptance and AOD)."""
    cm = User.objects.get(username="case.manager")
    partner = User.objects.get(username="partner.bandaria")
    dsca = User.objects.get(username="dsca.analyst")
    usasac = orgs["usasac"]
    released = {"disclosure_approved_on": D(2026, 1, 15), "transfer_approved_on": D(2026, 1, 15)}
    fmso1 = _case(
        cm,
        usasac,
        None,
        "XB-B-KAA",
        "CLSSA FMSO I: equity in Army common spares",
        [("Equity: stock levels of common radio and vehicle spares", 1, "2400000.00", {})],
        loa_type="fmso1",
        category="standard",
        **released,
    )
    fmso1 = actions.update(cm, fmso1, {"case_manager": cm})
    fmso1 = _through(
        cm,
        fmso1,
        [
            ("write", D(2026, 1, 5), {}),
            ("review", D(2026, 1, 12), {}),
            ("propose", D(2026, 1, 20), {}),
            ("approve", D(2026, 2, 1), {}),
            ("offer", D(2026, 2, 5), {}),
        ],
    )
    fmso1 = actions.milestone(
        partner,
        fmso1,
        "accept",
        D(2026, 2, 25),
        signed_on=D(2026, 2, 20),
        deposit_on=D(2026, 2, 25),
    )
    fmso1 = actions.milestone(cm, fmso1, "implement", D(2026, 3, 2))
    # Measured to implementation: complete 10 Mar + 120 (group A) = AOD 8 Jul; issued 20 Jul: late.
    actions.propose_change(
        cm,
        fmso1,
        "modification",
        "Re-price the stock levels after the annual FMSO I review (no change of scope).",
        [{"op": "change", "number": "001", "unit_value": "2350000.00"}],
        on=D(2026, 7, 20),
        request_complete_on=D(2026, 3, 10),
        aod_group="A",
        delay_reason="B2",
    )
    # Measured to offer: complete 1 Jun + 150 (group B) = AOD 29 Oct; offered 3 Aug: on time.
    amendment = actions.propose_change(
        cm,
        fmso1,
        "amendment",
        "Add equity for the patrol vehicle spares the MoD now holds.",
        [
            {
                "op": "add",
                "line": {
                    "number": "002",
                    "item": "Equity: stock levels of patrol vehicle spares",
                    "quantity": 1,
                    "unit_value": "600000.00",
                },
            }
        ],
        on=D(2026, 8, 3),
        request_complete_on=D(2026, 6, 1),
        aod_group="B",
    )
    actions.accept_change(partner, amendment, D(2026, 8, 20))

    fmso2 = _case(
        cm,
        usasac,
        None,
        "XB-B-KAB",
        "CLSSA FMSO II: requisitions against the FMSO I stock",
        [("Requisitions of common radio and vehicle spares", 1, "1500000.00", {})],
        loa_type="fmso2",
        category="standard",
        fmso1_case=FmsCase.objects.system().get(pk=fmso1.pk),
        **released,
    )
    fmso2 = actions.update(cm, fmso2, {"case_manager": cm})
    fmso2 = _through(
        cm,
        fmso2,
        [
            ("write", D(2026, 2, 10), {}),
            ("review", D(2026, 2, 15), {}),
            ("propose", D(2026, 2, 20), {}),
            ("approve", D(2026, 3, 1), {}),
            ("offer", D(2026, 3, 5), {}),
        ],
    )
    request = actions.request_emergency_implementation(
        cm,
        fmso2,
        signed_on=D(2026, 3, 18),
        circumstances="The MoD signed on 18 March; its deposit is held by its finance ministry until April, and the first requisitions support the border brigade's vehicles before the summer rotation.",
        on=D(2026, 3, 20),
    )
    actions.decide_emergency_implementation(
        dsca,
        request,
        "approve",
        decided_by="Country Finance Director, DSCA Office of Business Operations",
        reference="DSCA OBO e-mail of 23 Mar 2026",
        expected_deposit_on=D(2026, 4, 10),
        on=D(2026, 3, 23),
    )
    fmso2 = actions.milestone(partner, fmso2, "accept", D(2026, 3, 24), signed_on=D(2026, 3, 18))
    fmso2 = actions.milestone(cm, fmso2, "implement", D(2026, 3, 25))
    actions.record_deposit(cm, fmso2, D(2026, 4, 10))
    requisition = ClssaRequisition(
        case=fmso2,
        document_number="XBB0KAB6124001",
        item="NSN 5998-01-234-5678 circuit card assembly",
        quantity=4,
        value=Decimal("18400.00"),
        requisitioned_on=D(2026, 5, 4),
    )
    actions.requisition(cm, requisition, reason="demo data")


# === closure and billing (issue 13 items 6–7) ======================================================
# Two more Bandaria cases: XB-B-ZAF, supply/services complete with its quarterly DD Form 645 and
# DSCA's closure hold; XB-B-ZAG, interim-closed with one line closed conditionally (DSCA 26-32).

CLOSURE_CASES = ("XB-B-ZAF", "XB-B-ZAG")


def _delivered(cm, case, planned: dict, on) -> None:
    """Plan and record a delivery of every line (title passes), all on `on`."""
    for line in CaseLine.objects.system().filter(case=case).order_by("number"):
        d = _add(
            cm,
            Delivery(
                case=case,
                line=line,
                planned_on=planned[line.number],
                planned_quantity=line.quantity,
            ),
        )
        actions.record_delivery(cm, d, on, line.quantity)


def _to_implemented(cm, partner, case, steps, signed, deposit, implemented):
    case = _through(cm, case, steps)
    case = actions.milestone(partner, case, "accept", deposit, signed_on=signed, deposit_on=deposit)
    case = actions.update(cm, case, {"case_manager": cm})
    return actions.milestone(cm, case, "implement", implemented)


@core_demo.register
def load_closure_billing(made: dict) -> None:
    from .models import CaseExpenditure
    from .models import Collection

    if FmsCase.objects.system().filter(identifier__in=CLOSURE_CASES).exists():
        return
    orgs = made["orgs"]
    cm = User.objects.get(username="case.manager")
    partner = User.objects.get(username="partner.bandaria")
    dsca = User.objects.get(username="dsca.analyst")
    usasac = orgs["usasac"]
    approvals = {
        "disclosure_approved_on": D(2024, 2, 20),
        "transfer_approved_on": D(2024, 2, 20),
    }
    with transaction.atomic():
        # --- F: field radio sustainment, SSC on 15 Oct 2026, DD Form 645 of Q4 FY2026, CLOSHOLD -
        f = _case(
            cm,
            usasac,
            None,
            "XB-B-ZAF",
            "Field radio sustainment",
            [
                ("AN/PRC-152 radio repair parts", 400, "1500.00", {}),
                ("Depot repair services", 1, "450000.00", {"program_of_record": False}),
            ],
        )
        f = actions.update(cm, f, approvals)
        f = _to_implemented(
            cm,
            partner,
            f,
            [
                ("write", D(2024, 1, 10), {}),
                ("review", D(2024, 2, 1), {}),
                ("propose", D(2024, 3, 1), {}),
                ("approve", D(2024, 4, 1), {}),
                ("offer", D(2024, 4, 5), {}),
            ],
            D(2024, 5, 15),
            D(2024, 5, 20),
            D(2024, 6, 3),
        )
        _delivered(cm, f, {"001": D(2026, 6, 30), "002": D(2026, 6, 30)}, D(2026, 6, 15))
        lines = {ln.number: ln for ln in CaseLine.objects.system().filter(case=f)}
        for due, amount, initial in (
            (D(2024, 5, 20), "300000.00", True),
            (D(2024, 12, 15), "300000.00", False),
            (D(2025, 6, 15), "250000.00", False),
            (D(2026, 3, 15), "200000.00", False),
        ):
            _add(
                cm,
                PaymentScheduleEntry(
                    case=f, due_on=due, amount=Decimal(amount), initial_deposit=initial
                ),
            )
        for received, amount, ref in (
            (D(2024, 5, 20), "300000.00", "Initial deposit"),
            (D(2024, 12, 12), "300000.00", "DD 645 Q1 FY2025"),
            (D(2025, 6, 16), "250000.00", "DD 645 Q3 FY2025"),
            (D(2026, 4, 2), "150000.00", "DD 645 Q2 FY2026, partial"),
        ):
            _add(
                cm, Collection(case=f, received_on=received, amount=Decimal(amount), reference=ref)
            )
        for line, dated, what, obligated, expended in (
            ("001", D(2024, 7, 15), "Parts contract W15P7T-24-C-0310", "600000.00", "0"),
            ("001", D(2026, 6, 15), "Parts delivered", "0", "585000.00"),
            ("002", D(2024, 8, 1), "Depot work order", "450000.00", "0"),
            ("002", D(2026, 8, 31), "Depot repairs performed", "0", "440000.00"),
        ):
            _add(
                cm,
                CaseExpenditure(
                    case=f,
                    line=lines[line],
                    dated=dated,
                    description=what,
                    obligated=Decimal(obligated),
                    expended=Decimal(expended),
                ),
                "CUI",
            )
        f = actions.milestone(
            cm,
            f,
            "complete",
            D(2026, 10, 15),
            services_complete_on=D(2026, 8, 31),
            warranties_end_on=D(2026, 9, 30),
            storage_quantity=0,
        )
        actions.issue_dd645(
            cm,
            f,
            D(2026, 9, 30),
            on=D(2026, 10, 15),
            notes="Q2 FY2026 bill paid in part: the MoD confirmed the balance with the next payment.",
        )
        actions.set_closhold(
            dsca,
            f,
            reason="Final reconciliation for closure (DSCA 25-97 priorities).",
            on=D(2026, 10, 20),
        )

        # --- G: vehicle spare parts, SSC 3 Jun 2024, interim-closed; line 002 conditionally ----
        g = _case(
            cm,
            usasac,
            None,
            "XB-B-ZAG",
            "Light vehicle spare parts",
            [
                ("Light vehicle spare parts kit", 60, "4200.00", {}),
                ("Contractor field service", 1, "180000.00", {"program_of_record": False}),
            ],
        )
        g = actions.update(
            cm,
            g,
            {"disclosure_approved_on": D(2022, 2, 1), "transfer_approved_on": D(2022, 2, 1)},
        )
        g = _to_implemented(
            cm,
            partner,
            g,
            [
                ("write", D(2022, 1, 5), {}),
                ("review", D(2022, 1, 25), {}),
                ("propose", D(2022, 2, 15), {}),
                ("approve", D(2022, 3, 1), {}),
                ("offer", D(2022, 3, 4), {}),
            ],
            D(2022, 4, 20),
            D(2022, 4, 28),
            D(2022, 5, 16),
        )
        _delivered(cm, g, {"001": D(2023, 5, 1), "002": D(2023, 5, 1)}, D(2023, 4, 24))
        _add(
            cm,
            Collection(
                case=g,
                received_on=D(2022, 4, 28),
                amount=Decimal("432000.00"),
                reference="Initial deposit and final bill",
            ),
        )
        g = actions.milestone(
            cm,
            g,
            "complete",
            D(2024, 6, 3),
            services_complete_on=D(2023, 4, 24),
            storage_quantity=0,
        )
        one, two = CaseLine.objects.system().filter(case=g).order_by("number")
        actions.close_line(cm, one, on=D(2024, 6, 10))
        actions.close_line(
            cm, two, on=D(2024, 6, 10), active_contracts="W56HZV-22-C-0117 (final audit open)"
        )
        actions.milestone(cm, g, "interim", D(2024, 7, 1), reason="Accelerated case closure")


# === Excess Defense Articles and DCS license requests (dcseda) ===================================
# Beside Bandaria's cases: Meridian Defense's license for the coastal surveillance radar its
# marketing visit presented (approved with provisos), its TAA for radar maintenance in DDTC review,
# and a competitor's (Arden Aerospace) license that Meridian's user never sees (R-IND-01); one EDA
# grant offer of patrol boats to Bandaria, notified to Congress and offered "as is, where is".

FIRST_DCS = "Coastal surveillance radar, 2 systems"
COMPETITOR = core_demo.company_row("arden", "Arden Aerospace Corp.", "Arden Aerospace")


@core_demo.register
def load_eda_dcs(made: dict) -> None:
    if DcsLicense.objects.system().filter(commodity=FIRST_DCS).exists():
        return
    with transaction.atomic():
        _load_eda_dcs(made)


def _load_eda_dcs(made: dict) -> None:
    from secoop.core.demo import organization_from_row

    orgs = made["orgs"]
    with core.system_writes("demo data"):
        arden, _ = organization_from_row(orgs, *COMPETITOR)
    industry = User.objects.get(username="industry.rep")
    sco_user = User.objects.get(username="sco.bandaria")
    state = User.objects.get(username="state.pm")
    navy_cm = User.objects.get(username="navy.case.manager")
    partner = User.objects.get(username="partner.bandaria")
    meridian, nipo = orgs["company"], orgs["nipo"]
    radar_lor = LetterOfRequest.objects.system().filter(title="Border surveillance radar").first()

    def license_(user, company, commodity, **kw):
        lic = DcsLicense(company=company, country_id="XBN", commodity=commodity, **kw)
        lic.marking = Marking.parse("CUI")
        return actions.create_dcs(user, lic, reason="demo data")

    radar = license_(
        industry,
        meridian,
        FIRST_DCS,
        usml_category="XI(a)",
        license_type="dsp5",
        value=Decimal("7200000"),
    )
    radar = actions.dcs_step(industry, radar, "submit", D(2026, 9, 15), reference="050123456")
    radar = actions.dcs_step(state, radar, "receive", D(2026, 9, 16))
    actions.dcs_decide(
        state,
        radar,
        "approve",
        D(2026, 10, 30),
        provisos="No transfer of source code; end use limited to the Bandaria Coast Guard; Blue Lantern check before delivery.",
    )
    taa = license_(
        industry,
        meridian,
        "Radar maintenance training and depot support",
        usml_category="XI(d)",
        license_type="taa",
        value=Decimal("1400000"),
    )
    taa = actions.dcs_step(industry, taa, "submit", D(2026, 11, 2), reference="TA-2026-0417")
    actions.dcs_step(state, taa, "receive", D(2026, 11, 3))
    # The competitor's license, entered by the SCO that tracks it: it competes with the radar LOR.
    rival = license_(
        sco_user,
        arden,
        "Ground surveillance radar, 2 mobile systems",
        usml_category="XI(a)",
        license_type="dsp5",
        value=Decimal("6900000"),
        lor=radar_lor,
        relation="competes" if radar_lor else "",
    )
    actions.dcs_step(sco_user, rival, "submit", D(2026, 11, 19), reference="050124010")

    offer = EdaOffer(
        title="Excess patrol boats for the Bandaria Coast Guard",
        country_id="XBN",
        owner_org=nipo,
        article="25-foot Defender-class response boat",
        quantity=4,
        authority="faa516",
        terms="grant",
        original_acquisition_value=Decimal("8400000"),
        current_value=Decimal("1260000"),
        condition="repairable",
    )
    offer.marking = Marking.parse(REL)
    offer = actions.create_eda(navy_cm, offer, reason="demo data")
    offer = actions.record_eda_notification(navy_cm, offer, D(2026, 10, 1))
    offer = actions.eda_step(navy_cm, offer, "offer", D(2026, 10, 20))
    actions.eda_recipient_step(partner, offer, "accept", D(2026, 11, 10))
