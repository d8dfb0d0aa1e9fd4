"""The portfolio MILP, solved by HiGHS (highspy, from PyPI; no solver binary is fetched).

Variables: binary x[o, y, p] = option o starts in FY y funded by program p (only the places the
option may go: eligibility, start window, costs inside the horizon, prerequisites able to start
by then); for a program whose money lives longer than a year, continuous u[p, v, t] = money of
FY v spent in FY t (v <= t <= v + lifespan - 1).
Rows: each option at most once; each program's costs of each FY paid by its money (directly, or
through u); prerequisites funded and starting no later (cumulative form, one row per start FY);
mutual exclusions; each country's capacity to absorb per FY; each country's minimum and maximum
over the horizon. Objective: maximise the sum of the values chosen.
"""

from __future__ import annotations

import time
from collections import defaultdict

import highspy
import numpy as np

from .check import ensure_valid
from .heuristics import fill
from .heuristics import finish
from .heuristics import greedy_ledger
from .heuristics import minimum_message
from .ledger import ZERO
from .ledger import Ledger
from .ledger import Prepared
from .ledger import ratio
from .model import Instance
from .model import Plan

INF = highspy.kHighsInf
DEFAULT_REL_GAP = 1e-6


class _Model:
    def __init__(self, prep: Prepared, skip_minimums: bool = False):
        self.prep = prep
        self.cols: list[tuple] = []  # ("x", key, y, p) or ("u", p, v, t)
        self.cost: list[float] = []
        self.col_of: dict[tuple, int] = {}
        self.rows_lo: list[float] = []
        self.rows_hi: list[float] = []
        self.entries: list[tuple[int, int, float]] = []  # (row, col, value)
        self._columns()
        self._rows(skip_minimums)

    def _col(self, name: tuple, objective: float) -> int:
        self.col_of[name] = len(self.cols)
        self.cols.append(name)
        self.cost.append(objective)
        return self.col_of[name]

    def _row(self, terms, lo: float, hi: float) -> None:
        r = len(self.rows_lo)
        self.rows_lo.append(lo)
        self.rows_hi.append(hi)
        self.entries.extend((r, c, v) for c, v in terms)

    def _columns(self) -> None:
        prep = self.prep
        self.x_by_option = defaultdict(list)
        reach = {  # the most each program could pay in each FY, all its live money together
            (p, t): sum(
                (a for v, a in prep.budget[p].items() if v <= t <= v + pr.lifespan_years - 1),
                start=ZERO,
            )
            for p, pr in prep.programs.items()
            for t in prep.years
        }
        for key in prep.topo:
            o = prep.options[key]
            cap = prep.absorb.get(o.country)
            top = prep.maxs.get(o.country)
            if top is not None and prep.total[key] > top:
                continue
            for y, p in prep.placements[key]:
                costs = prep.cost_in(key, y).items()
                if any(c > reach[p, t] or (cap is not None and c > cap) for t, c in costs):
                    continue  # a place it could never fit, even alone: no variable (tighter LP)
                c = self._col(("x", key, y, p), float(prep.options[key].value))
                self.x_by_option[key].append((y, p, c))
        self.u_by = defaultdict(list)  # (p, t) -> cols, and (p, "v", v) -> cols
        for p, program in prep.programs.items():
            if program.lifespan_years <= 1:
                continue
            for v in sorted(prep.budget[p]):
                for t in prep.years:
                    if v <= t <= v + program.lifespan_years - 1:
                        c = self._col(("u", p, v, t), 0.0)
                        self.u_by[p, t].append(c)
                        self.u_by[p, "v", v].append(c)

    def _rows(self, skip_minimums: bool) -> None:
        prep = self.prep
        for xs in self.x_by_option.values():
            if len(xs) > 1:
                self._row([(c, 1.0) for _, _, c in xs], -INF, 1.0)
        spend = defaultdict(list)  # (p, t) -> terms
        absorb = defaultdict(list)  # (country, t) -> terms
        horizon = defaultdict(list)  # country -> terms
        for key, xs in self.x_by_option.items():
            country = prep.options[key].country
            for y, p, c in xs:
                for t, amount in prep.cost_in(key, y).items():
                    spend[p, t].append((c, float(amount)))
                    absorb[country, t].append((c, float(amount)))
                if prep.total[key]:
                    horizon[country].append((c, float(prep.total[key])))
        for (p, t), terms in spend.items():  # program money, by FY
            if prep.programs[p].lifespan_years <= 1:
                self._row(terms, -INF, float(prep.budget[p].get(t, 0)))
            else:
                self._row(terms + [(c, -1.0) for c in self.u_by[p, t]], -INF, 0.0)
        for p, program in prep.programs.items():  # each FY's money spent at most once
            if program.lifespan_years > 1:
                for v, amount in prep.budget[p].items():
                    if self.u_by[p, "v", v]:
                        self._row([(c, 1.0) for c in self.u_by[p, "v", v]], -INF, float(amount))
        for key, xs in self.x_by_option.items():  # prerequisites: funded, starting no later
            for r in sorted(prep.options[key].requires):
                for y in sorted({y for y, _, _ in xs}):
                    mine = [(c, 1.0) for yy, _, c in xs if yy <= y]
                    theirs = [(c, -1.0) for yy, _, c in self.x_by_option.get(r, []) if yy <= y]
                    self._row(mine + theirs, -INF, 0.0)
        for key, xs in self.x_by_option.items():  # mutual exclusions, each pair once
            for e in sorted(prep.excludes[key]):
                if key < e and self.x_by_option.get(e):
                    terms = [(c, 1.0) for _, _, c in xs + self.x_by_option[e]]
                    self._row(terms, -INF, 1.0)
        for (country, _fy), terms in absorb.items():
            if country in prep.absorb:
                self._row(terms, -INF, float(prep.absorb[country]))
        for country in sorted(set(prep.maxs) | (set() if skip_minimums else set(prep.mins))):
            lo = -INF if skip_minimums else float(prep.mins.get(country, 0)) or -INF
            hi = float(prep.maxs[country]) if country in prep.maxs else INF
            self._row(horizon.get(country, []), lo, hi)

    def lp(self, objective=None) -> highspy.HighsLp:
        n, m = len(self.cols), len(self.rows_lo)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.array(self.cost if objective is None else objective, dtype=float)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.array([1.0 if c[0] == "x" else INF for c in self.cols])
        lp.row_lower_ = np.array(self.rows_lo, dtype=float)
        lp.row_upper_ = np.array(self.rows_hi, dtype=float)
        entries = np.array(self.entries, dtype=float).reshape(-1, 3)
        order = np.lexsort((entries[:, 0], entries[:, 1]))
        rows, cols, vals = entries[order, 0], entries[order, 1], entries[order, 2]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.searchsorted(cols, np.arange(n + 1)).astype(np.int32)
        lp.a_matrix_.index_ = rows.astype(np.int32)
        lp.a_matrix_.value_ = vals
        kinds = {"x": highspy.HighsVarType.kInteger, "u": highspy.HighsVarType.kContinuous}
        lp.integrality_ = [kinds[c[0]] for c in self.cols]
        lp.sense_ = highspy.ObjSense.kMaximize
        return lp

    def start_from(self, ledger: Ledger) -> highspy.HighsSolution:
        values = np.zeros(len(self.cols))
        for choice in ledger.chosen.values():
            values[self.col_of["x", choice.option, choice.start_fy, choice.program]] = 1.0
        for p, program in self.prep.programs.items():
            if program.lifespan_years > 1:
                for (v, t), amount in ledger.allocation(p).items():
                    values[self.col_of["u", p, v, t]] = float(amount)
        solution = highspy.HighsSolution()
        solution.col_value = values
        solution.value_valid = True
        return solution


def _highs(time_limit: float, rel_gap: float) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.setOptionValue("random_seed", 0)
    return h


def _progress(on_progress, time_limit: float, failed: list):
    """A HiGHS callback that reports now and then (at most twice a second). An error raised by
    on_progress stops the solve and is raised again once HiGHS has returned."""
    last = [0.0]

    def report(event):
        if failed:
            event.interrupt()
            return
        out = event.data_out
        now = out.running_time
        if now - last[0] < 0.5:
            return
        last[0] = now
        try:
            _report(out, now, event.callback_type != highspy.cb.kCallbackMipInterrupt)
        except Exception as error:  # raised again after the solve
            failed.append(error)
            event.interrupt()

    def _report(out, now, in_lp):
        primal, dual = out.mip_primal_bound, out.mip_dual_bound
        fraction = min(0.95, 0.05 + 0.9 * now / time_limit)
        if in_lp:
            message = f"solving the linear relaxation, {now:.0f} s"
        elif abs(primal) < INF and abs(dual) < INF:
            gap = max(0.0, dual - primal) / max(abs(dual), 1e-9)
            message = (
                f"best value {primal:,.2f}, bound {dual:,.2f}, gap {gap:.2%} after {now:.0f} s"
            )
        elif abs(primal) < INF:
            message = f"best value {primal:,.2f}, bound not known yet, {now:.0f} s"
        else:
            message = f"searching for a first plan, {now:.0f} s"
        on_progress(fraction, message)

    return report


def _knapsack_bound(prep: Prepared) -> float:
    """A bound on the best value that needs no LP (for a time limit reached before HiGHS has
    one): all the money of the horizon as one purse, options taken fractionally, best value per
    dollar first."""
    purse = 0.0
    for p, program in prep.programs.items():
        for v, amount in prep.budget[p].items():
            if v <= prep.last and v + program.lifespan_years - 1 >= prep.first:
                purse += float(amount)
    bound = 0.0
    for key in sorted(prep.options, key=lambda k: -ratio(prep, k)):
        value, cost = prep.options[key].value, float(prep.total[key])
        if key in prep.never or value <= 0:
            continue
        if cost <= purse:
            bound, purse = bound + value, purse - cost
        else:
            return bound + value * purse / cost
    return bound


class _Incumbents:
    """The plans HiGHS reports as it improves, so the best one is never lost."""

    def __init__(self, model: _Model):
        self.cost = np.array(model.cost, dtype=float)
        self.top, self.values = -INF, None

    def worth(self, values) -> float:
        return float(self.cost @ np.asarray(values, dtype=float))

    def keep(self, event) -> None:
        values = np.array(event.data_out.mip_solution, dtype=float)
        if len(values) == len(self.cost) and self.worth(values) > self.top:
            self.top, self.values = self.worth(values), values

    def best(self, *others):
        candidates = [np.asarray(v, dtype=float) for v in others if len(v) == len(self.cost)]
        if self.values is not None:
            candidates.append(self.values)
        chosen = max(candidates, key=self.worth)
        self.top = max(self.top, self.worth(chosen))
        return chosen


def _round_to_ledger(prep: Prepared, model: _Model, values) -> Ledger:
    ledger = Ledger(prep)
    for i, name in enumerate(model.cols):
        if name[0] == "x" and values[i] > 0.5:
            _, key, y, p = name
            ledger.add(key, y, p)
    return ledger


def _repair(prep: Prepared, ledger: Ledger) -> None:
    """Drop the least valuable options (with what needs them) until the exact sums hold: HiGHS
    works in floating point with tolerances; the plan it returns must hold to the cent."""
    while broken := ledger.broken():
        kind, subject, _ = broken[0]
        involved = [
            c.option
            for c in ledger.chosen.values()
            if (kind == "money" and c.program == subject)
            or (kind != "money" and prep.options[c.option].country == subject)
        ]
        drop = min(involved, key=lambda k: (prep.options[k].value, -prep.index[k]))
        needs = [drop]
        while needs:
            k = needs.pop()
            if k in ledger.chosen:
                ledger.remove(k)
                needs += [o for o in ledger.chosen if k in prep.options[o].requires]


def _drop_worthless(prep: Prepared, ledger: Ledger) -> None:
    """HiGHS is indifferent to an option worth nothing: leave it out unless a chosen option needs
    it or its country's minimum does."""
    worthless = [k for k in ledger.chosen if prep.options[k].value <= 0]
    for key in sorted(worthless, key=prep.topo_position.__getitem__, reverse=True):
        needed = any(key in prep.options[k].requires for k in ledger.chosen)
        if not needed:
            choice = ledger.chosen[key]
            ledger.remove(key)
            if ledger.unmet_minimums():
                ledger.add(key, choice.start_fy, choice.program)


def _country_reach(prep: Prepared, country: str, time_limit: float) -> float:
    """The most a plan can spend in one country over the horizon (all rules but the minimums)."""
    model = _Model(prep, skip_minimums=True)
    objective = [0.0] * len(model.cols)
    for i, name in enumerate(model.cols):
        if name[0] == "x" and prep.options[name[1]].country == country:
            objective[i] = float(prep.total[name[1]])
    if not any(objective):
        return 0.0
    h = _highs(time_limit, 1e-9)
    h.passModel(model.lp(objective))
    h.run()
    return max(0.0, h.getInfo().mip_dual_bound)


def _infeasible_message(prep: Prepared, time_limit: float) -> str:
    short = []
    for country in sorted(prep.mins):
        reach = _country_reach(prep, country, max(1.0, time_limit / len(prep.mins)))
        if reach + 1e-6 < float(prep.mins[country]):
            short.append(
                f"no plan can meet {prep.name(country)}'s minimum of {prep.mins[country]:,} "
                f"over the horizon: at most {reach:,.2f} can be funded for it"
            )
    if short:
        return "; ".join(short)
    return minimum_message(prep, sorted(prep.mins), proven=True) + " together"


def solve(
    instance: Instance,
    *,
    time_limit: float = 30.0,
    on_progress=None,
    mip_rel_gap: float = DEFAULT_REL_GAP,
) -> Plan:
    """The best plan (MILP, HiGHS); at the time limit, the best found with its gap. The greedy
    plan is handed to HiGHS as its first solution, so the result is never worse than greedy's."""
    started = time.perf_counter()
    ensure_valid(instance)
    say = on_progress or (lambda fraction, message: None)
    say(0.0, "building the model")
    prep = Prepared(instance)
    greedy_started = time.perf_counter()
    first = greedy_ledger(prep)
    # Reading the plan back and saying why each option was left out costs up to ~3x greedy:
    # HiGHS stops early by that much, so the whole solve keeps to its time limit.
    reserve = min(0.3 * time_limit, 3 * (time.perf_counter() - greedy_started))
    model = _Model(prep)
    if not model.cols:
        empty = Ledger(prep)
        if empty.unmet_minimums():
            message = _infeasible_message(prep, time_limit)
            return finish(prep, empty, "milp", "infeasible", started, message=message)
        say(1.0, "nothing can be funded")
        return finish(prep, empty, "milp", "optimal", started, gap=0.0, bound=0.0)
    h = _highs(time_limit - reserve - (time.perf_counter() - started), mip_rel_gap)
    h.passModel(model.lp())
    if not first.unmet_minimums():
        h.setSolution(model.start_from(first))
    found = _Incumbents(model)
    h.cbMipImprovingSolution.subscribe(found.keep)
    failed: list[Exception] = []
    if on_progress:
        report = _progress(on_progress, time_limit, failed)
        h.cbMipInterrupt.subscribe(report)
        h.cbSimplexInterrupt.subscribe(report)
    say(0.05, f"solving: {len(model.cols):,} variables, {len(model.rows_lo):,} constraints")
    h.run()
    if failed:
        raise failed[0]
    status = h.getModelStatus()
    info = h.getInfo()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,  # bounded variables: infeasible
    ):
        message = _infeasible_message(prep, time_limit)
        say(1.0, message)
        return finish(prep, Ledger(prep), "milp", "infeasible", started, message=message)
    stopped = status not in (
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
    )
    if info.primal_solution_status != 2 or stopped:  # 2: kSolutionStatusFeasible
        if first.unmet_minimums():
            message = "no plan that meets the country minimums was found within the time limit"
            say(1.0, message)
            return finish(prep, Ledger(prep), "milp", "time_limit", started, message=message)
        message = (
            f"the solver stopped ({h.modelStatusToString(status)}) before improving on the "
            f"greedy plan, which this is"
        )
        say(1.0, message)
        bound = max(_knapsack_bound(prep), first.value)
        gap = (bound - first.value) / max(abs(bound), 1e-9)
        return finish(prep, first, "milp", "time_limit", started, gap, message, bound)
    values = found.best(h.getSolution().col_value)
    if found.worth(values) < info.objective_function_value - 1e-6 * max(1.0, abs(found.top)):
        # HiGHS 1.16, handed a start, can report a better value than the plan it hands back
        # (seen when presolve solves the whole model): solve once more without the start.
        again = _highs(time_limit - reserve - (time.perf_counter() - started), mip_rel_gap)
        again.passModel(model.lp())
        again.run()
        if again.getInfo().primal_solution_status == 2:
            values = found.best(values, again.getSolution().col_value)
    ledger = _round_to_ledger(prep, model, values)
    _repair(prep, ledger)
    fill(prep, ledger)  # at a time limit the incumbent may leave out options that still fit
    if not first.unmet_minimums() and (ledger.value < first.value or ledger.unmet_minimums()):
        ledger = first  # HiGHS was handed this plan: it is the incumbent it started from
    _drop_worthless(prep, ledger)
    if ledger.unmet_minimums():  # only when rounding broke a sum and greedy found no plan
        message = "no plan that meets the country minimums held to the cent; try a longer solve"
        return finish(prep, Ledger(prep), "milp", "time_limit", started, message=message)
    bound = max(min(info.mip_dual_bound, _knapsack_bound(prep)), ledger.value)
    reported = info.objective_function_value - 1e-6 * max(1.0, abs(info.objective_function_value))
    optimal = status == highspy.HighsModelStatus.kOptimal and ledger.value >= reported
    gap = 0.0 if optimal else max(0.0, bound - ledger.value) / max(abs(bound), 1e-9)
    state = "optimal" if optimal else "time_limit"
    say(1.0, f"{state}: value {ledger.value:,.2f}, gap {gap:.2%}")
    return finish(prep, ledger, "milp", state, started, gap=gap, bound=bound)
