"""R-FCT-04, R-BUD-04 on the database: the consonance check reads every side through the door and
finds the demo's two deliberate inconsistencies, and nothing else; once they are fixed, it finds
none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.budget import actions
from secoop.budget import consonance
from secoop.budget import demo
from secoop.budget.models import ForecastSale
from secoop.budget.models import ForecastSubmission
from secoop.budget.models import MissionObjective
from secoop.budget.models import Requirement
from secoop.budget.rules import Kind
from secoop.core.markings import Marking
from secoop.core.models import Country
from secoop.planning.models import IntermediateObjective

from .conftest import org
from .conftest import person


def test_r_fct_04_the_check_finds_the_two_seeded_inconsistencies_and_nothing_else(fy2028, forecast):
    found = consonance.check(person("sco.bandaria"), Country.objects.get(pk="XBN")).found
    assert sorted((i.kind, i.left.label) for i in found) == [
        (Kind.LINE_NOT_IN_MSRP, f"Budget line: {demo.NOT_IN_MSRP}"),
        (Kind.SALE_WITHOUT_OBJECTIVE, f"Forecast sale: {demo.NO_OBJECTIVE}"),
    ]
    assert all(i.left.url for i in found), "each inconsistency links to where it is fixed"


def test_r_fct_04_consistent_data_gives_no_false_inconsistency(fy2028, forecast):
    planner, sco = person("ccmd.planner"), person("sco.bandaria")
    line = Requirement.objects.system().get(request=fy2028, title=demo.NOT_IN_MSRP)
    msrp = MissionObjective.objects.system().get(country_id="XBN", code="MO 1.1")
    actions.change_requirement(planner, line, {"mission_objective": msrp}, reason="fits MO 1.1")
    sale = ForecastSale.objects.system().get(submission=forecast, title=demo.NO_OBJECTIVE)
    imo = IntermediateObjective.objects.system().get(title=demo.IMO_MID)
    # The forecast is submitted: the fix is the SCO's next year's; here, the record as it should be.
    from secoop.core.actions import system_writes

    with system_writes("test: the consistent state"):
        ForecastSale.objects.system().filter(pk=sale.pk).update(objective=imo)
    assert consonance.check(sco, Country.objects.get(pk="XBN")).found == []


def test_r_fct_04_fmf_funded_forecast_sales_are_compared_with_the_fmf_budget_lines(fy2028, db):
    """The 2028 forecast (FY2028–FY2029) expects a $5M FMF-funded sale in FY2028; the FY2028
    request's FMF lines ask $2M for FY2028 (radars $1.1M, maintenance $0.9M): one finding, both
    sides linked; the sale not paid with FMF is no finding."""
    sco = person("sco.bandaria")
    submission = ForecastSubmission(country_id="XBN", owner_org=org("SCO Bandaria"), report_year=2028)  # fmt: skip
    submission.marking = Marking.parse("CUI//NOFORN")
    submission = actions.create_forecast(sco, submission)
    imo = IntermediateObjective.objects.system().get(title=demo.IMO_MID)

    def sale(title, fmf):
        s = ForecastSale(
            submission=submission, title=title, channel="fms", kind="other",
            value=Decimal("5000000"), probability=95, expected_on=dt.date(2028, 3, 1),
            fmf_funded=fmf, objective=imo,
        )  # fmt: skip
        s.marking = Marking.parse("CUI//NOFORN")
        return actions.add_sale(sco, s)

    sale("Patrol boat engines", fmf=False)
    found = consonance.check(sco, Country.objects.get(pk="XBN")).found
    assert Kind.FMF_AMOUNT not in {i.kind for i in found}
    sale("Border radar sustainment", fmf=True)
    result = consonance.check(sco, Country.objects.get(pk="XBN"))
    (fmf,) = [i for i in result.found if i.kind == Kind.FMF_AMOUNT]
    assert (
        fmf.left.url == submission.get_absolute_url() and fmf.right.url == fy2028.get_absolute_url()
    )
    assert "$5,000,000.00" in fmf.message and "$2,000,000.00" in fmf.message
    # the forecast covers FY2028–FY2029; FY2029's FMF lines with no FMF-funded sale: no finding
    assert result.fmf_rows == [
        (2028, Decimal("5000000"), Decimal("2000000")),
        (2029, Decimal("0"), Decimal("1700000")),
    ]
    assert [i.kind for i in result.found].count(Kind.FMF_AMOUNT) == 1
