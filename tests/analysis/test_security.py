"""Security review of analysis (4 Dec 2026, branch secab): what an outside assessor found past the
leak walker — a budget line naming a program the reader may not see, derived values (counts,
reasons, plans, home-page items) marked below what they come from, and writes that reached rows
the writer could not read. Each test proves one fix at the cheapest level that shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from secoop.analysis import actions
from secoop.analysis import models as m
from secoop.analysis import solving
from secoop.analysis import today
from secoop.core import actions as core
from secoop.core.markings import Marking
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from secoop.core.verdicts import Refused
from tests.conftest import builds
from tests.core.test_views import banner

from .conftest import option
from .conftest import org
from .conftest import person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]

HIDDEN_KEY = "SECRET PROGRAM 999"


def uncleared_planner() -> User:
    """A CCMD planner without a clearance (reads UNCLASSIFIED and CUI): the demo's are SECRET."""
    user = User.objects.create(
        username="uncleared.planner",
        audience=Audience.USG,
        citizenship_id="USA",
        clearance=Clearance.NONE,
    )
    core.grant_membership(None, user, org("AFRICOM"), Role.CCMD_PLANNER)
    return person("uncleared.planner")


def made(record, marking: str):
    record.marking = Marking.parse(marking)
    return core.system_create(record, reason="security test")


@pytest.fixture
def hidden_line(settings):
    """A CUI scenario with a CUI budget line of a SECRET program, and a line the reader sees."""
    settings.MAX_CLASSIFICATION = "SECRET"
    program = made(
        m.Program(key=HIDDEN_KEY, name="x", authority="x", source="x", effective_from="2026-12-01"),
        "SECRET",
    )
    scenario = made(
        m.Scenario(title="CUI variant", owner_org=org("AFRICOM"), start_fy=2028, end_fy=2030),
        "CUI",
    )
    made(m.ScenarioBudget(scenario=scenario, program=program, fiscal_year=2028, amount=5), "CUI")
    shown = m.Program.objects.system().get(key="10 USC 333")
    made(m.ScenarioBudget(scenario=scenario, program=shown, fiscal_year=2028, amount=7), "CUI")
    return scenario


def test_r_sec_01_a_budget_line_of_a_hidden_program_is_left_out_of_every_answer(hidden_line):
    """It crashed the scenarios API (list, detail, copy) and the edit page for every reader who
    may not see the program; now each answers without naming it."""
    user = uncleared_planner()
    api = APIClient()
    api.force_authenticate(user=user)
    web = Client()
    web.force_login(user, backend="secoop.core.auth.LockoutAwareBackend")
    listing = api.get("/api/v1/analysis/scenarios/", {"page_size": 500})
    detail = api.get(f"/api/v1/analysis/scenarios/{hidden_line.pk}/")
    edit = web.get(reverse("analysis:scenario-edit", args=[hidden_line.pk]))
    for response in (listing, detail, edit):
        assert response.status_code == 200
        assert HIDDEN_KEY not in response.content.decode()
    assert detail.json()["budgets"] == [
        {"program": "10 USC 333", "fiscal_year": 2028, "amount": "7.00"}
    ]
    copied = api.post(f"/api/v1/analysis/scenarios/{hidden_line.pk}/copy/", {}, format="json")
    assert copied.status_code == 201
    lines = m.ScenarioBudget.objects.system().filter(scenario_id=copied.json()["id"])
    assert [line.program.key for line in lines] == ["10 USC 333"]  # never linked to a hidden one


def test_r_sec_01_replacing_the_budgets_keeps_the_line_of_a_program_the_writer_may_not_see(
    hidden_line,
):
    user = uncleared_planner()
    actions.set_scenario_inputs(
        user, hidden_line, budgets=[solving.rules.BudgetLine("10 USC 333", 2029, Decimal(9))]
    )
    left = m.ScenarioBudget.objects.system().filter(scenario=hidden_line)
    assert sorted((b.program.key, b.fiscal_year) for b in left) == [
        ("10 USC 333", 2029),
        (HIDDEN_KEY, 2028),
    ]


def test_r_sec_01_the_index_banner_covers_the_programs_and_unfunded_requirements_it_counts(
    login, settings
):
    settings.MAX_CLASSIFICATION = "SECRET"
    client = login("ccmd.planner")
    before = banner(client.get(reverse("analysis:index")))
    with builds("a SECRET cost of a CUI option"):
        m.OptionCost.objects.system().filter(
            option=option("Battalion pre-deployment training")
        ).update(classification=3)
    assert before != "SECRET//NOFORN"
    assert banner(client.get(reverse("analysis:index"))) == "SECRET//NOFORN"


def test_r_sec_01_the_unfunded_rows_are_marked_by_the_plan_their_reason_comes_from(
    scenario, settings
):
    """A plan is marked by everything its solve read (0047); the reason it gives for an option
    carries that marking into the unfunded page and workbook."""
    settings.MAX_CLASSIFICATION = "SECRET"
    towers = option("Thermal surveillance towers at 12 border posts")
    key = solving.option_key(towers.pk)
    made(
        m.ScenarioPlan(
            scenario=scenario,
            method="milp",
            status="optimal",
            not_chosen={key: "not chosen: a better use of the same money was found"},
            options={key: {"option_id": towers.pk}},
        ),
        "SECRET//NOFORN",
    )
    rows = solving.unfunded_requirements(person("ccmd.planner"))
    row = next(r for r in rows if r["option"].pk == towers.pk)
    assert row["reason"].startswith("not chosen")
    assert any(
        isinstance(r, m.ScenarioPlan) and r.marking.classification == 3
        for r in solving.row_records(row)
    )


def test_r_sec_01_a_cost_year_the_writer_may_not_read_is_neither_removed_nor_rewritten(settings):
    settings.MAX_CLASSIFICATION = "SECRET"
    training = option("Battalion pre-deployment training")
    costs = m.OptionCost.objects.system().filter(option=training)
    assert training.marking_text.startswith("CUI") and costs.exists()
    hidden_year = costs.order_by("fiscal_year").last()
    with builds("a SECRET cost year of a CUI option"):
        costs.filter(pk=hidden_year.pk).update(classification=3)
    user = uncleared_planner()
    actions.set_costs(user, training, {2040: Decimal(1)})  # the years the writer sees: replaced
    assert m.OptionCost.objects.system().filter(pk=hidden_year.pk).exists()
    with pytest.raises(Refused) as refused:
        actions.set_costs(user, training, {hidden_year.fiscal_year: Decimal(1)})
    assert refused.value.findings[0].rule == "R-SEC-01"
    kept = m.OptionCost.objects.system().get(pk=hidden_year.pk)
    assert kept.amount == hidden_year.amount


def test_r_sec_01_a_home_page_item_naming_a_gap_is_marked_by_that_gap(bandaria, settings):
    """ "Analysis to finish" names a BPC gap without its DOTMLPF-P class by title (R-CBA-01): a
    SECRET gap of a CUI analysis raises the item's marking, so the home page's banner."""
    settings.MAX_CLASSIFICATION = "SECRET"
    gap = m.Gap.objects.system().filter(analysis=bandaria).first()
    bpc = m.Program.objects.system().filter(is_bpc=True).first()
    with builds("a SECRET gap without its class, a BPC program on one of its options"):
        m.Gap.objects.system().filter(pk=gap.pk).update(dotmlpf="", classification=3)
        m.SolutionOption.objects.system().filter(gap=gap).first().programs.add(bpc)
        m.CapabilityAnalysis.objects.system().filter(pk=bandaria.pk).update(status="draft")
    items = today.analyses_to_finish(person("ccmd.planner"))
    item = next(i for i in items if i.title.endswith(bandaria.title))
    assert gap.title in item.detail
    assert item.marking.classification == 3


def test_r_sec_01_a_committed_activity_is_marked_by_the_resources_its_costs_are_net_of(
    scenario, bandaria, settings, optimizer
):
    """Committing turns an option into a planned activity whose funding is the option's cost less
    what others plan for the gap (R-CBA-05): a SECRET resource planned by a third country marks
    the activity SECRET, not the option's CUI."""
    from secoop.planning.models import Activity

    settings.MAX_CLASSIFICATION = "SECRET"
    for gap in m.Gap.objects.system().filter(analysis__country_id=bandaria.country_id):
        made(
            m.PlannedResource(
                gap=gap,
                provider_kind="third_country",
                provider="A third country",
                description="Sensors",
                fiscal_year=2029,
                amount=Decimal(1),
            ),
            "SECRET//NOFORN",
        )
    planner = person("ccmd.planner")
    actions.solve_scenario(planner, scenario)
    made_now = actions.commit_scenario(planner, scenario, "milp", reason="FY28 POM")
    ours = [
        a
        for a in Activity.objects.system().filter(pk__in=[x.pk for x in made_now])
        if a.country_id == bandaria.country_id
    ]
    assert ours, "the plan funds at least one Bandaria option"
    assert all(a.marking.classification == 3 for a in ours)


def test_r_sec_01_form_pages_are_marked_by_the_rows_their_text_areas_show(
    login, scenario, settings
):
    """The option form shows its costs and the scenario form its budget lines as text, not as
    choices the banner already covered: a SECRET row raises the banner of the form's page."""
    settings.MAX_CLASSIFICATION = "SECRET"
    training = option("Battalion pre-deployment training")
    client = login("ccmd.planner")
    option_form = reverse("analysis:option-edit", args=[training.pk])
    scenario_form = reverse("analysis:scenario-edit", args=[scenario.pk])
    assert banner(client.get(option_form)) != "SECRET//NOFORN"
    assert banner(client.get(scenario_form)) != "SECRET//NOFORN"
    with builds("a SECRET cost and a SECRET budget line"):
        m.OptionCost.objects.system().filter(option=training).update(classification=3)
        m.ScenarioBudget.objects.system().filter(scenario=scenario).update(classification=3)
    assert banner(client.get(option_form)) == "SECRET//NOFORN"
    assert banner(client.get(scenario_form)) == "SECRET//NOFORN"


def test_r_sec_01_a_scenario_page_is_marked_by_the_scenarios_it_offers_to_compare(
    login, scenario, settings
):
    settings.MAX_CLASSIFICATION = "SECRET"
    made(
        m.Scenario(title="SECRET variant", owner_org=org("AFRICOM"), start_fy=2028, end_fy=2030),
        "SECRET//NOFORN",
    )
    client = login("ccmd.planner")
    page = client.get(scenario.get_absolute_url())
    assert "SECRET variant" in page.content.decode()
    assert banner(page) == "SECRET//NOFORN"
    assert banner(client.get(reverse("analysis:compare"))) == "SECRET//NOFORN"


def test_r_sec_01_a_linked_program_the_writer_may_not_see_is_neither_named_nor_unlinked(
    settings,
):
    """The options API read an option's current links past the door, so a PATCH that left the
    programs out answered 400 naming a SECRET program's key; the page's save unlinked it; a gap
    without its class was refused naming it; the change log named it under the option's CUI."""
    settings.MAX_CLASSIFICATION = "SECRET"
    training = option("Battalion pre-deployment training")
    secret = made(
        m.Program(key=HIDDEN_KEY, name="x", authority="x", source="x", effective_from="2026-12-01"),
        "SECRET//NOFORN",
    )
    with builds("a SECRET BPC program linked to a CUI option"):
        m.Program.objects.system().filter(pk=secret.pk).update(is_bpc=True)
        actions.PROGRAMS.objects.create(solutionoption_id=training.pk, program_id=secret.pk)
    user = uncleared_planner()
    api = APIClient()
    api.force_authenticate(user=user)
    patched = api.patch(f"/api/v1/analysis/options/{training.pk}/", {"requires": []}, format="json")
    assert patched.status_code == 200 and HIDDEN_KEY not in patched.content.decode()
    actions.set_links(user, training, programs=[], reason="no program for now")
    assert HIDDEN_KEY in actions.links_of(training.pk)["programs"]  # kept
    history = api.get("/api/v1/changes/", {"search": "Battalion", "page_size": 500})
    assert history.status_code == 200 and HIDDEN_KEY not in history.content.decode()
    gap = m.Gap.objects.system().get(pk=training.gap_id)
    with pytest.raises(Refused) as refused:
        actions.update(user, gap, {"dotmlpf": ""}, reason="no class")
    assert refused.value.findings[0].rule == "R-CBA-01"
    assert HIDDEN_KEY not in str(refused.value.findings[0].message)


def test_r_sec_01_an_option_and_its_analysis_are_marked_by_the_costs_they_list_and_add_up(
    login, settings
):
    settings.MAX_CLASSIFICATION = "SECRET"
    training = option("Battalion pre-deployment training")
    analysis = m.Gap.objects.system().get(pk=training.gap_id).analysis
    client = login("ccmd.planner")
    pages = [training.get_absolute_url(), analysis.get_absolute_url()]
    assert all(banner(client.get(url)) != "SECRET//NOFORN" for url in pages)
    with builds("a SECRET cost of a CUI option"):
        m.OptionCost.objects.system().filter(option=training).update(classification=3)
    assert [banner(client.get(url)) for url in pages] == ["SECRET//NOFORN"] * 2


def test_r_sec_01_no_catalog_keeper_adds_a_program_they_could_not_read(settings):
    """The administrator keeps the catalog (reference data) but holds no clearance: a CONFIDENTIAL
    row would be one they wrote blind and could never see again."""
    settings.MAX_CLASSIFICATION = "SECRET"
    row = m.Program(key="NEW 1", name="x", authority="x", source="x", effective_from="2026-12-01")
    row.marking = Marking.parse("CONFIDENTIAL//NOFORN")
    with pytest.raises(Refused) as refused:
        actions.create_program(person("admin"), row, reason="new authority")
    assert refused.value.findings[0].rule == "R-SEC-01"
    assert not m.Program.objects.system().filter(key="NEW 1").exists()


def test_r_sec_01_a_scenario_country_the_writer_may_not_read_is_kept_and_not_rewritten(
    hidden_line,
):
    """Replacing the countries deleted every row not given again, one marked above the scenario
    too (refused then as "not yours to edit": the save failed for a row never shown)."""
    made(m.ScenarioCountry(scenario=hidden_line, country_id="GBR"), "SECRET//NOFORN")
    user = uncleared_planner()
    actions.set_scenario_inputs(user, hidden_line, countries=[{"country": "XBN"}])
    codes = m.ScenarioCountry.objects.system().filter(scenario=hidden_line)
    assert sorted(codes.values_list("country_id", flat=True)) == ["GBR", "XBN"]
    with pytest.raises(Refused) as refused:
        actions.set_scenario_inputs(user, hidden_line, countries=[{"country": "GBR"}])
    assert refused.value.findings[0].rule == "R-SEC-01"
