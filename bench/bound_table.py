"""Issue 15's bound, row by row, from a `bench/ratios.py --json` file: which rows are within it
(API p95 ≤ 2× its floor, page p95 ≤ 3×) and, for every other row, the reason, by the split the
bench measures (decisions 0060, 0069):

- *stack floor*: what the row adds over the cheapest signed-in request of its user and side
  (`over_stack_ms`) is within the bound: the stack alone is over it;
- otherwise the largest of *SQL beyond the floor* (the row's SQL less the stack page's and the
  floor), *template* (templates beyond the stack page's) and *Python per row* (the rest).

    .venv/bin/python bench/bound_table.py var/ratios-enterprise.json [--markdown FILE]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

BOUND = {"api": 2.0, "page": 3.0}
STACK_SQL = {"api": 0.8, "page": 0.5}  # the stack floors' own SQL, ms (ratios.py prints them)


def side(row: dict) -> str:
    return "api" if row["url"].startswith("/api/") else "page"


def reason(row: dict) -> str:
    s = side(row)
    bound = BOUND[s]
    if row["ratio_p95"] <= bound:
        return "within"
    if row["over_stack_ms"] <= bound * row["floor_median_ms"]:
        return "stack floor"
    sql = row["sql_ms"] - STACK_SQL[s] - row["floor_median_ms"]
    template = row.get("template_over_stack_ms") or 0.0
    python = row["over_stack_ms"] - max(sql, 0.0) - template
    parts = {"SQL beyond the floor": sql, "template": template, "Python per row": python}
    return max(parts, key=parts.get)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("json_file")
    parser.add_argument("--markdown", help="write every row over the bound as a Markdown table")
    args = parser.parse_args()
    rows = [r for r in json.load(open(args.json_file))["rows"] if r.get("floor_median_ms")]
    for s in ("api", "page"):
        mine = [r for r in rows if side(r) == s]
        counts = Counter(reason(r) for r in mine)
        print(f"{s}: {len(mine)} rows; " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    if args.markdown:
        over = sorted((r for r in rows if reason(r) != "within"), key=lambda r: -r["median_ms"])
        lines = [
            "| request | user | kind | median | p95 | floor | r95 | +stack | SQL | tmpl | q | reason |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in over:
            url = r["url"] if len(r["url"]) <= 44 else r["url"][:41] + "…"
            lines.append(
                f"| `{url}` | {r['user']} | {r['kind']} | {r['median_ms']:,.1f} | "
                f"{r['p95_ms']:,.1f} | {r['floor_median_ms']:,.1f} | {r['ratio_p95']:.1f}× | "
                f"{r['over_stack_ms']:,.1f} | {r['sql_ms']:,.1f} | {r['template_ms']:,.1f} | "
                f"{r['queries']} | {reason(r)} |"
            )
        with open(args.markdown, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        print(f"{len(over)} rows over the bound written to {args.markdown}")


if __name__ == "__main__":
    main()
