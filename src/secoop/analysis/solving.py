"""From a scenario to the optimizer's Instance and back (issue 16 §3-4).

Everything is read through the door of the user who solves; the optimizer (`secoop.analysis.
optimizer`, a pure package) is called only through its interface: check, solve, greedy. An option
that cannot enter the instance at all (no cost, no program with money in the scenario, a
prerequisite outside it) is kept with its reason, as the optimizer keeps the ones it does not
choose (R-CBA-06).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from secoop.core import keyset
from secoop.core.markings import Marking
from secoop.core.markings import combine
from secoop.core.markings import combine_strict
from secoop.core.related import GuardedPrefetch
from secoop.core.related import related

from . import models as m
from . import rules


def option_key(option_id: int) -> str:
    return f"O{option_id}"


def option_id(key: str) -> int | None:
    return int(key[1:]) if key.startswith("O") and key[1:].isdigit() else None


@dataclass
class Built:
    """The instance and what the plans need to say about each option."""

    instance: object
    options: dict[str, dict] = field(default_factory=dict)  # key → facts kept with the plan
    left_out: dict[str, str] = field(default_factory=dict)  # key → why it is not in the instance
    marking: Marking | None = None


def build(user, scenario: m.Scenario, today: dt.date) -> Built:
    """The optimizer's Instance for `scenario`, as `user` may see it."""
    from secoop.analysis import optimizer

    years = scenario.fiscal_years
    countries = list(m.ScenarioCountry.objects.visible_to(user).filter(scenario=scenario))
    codes = sorted({c.country_id for c in countries})
    budgets: dict[str, dict[int, Decimal]] = defaultdict(dict)
    catalog = {}
    lines = list(
        m.ScenarioBudget.objects.visible_to(user).filter(scenario=scenario).order_by("program_id")
    )
    for line in lines:
        program = related(line, "program", user)
        if program is None:
            continue
        catalog[program.key] = program
        budgets[program.key][line.fiscal_year] = line.amount
    programs = tuple(
        optimizer.Program(
            key=key,
            budget={fy: budgets[key].get(fy, Decimal("0")) for fy in years},
            lifespan_years=max(1, program.lifespan_years),
            eligible_countries=program.eligible,
        )
        for key, program in sorted(catalog.items())
    )
    analyses = {
        a.pk: a
        for a in m.CapabilityAnalysis.objects.visible_to(user).filter(
            country_id__in=codes, status__in=rules.ANALYSIS.states_allowing("reopen")
        )
    }
    weight_rows = list(m.ScenarioWeight.objects.visible_to(user).filter(scenario=scenario))
    weights = {w.analysis_id: w.weight for w in weight_rows}
    planned: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    resources = list(
        m.PlannedResource.objects.visible_to(user).filter(gap__analysis_id__in=list(analyses))
    )
    resource_markings: dict[int, list[Marking]] = defaultdict(list)
    for r in resources:
        planned[r.gap_id][r.fiscal_year] += r.amount  # R-CBA-05
        resource_markings[r.gap_id].append(r.marking)
    options = list(
        m.SolutionOption.objects.visible_to(user)
        .filter(gap__analysis_id__in=list(analyses))
        .select_related("gap")
        .prefetch_related(
            GuardedPrefetch("costs", user),
            GuardedPrefetch("programs", user),
            GuardedPrefetch("requires", user),
            GuardedPrefetch("excludes", user),
        )
        .order_by("pk")
    )
    built = Built(instance=None)
    # The plans keep what they were built from (countries, costs, values, others' resources):
    # marked by every record read, strictly (R-SEC-10, decision 0010), so that no reader sees a
    # plan who could not read each of them.
    markings = [scenario.marking, *(r.marking for r in [*countries, *lines, *weight_rows])]
    markings += [p.marking for p in catalog.values()]  # budgets, lifespans, eligibility
    drafts: dict[str, dict] = {}
    for option in options:
        key = option_key(option.pk)
        gap = related(option, "gap", user)
        analysis = analyses.get(gap.analysis_id) if gap is not None else None
        if analysis is None:
            continue
        markings += [option.marking, gap.marking, analysis.marking]
        markings += [c.marking for c in option.costs.all()]
        markings += resource_markings.get(gap.pk, [])
        costs = {c.fiscal_year: c.amount for c in option.costs.all()}
        net = rules.net_of_planned(costs, planned.get(gap.pk, {}))
        by_year = rules.costs_from_start(net)
        imo = related(analysis, "imo", user)
        # The IMO's priority weighs the option; its programs are named in the plan's reasons.
        markings += [p.marking for p in option.programs.all()]
        markings += [imo.marking] if imo is not None else []
        weight = weights.get(
            analysis.pk, rules.default_weight(imo.priority if imo is not None else None)
        )
        value = rules.option_value(weight, option.expected_effect, option.support)
        funders = sorted(p.key for p in option.programs.all() if p.key in catalog)
        built.options[key] = {
            "option_id": option.pk,
            "analysis_id": analysis.pk,
            "country": analysis.country_id,
            "costs": [str(c) for c in by_year],
            "planned_by_others": str(sum(costs.values(), Decimal("0")) - sum(net.values(), Decimal("0"))),
            "value": value,
            "sweet_spot": option.support.sweet_spot,
            "willing": analysis.partner_willing,
        }  # fmt: skip
        if not by_year:
            built.left_out[key] = "no cost by fiscal year is recorded for it"
            continue
        if not funders:
            names = ", ".join(sorted(p.key for p in option.programs.all())) or "none named"
            built.left_out[key] = (
                f"no program with money in this scenario may fund it (its programs: {names})"
            )
            continue
        drafts[key] = {
            "option": option,
            "country": analysis.country_id,
            "value": value,
            "cost_by_year": by_year,
            "programs": frozenset(funders),
            "earliest": rules.earliest_start(today, option.lead_time_months, scenario.start_fy),
            "latest": option.latest_start_fy,
            "requires": {option_key(o.pk) for o in option.requires.all()},
            "excludes": {option_key(o.pk) for o in option.excludes.all()},
            "willing": analysis.partner_willing,
        }
    # A prerequisite outside the instance can never be funded: neither can what needs it.
    changed = True
    while changed:
        changed = False
        for key, d in list(drafts.items()):
            missing = sorted(k for k in d["requires"] if k not in drafts)
            if missing:
                built.left_out[key] = (
                    f"its prerequisite option {', '.join(missing)} is not in this scenario"
                )
                del drafts[key]
                changed = True
    built.instance = optimizer.Instance(
        fiscal_years=years,
        programs=programs,
        options=tuple(
            optimizer.Option(
                key=key,
                country=d["country"],
                value=d["value"],
                cost_by_year=d["cost_by_year"],
                programs=d["programs"],
                earliest_start=d["earliest"],
                latest_start=d["latest"],
                requires=frozenset(d["requires"]),
                excludes=frozenset(k for k in d["excludes"] if k in drafts),
                partner_willing=d["willing"],
            )
            for key, d in drafts.items()
        ),
        absorb_per_year={
            c.country_id: c.absorb_per_year for c in countries if c.absorb_per_year is not None
        },
        country_min={c.country_id: c.min_total for c in countries if c.min_total is not None},
        country_max={c.country_id: c.max_total for c in countries if c.max_total is not None},
    )
    built.marking = combine_strict(markings)
    return built


def plan_rows(plan, built: Built) -> dict:
    """The fields of a ScenarioPlan for one of the optimizer's Plans."""
    not_chosen = dict(built.left_out)
    not_chosen.update(plan.not_chosen)
    chosen = {c.option for c in plan.choices}
    for key in built.options:
        if key not in chosen and key not in not_chosen:
            not_chosen[key] = "not chosen: a better use of the same money was found"
    return {
        "status": plan.status,
        "value": float(plan.value),
        "gap": plan.gap,
        "seconds": float(plan.seconds),
        "choices": [
            {"option": c.option, "start_fy": c.start_fy, "program": c.program} for c in plan.choices
        ],
        "not_chosen": not_chosen,
        "options": built.options,
    }


def in_words(reason: str, titles: dict[str, str]) -> str:
    """The optimizer names options by key ("excluded by O2"): the reader reads their titles, or
    "a restricted option" for one they may not see."""
    return re.sub(
        r"\bO\d+\b", lambda k: f"“{titles.get(k.group(0), 'a restricted option')}”", reason
    )


def money(value) -> Decimal:
    return Decimal(str(value))


def row_records(row: dict) -> list:
    """The records an unfunded requirement's row shows or adds up (its banner and export
    marking cover them: R-SEC-01)."""
    found = [row["option"], row["gap"], row["analysis"], *row["option"].costs.all()]
    # The reason comes from a plan, marked by everything the solve read (decision 0047).
    return found + [r for r in (row["scenario"], row.get("plan")) if r is not None]


def plan_reasons(user) -> tuple[set[str], dict[str, tuple[str, m.Scenario, m.ScenarioPlan]]]:
    """What the plans `user` may see say (R-CBA-06): the option keys a committed plan funds, and
    for each option the latest reason a plan gives for not funding it, with its scenario and plan.
    Plans are few (one per method and solved scenario): read whole (two queries)."""
    scenarios = {s.pk: s for s in m.Scenario.objects.visible_to(user)}
    funded: set[str] = set()
    reasons: dict[str, tuple[str, m.Scenario, m.ScenarioPlan]] = {}
    plans = m.ScenarioPlan.objects.visible_to(user).filter(scenario_id__in=list(scenarios))
    for plan in plans.order_by("updated_at", "pk"):
        scenario = scenarios[plan.scenario_id]
        committed = scenario.is_committed and scenario.committed_method == plan.method
        if committed:
            funded |= {c["option"] for c in plan.choices}
        if committed or not scenario.is_committed:
            for key, why in plan.not_chosen.items():
                reasons[key] = (why, scenario, plan)
    return funded, reasons


def _ids(keys: Iterable[str]) -> list[int]:
    return sorted({i for i in map(option_id, keys) if i is not None})


def weighed_options(user):
    """The options `user` may see whose gap and analysis they may see too."""
    gaps = m.Gap.objects.visible_to(user).filter(
        analysis__in=m.CapabilityAnalysis.objects.visible_to(user)
    )
    return m.SolutionOption.objects.visible_to(user).filter(gap__in=gaps)


def unfunded_options(user, funded: set[str]):
    """R-CBA-06: the options of weighed_options() no committed plan funds, by id — a queryset,
    so that a page reads its 50 and a count or a marking is one query (issue 15 item 4)."""
    return weighed_options(user).exclude(pk__in=_ids(funded)).order_by("pk")


NOT_WEIGHED = "not yet weighed in a solved scenario"


def unfunded_requirements(user, options: list | None = None, reasons_read=None) -> list[dict]:
    """R-CBA-06: every option the user may see that no committed plan funds, kept with the
    reason: the partner's lack of will (R-CBA-02), the latest plan's binding reason, or that no
    solved scenario has weighed it yet. `options`: only these of unfunded_options(), their costs
    prefetched (a page of the list); `reasons_read`: plan_reasons(user), when the caller has it."""
    funded, reasons = reasons_read or plan_reasons(user)
    if options is None:
        options = list(
            unfunded_options(user, funded).prefetch_related(GuardedPrefetch("costs", user))
        )
    gaps = {
        g.pk: g for g in m.Gap.objects.visible_to(user).filter(pk__in={o.gap_id for o in options})
    }
    analyses = {
        a.pk: a
        for a in m.CapabilityAnalysis.objects.visible_to(user)
        .select_related("country")
        .filter(pk__in={g.analysis_id for g in gaps.values()})
    }
    found = {o.pk: reasons.get(option_key(o.pk), (NOT_WEIGHED, None, None)) for o in options}
    # The reasons name other options by key: their titles, where the user may see them.
    named = _ids(k for why, _, _ in found.values() for k in re.findall(r"\bO\d+\b", why))
    titles = {
        option_key(pk): title
        for pk, title in weighed_options(user).filter(pk__in=named).values_list("pk", "title")
    }
    rows = []
    for o in options:
        gap = gaps[o.gap_id]
        analysis = analyses[gap.analysis_id]
        why, scenario, plan = found[o.pk]
        if not analysis.partner_willing:
            why = "the partner has no will to play this role (R-CBA-02): never resourced"
        rows.append(
            {
                "option": o,
                "gap": gap,
                "analysis": analysis,
                "country": analysis.country,
                "total": sum((c.amount for c in o.costs.all()), Decimal("0")),
                "reason": in_words(why, titles),
                "scenario": scenario,
                "plan": plan,
            }
        )
    return rows


def unfunded_summary(user) -> tuple[keyset.Count, Marking]:
    """How many unfunded requirements `user` may see (bounded, core.keyset) and the marking of
    everything those rows would show or add up (row_records of each: option, gap, analysis, costs,
    the scenario and plan of its reason) — counted by the database, never read row by row."""
    from secoop.core.list_exports import rows_marking

    funded, reasons = plan_reasons(user)
    unfunded = unfunded_options(user, funded)
    gaps = m.Gap.objects.visible_to(user).filter(pk__in=unfunded.values("gap_id"))
    analyses = m.CapabilityAnalysis.objects.visible_to(user).filter(
        pk__in=gaps.values("analysis_id")
    )
    costs = m.OptionCost.objects.visible_to(user).filter(option__in=unfunded)
    explained = unfunded.filter(pk__in=_ids(reasons)).values_list("pk", flat=True)
    planned = [r for pk in explained for r in reasons[option_key(pk)][1:]]
    marking = combine(
        [rows_marking(q) for q in (unfunded, gaps, analyses, costs)] + [r.marking for r in planned]
    )
    return keyset.bounded_count(unfunded), marking
