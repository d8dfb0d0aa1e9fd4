"""Security review of budget (4 Dec 2026, branch secab): writes that reached rows the writer could
not read, and derived values (the consonance check's amounts) marked below what they add up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from secoop.budget import actions
from secoop.budget import consonance
from secoop.budget.models import Requirement
from secoop.budget.models import RequirementYear
from secoop.core import actions as core
from secoop.core.models import Country
from secoop.core.models import User
from secoop.core.rules import Audience
from secoop.core.rules import Clearance
from secoop.core.rules import Role
from secoop.core.verdicts import Refused
from tests.conftest import builds

from .conftest import org
from .conftest import person

pytestmark = [pytest.mark.django_db]


def uncleared_ccmd_planner() -> User:
    """A CCMD planner without a clearance (UNCLASSIFIED and CUI): holds the request at the
    command's stage like the demo's SECRET one."""
    user = User.objects.create(
        username="uncleared.ccmd",
        audience=Audience.USG,
        citizenship_id="USA",
        clearance=Clearance.NONE,
    )
    core.grant_membership(None, user, org("AFRICOM"), Role.CCMD_PLANNER)
    return person("uncleared.ccmd")


def test_r_sec_01_a_year_the_holder_may_not_read_is_neither_removed_nor_rewritten(fy2028, settings):
    """Changing a requirement's years set every year the holder left out to zero and deleted it,
    including a year marked above the requirement, which the page never showed them."""
    settings.MAX_CLASSIFICATION = "SECRET"
    assert fy2028.stage == "ccmd"
    requirement = Requirement.objects.system().filter(request=fy2028).order_by("pk").first()
    years = RequirementYear.objects.system().filter(requirement=requirement).order_by("fiscal_year")
    assert years.count() >= 2
    hidden, shown = years.last(), years.first()
    with builds("a SECRET year of a CUI requirement"):
        years.filter(pk=hidden.pk).update(classification=3)
    holder = uncleared_ccmd_planner()
    actions.change_requirement(
        holder, requirement, {}, {shown.fiscal_year: shown.amount + 1}, reason="adjusted"
    )
    kept = RequirementYear.objects.system().get(pk=hidden.pk)
    assert kept.amount == hidden.amount
    with pytest.raises(Refused) as refused:
        actions.change_requirement(
            holder, requirement, {}, {hidden.fiscal_year: Decimal(1)}, reason="adjusted"
        )
    assert refused.value.findings[0].rule == "R-SEC-01"
    assert RequirementYear.objects.system().get(pk=hidden.pk).amount == hidden.amount


def test_r_sec_01_the_consonance_check_is_marked_by_the_amounts_it_compares(fy2028, settings):
    """The check compares each line's need by year: a year marked above its requirement raises
    the marking of the page, the home-page item and the roll-up that show the result."""
    settings.MAX_CLASSIFICATION = "SECRET"
    year = RequirementYear.objects.system().filter(requirement__request=fy2028).first()
    with builds("a SECRET year of a CUI requirement"):
        RequirementYear.objects.system().filter(pk=year.pk).update(classification=3)
    result = consonance.check(person("sco.bandaria"), Country.objects.get(pk="XBN"))
    assert any(
        isinstance(r, RequirementYear) and r.marking.classification == 3 for r in result.records
    )


def test_r_sec_01_the_request_page_is_marked_by_the_call_step_whose_due_date_it_shows(
    login, fy2028, settings
):
    from secoop.budget.models import CallStep
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    step = CallStep.objects.system().filter(call_id=fy2028.call_id, stage=fy2028.stage).first()
    assert step is not None
    client = login("ccmd.planner")
    assert banner(client.get(fy2028.get_absolute_url())) != "SECRET//NOFORN"
    with builds("a SECRET step of the call"):
        CallStep.objects.system().filter(pk=step.pk).update(classification=3)
    page = client.get(fy2028.get_absolute_url())
    assert banner(page) == "SECRET//NOFORN"
    # Who may not see the step is not shown its date.
    uncleared = uncleared_ccmd_planner()
    assert actions.due_step(fy2028.call_id, fy2028.stage, uncleared) is None


def test_r_sec_01_the_requirement_form_is_marked_by_the_years_it_shows(login, fy2028, settings):
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    requirement = Requirement.objects.system().filter(request=fy2028).order_by("pk").first()
    url = f"/budget/requirements/{requirement.pk}/edit/"
    client = login("ccmd.planner")
    assert banner(client.get(url)) != "SECRET//NOFORN"
    with builds("a SECRET year of a CUI requirement"):
        RequirementYear.objects.system().filter(requirement=requirement).update(classification=3)
    assert banner(client.get(url)) == "SECRET//NOFORN"


def test_r_sec_01_a_sale_tells_nothing_of_a_submission_the_reader_may_not_see(forecast, settings):
    """in_javits and in_sales_forecast were worked out from the submission's year read past the
    door: one bit each about a record the reader may not see."""
    from rest_framework.test import APIClient

    from secoop.budget.models import ForecastSale
    from secoop.budget.models import ForecastSubmission

    settings.MAX_CLASSIFICATION = "SECRET"
    sale = ForecastSale.objects.system().filter(submission=forecast).first()
    with builds("a SECRET submission of a CUI sale"):
        ForecastSubmission.objects.system().filter(pk=forecast.pk).update(classification=3)
    user = User.objects.create(
        username="uncleared.sco", audience=Audience.USG, citizenship_id="USA"
    )
    core.grant_membership(None, user, org("SCO Bandaria"), Role.SCO_OFFICER)
    api = APIClient()
    api.force_authenticate(user=person("uncleared.sco"))
    answer = api.get(f"/api/v1/budget/sales/{sale.pk}/").json()
    assert (answer["in_javits"], answer["in_sales_forecast"]) == (None, None)


def test_r_sec_01_request_and_forecast_pages_are_marked_by_what_their_rows_name_and_add_up(
    login, fy2028, forecast, settings
):
    """A requirement row names its MSRP/ICS objective and shows its need by year (added up in
    the totals); a sale row names its LOR and plan objective: each raises the page's banner."""
    from secoop.budget.models import ForecastSale
    from secoop.budget.models import MissionObjective
    from secoop.cases.models import LetterOfRequest
    from tests.core.test_views import banner

    settings.MAX_CLASSIFICATION = "SECRET"
    client = login("sco.bandaria")
    pages = [fy2028.get_absolute_url(), forecast.get_absolute_url()]
    assert all(banner(client.get(url)) != "SECRET//NOFORN" for url in pages)
    named = Requirement.objects.system().filter(request=fy2028, mission_objective__isnull=False)
    sale = ForecastSale.objects.system().filter(submission=forecast, lor__isnull=False).first()
    assert named.exists() and sale is not None
    with builds("a SECRET MSRP/ICS objective and a SECRET LOR"):
        MissionObjective.objects.system().filter(pk=named.first().mission_objective_id).update(
            classification=3
        )
        LetterOfRequest.objects.system().filter(pk=sale.lor_id).update(classification=3)
    assert [banner(client.get(url)) for url in pages] == ["SECRET//NOFORN"] * 2


def test_r_sec_01_dsca_opens_a_call_only_for_an_organization_it_writes_for(api):
    from secoop.budget.models import BudgetCall

    before = BudgetCall.objects.system().count()
    answer = api("dsca.analyst").post(
        "/api/v1/budget/calls/",
        {
            "budget_fy": 2097,
            "owner_org": org("AFRICOM").pk,
            "issued_on": "2026-08-01",
            "reference": "FY2097 call",
            "marking": "UNCLASSIFIED",
        },
        format="json",
    )
    assert answer.status_code == 403
    assert BudgetCall.objects.system().count() == before
