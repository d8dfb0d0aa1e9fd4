"""Demo data: the planning textbook's Bandaria border-security example [PLAN "Putting the Pieces
Together in a CSCS"] — an AFRICOM campaign plan FY2027–FY2031, its end state, lines of effort,
IMOs (one deliberately failing SMART), lines of activity, the CSCS for Bandaria in five phases,
the activities of each phase with dates, funding and dependencies, assumptions and the annual
planning meetings. Idempotent: nothing is made if the plan exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.core import actions as core
from secoop.core import demo
from secoop.core.markings import Marking
from secoop.core.markings import combine_strict

from . import actions
from .models import Activity
from .models import ActivityDependency
from .models import ActivityFunding
from .models import ActivityType as T
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import GuidanceDocument
from .models import GuidanceKind
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Measure
from .models import Phase
from .models import PlanKind
from .models import PlanningAssumption
from .models import PlanningEvent
from .models import PlanningEventKind
from .models import Term
from .rules import Status

PLAN_TITLE = "AFRICOM Campaign Plan FY2027–FY2031"
D = dt.date
REASON = "demo data"
NOFORN = "CUI//NOFORN"
REL_XBN = "CUI//REL TO USA, XBN"


def _make(record, marking: str = "CUI"):
    record.marking = Marking.parse(marking)
    actions.check(record)
    return core.system_create(record, reason=REASON)


# (key, kind, title, issued by, date, country, owner key, marking)
GUIDANCE = [
    (
        "nss",
        GuidanceKind.NSS,
        "National Security Strategy",
        "The White House",
        D(2025, 12, 4),
        None,
        "osd",
        "UNCLASSIFIED",
    ),
    (
        "nds",
        GuidanceKind.NDS,
        "National Defense Strategy",
        "Secretary of Defense",
        D(2026, 1, 23),
        None,
        "osd",
        "UNCLASSIFIED",
    ),
    (
        "jscp",
        GuidanceKind.JSCP,
        "Joint Strategic Campaign Plan — unclassified extract",
        "Joint Staff J5",
        D(2026, 3, 1),
        None,
        "js",
        "CUI",
    ),
    (
        "gef",
        GuidanceKind.GEF,
        "Security cooperation planning guidance — AFRICOM extract",
        "OUSD(P)",
        D(2026, 4, 15),
        None,
        "osd",
        NOFORN,
    ),
    (
        "ics",
        GuidanceKind.ICS,
        "Integrated Country Strategy: Bandaria",
        "U.S. Embassy Bandaria",
        D(2026, 6, 30),
        "XBN",
        "embassy",
        "UNCLASSIFIED//REL TO USA, XBN",
    ),
]

# Phases of the CSCS (one per fiscal year of the plan).
PHASES = [
    (1, "Build support and set conditions", D(2026, 10, 1), D(2027, 9, 30)),
    (
        2,
        "Individual training, acquisition and institution building",
        D(2027, 10, 1),
        D(2028, 9, 30),
    ),
    (3, "Advanced and logistics training, exchanges", D(2028, 10, 1), D(2029, 9, 30)),
    (4, "Sustain support, interoperability", D(2029, 10, 1), D(2030, 9, 30)),
    (5, "Certification and interagency operations", D(2030, 10, 1), D(2031, 9, 30)),
]

# (key, title, type, LOA key, phase, sponsor key, start, end, status, location, program, authority,
#  U.S. participants, partner participants, needs forces, marking, [(FY, source, amount)])
ACTIVITIES = [
    (
        "kle1",
        "Key leader engagement: Chief of Defence and the Law Enforcement Working Group",
        T.KLE,
        "support",
        1,
        "sco",
        D(2026, 10, 20),
        D(2026, 10, 21),
        Status.COMPLETED,
        "Bandar City",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "SDO/DATT, SCO chief, Embassy LEWG",
        "Chief of Defence, Director General Border Police",
        False,
        REL_XBN,
        [(2027, "om", "18500")],
    ),
    (
        "talks1",
        "Interagency staff talks on border security",
        T.STAFF_TALKS,
        "support",
        1,
        "africom",
        D(2026, 11, 17),
        D(2026, 11, 19),
        Status.COMPLETED,
        "Bandar City",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "AFRICOM J5, DoS INL, DHS CBP attaché",
        "MoD J3/J5, Ministry of Interior",
        False,
        REL_XBN,
        [(2027, "om", "42000")],
    ),
    (
        "assess",
        "Border brigade capability assessment",
        T.ASSESSMENT,
        "support",
        1,
        "africom",
        D(2027, 1, 11),
        D(2027, 1, 29),
        Status.PLANNED,
        "Northern frontier",
        "Section 333 (assessment)",
        "10 U.S.C. 333",
        "AFRICOM assessment team, USARAF",
        "1st Border Brigade staff",
        False,
        "CUI",
        [(2027, "om", "95000")],
    ),
    (
        "vetting",
        "Human rights (Leahy) vetting of the border brigade",
        T.VETTING,
        "support",
        1,
        "sco",
        D(2027, 2, 1),
        D(2027, 4, 30),
        Status.PLANNED,
        "U.S. Embassy Bandaria",
        "Leahy vetting (INVEST)",
        "10 U.S.C. 362; 22 U.S.C. 2378d",
        "SCO, Embassy political section",
        "1st Border Brigade (412 personnel)",
        False,
        NOFORN,
        [],
    ),
    (
        "disclosure",
        "Foreign disclosure and technology transfer review: ground surveillance radar",
        T.DISCLOSURE_REVIEW,
        "support",
        1,
        "africom",
        D(2027, 2, 1),
        D(2027, 3, 31),
        Status.PLANNED,
        "AFRICOM HQ, Stuttgart",
        "FMS",
        "22 U.S.C. 2751 et seq.",
        "AFRICOM foreign disclosure office, DTSA",
        "",
        False,
        NOFORN,
        [],
    ),
    (
        "notify",
        "Congressional notification: Section 333 border security package",
        T.CONGRESSIONAL_NOTIFICATION,
        "support",
        1,
        "africom",
        D(2027, 3, 15),
        D(2027, 4, 15),
        Status.PLANNED,
        "Washington, DC",
        "Section 333",
        "10 U.S.C. 333(e)",
        "OUSD(P), DSCA",
        "",
        False,
        "CUI",
        [],
    ),
    (
        "leadtimes",
        "Production lead-time review with USASAC and industry",
        T.CONFERENCE,
        "support",
        1,
        "sco",
        D(2027, 5, 3),
        D(2027, 5, 5),
        Status.PLANNED,
        "USASAC, Redstone Arsenal",
        "FMS",
        "22 U.S.C. 2762",
        "USASAC, Meridian Defense",
        "MoD armaments directorate",
        False,
        "CUI",
        [],
    ),
    (
        "jcet",
        "Joint combined exchange training: border reconnaissance",
        T.EXERCISE,
        "equip",
        1,
        "africom",
        D(2027, 8, 2),
        D(2027, 8, 27),
        Status.PROPOSED,
        "Northern frontier",
        "JCET",
        "10 U.S.C. 322",
        "SOCAFRICA detachment (12)",
        "1st Border Brigade reconnaissance company",
        True,
        "CUI",
        [(2027, "om", "310000")],
    ),
    (
        "station",
        "Visit to border police stations on the eastern frontier",
        T.KLE,
        None,
        1,
        "sco",
        D(2027, 6, 8),
        D(2027, 6, 10),
        Status.PROPOSED,
        "Eastern frontier",
        "",
        "",
        "SCO",
        "Border Police regional command",
        False,
        "CUI",
        [],
    ),
    (
        "fmf",
        "FMF purchase of ground surveillance radars (FMS case)",
        T.ACQUISITION,
        "equip",
        2,
        "sco",
        D(2027, 10, 1),
        D(2028, 9, 30),
        Status.PLANNED,
        "",
        "FMF",
        "22 U.S.C. 2763",
        "USASAC case manager",
        "MoD armaments directorate",
        False,
        "CUI",
        [(2027, "fmf", "2400000"), (2028, "fmf", "1100000")],
    ),
    (
        "bpc",
        "Section 333 delivery: patrol vehicles and night-vision devices",
        T.EQUIPMENT_DELIVERY,
        "equip",
        2,
        "africom",
        D(2027, 11, 1),
        D(2027, 12, 15),
        Status.PLANNED,
        "Port of Bandar City",
        "Section 333",
        "10 U.S.C. 333",
        "USASAC, SCO",
        "1st Border Brigade logistics battalion",
        False,
        "CUI",
        [(2027, "bpc", "4750000")],
    ),
    (
        "dcs",
        "DCS purchase of tactical radios",
        T.ACQUISITION,
        "equip",
        2,
        "sco",
        D(2027, 11, 15),
        D(2028, 6, 30),
        Status.PROPOSED,
        "",
        "DCS",
        "22 U.S.C. 2778",
        "SCO (export licence support)",
        "MoD armaments directorate",
        False,
        "CUI",
        [(2028, "partner", "860000")],
    ),
    (
        "mtt",
        "Border patrol individual training (mobile training team)",
        T.MTT,
        "equip",
        2,
        "africom",
        D(2028, 1, 10),
        D(2028, 3, 31),
        Status.PLANNED,
        "Border training centre, Kessa",
        "Section 333",
        "10 U.S.C. 333",
        "USARAF MTT (8)",
        "1st Border Brigade (3 companies)",
        True,
        "CUI",
        [(2028, "bpc", "620000")],
    ),
    (
        "dv",
        "DV orientation tour: MoD leadership to U.S. Border Patrol sectors",
        T.DV_TOUR,
        "dib",
        2,
        "sco",
        D(2028, 4, 10),
        D(2028, 4, 17),
        Status.PROPOSED,
        "El Paso and Tucson sectors",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "SCO, DHS CBP",
        "Minister of Defence, Chief of Defence, DG Border Police",
        False,
        REL_XBN,
        [(2028, "om", "65000")],
    ),
    (
        "hr",
        "Institution building: human resources management for the border force",
        T.INSTITUTION_BUILDING,
        "dib",
        2,
        "sco",
        D(2027, 11, 1),
        D(2028, 6, 30),
        Status.PLANNED,
        "Ministry of Defence",
        "Institutional capacity building",
        "10 U.S.C. 332",
        "DSCA institutional capacity building advisers",
        "MoD personnel directorate",
        False,
        "CUI",
        [(2028, "dib", "310000")],
    ),
    (
        "budget",
        "Institution building: defense budgeting workshop",
        T.INSTITUTION_BUILDING,
        "dib",
        2,
        "sco",
        D(2028, 1, 24),
        D(2028, 1, 28),
        Status.PLANNED,
        "Ministry of Defence",
        "Institutional capacity building",
        "10 U.S.C. 332",
        "DSCA, Defense Institute of International Legal Studies",
        "MoD finance directorate",
        False,
        "CUI",
        [(2028, "dib", "140000")],
    ),
    (
        "ex1",
        "Joint interagency exercise: border security cell (observers)",
        T.EXERCISE,
        "equip",
        2,
        "africom",
        D(2028, 6, 5),
        D(2028, 6, 16),
        Status.PROPOSED,
        "Regional exercise area",
        "Joint Exercise Program",
        "10 U.S.C. 321",
        "USARAF, DHS CBP",
        "1st Border Brigade staff (observers)",
        True,
        REL_XBN,
        [(2028, "om", "85000")],
    ),
    (
        "course",
        "Advanced border operations course",
        T.TRAINING_COURSE,
        "equip",
        3,
        "sco",
        D(2028, 11, 6),
        D(2029, 2, 15),
        Status.PROPOSED,
        "U.S. Army Maneuver Center, Fort Benning",
        "IMET",
        "22 U.S.C. 2347",
        "",
        "12 officers and NCOs",
        False,
        "CUI",
        [(2029, "imet", "210000")],
    ),
    (
        "logistics",
        "Logistics and sustainment training",
        T.MTT,
        "equip",
        3,
        "africom",
        D(2029, 3, 4),
        D(2029, 5, 24),
        Status.PROPOSED,
        "Border training centre, Kessa",
        "Section 333",
        "10 U.S.C. 333",
        "USARAF logistics MTT (6)",
        "Brigade support battalion",
        True,
        "CUI",
        [(2029, "bpc", "480000")],
    ),
    (
        "support",
        "Support element equipment and training",
        T.EQUIPMENT_DELIVERY,
        "equip",
        3,
        "sco",
        D(2029, 1, 7),
        D(2029, 4, 27),
        Status.PROPOSED,
        "Kessa garrison",
        "FMF",
        "22 U.S.C. 2763",
        "USASAC",
        "Brigade support battalion",
        False,
        "CUI",
        [(2029, "fmf", "1350000")],
    ),
    (
        "exchange",
        "Officer and NCO exchanges with U.S. Border Patrol",
        T.EXCHANGE,
        "certify",
        3,
        "sco",
        D(2029, 4, 1),
        D(2029, 7, 31),
        Status.PROPOSED,
        "U.S. Border Patrol Academy, Artesia",
        "Section 333",
        "10 U.S.C. 333",
        "DHS CBP",
        "8 officers and NCOs",
        False,
        "CUI",
        [(2029, "om", "120000")],
    ),
    (
        "ex2",
        "Joint interagency exercise: border security (participants)",
        T.EXERCISE,
        "equip",
        3,
        "africom",
        D(2029, 8, 6),
        D(2029, 8, 24),
        Status.PROPOSED,
        "Northern frontier",
        "Joint Exercise Program",
        "10 U.S.C. 321",
        "USARAF battalion task force, DHS CBP",
        "1st Border Brigade",
        True,
        REL_XBN,
        [(2029, "om", "640000"), (2029, "partner", "150000")],
    ),
    (
        "kle4",
        "Key leader engagement: program progress review",
        T.KLE,
        "certify",
        4,
        "sco",
        D(2029, 11, 18),
        D(2029, 11, 19),
        Status.PROPOSED,
        "Bandar City",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "AFRICOM Deputy Commander, SCO",
        "Minister of Defence, Chief of Defence",
        False,
        REL_XBN,
        [(2030, "om", "20000")],
    ),
    (
        "talks4",
        "Military staff talks FY2030",
        T.STAFF_TALKS,
        "certify",
        4,
        "africom",
        D(2030, 2, 10),
        D(2030, 2, 12),
        Status.PROPOSED,
        "AFRICOM HQ, Stuttgart",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "AFRICOM J3/J5",
        "MoD J3/J5",
        False,
        REL_XBN,
        [(2030, "om", "45000")],
    ),
    (
        "interop",
        "Interoperability workshop: communications and common operating picture",
        T.CONFERENCE,
        "certify",
        4,
        "africom",
        D(2030, 6, 8),
        D(2030, 6, 12),
        Status.PROPOSED,
        "Bandar City",
        "Section 333",
        "10 U.S.C. 333",
        "AFRICOM J6",
        "Brigade signal company",
        False,
        "CUI",
        [(2030, "om", "75000")],
    ),
    (
        "kle5",
        "Key leader engagement and staff talks: transition to partner lead",
        T.STAFF_TALKS,
        "certify",
        5,
        "sco",
        D(2030, 11, 16),
        D(2030, 11, 18),
        Status.PROPOSED,
        "Bandar City",
        "Traditional CCMD activities",
        "10 U.S.C. 321",
        "AFRICOM J5, SCO",
        "MoD leadership",
        False,
        REL_XBN,
        [(2031, "om", "22000")],
    ),
    (
        "certify",
        "Certification of border units",
        T.CERTIFICATION,
        "certify",
        5,
        "africom",
        D(2031, 3, 2),
        D(2031, 6, 26),
        Status.PROPOSED,
        "Northern frontier",
        "Section 333",
        "10 U.S.C. 333",
        "USARAF evaluation team",
        "1st Border Brigade",
        False,
        "CUI",
        [(2031, "bpc", "390000")],
    ),
    (
        "iaops",
        "Detailed planning for interagency border operations",
        T.CONFERENCE,
        "certify",
        5,
        "sco",
        D(2031, 7, 13),
        D(2031, 7, 17),
        Status.PROPOSED,
        "Ministry of Interior",
        "International narcotics control and law enforcement",
        "22 U.S.C. 2291",
        "DoS INL, DHS CBP",
        "MoD, Ministry of Interior",
        False,
        "CUI",
        [(2031, "state", "180000")],
    ),
]

# (predecessor, successor, lag days, why)
DEPENDENCIES = [
    ("kle1", "talks1", 0, "buy-in before interagency talks"),
    ("assess", "vetting", 0, "the unit is selected by the assessment"),
    ("vetting", "jcet", 0, "vetting before training"),
    ("vetting", "mtt", 0, "vetting before training"),
    ("notify", "bpc", 15, "congressional notification before a BPC delivery"),
    ("disclosure", "fmf", 0, "disclosure review before the FMS case"),
    ("leadtimes", "fmf", 0, "production lead times known before the case"),
    ("mtt", "course", 0, "individual training before advanced training"),
    ("bpc", "mtt", 0, "vehicles delivered before patrol training"),
    ("logistics", "ex2", 0, "sustainment before the exercise"),
    ("ex1", "ex2", 0, "observers first, then participants"),
    ("ex2", "certify", 0, "exercise before certification"),
    ("exchange", "certify", 0, "exchanges before certification"),
    (
        "certify",
        "iaops",
        16,
        "certification report and after-action review before operations planning",
    ),
]


@demo.register
def load(made: dict) -> None:
    if CampaignPlan.objects.system().filter(title=PLAN_TITLE).exists():
        return
    orgs = made["orgs"]
    africom = orgs["africom"]

    guidance = {}
    for key, kind, title, by, issued, country, owner, marking in GUIDANCE:
        guidance[key] = _make(
            GuidanceDocument(
                kind=kind,
                title=title,
                issued_by=by,
                issued_on=issued,
                country_id=country,
                owner_org=orgs[owner],
                summary=f"{title}: the guidance the AFRICOM campaign plan derives from.",
            ),
            marking,
        )

    plan = _make(
        CampaignPlan(
            kind=PlanKind.CCP,
            title=PLAN_TITLE,
            owner_org=africom,
            start_fy=2027,
            end_fy=2031,
            summary="How AFRICOM achieves its theater strategic end states through security cooperation, FY2027–FY2031.",
        )
    )
    actions.write_guidance(plan, [guidance[k].pk for k in ("nss", "nds", "jscp", "gef")])

    border_es = _make(
        EndState(
            campaign_plan=plan,
            kind="theater",
            priority=1,
            title="Partners in the Sahel secure their borders against illicit trafficking and violent extremist movement",
            description="Country-level objective for Bandaria: the border brigade controls the northern frontier.",
        )
    )
    _make(
        EndState(
            campaign_plan=plan,
            kind="sc_objective",
            priority=2,
            title="Partners contribute forces to regional peace operations",
        )
    )
    border = _make(
        LineOfEffort(
            campaign_plan=plan,
            end_state=border_es,
            country_id="XBN",
            sequence=1,
            name="Border security",
            description="SSCI: a vetted, equipped and certified border brigade.",
        )
    )
    dib = _make(
        LineOfEffort(
            campaign_plan=plan,
            end_state=border_es,
            country_id="XBN",
            sequence=2,
            name="Defense institution building",
            description="So that Bandaria sustains the capability in the long run.",
        )
    )

    near = _make(
        IntermediateObjective(
            line_of_effort=border,
            term=Term.NEAR,
            end_state=border_es,
            priority=1,
            deadline=D(2027, 9, 30),
            title="Support built and the border brigade vetted and selected",
            statement="The MoD commits the 1st Border Brigade to the program and the brigade passes vetting",
            by_whom="Bandaria MoD and 1st Border Brigade",
            with_whom="SCO Bandaria, Embassy LEWG, AFRICOM J5",
            authority="10 U.S.C. 333; Traditional CCMD activities",
            resources="O&M $155,500 FY2027; SCO staff",
            partner_agreement_on=D(2026, 10, 21),
            political_risk_considered=True,
            fiscal_risk_considered=True,
            risk_notes="Elections in 2027 could shift MoD priorities.",
        ),
        NOFORN,
    )
    mid = _make(
        IntermediateObjective(
            line_of_effort=border,
            term=Term.MID,
            end_state=border_es,
            priority=1,
            deadline=D(2029, 9, 30),
            title="Border brigade patrols the northern frontier day and night with its own logistics",
            statement="Three border companies patrol the northern frontier day and night, sustained by the brigade support battalion",
            by_whom="1st Border Brigade",
            with_whom="USARAF, DHS CBP",
            authority="10 U.S.C. 333; FMF (22 U.S.C. 2763); IMET",
            resources="BPC $6.24M, FMF $4.85M, IMET $0.21M FY2027–FY2029",
            partner_agreement_on=D(2026, 11, 19),
            political_risk_considered=True,
            fiscal_risk_considered=True,
        ),
        NOFORN,
    )
    long = _make(
        IntermediateObjective(
            line_of_effort=border,
            term=Term.LONG,
            end_state=border_es,
            priority=2,
            deadline=D(2031, 9, 30),
            title="Bandaria certifies its border units and runs interagency border operations",
            statement="The MoD certifies border units to its own standard and plans interagency border operations with the Ministry of Interior",
            by_whom="Bandaria MoD",
            with_whom="Ministry of Interior, DoS INL",
            authority="10 U.S.C. 333",
            resources="",
            political_risk_considered=True,
        ),
        NOFORN,
    )  # deliberately failing SMART: no measure, no resources, no partner agreement, no fiscal risk
    dib_imo = _make(
        IntermediateObjective(
            line_of_effort=dib,
            term=Term.MID,
            end_state=border_es,
            priority=2,
            deadline=D(2029, 9, 30),
            title="MoD budgets for and staffs the border force",
            statement="The MoD budget funds border force operations and its personnel system retains trained soldiers",
            by_whom="Bandaria MoD personnel and finance directorates",
            with_whom="DSCA institutional capacity building",
            authority="10 U.S.C. 332",
            resources="DIB $450,000 FY2028",
            partner_agreement_on=D(2026, 11, 19),
            political_risk_considered=True,
            fiscal_risk_considered=True,
        ),
        NOFORN,
    )

    for imo, kind, indicator, method, unit, baseline, target, target_on in [
        (
            near,
            "MOP",
            "Brigade personnel vetted",
            "Vetting results from INVEST, reported by the SCO",
            "personnel",
            "0",
            "412",
            D(2027, 4, 30),
        ),
        (
            near,
            "MOE",
            "MoD border security budget line",
            "Annual MoD budget law",
            "USD",
            "0",
            "1500000",
            D(2027, 9, 30),
        ),
        (
            mid,
            "MOP",
            "Companies trained for day and night patrol",
            "MTT course reports",
            "companies",
            "0",
            "3",
            D(2028, 3, 31),
        ),
        (
            mid,
            "MOE",
            "Illicit crossings interdicted per month",
            "Border brigade monthly reports, verified by the SCO",
            "interdictions",
            "4",
            "25",
            D(2029, 9, 30),
        ),
        (
            dib_imo,
            "MOE",
            "Trained soldiers retained after 24 months",
            "MoD personnel records, sampled annually",
            "percent",
            "55",
            "80",
            D(2029, 9, 30),
        ),
    ]:
        _make(
            Measure(
                imo=imo,
                kind=kind,
                indicator=indicator,
                method=method,
                unit=unit,
                baseline=Decimal(baseline),
                baseline_on=D(2026, 10, 1),
                target=Decimal(target),
                target_on=target_on,
            ),
            NOFORN,
        )

    loas = {
        "support": _make(LineOfActivity(imo=near, name="Build support and set conditions")),
        "equip": _make(LineOfActivity(imo=mid, name="Equip and train the border brigade")),
        "dib": _make(LineOfActivity(imo=dib_imo, name="Human resources and budgeting")),
        "certify": _make(LineOfActivity(imo=long, name="Sustain, certify and hand over")),
    }

    cscs = _make(
        CountryPlan(
            campaign_plan=plan,
            country_id="XBN",
            owner_org=africom,
            version=1,
            issued_on=D(2026, 10, 15),
            start_fy=2027,
            end_fy=2031,
            ics=guidance["ics"],
            title="Bandaria country-specific security cooperation section (CSCS)",
            country_assessment=(
                "Bandaria faces illicit trafficking and violent extremist movement across its northern frontier. The 1st Border "
                "Brigade is under-equipped, cannot patrol at night and depends on ad hoc logistics. The MoD has no budget line for "
                "border operations and loses trained soldiers to the police. Political will is strong after the 2026 incidents."
            ),
            country_objectives="CLO 1: Bandaria secures its northern border (LOE Border security, supported by LOE Defense institution building).",
            ccp_reference="AFRICOM Campaign Plan FY2027–FY2031, Annex C (Bandaria), LOE Border security.",
            ics_reference="Integrated Country Strategy: Bandaria, Mission Objective 2 (border security and rule of law).",
            concept_of_engagement=(
                "Phase 1 builds support (KLE, staff talks), assesses and vets the unit, notifies Congress and clears disclosure. "
                "Phase 2 equips (FMF, FMS, DCS, Section 333) and trains individuals, with DV tours and institution building; the "
                "brigade observes a joint interagency exercise. Phase 3 adds advanced and logistics training and exchanges and "
                "culminates in a second exercise. Phases 4 and 5 sustain support through KLE and staff talks while the brigade "
                "works on interoperability, is certified and plans interagency operations."
            ),
            coordinating_instructions=(
                "SCO Bandaria enters and refines activities and their assessments (SAMM C2.1.3.2.3). AFRICOM J5 reviews the "
                "synchronization matrix at the Regional Working Group and finalizes it with the MoD at the Annual Planning Conference."
            ),
        ),
        NOFORN,
    )
    phases = {
        n: _make(Phase(country_plan=cscs, number=n, name=name, start_date=s, end_date=e))
        for n, name, s, e in PHASES
    }

    lead = actions.default_rff_lead_days()
    acts: dict[str, Activity] = {}
    for (
        key,
        title,
        kind,
        loa,
        phase,
        sponsor,
        start,
        end,
        status,
        location,
        program,
        authority,
        us,
        partner,
        forces,
        marking,
        funding,
    ) in ACTIVITIES:
        activity = Activity(
            title=title,
            activity_type=kind,
            line_of_activity=loas[loa] if loa else None,
            country_id="XBN",
            country_plan=cscs,
            phase=phases[phase],
            owner_org=orgs[sponsor],
            start_date=start,
            end_date=end,
            status=status,
            location=location,
            program=program,
            authority=authority,
            us_participants=us,
            partner_participants=partner,
            needs_us_forces=forces,
            rff_lead_days=lead if forces else None,
            rff_submitted_on=D(2026, 7, 15) if key in ("mtt", "ex1") else None,
        )
        if status == Status.COMPLETED:
            activity.completed_on = activity.assessment_due = end
        if key == "kle1":
            activity.assessed_on = D(2026, 10, 28)
            activity.assessment = (
                "MoD and Ministry of Interior agreed to commit the 1st Border Brigade; expectations on "
                "equipment timelines were set. Follow up on the MoD budget line at the staff talks."
            )
            activity.assessed_by = made["users"]["sco.bandaria"]
        acts[key] = _make(activity, marking)
        for fy, source, amount in funding:
            _make(
                ActivityFunding(
                    activity=acts[key], fiscal_year=fy, source=source, amount=Decimal(amount)
                ),
                marking,
            )

    for pred, succ, lag, why in DEPENDENCIES:
        dep = ActivityDependency(
            predecessor=acts[pred], successor=acts[succ], lag_days=lag, note=why
        )
        _make(dep, str(combine_strict([acts[pred].marking, acts[succ].marking])))

    for statement, valid, necessary, review_on, rationale, country_level in [
        (
            "Bandaria's government keeps border security a national priority through FY2031.",
            True,
            True,
            D(2027, 9, 1),
            "The CLO depends on it; review after the 2027 elections.",
            True,
        ),
        (
            "The 1st Border Brigade passes human rights vetting without remediation.",
            True,
            True,
            D(2026, 11, 1),
            "Training and equipment cannot start otherwise (vetting before training).",
            True,
        ),
        (
            "Section 333 funds for AFRICOM stay at or above the FY2026 level.",
            True,
            True,
            D(2027, 1, 15),
            "The equip-and-train line rests on Section 333.",
            False,
        ),
    ]:
        _make(
            PlanningAssumption(
                campaign_plan=plan,
                country_plan=cscs if country_level else None,
                owner_org=africom,
                statement=statement,
                valid=valid,
                necessary=necessary,
                review_on=review_on,
                rationale=rationale,
            ),
            NOFORN,
        )

    for kind, title, start, end, location, country, marking in [
        (
            PlanningEventKind.TSC,
            "AFRICOM Theater Strategy Conference FY2027",
            D(2026, 12, 8),
            D(2026, 12, 10),
            "Stuttgart, Germany",
            None,
            "CUI",
        ),
        (
            PlanningEventKind.RWG,
            "Sahel Regional Working Group FY2027",
            D(2027, 2, 22),
            D(2027, 2, 25),
            "Stuttgart, Germany",
            None,
            "CUI",
        ),
        (
            PlanningEventKind.SCETWG,
            "AFRICOM SCETWG FY2027",
            D(2027, 4, 12),
            D(2027, 4, 16),
            "Garmisch, Germany",
            None,
            "CUI",
        ),
        (
            PlanningEventKind.APC,
            "Bandaria Annual Planning Conference FY2027",
            D(2027, 7, 19),
            D(2027, 7, 21),
            "Bandar City",
            "XBN",
            REL_XBN,
        ),
    ]:
        _make(
            PlanningEvent(
                kind=kind,
                title=title,
                fiscal_year=start.year + (start.month >= 10),
                start_date=start,
                end_date=end,
                location=location,
                country_id=country,
                owner_org=africom,
            ),
            marking,
        )
