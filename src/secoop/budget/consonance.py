"""The consonance check (R-FCT-04, R-BUD-04), reading every side through the user's door:
a country's forecast sales, budget requirements, the country plan's objectives and activities,
its open LORs and the Chief of Mission's MSRP/ICS objectives. Nothing is copied: each
inconsistency links to both records. The rules are rules.consonance (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import LorStatus
from secoop.cases.rules import Status as CaseStatus
from secoop.core.models import Country
from secoop.planning.models import Activity
from secoop.planning.models import ActivityFunding
from secoop.planning.models import CountryPlan
from secoop.planning.models import IntermediateObjective

from . import facts
from . import rules
from .models import BudgetRequest
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import Requirement
from .models import RequirementYear
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
    return check_many(user, [country], budget_fy=budget_fy, report_year=report_year)[0]


def _by(rows, key) -> dict:
    """Rows grouped by key(row), each group in the rows' order."""
    groups: dict = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def check_many(
    user,
    countries: list[Country],
    *,
    budget_fy: int | None = None,
    report_year: int | None = None,
) -> list[Result]:
    """check() for each of `countries`, in their order: each side read once for all of them
    (a dozen queries however many countries: the rollup checks every country the user may see,
    issue 15 item 4), then each country's facts compared by rules.consonance as before."""
    codes = [c.pk for c in countries]
    # Their names are shown (str() reads the country): read with them, not once a country.
    requests = (
        BudgetRequest.objects.visible_to(user)
        .filter(country_id__in=codes)
        .select_related("country")
    )
    if budget_fy:
        requests = requests.filter(budget_fy=budget_fy)
    latest_request: dict[str, BudgetRequest] = {}
    for r in requests.order_by("-budget_fy", "pk"):
        latest_request.setdefault(r.country_id, r)
    sales_qs = ForecastSale.objects.visible_to(user).filter(submission__country_id__in=codes)
    if report_year:
        sales_qs = sales_qs.filter(submission__report_year=report_year)
    sales_of = _by(
        sales_qs.annotate(_country=F("submission__country_id"), _year=F("submission__report_year")),
        lambda s: s._country,
    )
    for code, found in sales_of.items():
        # The latest report year's sales (or report_year's, filtered above).
        year = max(s._year for s in found)
        sales_of[code] = [s for s in found if s._year == year]
    chosen = [r.pk for r in latest_request.values()]
    years_of = _by(
        RequirementYear.objects.visible_to(user)
        .filter(requirement__request_id__in=chosen)
        .annotate(_request=F("requirement__request_id")),
        lambda y: y._request,
    )
    requirements_of = _by(
        Requirement.objects.visible_to(user).filter(request_id__in=chosen),
        lambda r: r.request_id,
    )
    plans_of = _by(
        CountryPlan.objects.visible_to(user)
        .filter(country_id__in=codes)
        .values_list("country_id", "campaign_plan_id"),
        lambda row: row[0],
    )
    objectives_of = _by(
        IntermediateObjective.objects.visible_to(user)
        .filter(line_of_effort__country_id__in=codes)
        .values_list("line_of_effort__country_id", "line_of_effort__campaign_plan_id", "pk"),
        lambda row: row[0],
    )
    msrp_of = _by(
        MissionObjective.objects.visible_to(user)
        .filter(country_id__in=codes)
        .values_list("country_id", "pk"),
        lambda row: row[0],
    )
    signed_of = _by(
        FmsCase.objects.visible_to(user)
        .filter(country_id__in=codes, status__in=SIGNED, lor__isnull=False)
        .values_list("country_id", "lor_id"),
        lambda row: row[0],
    )
    lors_of = _by(
        LetterOfRequest.objects.visible_to(user)
        .filter(country_id__in=codes)
        .exclude(status=LorStatus.RETURNED),
        lambda lor: lor.country_id,
    )
    activity_ids = {r.activity_id for rs in requirements_of.values() for r in rs if r.activity_id}
    funding = list(
        ActivityFunding.objects.visible_to(user).filter(
            activity_id__in=activity_ids, source__in=("fmf", "imet")
        )
    )
    activities_read = list(Activity.objects.visible_to(user).filter(pk__in=activity_ids))
    submissions = {
        s.pk: s
        for s in ForecastSubmission.objects.visible_to(user)
        .filter(pk__in={found[0].submission_id for found in sales_of.values() if found})
        .select_related("country")
    }
    tolerance = facts.tolerance()
    thresholds = facts.thresholds()
    results = []
    for country in countries:
        code = country.pk
        request = latest_request.get(code)
        read: list = list(sales_of.get(code, []))
        sales = [
            rules.SaleFacts(
                Side(f"Forecast sale: {s.title}", s.get_absolute_url()),
                s.value,
                s.objective_id,
                s.lor_id,
            )
            for s in read
        ]
        lines, ids = [], set()
        fmf_years: dict[int, Decimal] = defaultdict(Decimal)
        if request is not None:
            requirements = requirements_of.get(request.pk, [])
            years = defaultdict(dict)
            for y in years_of.get(request.pk, []):
                years[y.requirement_id][y.fiscal_year] = y.amount
                read.append(y)  # the amounts compared and summed: the banner covers them (0047)
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
                    ids.add(r.activity_id)
        plans = {plan for _, plan in plans_of.get(code, [])}
        plan_objectives = [pk for _, plan, pk in objectives_of.get(code, []) if plan in plans]
        msrp = [pk for _, pk in msrp_of.get(code, [])]
        signed = {lor for _, lor in signed_of.get(code, [])}
        open_lors = [lor for lor in lors_of.get(code, []) if lor.pk not in signed]
        read += open_lors
        lors = {
            lor.pk: rules.LorFacts(
                Side(f"LOR: {lor.title}", lor.get_absolute_url()), lor.estimated_value
            )
            for lor in open_lors
        }
        activities = {}
        if ids:
            by_act = defaultdict(lambda: (defaultdict(Decimal), defaultdict(Decimal)))
            for f in funding:
                if f.activity_id in ids:
                    by_act[f.activity_id][0 if f.source == "fmf" else 1][f.fiscal_year] += f.amount
                    read.append(f)
            for a in activities_read:
                if a.pk in ids:
                    read.append(a)
                    fmf, imet = by_act[a.pk]
                    activities[a.pk] = rules.ActivityFacts(
                        Side(f"Activity: {a.title}", a.get_absolute_url()), dict(fmf), dict(imet)
                    )
        fmf = _fmf(request, dict(fmf_years), read, submissions, thresholds)
        found = rules.consonance(
            sales, lines, lors, activities, plan_objectives, msrp, tolerance, fmf
        )
        results.append(
            Result(
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
        )
    return results


def _fmf(
    request, fmf_lines: dict[int, Decimal], read: list, submissions: dict, thresholds
) -> rules.FmfFacts | None:
    """The FMF comparison's facts (R-FCT-04): the forecast's sales paid with FMF (read above,
    through the door) against the request's FMF lines by fiscal year. `submissions`: the
    forecast submissions the user may see, by id."""
    sales = [r for r in read if isinstance(r, ForecastSale)]
    if request is None or not sales:
        return None
    submission = submissions.get(sales[0].submission_id)
    if submission is None:
        return None
    read += [submission, request]  # the page names both: its banner covers them
    window = rules.forecast_years(submission.report_year, thresholds)
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
