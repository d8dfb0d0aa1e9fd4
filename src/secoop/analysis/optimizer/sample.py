"""Generated instances (seeded, reproducible) for the bench (bench/optimizer.py) and the tests:
so many options over a run of fiscal years and countries, money that covers about a third of
what is asked, prerequisites, exclusions, capacity to absorb, country minimums and maximums."""

from __future__ import annotations

import random
from decimal import Decimal

from .model import Instance
from .model import Option
from .model import Program

PROGRAMS = (  # key, lifespan in years, share of the money
    ("FMF", 2, 0.22),
    ("10 USC 333", 2, 0.20),
    ("IMET", 1, 0.05),
    ("10 USC 332", 1, 0.04),
    ("10 USC 321", 1, 0.04),
    ("OHDACA", 2, 0.06),
    ("GPOI", 2, 0.06),
    ("NADR/EXBS", 2, 0.06),
    ("INCLE", 2, 0.07),
    ("PKO", 2, 0.05),
    ("10 USC 345", 1, 0.03),
    ("10 USC 284", 1, 0.04),
    ("DIRI", 1, 0.03),
    ("10 USC 312", 1, 0.02),
    ("10 USC 331", 1, 0.02),
    ("EDA", 1, 0.01),
)


def generate(
    options: int,
    *,
    countries: int = 20,
    years: int = 5,
    first_fy: int = 2027,
    seed: int = 0,
    money_share: float = 0.35,
) -> Instance:
    rng = random.Random(seed)
    fys = tuple(range(first_fy, first_fy + years))
    codes = [f"X{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(countries)]
    weights = [1 / (i + 1) ** 0.7 for i in range(countries)]
    eligible = {
        key: None if rng.random() < 0.5 else frozenset(rng.sample(codes, max(2, countries // 2)))
        for key, _, _ in PROGRAMS
    }
    made: list[Option] = []
    for i in range(options):
        country = rng.choices(codes, weights)[0]
        open_to = [k for k, _, _ in PROGRAMS if eligible[k] is None or country in eligible[k]]
        span = rng.choice((1, 1, 2, 2, 3))
        base = rng.lognormvariate(14.0, 0.9)  # dollars; median about 1.2 million
        costs = tuple(Decimal(round(base * rng.uniform(0.5, 1.2))) for _ in range(span))
        earliest = first_fy + rng.choice((0, 0, 1, 1, 2))
        own = [o for o in made if o.country == country]
        requires = frozenset({rng.choice(own).key}) if own and rng.random() < 0.1 else frozenset()
        excludes = (
            frozenset({rng.choice(own).key})
            if own and rng.random() < 0.05 and not requires
            else frozenset()
        )
        made.append(
            Option(
                key=f"O{i:05d}",
                country=country,
                value=round(rng.randint(1, 5) * rng.uniform(0.1, 1.0) * 10, 2),
                cost_by_year=costs,
                programs=frozenset(rng.sample(open_to, min(len(open_to), rng.randint(1, 3)))),
                earliest_start=earliest,
                latest_start=earliest + 2 if rng.random() < 0.3 else None,
                requires=requires,
                excludes=excludes,
                partner_willing=rng.random() > 0.03,
            )
        )
    asked = sum(sum(o.cost_by_year) for o in made)
    per_year = float(asked) * money_share / years
    programs = tuple(
        Program(
            key,
            {fy: Decimal(round(per_year * share * rng.uniform(0.7, 1.3))) for fy in fys},
            lifespan,
            eligible[key],
        )
        for key, lifespan, share in PROGRAMS
    )
    by_country = {c: sum(sum(o.cost_by_year) for o in made if o.country == c) for c in codes}
    absorb = {c: Decimal(round(float(t) / years * 0.6)) for c, t in by_country.items() if t}
    mins = {c: Decimal(round(float(by_country[c]) * 0.05)) for c in codes[1:4] if by_country[c]}
    maxs = {
        c: Decimal(round(float(by_country[c]) * 0.3))
        for c in (codes[0], *codes[4:6])
        if by_country[c]
    }
    return Instance(fys, programs, tuple(made), absorb, mins, maxs)
