"""Planning actions (ARCHITECTURE invariant 2): every write of a planning record goes through here.

Each function checks the permission (through core.actions and the door), checks the planning
rules (a Refused names the rule id and the fix), writes the change and its change-log entry
in one transaction. Views and the API call these; they never set a status themselves.

Key entry points:
    create(user, record, reason=, funding=)            any planning record (funding: activity lines)
    update(user, record, changes, reason=, funding=)  field → value; 'marking' takes text
    delete(user, record, reason=)
    approve_plan(user, plan) / reopen_plan(user, plan, reason=)          R-PLN-02
    plan_activity / start_activity / complete_activity / cancel_activity  R-PLN-08
    record_assessment(user, activity, text, assessed_on=)                  R-PLN-06
    add_dependency(user, predecessor, successor, lag_days=) / remove_dependency   R-PLN-09
    reschedule(user, activity, new_start, new_end=None, confirm=False) -> RescheduleResult
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from django.db import models
from django.db import transaction
from django.utils import timezone

from secoop.core import access
from secoop.core import actions as core
from secoop.core.action_reads import reload_editable
from secoop.core.action_reads import visible
from secoop.core.clock import acting_today as today
from secoop.core.dated_facts import whole
from secoop.core.errors import NotPermitted
from secoop.core.formats import counted
from secoop.core.markings import Marking
from secoop.core.markings import combine_strict
from secoop.core.models import MarkedModel
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind
from secoop.core.models import ReferenceFact
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.permissions import Approval
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.permissions import require_role
from secoop.core.rules import Role
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import blank_text
from secoop.core.verdicts import refuse_if

from . import rules
from .models import Activity
from .models import ActivityDependency
from .models import ActivityFunding
from .models import CampaignPlan
from .models import CountryPlan
from .models import EndState
from .models import GuidanceDocument
from .models import GuidanceKind
from .models import IntermediateObjective
from .models import LineOfActivity
from .models import LineOfEffort
from .models import Phase
from .models import PlanKind
from .models import PlanningAssumption
from .models import PlanningEvent
from .models import PlanStatus
from .models import Reschedule
from .rules import Status

RFF_FACT = "rff-lead-time-days"
PLAN_OWNER_KINDS = {
    PlanKind.GCP: {OrganizationKind.CCMD, OrganizationKind.JOINT_STAFF},
    PlanKind.FCP: {OrganizationKind.CCMD, OrganizationKind.JOINT_STAFF},
    PlanKind.CCP: {OrganizationKind.CCMD},
    PlanKind.CSP: {
        OrganizationKind.MILDEP,
        OrganizationKind.IMPLEMENTING_AGENCY,
        OrganizationKind.DSCA,
    },
}


def default_rff_lead_days(on: dt.date | None = None) -> int | None:
    """R-PLN-10: the request-for-forces lead time in force (a dated reference fact)."""
    try:
        return whole(RFF_FACT, on)
    except ReferenceFact.DoesNotExist:
        return None


# --- the rules per record type ------------------------------------------------------------------


def _plan_of_loa(
    loa_id: int | None,
) -> tuple[CampaignPlan, IntermediateObjective] | tuple[None, None]:
    if loa_id is None:
        return None, None
    loa = (
        LineOfActivity.objects.system()
        .select_related("imo__line_of_effort__campaign_plan")
        .get(pk=loa_id)
    )
    return loa.imo.line_of_effort.campaign_plan, loa.imo


def check_plan(plan: CampaignPlan, before: CampaignPlan | None) -> None:
    refuse_if(rules.plan_period_problem(plan.start_fy, plan.end_fy))
    owner = Organization.objects.system().filter(pk=plan.owner_org_id).first()
    allowed = PLAN_OWNER_KINDS.get(plan.kind, set())
    if owner is not None and owner.kind not in allowed:
        if plan.kind == PlanKind.CSP:
            text = "a campaign support plan belongs to a military department or defense agency: choose one as the owner."
        else:
            text = f"a {plan.get_kind_display()} belongs to a combatant command: choose the command as the owner."
        raise Refused(Finding("", text, field="owner_org"))
    if plan.supports_id and plan.supports_id == plan.pk:
        raise Refused(
            Finding(
                "", "a plan cannot support itself: choose the plan it supports.", field="supports"
            )
        )
    if before is not None and (plan.start_fy, plan.end_fy) != (before.start_fy, before.end_fy):
        start, end = plan.period_start, plan.period_end
        outside = [
            a.title
            for a in Activity.objects.system()
            .filter(line_of_activity__imo__line_of_effort__campaign_plan=plan)
            .exclude(start_date__gte=start, end_date__lte=end)
            .order_by("start_date")[:5]
        ]
        if outside:
            raise Refused(
                Finding(
                    "R-PLN-03",
                    f"activities of this plan fall outside {plan.period_label}: {', '.join(outside)}. "
                    "Reschedule them first, or keep the period.",
                    field="end_fy",
                )
            )
        cscs = (
            CountryPlan.objects.system()
            .filter(campaign_plan=plan)
            .exclude(start_fy__gte=plan.start_fy, end_fy__lte=plan.end_fy)
        )
        if cscs.exists():
            raise Refused(
                Finding(
                    "R-PLN-05",
                    f"country plans of this plan cover fiscal years outside {plan.period_label}: "
                    f"{', '.join(str(c) for c in cscs[:5])}. Change them first.",
                    field="end_fy",
                )
            )


def _refuse_other_plan(
    model: type[models.Model], pk: int | None, plan_id: int, rule: str, text: str, field: str
) -> None:
    """A link (`field`) to a `model` record must name one of the same campaign plan's records."""
    if pk:
        linked = model.objects.system().get(pk=pk)
        refuse_if(rules.same_parent_problem(linked.campaign_plan_id, plan_id, rule, text, field))


def check_line_of_effort(loe: LineOfEffort, before) -> None:
    _refuse_other_plan(
        EndState,
        loe.end_state_id,
        loe.campaign_plan_id,
        "",
        "the end state belongs to another campaign plan: choose one of this plan's end states.",
        "end_state",
    )


def check_imo(imo: IntermediateObjective, before) -> None:
    if imo.end_state_id:
        loe = LineOfEffort.objects.system().get(pk=imo.line_of_effort_id)
        _refuse_other_plan(
            EndState,
            imo.end_state_id,
            loe.campaign_plan_id,
            "R-PLN-02",
            "Relevant: the end state belongs to another campaign plan — choose one of this plan's end states.",
            "end_state",
        )


def check_country_plan(cp: CountryPlan, before) -> None:
    plan = CampaignPlan.objects.system().select_related("owner_org").get(pk=cp.campaign_plan_id)
    refuse_if(
        rules.fy_subrange_problem(
            cp.start_fy, cp.end_fy, plan.start_fy, plan.end_fy, "the campaign plan"
        )
    )
    country = cp.country
    if plan.owner_org.ccmd and country.ccmd and plan.owner_org.ccmd != country.ccmd:
        raise Refused(
            Finding(
                "",
                f"{country} is in {country.ccmd}'s area of responsibility, not {plan.owner_org.ccmd}'s: "
                "choose that command's campaign plan.",
                field="country",
            )
        )
    if cp.ics_id:
        ics = GuidanceDocument.objects.system().get(pk=cp.ics_id)
        if ics.kind != GuidanceKind.ICS or (ics.country_id and ics.country_id != cp.country_id):
            raise Refused(
                Finding(
                    "R-PLN-05",
                    f"“{ics}” is not the {country} Integrated Country Strategy: choose the embassy's ICS.",
                    field="ics",
                )
            )
    if before is not None and (cp.start_fy, cp.end_fy) != (before.start_fy, before.end_fy):
        outside = list(
            Activity.objects.system()
            .filter(country_plan=cp)
            .exclude(start_date__gte=cp.period_start, end_date__lte=cp.period_end)
            .values_list("title", flat=True)[:5]
        )
        if outside:
            raise Refused(
                Finding(
                    "R-PLN-03",
                    f"activities of this country plan fall outside {cp.period_label}: {', '.join(outside)}. Reschedule them first.",
                    field="end_fy",
                )
            )


def check_phase(phase: Phase, before) -> None:
    refuse_if(rules.date_order_problem(phase.start_date, phase.end_date, "R-PLN-09"))
    cp = CountryPlan.objects.system().get(pk=phase.country_plan_id)
    refuse_if(
        rules.dates_outside_period_problem(
            phase.start_date,
            phase.end_date,
            cp.start_fy,
            cp.end_fy,
            "the country plan",
            rule="R-PLN-09",
            otherwise="change the country plan's years",
        )
    )


def check_activity(a: Activity, before: Activity | None, *, dates_checked: bool = False) -> None:
    refuse_if(rules.date_order_problem(a.start_date, a.end_date, "R-PLN-08"))
    plan, imo = _plan_of_loa(a.line_of_activity_id)
    if imo is not None:
        imo_country = (
            LineOfEffort.objects.system()
            .filter(pk=imo.line_of_effort_id)
            .values_list("country_id", flat=True)
            .first()
        )
        refuse_if(rules.country_mismatch_problem(a.country_id, imo_country, imo.title))
        refuse_if(
            rules.dates_outside_period_problem(
                a.start_date, a.end_date, plan.start_fy, plan.end_fy, f"the campaign plan “{plan}”"
            )
        )
    if a.phase_id:
        phase = Phase.objects.system().get(pk=a.phase_id)
        if a.country_plan_id is None:
            a.country_plan_id = phase.country_plan_id
        elif phase.country_plan_id != a.country_plan_id:
            raise Refused(
                Finding(
                    "R-PLN-09",
                    f"{phase} belongs to another country plan: choose a phase of this activity's country plan.",
                    field="phase",
                )
            )
    if a.country_plan_id:
        cp = CountryPlan.objects.system().get(pk=a.country_plan_id)
        if cp.country_id != a.country_id:
            raise Refused(
                Finding(
                    "R-PLN-05",
                    f"“{cp}” is the country plan for {cp.country_id}, not {a.country_id}: choose the partner's country plan.",
                    field="country_plan",
                )
            )
        if plan is not None:
            refuse_if(
                rules.same_parent_problem(
                    cp.campaign_plan_id,
                    plan.pk,
                    "R-PLN-05",
                    f"“{cp}” belongs to another campaign plan than the line of activity: choose one of the same plan.",
                    "country_plan",
                )
            )
        refuse_if(
            rules.dates_outside_period_problem(
                a.start_date, a.end_date, cp.start_fy, cp.end_fy, f"the country plan “{cp}”"
            )
        )
    if (
        before is not None
        and not dates_checked
        and (a.start_date, a.end_date) != (before.start_date, before.end_date)
    ):
        _check_dates_against_dependencies(a)


def _check_dates_against_dependencies(a: Activity) -> None:
    """R-PLN-09: an edit of the dates may not break a dependency; moving dependents is what
    reschedule() is for."""
    deps = list(
        ActivityDependency.objects.system().filter(successor=a).select_related("predecessor")
    )
    for d in deps:
        earliest = rules.earliest_start(d.predecessor.end_date, d.lag_days)
        if a.start_date < earliest:
            raise Refused(
                Finding(
                    "R-PLN-09",
                    f"“{a}” cannot start {rules.fmt(a.start_date)}: it depends on “{d.predecessor}”, which ends "
                    f"{rules.fmt(d.predecessor.end_date)}{f' plus {d.lag_days} days' if d.lag_days else ''}. "
                    f"Start it on or after {rules.fmt(earliest)}, or move “{d.predecessor}” earlier first.",
                    field="start_date",
                )
            )
    pushed = [
        d.successor.title
        for d in ActivityDependency.objects.system()
        .filter(predecessor=a)
        .select_related("successor")
        if d.successor.start_date < rules.earliest_start(a.end_date, d.lag_days)
    ]
    if pushed:
        raise Refused(
            Finding(
                "R-PLN-09",
                f"ending “{a}” on {rules.fmt(a.end_date)} breaks the dependencies of {', '.join(pushed)}: "
                "reschedule it instead, which shows the dependents that must move and moves them when you confirm.",
                field="end_date",
            )
        )


def check_assumption(a: PlanningAssumption, before) -> None:
    _refuse_other_plan(
        CountryPlan,
        a.country_plan_id,
        a.campaign_plan_id,
        "R-PLN-04",
        "the country plan belongs to another campaign plan: record the assumption with its own plan.",
        "country_plan",
    )


def check_event(e: PlanningEvent, before) -> None:
    refuse_if(rules.date_order_problem(e.start_date, e.end_date, "R-PLN-07"))
    fy = rules.fiscal_year(e.start_date)
    if not e.fiscal_year:
        e.fiscal_year = fy
    elif e.fiscal_year != fy:
        raise Refused(
            Finding(
                "R-PLN-07",
                f"a meeting starting {rules.fmt(e.start_date)} falls in FY{fy}, not FY{e.fiscal_year}: correct the fiscal year or the dates.",
                field="fiscal_year",
            )
        )


def check_guidance(g: GuidanceDocument, before) -> None:
    if g.kind in (GuidanceKind.ICS, GuidanceKind.CDCS) and not g.country_id:
        raise Refused(
            Finding(
                "",
                f"an {g.get_kind_display()} is a country strategy: choose the country.",
                field="country",
            )
        )


def check_funding(line: ActivityFunding, before) -> None:
    if line.amount is not None and line.amount < 0:
        raise Refused(Finding("R-PLN-08", "an amount is zero or more US dollars.", field="amount"))


CHECKS = {
    CampaignPlan: check_plan,
    LineOfEffort: check_line_of_effort,
    IntermediateObjective: check_imo,
    CountryPlan: check_country_plan,
    Phase: check_phase,
    Activity: check_activity,
    PlanningAssumption: check_assumption,
    PlanningEvent: check_event,
    GuidanceDocument: check_guidance,
    ActivityFunding: check_funding,
}
# What only the lifecycle actions write (the API shows them read-only).
ACTIVITY_READ_ONLY = (
    "status",
    "completed_on",
    "assessment_due",
    "assessed_on",
    "assessment",
    "assessed_by",
)
READ_ONLY = {
    CampaignPlan: {"status", "approved_on", "approved_by"},
    Activity: set(ACTIVITY_READ_ONLY),
}


def check(record: MarkedModel, before: MarkedModel | None = None, **kwargs) -> None:
    fn = CHECKS.get(type(record))
    if fn is not None:
        fn(record, before, **kwargs)


# --- generic create / update / delete -------------------------------------------------------------


@dataclass(frozen=True)
class FundingLine:
    fiscal_year: int
    source: str
    amount: Decimal
    note: str = ""


# Who plans (SPEC §1; ARCHITECTURE invariant 9): CCMD planners and desk officers, the SCO, OSD
# Policy, the Joint Staff, DSCA and State write planning records; the SCO's locally employed
# assistants enter them too (clerical), but approvals, status decisions, assessments and the
# schedule are decided by U.S. staff (R-SEC-02, R-SEC-11).
PLANNING_DECIDERS = (
    Role.CCMD
    | Role.SCO
    | {
        Role.OSD_POLICY,
        Role.JOINT_STAFF,
        Role.DSCA_STAFF,
        Role.CASE_MANAGER,
        Role.STATE_PM,
        Role.COUNTRY_TEAM,
    }
)
PLANNING_WRITERS = PLANNING_DECIDERS | {Role.LE_ASSISTANT}
# A plan is approved by the command or staff that owns it (R-PLN-02): a CCP by the CCMD, a
# GCP/FCP by the Joint Staff, a campaign support plan by DSCA; never by the SCO or LE staff.
PLAN_APPROVERS = Role.CCMD | {Role.JOINT_STAFF, Role.OSD_POLICY, Role.DSCA_STAFF}


@acts(PLANNING_WRITERS, what="enter a planning record")
def create(
    acting_user: User,
    record: MarkedModel,
    *,
    reason: str = "",
    funding: Iterable[FundingLine | dict] | None = None,
    guidance: Iterable[GuidanceDocument] | None = None,
) -> MarkedModel:
    """Create any planning record the acting user may write (the owner decides), after its rules."""
    if isinstance(record, Activity) and record.needs_us_forces and record.rff_lead_days is None:
        record.rff_lead_days = default_rff_lead_days()
    with transaction.atomic():
        core.require_links_visible(acting_user, record)
        check(record)
        saved = core.create_record(acting_user, record, reason=reason)
        if funding is not None:
            _set_funding(acting_user, saved, funding, reason)
        if guidance is not None:
            _set_guidance(acting_user, saved, guidance, reason)
    return saved


def _clone(record: MarkedModel) -> MarkedModel:
    """A copy to try changes on, with its own cache of related objects."""
    clone = copy.copy(record)
    clone._state = copy.copy(record._state)
    clone._state.fields_cache = dict(record._state.fields_cache)
    return clone


def _require_role_over(acting_user: User, roles, record: MarkedModel, what: str) -> None:
    """The declared role, held in the record's owning organization or one above it."""
    owner_id = record.owner_org_id_value()
    owner = Organization.objects.system().filter(pk=owner_id).first() if owner_id else None
    require_role(acting_user, roles, owner, what)


@acts(PLANNING_WRITERS, what="change a planning record")
def update(
    acting_user: User,
    record: MarkedModel,
    changes: dict[str, Any],
    *,
    reason: str = "",
    funding: Iterable[FundingLine | dict] | None = None,
    guidance: Iterable[GuidanceDocument] | None = None,
    _transition: str = "",
    _dates_checked: bool = False,
) -> MarkedModel:
    """Change fields of a planning record (not its status: that is a transition)."""
    locked = READ_ONLY.get(type(record), set()) & set(changes)
    if locked and not _transition:
        name = sorted(locked)[0]
        raise Refused(
            Finding(
                "",
                f"{name.replace('_', ' ')} changes only through its action (approve, plan, start, complete, cancel, assess).",
                field=name,
            )
        )
    with transaction.atomic():
        current = reload_editable(acting_user, record)
        proposed = _clone(current)
        core.set_fields(proposed, changes)
        if (
            isinstance(proposed, Activity)
            and proposed.needs_us_forces
            and proposed.rff_lead_days is None
        ):
            changes = {**changes, "rff_lead_days": default_rff_lead_days()}
            proposed.rff_lead_days = changes["rff_lead_days"]
        core.require_links_visible(acting_user, proposed, current)
        kwargs = {"dates_checked": _dates_checked} if isinstance(proposed, Activity) else {}
        check(proposed, current, **kwargs)
        if (
            isinstance(proposed, Activity)
            and proposed.country_plan_id != current.country_plan_id
            and "country_plan" not in changes
        ):
            changes = {**changes, "country_plan_id": proposed.country_plan_id}
        if isinstance(proposed, PlanningEvent) and proposed.fiscal_year != current.fiscal_year:
            changes = {**changes, "fiscal_year": proposed.fiscal_year}
        saved = core.update_record(
            acting_user, record, changes, reason=reason, transition=_transition
        )
        if funding is not None:
            _set_funding(acting_user, saved, funding, reason)
        if guidance is not None:
            _set_guidance(acting_user, saved, guidance, reason)
    return saved


@acts(PLANNING_WRITERS, what="delete a planning record")
def delete(acting_user: User, record: MarkedModel, *, reason: str = "") -> None:
    if isinstance(record, Activity) and record.status in (Status.ONGOING, Status.COMPLETED):
        raise Refused(
            Finding(
                "R-PLN-06",
                f"an {record.get_status_display().lower()} activity stays on record: cancel it instead, with the reason.",
            )
        )
    if isinstance(record, CampaignPlan) and record.status == PlanStatus.APPROVED:
        raise Refused(
            Finding(
                "R-PLN-02",
                "an approved plan stays on record: reopen it as a draft first if it must go.",
            )
        )
    core.delete_record(acting_user, record, reason=reason)


# --- activity funding (R-PLN-08) and plan guidance ------------------------------------------------


def _funding_line(row: FundingLine | dict) -> FundingLine:
    if isinstance(row, FundingLine):
        return row
    try:
        amount = Decimal(str(row["amount"]))
    except (InvalidOperation, KeyError, TypeError):
        raise Refused(
            Finding(
                "R-PLN-08",
                "each funding line has an amount in US dollars, e.g. 125000.00.",
                field="funding",
            )
        ) from None
    return FundingLine(
        int(row["fiscal_year"]), str(row["source"]), amount, str(row.get("note", "") or "")
    )


def _set_funding(
    acting_user: User, activity: Activity, rows: Iterable[FundingLine | dict], reason: str
) -> None:
    """Replace the activity's funding lines with `rows`: one per (fiscal year, source)."""
    lines = [_funding_line(r) for r in rows]
    keys = [(ln.fiscal_year, ln.source) for ln in lines]
    if len(set(keys)) != len(keys):
        dup = next(k for k in keys if keys.count(k) > 1)
        raise Refused(
            Finding(
                "R-PLN-08",
                f"FY{dup[0]} {dup[1].upper()} is listed twice: one line per fiscal year and source.",
                field="funding",
            )
        )
    existing = {
        (f.fiscal_year, f.source): f
        for f in ActivityFunding.objects.system().filter(activity=activity)
    }
    for key, line in zip(keys, lines, strict=True):
        current = existing.pop(key, None)
        if current is None:
            row = ActivityFunding(
                activity=activity,
                fiscal_year=line.fiscal_year,
                source=line.source,
                amount=line.amount,
                note=line.note,
            )
            row.marking = activity.marking
            check_funding(row, None)
            core.create_record(acting_user, row, reason=reason)
        elif (current.amount, current.note) != (
            line.amount,
            line.note,
        ) or current.marking != activity.marking:
            check_funding(ActivityFunding(amount=line.amount), None)
            core.update_record(
                acting_user,
                current,
                {"amount": line.amount, "note": line.note, "marking": str(activity.marking)},
                reason=reason,
            )
    for gone in existing.values():
        # A line the user may not see was not on their form: keep it rather than delete it unseen.
        if access.can_see_record(acting_user, gone):
            core.delete_record(acting_user, gone, reason=reason)


def _set_guidance(
    acting_user: User, plan: CampaignPlan, documents: Iterable[GuidanceDocument], reason: str
) -> None:
    docs = list(documents)
    for doc in docs:
        if not access.can_see_record(acting_user, doc):
            raise Refused(
                Finding(
                    "R-SEC-01",
                    f"no guidance document #{doc.pk} that you may see: choose another.",
                    field="guidance",
                )
            )
    before = sorted(plan_guidance_ids(plan))
    after = sorted({d.pk for d in docs})
    if before == after:
        return
    write_guidance(plan, after)
    core.log_change(
        acting_user, plan, ChangeAction.UPDATE, {"guidance": before}, {"guidance": after}, reason
    )


def plan_guidance_ids(plan: CampaignPlan) -> list[int]:
    through = CampaignPlan.guidance.through
    return list(
        through.objects.filter(campaignplan_id=plan.pk).values_list(
            "guidancedocument_id", flat=True
        )
    )


def write_guidance(plan: CampaignPlan, ids: Iterable[int]) -> None:
    """The plan's guidance links, written through the link table (the M2M manager would read the
    documents around the door)."""
    through = CampaignPlan.guidance.through
    through.objects.filter(campaignplan_id=plan.pk).delete()
    through.objects.bulk_create(
        [through(campaignplan_id=plan.pk, guidancedocument_id=i) for i in ids]
    )


# --- campaign plan approval (R-PLN-02) -----------------------------------------------------------


def failing_imos(plan: CampaignPlan) -> list[tuple[IntermediateObjective, list[rules.Finding]]]:
    """Every IMO of the plan that fails SMART, with its findings (trusted: all IMOs count)."""
    from .models import Measure

    imos = list(
        IntermediateObjective.objects.system()
        .filter(line_of_effort__campaign_plan=plan)
        .order_by("line_of_effort__sequence", "deadline", "title")
    )
    measures: dict[int, list] = {}
    for m in Measure.objects.system().filter(imo__in=imos):
        measures.setdefault(m.imo_id, []).append(m)
    out = []
    for imo in imos:
        findings = rules.smart(imo.smart_facts(measures.get(imo.pk, []), plan.period_end))
        if findings:
            out.append((imo, findings))
    return out


@acts(PLAN_APPROVERS, what="approve a campaign plan", approves=Approval("campaign plan"))
def approve_plan(acting_user: User, plan: CampaignPlan, *, reason: str = "") -> CampaignPlan:
    """Draft → approved, refused while any IMO of the plan fails SMART (R-PLN-02)."""
    with transaction.atomic():
        current = reload_editable(acting_user, plan)
        _require_role_over(acting_user, PLAN_APPROVERS, current, "approve a campaign plan")
        if not rules.PLAN.allows("approve", current.status):
            raise Refused(Finding("R-PLN-02", "the plan is already approved."))
        refuse_if(rules.plan_period_problem(current.start_fy, current.end_fy))
        failing = failing_imos(current)
        refuse_if(rules.approval_problem([(imo.title, findings) for imo, findings in failing]))
        return update(
            acting_user,
            current,
            {
                "status": PlanStatus.APPROVED,
                "approved_on": today(acting_user),
                "approved_by": acting_user,
            },
            reason=reason,
            _transition="approve",
        )


@acts(PLAN_APPROVERS, what="reopen a campaign plan")
def reopen_plan(acting_user: User, plan: CampaignPlan, *, reason: str) -> CampaignPlan:
    """Approved → draft for revision; the reason is kept in the history."""
    refuse_if(blank_text(reason, "R-PLN-02", "say why the approved plan is reopened.", "reason"))
    with transaction.atomic():
        current = reload_editable(acting_user, plan)
        _require_role_over(acting_user, PLAN_APPROVERS, current, "reopen a campaign plan")
        if not rules.PLAN.allows("reopen", current.status):
            raise Refused(
                Finding("R-PLN-02", "only an approved plan is reopened; this one is a draft.")
            )
        return update(
            acting_user,
            current,
            {"status": PlanStatus.DRAFT, "approved_on": None, "approved_by": None},
            reason=reason,
            _transition="reopen",
        )


# --- activity status (R-PLN-01, -06, -08) --------------------------------------------------------


def _transition(
    acting_user: User, activity: Activity, name: str, extra: dict | None = None, *, reason: str = ""
) -> Activity:
    with transaction.atomic():
        current = reload_editable(acting_user, activity)
        _require_role_over(acting_user, PLANNING_DECIDERS, current, f"{name} an activity")
        refuse_if(rules.transition_problem(current.status, name))
        target = rules.TRANSITIONS.target(name)
        return update(
            acting_user,
            current,
            {"status": target, **(extra or {})},
            reason=reason,
            _transition=name,
        )


@acts(PLANNING_DECIDERS, what="plan an activity")
def plan_activity(acting_user: User, activity: Activity, *, reason: str = "") -> Activity:
    """Proposed → planned. An unlinked activity stays a draft until it serves a line of activity (R-PLN-01)."""
    if rules.is_unlinked(activity.line_of_activity_id):
        raise Refused(
            Finding(
                "R-PLN-01",
                "an activity not linked to a line of activity (and so to an IMO) stays a proposed draft: link it first.",
                field="line_of_activity",
            )
        )
    return _transition(acting_user, activity, "plan", reason=reason)


@acts(PLANNING_DECIDERS, what="start an activity")
def start_activity(acting_user: User, activity: Activity, *, reason: str = "") -> Activity:
    return _transition(acting_user, activity, "start", reason=reason)


@acts(PLANNING_DECIDERS, what="complete an activity")
def complete_activity(
    acting_user: User, activity: Activity, *, completed_on: dt.date | None = None, reason: str = ""
) -> Activity:
    """Ongoing → completed; the assessment falls due at once (R-PLN-06)."""
    day = completed_on or today(acting_user)
    if day > today(acting_user):
        raise Refused(
            Finding(
                "R-PLN-06",
                f"the completion date {rules.fmt(day)} is in the future: complete it on the day it ends.",
                field="completed_on",
            )
        )
    if day < activity.start_date:
        raise Refused(
            Finding(
                "R-PLN-06",
                f"the completion date {rules.fmt(day)} is before the activity started ({rules.fmt(activity.start_date)}).",
                field="completed_on",
            )
        )
    return _transition(
        acting_user,
        activity,
        "complete",
        {"completed_on": day, "assessment_due": day},
        reason=reason,
    )


@acts(PLANNING_DECIDERS, what="cancel an activity")
def cancel_activity(acting_user: User, activity: Activity, *, reason: str) -> Activity:
    refuse_if(blank_text(reason, "R-PLN-08", "say why the activity is cancelled.", "reason"))
    return _transition(acting_user, activity, "cancel", reason=reason)


@acts(PLANNING_DECIDERS, what="assess an activity (R-PLN-06)")
def record_assessment(
    acting_user: User,
    activity: Activity,
    text: str,
    *,
    assessed_on: dt.date | None = None,
    reason: str = "",
) -> Activity:
    """R-PLN-06: the sponsoring organization enters its assessment after completion."""
    refuse_if(
        blank_text(
            text,
            "R-PLN-06",
            "write the assessment: what was achieved against the IMO, and what to change.",
            "assessment",
        )
    )
    day = assessed_on or today(acting_user)
    with transaction.atomic():
        current = reload_editable(acting_user, activity)
        _require_role_over(acting_user, PLANNING_DECIDERS, current, "assess an activity")
        refuse_if(
            rules.assessment_problem(current.status, current.completed_on, day, today(acting_user))
        )
        return update(
            acting_user,
            current,
            {"assessment": text.strip(), "assessed_on": day, "assessed_by": acting_user},
            reason=reason,
            _transition="assess",
        )


# --- dependencies (R-PLN-09) -----------------------------------------------------------------------


def _label(user: User | None, activity: Activity) -> str:
    if user is None or access.can_see_record(user, activity):
        return f"“{activity.title}”"
    return "an activity you may not see"


@acts(PLANNING_DECIDERS, what="add a dependency between activities")
def add_dependency(
    acting_user: User,
    predecessor: Activity,
    successor: Activity,
    *,
    lag_days: int = 0,
    note: str = "",
    marking: Marking | str | None = None,
    reason: str = "",
) -> ActivityDependency:
    """Record that `successor` needs `predecessor` finished first (plus `lag_days`). Refuses a
    cycle. A dependency the current dates already break is recorded and flagged."""
    if lag_days is None or lag_days < 0:
        raise Refused(Finding("R-PLN-09", "the lag is zero or more days.", field="lag_days"))
    if predecessor.pk == successor.pk:
        raise Refused(
            Finding(
                "R-PLN-09",
                "an activity cannot depend on itself: choose another predecessor.",
                field="predecessor",
            )
        )
    with transaction.atomic():
        for act in (predecessor, successor):
            if not Activity.objects.visible_to(acting_user).filter(pk=act.pk).exists():
                raise Refused(
                    Finding(
                        "R-SEC-01",
                        f"no activity #{act.pk} that you may see: choose another.",
                        field="predecessor" if act is predecessor else "successor",
                    )
                )
        if (
            ActivityDependency.objects.system()
            .filter(predecessor=predecessor, successor=successor)
            .exists()
        ):
            raise Refused(
                Finding(
                    "R-PLN-09",
                    f"“{successor}” already depends on “{predecessor}”.",
                    field="predecessor",
                )
            )
        links = _links_downstream_of(successor.pk)
        chain = rules.find_cycle(links, rules.Link(predecessor.pk, successor.pk, lag_days))
        if chain:
            names = {
                a.pk: _label(acting_user, a).strip("“”")
                for a in Activity.objects.system().filter(pk__in=set(chain))
            }
            raise Refused(rules.cycle_problem(chain, names))
        dep = ActivityDependency(
            predecessor=predecessor, successor=successor, lag_days=lag_days, note=note
        )
        dep.marking = (
            marking
            if marking is not None
            else combine_strict([predecessor.marking, successor.marking])
        )
        return core.create_record(acting_user, dep, reason=reason)


@acts(PLANNING_DECIDERS, what="remove a dependency between activities")
def remove_dependency(
    acting_user: User, dependency: ActivityDependency, *, reason: str = ""
) -> None:
    core.delete_record(acting_user, dependency, reason=reason)


def violations(
    activities: Sequence[Activity], dependencies: Sequence[ActivityDependency]
) -> list[rules.Violation]:
    """R-PLN-09 flags for records already read through the door."""
    return rules.dependency_violations(
        {a.pk: a.span() for a in activities}, [d.link() for d in dependencies]
    )


# --- rescheduling (R-PLN-03, -09, -10) ---------------------------------------------------------


@dataclass
class RescheduleResult:
    """What a reschedule moves: the activity first, then the dependents it pushes. `blocked`: the
    ids of pushed activities the user may not change; `approver`: the office that may change them
    all (who must approve); `alone`: the latest start the user may give without them (or None).
    `record`: the Reschedule written when the moves were applied (to undo them)."""

    moves: list[rules.Move] = field(default_factory=list)
    applied: bool = False
    activities: dict[int, Activity] = field(default_factory=dict)
    blocked: list[int] = field(default_factory=list)
    approver: Organization | None = None
    alone: dt.date | None = None
    record: Reschedule | None = None

    @property
    def dependents(self) -> list[rules.Move]:
        return self.moves[1:]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.dependents) and not self.applied

    @property
    def needs_approval(self) -> bool:
        return bool(self.blocked)


def _links_downstream_of(activity_id: int) -> list[rules.Link]:
    """Every dependency reachable from the activity going forward (one query per level)."""
    links: list[rules.Link] = []
    frontier, seen = {activity_id}, {activity_id}
    while frontier:
        level = list(
            ActivityDependency.objects.system()
            .filter(predecessor_id__in=frontier)
            .values_list("predecessor_id", "successor_id", "lag_days")
        )
        frontier = set()
        for p, s, lag in level:
            links.append(rules.Link(p, s, lag))
            if s not in seen:
                seen.add(s)
                frontier.add(s)
    return links


def _downstream(activity: Activity) -> tuple[dict[int, Activity], list[ActivityDependency]]:
    """The activity, its direct predecessors and every activity downstream of it, with the
    dependencies among them (one query per level of the chain)."""
    deps: dict[int, ActivityDependency] = {}
    frontier = {activity.pk}
    seen = {activity.pk}
    for d in ActivityDependency.objects.system().filter(successor=activity):
        deps[d.pk] = d
    while frontier:
        level = list(ActivityDependency.objects.system().filter(predecessor_id__in=frontier))
        frontier = set()
        for d in level:
            deps[d.pk] = d
            if d.successor_id not in seen:
                seen.add(d.successor_id)
                frontier.add(d.successor_id)
    ids = seen | {d.predecessor_id for d in deps.values()}
    acts = {a.pk: a for a in Activity.objects.system().filter(pk__in=ids)}
    return acts, list(deps.values())


def _approver_of(activities: Iterable[Activity]) -> Organization | None:
    """The lowest organization at or above the sponsor of every one of `activities`: the office
    that may change them all (R-PLN-09)."""
    owner_ids = {a.owner_org_id for a in activities}
    paths = (
        Organization.objects.system().filter(pk__in=owner_ids).values_list("tree_path", flat=True)
    )
    path = rules.common_approver(paths)
    return Organization.objects.system().filter(tree_path=path).first() if path else None


def _sponsor_names(ids: Iterable[int]) -> dict[int, str]:
    return {o.pk: str(o) for o in Organization.objects.system().filter(pk__in=set(ids))}


def _blocked_finding(acting_user: User, result: RescheduleResult, activity: Activity) -> Finding:
    sponsors = _sponsor_names(result.activities[i].owner_org_id for i in result.blocked)
    blocked = [
        (_label(acting_user, result.activities[i]), sponsors[result.activities[i].owner_org_id])
        for i in result.blocked
    ]
    return rules.needs_approval_finding(
        blocked, str(result.approver) if result.approver else "", result.alone
    )


def _moves_json(moves: Iterable[rules.Move]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "old_start": m.old_start.isoformat(),
            "old_end": m.old_end.isoformat(),
            "new_start": m.new_start.isoformat(),
            "new_end": m.new_end.isoformat(),
        }
        for m in moves
    ]


def _marking_of(activities: Iterable[Activity]) -> Marking:
    return combine_strict(a.marking for a in activities)


def _new_reschedule(
    acting_user: User,
    current: Activity,
    result: RescheduleResult,
    status: str,
    reason: str,
    **extra: Any,
) -> Reschedule:
    """The record of a move of `current` (R-PLN-09), applied or requested: every move it makes, the
    first one's new dates, and the strictest marking of the activities it moves."""
    first = result.moves[0]
    record = Reschedule(
        country_plan_id=current.country_plan_id,
        activity=current,
        country_id=current.country_id,
        owner_org_id=current.owner_org_id,
        new_start=first.new_start,
        new_end=first.new_end,
        moves=_moves_json(result.moves),
        status=status,
        requested_by=acting_user,
        note=reason[:500],
        **extra,
    )
    record.marking = _marking_of(result.activities[m.id] for m in result.moves)
    return record


def _plan(
    acting_user: User,
    activity: Activity,
    new_start: dt.date,
    new_end: dt.date | None,
) -> tuple[Activity, RescheduleResult]:
    """The moves a reschedule makes, checked against the rules, and who may make them; nothing
    written."""
    current = reload_editable(acting_user, activity)
    if current.status not in rules.RESCHEDULABLE:
        raise Refused(
            Finding(
                "R-PLN-08",
                f"a {current.get_status_display().lower()} activity keeps its dates: only proposed or planned activities are rescheduled.",
                field="start_date",
            )
        )
    acts, deps = _downstream(current)
    acts[current.pk] = current
    spans = {pk: a.span() for pk, a in acts.items()}
    links = [d.link() for d in deps]
    try:
        moves = rules.cascade(spans, links, current.pk, new_start, new_end)
    except Refused as exc:
        found = exc.findings[0]
        raise Refused(
            Finding(found.rule, _hide_titles(acting_user, found.message, acts), field="start_date")
        ) from None
    first = moves[0]
    refuse_if(
        rules.rff_problem(
            first.new_start,
            current.needs_us_forces,
            current.rff_lead_days,
            current.rff_submitted_on,
            today(acting_user),
        )
    )
    result = RescheduleResult(moves=moves, activities=acts)
    for move in moves:
        moved = _clone(acts[move.id])
        moved.start_date, moved.end_date = move.new_start, move.new_end
        try:
            check_activity(moved, acts[move.id], dates_checked=True)
        except Refused as exc:
            if move.id == current.pk:
                raise
            detail = " ".join(m.removeprefix(f"{exc.rule}: ") for m in exc.messages)
            raise Refused(
                Finding(
                    exc.rule,
                    f"moving {_label(acting_user, current)} pushes {_label(acting_user, acts[move.id])} to "
                    f"{rules.fmt(move.new_start)}, and then {detail}",
                    field="start_date",
                )
            ) from None
    ids = [m.id for m in moves]
    editable = set(
        Activity.objects.editable_by(acting_user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    result.blocked = [i for i in ids if i not in editable]
    if result.blocked:
        result.approver = _approver_of(acts[i] for i in ids)
        result.alone = rules.latest_start_alone(
            spans, links, current.pk, first.new_start, result.blocked
        )
    return current, result


def _apply(
    acting_user: User,
    current: Activity,
    result: RescheduleResult,
    reason: str,
    record: Reschedule | None = None,
) -> RescheduleResult:
    """Write the moves, each change-logged, and the Reschedule that records them."""
    for move in result.moves:
        note = reason or (
            f"pushed by the reschedule of “{current}”" if move.id != current.pk else ""
        )
        update(
            acting_user,
            result.activities[move.id],
            {"start_date": move.new_start, "end_date": move.new_end},
            reason=note,
            _dates_checked=True,
        )
    moved = [result.activities[m.id] for m in result.moves]
    first = result.moves[0]
    if record is None:
        record = _new_reschedule(acting_user, current, result, "applied", reason)
        core.create_record(acting_user, record, reason=reason or "reschedule")
    else:
        core.update_record(
            acting_user,
            record,
            {
                "status": rules.RESCHEDULE.target("approve"),
                "moves": _moves_json(result.moves),
                "new_start": first.new_start,
                "new_end": first.new_end,
                "decided_by": acting_user,
                "decided_at": timezone.now(),
                "decision_note": reason[:500],
                "marking": combine_strict([record.marking, _marking_of(moved)]),
            },
            reason=reason,
            transition="approve",
        )
    result.record = record
    result.applied = True
    return result


@acts(PLANNING_DECIDERS, what="reschedule an activity")
def reschedule(
    acting_user: User,
    activity: Activity,
    new_start: dt.date,
    new_end: dt.date | None = None,
    *,
    confirm: bool = False,
    preview: bool = False,
    reason: str = "",
) -> RescheduleResult:
    """Move an activity (keeping its duration unless `new_end` is given).

    Refuses (Refused naming the rule and the fix) when the new dates break a dependency on
    a predecessor (R-PLN-09), fall outside the plan (R-PLN-03), sit inside the request-for-forces
    lead time (R-PLN-10), or would push a dependent that cannot move. Otherwise returns the moves;
    when dependents must move too, nothing changes until `confirm=True`, which moves them all in
    one transaction, each with its change-log entry, and records the move (a Reschedule) so that
    it can be undone. `preview=True` never writes. A dependent the user may not change is not
    moved: the result names it (`blocked`), the office that must approve (`approver`) and the
    latest start the user may give alone (`alone`); confirming then is refused with the same."""
    with transaction.atomic():
        current, result = _plan(acting_user, activity, new_start, new_end)
        if preview or (len(result.moves) > 1 and not confirm):
            return result
        if result.blocked:
            raise Refused(_blocked_finding(acting_user, result, current))
        return _apply(acting_user, current, result, reason)


@not_an_action("says which steps of a recorded move a user may take; the steps check again")
def reschedule_steps_may(
    user: User, record: Reschedule, approver: Organization | None, may_change_all: bool
) -> dict[str, bool]:
    """The `may` of RESCHEDULE.actions_now: undo by one who may change every activity it moved;
    approve or decline by the office asked (R-PLN-09)."""
    answer = (
        record.is_waiting
        and approver is not None
        and access.holds_role(user, PLANNING_DECIDERS, approver)
    )
    return {"undo": record.may_be_undone and may_change_all, "approve": answer, "decline": answer}


def _move_record(acting_user: User, record: Reschedule) -> Reschedule:
    return visible(acting_user, record, "No such reschedule that you may see.")


def _refuse_transition(record: Reschedule, name: str) -> None:
    problem = rules.RESCHEDULE.problem(name, record.status)
    if problem:
        raise Refused(Finding("R-PLN-09", problem[0].lower() + problem[1:]))


@acts(PLANNING_DECIDERS, what="ask another office to approve a reschedule")
def request_reschedule(
    acting_user: User,
    activity: Activity,
    new_start: dt.date,
    new_end: dt.date | None = None,
    *,
    reason: str = "",
) -> Reschedule:
    """R-PLN-09: the move pushes activities the user may not change, so the office that may change
    them all is asked to approve it: a change-logged request that office sees in its
    notifications (and on its home page), answered by approve_reschedule or decline_reschedule."""
    with transaction.atomic():
        current, result = _plan(acting_user, activity, new_start, new_end)
        if not result.blocked:
            raise Refused(
                Finding(
                    "R-PLN-09",
                    "you may change every activity this move pushes: move it yourself, no approval is needed.",
                    field="start_date",
                )
            )
        if result.approver is None:
            raise Refused(_blocked_finding(acting_user, result, current))
        waiting = (
            Reschedule.objects.visible_to(acting_user)
            .filter(activity=current, status__in=rules.RESCHEDULE.states_allowing("approve"))
            .first()
        )
        if waiting is not None:
            raise Refused(
                Finding(
                    "R-PLN-09",
                    f"a request to move “{current}” to {rules.fmt(waiting.new_start)} is already waiting for "
                    f"{waiting.approver_org}: wait for their answer before asking again.",
                    field="start_date",
                )
            )
        first = result.moves[0]
        record = _new_reschedule(
            acting_user, current, result, "requested", reason, approver_org=result.approver
        )
        core.create_record(acting_user, record, reason=reason or "reschedule request")
        pushed = len(result.moves) - 1
        core.notify(
            acting_user,
            record,
            [result.approver],
            f"Approve a reschedule: {current.title} to {rules.fmt(first.new_start)}",
            body=(
                f"{current.owner_org} asks to move “{current}” to {rules.fmt(first.new_start)} – "
                f"{rules.fmt(first.new_end)}. It pushes {counted(pushed, 'dependent activity', 'dependent activities')} "
                "that only you may change. Approve and move them all, or decline with a reason."
                + (f" Their reason: {reason}" if reason else "")
            ),
            rule="R-PLN-09",
            url=record.get_absolute_url(),
        )
    return record


@acts(PLANNING_DECIDERS, what="approve a reschedule", approves=Approval("reschedule request"))
def approve_reschedule(acting_user: User, record: Reschedule, *, reason: str = "") -> Reschedule:
    """R-PLN-09: the office asked approves the request: the moves are computed again from today's
    dates and applied (each change-logged), and the requester's office is told."""
    with transaction.atomic():
        record = _move_record(acting_user, record)
        _refuse_transition(record, "approve")
        require_role(acting_user, PLANNING_DECIDERS, record.approver_org, "approve this reschedule")
        activity = Activity.objects.system().get(pk=record.activity_id)
        current, result = _plan(acting_user, activity, record.new_start, record.new_end)
        if result.blocked:
            raise Refused(_blocked_finding(acting_user, result, current))
        _apply(
            acting_user,
            current,
            result,
            reason or f"approved the request of {record.owner_org}",
            record=record,
        )
        core.notify(
            acting_user,
            record,
            [record.owner_org],
            f"Reschedule approved: {current.title}",
            body=f"{record.approver_org} approved moving “{current}” to {rules.fmt(record.new_start)}; "
            "the activities it pushes moved with it.",
            rule="R-PLN-09",
            url=record.get_absolute_url(),
        )
    return record


@acts(PLANNING_DECIDERS, what="decline a reschedule")
def decline_reschedule(acting_user: User, record: Reschedule, *, reason: str) -> Reschedule:
    """R-PLN-09: the office asked declines, with the reason the requester reads."""
    with transaction.atomic():
        record = _move_record(acting_user, record)
        _refuse_transition(record, "decline")
        require_role(acting_user, PLANNING_DECIDERS, record.approver_org, "decline this reschedule")
        if not (reason or "").strip():
            raise Refused(
                Finding(
                    "",
                    "say why you decline, so that the requester can plan around it.",
                    field="reason",
                )
            )
        core.update_record(
            acting_user,
            record,
            {
                "status": rules.RESCHEDULE.target("decline"),
                "decided_by": acting_user,
                "decided_at": timezone.now(),
                "decision_note": reason.strip()[:500],
            },
            reason=reason,
            transition="decline",
        )
        core.notify(
            acting_user,
            record,
            [record.owner_org],
            f"Reschedule declined: {Activity.objects.system().get(pk=record.activity_id).title}",
            body=f"{record.approver_org} declined moving it to {rules.fmt(record.new_start)}: {reason.strip()}",
            rule="R-PLN-09",
            url=record.get_absolute_url(),
        )
    return record


@acts(PLANNING_DECIDERS, what="undo a reschedule")
def undo_reschedule(acting_user: User, record: Reschedule, *, reason: str = "") -> Reschedule:
    """Issue 12 item 3: put every activity a move moved back on its dates before the move, each
    change-logged. Refused (R-PLN-09) when any of them changed since, is under way or closed, or
    when the old dates would now break a dependency; refused when the user may not change them."""
    with transaction.atomic():
        record = _move_record(acting_user, record)
        _refuse_transition(record, "undo")
        recorded = record.recorded_moves()
        ids = [m.id for m in recorded]
        acts = {a.pk: a for a in Activity.objects.system().filter(pk__in=ids)}
        labels = {pk: _label(acting_user, a) for pk, a in acts.items()}
        refuse_if(rules.undo_problems(recorded, {pk: a.span() for pk, a in acts.items()}, labels))
        editable = set(
            Activity.objects.editable_by(acting_user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        others = [i for i in ids if i not in editable]
        if others:
            names = ", ".join(labels[i] for i in others)
            raise NotPermitted(
                f"You cannot undo this move: it moved {names}, which you may not change. "
                f"Ask {record.approver_org or record.owner_org} to undo it."
            )
        note = reason or f"undo of the move to {rules.fmt(record.new_start)}"
        for move in sorted(recorded, key=lambda m: m.old_start):
            update(
                acting_user,
                acts[move.id],
                {"start_date": move.old_start, "end_date": move.old_end},
                reason=note,
                _dates_checked=True,
            )
        deps = list(
            ActivityDependency.objects.system().filter(
                models.Q(predecessor_id__in=ids) | models.Q(successor_id__in=ids)
            )
        )
        around = {
            a.pk: a
            for a in Activity.objects.system().filter(
                pk__in={d.predecessor_id for d in deps} | {d.successor_id for d in deps}
            )
        }
        spans = {pk: a.span() for pk, a in around.items()}
        broken = rules.dependency_violations(spans, [d.link() for d in deps])
        if broken:
            text = rules.violation_message(broken[0], spans)
            raise Refused(
                Finding(
                    "R-PLN-09",
                    "the dates before this move would now break a dependency: "
                    + _hide_titles(acting_user, text, around)
                    + " Nothing was undone.",
                    fix="Reschedule the activities instead.",
                )
            )
        core.update_record(
            acting_user,
            record,
            {
                "status": rules.RESCHEDULE.target("undo"),
                "undone_by": acting_user,
                "undone_at": timezone.now(),
            },
            reason=note,
            transition="undo",
        )
    return record


def _hide_titles(user: User, text: str, acts: dict[int, Activity]) -> str:
    for a in acts.values():
        if not access.can_see_record(user, a):
            text = text.replace(f"“{a.title}”", "an activity you may not see")
    return text
