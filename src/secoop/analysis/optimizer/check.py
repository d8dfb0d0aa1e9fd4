"""Malformed input, named before anything is solved: `check()` lists each problem in words."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from decimal import InvalidOperation

from .model import Instance
from .model import InvalidInstance


def money(x) -> Decimal | None:
    """An amount as a Decimal (Decimal, int or float), or None when it is not a finite number."""
    if isinstance(x, bool):
        return None
    if isinstance(x, Decimal):
        return x if x.is_finite() else None
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        return Decimal(repr(x)) if math.isfinite(x) else None
    try:
        d = Decimal(x)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return d if d.is_finite() else None


def _is_year(y) -> bool:
    return isinstance(y, int) and not isinstance(y, bool)


def _amount_problems(what: str, amount) -> list[str]:
    d = money(amount)
    if d is None:
        return [f"not a number: {what} ({amount!r})"]
    if d < 0:
        return [f"negative {what} ({d})"]
    return []


def _horizon_problems(years) -> list[str]:
    if not years:
        return ["empty horizon: give at least one fiscal year"]
    bad = [y for y in years if not _is_year(y)]
    if bad:
        return [f"fiscal year is not a whole number: {y!r}" for y in bad]
    twice = sorted(y for y, n in Counter(years).items() if n > 1)
    problems = [f"fiscal year given twice: FY{y}" for y in twice]
    span = range(min(years), max(years) + 1)
    missing = [y for y in span if y not in years]
    if missing:
        problems.append(
            "fiscal years must follow each other: "
            + ", ".join(f"FY{y}" for y in missing)
            + f" missing between FY{min(years)} and FY{max(years)}"
        )
    return problems


def _program_problems(programs) -> list[str]:
    problems = []
    seen = set()
    for p in programs:
        if p.key in seen:
            problems.append(f"program given twice: {p.key}")
        seen.add(p.key)
        if not _is_year(p.lifespan_years) or p.lifespan_years < 1:
            problems.append(
                f"lifespan of program {p.key} must be a whole number of years, at least 1 "
                f"(is {p.lifespan_years!r})"
            )
        for fy, amount in sorted(p.budget.items(), key=lambda kv: str(kv[0])):
            if not _is_year(fy):
                problems.append(f"budget year of program {p.key} is not a fiscal year: {fy!r}")
                continue
            d = money(amount)
            if d is None:
                problems.append(f"not a number: budget {p.key} FY{fy} ({amount!r})")
            elif d < 0:
                problems.append(f"negative budget: {p.key} FY{fy} ({d})")
    return problems


def _option_problems(instance: Instance) -> list[str]:
    problems = []
    program_keys = {p.key for p in instance.programs}
    counted = Counter(o.key for o in instance.options)
    known = set(counted)
    for key in sorted(k for k, n in counted.items() if n > 1):
        problems.append(f"option given twice: {key}")
    for o in instance.options:
        v = o.value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            problems.append(f"value of option {o.key} is not a finite number ({v!r})")
        elif v < 0:
            problems.append(f"negative value: option {o.key} ({v})")
        for i, cost in enumerate(o.cost_by_year):
            d = money(cost)
            if d is None:
                problems.append(
                    f"not a number: cost of option {o.key} in its year {i + 1} ({cost!r})"
                )
            elif d < 0:
                problems.append(f"negative cost: option {o.key} in its year {i + 1} ({d})")
        if not _is_year(o.earliest_start):
            problems.append(
                f"earliest start of option {o.key} is not a fiscal year: {o.earliest_start!r}"
            )
        if o.latest_start is not None and not _is_year(o.latest_start):
            problems.append(
                f"latest start of option {o.key} is not a fiscal year: {o.latest_start!r}"
            )
        for p in sorted(o.programs - program_keys):
            problems.append(f"unknown program: option {o.key} names program {p!r}")
        for r in sorted(o.requires - known):
            problems.append(f"unknown option: {o.key} requires {r!r}")
        for e in sorted(o.excludes - known):
            problems.append(f"unknown option: {o.key} excludes {e!r}")
        if o.key in o.excludes:
            problems.append(f"option {o.key} excludes itself")
    return problems


def prerequisite_cycles(options) -> list[list[str]]:
    """Each cycle of prerequisites once, as a path that starts and ends at the same option."""
    graph = {o.key: sorted(o.requires) for o in options}
    state: dict[str, int] = {}  # 1 on the path, 2 done
    cycles, seen = [], set()
    for root in sorted(graph):
        if state.get(root):
            continue
        path, stack = [root], [iter(graph[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                i = cycle.index(min(cycle))
                canon = tuple(cycle[i:] + cycle[:i])
                if canon not in seen:
                    seen.add(canon)
                    cycles.append([*canon, canon[0]])
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    return cycles


def _country_problems(instance: Instance) -> list[str]:
    problems = []
    for name, table in (
        ("capacity to absorb", instance.absorb_per_year),
        ("minimum", instance.country_min),
        ("maximum", instance.country_max),
    ):
        for country, amount in sorted(table.items()):
            problems += _amount_problems(f"{name} of {country}", amount)
    for country in sorted(set(instance.country_min) & set(instance.country_max)):
        lo, hi = money(instance.country_min[country]), money(instance.country_max[country])
        if lo is not None and hi is not None and lo > hi:
            problems.append(
                f"country_min > country_max for {country}: minimum {lo} exceeds maximum {hi}"
            )
    return problems


def check(instance: Instance) -> list[str]:
    """Every problem that makes the input malformed, in words; [] when it is fine."""
    problems = _horizon_problems(list(instance.fiscal_years))
    problems += _program_problems(instance.programs)
    problems += _option_problems(instance)
    problems += [
        "prerequisite cycle: " + " -> ".join(c) for c in prerequisite_cycles(instance.options)
    ]
    problems += _country_problems(instance)
    return problems


def ensure_valid(instance: Instance) -> None:
    problems = check(instance)
    if problems:
        raise InvalidInstance(problems)
