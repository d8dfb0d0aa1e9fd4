"""Synthetic capabilities-based analyses and resourcing scenarios for `secoop generate`
(registered with core.generate.register; it runs after planning's generator, whose IMOs it reads).

Per generated partner country (its share of `Scale.analyses` by `Generation.spread`): analyses of
a partner role under one of the country's generated IMOs (about one in ten with a partner that has
no will to play the role, R-CBA-02), each with one to three gaps (most classified by DOTMLPF-P,
R-CBA-01), each gap with one to three solution options (cost per fiscal year, lead time, effect,
the DoD/DoS/partner support of R-CBA-04, the catalog programs that could fund it: BPC programs
only on a classified gap). Per combatant command with generated analyses: one draft scenario over
three fiscal years with a budget per program and fiscal year and each of its countries with what
it can absorb. Analyses, gaps, options and scenarios get their CREATE entries; costs, budgets and
scenario countries are detail rows (`Generation.create(log=False)`), the option-program links a
plain link table.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from secoop.core import generate as core
from secoop.core.fiscal import fiscal_year
from secoop.planning.models import IntermediateObjective

from .models import CapabilityAnalysis
from .models import Gap
from .models import OptionCost
from .models import Program
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioCountry
from .models import SolutionOption

# Analyses weigh the partner's will and risks: U.S. only (R-SEC-03), most CUI//NOFORN.
MARKINGS = (("CUI//NOFORN", 75), ("CUI", 15), ("SECRET//NOFORN", 10))
DESIRE = (("willing", 60), ("uncertain", 30), ("unwilling", 10))
ROLES = (
    ("Border guard", "patrols and controls the land border"),
    ("Coast guard", "interdicts trafficking in territorial waters"),
    ("Air force", "keeps air domain awareness over the border regions"),
    ("Army engineers", "builds and maintains forward operating bases"),
    ("Military police", "keeps detainee operations lawful"),
    ("Special forces", "conducts counterterrorism raids with partner intelligence"),
)
GAPS = (
    ("M", "Surveillance sensors and communications"),
    ("T", "Collective training of the units"),
    ("L", "Mid-grade leaders' education"),
    ("O", "A maintenance organization"),
    ("D", "Doctrine for joint operations"),
    ("F", "Facilities at the forward posts"),
    ("", "Intelligence sharing with neighbours"),
)
OPTIONS = (
    "Thermal towers",
    "Mobile training team",
    "Resident courses in the U.S.",
    "Patrol vehicles with sustainment",
    "Radio network",
    "Maintenance advisors",
    "Exercise series",
)
OPTIONS_PER_CHUNK = 5_000


def _programs() -> tuple[list[Program], list[Program]]:
    live = [p for p in Program.objects.system().order_by("key") if p.status == "current"]
    return [p for p in live if p.is_bpc], [p for p in live if not p.is_bpc]


@core.register
def analysis(gen: core.Generation) -> None:
    if not gen.scale.analyses:
        return
    rng = gen.rng
    this_fy = fiscal_year(timezone.localdate())
    bpc, other = _programs()
    imos_by_country: dict[str, list[IntermediateObjective]] = defaultdict(list)
    for imo in (
        IntermediateObjective.objects.system()
        .filter(pk__in=gen.pks.get("planning.IntermediateObjective", []))
        .select_related("line_of_effort")
        .order_by("pk")
    ):
        imos_by_country[imo.line_of_effort.country_id].append(imo)
    wanted = gen.spread(gen.scale.analyses)
    analyses: list[CapabilityAnalysis] = []
    for c in gen.countries:
        imos = imos_by_country.get(c.alpha3)
        owners = gen.by_country[c.alpha3]["sco"]
        if not imos or not owners:
            continue
        for n in range(wanted.get(c.alpha3, 0)):
            unit, role = rng.choice(ROLES)
            imo = rng.choice(imos)
            a = CapabilityAnalysis(
                imo=imo,
                country=c,
                owner_org=owners[0],
                title=f"{c.name} {unit.lower()}: {role} ({n + 1}){_suffix(gen)}"[:300],
                role_kind=core._weighted(
                    rng, (("primary", 60), ("supporting", 30), ("governance", 10))
                ),  # fmt: skip
                partner_role=f"The {c.name} {unit.lower()} {role}.",
                partner_desire=core._weighted(rng, DESIRE),
                required_capability=f"The {unit.lower()} {role} on its own.",
                current_capability="Partly: equipment and training are short.",
                operational_risk=rng.choice(("low", "moderate", "high")),
                political_risk=rng.choice(("low", "moderate", "high")),
                urgency=rng.choice(("low", "moderate", "high")),
            )
            a.marking = gen.marking(core._weighted(rng, MARKINGS))
            analyses.append(a)
    for start in range(0, len(analyses), core.BATCH * 5):
        _gaps_and_options(gen, analyses[start : start + core.BATCH * 5], bpc, other, this_fy)
    _scenarios(gen, analyses, bpc + other, this_fy)


def _suffix(gen: core.Generation) -> str:
    return "" if gen.run == 1 else f" (run {gen.run})"


def _gaps_and_options(gen, analyses, bpc, other, this_fy) -> None:
    rng = gen.rng
    gen.create(analyses)
    gaps: list[Gap] = []
    for a in analyses:
        for dotmlpf, title in rng.sample(GAPS, rng.randint(1, 3)):
            g = Gap(
                analysis=a,
                title=title,
                dotmlpf=dotmlpf,
                joint_function="" if dotmlpf else "intelligence",
                risk=rng.choice(("low", "moderate", "high")),
            )
            g.marking = a.marking
            gaps.append(g)
    gen.create(gaps)
    options: list[SolutionOption] = []
    programs_of: list[list[Program]] = []
    for g in gaps:
        for title in rng.sample(OPTIONS, rng.randint(1, 3)):
            o = SolutionOption(
                gap=g,
                title=f"{title} ({g.title.lower()})"[:300],
                lead_time_months=rng.choice((6, 12, 18, 24)),
                expected_effect=Decimal(rng.randint(10, 95)) / 100,
                dod_support=rng.random() < 0.8,
                dos_support=rng.random() < 0.6,
                partner_support=rng.random() < 0.7,
            )
            o.marking = g.marking
            options.append(o)
            # R-CBA-01: a BPC program funds only an option whose gap has its DOTMLPF-P class.
            pool = (bpc + other) if g.dotmlpf else other
            programs_of.append(rng.sample(pool, min(len(pool), rng.randint(1, 2))))
    gen.create(options)
    links = SolutionOption.programs.through
    core.bulk_insert(
        links,
        [
            links(solutionoption_id=o.pk, program_id=p.pk)
            for o, ps in zip(options, programs_of, strict=True)
            for p in ps
        ],
    )
    costs = []
    for o in options:
        first = this_fy + rng.randint(1, 2)
        for fy in range(first, first + rng.randint(1, 3)):
            cost = OptionCost(option=o, fiscal_year=fy, amount=Decimal(rng.randrange(50_000, 4_000_000, 1_000)))  # fmt: skip
            cost.marking = o.marking
            costs.append(cost)
    gen.in_chunks(costs, log=False)


def _scenarios(gen, analyses, programs, this_fy) -> None:
    """One draft scenario per combatant command with analyses: three fiscal years of money."""
    rng = gen.rng
    ccmd_org = {o.ccmd: o for o in gen.orgs["ccmd"]}
    countries: dict[str, set] = defaultdict(set)
    for a in analyses:
        if a.country.ccmd in ccmd_org:
            countries[a.country.ccmd].add(a.country)
    scenarios = []
    for ccmd in sorted(countries):
        s = Scenario(
            title=f"{ccmd_org[ccmd].short_name} FY{this_fy + 1}–FY{this_fy + 3} resourcing (synthetic){_suffix(gen)}",
            owner_org=ccmd_org[ccmd],
            ccmd=ccmd,
            start_fy=this_fy + 1,
            end_fy=this_fy + 3,
            notes="Generated: budgets per program and fiscal year, every country of the command.",
        )
        s.marking = gen.marking("CUI//NOFORN")
        scenarios.append(s)
    gen.create(scenarios)
    budgets, rows = [], []
    for s in scenarios:
        for p in rng.sample(programs, min(len(programs), 6)):
            for fy in s.fiscal_years:
                b = ScenarioBudget(scenario=s, program=p, fiscal_year=fy, amount=Decimal(rng.randrange(1_000_000, 40_000_000, 100_000)))  # fmt: skip
                b.marking = s.marking
                budgets.append(b)
        for c in sorted(countries[s.ccmd], key=lambda c: c.alpha3):
            r = ScenarioCountry(scenario=s, country=c, absorb_per_year=Decimal(rng.randrange(2_000_000, 30_000_000, 500_000)))  # fmt: skip
            r.marking = s.marking
            rows.append(r)
    gen.create(budgets, log=False)
    gen.create(rows, log=False)
