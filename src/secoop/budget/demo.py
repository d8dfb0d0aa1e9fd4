"""Demo data: the FY2026–FY2028 budget calls (steps and dates from SAMM Table C2.T2), Bandaria's
allocated FY2026 and FY2027 requests (for the request-vs-allocation chart), its FY2028 request
(submitted by the SCO, modified by the CCMD, which holds it now), two MSRP/ICS objectives, and its
2027 forecast submission. Two inconsistencies are deliberate, for the consonance check to find
(R-FCT-04, R-BUD-04): the coastal patrol boat sustainment line serves no MSRP/ICS objective, and
the DCS light attack helicopter sale serves no objective of the country plan. Made through
budget.actions as the demo users, so every record has its change-log entry. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secoop.cases.models import LetterOfRequest
from secoop.core import demo
from secoop.core.models import User
from secoop.planning.models import Activity
from secoop.planning.models import GuidanceDocument
from secoop.planning.models import IntermediateObjective

from . import actions
from .models import BudgetCall
from .models import BudgetRequest
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import Requirement
from .rules import Capability
from .rules import Channel
from .rules import FundingSource
from .rules import Purpose
from .rules import SaleKind

D = dt.date
MARK = "CUI//NOFORN"  # U.S. positions, pre-decisional: not for the partner nor LE staff
NOT_IN_MSRP = "Coastal patrol boat sustainment"
NO_OBJECTIVE = "Light attack helicopters (DCS)"

IMO_NEAR = "Support built and the border brigade vetted and selected"
IMO_MID = "Border brigade patrols the northern frontier day and night with its own logistics"
IMO_DIB = "MoD budgets for and staffs the border force"


_marked = demo.marker(MARK)


def _u(name: str) -> User:
    return User.objects.get(username=name)


def _req(request, title, source, purpose, priority, years, msrp=None, activity=None, **text):
    r = Requirement(
        request=request,
        title=title,
        funding_source=source,
        purpose=purpose,
        priority=priority,
        objective=text.get("objective", f"{title}: what Bandaria needs, and why."),
        capability=text.get("capability", Capability.ENHANCE),
        capability_text=text.get(
            "capability_text", f"Border security capability served by: {title.lower()}."
        ),
        time_to_achieve=text.get("time_to_achieve", "Three years"),
        end_state=text.get(
            "end_state", "Bandaria secures its northern frontier with its own forces."
        ),
        justification=text.get(
            "justification",
            f"{title} is critical to the objective: without it the capability is not sustained.",
        ),
        mission_objective=msrp,
        activity=activity,
    )
    return actions.add_requirement(_u("sco.bandaria"), _marked(r), years, reason="demo data")


# (holder username, transition) in the order a request travels (R-BUD-05).
ROUTE = [
    ("sco.bandaria", "submit"),
    ("ccmd.planner", "to_joint_staff"),
    ("joint.staff", "to_dsca"),
    ("dsca.analyst", "to_osd"),
    ("osd.policy", "to_dos"),
]


@demo.register
def load(made: dict) -> None:
    if BudgetCall.objects.system().filter(budget_fy=2028).exists():
        return
    orgs = made["orgs"]
    dsca, sco, embassy = orgs["dsca"], orgs["sco"], orgs["embassy"]
    calls = {}
    for fy in (2026, 2027, 2028):
        calls[fy] = actions.open_call(
            _u("dsca.analyst"),
            _marked(
                BudgetCall(
                    budget_fy=fy,
                    owner_org=dsca,
                    issued_on=D(fy - 2, 8, 14),
                    reference=f"DSCA FY{fy} FMF/IMET budget call (FMF/IMET Budget Web Tool)",
                ),
                "UNCLASSIFIED",
            ),
            reason="demo data",
        )
    ics = GuidanceDocument.objects.system().filter(kind="ics", country_id="XBN").first()
    msrp = {}
    for code, title in (
        (
            "MO 1.1",
            "Bandaria's security forces control its borders against trafficking and extremist movement",
        ),
        ("MO 2.1", "A professional, accountable military under civilian control"),
    ):
        msrp[code] = actions.create_objective(
            _u("state.pm"),
            _marked(
                MissionObjective(
                    country_id="XBN",
                    owner_org=embassy,
                    code=code,
                    title=title,
                    description=f"Chief of Mission objective {code} of the Bandaria ICS, funded through the MSRP.",
                    ics=ics,
                    first_fy=2026,
                    last_fy=2030,
                )
            ),
            reason="demo data",
        )
    radars = (
        Activity.objects.system()
        .filter(title__startswith="FMF purchase of ground surveillance radars")
        .first()
    )
    # Allocated years, for the request-vs-allocation chart.
    for fy, asked, fmf, imet in (
        (2026, "3200000", "2500000", "600000"),
        (2027, "3600000", "2400000", "640000"),
    ):
        request = actions.create_request(
            _u("sco.bandaria"),
            _marked(BudgetRequest(call=calls[fy], country_id="XBN", owner_org=sco)),
            reason="demo data",
        )
        _req(
            request,
            "Border security equipment and sustainment",
            FundingSource.FMF,
            Purpose.MATERIEL,
            1,
            {fy: asked},
            msrp["MO 1.1"],
        )
        _req(
            request,
            "Professional military education",
            FundingSource.IMET,
            Purpose.TRAINING,
            2,
            {fy: imet},
            msrp["MO 2.1"],
        )
        for i, (who, step) in enumerate(ROUTE):
            request = actions.forward_request(
                _u(who),
                request,
                step,
                on=D(fy - 2, 10, 24) + dt.timedelta(days=40 * i),
                reason="demo data",
            )
        actions.record_allocation(
            _u("state.pm"), request, Decimal(fmf), Decimal(imet), reason="demo data"
        )

    # FY2028: submitted by the SCO, modified by the CCMD, which holds it now.
    request = actions.create_request(
        _u("sco.bandaria"),
        _marked(
            BudgetRequest(
                call=calls[2028],
                country_id="XBN",
                owner_org=sco,
                uncommitted_fmf=Decimal("1250000"),
                uncommitted_plan="Committed to the ground surveillance radar case (LOR of November 2026) once its LOA is offered.",
                uncommitted_commit_by=D(2027, 9, 30),
            )
        ),
        reason="demo data",
    )
    _req(
        request,
        "Ground surveillance radars",
        FundingSource.FMF,
        Purpose.MATERIEL,
        1,
        {2028: "1100000", 2029: "800000"},
        msrp["MO 1.1"],
        radars,
    )
    pme = _req(
        request,
        "Professional military education (IMET)",
        FundingSource.IMET,
        Purpose.TRAINING,
        2,
        {2028: "650000", 2029: "700000"},
        msrp["MO 2.1"],
    )
    _req(
        request,
        NOT_IN_MSRP,
        FundingSource.FMF,
        Purpose.SERVICES,
        3,
        {2028: "900000", 2029: "900000", 2030: "950000"},
        None,
        None,
        capability=Capability.MAINTAIN,
    )
    request = actions.forward_request(
        _u("sco.bandaria"), request, "submit", on=D(2026, 10, 23), reason="demo data"
    )
    actions.change_requirement(
        _u("ccmd.planner"),
        pme,
        {"priority": 2},
        {2028: "650000", 2029: "750000"},
        reason="AFRICOM adds two seats at the staff college in FY2029",
    )

    # The 2027 forecast: one submission (R-FCT-01), due June 2026.
    submission = actions.create_forecast(
        _u("sco.bandaria"),
        _marked(ForecastSubmission(country_id="XBN", owner_org=sco, report_year=2027)),
        reason="demo data",
    )
    imo = {
        t: IntermediateObjective.objects.system().filter(title=t).first()
        for t in (IMO_NEAR, IMO_MID, IMO_DIB)
    }
    lor = {
        t: LetterOfRequest.objects.system().filter(title=t).first()
        for t in (
            "Coastal patrol boats",
            "Night vision devices for border patrols",
            "Border surveillance radar",
            "Patrol vehicle spare parts",
        )
    }
    for title, channel, kind, value, probability, on, lor_title, objective in (
        (
            "Coastal patrol boats",
            Channel.FMS,
            SaleKind.MDE,
            "42000000",
            95,
            D(2027, 3, 15),
            "Coastal patrol boats",
            IMO_MID,
        ),
        (
            "Night vision devices",
            Channel.FMS,
            SaleKind.OTHER,
            "2900000",
            100,
            D(2027, 1, 20),
            "Night vision devices for border patrols",
            IMO_NEAR,
        ),
        (
            "Border surveillance radar",
            Channel.FMS,
            SaleKind.OTHER,
            "7500000",
            60,
            D(2027, 6, 30),
            "Border surveillance radar",
            IMO_MID,
        ),
        (
            "Patrol vehicle spare parts",
            Channel.FMS,
            SaleKind.OTHER,
            "1100000",
            90,
            D(2027, 2, 15),
            "Patrol vehicle spare parts",
            IMO_MID,
        ),
        (NO_OBJECTIVE, Channel.DCS, SaleKind.MDE, "60000000", 20, D(2027, 9, 1), None, None),
    ):
        actions.add_sale(
            _u("sco.bandaria"),
            _marked(
                ForecastSale(
                    submission=submission,
                    title=title,
                    channel=channel,
                    kind=kind,
                    value=Decimal(value),
                    probability=probability,
                    expected_on=on,
                    lor=lor.get(lor_title) if lor_title else None,
                    objective=imo.get(objective) if objective else None,
                )
            ),
            reason="demo data",
        )
    actions.submit_forecast(_u("sco.bandaria"), submission, on=D(2026, 6, 20), reason="demo data")
