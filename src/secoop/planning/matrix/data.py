"""The matrix's records, read through the access door for one user (`load`), and the plain facts
the layout is drawn from (`matrix_input`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404

from secoop.core.markings import Marking
from secoop.core.markings import combine

from .layout import RESTRICTED_ROW
from .layout import UNLINKED_ROW
from .layout import ActivityFact
from .layout import FundingFact
from .layout import LinkFact
from .layout import MatrixFacts
from .layout import PhaseFact
from .layout import RowFact


@dataclass
class PlanData:
    """Everything a matrix or a CSCS export shows, read through the door for one user."""

    user: object
    country_plan: object
    campaign_plan: object | None
    phases: list
    activities: list
    funding: list
    dependencies: list
    lines_of_effort: list
    lines_of_activity: list
    imos: list
    measures: list
    assumptions: list
    editable_ids: frozenset[int]
    ics: object | None = None
    today: dt.date | None = None

    def records(self) -> list:
        out = [
            self.country_plan,
            *self.phases,
            *self.activities,
            *self.funding,
            *self.dependencies,
            *self.lines_of_effort,
        ]
        out += [*self.lines_of_activity, *self.imos, *self.measures, *self.assumptions]
        if self.campaign_plan is not None:
            out.append(self.campaign_plan)
        if self.ics is not None:
            out.append(self.ics)
        return out

    @property
    def marking(self) -> Marking:
        """The highest marking of what the matrix and its exports contain."""
        return combine(r.marking for r in self.records())


def load(user, pk: int, *, document: bool = False) -> PlanData:
    """Read a country plan's matrix through the door (404 when the user may not see the plan).

    A fixed number of queries, whatever the number of activities: the plan, its campaign plan,
    phases, activities, funding, dependencies, lines of effort, lines of activity, IMOs, the
    editable ids; with `document`, also the measures, assumptions and the embassy ICS."""
    from django.utils import timezone

    from ..models import Activity
    from ..models import ActivityDependency
    from ..models import ActivityFunding
    from ..models import CampaignPlan
    from ..models import CountryPlan
    from ..models import GuidanceDocument
    from ..models import IntermediateObjective
    from ..models import LineOfActivity
    from ..models import LineOfEffort
    from ..models import Measure
    from ..models import Phase
    from ..models import PlanningAssumption

    cp = CountryPlan.objects.visible_to(user).select_related("country").filter(pk=pk).first()
    if cp is None:
        raise Http404("No such country plan.")
    campaign = CampaignPlan.objects.visible_to(user).filter(pk=cp.campaign_plan_id).first()

    def seen(model, *order, **where) -> list:
        """The `model` records the user may see that match `where`, in `order`: one query."""
        return list(model.objects.visible_to(user).filter(**where).order_by(*order))

    plan_id = cp.campaign_plan_id
    phases = seen(Phase, "number", country_plan=cp)
    activities = seen(Activity, "start_date", "id", country_plan=cp)
    funding = seen(
        ActivityFunding, "activity_id", "fiscal_year", "source", activity__country_plan=cp
    )
    deps = seen(ActivityDependency, "id", successor__country_plan=cp, predecessor__country_plan=cp)
    loes = seen(LineOfEffort, "sequence", "name", campaign_plan_id=plan_id)
    loas = seen(LineOfActivity, "name", imo__line_of_effort__campaign_plan_id=plan_id)
    imos = seen(
        IntermediateObjective,
        "line_of_effort__sequence",
        "deadline",
        "title",
        line_of_effort__campaign_plan_id=plan_id,
    )
    editable = frozenset(
        Activity.objects.editable_by(user).filter(country_plan=cp).values_list("id", flat=True)
    )
    measures, assumptions, ics = [], [], None
    if document:
        measures = seen(
            Measure, "imo_id", "kind", "id", imo__line_of_effort__campaign_plan_id=plan_id
        )
        assumptions = seen(PlanningAssumption, "review_on", "id", country_plan=cp)
        if cp.ics_id:
            ics = GuidanceDocument.objects.visible_to(user).filter(pk=cp.ics_id).first()
    # Only IMOs, LOAs and LOEs of this partner (or regional ones) belong in its country plan.
    loes = [loe for loe in loes if loe.country_id in (None, cp.country_id)]
    loe_ids = {loe.pk for loe in loes}
    imos = [i for i in imos if i.line_of_effort_id in loe_ids]
    imo_ids = {i.pk for i in imos}
    loas = [loa for loa in loas if loa.imo_id in imo_ids]
    measures = [m for m in measures if m.imo_id in imo_ids]
    activity_ids = {a.pk for a in activities}
    deps = [d for d in deps if d.predecessor_id in activity_ids and d.successor_id in activity_ids]
    funding = [f for f in funding if f.activity_id in activity_ids]
    return PlanData(
        user=user,
        country_plan=cp,
        campaign_plan=campaign,
        phases=phases,
        activities=activities,
        funding=funding,
        dependencies=deps,
        lines_of_effort=loes,
        lines_of_activity=loas,
        imos=imos,
        measures=measures,
        assumptions=assumptions,
        editable_ids=editable,
        ics=ics,
        today=timezone.localdate(),
    )


def matrix_input(data: PlanData) -> MatrixFacts:
    """Plain facts from records already read through the door."""
    from django.urls import NoReverseMatch
    from django.urls import reverse

    cp = data.country_plan
    loa_by_id = {loa.pk: loa for loa in data.lines_of_activity}
    imo_by_id = {i.pk: i for i in data.imos}
    funding: dict[int, list[FundingFact]] = defaultdict(list)
    for f in data.funding:
        funding[f.activity_id].append(FundingFact(f.fiscal_year, f.source, f.amount))
    phase_number = {p.pk: p.number for p in data.phases}

    rows = [
        RowFact(f"loe-{loe.pk}", loe.name, f"LOE / SSCI {i}", loe.sequence)
        for i, loe in enumerate(data.lines_of_effort, start=1)
    ]
    used_unlinked = used_restricted = False
    try:  # one reverse for all: the activity page is the backbone's, the matrix works without it
        url_pattern = reverse("planning:activity-detail", args=[0])
    except NoReverseMatch:
        url_pattern = ""
    acts = []
    for a in data.activities:
        if a.line_of_activity_id is None:
            row, used_unlinked = UNLINKED_ROW, True
        else:
            loa = loa_by_id.get(a.line_of_activity_id)
            imo = imo_by_id.get(loa.imo_id) if loa else None
            if imo is None:
                row, used_restricted = RESTRICTED_ROW, True
            else:
                row = f"loe-{imo.line_of_effort_id}"
        url = url_pattern.replace("/0/", f"/{a.pk}/", 1) if url_pattern else ""
        loa = loa_by_id.get(a.line_of_activity_id)
        acts.append(
            ActivityFact(
                id=a.pk,
                title=a.title,
                start=a.start_date,
                end=a.end_date,
                row=row,
                status=a.status,
                type_label=a.get_activity_type_display(),
                program=a.program,
                location=a.location,
                phase=phase_number.get(a.phase_id),
                marking=a.marking,
                funding=tuple(funding.get(a.pk, ())),
                editable=a.pk in data.editable_ids,
                unlinked=a.line_of_activity_id is None,
                line_of_activity=loa.name if loa else "",
                needs_us_forces=a.needs_us_forces,
                url=url,
            )
        )
    if used_restricted:
        rows.append(RowFact(RESTRICTED_ROW, "Line of effort not shown to you", "Restricted", 998))
    if used_unlinked:
        rows.append(
            RowFact(
                UNLINKED_ROW, "Not linked to a line of activity", "Unlinked drafts (R-PLN-01)", 999
            )
        )
    links = tuple(
        LinkFact(d.predecessor_id, d.successor_id, d.lag_days, d.note) for d in data.dependencies
    )
    return MatrixFacts(
        title=cp.title,
        start_fy=cp.start_fy,
        end_fy=cp.end_fy,
        rows=tuple(rows),
        phases=tuple(PhaseFact(p.number, p.name, p.start_date, p.end_date) for p in data.phases),
        activities=tuple(acts),
        links=links,
        today=data.today,
        marking=data.marking,
    )


def load_country_plan(user, pk: int):
    """The country plan, through the door (404 when the user may not see it)."""
    from ..models import CountryPlan

    cp = CountryPlan.objects.visible_to(user).filter(pk=pk).first()
    if cp is None:
        raise Http404("No such country plan.")
    return cp
