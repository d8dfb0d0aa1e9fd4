"""The greedy baseline (best value per dollar first) and brute-force enumeration (tests only),
both over the same rules as the MILP, kept exactly by the ledger."""

from __future__ import annotations

import time

from .check import ensure_valid
from .ledger import Ledger
from .ledger import Prepared
from .ledger import ratio
from .model import Instance
from .model import Plan
from .reasons import not_chosen

BRUTE_FORCE_MAX_OPTIONS = 12


def minimum_message(prep: Prepared, countries: list[str], proven: bool) -> str:
    names = ", ".join(f"{prep.name(c)}'s minimum of {prep.mins[c]:,}" for c in countries)
    if proven:
        return f"no plan can meet {names} over the horizon"
    return f"the greedy baseline found no plan that meets {names} over the horizon"


def finish(prep, ledger, method, status, started, gap=None, message="", bound=None) -> Plan:
    reasons = not_chosen(prep, ledger, status)
    if status == "infeasible":
        reasons = {k: prep.never.get(k, message) for k in reasons}
    return Plan(
        method=method,
        status=status,
        choices=ledger.choices(),
        value=ledger.value,
        gap=gap,
        seconds=time.perf_counter() - started,
        not_chosen=reasons,
        message=message,
        bound=bound,
    )


def _place_bundle(prep: Prepared, ledger: Ledger, key: str) -> bool:
    """Add the option with its prerequisites not yet chosen, each at its earliest place that
    fits; all or nothing."""
    if key in prep.never:
        return False
    seen, stack = set(), [key]
    while stack:
        k = stack.pop()
        if k in seen or k in ledger.chosen:
            continue
        seen.add(k)
        stack.extend(prep.options[k].requires)
    bundle = sorted(seen, key=prep.topo_position.__getitem__)
    added = []
    for k in bundle:
        if k in prep.never:
            break
        for y, p in prep.placements[k]:
            if ledger.fits(k, y, p):
                ledger.add(k, y, p)
                added.append(k)
                break
        else:
            break
    if len(added) == len(bundle):
        return True
    for k in reversed(added):
        ledger.remove(k)
    return False


def greedy_ledger(prep: Prepared) -> Ledger:
    ledger = Ledger(prep)
    order = by_value_per_dollar(prep)
    for country in sorted(prep.mins):  # first each country's minimum, best value per dollar first
        own = [k for k in order if prep.options[k].country == country]
        while ledger.country_total[country] < prep.mins[country]:
            if not any(k not in ledger.chosen and _place_bundle(prep, ledger, k) for k in own):
                break
    return fill(prep, ledger, order)


def by_value_per_dollar(prep: Prepared) -> list[str]:
    return sorted(
        (k for k in prep.options if k not in prep.never),
        key=lambda k: (-ratio(prep, k), -prep.options[k].value, prep.index[k]),
    )


def fill(prep: Prepared, ledger: Ledger, order: list[str] | None = None) -> Ledger:
    """Add, best value per dollar first, every option (with its prerequisites) that still fits."""
    changed = True
    while changed:  # a second pass takes what fits once a prerequisite went in on its own
        changed = False
        for k in order or by_value_per_dollar(prep):
            if prep.options[k].value > 0 and k not in ledger.chosen:
                changed |= _place_bundle(prep, ledger, k)
    return ledger


def greedy(instance: Instance) -> Plan:
    """Best value per dollar first, under every rule; always returns a plan that breaks none
    (status "infeasible" with the country named when it could not reach a country's minimum)."""
    started = time.perf_counter()
    ensure_valid(instance)
    prep = Prepared(instance)
    ledger = greedy_ledger(prep)
    unmet = ledger.unmet_minimums()
    if unmet:
        msg = minimum_message(prep, unmet, proven=False)
        return finish(prep, ledger, "greedy", "infeasible", started, message=msg)
    return finish(prep, ledger, "greedy", "feasible", started)


def brute_force(instance: Instance) -> Plan:
    """Every combination of places (branch and bound on value only, so it is exact); for tests
    on small instances (at most 12 options)."""
    started = time.perf_counter()
    ensure_valid(instance)
    if len(instance.options) > BRUTE_FORCE_MAX_OPTIONS:
        raise ValueError(
            f"brute_force enumerates every plan: at most {BRUTE_FORCE_MAX_OPTIONS} options "
            f"(given {len(instance.options)})"
        )
    prep = Prepared(instance)
    keys = [k for k in prep.topo if k not in prep.never]
    rest = [0.0] * (len(keys) + 1)
    for i in range(len(keys) - 1, -1, -1):
        rest[i] = rest[i + 1] + prep.options[keys[i]].value
    ledger = Ledger(prep)
    best: dict = {"value": -1.0, "choices": None}

    def walk(i: int) -> None:
        if best["choices"] is not None and ledger.value + rest[i] <= best["value"] + 1e-12:
            return
        if i == len(keys):
            if not ledger.unmet_minimums():
                best["value"], best["choices"] = ledger.value, list(ledger.chosen.values())
            return
        k = keys[i]
        for y, p in prep.placements[k]:
            if ledger.fits(k, y, p):
                ledger.add(k, y, p)
                walk(i + 1)
                ledger.remove(k)
        walk(i + 1)

    walk(0)
    ledger = Ledger(prep)
    if best["choices"] is None:
        msg = minimum_message(prep, sorted(prep.mins), proven=True)
        return finish(prep, ledger, "brute_force", "infeasible", started, message=msg)
    for c in sorted(best["choices"], key=lambda c: prep.topo_position[c.option]):
        ledger.add(c.option, c.start_fy, c.program)
    return finish(prep, ledger, "brute_force", "optimal", started, gap=0.0)
