"""Budget pages: every page answers the U.S. users, the holder's buttons and forms work (refusals
shown with the rule id), the versions tab shows each stage's diff, the forecast's two XLSX reports
hold the right sales, the consonance page and the roll-up with its SVG chart, and the home page's
"what needs me today" items."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from secoop.budget import demo
from secoop.budget.models import BudgetCall
from secoop.budget.models import BudgetRequest
from secoop.budget.models import ForecastSale
from secoop.budget.models import ForecastSubmission
from secoop.budget.models import MissionObjective
from secoop.budget.models import Requirement
from secoop.budget.rules import Stage
from secoop.core.models.changelog import ChangeAction
from tests.helpers import saved_copy

from .conftest import log_for
from .conftest import org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username", ["sco.bandaria", "ccmd.planner", "dsca.analyst", "joint.staff"]
)
def test_every_budget_page_opens_for_us_staff(username, login, fy2028, forecast):
    client = login(username)
    objective = MissionObjective.objects.system().first()
    call = BudgetCall.objects.system().get(budget_fy=2028)
    for url in (
        "/budget/",
        "/budget/requests/",
        "/budget/forecasts/",
        f"/budget/calls/{call.pk}/",
        f"/budget/requests/{fy2028.pk}/",
        f"/budget/requests/{fy2028.pk}/?tab=versions",
        f"/budget/forecasts/{forecast.pk}/",
        f"/budget/objectives/{objective.pk}/",
        "/budget/consonance/XBN/",
        "/budget/rollup/?ccmd=AFRICOM",
    ):
        assert client.get(url).status_code == 200, url


def test_the_holder_sees_the_buttons_and_the_versions_show_what_the_ccmd_changed(login, fy2028):
    planner = login("ccmd.planner").get(f"/budget/requests/{fy2028.pk}/").content.decode()
    assert "Forward to the Joint Staff" in planner and "Add a requirement" in planner
    pending = (
        login("sco.bandaria").get(f"/budget/requests/{fy2028.pk}/?tab=versions").content.decode()
    )
    assert "not handed on yet" in pending and "FY2029 need: $700,000.00 → $750,000.00" in pending
    sco = login("sco.bandaria").get(f"/budget/requests/{fy2028.pk}/").content.decode()
    assert "Forward to the Joint Staff" not in sco and "Add a requirement" not in sco
    assert demo.NOT_IN_MSRP in sco and "none: at risk" in sco  # R-BUD-04 flagged on the line
    response = login("ccmd.planner").post(f"/budget/requests/{fy2028.pk}/do/to_joint_staff/")
    assert response.status_code == 302
    fy2028.refresh_from_db()
    assert fy2028.stage == Stage.JOINT_STAFF
    versions = (
        login("sco.bandaria").get(f"/budget/requests/{fy2028.pk}/?tab=versions").content.decode()
    )
    assert "FY2029 need: $700,000.00 → $750,000.00" in versions


def test_the_requirement_form_refuses_what_r_bud_01_needs_and_saves_a_complete_one(login, fy2028):
    client = login("ccmd.planner")
    url = f"/budget/requests/{fy2028.pk}/requirements/new/"
    assert client.get(url).status_code == 200
    assert login("sco.bandaria").get(url).status_code == 404  # not the holder now
    data = {
        "title": "Radar spares",
        "funding_source": "imet",
        "purpose": "materiel",
        "priority": "4",
        "objective": "Keep the radars running",
        "capability": "maintain",
        "capability_text": "Surveillance",
        "time_to_achieve": "2 years",
        "end_state": "Radars available",
        "justification": "No spares, no radar",
        "years": "2028: 300000\n2029: 300000",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "R-BUD-01" in refused.content.decode()
    assert not Requirement.objects.system().filter(title="Radar spares").exists()
    saved = client.post(url, {**data, "funding_source": "fmf"})
    assert saved.status_code == 302
    assert (
        Requirement.objects.system()
        .get(title="Radar spares")
        .years.model.objects.system()
        .filter(requirement__title="Radar spares")
        .count()
        == 2
    )


def test_r_fct_02_03_the_two_reports_download_with_the_right_sales(login, forecast):
    client = login("dsca.analyst")
    javits = client.get(f"/budget/forecasts/{forecast.pk}/?format=javits")
    assert (
        javits["Content-Type"].startswith("application/vnd.openxmlformats") and javits["X-Marking"]
    )
    rows = [r for r in load_workbook(io.BytesIO(javits.content)).active.iter_rows(values_only=True)]
    titles = {r[0] for r in rows}
    # MDE $42M (95%) and DCS MDE $60M at 20%: any probability; the small FMS sales are under the thresholds
    assert {
        "Coastal patrol boats",
        demo.NO_OBJECTIVE,
    } <= titles and "Night vision devices" not in titles
    sales = client.get(f"/budget/forecasts/{forecast.pk}/?format=sales")
    titles = {
        r[0] for r in load_workbook(io.BytesIO(sales.content)).active.iter_rows(values_only=True)
    }
    # FMS only, 90% and more, no dollar threshold: not the 60% radar, not the DCS helicopters
    assert {"Coastal patrol boats", "Night vision devices", "Patrol vehicle spare parts"} <= titles
    assert "Border surveillance radar" not in titles and demo.NO_OBJECTIVE not in titles


def test_the_consonance_page_links_both_sides_and_the_rollup_counts_per_command(login):
    body = login("dsca.analyst").get("/budget/consonance/XBN/").content.decode()
    assert body.count('data-testid="inconsistency"') == 2
    assert demo.NOT_IN_MSRP in body and demo.NO_OBJECTIVE in body and "R-BUD-04" in body
    rollup = login("dsca.analyst").get("/budget/rollup/").content.decode()
    assert "<svg" in rollup and "FY2026" in rollup and "FY2028" in rollup and "AFRICOM" in rollup
    assert "$3,100,000.00" in rollup  # FY2026 allocation: FMF $2.5M + IMET $0.6M


def test_r_sec_01_the_rollup_banner_covers_the_allocations_its_chart_adds_up(login, settings):
    """The chart adds up the allocated requests of every year, not only the latest request the
    consonance check reads: a SECRET allocation raises the page's banner."""
    from tests.conftest import builds

    settings.MAX_CLASSIFICATION = "SECRET"
    with builds("a SECRET allocation"):
        BudgetRequest.objects.system().filter(stage=Stage.ALLOCATED).update(classification=3)
    rollup = login("dsca.analyst").get("/budget/rollup/").content.decode()
    assert "$3,100,000.00" in rollup and "SECRET//NOFORN" in rollup


def test_partner_le_staff_and_industry_get_no_budget_page(login, fy2028):
    for who in ("partner.bandaria", "industry.rep"):
        client = login(who)
        for url in (
            "/budget/",
            "/budget/requests/",
            f"/budget/requests/{fy2028.pk}/",
            "/budget/rollup/",
        ):
            assert client.get(url).status_code == 404, (who, url)
    # LE staff: U.S. staff's pages, but no NOFORN budget record (R-SEC-02)
    assert login("le.staff").get(f"/budget/requests/{fy2028.pk}/").status_code == 404


def test_home_page_tells_each_holder_what_waits_for_them(login, fy2028):
    planner = login("ccmd.planner").get("/").content.decode()
    assert "waits for you" in planner and "R-BUD-05" in planner
    sco = login("sco.bandaria").get("/").content.decode()
    assert "2 inconsistencies between forecasts, budget and plans: Bandaria" in sco
    assert "waits for you" not in login("joint.staff").get("/").content.decode()
    assert "Budget and forecasts" not in login("partner.bandaria").get("/").content.decode()


def test_r_fct_01_02_the_sco_adds_a_sale_to_a_draft_forecast_from_its_page(login, db):
    client = login("sco.bandaria")
    made = client.post(
        "/budget/forecasts/new/",
        {
            "country": "XBN",
            "owner_org": org("SCO Bandaria").pk,
            "report_year": "2028",
            "marking": "CUI//NOFORN",
        },
    )
    assert made.status_code == 302
    submission = ForecastSubmission.objects.system().get(country_id="XBN", report_year=2028)
    again = client.post(
        "/budget/forecasts/new/",
        {
            "country": "XBN",
            "owner_org": org("SCO Bandaria").pk,
            "report_year": "2028",
            "marking": "CUI//NOFORN",
        },
    )
    assert again.status_code == 200 and "R-FCT-01" in again.content.decode()
    sale = {
        "title": "Coastal radar",
        "channel": "fms",
        "kind": "mde",
        "value": "8000000",
        "probability": "30",
        "expected_on": "2028-02-01",
        "marking": "CUI//NOFORN",
    }
    assert client.post(f"/budget/forecasts/{submission.pk}/sales/new/", sale).status_code == 302
    assert (
        ForecastSale.objects.system().filter(submission=submission, title="Coastal radar").exists()
    )
    for who in ("partner.bandaria", "industry.rep"):
        assert login(who).get("/budget/forecasts/new/").status_code == 404


def test_r_bud_05_dsca_opens_the_budget_call_from_its_page_and_others_may_not(login, db):
    from secoop.budget.models import CallStep

    url = "/budget/calls/new/"
    assert login("sco.bandaria").get(url).status_code == 403
    assert login("partner.bandaria").get(url).status_code == 404
    client = login("dsca.analyst")
    assert "Open a budget call" in client.get("/budget/").content.decode()
    body = {
        "budget_fy": "2029",
        "owner_org": org("DSCA").pk,
        "issued_on": "2027-08-13",
        "reference": "DSCA FY2029 FMF/IMET budget call",
        "marking": "UNCLASSIFIED",
    }
    made = client.post(url, body)
    assert made.status_code == 302, made.content.decode()[:2000]
    call = BudgetCall.objects.system().get(budget_fy=2029)
    assert CallStep.objects.system().filter(call=call).count() > 5  # the notional steps
    assert log_for(call)[-1].action == ChangeAction.CREATE
    again = client.post(url, body)  # one call a budget year: refused on the form, nothing written
    assert again.status_code == 200 and "R-BUD-05" in again.content.decode()
    assert BudgetCall.objects.system().filter(budget_fy=2029).count() == 1


def test_r_bud_04_state_pm_and_the_sco_record_msrp_objectives_and_the_ccmd_may_not(login, db):
    url = "/budget/objectives/new/"
    assert login("ccmd.planner").get(url).status_code == 403
    body = {
        "country": "XBN",
        "owner_org": org("Embassy Bandaria").pk,
        "code": "MO 3.1",
        "title": "Bandaria's navy keeps its coastal waters safe",
        "first_fy": "2027",
        "last_fy": "2031",
        "marking": "CUI//NOFORN",
    }
    client = login("sco.bandaria")
    assert "Record an MSRP/ICS objective" in client.get("/budget/").content.decode()
    bad = client.post(url, {**body, "first_fy": "2031", "last_fy": "2027"})
    assert bad.status_code == 200 and "R-BUD-04" in bad.content.decode()
    elsewhere = login("state.pm").post(url, {**body, "country": "GHA"})  # Bandaria's embassy
    assert elsewhere.status_code == 200 and "embassy in the objective" in elsewhere.content.decode()
    made = client.post(url, body)
    assert made.status_code == 302, made.content.decode()[:2000]
    objective = MissionObjective.objects.system().get(code="MO 3.1", country_id="XBN")
    assert objective.owner_org_id == org("Embassy Bandaria").pk
    assert log_for(objective)[-1].action == ChangeAction.CREATE


def test_budget_titles_name_the_country_not_its_code(fy2028, forecast):
    assert str(fy2028) == "FY2028 FMF/IMET budget request, Bandaria"
    assert str(forecast) == "2027 forecast, Bandaria"


@pytest.mark.both_databases
def test_the_forecast_and_request_pages_cost_the_same_queries_whatever_their_rows(
    login, fy2028, forecast, plain_templates
):
    """ARCHITECTURE invariant 7: a page costs its page, not its rows. A sale names its LOR and
    plan objective, a requirement its MSRP/ICS objective, a version who handed it on: read with
    the rows, not once per row (bench data: 40 queries for a forecast of 20 sales)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.budget.models import RequestVersion
    from secoop.cases.models import LetterOfRequest
    from tests.conftest import builds

    web = login("sco.bandaria")
    urls = [
        f"/budget/forecasts/{forecast.pk}/",
        f"/budget/requests/{fy2028.pk}/",
        f"/budget/requests/{fy2028.pk}/?tab=versions",
    ]

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as seen:
                assert web.get(url).status_code == 200
            found[url] = len(seen)
        return found

    sale = ForecastSale.objects.system().filter(submission=forecast, lor__isnull=False).first()
    line = Requirement.objects.system().filter(request=fy2028, mission_objective__isnull=False)
    version = RequestVersion.objects.system().filter(request=fy2028).order_by("number").last()
    assert sale and sale.objective_id and line.exists() and version and version.made_by_id
    web.get(urls[0])  # warm the session and the reference facts
    before = counts()
    with builds("more rows"):
        for n in range(4):
            saved_copy(ForecastSale, sale.pk, title=f"{sale.title} {n}")
            saved_copy(Requirement, line.first().pk, title=f"another line {n}", priority=50 + n)
            saved_copy(RequestVersion, version.pk, number=version.number + 1 + n)
    after = counts()
    assert after == before
    page = web.get(urls[0]).content.decode()
    lor = LetterOfRequest.objects.system().get(pk=sale.lor_id)
    # The copies are shown with their LOR, as the sale they copy (the prefetch attached it).
    assert page.count(f'href="{lor.get_absolute_url()}"') >= 5


@pytest.mark.both_databases
def test_issue15_the_rollups_queries_do_not_grow_with_the_rows_it_counts(login, plain_templates):
    """Issue 15: the roll-up counts in SQL (2,622 queries at enterprise scale, then 19 with every
    sale read into Python): the same queries for the demo's one country as for more countries
    with their requests, forecasts and plans, and more sales naming LORs and objectives."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.cases.models import LetterOfRequest
    from secoop.core import generate
    from tests.conftest import builds

    client = login("dsca.analyst")
    client.get("/budget/rollup/")  # the session, the access profile, the reference facts
    with CaptureQueriesContext(connection) as few:
        before = client.get("/budget/rollup/").content.decode()
    generate.generate("tiny", seed=7)  # more countries with requests, forecasts and plans
    sale = ForecastSale.objects.system().filter(lor__isnull=False).first()
    lors = LetterOfRequest.objects.system().exclude(pk=sale.lor_id)[:3]
    with builds("more sales, each naming another LOR"):
        for n, lor in enumerate(lors):
            saved_copy(ForecastSale, sale.pk, title=f"{sale.title} {n}", lor=lor, value=n + 1)
    with CaptureQueriesContext(connection) as more:
        after = client.get("/budget/rollup/").content.decode()
    assert after.count("<li>") > before.count("<li>")  # more countries counted
    assert len(more) == len(few), [q["sql"][:200] for q in more]


def test_issue15_the_rollup_counts_what_each_countrys_check_finds(users, settings):
    """Issue 15: for every U.S. user, the roll-up's SQL counts are each country's consonance
    check (the Python read of every row: check_many, as the consonance page), its chart is the
    sum of the visible rows, and its banner covers the same records as before (decision 0047)."""
    from collections import defaultdict
    from decimal import Decimal

    from django.db.models import F

    from secoop.budget import consonance
    from secoop.budget.models import RequirementYear
    from secoop.budget.rules import Kind
    from secoop.budget.rules import count_by_kind
    from secoop.core import generate
    from secoop.core.markings import combine
    from secoop.core.models import Country
    from secoop.core.today import usg_holding
    from tests.conftest import builds

    settings.MAX_CLASSIFICATION = "SECRET"
    generate.generate("tiny", seed=7)  # more countries, some of their records SECRET
    countries = list(
        Country.objects.filter(pk__in=BudgetRequest.objects.system().values("country_id")).order_by(
            "ccmd", "name"
        )
    )
    assert len(countries) > 2
    codes = {c.pk for c in countries}
    with builds("a line and sales whose amounts disagree with their activity and LORs"):
        line = Requirement.objects.system().get(
            request__country_id="XBN", request__budget_fy=2028, activity__isnull=False
        )
        RequirementYear.objects.system().filter(requirement=line).update(amount=9_999_000)
        ForecastSale.objects.system().filter(lor__isnull=False).update(value=1_000)
    kinds = set()
    for user in users.values():
        if not usg_holding(user):
            continue
        found = consonance.rollup(user, countries)
        checked = consonance.check_many(user, countries)
        assert [(t.country, t.counts) for t in found.tallies] == [
            (r.country, count_by_kind(r.found)) for r in checked
        ], user.username
        requested, allocated, summed = defaultdict(Decimal), {}, []
        for y in RequirementYear.objects.visible_to(user).annotate(
            call_fy=F("requirement__request__budget_fy"),
            country=F("requirement__request__country_id"),
        ):
            if y.country in codes and y.fiscal_year == y.call_fy:
                requested[y.fiscal_year] += y.amount
                summed.append(y)
        for r in BudgetRequest.objects.visible_to(user).filter(stage=Stage.ALLOCATED):
            allocated[r.budget_fy] = (
                allocated.get(r.budget_fy, 0) + r.allocated_fmf + r.allocated_imet
            )
            summed.append(r)
        assert [(b.fy, b.requested, b.allocated) for b in found.bars] == [
            (fy, requested.get(fy, 0), allocated.get(fy)) for fy in sorted(set(requested) | set(allocated))
        ]  # fmt: skip
        records = [rec for r in checked for rec in r.records] + summed
        assert combine(found.markings) == combine(r.marking for r in records), user.username
        kinds |= {k for t in found.tallies for k, n in t.counts.items() if n}
    assert kinds == set(Kind.LABELS)  # every kind found, and counted alike


def test_issue15_the_home_pages_inconsistencies_check_their_countries_in_a_fixed_number_of_queries(
    db, django_assert_max_num_queries
):
    """Issue 15 item 4: the home page's consonance items check their countries in one pass
    (twelve queries a country before); each item's figures are its country's own check."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from secoop.budget import consonance
    from secoop.budget.today import inconsistencies
    from secoop.core import generate
    from secoop.core.models import Country
    from secoop.core.today import marking_of
    from tests.helpers import person

    planner = person("ccmd.planner")
    inconsistencies(planner)  # the access profile and roles, cached on the user
    with CaptureQueriesContext(connection) as few:
        before = inconsistencies(planner)
    generate.generate("tiny", seed=7)  # more countries with requests and forecasts
    with django_assert_max_num_queries(len(few.captured_queries)):
        items = inconsistencies(planner)
    assert len(items) > len(before)
    for user in (planner, person("sco.bandaria")):
        for item in inconsistencies(user):
            country = Country.objects.get(pk=item.url.rstrip("/").rsplit("/", 1)[1])
            alone = consonance.check(user, country)
            assert item.count == len(alone.found) and item.title.endswith(country.name)
            assert item.marking == marking_of(alone.records)
