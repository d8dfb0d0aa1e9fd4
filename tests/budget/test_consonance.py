"""R-FCT-04, R-BUD-04 on the database: the consonance check reads every side through the door and
finds the demo's two deliberate inconsistencies, and nothing else; once they are fixed, it finds
none."""

from __future__ import annotations

from secoop.budget import actions, consonance, demo
from secoop.budget.models import ForecastSale, MissionObjective, Requirement
from secoop.budget.rules import Kind
from secoop.core.models import Country
from secoop.planning.models import IntermediateObjective

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
