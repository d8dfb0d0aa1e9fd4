"""Analysis actions on both databases: each refusal names its rule and changes nothing; the
instance the optimizer gets is what the analyses say (R-CBA-02, R-CBA-05); roles are named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from secoop.analysis import actions
from secoop.analysis import solving
from secoop.analysis.models import CapabilityAnalysis
from secoop.analysis.models import Gap
from secoop.analysis.models import OptionCost
from secoop.analysis.models import PlannedResource
from secoop.analysis.models import Program
from secoop.analysis.models import Scenario
from secoop.analysis.models import ScenarioBudget
from secoop.analysis.models import ScenarioCountry
from secoop.analysis.models import ScenarioPlan
from secoop.analysis.models import ScenarioWeight
from secoop.analysis.models import SolutionOption
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.verdicts import Refused
from tests.conftest import builds

from .conftest import log_for
from .conftest import option
from .conftest import org
from .conftest import person

pytestmark = pytest.mark.django_db
D = Decimal


def new_gap(analysis, dotmlpf=""):
    gap = Gap(analysis=analysis, title="Air domain awareness", dotmlpf=dotmlpf)
    gap.marking = Marking.parse("CUI//NOFORN")
    return actions.create(person("ccmd.planner"), gap)


def new_option(gap):
    o = SolutionOption(gap=gap, title="Air surveillance radar")
    o.marking = Marking.parse("CUI//NOFORN")
    return actions.create(person("ccmd.planner"), o)


def test_r_cba_01_a_bpc_program_on_an_unclassified_gap_is_refused(bandaria):
    planner = person("ccmd.planner")
    o = new_option(new_gap(bandaria))
    bpc = Program.objects.system().get(key="10 USC 333")
    with pytest.raises(Refused) as refused:
        actions.set_links(planner, o, programs=[bpc])
    assert refused.value.rule == "R-CBA-01"
    assert actions.links_of(o.pk)["programs"] == []
    actions.update(planner, o.gap, {"dotmlpf": "M"})
    actions.set_links(planner, o, programs=[bpc], reason="radar")
    assert actions.links_of(o.pk)["programs"] == ["10 USC 333"]
    assert log_for(o)[-1].after == {"programs": ["10 USC 333"], "requires": [], "excludes": []}
    with pytest.raises(Refused) as refused:  # and the class stays while a BPC program may fund it
        actions.update(planner, o.gap, {"dotmlpf": ""})
    assert refused.value.rule == "R-CBA-01"


def test_r_cba_03_an_analysis_goes_to_resourcing_with_its_considerations(bandaria):
    planner = person("ccmd.planner")
    actions.reopen_analysis(planner, bandaria)
    actions.update(planner, bandaria, {"balancing": ""})
    with pytest.raises(Refused) as refused:
        actions.mark_ready(planner, bandaria)
    assert refused.value.rule == "R-CBA-03" and "Balancing" in refused.value.messages[0]
    actions.update(planner, bandaria, {"balancing": "Materiel with its sustainment."})
    actions.mark_ready(planner, bandaria, reason="reviewed")
    bandaria.refresh_from_db()
    assert bandaria.is_ready and log_for(bandaria)[-1].transition == "ready"


def test_costs_are_set_by_fiscal_year_and_a_negative_cost_changes_nothing(bandaria):
    planner = person("ccmd.planner")
    o = new_option(new_gap(bandaria, "M"))
    actions.set_costs(planner, o, {2028: D("100.50"), 2029: D(7)})
    actions.set_costs(planner, o, {2029: D(9), 2030: D(1)})
    rows = {c.fiscal_year: c.amount for c in OptionCost.objects.system().filter(option=o)}
    assert rows == {2029: D(9), 2030: D(1)}
    with pytest.raises(Refused):
        actions.set_costs(planner, o, {2029: D(-1), 2031: D(5)})
    assert {c.fiscal_year for c in OptionCost.objects.system().filter(option=o)} == {2029, 2030}


def test_roles_le_staff_and_partners_enter_no_analysis_and_only_keepers_edit_the_catalog(bandaria):
    gap = Gap(analysis=bandaria, title="x")
    gap.marking = Marking.parse("CUI//REL TO USA, XBN")
    for username in ("le.staff", "partner.bandaria", "industry.rep", "admin"):
        with pytest.raises(NotPermitted):
            actions.create(person(username), gap)
    program = Program.objects.system().get(key="IMET")
    with pytest.raises(NotPermitted):
        actions.update_program(person("ccmd.planner"), program, {"lead_time_months": 3})
    actions.update_program(person("admin"), program, {"lead_time_months": 3}, reason="SCETWG")
    with pytest.raises(Refused):
        actions.update_program(person("admin"), program, {"source": " "})
    assert Program.objects.system().get(key="IMET").lead_time_months == 3


def test_r_cba_05_others_planned_resources_lower_the_cost_the_optimizer_sees(scenario, optimizer):
    built = solving.build(person("ccmd.planner"), scenario, actions.today())
    towers = option("Thermal surveillance towers at 12 border posts")
    key = solving.option_key(towers.pk)
    # FY2028 2.4M less France's 0.4M; FY2029 1.1M less DoS INL's 0.2M.
    assert built.options[key]["costs"] == ["2000000.00", "900000.00"]
    assert {o.key: o for o in built.instance.options}[key].programs == {"10 USC 333", "FMF"}
    niger = option("Battalion pre-deployment training")
    (entry,) = [o for o in built.instance.options if o.key == solving.option_key(niger.pk)]
    assert entry.partner_willing is False  # R-CBA-02: in the instance, never funded
    assert built.marking == Marking.parse("CUI//NOFORN")


def test_r_sec_10_a_plan_is_marked_strictly_by_every_record_it_keeps(scenario, optimizer):
    """A plan keeps each option's country, costs and value: no reader may see it who could not
    read every record it was built from. An UNCLASSIFIED option without a control is U.S.-only
    to a foreign national (LE staff), so beside records released to Bandaria it makes the plan
    U.S.-only too (the banner's `combine` would have released it to XBN)."""
    rel = {"classification": 1, "dissemination": "REL", "rel_to": ",USA,XBN,"}
    towers = option("Thermal surveillance towers at 12 border posts")
    with builds("a scenario released to Bandaria but for one U.S.-only option"):
        Scenario.objects.system().filter(pk=scenario.pk).update(**rel)
        for model in (ScenarioBudget, ScenarioCountry, ScenarioWeight):
            model.objects.system().filter(scenario=scenario).update(**rel)
        for model in (CapabilityAnalysis, Gap, SolutionOption, OptionCost, PlannedResource):
            model.objects.system().update(**rel)
        SolutionOption.objects.system().filter(pk=towers.pk).update(
            classification=0, dissemination="", rel_to=""
        )
    built = solving.build(
        person("ccmd.planner"), Scenario.objects.system().get(pk=scenario.pk), actions.today()
    )
    assert solving.option_key(towers.pk) in built.options
    assert built.marking.dissemination != "REL" and "XBN" not in built.marking.rel_to


def test_r_cba_02_and_r_cba_06_the_solve_keeps_every_unfunded_option_with_its_reason(
    scenario, optimizer
):
    planner = person("ccmd.planner")
    actions.solve_scenario(planner, scenario)
    plans = {p.method: p for p in ScenarioPlan.objects.system().filter(scenario=scenario)}
    niger = solving.option_key(option("Battalion pre-deployment training").pk)
    for plan in plans.values():
        assert niger not in {c["option"] for c in plan.choices}
        assert "R-CBA-02" in plan.not_chosen[niger]
        assert set(plan.options) == {c["option"] for c in plan.choices} | set(plan.not_chosen)
        assert plan.marking == Marking.parse("CUI//NOFORN")
    assert plans["milp"].value >= plans["greedy"].value
    rows = solving.unfunded_requirements(planner)
    assert any(r["option"].title == "Battalion pre-deployment training" and "R-CBA-02" in r["reason"] for r in rows)  # fmt: skip


def test_a_malformed_scenario_says_what_to_fix_and_writes_no_plan(scenario, optimizer):
    planner = person("ccmd.planner")
    with pytest.raises(Refused):
        actions.set_scenario_inputs(planner, scenario, countries=[{"country": "XBN", "min_total": D(9), "max_total": D(1)}])  # fmt: skip
    from secoop.core.actions import system_writes

    with system_writes("test: an empty scenario"):
        ScenarioBudget.objects.system().filter(scenario=scenario).delete()
    with pytest.raises(Refused) as refused:
        actions.solve_scenario(planner, scenario)
    assert "no budget" in refused.value.messages[0]
    assert not ScenarioPlan.objects.system().filter(scenario=scenario).exists()


def test_a_large_scenario_is_solved_by_the_task_worker_with_progress(scenario, optimizer, settings):
    settings.ANALYSIS_BACKGROUND_OPTIONS = 1
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.solve_scenario(person("ccmd.planner"), scenario)
    scenario.refresh_from_db()
    assert scenario.solve_state == "done" and scenario.solve_progress == 1.0
    assert scenario.status == "solved"


def test_commit_needs_a_solved_scenario_and_never_the_unwilling_partner(scenario):
    planner = person("ccmd.planner")
    with pytest.raises(Refused):
        actions.commit_scenario(planner, scenario, "milp")
    with pytest.raises(NotPermitted):
        actions.commit_scenario(person("sco.bandaria"), scenario, "milp")
    assert CapabilityAnalysis.objects.system().filter(partner_desire="unwilling").exists()


def test_copy_scenario_copies_budgets_countries_and_weights_into_a_draft_variant(scenario):
    from secoop.analysis.models import Scenario
    from secoop.analysis.models import ScenarioCountry
    from secoop.analysis.models import ScenarioWeight

    planner = person("ccmd.planner")
    copy = actions.copy_scenario(planner, scenario, title="AFRICOM: less 333 money")
    assert (copy.status, copy.title, copy.start_fy, copy.end_fy) == (
        "draft", "AFRICOM: less 333 money", scenario.start_fy, scenario.end_fy,
    )  # fmt: skip
    for model, key in (
        (ScenarioBudget, ("program_id", "fiscal_year", "amount")),
        (ScenarioCountry, ("country_id", "absorb_per_year", "min_total", "max_total")),
        (ScenarioWeight, ("analysis_id", "weight")),
    ):
        rows = model.objects.system()
        assert {tuple(getattr(r, k) for k in key) for r in rows.filter(scenario=copy)} == {
            tuple(getattr(r, k) for k in key) for r in rows.filter(scenario=scenario)
        }, model
    assert not ScenarioPlan.objects.system().filter(scenario=copy).exists()  # solved anew
    assert "copied from scenario" in log_for(copy)[-1].reason
    # the copy changes alone
    actions.set_scenario_inputs(planner, copy, budgets=[], reason="try without new money")
    assert ScenarioBudget.objects.system().filter(scenario=scenario).exists()
    # DSCA, which does not write for the command, keeps its variant as its own
    variant = actions.copy_scenario(person("dsca.analyst"), scenario)
    assert variant.owner_org_id == org("DSCA").pk and variant.title.startswith("Copy of ")
    # roles: an SCO, LE staff and partners copy no scenario, and nothing is written
    before = Scenario.objects.system().count()
    for username in ("sco.bandaria", "le.staff", "partner.bandaria"):
        with pytest.raises(NotPermitted):
            actions.copy_scenario(person(username), scenario)
    assert Scenario.objects.system().count() == before


def test_scenario_budgets_outside_its_years_or_given_twice_are_refused(scenario):
    from secoop.analysis.rules import BudgetLine

    planner = person("ccmd.planner")
    before = list(ScenarioBudget.objects.system().filter(scenario=scenario).values_list("amount"))
    for lines in (
        [BudgetLine("10 USC 333", scenario.end_fy + 1, D(5))],
        [BudgetLine("10 USC 333", scenario.start_fy, D(5))] * 2,
    ):
        with pytest.raises(Refused):
            actions.set_scenario_inputs(planner, scenario, budgets=lines)
    after = list(ScenarioBudget.objects.system().filter(scenario=scenario).values_list("amount"))
    assert after == before
