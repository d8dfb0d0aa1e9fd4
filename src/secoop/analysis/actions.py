"""Analysis actions (ARCHITECTURE invariant 2): every write of an analysis record goes through here.

Each function names its roles (@acts), checks the rules (rules.py; a Refused names the rule and
the fix), writes the change and its change-log entry in one transaction. Views and the API call
these; they never set a status themselves.

    create(user, record, reason=) / update(user, record, changes, reason=) / delete(user, record)
    set_costs(user, option, {fy: amount}) / set_links(user, option, programs=, requires=, excludes=)
    mark_ready(user, analysis) / reopen_analysis(user, analysis)          R-CBA-01, R-CBA-03
    set_scenario_inputs(user, scenario, budgets=, countries=, weights=)
    solve_scenario(user, scenario)   the optimizer and the greedy baseline (large ones in the background)
    commit_scenario(user, scenario, method)   the chosen plan into planned activities (planning)
    copy_scenario(user, scenario, title=)   a draft variant with the same budgets, countries, weights
    update_program(user, program, changes) / create_program(user, program)   the catalog
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from secoop.core import access
from secoop.core import actions as core
from secoop.core.action_reads import reload_editable
from secoop.core.action_reads import visible
from secoop.core.clock import acting_today as today
from secoop.core.fiscal import fy_end
from secoop.core.fiscal import fy_start
from secoop.core.markings import combine_strict
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.models.records import MarkedModel
from secoop.core.models.records import system_writes
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.rules import Role
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import refuse_if
from secoop.planning import actions as planning
from secoop.planning.models import Activity
from secoop.planning.models import ActivityType
from secoop.planning.models import LineOfActivity

from . import rules
from . import solving
from .models import CapabilityAnalysis
from .models import Gap
from .models import OptionCost
from .models import PlannedResource
from .models import Program
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioCountry
from .models import ScenarioPlan
from .models import ScenarioWeight
from .models import SolutionOption

# Who analyses (SPEC §1, §3): the SCO and the CCMD planners and desk officers with the country
# team, DSCA, OSD Policy, the Joint Staff and State PM. U.S. staff only: the analysis weighs the
# partner's will and risks (R-SEC-03); LE assistants do not enter it.
ANALYSTS = (
    Role.CCMD
    | Role.SCO
    | {
        Role.DSCA_STAFF,
        Role.OSD_POLICY,
        Role.JOINT_STAFF,
        Role.STATE_PM,
        Role.COUNTRY_TEAM,
    }
)
# Scenarios spend theater money: the CCMD planners and the staffs above them.
RESOURCERS = Role.CCMD | {Role.DSCA_STAFF, Role.OSD_POLICY, Role.JOINT_STAFF}
# The catalog is reference data DSCA keeps; administrators keep reference data (R-SEC-11).
CATALOG_KEEPERS = frozenset({Role.ADMINISTRATOR, Role.DSCA_STAFF})

PROGRAM_FIELDS = frozenset(
    f.name
    for f in Program._meta.concrete_fields
    if f.name not in ("id", "created_at", "updated_at", "owner_org")
) | {"marking"}


# --- the rules per record type --------------------------------------------------------------------


def _bpc_keys(
    option: SolutionOption, programs: Iterable[Program] | None = None, reader: User | None = None
) -> list[str]:
    """The BPC programs that may fund the option, by key; with `reader`, one that reader may not
    see is not named (a refusal names them)."""
    if programs is None:
        if option.pk is None:
            return []
        programs = Program.objects.system().filter(options=option)
    bpc = [p for p in programs if p.is_bpc]
    if reader is None or not bpc:
        return [p.key for p in bpc]
    shown = set(Program.objects.visible_to(reader).filter(pk__in=[p.pk for p in bpc]).values_list("pk", flat=True))  # fmt: skip
    return [p.key if p.pk in shown else "a program you may not see" for p in bpc]


def check(record: MarkedModel, before: MarkedModel | None = None, user: User | None = None) -> None:
    if isinstance(record, Gap) and record.pk is not None and not record.dotmlpf:
        # R-CBA-01: a gap keeps its DOTMLPF-P class while a BPC program may fund one of its options.
        for option in SolutionOption.objects.system().filter(gap=record):
            refuse_if(rules.bpc_needs_dotmlpf("", _bpc_keys(option, reader=user)))
    elif isinstance(record, Scenario):
        refuse_if(rules.scenario_period_problem(record.start_fy, record.end_fy))
    elif isinstance(record, ScenarioCountry):
        refuse_if(rules.country_limits_problem(record.min_total, record.max_total))


def _require_visible_links(acting_user: User, record: MarkedModel) -> None:
    """No one links a record to one they may not read (a hidden IMO or gap guessed by its id)."""
    for f in record._meta.concrete_fields:
        if not f.is_relation or not issubclass(f.related_model, MarkedModel):
            continue
        if getattr(record, f.attname) is None:
            continue
        if (
            f.related_model.objects.visible_to(acting_user)
            .filter(pk=getattr(record, f.attname))
            .exists()
        ):
            continue
        raise Refused(
            Finding(
                "R-SEC-01",
                f"no {f.verbose_name} #{getattr(record, f.attname)} that you may see: choose another.",
                field=f.name,
            )
        )


@acts(ANALYSTS, what="enter a capabilities-based analysis record")
def create(acting_user: User, record: MarkedModel, *, reason: str = "") -> MarkedModel:
    if isinstance(record, Scenario):
        from secoop.core.permissions import require_role

        require_role(acting_user, RESOURCERS, None, "create a resourcing scenario")
    with transaction.atomic():
        _require_visible_links(acting_user, record)
        check(record)
        return core.create_record(acting_user, record, reason=reason)


@acts(ANALYSTS, what="change a capabilities-based analysis record")
def update(
    acting_user: User, record: MarkedModel, changes: dict[str, Any], *, reason: str = ""
) -> MarkedModel:
    with transaction.atomic():
        current = reload_editable(acting_user, record)
        core.set_fields(current, changes)
        _require_visible_links(acting_user, current)
        check(current, user=acting_user)
        return core.update_record(acting_user, record, changes, reason=reason)


@acts(ANALYSTS, what="delete a capabilities-based analysis record")
def delete(acting_user: User, record: MarkedModel, *, reason: str = "") -> None:
    if isinstance(record, Scenario) and record.is_committed:
        raise Refused(
            Finding("R-CBA-06", "a committed scenario stays on record with its unfunded list.")
        )
    core.delete_record(acting_user, record, reason=reason)


# --- option costs and links ------------------------------------------------------------------------


def _replace_rows(acting_user, existing, wanted: Mapping, make, reason: str) -> None:
    """Bring child rows keyed by fiscal year (or another key) to `wanted`, each change logged."""
    for key, row in existing.items():
        if key not in wanted:
            core.delete_record(acting_user, row, reason=reason)
        elif row.amount != wanted[key]:
            core.update_record(acting_user, row, {"amount": wanted[key]}, reason=reason)
    for key, amount in wanted.items():
        if key not in existing:
            core.create_record(acting_user, make(key, amount), reason=reason)


def _rows_seen(acting_user, queryset, key, wanted, label, field: str) -> dict:
    """The child rows of `queryset` (read past the door) that `acting_user` may see, by `key`:
    only those are replaced. A row they may not see (marked above its parent) is kept as it is,
    since no page or answer showed it; naming its key in `wanted` is refused (R-SEC-01), told
    no more than `label(key)`."""
    rows = list(queryset)
    seen = set(
        queryset.model.objects.visible_to(acting_user)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    hidden = [key(r) for r in rows if r.pk not in seen and key(r) in wanted]
    if hidden:
        raise Refused(Finding("R-SEC-01", f"{label(hidden[0])} is not yours to change: leave it out.", field=field))  # fmt: skip
    return {key(r): r for r in rows if r.pk in seen}


@acts(ANALYSTS, what="set a solution option's cost by fiscal year")
def set_costs(
    acting_user: User, option: SolutionOption, costs: Mapping[int, Decimal], *, reason: str = ""
) -> SolutionOption:
    bad = [fy for fy, amount in costs.items() if amount < 0]
    if bad:
        raise Refused(
            Finding("", f"FY{bad[0]}: a cost is not negative.", "Give 0 or more.", field="costs")
        )
    with transaction.atomic():
        current = reload_editable(acting_user, option)
        existing = _rows_seen(
            acting_user, OptionCost.objects.system().filter(option=current),
            lambda c: c.fiscal_year, costs, lambda fy: f"the FY{fy} cost of this option", "costs",
        )  # fmt: skip

        def make(fy, amount):
            row = OptionCost(option=current, fiscal_year=fy, amount=amount)
            row.marking = current.marking
            return row

        _replace_rows(acting_user, existing, costs, make, reason)
    return current


@acts(ANALYSTS, what="set the programs, prerequisites and exclusions of a solution option")
def set_links(
    acting_user: User,
    option: SolutionOption,
    *,
    programs: Iterable[Program] = (),
    requires: Iterable[SolutionOption] = (),
    excludes: Iterable[SolutionOption] = (),
    reason: str = "",
) -> SolutionOption:
    programs, requires, excludes = list(programs), list(requires), list(excludes)
    with transaction.atomic():
        current = reload_editable(acting_user, option)
        for other in (*requires, *excludes):
            if other.pk == current.pk:
                raise Refused(
                    Finding("", "an option cannot require or exclude itself.", field="requires")
                )
            if not SolutionOption.objects.visible_to(acting_user).filter(pk=other.pk).exists():
                raise Refused(
                    Finding(
                        "R-SEC-01", f"no option #{other.pk} that you may see.", field="requires"
                    )
                )
        if {o.pk for o in requires} & {o.pk for o in excludes}:
            raise Refused(
                Finding(
                    "",
                    "an option cannot both require and exclude the same option.",
                    field="excludes",
                )
            )
        before = links_of(current.pk)
        # A link to a program or option the writer may not see stays: they were never shown it,
        # so leaving it out does not remove it (as a scenario keeps a hidden analysis's weight).
        seen = links_of(current.pk, acting_user)
        kept_programs = list(Program.objects.system().filter(key__in=set(before["programs"]) - set(seen["programs"])))  # fmt: skip
        gap = Gap.objects.system().get(pk=current.gap_id)
        funders = [*programs, *kept_programs]
        refuse_if(rules.bpc_needs_dotmlpf(gap.dotmlpf, _bpc_keys(current, funders, acting_user)))  # R-CBA-01 # fmt: skip
        kept = {
            name: list(SolutionOption.objects.system().filter(pk__in=set(before[name]) - set(seen[name])))
            for name in ("requires", "excludes")
        }  # fmt: skip
        _set_links(
            current.pk,
            funders,
            [*requires, *kept["requires"]],
            [*excludes, *kept["excludes"]],
        )
        after = links_of(current.pk)
        if before != after:
            entry = core.build_change_entry(acting_user, current, ChangeAction.UPDATE, before, after, reason)  # fmt: skip
            # The entry names every linked program and option: marked by them too, so no reader
            # learns of one they may not see through the option's history (R-SEC-10).
            linked = [
                *Program.objects.system().filter(key__in={*before["programs"], *after["programs"]}),
                *SolutionOption.objects.system().filter(
                    pk__in={*before["requires"], *after["requires"], *before["excludes"], *after["excludes"]}
                ),
            ]  # fmt: skip
            entry.marking = combine_strict([entry.marking, *(r.marking for r in linked)])
            entry.save()
    return current


PROGRAMS = SolutionOption.programs.through
REQUIRES = SolutionOption.requires.through
EXCLUDES = SolutionOption.excludes.through


@not_an_action("reads an option's links (ids) for its change-log entry")
def links_of(option_id: int, reader: User | None = None) -> dict:
    """The option's programs (keys), prerequisites and exclusions (ids), from the link tables;
    with `reader`, only the programs and options that reader may see."""
    programs = Program.objects.system() if reader is None else Program.objects.visible_to(reader)
    options = SolutionOption.objects.system() if reader is None else SolutionOption.objects.visible_to(reader)  # fmt: skip
    keys = programs.filter(
        pk__in=PROGRAMS.objects.filter(solutionoption_id=option_id).values("program_id")
    )
    requires = REQUIRES.objects.filter(from_solutionoption_id=option_id).values("to_solutionoption_id")  # fmt: skip
    excludes = EXCLUDES.objects.filter(from_solutionoption_id=option_id).values("to_solutionoption_id")  # fmt: skip
    return {
        "programs": sorted(keys.values_list("key", flat=True)),
        "requires": sorted(options.filter(pk__in=requires).values_list("pk", flat=True)),
        "excludes": sorted(options.filter(pk__in=excludes).values_list("pk", flat=True)),
    }


def _set_links(option_id: int, programs, requires, excludes) -> None:
    """Write the link tables directly: the related managers would read the linked records past
    the door (the action has already checked that the user may see each one)."""
    PROGRAMS.objects.filter(solutionoption_id=option_id).delete()
    PROGRAMS.objects.bulk_create(
        PROGRAMS(solutionoption_id=option_id, program_id=p.pk) for p in programs
    )
    REQUIRES.objects.filter(from_solutionoption_id=option_id).delete()
    REQUIRES.objects.bulk_create(
        REQUIRES(from_solutionoption_id=option_id, to_solutionoption_id=o.pk) for o in requires
    )
    # Mutually exclusive is symmetrical: both directions are stored.
    EXCLUDES.objects.filter(from_solutionoption_id=option_id).delete()
    EXCLUDES.objects.filter(to_solutionoption_id=option_id).delete()
    EXCLUDES.objects.bulk_create(
        row
        for o in excludes
        for row in (
            EXCLUDES(from_solutionoption_id=option_id, to_solutionoption_id=o.pk),
            EXCLUDES(from_solutionoption_id=o.pk, to_solutionoption_id=option_id),
        )
    )  # fmt: skip


# --- the analysis lifecycle ----------------------------------------------------------------------


@not_an_action("gathers the facts of an analysis for rules.ready_findings; changes nothing")
def ready_facts(analysis: CapabilityAnalysis, reader: User | None = None) -> rules.ReadyFacts:
    """Every gap and option counts (the rule is about the whole analysis); a gap the `reader` may
    not see is named as such, never by its title."""
    gaps = list(Gap.objects.system().filter(analysis=analysis))
    options = list(SolutionOption.objects.system().filter(gap__analysis=analysis))
    shown = (
        {g.pk for g in Gap.objects.visible_to(reader).filter(analysis=analysis)}
        if reader is not None
        else {g.pk for g in gaps}
    )
    unclassified = []
    for gap in gaps:
        if gap.dotmlpf:
            continue
        if any(_bpc_keys(o) for o in options if o.gap_id == gap.pk):
            unclassified.append(gap.title if gap.pk in shown else "(a gap you may not see)")
    return rules.ReadyFacts(
        desire=analysis.partner_desire,
        considerations=analysis.considerations(),
        gaps=len(gaps),
        options=len(options),
        bpc_gaps_unclassified=tuple(unclassified),
    )


def _transition(acting_user, analysis, name: str, reason: str) -> CapabilityAnalysis:
    current = reload_editable(acting_user, analysis)
    problem = rules.ANALYSIS.problem(name, current.status)
    if problem:
        raise Refused(Finding("", problem, field="status"))
    return core.update_record(
        acting_user,
        analysis,
        {"status": rules.ANALYSIS[name].target},
        reason=reason,
        transition=name,
    )


@acts(ANALYSTS, what="mark a capabilities-based analysis ready for resourcing")
def mark_ready(
    acting_user: User, analysis: CapabilityAnalysis, *, reason: str = ""
) -> CapabilityAnalysis:
    with transaction.atomic():
        refuse_if(
            rules.ready_findings(ready_facts(reload_editable(acting_user, analysis), acting_user))
        )
        return _transition(acting_user, analysis, "ready", reason)


@acts(ANALYSTS, what="reopen a capabilities-based analysis")
def reopen_analysis(
    acting_user: User, analysis: CapabilityAnalysis, *, reason: str = ""
) -> CapabilityAnalysis:
    with transaction.atomic():
        return _transition(acting_user, analysis, "reopen", reason)


# --- the program catalog --------------------------------------------------------------------------


@acts(CATALOG_KEEPERS, what="change the SC program catalog")
def update_program(
    acting_user: User, program: Program, changes: dict[str, Any], *, reason: str = ""
) -> Program:
    """An administrator or DSCA corrects a catalog row: every field but its id, change-logged."""
    unknown = sorted(set(changes) - PROGRAM_FIELDS)
    if unknown:
        raise Refused(Finding("", f"{unknown[0]} is not a catalog field.", field=unknown[0]))
    with transaction.atomic():
        current = Program.objects.system().select_for_update().get(pk=program.pk)
        before = core.snapshot(current)
        core.set_fields(current, changes)
        if not (current.source or "").strip():
            raise Refused(
                Finding(
                    "", "every catalog fact keeps its source.", "Name the source.", field="source"
                )
            )
        current.full_clean()
        after = core.snapshot(current)
        if before != after:
            current.save()
            core.log_change(acting_user, current, ChangeAction.UPDATE, before, after, reason)
    for f in current._meta.concrete_fields:
        setattr(program, f.attname, getattr(current, f.attname))
    return current


@acts(CATALOG_KEEPERS, what="add a program to the SC program catalog")
def create_program(acting_user: User, program: Program, *, reason: str = "") -> Program:
    if not (program.source or "").strip():
        raise Refused(
            Finding("", "every catalog fact keeps its source.", "Name the source.", field="source")
        )
    core.check_marking(program.marking)
    core.check_new_marking(acting_user, program.marking)
    if not access.can_see_record(acting_user, program):
        # No one writes a record they could not then read (administration is not a clearance).
        raise Refused(Finding("R-SEC-01", f"you could not read a catalog row marked {program.marking_text}: choose a marking your clearance covers.", field="marking"))  # fmt: skip
    with transaction.atomic():
        program.full_clean()
        program.save()
        core.log_change(
            acting_user, program, ChangeAction.CREATE, None, core.snapshot(program), reason
        )
    return program


# --- scenarios ----------------------------------------------------------------------------------


@acts(RESOURCERS, what="set a scenario's budgets, countries and weights")
def set_scenario_inputs(
    acting_user: User,
    scenario: Scenario,
    *,
    budgets: Iterable[rules.BudgetLine] | None = None,
    countries: Iterable[Mapping[str, Any]] | None = None,
    weights: Mapping[int, Decimal] | None = None,
    reason: str = "",
) -> Scenario:
    with transaction.atomic():
        current = reload_editable(acting_user, scenario)
        if current.is_committed:
            raise Refused(Finding("", "a committed scenario no longer changes: copy it instead."))
        if budgets is not None:
            programs = {p.key: p for p in Program.objects.visible_to(acting_user)}
            wanted = {}
            for line in budgets:
                if line.program not in programs:
                    raise Refused(
                        Finding("", f"{line.program} is not in the catalog.", field="budgets")
                    )
                if line.amount < 0:
                    raise Refused(
                        Finding("", f"{line.program} FY{line.fiscal_year}: a budget is not negative.", field="budgets")
                    )  # fmt: skip
                if not current.start_fy <= line.fiscal_year <= current.end_fy:
                    raise Refused(
                        Finding("", f"{line.program} FY{line.fiscal_year} is outside the scenario's fiscal years ({current.period_label}).", field="budgets")
                    )  # fmt: skip
                if (programs[line.program].pk, line.fiscal_year) in wanted:
                    raise Refused(
                        Finding("", f"{line.program} FY{line.fiscal_year} is given twice: give one amount.", field="budgets")
                    )  # fmt: skip
                wanted[(programs[line.program].pk, line.fiscal_year)] = line.amount
            # The lines of programs the writer may not see stay as they are (as the weights of
            # hidden analyses do): no one removes or rewrites what they cannot read.
            shown_ids = {p.pk for p in programs.values()}
            existing = _rows_seen(
                acting_user,
                ScenarioBudget.objects.system().filter(scenario=current, program_id__in=shown_ids),
                lambda b: (b.program_id, b.fiscal_year), wanted,
                lambda k: f"the FY{k[1]} budget line of this program", "budgets",
            )  # fmt: skip

            def make_budget(key, amount):
                row = ScenarioBudget(
                    scenario=current, program_id=key[0], fiscal_year=key[1], amount=amount
                )
                row.marking = current.marking
                return row  # fmt: skip

            _replace_rows(acting_user, existing, wanted, make_budget, reason)
        if countries is not None:
            countries = list(countries)
            rows = {c["country"]: c for c in countries}
            if len(rows) < len(countries):
                raise Refused(Finding("", "a country is given twice: give each once.", field="countries"))  # fmt: skip
            for c in rows.values():
                refuse_if(rules.country_limits_problem(c.get("min_total"), c.get("max_total")))
            existing_c = _rows_seen(
                acting_user, ScenarioCountry.objects.system().filter(scenario=current),
                lambda c: c.country_id, rows, lambda code: f"the row of {code}", "countries",
            )  # fmt: skip
            for code, row in existing_c.items():
                if code not in rows:
                    core.delete_record(acting_user, row, reason=reason)
            for code, c in rows.items():
                values = {k: c.get(k) for k in ("absorb_per_year", "min_total", "max_total")}
                if code in existing_c:
                    core.update_record(acting_user, existing_c[code], values, reason=reason)
                else:
                    row = ScenarioCountry(scenario=current, country_id=code, **values)
                    row.marking = current.marking
                    core.create_record(acting_user, row, reason=reason)
        if weights is not None:
            existing_w = {
                w.analysis_id: w for w in ScenarioWeight.objects.system().filter(scenario=current)
            }
            shown = set(
                CapabilityAnalysis.objects.visible_to(acting_user)
                .filter(pk__in=list(existing_w))
                .values_list("pk", flat=True)
            )
            for analysis_id, row in existing_w.items():
                if analysis_id in shown and analysis_id not in weights:
                    core.delete_record(acting_user, row, reason=reason)
            for analysis_id, weight in weights.items():
                if (
                    not CapabilityAnalysis.objects.visible_to(acting_user)
                    .filter(pk=analysis_id)
                    .exists()
                ):
                    raise Refused(Finding("R-SEC-01", f"no analysis #{analysis_id} that you may see.", field="weights"))  # fmt: skip
                if analysis_id in existing_w:
                    core.update_record(acting_user, existing_w[analysis_id], {"weight": weight}, reason=reason)  # fmt: skip
                else:
                    row = ScenarioWeight(scenario=current, analysis_id=analysis_id, weight=weight)
                    row.marking = current.marking
                    core.create_record(acting_user, row, reason=reason)
    return current


def _progress(scenario_id: int, state: str, fraction: float, message: str) -> None:
    with system_writes("the progress of a scenario's solve"):
        Scenario.objects.system().filter(pk=scenario_id).update(
            solve_state=state, solve_progress=max(0.0, min(1.0, fraction)), solve_message=message[:500]
        )  # fmt: skip


@not_an_action(
    "the solve itself, after solve_scenario checked the user; the task worker runs it too"
)
def run_solve(scenario_id: int, user_id: int) -> list[str]:
    """Build the instance as the user sees it, run the optimizer and the greedy baseline, store
    both plans. Returns the instance's problems ([] when it solved)."""
    from secoop.analysis import optimizer

    user = User.objects.get(pk=user_id)
    scenario = Scenario.objects.editable_by(user).filter(pk=scenario_id).first()
    if scenario is None:
        return ["the scenario is no longer yours to solve"]
    _progress(scenario_id, "running", 0.0, "Reading the scenario")
    built = solving.build(user, scenario, today(user))
    problems = optimizer.check(built.instance)
    if problems:
        _progress(scenario_id, "failed", 0.0, "; ".join(problems))
        return problems

    def on_progress(fraction: float, message: str) -> None:
        _progress(scenario_id, "running", 0.1 + 0.8 * fraction, message)

    try:
        milp = optimizer.solve(
            built.instance, time_limit=float(scenario.time_limit_seconds), on_progress=on_progress
        )
        greedy = optimizer.greedy(built.instance)
    except optimizer.InvalidInstance as exc:
        _progress(scenario_id, "failed", 0.0, "; ".join(exc.problems))
        return list(exc.problems)
    with system_writes(f"the plans of a scenario solved by {user.username}"):
        with transaction.atomic():
            for plan in (milp, greedy):
                fields = solving.plan_rows(plan, built)
                row = ScenarioPlan.objects.system().filter(scenario_id=scenario_id, method=plan.method).first()  # fmt: skip
                before = core.snapshot(row) if row is not None else None
                if row is None:
                    row = ScenarioPlan(scenario_id=scenario_id, method=plan.method)
                for name, value in fields.items():
                    setattr(row, name, value)
                row.activity_ids = []
                row.marking = built.marking
                row.save()
                core.log_change(
                    user, row, ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
                    before, core.snapshot(row), "solved",
                )  # fmt: skip
            fresh = Scenario.objects.system().get(pk=scenario_id)
            if fresh.status != "solved":
                before = core.snapshot(fresh)
                fresh.status = "solved"
                fresh.save()
                core.log_change(user, fresh, ChangeAction.TRANSITION, before, core.snapshot(fresh), "solved", "solve")  # fmt: skip
    _progress(scenario_id, "done", 1.0, f"Solved: optimizer {milp.status}, greedy {greedy.status}")
    return []


@acts(RESOURCERS, what="solve a resourcing scenario")
def solve_scenario(acting_user: User, scenario: Scenario, *, reason: str = "") -> Scenario:
    """Solve now, or — above settings.ANALYSIS_BACKGROUND_OPTIONS options — queue the solve for
    the task worker, whose progress the scenario page shows."""
    current = reload_editable(acting_user, scenario)
    problem = rules.SCENARIO.problem("solve", current.status)
    if problem:
        raise Refused(Finding("", problem, field="status"))
    if current.is_solving:
        raise Refused(Finding("", "this scenario is being solved: wait for it to finish."))
    if not ScenarioCountry.objects.system().filter(scenario=current).exists():
        raise Refused(Finding("", "the scenario names no country.", "Add the countries that compete for the money.", field="countries"))  # fmt: skip
    if not ScenarioBudget.objects.system().filter(scenario=current).exists():
        raise Refused(Finding("", "the scenario has no budget.", "Give each program's money per fiscal year.", field="budgets"))  # fmt: skip
    size = SolutionOption.objects.visible_to(acting_user).filter(
        gap__analysis__country__in=ScenarioCountry.objects.system().filter(scenario=current).values("country")
    ).count()  # fmt: skip
    if size > settings.ANALYSIS_BACKGROUND_OPTIONS:
        from .tasks import solve_in_background

        _progress(current.pk, "queued", 0.0, f"Waiting for the task worker ({size} options)")
        transaction.on_commit(lambda: solve_in_background.enqueue(current.pk, acting_user.pk))
        return current
    problems = run_solve(current.pk, acting_user.pk)
    if problems:
        raise Refused([Finding("", f"the scenario cannot be solved: {p}.") for p in problems])
    current.refresh_from_db()
    return current


ACTIVITY_TYPES = {
    "T": ActivityType.TRAINING_COURSE,
    "L": ActivityType.TRAINING_COURSE,
    "M": ActivityType.ACQUISITION,
    "F": ActivityType.OTHER,
}


@acts(RESOURCERS, what="commit a scenario to planned activities")
def commit_scenario(
    acting_user: User, scenario: Scenario, method: str, *, reason: str = ""
) -> list[Activity]:
    """The chosen plan becomes proposed activities in planning (planning.actions.create, with
    funding lines per fiscal year and program), each linked to its IMO's line of activity when
    there is one. Options of an unwilling partner are never resourced (R-CBA-02)."""
    with transaction.atomic():
        current = reload_editable(acting_user, scenario)
        problem = rules.SCENARIO.problem("commit", current.status)
        if problem:
            raise Refused(Finding("", problem, field="status"))
        plan = ScenarioPlan.objects.visible_to(acting_user).filter(scenario=current, method=method).first()  # fmt: skip
        if plan is None:
            raise Refused(Finding("", f"no {method} plan of this scenario that you may see: solve it first.", field="method"))  # fmt: skip
        if plan.status == "infeasible":
            raise Refused(Finding("", "an infeasible plan cannot be committed: change the scenario's country limits."))  # fmt: skip
        programs = {p.key: p for p in Program.objects.visible_to(acting_user)}
        made: list[Activity] = []
        for choice in plan.choices:
            facts = plan.options.get(choice["option"], {})
            option = SolutionOption.objects.visible_to(acting_user).select_related("gap__analysis").filter(pk=facts.get("option_id")).first()  # fmt: skip
            if option is None:
                raise Refused(Finding("R-SEC-01", f"option {choice['option']} is not one you may see: it cannot be committed by you."))  # fmt: skip
            analysis = option.gap.analysis
            refuse_if(rules.desire_flag(analysis.partner_desire))  # R-CBA-02
            costs = [Decimal(c) for c in facts.get("costs", [])]
            start = int(choice["start_fy"])
            program = programs.get(choice["program"])
            loa = LineOfActivity.objects.visible_to(acting_user).filter(imo_id=analysis.imo_id).order_by("pk").first()  # fmt: skip
            activity = Activity(
                title=option.title[:300],
                activity_type=ACTIVITY_TYPES.get(option.gap.dotmlpf, ActivityType.INSTITUTION_BUILDING),
                program=(program.key if program else choice["program"])[:200],
                authority=(program.authority if program else "")[:200],
                line_of_activity=loa,
                country_id=analysis.country_id,
                owner_org_id=analysis.owner_org_id,
                start_date=fy_start(start),
                end_date=fy_end(start + max(len(costs), 1) - 1),
                description=f"From the resourcing scenario “{current.title}” ({plan.method_label}).",
            )  # fmt: skip
            # The activity keeps the option's title, its net costs (its costs less what others
            # plan for the gap, R-CBA-05) and the scenario's name: marked by each (decision 0047).
            activity.marking = combine_strict(
                [current.marking, option.marking, option.gap.marking, analysis.marking]
                + [c.marking for c in OptionCost.objects.visible_to(acting_user).filter(option=option)]
                + [r.marking for r in PlannedResource.objects.visible_to(acting_user).filter(gap_id=option.gap_id)]
            )  # fmt: skip
            funding = [
                planning.FundingLine(
                    start + i,
                    program.funding_source if program else "other",
                    amount,
                    f"{choice['program']} (scenario)",
                )  # fmt: skip
                for i, amount in enumerate(costs)
                if amount > 0
            ]
            made.append(planning.create(acting_user, activity, reason=reason or "committed scenario", funding=funding))  # fmt: skip
        before = core.snapshot(plan)
        plan.activity_ids = [a.pk for a in made]
        plan.save()
        core.log_change(acting_user, plan, ChangeAction.UPDATE, before, core.snapshot(plan), reason)
        core.update_record(
            acting_user,
            current,
            {"status": rules.SCENARIO["commit"].target, "committed_method": method, "committed_at": timezone.now(), "committed_by": acting_user},
            reason=reason,
            transition="commit",
        )  # fmt: skip
    return made


@acts(RESOURCERS, what="copy a resourcing scenario to try a variant")
def copy_scenario(
    acting_user: User,
    scenario: Scenario,
    *,
    title: str = "",
    owner_org=None,
    reason: str = "",
) -> Scenario:
    """A new draft scenario with the same period, time limit, budgets per program and fiscal year,
    countries with their limits (what each can absorb, its minimum and maximum) and weights, so a
    planner can try a variant; the plans are not copied (the variant is solved anew). A committed
    scenario may be copied: the copy is a draft. Only the rows the copier may see are copied, each
    with its own marking, each creation change-logged with a reason naming the original."""
    original = visible(acting_user, scenario, "You cannot copy a scenario you may not see.")
    title = (title or "").strip() or f"Copy of {original.title}"[:300]
    if owner_org is None:
        # The original's owner when the copier writes for it; else the copier's own organization
        # (DSCA trying a variant of a command's scenario keeps it as its own).
        from secoop.core.models import Organization

        mine = Organization.objects.editable_by(acting_user)
        owner_org = (
            mine.filter(pk=original.owner_org_id).first() or mine.order_by("tree_path").first()
        )
    why = reason or f"copied from scenario #{original.pk} “{original.title}”"
    with transaction.atomic():
        copy = Scenario(
            title=title[:300],
            owner_org_id=owner_org.pk if owner_org is not None else original.owner_org_id,
            ccmd=original.ccmd,
            start_fy=original.start_fy,
            end_fy=original.end_fy,
            notes=original.notes,
            time_limit_seconds=original.time_limit_seconds,
        )
        copy.marking = original.marking
        check(copy)
        core.create_record(acting_user, copy, reason=why)
        for model, fields in (
            (ScenarioBudget, ("program_id", "fiscal_year", "amount")),
            (ScenarioCountry, ("country_id", "absorb_per_year", "min_total", "max_total")),
            (ScenarioWeight, ("analysis_id", "weight")),
        ):
            rows = model.objects.visible_to(acting_user).filter(scenario=original)
            if model is ScenarioWeight:  # a weight names its analysis: only those the copier sees
                rows = rows.filter(analysis__in=CapabilityAnalysis.objects.visible_to(acting_user))
            if model is ScenarioBudget:  # a line names its program: only those the copier sees
                rows = rows.filter(program__in=Program.objects.visible_to(acting_user))
            for row in rows:
                new = model(scenario=copy, **{f: getattr(row, f) for f in fields})
                new.marking = row.marking
                core.create_record(acting_user, new, reason=why)
    return copy


@not_an_action("reads the scenario's plans through the door, for the pages and the API")
def plans_of(user: User, scenario: Scenario) -> dict[str, ScenarioPlan]:
    return {p.method: p for p in ScenarioPlan.objects.visible_to(user).filter(scenario=scenario)}
