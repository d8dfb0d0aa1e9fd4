"""Synthetic planning data for `secoop generate` (registered with core.generate.register).

Per combatant command with generated partners: a CCMD campaign plan of 3–5 fiscal years
(R-PLN-03) starting around the current fiscal year, with a plan-level assumption. Per generated
partner country, in its command's plan: an end state, 1–3 country lines of effort, IMOs (about one
in five deliberately failing SMART, R-PLN-02), a line of activity per IMO, a country plan (CSCS)
over the plan's years in five phases, the country's share of the scale's activities
(`Generation.spread`) inside their phases with funding lines,
finish-to-start dependencies (only from an earlier to a later activity, and consistent with the
dates, so acyclic and unbroken: R-PLN-09) and assumptions.

Everything is bulk-created through `Generation.create`, level by level, so each record gets its
CREATE change-log entry (funding lines and dependencies, an activity's detail rows, excepted); markings go through `Generation.marking` (lowered to the deployment
ceiling unless the run ignores it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from secoop.core import generate as core
from secoop.core.markings import combine_strict

from . import rules
from .actions import default_rff_lead_days
from .models import Activity
from .models import ActivityDependency
from .models import ActivityFunding
from .models import ActivityType
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import EndStateKind
from .models import FundingSource
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Measure
from .models import Phase
from .models import PlanKind
from .models import PlanningAssumption
from .models import Term
from .rules import Status

FAILING_SMART_SHARE = 0.2
DEPENDENCY_SHARE = 0.4  # of activities that wait for an earlier one

LOE_NAMES = (
    "Border security",
    "Maritime security",
    "Defense institution building",
    "Counterterrorism",
    "Peacekeeping readiness",
    "Air domain awareness",
    "Logistics and sustainment",
    "Professionalization",
)
PHASE_NAMES = (
    "Build support and set conditions",
    "Individual training and acquisition",
    "Collective training and exchanges",
    "Sustain support, interoperability",
    "Certification and hand-over",
)
ACTIVITY_KINDS = (  # (type, program, authority, sponsor role, needs U.S. forces)
    (ActivityType.KLE, "Traditional CCMD activities", "10 U.S.C. 321", "sco", False),
    (ActivityType.STAFF_TALKS, "Traditional CCMD activities", "10 U.S.C. 321", "ccmd", False),
    (ActivityType.ASSESSMENT, "Section 333", "10 U.S.C. 333", "sco", False),
    (ActivityType.VETTING, "Leahy vetting", "22 U.S.C. 2378d", "embassy", False),
    (ActivityType.TRAINING_COURSE, "IMET", "22 U.S.C. 2347", "sco", False),
    (ActivityType.MTT, "Section 333", "10 U.S.C. 333", "ia_office", True),
    (ActivityType.EXERCISE, "JCET", "10 U.S.C. 322", "ccmd", True),
    (ActivityType.EQUIPMENT_DELIVERY, "FMF", "22 U.S.C. 2763", "ia_office", False),
    (ActivityType.ACQUISITION, "FMS", "22 U.S.C. 2761", "ia_office", False),
    (ActivityType.INSTITUTION_BUILDING, "DIB", "10 U.S.C. 332", "sco", False),
    (ActivityType.EXCHANGE, "Traditional CCMD activities", "10 U.S.C. 321", "sco", False),
    (ActivityType.CONFERENCE, "Traditional CCMD activities", "10 U.S.C. 321", "ccmd", False),
)
FUNDING_BY_TYPE = {
    ActivityType.TRAINING_COURSE: FundingSource.IMET,
    ActivityType.MTT: FundingSource.BPC,
    ActivityType.EQUIPMENT_DELIVERY: FundingSource.FMF,
    ActivityType.ACQUISITION: FundingSource.FMS,
    ActivityType.INSTITUTION_BUILDING: FundingSource.DIB,
    ActivityType.VETTING: FundingSource.STATE,
}
# Markings by record; "{c}" is the partner's trigraph. SECRET and CONFIDENTIAL are lowered to the
# deployment ceiling unless the run ignores it.
PLAN_MARKINGS = (("CUI", 70), ("CUI//NOFORN", 20), ("SECRET//NOFORN", 10))
OBJECTIVE_MARKINGS = (
    ("CUI//NOFORN", 60),
    ("CUI", 25),
    ("CONFIDENTIAL//NOFORN", 10),
    ("SECRET//NOFORN", 5),
)
ACTIVITY_MARKINGS = (
    ("CUI//REL TO USA, {c}", 45),
    ("UNCLASSIFIED//REL TO USA, {c}", 15),
    ("CUI", 15),
    ("CUI//NOFORN", 12),
    ("CONFIDENTIAL//REL TO USA, {c}", 8),
    ("SECRET//NOFORN", 5),
)


def _weighted(gen: core.Generation, table, c: str = "") -> str:
    return core._weighted(gen.rng, table).format(c=c)


def _suffix(gen: core.Generation) -> str:
    return "" if gen.run == 1 else f" (run {gen.run})"


@core.register
def planning(gen: core.Generation) -> None:
    rng = gen.rng
    today = timezone.localdate()
    this_fy = rules.fiscal_year(today)
    sfx = _suffix(gen)
    lead_days = default_rff_lead_days()

    # --- campaign plans, one per CCMD with generated partners --------------------------------
    ccmd_org = {o.ccmd: o for o in gen.orgs["ccmd"]}
    commands = sorted({c.ccmd for c in gen.countries if c.ccmd in ccmd_org})
    plans: dict[str, CampaignPlan] = {}
    for ccmd in commands:
        start = this_fy + rng.choice((-1, 0, 0, 1))
        end = start + rng.randint(rules.PLAN_MIN_YEARS, rules.PLAN_MAX_YEARS) - 1
        owner = ccmd_org[ccmd]
        plan = CampaignPlan(
            kind=PlanKind.CCP,
            title=f"{owner.short_name} Campaign Plan {rules.fy_range_label(start, end)} (synthetic){sfx}",
            owner_org=owner,
            start_fy=start,
            end_fy=end,
            summary=f"How {owner.short_name} achieves its theater strategic end states through security cooperation.",
        )
        plan.marking = gen.marking(_weighted(gen, PLAN_MARKINGS))
        plans[ccmd] = plan
    gen.create(list(plans.values()))

    countries = [c for c in gen.countries if c.ccmd in plans]

    # --- end states and lines of effort ---------------------------------------------------------
    end_states: dict[str, EndState] = {}
    for c in countries:
        es = EndState(
            campaign_plan=plans[c.ccmd],
            kind=rng.choice((EndStateKind.THEATER, EndStateKind.SC_OBJECTIVE)),
            title=f"{c.name} secures its territory and contributes to regional security",
            description=f"Country-level objective for {c.name}.",
            priority=rng.randint(1, 3),
        )
        es.marking = gen.marking(_weighted(gen, OBJECTIVE_MARKINGS))
        end_states[c.alpha3] = es
    gen.create(list(end_states.values()))

    loes: dict[str, list[LineOfEffort]] = {}
    for c in countries:
        names = rng.sample(LOE_NAMES, rng.randint(1, 3))
        loes[c.alpha3] = []
        for n, name in enumerate(names, 1):
            loe = LineOfEffort(
                campaign_plan=plans[c.ccmd],
                end_state=end_states[c.alpha3],
                country=c,
                name=f"{name}: {c.name}",
                description=f"SSCI: {name.lower()} with {c.name}.",
                sequence=n,
            )
            loe.marking = gen.marking(_weighted(gen, OBJECTIVE_MARKINGS))
            loes[c.alpha3].append(loe)
    gen.create([loe for group in loes.values() for loe in group])

    # --- IMOs (some failing SMART), measures, lines of activity ---------------------------------
    imos: list[tuple[IntermediateObjective, bool]] = []  # (imo, passes SMART)
    for c in countries:
        plan = plans[c.ccmd]
        years = plan.end_fy - plan.start_fy + 1
        for loe in loes[c.alpha3]:
            for term in rng.sample((Term.NEAR, Term.MID, Term.LONG), rng.randint(1, 2)):
                offset = {Term.NEAR: 0, Term.MID: years // 2, Term.LONG: years - 1}[term]
                passes = rng.random() >= FAILING_SMART_SHARE
                imo = IntermediateObjective(
                    line_of_effort=loe,
                    term=term,
                    end_state=end_states[c.alpha3],
                    priority=rng.randint(1, 3),
                    deadline=rules.fy_end(plan.start_fy + offset),
                    title=f"{loe.name}: {Term(term).label.lower()} capability in place",
                    statement=f"The {c.name} forces sustain {loe.name.split(':')[0].lower()} on their own",
                    by_whom=f"{c.name} Ministry of Defence",
                    with_whom=f"SCO {c.name}, {plan.owner_org.short_name} J5",
                    authority="10 U.S.C. 333; FMF (22 U.S.C. 2763)",
                    resources=f"BPC and FMF, FY{plan.start_fy}–FY{plan.end_fy}",
                    partner_agreement_on=rules.fy_start(plan.start_fy)
                    + dt.timedelta(days=rng.randint(0, 60)),
                    political_risk_considered=True,
                    fiscal_risk_considered=True,
                )
                if not passes:
                    # A realistic draft: no resources, no partner agreement, fiscal risk open.
                    imo.resources, imo.partner_agreement_on, imo.fiscal_risk_considered = (
                        "",
                        None,
                        False,
                    )
                    if rng.random() < 0.5:
                        imo.deadline = None
                imo.marking = (
                    loe.marking
                    if rng.random() < 0.7
                    else gen.marking(_weighted(gen, OBJECTIVE_MARKINGS))
                )
                imos.append((imo, passes))
    gen.create([imo for imo, _ in imos])

    measures = []
    for imo, passes in imos:
        if not passes:
            continue  # no measure: fails Measurable too
        m = Measure(
            imo=imo,
            kind=rng.choice(("MOP", "MOE")),
            indicator="Units trained and certified",
            method="Partner reports verified by the SCO",
            unit="units",
            baseline=Decimal(rng.randint(0, 3)),
            target=Decimal(rng.randint(4, 12)),
            target_on=imo.deadline,
        )
        m.marking = imo.marking
        measures.append(m)
    gen.create(measures)

    loas: dict[str, list[LineOfActivity]] = defaultdict(list)
    for imo, _ in imos:
        loa = LineOfActivity(
            imo=imo,
            name=f"Train, equip and advise ({Term(imo.term).label.lower()})",
            description="",
        )
        loa.marking = imo.marking
        loas[imo.line_of_effort.country_id].append(loa)
    gen.create([loa for group in loas.values() for loa in group])

    # --- country plans (CSCS) and their five phases ---------------------------------------------
    cscs: dict[str, CountryPlan] = {}
    for c in countries:
        plan = plans[c.ccmd]
        sco = gen.by_country[c.alpha3]["sco"]
        cp = CountryPlan(
            campaign_plan=plan,
            country=c,
            owner_org=sco[0] if sco else plan.owner_org,
            title=f"{c.name} country-specific security cooperation section (CSCS){sfx}",
            version=1,
            issued_on=rules.fy_start(plan.start_fy) + dt.timedelta(days=14),
            start_fy=plan.start_fy,
            end_fy=plan.end_fy,
            country_assessment=f"Synthetic assessment of {c.name}'s security environment and forces.",
            country_objectives="; ".join(loe.name for loe in loes[c.alpha3]),
            ccp_reference=f"{plan.title}, annex for {c.name}.",
            ics_reference=f"Integrated Country Strategy: {c.name}.",
            concept_of_engagement="Five phases: build support, train and equip, exchange, sustain, certify.",
            coordinating_instructions=f"SCO {c.name} enters and refines activities; the CCMD J5 reviews them.",
        )
        cp.marking = gen.marking(_weighted(gen, OBJECTIVE_MARKINGS))
        cscs[c.alpha3] = cp
    gen.create(list(cscs.values()))

    phases: dict[str, list[Phase]] = {}
    for c in countries:
        cp = cscs[c.alpha3]
        first, last = cp.period_start, cp.period_end
        days = (last - first).days + 1
        bounds = [first + dt.timedelta(days=days * k // 5) for k in range(6)]
        phases[c.alpha3] = []
        for n in range(5):
            ph = Phase(
                country_plan=cp,
                number=n + 1,
                name=PHASE_NAMES[n],
                start_date=bounds[n],
                end_date=bounds[n + 1] - rules.ONE_DAY if n < 4 else last,
            )
            ph.marking = gen.marking("CUI")
            phases[c.alpha3].append(ph)
    gen.create([ph for group in phases.values() for ph in group])

    # --- activities, funding, dependencies ------------------------------------------------------
    # Country by country, so that memory holds one country's activities, not 253,000 of them;
    # funding lines and dependencies are an activity's detail rows (no change-log entry of their
    # own: Generation.create's `log`).
    wanted = gen.spread(gen.scale.activities)
    for c in countries:
        acts = _activities(gen, c, wanted.get(c.alpha3, 0), phases, loas, cscs, today, lead_days)
        for start in range(0, len(acts), core.BATCH * 5):
            gen.create(acts[start : start + core.BATCH * 5])
        gen.in_chunks(_funding(gen, acts), log=False)
        gen.in_chunks(_dependencies(gen, acts), log=False)

    # --- assumptions ----------------------------------------------------------------------------
    assumptions = []
    for plan in plans.values():
        a = PlanningAssumption(
            campaign_plan=plan,
            owner_org=plan.owner_org,
            statement="Section 333 funds for the command stay at or above this year's level.",
            review_on=rules.fy_start(plan.start_fy) + dt.timedelta(days=rng.randint(60, 300)),
            rationale="The train-and-equip lines rest on Section 333.",
        )
        a.marking = plan.marking
        assumptions.append(a)
    for c in countries:
        cp = cscs[c.alpha3]
        for _ in range(rng.randint(1, 2)):
            a = PlanningAssumption(
                campaign_plan=cp.campaign_plan,
                country_plan=cp,
                owner_org=cp.owner_org,
                statement=f"{c.name}'s government keeps defense cooperation with the United States a priority.",
                valid=rng.random() > 0.05,
                necessary=rng.random() > 0.1,
                review_on=cp.period_start + dt.timedelta(days=rng.randint(30, 700)),
                rationale="The country objectives depend on it.",
            )
            a.marking = cp.marking
            assumptions.append(a)
    gen.create(assumptions)


def _activities(gen, c, count, phases, loas, cscs, today, lead_days) -> list[Activity]:
    """`count` activities of country `c`, inside its phases, sorted by start."""
    rng = gen.rng
    chosen = []
    for _ in range(count):
        ph = rng.choice(phases[c.alpha3])
        span = (ph.end_date - ph.start_date).days
        kind, program, authority, sponsor_role, forces = rng.choice(ACTIVITY_KINDS)
        length = rng.randint(0, min(20, span))
        start = ph.start_date + dt.timedelta(days=rng.randint(0, span - length))
        end = start + dt.timedelta(days=length)
        pool = (
            core._pool(gen, sponsor_role, c)
            if sponsor_role in ("sco", "embassy", "ia_office", "ccmd")
            else []
        )
        owner = rng.choice(pool) if pool else cscs[c.alpha3].owner_org
        topic = rng.choice(core.TOPICS)
        a = Activity(
            title=f"{ActivityType(kind).label}: {c.name}, {topic} ({rules.fy_label(rules.fiscal_year(start))})"[
                :200
            ],
            activity_type=kind,
            program=program,
            authority=authority,
            line_of_activity=rng.choice(loas[c.alpha3]) if rng.random() > 0.05 else None,
            country=c,
            country_plan=cscs[c.alpha3],
            phase=ph,
            owner_org=owner,
            start_date=start,
            end_date=end,
            location=f"{c.name}",
            us_participants="SCO staff" if sponsor_role == "sco" else "U.S. team",
            partner_participants=f"{c.name} MoD",
            needs_us_forces=forces,
            rff_lead_days=lead_days if forces else None,
        )
        if end < today:
            a.status = Status.COMPLETED
            a.completed_on = a.assessment_due = end
        elif start <= today:
            a.status = Status.ONGOING
        else:
            a.status = Status.PLANNED if rng.random() < 0.6 else Status.PROPOSED
        a.marking = gen.marking(_weighted(gen, ACTIVITY_MARKINGS, c.alpha3))
        chosen.append(a)
    chosen.sort(key=lambda a: (a.start_date, a.end_date))
    return chosen


def _funding(gen, acts):
    rng = gen.rng
    for a in acts:
        fys = sorted({rules.fiscal_year(a.start_date), rules.fiscal_year(a.end_date)})
        main = FUNDING_BY_TYPE.get(a.activity_type, FundingSource.OM)
        lines = {(fys[0], main)}
        if rng.random() < 0.3:
            lines.add((fys[-1], rng.choice((FundingSource.OM, FundingSource.PARTNER, main))))
        for fy, source in sorted(lines):
            f = ActivityFunding(
                activity=a,
                fiscal_year=fy,
                source=source,
                amount=Decimal(rng.randrange(5_000, 2_500_000, 500)),
            )
            f.marking = a.marking
            yield f


# A successor waits for one of the few activities that end just before it starts: looking back
# over a window keeps this linear in the activities (a country has up to ~18,000 at enterprise).
DEPENDENCY_WINDOW = 40


def _dependencies(gen, group):
    rng = gen.rng
    for j in range(1, len(group)):
        if rng.random() >= DEPENDENCY_SHARE:
            continue
        succ = group[j]
        # Only from an earlier activity that ends before this one starts: acyclic, unbroken.
        candidates = [
            p for p in group[max(0, j - DEPENDENCY_WINDOW) : j] if p.end_date < succ.start_date
        ]
        if not candidates:
            continue
        pred = rng.choice(candidates[-5:])
        slack = (succ.start_date - rules.earliest_start(pred.end_date, 0)).days
        d = ActivityDependency(
            predecessor=pred,
            successor=succ,
            lag_days=rng.randint(0, min(slack, 30)),
            note="Sequenced by the SCO (synthetic).",
        )
        d.marking = gen.marking(str(combine_strict([pred.marking, succ.marking])))
        yield d
