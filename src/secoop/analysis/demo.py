"""Demo data: Bandaria's border-security gaps with realistic options (the chapter's CSCS example),
and analyses for Ghana, Senegal and Niger in the same command, so that a scenario has countries
competing for the same programs' money. Niger's partner has no will to play its role (R-CBA-02):
its option is kept and flagged, never resourced. Marked CUI//NOFORN: U.S. staff only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.core import demo
from secoop.core.actions import system_create
from secoop.core.markings import Marking
from secoop.planning.models import CampaignPlan
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import LineOfEffort
from secoop.planning.models import Measure
from secoop.planning.models import Term

from . import models as m

MARKING = "CUI//NOFORN"
REASON = "demo data"
D = Decimal
BANDARIA_TITLE = "Bandaria 1st Border Brigade: interdiction on the northern frontier"


def _make(record, marking: str = MARKING):
    record.marking = Marking.parse(marking)
    return system_create(record, reason=REASON)


CONSIDERATIONS = {
    "prioritizing": "Night surveillance first: most crossings happen at night (high operational risk, high urgency).",
    "deriving": "The CCP's border-security end state for the Sahel; the ICS goal of countering illicit trafficking.",
    "integrating": "Army (USARAF) training, Air Force ISR liaison and DHS CBP advisers work one brigade plan.",
    "balancing": "Materiel only with the training and sustainment to absorb it; institution building in parallel.",
    "sequencing": "Training and doctrine in FY2028, towers and sustainment FY2028–FY2030, certification after.",
    "resourcing": "About $6M over three years across 333, FMF and DIB; partner funds fuel and spares.",
}


def _analysis(imo, country, owner, title, role, desire, required, current, **extra):
    return _make(
        m.CapabilityAnalysis(
            imo=imo,
            country_id=country,
            owner_org=owner,
            title=title,
            partner_role=role,
            partner_desire=desire,
            required_capability=required,
            current_capability=current,
            status="ready",
            **{**CONSIDERATIONS, **extra},
        )
    )


def _option(gap, title, effect, lead, costs, programs, support, **extra):
    option = _make(
        m.SolutionOption(
            gap=gap,
            title=title,
            expected_effect=D(effect),
            lead_time_months=lead,
            dod_support="dod" in support,
            dos_support="dos" in support,
            partner_support="partner" in support,
            **extra,
        )
    )
    for fy, amount in costs.items():
        _make(m.OptionCost(option=option, fiscal_year=fy, amount=D(amount)))
    option.programs.add(*m.Program.objects.system().filter(key__in=programs))
    return option


def _imo(plan, country, name, title, priority, end_state=None):
    """Another country's IMO under the command's plan, complete enough to pass SMART (R-PLN-02):
    the plan's approval is refused only for the IMO planning's demo leaves failing on purpose."""
    loe = _make(
        LineOfEffort(campaign_plan=plan, country_id=country, name=name, sequence=10), "CUI//NOFORN"
    )
    imo = _make(
        IntermediateObjective(
            line_of_effort=loe,
            term=Term.MID,
            title=title,
            statement=f"{title}, with U.S. support, by September 2030.",
            by_whom=title.split(" ")[0] + " defense forces",
            with_whom="AFRICOM and the U.S. embassy country team",
            authority="10 U.S.C. 333",
            resources="10 U.S.C. 333 and FMF, per the resourcing scenarios",
            partner_agreement_on=dt.date(2026, 10, 1),
            political_risk_considered=True,
            fiscal_risk_considered=True,
            end_state=end_state,
            priority=priority,
            deadline=dt.date(2030, 9, 30),
        )
    )
    _make(
        Measure(
            imo=imo,
            kind="MOE",
            indicator="Share of the task the partner performs without U.S. help",
            method="Annual CCMD assessment against the task's standard",
            unit="percent",
            baseline=D("10"),
            baseline_on=dt.date(2026, 10, 1),
            target=D("70"),
            target_on=dt.date(2030, 9, 30),
        )
    )
    return imo


@demo.register
def load(made: dict) -> None:
    if m.CapabilityAnalysis.objects.system().filter(title=BANDARIA_TITLE).exists():
        return
    africom = made["orgs"]["africom"]
    imos = IntermediateObjective.objects.system()
    patrol = imos.filter(title__startswith="Border brigade patrols the northern frontier").first()
    budgets_imo = imos.filter(title="MoD budgets for and staffs the border force").first()
    plan = CampaignPlan.objects.system().filter(owner_org=africom).order_by("pk").first()
    if patrol is None or plan is None:
        return  # planning's demo is not loaded

    # --- Bandaria: the chapter's border-security example -----------------------------------------
    a = _analysis(
        patrol,
        "XBN",
        africom,
        BANDARIA_TITLE,
        "The 1st Border Brigade detects and interdicts illicit cross-border movement on the northern frontier, day and night.",
        "willing",
        "Three border companies patrol 24/7, detect movement at night at 5 km, and sustain their vehicles in the field.",
        "Daylight patrols only; no night detection; a third of the vehicles down for parts.",
        desire_notes="The MoD committed the brigade (21 Oct 2026); parliament funds fuel; public support after the 2026 incidents.",
        operational_risk="high",
        political_risk="moderate",
        urgency="high",
    )
    night = _make(
        m.Gap(analysis=a, title="No night surveillance of the northern frontier", dotmlpf="M",
            required="Detect movement at night at 5 km", current="Daylight observation posts", risk="high")
    )  # fmt: skip
    training = _make(
        m.Gap(analysis=a, title="Border companies lack interdiction training", dotmlpf="T",
            required="Company-level interdiction drills", current="Basic infantry training", risk="high")
    )  # fmt: skip
    sustain = _make(
        m.Gap(analysis=a, title="The support battalion cannot keep the vehicles running", dotmlpf="F",
            required="Field maintenance and a spare-parts system", current="Ad hoc repairs", risk="moderate")
    )  # fmt: skip
    doctrine = _make(
        m.Gap(analysis=a, title="No maintenance doctrine or SOPs", dotmlpf="D", risk="moderate")
    )
    towers = _option(
        night, "Thermal surveillance towers at 12 border posts", "0.70", 18,
        {2028: "2400000", 2029: "1100000"}, ["10 USC 333", "FMF"], {"dod", "dos", "partner"},
        description="Fixed towers with thermal cameras and a brigade operations-centre feed.",
    )  # fmt: skip
    kits = _option(
        night, "Night-vision kits for patrols", "0.45", 12, {2028: "900000"},
        ["10 USC 333", "FMF"], {"dod", "partner"},
    )  # fmt: skip
    towers.excludes.add(kits)
    mtt = _option(
        training, "Mobile training team: border interdiction (3 companies)", "0.60", 9,
        {2028: "350000", 2029: "350000"}, ["10 USC 333", "10 USC 321"], {"dod", "dos", "partner"},
    )  # fmt: skip
    _option(
        training, "IMET: NCO academy seats", "0.30", 12, {2028: "120000", 2029: "120000"},
        ["IMET"], {"dos", "partner"},
    )  # fmt: skip
    sops = _option(
        doctrine, "Maintenance doctrine and SOPs with DIB advisers", "0.25", 9, {2028: "200000"},
        ["10 USC 332"], {"dod", "dos", "partner"},
    )  # fmt: skip
    shop = _option(
        sustain, "Brigade maintenance facility and spare-parts package", "0.50", 18,
        {2029: "1500000", 2030: "600000"}, ["10 USC 333", "FMF"], {"dod"},
    )  # fmt: skip
    shop.requires.add(sops)
    towers.requires.add(mtt)
    for gap, kind, provider, text, fy, amount in (
        (sustain, "partner", "Bandaria MoD", "Fuel and spare parts in the defence budget", 2029, "300000"),
        (night, "third_country", "France", "Renovation of four border posts", 2028, "400000"),
        (night, "us_agency", "DoS INL (INCLE)", "Border police radios", 2029, "200000"),
    ):  # fmt: skip
        _make(m.PlannedResource(gap=gap, provider_kind=kind, provider=provider, description=text, fiscal_year=fy, amount=D(amount)))  # fmt: skip
    if budgets_imo is not None:
        inst = _analysis(
            budgets_imo, "XBN", africom,
            "Bandaria MoD: budgeting for and retaining the border force",
            "The MoD personnel and finance directorates budget for the border force and retain its trained soldiers.",
            "uncertain",
            "A personnel system that keeps trained soldiers five years.",
            "Half of trained soldiers leave within two years.",
            role_kind="governance",
        )  # fmt: skip
        retention = _make(m.Gap(analysis=inst, title="Trained soldiers leave", dotmlpf="P", risk="moderate"))  # fmt: skip
        _option(
            retention, "Ministry of Defense Advisor to the personnel directorate", "0.50", 9,
            {2028: "250000", 2029: "250000"}, ["10 USC 332(a) MoDA"], {"dod", "dos"},
        )  # fmt: skip

    # --- other AFRICOM partners competing for the same money ---------------------------------
    gha = _analysis(
        _imo(plan, "GHA", "Maritime security (Ghana)", "Ghana Navy patrols its EEZ with its own maritime picture", 2, patrol.end_state),
        "GHA", africom, "Ghana Navy: maritime domain awareness in the Gulf of Guinea",
        "The Ghana Navy detects and boards vessels of interest in its EEZ.", "willing",
        "A maritime picture of the EEZ; trained boarding teams.", "Two patrol vessels, no coastal radar.",
    )  # fmt: skip
    radar = _make(m.Gap(analysis=gha, title="No coastal radar coverage", dotmlpf="M", risk="high"))
    boarding = _make(m.Gap(analysis=gha, title="Boarding teams untrained", dotmlpf="T", risk="moderate"))  # fmt: skip
    _option(radar, "Coastal surveillance radar at two sites", "0.60", 18, {2028: "1800000", 2029: "400000"}, ["10 USC 333", "FMF"], {"dod", "dos", "partner"})  # fmt: skip
    _option(boarding, "Boarding team MTT", "0.40", 9, {2028: "300000"}, ["10 USC 321", "10 USC 333"], {"dod", "partner"})  # fmt: skip
    sen = _analysis(
        _imo(plan, "SEN", "Border security (Senegal)", "Senegal's gendarmerie controls the eastern border crossings", 2, patrol.end_state),
        "SEN", africom, "Senegal gendarmerie: eastern border crossings",
        "The gendarmerie's border units control the eastern crossings.", "willing",
        "Mobile border units with vehicles and radios.", "Static posts only.",
    )  # fmt: skip
    mobility = _make(m.Gap(analysis=sen, title="Border units lack mobility", dotmlpf="M", risk="moderate"))  # fmt: skip
    _option(mobility, "Border surveillance vehicles (20)", "0.50", 12, {2028: "1200000"}, ["10 USC 333"], {"dod", "dos", "partner"})  # fmt: skip
    _option(mobility, "Interagency border coordination seminar", "0.20", 6, {2028: "60000"}, ["10 USC 312"], {"dos", "partner"})  # fmt: skip
    ner = _analysis(
        _imo(plan, "NER", "Peace operations (Niger)", "Niger contributes a battalion to the regional task force", 3, patrol.end_state),
        "NER", africom, "Niger: a battalion for the regional counter-terrorism task force",
        "A Nigerien battalion deploys with the regional task force.", "unwilling",
        "A certified battalion.", "No unit offered.",
        desire_notes="The transitional government declined to contribute forces (R-CBA-02).",
    )  # fmt: skip
    predeploy = _make(m.Gap(analysis=ner, title="No pre-deployment training", dotmlpf="T", risk="low"))  # fmt: skip
    _option(predeploy, "Battalion pre-deployment training", "0.60", 12, {2028: "800000"}, ["PKO", "GPOI"], {"dod", "dos"})  # fmt: skip

    # --- two scenarios ---------------------------------------------------------------------------
    for title, scale in (
        ("AFRICOM FY2028–FY2030: border and maritime security", D("1")),
        ("AFRICOM FY2028–FY2030: flat Section 333", D("0.6")),
    ):
        scenario = _make(
            m.Scenario(title=title, owner_org=africom, ccmd="AFRICOM", start_fy=2028, end_fy=2030, time_limit_seconds=20)
        )  # fmt: skip
        for code, absorb in (("XBN", "3500000"), ("GHA", None), ("SEN", None), ("NER", None)):
            _make(m.ScenarioCountry(scenario=scenario, country_id=code, absorb_per_year=D(absorb) if absorb else None))  # fmt: skip
        for key, fy, amount in (
            ("10 USC 333", 2028, "3000000"), ("10 USC 333", 2029, "2000000"), ("10 USC 333", 2030, "1500000"),
            ("FMF", 2028, "1000000"), ("FMF", 2029, "1000000"),
            ("10 USC 321", 2028, "300000"), ("10 USC 332", 2028, "250000"),
            ("10 USC 332(a) MoDA", 2028, "250000"), ("10 USC 332(a) MoDA", 2029, "250000"),
            ("IMET", 2028, "150000"), ("IMET", 2029, "150000"),
            ("PKO", 2028, "500000"), ("10 USC 312", 2028, "100000"),
        ):  # fmt: skip
            program = m.Program.objects.system().get(key=key)
            money = D(amount) * (scale if key == "10 USC 333" else 1)
            _make(
                m.ScenarioBudget(scenario=scenario, program=program, fiscal_year=fy, amount=money)
            )
