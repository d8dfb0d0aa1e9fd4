"""XLSX exports (reports/ builders): a scenario with both plans side by side, and the unfunded
requirements (R-CBA-06). Marked by the highest marking of what they hold."""

from __future__ import annotations

from secoop.core.markings import combine
from secoop.core.related import related
from secoop.reports import xlsx as excel
from secoop.reports.common import Report
from secoop.reports.common import generated

from . import actions
from . import solving
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioCountry


def scenario_report(user, scenario: Scenario) -> Report:
    from .views import plan_view

    budgets = list(ScenarioBudget.objects.visible_to(user).filter(scenario=scenario))
    countries = list(ScenarioCountry.objects.visible_to(user).filter(scenario=scenario))
    plans = actions.plans_of(user, scenario)
    view = plan_view(user, plans)
    programs = [related(b, "program", user) for b in budgets]
    marking = combine(
        [scenario.marking]
        + [r.marking for r in budgets + countries]
        + [p.marking for p in programs if p is not None]  # the Budgets sheet names them
        + [p.marking for p in plans.values()]
        + [o.marking for o in view["shown"]]
    )
    heading = [
        f"Resourcing scenario “{scenario.title}” — {scenario.period_label} — {generated(user)}"
    ]
    wb = excel.workbook()
    excel.table_sheet(
        wb,
        "Budgets",
        marking,
        ["Program", "Fiscal year", "New money (USD)"],
        [
            [getattr(p, "key", "(restricted)"), b.fiscal_year, b.amount]
            for p, b in zip(programs, budgets, strict=True)
        ],
        heading=heading,
        money=[False, False, True],
    )
    excel.table_sheet(
        wb,
        "Countries",
        marking,
        ["Country", "Absorb per year (USD)", "Minimum (USD)", "Maximum (USD)"],
        [[c.country_id, c.absorb_per_year, c.min_total, c.max_total] for c in countries],
        heading=heading,
    )
    excel.table_sheet(
        wb,
        "Plans",
        marking,
        ["Method", "Status", "Value", "Optimality gap", "Seconds", "Options funded"],
        [
            [
                p.method_label,
                p.status,
                round(p.value, 4),
                p.gap,
                round(p.seconds, 3),
                len(p.choices),
            ]
            for p in view["methods"]
        ],
        heading=heading,
    )
    for column in view["columns"]:
        plan, chosen = column["plan"], column["chosen"]
        excel.table_sheet(
            wb,
            f"Funded - {plan.method}",
            marking,
            ["Option", "Country", "Start", "Program", "Cost (USD)"],
            [
                [str(c["option"]), c["country"], f"FY{c['start_fy']}", c["program"], c["cost"]]
                for c in chosen
            ],
            heading=heading + [plan.method_label],
        )
    excel.table_sheet(
        wb,
        "Not funded",
        marking,
        ["Option", *(f"Why not ({p.method_label})" for p in view["methods"])],
        [[str(u["option"]), *u["reasons"]] for u in view["unfunded"]],
        heading=heading,
    )
    name = f"scenario-{scenario.pk}.xlsx"
    return Report(excel.save(wb, marking), name, marking)


def unfunded_report(user, rows: list[dict]) -> Report:
    marking = (
        combine([rec.marking for r in rows for rec in solving.row_records(r)]) if rows else None
    )
    if marking is None:
        from secoop.core.markings import Marking

        marking = Marking.parse("CUI")
    wb = excel.workbook()
    excel.table_sheet(
        wb,
        "Unfunded requirements",
        marking,
        ["Country", "Analysis", "Gap", "Option", "Cost (USD)", "Why not funded", "Scenario"],
        [
            [
                r["country"].name,
                r["analysis"].title,
                r["gap"].title,
                r["option"].title,
                r["total"],
                r["reason"],
                r["scenario"].title if r["scenario"] else "",
            ]
            for r in rows
        ],
        heading=[f"Unfunded requirements (R-CBA-06) — {generated(user)}"],
    )
    return Report(excel.save(wb, marking), "unfunded-requirements.xlsx", marking)
