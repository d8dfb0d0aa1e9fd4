"""The consonance check (R-FCT-04, R-BUD-04), reading every side through the user's door:
a country's forecast sales, budget requirements, the country plan's objectives and activities,
its open LORs and the Chief of Mission's MSRP/ICS objectives. Nothing is copied: each
inconsistency links to both records. The rules are rules.consonance (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from secoop.cases.models import FmsCase, LetterOfRequest, LorStatus
from secoop.cases.rules import Status as CaseStatus
from secoop.core.models import Country
from secoop.planning.models import Activity, ActivityFunding, CountryPlan, IntermediateObjective

from . import facts, rules
from .models import (
    BudgetRequest,
    ForecastSale,
    ForecastSubmission,
    MissionObjective,
    Requirement,
    RequirementYear,
)
from .rules import Side

# An LOR is still ahead of its sale while no case for it is signed (or ended): those are forecast.
SIGNED = (
    CaseStatus.ACCEPTED,
    CaseStatus.IMPLEMENTED,
    CaseStatus.SSC,
    CaseStatus.INTERIM,
    CaseStatus.CLOSED,
    CaseStatus.REJECTED,
    CaseStatus.CANCELLED,
)


@dataclass
class Result:
    country: Country
    found: list[rules.Inconsistency]
    checked: dict[str, int]
    records: list  # every record read, for the page's marking banner
    fmf: rules.FmfFacts | None = None  # the FMF sales vs FMF lines, by fiscal year

    @property
    def fmf_rows(self) -> list[tuple[int, Decimal, Decimal]]:
        if self.fmf is None:
            return []
        return [
            (fy, self.fmf.sales_by_year.get(fy, Decimal(0)), self.fmf.lines_by_year.get(fy, Decimal(0)))
            for fy in self.fmf.years
        ]  # fmt: skip

    @property
    def counts(self) -> dict[str, int]:
        return rules.count_by_kind(self.found)


def check(
    user, country: Country, *, budget_fy: int | None = None, report_year: int | None = None
) -> Result:
    """The inconsistencies `user` can see for `country`: the latest request and forecast (or the
    ones of `budget_fy` / `report_year`)."""
    requests = BudgetRequest.objects.visible_to(user).filter(country=country)
    if budget_fy:
        requests = requests.filter(budget_fy=budget_fy)
    request = requests.order_by("-budget_fy").first()
    sales_qs = ForecastSale.objects.visible_to(user).filter(submission__country=country)
    if report_year:
        sales_qs = sales_qs.filter(submission__report_year=report_year)
    else:
        latest = (
            sales_qs.order_by("-submission__report_year")
            .values_list("submission__report_year", flat=True)
            .first()
        )
        sales_qs = sales_qs.filter(submission__report_year=latest)
    read: list = list(sales_qs)
    sales = [
        rules.SaleFacts(
            Side(f"Forecast sale: {s.title}", s.get_absolute_url()),
            s.value,
            s.objective_id,
            s.lor_id,
        )
        for s in read
    ]
    lines, activity_ids = [], set()
    fmf_years: dict[int, Decimal] = defaultdict(Decimal)
    if request is not None:
        years = defaultdict(dict)
        for y in RequirementYear.objects.visible_to(user).filter(requirement__request=request):
            years[y.requirement_id][y.fiscal_year] = y.amount
            read.append(y)  # the amounts compared and summed: the banner covers them (0047)
        requirements = list(Requirement.objects.visible_to(user).filter(request=request))
        for r in requirements:
            if r.funding_source == rules.FundingSource.FMF:
                for fy, amount in years[r.pk].items():
                    fmf_years[fy] += amount
        for r in requirements:
            read.append(r)
            lines.append(
                rules.LineFacts(
                    Side(f"Budget line: {r.title}", r.get_absolute_url()),
                    r.mission_objective_id,
                    r.activity_id,
                    r.funding_source,
                    years[r.pk],
                )
            )
            if r.activity_id:
                activity_ids.add(r.activity_id)
    plans = (
        CountryPlan.objects.visible_to(user)
        .filter(country=country)
        .values_list("campaign_plan_id", flat=True)
    )
    plan_objectives = (
        IntermediateObjective.objects.visible_to(user)
        .filter(line_of_effort__campaign_plan_id__in=list(plans), line_of_effort__country=country)
        .values_list("pk", flat=True)
    )
    msrp = (
        MissionObjective.objects.visible_to(user)
        .filter(country=country)
        .values_list("pk", flat=True)
    )
    signed = set(
        FmsCase.objects.visible_to(user)
        .filter(country=country, status__in=SIGNED, lor__isnull=False)
        .values_list("lor_id", flat=True)
    )
    open_lors = [
        lor
        for lor in LetterOfRequest.objects.visible_to(user)
        .filter(country=country)
        .exclude(status=LorStatus.RETURNED)
        if lor.pk not in signed
    ]
    read += open_lors
    lors = {
        lor.pk: rules.LorFacts(
            Side(f"LOR: {lor.title}", lor.get_absolute_url()), lor.estimated_value
        )
        for lor in open_lors
    }
    activities = {}
    if activity_ids:
        by_act = defaultdict(lambda: (defaultdict(Decimal), defaultdict(Decimal)))
        for f in ActivityFunding.objects.visible_to(user).filter(
            activity_id__in=activity_ids, source__in=("fmf", "imet")
        ):
            by_act[f.activity_id][0 if f.source == "fmf" else 1][f.fiscal_year] += f.amount
            read.append(f)
        for a in Activity.objects.visible_to(user).filter(pk__in=activity_ids):
            read.append(a)
            fmf, imet = by_act[a.pk]
            activities[a.pk] = rules.ActivityFacts(
                Side(f"Activity: {a.title}", a.get_absolute_url()), dict(fmf), dict(imet)
            )
    tolerance = facts.tolerance()
    fmf = _fmf(user, request, dict(fmf_years), read)
    found = rules.consonance(
        sales,
        lines,
        lors,
        activities,
        list(plan_objectives),
        list(msrp),
        tolerance,
        fmf,
    )
    return Result(
        country,
        found,
        {
            "sales": len(sales),
            "lines": len(lines),
            "lors": len(lors),
            "activities": len(activities),
        },
        read,
        fmf,
    )


def _fmf(user, request, fmf_lines: dict[int, Decimal], read: list) -> rules.FmfFacts | None:
    """The FMF comparison's facts (R-FCT-04): the forecast's sales paid with FMF (read above,
    through the door) against the request's FMF lines by fiscal year."""
    sales = [r for r in read if isinstance(r, ForecastSale)]
    if request is None or not sales:
        return None
    submission = (
        ForecastSubmission.objects.visible_to(user).filter(pk=sales[0].submission_id).first()
    )
    if submission is None:
        return None
    read += [submission, request]  # the page names both: its banner covers them
    window = rules.forecast_years(submission.report_year, facts.thresholds())
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for s in sales:
        if s.fmf_funded:
            by_year[s.fiscal_year] += s.value
    return rules.FmfFacts(
        Side(str(submission), submission.get_absolute_url()),
        Side(str(request), request.get_absolute_url()),
        dict(by_year),
        fmf_lines,
        tuple(fy for fy in window if fy >= request.budget_fy),
    )
