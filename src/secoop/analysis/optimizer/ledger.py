"""Exact bookkeeping (Decimal) of a plan: what each program spends and each country absorbs per
fiscal year, which options are chosen; and what adding one more option would break.

Greedy, brute force and the reasons for options not chosen all use it, so the three read the
rules the same way the MILP writes them (milp.py); tests check every plan with a checker of
their own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from .check import money
from .model import Choice
from .model import Instance

ZERO = Decimal(0)


def years_text(years) -> str:
    fys = [f"FY{y}" for y in sorted(years)]
    return fys[0] if len(fys) == 1 else ", ".join(fys[:-1]) + " and " + fys[-1]


class Prepared:
    """A checked instance in the form the methods work on."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.years = sorted(set(instance.fiscal_years))
        self.first, self.last = self.years[0], self.years[-1]
        self.programs = {p.key: p for p in instance.programs}
        self.budget = {
            p.key: {fy: money(a) for fy, a in p.budget.items() if money(a) > 0}
            for p in instance.programs
        }
        self.options = {o.key: o for o in instance.options}
        self.index = {o.key: i for i, o in enumerate(instance.options)}
        self.costs = {}
        for o in instance.options:
            costs = [money(c) for c in o.cost_by_year]
            while costs and costs[-1] == 0:
                costs.pop()
            self.costs[o.key] = tuple(costs)
        self.total = {k: sum(c, ZERO) for k, c in self.costs.items()}
        self.excludes = defaultdict(set)
        for o in instance.options:
            for e in o.excludes:
                self.excludes[o.key].add(e)
                self.excludes[e].add(o.key)
        self.absorb = {c: money(a) for c, a in instance.absorb_per_year.items()}
        self.mins = {c: money(a) for c, a in instance.country_min.items() if money(a) > 0}
        self.maxs = {c: money(a) for c, a in instance.country_max.items()}
        self.topo = self._topological_order()
        self.topo_position = {k: i for i, k in enumerate(self.topo)}
        self.placements: dict[str, list[tuple[int, str]]] = {}
        self.never: dict[str, str] = {}
        for key in self.topo:
            self._place(self.options[key])

    def name(self, country: str) -> str:
        return self.instance.country_names.get(country) or country

    def _topological_order(self) -> list[str]:
        """Options with their prerequisites first (no cycles: check() refused those)."""
        done, order = set(), []
        for o in self.instance.options:
            stack = [(o.key, iter(sorted(o.requires, key=self.index.get)))]
            if o.key in done:
                continue
            while stack:
                key, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    if key not in done:
                        done.add(key)
                        order.append(key)
                elif nxt not in done:
                    stack.append(
                        (nxt, iter(sorted(self.options[nxt].requires, key=self.index.get)))
                    )
        return order

    def _place(self, o) -> None:
        """Where (start FY, program) the option may go, or why it never can."""
        self.placements[o.key] = []
        if not o.partner_willing:
            self.never[o.key] = "partner has no desire to play this role (R-CBA-02)"
            return
        if not o.programs:
            self.never[o.key] = "no program may fund it"
            return
        programs = [
            p.key
            for p in self.instance.programs
            if p.key in o.programs
            and (p.eligible_countries is None or o.country in p.eligible_countries)
        ]
        if not programs:
            self.never[o.key] = (
                f"no program that may fund it is open to {self.name(o.country)} "
                f"({', '.join(sorted(o.programs))})"
            )
            return
        lo = max(o.earliest_start, self.first)
        hi = self.last if o.latest_start is None else min(o.latest_start, self.last)
        if o.earliest_start > self.last:
            self.never[o.key] = (
                f"starts after the horizon (earliest start FY{o.earliest_start}, "
                f"horizon ends FY{self.last})"
            )
            return
        if o.latest_start is not None and o.latest_start < o.earliest_start:
            self.never[o.key] = (
                f"its lead time puts its earliest start FY{o.earliest_start} after its latest "
                f"start FY{o.latest_start}"
            )
            return
        if hi < lo:
            self.never[o.key] = (
                f"its latest start FY{o.latest_start} is before the horizon (starts FY{self.first})"
            )
            return
        n = max(len(self.costs[o.key]), 1)
        hi_costs = min(hi, self.last - n + 1)
        if hi_costs < lo:
            self.never[o.key] = (
                f"its {n} years of costs run past the horizon (ends FY{self.last}) from any "
                f"start it may have (FY{lo} or later)"
            )
            return
        for r in sorted(o.requires, key=self.index.get):
            if r in self.never:
                self.never[o.key] = f"prerequisite {r} can never be funded ({self.never[r]})"
                return
            if r in self.excludes[o.key]:
                self.never[o.key] = f"excluded by its own prerequisite {r}"
                return
            first_r = min(y for y, _ in self.placements[r])
            if first_r > hi_costs:
                self.never[o.key] = (
                    f"prerequisite {r} cannot start before FY{first_r}, after its last possible "
                    f"start FY{hi_costs}"
                )
                return
            lo = max(lo, first_r)
        self.placements[o.key] = [(y, p) for y in range(lo, hi_costs + 1) for p in programs]

    def cost_in(self, key: str, start: int) -> dict[int, Decimal]:
        return {start + i: c for i, c in enumerate(self.costs[key]) if c}


def edf(budget: dict[int, Decimal], lifespan: int, spend: dict[int, Decimal], years):
    """Pay each year's spend with the money that expires first (which is optimal when every
    vintage lives equally long). Returns (first year short or None, {(vintage, year): amount})."""
    left = dict(budget)
    vintages = sorted(left)
    used = {}
    for t in years:
        need = spend.get(t, ZERO)
        for v in vintages:
            if need <= 0:
                break
            if v <= t <= v + lifespan - 1 and left[v] > 0:
                take = min(left[v], need)
                left[v] -= take
                need -= take
                used[v, t] = take
        if need > 0:
            return t, used
    return None, used


class Ledger:
    """A plan being built, with exact sums."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.spend = {p: defaultdict(lambda: ZERO) for p in prep.programs}
        self.absorbed = defaultdict(lambda: defaultdict(lambda: ZERO))
        self.country_total = defaultdict(lambda: ZERO)
        self.chosen: dict[str, Choice] = {}
        self.value = 0.0

    def add(self, key: str, start: int, program: str) -> None:
        o = self.prep.options[key]
        for t, c in self.prep.cost_in(key, start).items():
            self.spend[program][t] += c
            self.absorbed[o.country][t] += c
        self.country_total[o.country] += self.prep.total[key]
        self.chosen[key] = Choice(key, start, program)
        self.value += o.value

    def remove(self, key: str) -> None:
        choice = self.chosen.pop(key)
        o = self.prep.options[key]
        for t, c in self.prep.cost_in(key, choice.start_fy).items():
            self.spend[choice.program][t] -= c
            self.absorbed[o.country][t] -= c
        self.country_total[o.country] -= self.prep.total[key]
        self.value -= o.value

    def money_short(self, program: str, extra: dict[int, Decimal] | None = None) -> int | None:
        spend = dict(self.spend[program])
        for t, c in (extra or {}).items():
            spend[t] = spend.get(t, ZERO) + c
        p = self.prep.programs[program]
        short, _ = edf(self.prep.budget[program], p.lifespan_years, spend, self.prep.years)
        return short

    def allocation(self, program: str) -> dict[tuple[int, int], Decimal]:
        p = self.prep.programs[program]
        _, used = edf(
            self.prep.budget[program], p.lifespan_years, self.spend[program], self.prep.years
        )
        return used

    def blockers(self, key: str, start: int, program: str, first_only: bool = False):
        """What adding option `key` at (start, program) to this plan would break, as
        (kind, subject, year) tuples; [] when it fits."""
        prep, o = self.prep, self.prep.options[key]
        found = []
        for e in sorted(prep.excludes[key]):
            if e in self.chosen:
                found.append(("excluded", e, None))
                if first_only:
                    return found
        for r in sorted(o.requires):
            if r not in self.chosen:
                found.append(("prerequisite", r, None))
            elif self.chosen[r].start_fy > start:
                found.append(("prerequisite_late", r, self.chosen[r].start_fy))
            if found and first_only:
                return found
        extra = prep.cost_in(key, start)
        short = self.money_short(program, extra)
        if short is not None:
            found.append(("money", program, short))
            if first_only:
                return found
        cap = prep.absorb.get(o.country)
        if cap is not None:
            for t, c in sorted(extra.items()):
                if self.absorbed[o.country][t] + c > cap:
                    found.append(("absorb", o.country, t))
                    if first_only:
                        return found
        top = prep.maxs.get(o.country)
        if top is not None and self.country_total[o.country] + prep.total[key] > top:
            found.append(("max", o.country, None))
        return found

    def fits(self, key: str, start: int, program: str) -> bool:
        return not self.blockers(key, start, program, first_only=True)

    def unmet_minimums(self) -> list[str]:
        return [c for c, m in sorted(self.prep.mins.items()) if self.country_total[c] < m]

    def broken(self) -> list[tuple[str, str, int | None]]:
        """The sums this plan breaks (money, absorb, max) as (kind, subject, year)."""
        found = []
        for p in self.prep.programs:
            short = self.money_short(p)
            if short is not None:
                found.append(("money", p, short))
        for c, cap in self.prep.absorb.items():
            for t, amount in self.absorbed[c].items():
                if amount > cap:
                    found.append(("absorb", c, t))
        for c, top in self.prep.maxs.items():
            if self.country_total[c] > top:
                found.append(("max", c, None))
        return found

    def choices(self) -> list[Choice]:
        return sorted(self.chosen.values(), key=lambda c: (c.start_fy, self.prep.index[c.option]))


def ratio(prep: Prepared, key: str) -> float:
    """Value per dollar (an option that costs nothing comes first)."""
    total = prep.total[key]
    return math.inf if total == 0 else prep.options[key].value / float(total)
