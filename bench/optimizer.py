"""The portfolio optimizer at scale (issue 16 §3): generated instances from 100 to 5,000 options
over 5 fiscal years and 20 countries, each solved by the MILP (HiGHS, with a time limit so the
bench ends) and by the greedy baseline.

    python bench/optimizer.py                                  # 100 .. 5,000 options, 60 s a solve
    python bench/optimizer.py --sizes 100 1000 --time-limit 20 --json var/optimizer.json

Pure Python: no database, no Django. Prints per size: variables and constraints of the MILP,
its status, solve time, relative gap (bound - value) / bound, the MILP's value, greedy's value and
time, and MILP / greedy. Each plan is checked again (money, absorb, country limits, prerequisites,
exclusions) before its row is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SIZES = (100, 250, 500, 1000, 2500, 5000)


def plan_breaks(instance, plan) -> list:
    """What the plan breaks, read again from scratch with the package's exact ledger: money,
    capacity to absorb, country minimums and maximums, prerequisites and exclusions."""
    from secoop.analysis.optimizer.ledger import Ledger
    from secoop.analysis.optimizer.ledger import Prepared

    prep = Prepared(instance)
    ledger = Ledger(prep)
    for c in plan.choices:
        ledger.add(c.option, c.start_fy, c.program)
    broken = ledger.broken() + [("minimum", c, None) for c in ledger.unmet_minimums()]
    for c in plan.choices:
        o = prep.options[c.option]
        late = [
            r
            for r in o.requires
            if r not in ledger.chosen or ledger.chosen[r].start_fy > c.start_fy
        ]
        both = [e for e in o.excludes if e in ledger.chosen]
        broken += [("prerequisite", c.option, r) for r in late] + [
            ("excluded", c.option, e) for e in both
        ]
    return broken


def row(size: int, seed: int, time_limit: float) -> dict:
    from secoop.analysis.optimizer import greedy
    from secoop.analysis.optimizer import solve
    from secoop.analysis.optimizer.ledger import Prepared
    from secoop.analysis.optimizer.milp import _Model
    from secoop.analysis.optimizer.sample import generate

    instance = generate(size, countries=20, years=5, seed=seed)
    model = _Model(Prepared(instance))
    base = greedy(instance)
    started = time.process_time()
    best = solve(instance, time_limit=time_limit)
    cpu = time.process_time() - started
    for plan in (base, best):
        if plan.status != "infeasible" and plan_breaks(instance, plan):
            raise SystemExit(f"{plan.method} plan at {size} options breaks a rule")
    return {
        "options": size,
        "variables": len(model.cols),
        "constraints": len(model.rows_lo),
        "status": best.status,
        "seconds": round(best.seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "gap": best.gap,
        "value": round(best.value, 2),
        "bound": None if best.bound is None else round(best.bound, 2),
        "chosen": len(best.choices),
        "greedy_value": round(base.value, 2),
        "greedy_seconds": round(base.seconds, 2),
        "greedy_chosen": len(base.choices),
        "milp_over_greedy": round(best.value / base.value, 4) if base.value else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per MILP solve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    head = (
        f"{'options':>7} {'vars':>7} {'rows':>6} {'status':>10} {'solve s':>8} {'cpu s':>6} {'gap':>7} "
        f"{'MILP value':>11} {'greedy value':>12} {'greedy s':>8} {'MILP/greedy':>11}"
    )
    print(f"time limit {args.time_limit:g} s per solve, 5 FYs, 20 countries, seed {args.seed}")
    print(head)
    rows = []
    for size in args.sizes:
        r = row(size, args.seed, args.time_limit)
        rows.append(r)
        gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
        ratio = "-" if r["milp_over_greedy"] is None else f"{r['milp_over_greedy']:.4f}"
        print(
            f"{r['options']:>7,} {r['variables']:>7,} {r['constraints']:>6,} {r['status']:>10} "
            f"{r['seconds']:>8.1f} {r['cpu_seconds']:>6.1f} {gap:>7} {r['value']:>11,.1f} {r['greedy_value']:>12,.1f} "
            f"{r['greedy_seconds']:>8.2f} {ratio:>11}",
            flush=True,
        )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps({"time_limit": args.time_limit, "rows": rows}, indent=2)
        )


if __name__ == "__main__":
    main()
