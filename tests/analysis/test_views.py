"""Analysis pages: every page opens for the planner, the sweet spot is drawn, a partner sees
none of it, the planner solves and commits a scenario on its page, the catalog is edited by its
keepers only (change-logged)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from secoop.analysis.models import Program
from secoop.analysis.models import ScenarioPlan
from secoop.core.models import User
from secoop.planning.models import Activity
from tests.core.test_no_leaks import text_of

from .conftest import log_for
from .conftest import option

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_templates")]


def pages(bandaria, scenario):
    program = Program.objects.system().get(key="10 USC 333")
    towers = option("Thermal surveillance towers at 12 border posts")
    return [
        reverse("analysis:index"),
        reverse("analysis:programs"),
        reverse("analysis:programs") + "?q=333&is_bpc=true",
        program.get_absolute_url(),
        reverse("analysis:analyses"),
        bandaria.get_absolute_url(),
        bandaria.get_absolute_url() + "?tab=history",
        reverse("analysis:analysis-create"),
        reverse("analysis:analysis-edit", args=[bandaria.pk]),
        reverse("analysis:gap-create") + f"?analysis={bandaria.pk}",
        reverse("analysis:option-create") + f"?gap={towers.gap_id}",
        reverse("analysis:option-edit", args=[towers.pk]),
        towers.get_absolute_url(),
        reverse("analysis:resource-create"),
        reverse("analysis:scenarios"),
        scenario.get_absolute_url(),
        reverse("analysis:scenario-create"),
        reverse("analysis:scenario-edit", args=[scenario.pk]),
        reverse("analysis:compare") + f"?a={scenario.pk}&b={scenario.pk}",
        reverse("analysis:unfunded"),
    ]


def test_every_analysis_page_opens_for_the_planner(login, bandaria, scenario):
    client = login("ccmd.planner")
    for url in pages(bandaria, scenario):
        response = client.get(url)
        assert response.status_code == 200, url
    body = text_of(client.get(bandaria.get_absolute_url()))
    assert "Sweet spot: DoD, DoS / other agencies and the partner" in body  # R-CBA-04
    assert "France" in body and "Renovation of four border posts" in body  # R-CBA-05
    assert "Analysis" in text_of(client.get("/"))  # the nav link and the home section


def test_r_cba_04_the_three_circles_are_drawn_on_the_server(login, bandaria):
    html = login("ccmd.planner").get(bandaria.get_absolute_url()).content.decode()
    assert (
        html.count('class="analysis-venn"') >= 5 and "<desc>" in html and "cdn" not in html.lower()
    )


@pytest.mark.parametrize("username", ["partner.bandaria", "industry.rep"])
def test_r_sec_03_partners_and_industry_see_no_analysis(login, username, bandaria, scenario):
    client = login(username)
    for url in pages(bandaria, scenario)[:7] + [scenario.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = text_of(response)
        assert (
            bandaria.title not in body and scenario.title not in body and "10 USC 333" not in body
        )
    assert "/analysis/" not in client.get("/").content.decode()


def test_r_cba_06_the_unfunded_requirements_page_and_its_xlsx(login):
    client = login("ccmd.planner")
    body = text_of(client.get(reverse("analysis:unfunded")))
    assert "Battalion pre-deployment training" in body and "R-CBA-02" in body
    response = client.get(reverse("analysis:unfunded") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == response["X-Marking"] == "CUI//NOFORN"
    assert any(
        row[3] == "Battalion pre-deployment training" for row in sheet.iter_rows(values_only=True)
    )


def test_r_sec_01_the_unfunded_page_and_xlsx_are_marked_by_the_gap_and_costs_they_show(
    login, settings
):
    """Each row shows its option's gap and analysis and adds up its costs: a SECRET cost line
    of a CUI option raises the page's banner and the workbook's marking."""
    from secoop.analysis.models import OptionCost
    from tests.conftest import builds
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    with builds("a SECRET cost of a CUI option"):
        OptionCost.objects.system().filter(
            option=option("Battalion pre-deployment training")
        ).update(classification=3)
    client = login("ccmd.planner")
    assert banner(client.get(reverse("analysis:unfunded"))) == "SECRET//NOFORN"
    response = client.get(reverse("analysis:unfunded") + "?format=xlsx")
    assert response["X-Marking"] == "SECRET//NOFORN"


def test_the_planner_solves_compares_exports_and_commits_a_scenario(login, scenario, optimizer):
    client = login("ccmd.planner")
    response = client.post(reverse("analysis:scenario-solve", args=[scenario.pk]), follow=True)
    body = text_of(response)
    assert "Optimizer (MILP, HiGHS)" in body and "Greedy baseline" in body
    assert "partner has no desire" in body or "R-CBA-02" in body
    plans = {p.method: p for p in ScenarioPlan.objects.system().filter(scenario=scenario)}
    assert set(plans) == {"milp", "greedy"} and plans["milp"].value >= plans["greedy"].value
    home = text_of(client.get("/"))
    assert f"Scenario solved, not committed: {scenario.title}" in home  # the planner's today
    assert "No partner will: Niger" in home  # R-CBA-02, flagged where the planner starts the day
    xlsx = client.get(reverse("analysis:scenario-xlsx", args=[scenario.pk]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert {"Budgets", "Plans", "Funded - milp", "Funded - greedy", "Not funded"} <= set(
        book.sheetnames
    )
    before = Activity.objects.system().count()
    client.post(
        reverse("analysis:scenario-commit", args=[scenario.pk]),
        {"method": "milp", "reason": "FY28 POM"},
    )
    made = Activity.objects.system().filter(pk__in=ScenarioPlan.objects.system().get(scenario=scenario, method="milp").activity_ids)  # fmt: skip
    assert made.count() == len(plans["milp"].choices) == Activity.objects.system().count() - before
    scenario.refresh_from_db()
    assert scenario.is_committed and scenario.committed_method == "milp"
    assert any(e.transition == "commit" and e.reason == "FY28 POM" for e in log_for(scenario))
    # Committed: no second commit, no second solve.
    again = client.post(reverse("analysis:scenario-commit", args=[scenario.pk]), {"method": "milp"}, follow=True)  # fmt: skip
    assert Activity.objects.system().count() == before + made.count()
    assert 'name="method"' not in again.content.decode()


def test_the_catalog_is_edited_by_its_keepers_through_the_action(login):
    program = Program.objects.system().get(key="10 USC 333")
    url = reverse("analysis:program-edit", args=[program.pk])
    assert login("ccmd.planner").get(url).status_code == 403
    client = login("dsca.analyst")
    form = client.get(url)
    assert form.status_code == 200
    data = (
        {k: v for k, v in form.context["form"].initial.items() if v is not None}
        if form.context
        else {}
    )
    data = {f.name: getattr(program, f.name) for f in Program._meta.concrete_fields if f.name not in ("id", "owner_org", "classification", "dissemination", "rel_to", "created_at", "updated_at")}  # fmt: skip
    data.update(lead_time_months=20, reason="GAO-23-106275: deliveries late", is_bpc="on")
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, [
        line for line in text_of(response).splitlines() if "rror" in line or "required" in line
    ]
    program.refresh_from_db()
    assert program.lead_time_months == 20
    entry = log_for(program)[-1]
    assert (
        entry.reason == "GAO-23-106275: deliveries late" and entry.after["lead_time_months"] == 20
    )


def test_the_scenario_form_reads_budgets_countries_and_weights_or_names_each_bad_line(
    scenario, bandaria
):
    from secoop.analysis import actions
    from secoop.analysis.forms import ScenarioForm
    from secoop.analysis.models import ScenarioWeight

    from .conftest import person

    planner = person("ccmd.planner")
    data = {
        "title": scenario.title, "owner_org": scenario.owner_org_id, "ccmd": "AFRICOM",
        "start_fy": 2028, "end_fy": 2030, "time_limit_seconds": 20, "marking": "CUI//NOFORN",
        "budgets": "10 USC 333, FY2028, 2,000,000\nFMF, FY2029, 500,000",
        "countries": "XBN; 3,000,000; 0; 9,000,000\nGHA",
        "weights": f"{bandaria.title} = 4.5",
    }  # fmt: skip
    form = ScenarioForm(data, instance=scenario, user=planner)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weights"] == {bandaria.pk: Decimal("4.5")}
    assert form.cleaned_data["country_rows"][0] == {
        "country": "XBN", "absorb_per_year": Decimal(3000000), "min_total": Decimal(0), "max_total": Decimal(9000000)
    }  # fmt: skip
    actions.set_scenario_inputs(planner, scenario, budgets=form.cleaned_data["budget_lines"], countries=form.cleaned_data["country_rows"], weights=form.cleaned_data["weights"])  # fmt: skip
    assert ScenarioWeight.objects.system().get(scenario=scenario).weight == Decimal("4.5")
    bad = ScenarioForm({**data, "weights": "No such analysis = 2", "countries": "ZZZ", "budgets": "FMF, FY2040, 1"}, instance=scenario, user=planner)  # fmt: skip
    assert not bad.is_valid()
    assert set(bad.errors) == {"weights", "countries", "budgets"}
    assert (
        "title = 4" in bad.errors["weights"][0] and "FY2040 is outside" in bad.errors["budgets"][0]
    )


def test_the_planner_copies_a_scenario_from_its_page_to_try_a_variant(login, scenario):
    from secoop.analysis.models import Scenario

    client = login("ccmd.planner")
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert 'data-testid="copy-scenario"' in page
    response = client.post(
        reverse("analysis:scenario-copy", args=[scenario.pk]), {"title": "Variant: more 333"}
    )
    copy = Scenario.objects.system().get(title="Variant: more 333")
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert 'data-testid="copy-scenario"' not in login("sco.bandaria").get(scenario.get_absolute_url()).content.decode()  # fmt: skip
    assert login("sco.bandaria").post(reverse("analysis:scenario-copy", args=[scenario.pk])).status_code in (403, 404)  # fmt: skip


def test_dsca_adds_a_program_to_the_catalog_on_its_page_with_its_source(login):
    url = reverse("analysis:program-create")
    assert login("ccmd.planner").get(url).status_code == 403
    client = login("dsca.analyst")
    assert url in client.get(reverse("analysis:programs")).content.decode()
    assert client.get(url).status_code == 200
    body = {
        "key": "10 USC 386",
        "name": "Security cooperation programs: funding for combined exercises",
        "authority": "10 U.S.C. 386",
        "title_code": "T10",
        "lifespan_years": "1",
        "lead_time_months": "12",
        "funding_source": "other",
        "status": "current",
        "effective_from": "2026-10-01",
        "marking": "UNCLASSIFIED",
        "reason": "new authority read in the NDAA",
    }
    unsourced = client.post(url, body)
    assert unsourced.status_code == 200 and not Program.objects.system().filter(key="10 USC 386").exists()  # fmt: skip
    made = client.post(url, {**body, "source": "10 U.S.C. 386 (uscode.house.gov), read 1 Oct 2026"})
    program = Program.objects.system().get(key="10 USC 386")
    assert made.status_code == 302 and made["Location"] == program.get_absolute_url()
    assert log_for(program)[-1].reason == "new authority read in the NDAA"


def test_two_scenarios_side_by_side_each_with_its_own_plans_and_value(login, scenario, optimizer):
    """R-CBA-06: the compare page sets a scenario beside a variant of it: each column names its
    scenario and shows its own plans, so a budget cut is seen as a lower value and fewer options."""
    from secoop.analysis import actions
    from secoop.analysis import rules
    from secoop.analysis.models import ScenarioBudget

    planner = User.objects.get(username="ccmd.planner")
    variant = actions.copy_scenario(planner, scenario, title="A quarter of the money")
    quarter = [
        rules.BudgetLine(b.program.key, b.fiscal_year, b.amount / 4)
        for b in ScenarioBudget.objects.system().filter(scenario=variant).select_related("program")
    ]
    actions.set_scenario_inputs(planner, variant, budgets=quarter, reason="a quarter of the money")
    for s in (scenario, variant):
        actions.solve_scenario(planner, s)
    value = {
        s.pk: ScenarioPlan.objects.system().get(scenario=s, method="milp").value
        for s in (scenario, variant)
    }
    assert value[variant.pk] < value[scenario.pk]
    response = login("ccmd.planner").get(
        reverse("analysis:compare") + f"?a={scenario.pk}&b={variant.pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    columns = html.split('aria-labelledby="cmp-')[1:]
    assert len(columns) == 2
    assert scenario.title in columns[0] and "A quarter of the money" in columns[1]
    assert "A quarter of the money" not in columns[0].split("</h2>")[0]
    shown = [
        Decimal(c.split("data-value>")[1].split("<")[0]) for c in columns
    ]  # the first plan of each column is its optimizer plan
    assert shown[0] > shown[1]
    assert shown[0] == round(Decimal(str(value[scenario.pk])), 3)


def _more_unfunded_options(n: int) -> None:
    """`n` copies of a demo option (with its costs) that no plan funds, written in bulk."""
    from secoop.analysis.models import OptionCost
    from secoop.analysis.models import SolutionOption
    from tests.conftest import builds

    training = option("Battalion pre-deployment training")
    costs = list(OptionCost.objects.system().filter(option=training))
    with builds("more unfunded options than a page"):
        copies = SolutionOption.objects.system().bulk_create(
            [
                SolutionOption(
                    gap_id=training.gap_id,
                    title=f"Copy {i} of the training",
                    classification=training.classification,
                    dissemination=training.dissemination,
                    rel_to=training.rel_to,
                )
                for i in range(n)
            ]
        )
        OptionCost.objects.system().bulk_create(
            [
                OptionCost(
                    option=o,
                    fiscal_year=c.fiscal_year,
                    amount=c.amount,
                    classification=c.classification,
                    dissemination=c.dissemination,
                    rel_to=c.rel_to,
                )
                for o in copies
                for c in costs
            ]
        )


def test_r_cba_06_the_unfunded_page_is_paged_and_the_index_counts_in_sql(
    login, django_assert_max_num_queries
):
    """Issue 15 item 4: the unfunded requirements page shows 50 at a time and the index counts
    them without reading them — the same queries for 150 more options; every requirement is on
    one of the pages, once, with the reason the whole list gives it."""
    from secoop.analysis import solving
    from tests.helpers import person

    client = login("ccmd.planner")
    url = reverse("analysis:unfunded")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
        client.get(reverse("analysis:index"))
    _more_unfunded_options(150)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
        index = client.get(reverse("analysis:index")).content.decode()
    every = solving.unfunded_requirements(person("ccmd.planner"))
    assert len(every) > 150 and f"<strong>{len(every)}</strong>" in index
    assert f"{len(every)} unfunded requirements" in text_of(first)
    seen, response = [], first
    while True:
        html = response.content.decode()
        rows = re.findall(r'<td><a href="/analysis/options/(\d+)/">', html)
        assert 0 < len(rows) <= 50
        seen += [int(pk) for pk in rows]
        following = re.search(r'href="(\?cursor=[^"]+)" aria-label="Next page"', html)
        if not following:
            break
        response = client.get(url + following.group(1).replace("&amp;", "&"))
    assert seen == [r["option"].pk for r in every]
