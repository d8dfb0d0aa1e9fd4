"""The consonance check (R-FCT-04, R-BUD-04), reading every side through the user's door:
a country's forecast sales, budget requirements, the country plan's objectives and activities,
its open LORs and the Chief of Mission's MSRP/ICS objectives. Nothing is copied: each
inconsistency links to both records. The rules are rules.consonance (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case
from django.db.models import Count
from django.db.models import DecimalField
from django.db.models import Exists
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Coalesce
from django.db.models.functions import ExtractYear

from secoop.cases.models import FmsCase
from secoop.cases.models import LetterOfRequest
from secoop.cases.models import LorStatus
from secoop.cases.rules import Status as CaseStatus
from secoop.core.list_exports import rows_markings
from secoop.core.markings import Marking
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


# --- the roll-up: the same figures counted in SQL (issue 15) ---------------------------------------


@dataclass
class Tally:
    """A country's inconsistencies as counts per kind (the roll-up's row)."""

    country: Country
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Rollup:
    """The roll-up page's figures: each country's tally, the request vs allocation by budget
    year, and the distinct markings of every record they add up (for the banner, decision 0047:
    the records check_many and the chart read, counted instead of listed)."""

    tallies: list[Tally]
    bars: list[rules.Bar]
    markings: list[Marking]


def _fy(date_field: str):
    """The fiscal year of a date column in SQL (core.fiscal.fiscal_year: October starts the next)."""
    return ExtractYear(date_field) + Case(
        When(**{f"{date_field}__month__gte": 10}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


MARKING = ("classification", "dissemination", "rel_to")


def _grouped(queryset, fields, aggregate, markings: set) -> dict:
    """`aggregate` (a Count or Sum) of the rows of `queryset` per value of `fields` ({key: total},
    a key a tuple when there are several fields); the rows' markings, for the banner, are read in
    the same query (grouped by them too) and added to `markings`."""
    out = {}
    for *key, c, d, r, total in (
        queryset.order_by().values_list(*fields, *MARKING).annotate(total=aggregate)
    ):
        markings.add(_marking(queryset.model, c, d, r))
        key = tuple(key) if len(key) > 1 else key[0]
        out[key] = out[key] + total if key in out else total
    return out


def _marking(model, classification, dissemination, rel_to) -> Marking:
    """The marking of a `model` row with these marking columns (as rows_markings reads them)."""
    return model(classification=classification, dissemination=dissemination, rel_to=rel_to).marking


def _per_country(grouped: dict, country_of: dict) -> dict[str, dict]:
    """{(parent id, *key): total} as {country: {key: total}}, the parent (a submission or a
    request) mapped to its country."""
    out: dict[str, dict] = defaultdict(dict)
    for (parent, *key), total in grouped.items():
        out[country_of[parent]][tuple(key) if len(key) > 1 else key[0]] = total
    return out


def rollup(user, countries: list[Country]) -> Rollup:
    """check_many's counts for `countries` and the chart's sums, each an aggregate through the
    user's door: a fixed number of queries, and rows that grow with the countries and the keys
    compared (objectives, LORs, activities), never with the sales or lines added up."""
    if not countries:  # nothing the user may see: no query to build
        return Rollup([], [], [])
    codes = [c.pk for c in countries]
    markings: set[Marking] = set()
    # The latest request of each country (as check_many: the highest budget year, then the first).
    request_of: dict[str, tuple[int, int, Marking]] = {}
    for pk, code, fy, c, d, r in (
        BudgetRequest.objects.visible_to(user)
        .filter(country_id__in=codes)
        .order_by("-budget_fy", "pk")
        .values_list("pk", "country_id", "budget_fy", *MARKING)
    ):
        request_of.setdefault(code, (pk, fy, _marking(BudgetRequest, c, d, r)))
    # The latest report year's sales of each country: one submission (one a country and year).
    sales = ForecastSale.objects.visible_to(user).filter(submission__country_id__in=codes)
    submission_of: dict[str, tuple[int, int]] = {}
    for pk, code, year in (
        sales.order_by("-submission__report_year")
        .values_list("submission_id", "submission__country_id", "submission__report_year")
        .distinct()
    ):
        submission_of.setdefault(code, (pk, year))
    country_of = {pk: code for code, (pk, _) in submission_of.items()}
    sales = sales.filter(submission_id__in=list(country_of))
    n = Count("pk")
    by_objective = _per_country(
        _grouped(sales, ("submission_id", "objective_id"), n, markings), country_of
    )
    naming = sales.filter(lor__isnull=False)
    by_lor = _per_country(
        _grouped(naming, ("submission_id", "lor_id", "value"), n, markings), country_of
    )
    fmf_sales = _per_country(
        _grouped(
            sales.filter(fmf_funded=True),
            ("submission_id", _fy("expected_on")),
            Sum("value"),
            markings,
        ),
        country_of,
    )
    # The open LORs: not returned, no signed case (that the user sees) for them.
    signed = FmsCase.objects.visible_to(user).filter(
        country_id=OuterRef("country_id"), lor_id=OuterRef("pk"), status__in=SIGNED
    )
    lors = (
        LetterOfRequest.objects.visible_to(user)
        .filter(country_id__in=codes)
        .exclude(status=LorStatus.RETURNED)
        .exclude(Exists(signed))
    )
    open_lors = _grouped(lors, ("country_id",), n, markings)
    named = {code: {lor for lor, _ in keys} for code, keys in by_lor.items()}
    lor_values: dict[str, dict] = defaultdict(dict)
    for pk, code, value in lors.filter(pk__in=naming.values("lor_id")).values_list(
        "pk", "country_id", "estimated_value"
    ):
        if pk in named.get(code, ()):  # named by a sale of its own country
            lor_values[code][pk] = value
    # The latest requests' lines (check_many's banner covers every year of them it may see).
    chosen = {pk: code for code, (pk, _, _) in request_of.items()}
    markings.update(
        rows_markings(
            RequirementYear.objects.visible_to(user).filter(
                requirement__request_id__in=list(chosen)
            )
        )
    )
    lines = Requirement.objects.visible_to(user).filter(request_id__in=list(chosen))
    by_msrp = _per_country(
        _grouped(lines, ("request_id", "mission_objective_id"), n, markings), chosen
    )
    activity_ids = lines.filter(activity__isnull=False).values("activity_id")
    activities = Activity.objects.visible_to(user).filter(pk__in=activity_ids)
    funding = ActivityFunding.objects.visible_to(user).filter(
        activity_id__in=activity_ids,
        source__in=(rules.FundingSource.FMF, rules.FundingSource.IMET),
    )
    markings.update(rows_markings(activities) + rows_markings(funding))
    planned = {
        (activity, source, fy): total
        for activity, source, fy, total in funding.filter(activity_id__in=activities.values("pk"))
        .order_by()
        .values_list("activity_id", "source", "fiscal_year")
        .annotate(total=Sum("amount"))
    }
    needs = RequirementYear.objects.visible_to(user).filter(requirement__in=lines.values("pk"))
    line_needs = _per_country(
        _grouped(
            needs.filter(requirement__activity_id__in=activities.values("pk")),
            (
                "requirement__request_id",
                "requirement__activity_id",
                "requirement__funding_source",
                "fiscal_year",
                "amount",
            ),
            n,
            markings,
        ),
        chosen,
    )
    fmf_lines = _per_country(
        _grouped(
            needs.filter(requirement__funding_source=rules.FundingSource.FMF),
            ("requirement__request_id", "fiscal_year"),
            Sum("amount"),
            markings,
        ),
        chosen,
    )
    # The objectives the sales and lines name, where the user sees them.
    plans = set(
        CountryPlan.objects.visible_to(user)
        .filter(country_id__in=codes)
        .values_list("country_id", "campaign_plan_id")
    )
    plan_objectives: dict[str, set] = defaultdict(set)
    for code, plan, pk in (
        IntermediateObjective.objects.visible_to(user)
        .filter(
            line_of_effort__country_id__in=codes,
            pk__in=sales.values("objective_id"),
        )
        .values_list("line_of_effort__country_id", "line_of_effort__campaign_plan_id", "pk")
    ):
        if (code, plan) in plans:
            plan_objectives[code].add(pk)
    msrp: dict[str, set] = defaultdict(set)
    for code, pk in (
        MissionObjective.objects.visible_to(user)
        .filter(country_id__in=codes, pk__in=lines.values("mission_objective_id"))
        .values_list("country_id", "pk")
    ):
        msrp[code].add(pk)
    # The FMF comparison: the forecast (if the user sees it) against the request.
    submissions = {
        pk: (year, _marking(ForecastSubmission, c, d, r))
        for pk, year, c, d, r in ForecastSubmission.objects.visible_to(user)
        .filter(pk__in=list(country_of))
        .values_list("pk", "report_year", *MARKING)
    }
    thresholds, tolerance = facts.thresholds(), facts.tolerance()
    tallies = []
    for country in countries:
        code = country.pk
        fmf = None
        request, submission = request_of.get(code), submission_of.get(code)
        if request and submission and submission[0] in submissions:
            year, marking = submissions[submission[0]]
            markings.update((marking, request[2]))  # the consonance page names both
            window = rules.forecast_years(year, thresholds)
            fmf = rules.FmfFacts(
                Side(""),
                Side(""),
                fmf_sales.get(code, {}),
                fmf_lines.get(code, {}),
                tuple(fy for fy in window if fy >= request[1]),
            )
        tally = rules.Tally(
            frozenset(plan_objectives[code]),
            frozenset(msrp[code]),
            by_objective.get(code, {}),
            by_lor.get(code, {}),
            open_lors.get(code, 0),
            lor_values[code],
            by_msrp.get(code, {}),
            line_needs.get(code, {}),
            planned,
            fmf,
        )
        tallies.append(Tally(country, rules.consonance_counts(tally, tolerance)))
    bars = _bars(user, codes, markings)
    return Rollup(tallies, bars, sorted(markings, key=str))


def _bars(user, codes: list[str], markings: set) -> list[rules.Bar]:
    """The request vs allocation by budget year, summed in SQL: each request's needs for its own
    budget year, and the allocations recorded; their markings go into `markings` (R-SEC-01: a
    total is marked like the records it adds up)."""
    needs = RequirementYear.objects.visible_to(user).filter(
        requirement__request__country_id__in=codes,
        fiscal_year=F("requirement__request__budget_fy"),
    )
    allocated = BudgetRequest.objects.visible_to(user).filter(
        country_id__in=codes, stage=rules.Stage.ALLOCATED
    )
    both = Coalesce("allocated_fmf", Value(Decimal(0))) + Coalesce(
        "allocated_imet", Value(Decimal(0))
    )
    requested = _grouped(needs, ("fiscal_year",), Sum("amount"), markings)
    given = _grouped(allocated, ("budget_fy",), Sum(both, output_field=DecimalField()), markings)
    return [
        rules.Bar(fy, requested.get(fy, Decimal(0)), given.get(fy))
        for fy in sorted(set(requested) | set(given))
    ]
