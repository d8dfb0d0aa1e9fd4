"""Synthetic budget calls, requests, MSRP/ICS objectives and forecasts for `secoop generate`
(registered with core.generate.register; it runs after planning's generator, whose IMOs the
forecast sales serve).

* The FMF/IMET budget calls of the last `Scale.budget_years` budget years up to two years ahead
  (the call for FY+2 is the one being worked), with the steps of the notional timeline in force
  (R-BUD-05); a call already there (the demo's) is used as it is.
* Per generated partner country with an SCO and an embassy: two or three Chief of Mission
  objectives (MSRP/ICS, owned by the embassy); one request per call, unconstrained (R-BUD-02),
  with two to five requirements (every R-BUD-01 element, IMET only for training; about one in
  eight serving no MSRP objective, so the consonance check has something to find, R-BUD-04) and
  their out-year needs; the older years' requests allocated, the latest one somewhere on its way
  (R-BUD-05); a positive uncommitted FMF balance always with its plan and date (R-BUD-03).
* Per such country, the forecast submissions (R-FCT-01) of the current and the next report year
  with the country's share of `Scale.forecast_sales` possible sales (FMS, DCS, EDA; any
  probability; some paid with FMF), most serving one of the country's generated IMOs.

Calls, objectives, requests, requirements, submissions and sales get their CREATE entries; call
steps and requirement years are detail rows (`Generation.create(log=False)`). A country's request
for a call, or its submission for a year, that is already there (an earlier run's) is skipped:
both are unique. All internal records, never shown to partners (R-FCT-05).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from secoop.core import generate as core
from secoop.core.fiscal import fiscal_year
from secoop.planning.models import IntermediateObjective

from . import actions
from .models import BudgetCall
from .models import BudgetRequest
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import Requirement
from .models import RequirementYear
from .rules import Capability
from .rules import Channel
from .rules import FundingSource
from .rules import Purpose
from .rules import SaleKind
from .rules import Stage

MARKINGS = (("CUI//NOFORN", 85), ("CUI", 10), ("SECRET//NOFORN", 5))
NOT_IN_MSRP_SHARE = 0.125
MSRP_TITLES = (
    "Security forces control the borders against trafficking",
    "A professional military under civilian control",
    "Maritime security in territorial waters",
    "Regional peacekeeping contributions",
)
REQUIREMENTS = (
    (FundingSource.FMF, Purpose.MATERIEL, "Surveillance radars and their sustainment"),
    (FundingSource.FMF, Purpose.MATERIEL, "Patrol boats"),
    (FundingSource.FMF, Purpose.SERVICES, "Depot maintenance of tactical vehicles"),
    (FundingSource.FMF, Purpose.TRAINING, "Pilot training (FMS)"),
    (FundingSource.IMET, Purpose.TRAINING, "Professional military education"),
    (FundingSource.IMET, Purpose.TRAINING, "English language instructors"),
)
SALES = (
    (Channel.FMS, SaleKind.MDE, "Utility helicopters"),
    (Channel.FMS, SaleKind.OTHER, "Night vision devices"),
    (Channel.FMS, SaleKind.OTHER, "Spare parts and repair"),
    (Channel.DCS, SaleKind.MDE, "Armored vehicles"),
    (Channel.DCS, SaleKind.OTHER, "Communications equipment"),
    (Channel.EDA, SaleKind.MDE, "Excess patrol craft"),
)


@core.register
def budget(gen: core.Generation) -> None:
    if not gen.scale.budget_years:
        return
    this_fy = fiscal_year(timezone.localdate())
    countries = [
        c
        for c in gen.countries
        if gen.by_country[c.alpha3]["sco"] and gen.by_country[c.alpha3]["embassy"]
    ]
    calls = _calls(gen, range(this_fy + 3 - gen.scale.budget_years, this_fy + 3))
    msrp = _objectives(gen, countries, this_fy)
    _requests(gen, countries, calls, msrp)
    _forecasts(gen, countries, this_fy)


def _marking(gen) -> object:
    return gen.marking(core._weighted(gen.rng, MARKINGS))


def _calls(gen, years) -> list[BudgetCall]:
    existing = {
        c.budget_fy: c for c in BudgetCall.objects.system().filter(budget_fy__in=list(years))
    }
    new = []
    for fy in years:
        if fy in existing:
            continue
        call = BudgetCall(
            budget_fy=fy,
            owner_org=gen.orgs["dsca"][0],
            issued_on=dt.date(fy - 2, 8, 14),
            reference=f"DSCA FY{fy} FMF/IMET budget call (synthetic)",
        )
        call.marking = gen.marking("UNCLASSIFIED")
        new.append(call)
    gen.create(new)
    gen.create([step for call in new for step in actions.notional_call_steps(call)], log=False)
    return sorted([*existing.values(), *new], key=lambda c: c.budget_fy)


def _objectives(gen, countries, this_fy) -> dict[str, list[MissionObjective]]:
    rng = gen.rng
    made: dict[str, list[MissionObjective]] = {}
    for c in countries:
        made[c.alpha3] = []
        for n, title in enumerate(rng.sample(MSRP_TITLES, rng.randint(2, 3)), 1):
            o = MissionObjective(
                country=c,
                owner_org=gen.by_country[c.alpha3]["embassy"][0],
                code=f"MO {n}.1",
                title=f"{c.name}: {title.lower()}"[:300],
                description=f"Chief of Mission objective of the {c.name} ICS (synthetic).",
                first_fy=this_fy - 1,
                last_fy=this_fy + 4,
            )
            o.marking = gen.marking("CUI//NOFORN")
            made[c.alpha3].append(o)
    gen.create([o for group in made.values() for o in group])
    return made


def _requests(gen, countries, calls, msrp) -> None:
    rng = gen.rng
    taken = set(
        BudgetRequest.objects.system().filter(call__in=calls).values_list("call_id", "country_id")
    )
    latest = calls[-1].budget_fy if calls else None
    requests, planned = [], []
    for c in countries:
        for call in calls:
            if (call.pk, c.alpha3) in taken:
                continue
            balance = Decimal(rng.choice((0, 0, 0, rng.randrange(100_000, 3_000_000, 10_000))))
            r = BudgetRequest(
                call=call,
                country=c,
                owner_org=gen.by_country[c.alpha3]["sco"][0],
                budget_fy=call.budget_fy,
                uncommitted_fmf=balance,
                # R-BUD-03: a positive balance always comes with its plan and date.
                uncommitted_plan="Committed to the open FMS case once its amendment is offered." if balance else "",
                uncommitted_commit_by=dt.date(call.budget_fy - 1, 9, 30) if balance else None,
                stage=Stage.ALLOCATED if call.budget_fy < latest else rng.choice(Stage.ORDER),
            )  # fmt: skip
            r.marking = _marking(gen)
            # The requirements and their out-year needs (R-BUD-01), unconstrained (R-BUD-02).
            lines = []
            for priority, row in enumerate(rng.sample(REQUIREMENTS, rng.randint(2, 5)), 1):
                needs = {
                    fy: Decimal(rng.randrange(100_000, 8_000_000, 10_000))
                    for fy in range(call.budget_fy, call.budget_fy + rng.randint(1, 3))
                }
                lines.append((priority, row, needs))
            if r.stage == Stage.ALLOCATED:  # what DoS gave for the budget year, mostly less
                asked = {FundingSource.FMF: Decimal(0), FundingSource.IMET: Decimal(0)}
                for _, (source, _, _), needs in lines:
                    asked[source] += needs[call.budget_fy]
                r.allocated_fmf = (asked[FundingSource.FMF] * rng.randint(50, 100) / 100).quantize(Decimal("1"))  # fmt: skip
                r.allocated_imet = (asked[FundingSource.IMET] * rng.randint(70, 100) / 100).quantize(Decimal("1"))  # fmt: skip
            requests.append(r)
            planned.append(lines)
    gen.create(requests)
    reqs, years = [], []
    for r, lines in zip(requests, planned, strict=True):
        for priority, (source, purpose, title), needs in lines:
            req = Requirement(
                request=r,
                title=title,
                funding_source=source,
                purpose=purpose,
                priority=priority,
                objective=f"{title} for the {r.country.name} forces.",
                capability=rng.choice((Capability.CREATE, Capability.ENHANCE, Capability.MAINTAIN)),
                capability_text=f"{title}: the capability it builds.",
                time_to_achieve=f"{rng.randint(1, 4)} years",
                end_state="The partner operates and sustains it on its own.",
                justification="Critical to the country plan's objectives (synthetic).",
                mission_objective=None
                if rng.random() < NOT_IN_MSRP_SHARE
                else rng.choice(msrp[r.country_id]),
            )
            req.marking = r.marking
            reqs.append(req)
            for fy, amount in needs.items():
                y = RequirementYear(requirement=req, fiscal_year=fy, amount=amount)
                y.marking = r.marking
                years.append(y)
    gen.in_chunks(reqs)
    gen.in_chunks(years, log=False)


def _forecasts(gen, countries, this_fy) -> None:
    rng = gen.rng
    years = (this_fy, this_fy + 1)
    taken = set(
        ForecastSubmission.objects.system()
        .filter(report_year__in=years)
        .values_list("country_id", "report_year")
    )
    imos: dict[str, list[int]] = defaultdict(list)
    for pk, country in (
        IntermediateObjective.objects.system()
        .filter(pk__in=gen.pks.get("planning.IntermediateObjective", []))
        .values_list("pk", "line_of_effort__country_id")
    ):
        imos[country].append(pk)
    submissions = []
    for c in countries:
        for year in years:
            if (c.alpha3, year) in taken:
                continue
            s = ForecastSubmission(
                country=c,
                owner_org=gen.by_country[c.alpha3]["sco"][0],
                report_year=year,
                notes="Synthetic forecast.",
            )
            if year == this_fy:
                s.status, s.submitted_on = "submitted", dt.date(year - 1, 6, 20)
            s.marking = gen.marking("CUI//NOFORN")
            submissions.append(s)
    gen.create(submissions)
    by_country = defaultdict(list)
    for s in submissions:
        by_country[s.country_id].append(s)
    wanted = gen.spread(gen.scale.forecast_sales)
    sales = []
    for c in countries:
        if not by_country[c.alpha3]:
            continue
        for _ in range(wanted.get(c.alpha3, 0)):
            s = rng.choice(by_country[c.alpha3])
            channel, kind, title = rng.choice(SALES)
            first = dt.date(s.report_year - 1, 10, 1)  # the forecast's first fiscal year
            sale = ForecastSale(
                submission=s,
                title=f"{title} ({c.name})"[:300],
                channel=channel,
                kind=kind,
                value=Decimal(rng.randrange(500_000, 90_000_000, 50_000)),
                probability=rng.choice((20, 40, 60, 80, 90, 95, 100)),
                expected_on=first + dt.timedelta(days=rng.randint(0, 729)),
                fmf_funded=channel == Channel.FMS and rng.random() < 0.3,
                objective_id=rng.choice(imos[c.alpha3])
                if imos[c.alpha3] and rng.random() < 0.9
                else None,
            )
            sale.marking = s.marking
            sales.append(sale)
    gen.in_chunks(sales)
