"""Every budget and forecast state change (ARCHITECTURE invariant 2): the roles, the rule checks
(errors name the rule and the fix), the write and its change-log entry in one transaction.

A budget request is owned by its SCO, but it is changed by whoever holds it: the CCMD may modify
it, then the Joint Staff, DSCA and OSD Policy make their adjustments (SAMM Table C2.T2). So the
writes here check the holder's role for the request's stage (R-BUD-05) instead of the owner's
edit scope, and each hand-off keeps the requirements as a version (RequestVersion)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from secoop.core import access
from secoop.core import actions as core
from secoop.core import clock
from secoop.core.errors import NotPermitted
from secoop.core.markings import combine_strict
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.models.organizations import OrganizationKind
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.permissions import require_role
from secoop.core.rules import Role
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import refuse_if

from . import rules
from .models import BudgetCall
from .models import BudgetRequest
from .models import CallStep
from .models import ForecastSale
from .models import ForecastSubmission
from .models import MissionObjective
from .models import NotionalStep
from .models import RequestVersion
from .models import Requirement
from .models import RequirementYear
from .rules import Stage

# Who acts (SPEC §1, SAMM C2.3.3.1; ARCHITECTURE invariant 9). The administrator is not among them
# (R-SEC-11); LE staff draft nothing here: budget requests and forecasts are U.S. positions.
CALL_ROLES = frozenset({Role.DSCA_STAFF})  # DSCA prepares and releases the call
HOLDERS = frozenset().union(*Stage.ROLES.values())  # whoever may hold a request at some stage
ALLOCATORS = frozenset({Role.STATE_PM, Role.DSCA_STAFF})  # DoS allocates, DSCA administers
MSRP_ROLES = frozenset({Role.COUNTRY_TEAM, Role.STATE_PM}) | Role.SCO  # the COM's plan; SCO input
FORECASTERS = Role.SCO  # the SCO's one submission a year (R-FCT-01)


# --- the writes ------------------------------------------------------------------------------------


def _create(user: User | None, instance, *, reason: str = ""):
    """Save a new record with its change-log entry: as the acting user, the record one they may
    then read (core.create_checked: R-SEC-01, R-SEC-10); with no user (a call opened by the
    system), its marking checked and the entry the system's."""
    if user is not None:
        return core.create_checked(user, instance, reason=reason)
    core.check_marking(instance.marking)
    instance.full_clean()
    with transaction.atomic():
        instance.save()
        core.log_change(user, instance, ChangeAction.CREATE, None, core.snapshot(instance), reason)
    return instance


def _change(user: User, instance, changes: dict, *, reason: str = "", transition: str = ""):
    """Apply `changes` under the record's row lock (core.actions.apply_change), the caller's
    object kept in step. The caller has checked who may change it."""
    with transaction.atomic():
        current = type(instance).objects.system().select_for_update().get(pk=instance.pk)
        core.apply_change(user, current, changes, transition=transition, reason=reason)
    core.copy_fields(instance, current)
    return current


def _delete(user: User, instance, *, reason: str = "") -> None:
    with transaction.atomic():
        core.log_change(user, instance, ChangeAction.DELETE, core.snapshot(instance), None, reason)
        instance.delete()


def _visible(user: User, record) -> None:
    if not access.can_see_record(user, record):
        raise NotPermitted("You cannot change a record you may not see.")


@not_an_action("the stage holder's check the request actions run (R-BUD-05)")
def require_holder(user: User, request: BudgetRequest, what: str) -> None:
    """Only the holder of the request's current stage changes it: the SCO (for its country), the
    CCMD above that SCO, then the Joint Staff, DSCA, OSD Policy and State PM (R-BUD-05)."""
    _visible(user, request)
    if request.stage == Stage.ALLOCATED:
        raise Refused(
            Finding("R-BUD-05", "the allocation is recorded: this request is closed for changes.")
        )
    roles = Stage.ROLES[request.stage]
    scoped = request.stage in (Stage.SCO, Stage.CCMD)
    owner = Organization.objects.system().get(pk=request.owner_org_id) if scoped else None
    require_role(user, roles, owner, what)


# --- the budget call (R-BUD-05) ---------------------------------------------------------------------


@not_an_action("reads the notional steps in force; called by open_call")
def notional_steps(on: dt.date) -> list[NotionalStep]:
    """The rows of SAMM Table C2.T2 in force on `on`: those of the latest table on or before it."""
    dates = sorted(
        {d for d in NotionalStep.objects.values_list("effective_from", flat=True) if d <= on}
    )
    if not dates:
        raise Refused(
            Finding(
                "R-BUD-05",
                f"no notional timeline (SAMM Table C2.T2) is in force on {on:%d %b %Y}: an "
                "administrator adds its steps under Budget notional steps, with the source.",
            )
        )
    return list(NotionalStep.objects.filter(effective_from=dates[-1]).order_by("order"))


@not_an_action("builds a call's steps from the notional timeline; open_call and the generator")
def notional_call_steps(call: BudgetCall) -> list[CallStep]:
    """The call's steps, unsaved and marked like it: each row of the notional timeline in force
    on the day it is issued, due on its notional date for the budget fiscal year (R-BUD-05)."""
    steps = []
    for row in notional_steps(call.issued_on):
        step = CallStep(
            call=call,
            order=row.order,
            stage=row.stage,
            action=row.action,
            due_on=rules.notional_due(call.budget_fy, row.timing_rule),
            source=f"{row.source} ({row.timing}, notional)"[:200],
        )
        step.marking = call.marking
        steps.append(step)
    return steps


@acts(CALL_ROLES, what="open a budget call")
def open_call(user: User | None, call: BudgetCall, *, reason: str = "") -> BudgetCall:
    """DSCA opens the call for a budget fiscal year; its steps and due dates start from the
    notional timeline in force, and DSCA sets the real dates as the call announces them."""
    if user is not None:
        # Issued by the organization the DSCA staff member writes for, not any one named.
        owner = Organization.objects.system().filter(pk=call.owner_org_id).first()
        require_role(user, CALL_ROLES, owner, "open a budget call")
    if BudgetCall.objects.system().filter(budget_fy=call.budget_fy).exists():
        raise Refused(
            Finding(
                "R-BUD-05",
                f"the FY{call.budget_fy} budget call is open already: change its steps' dates there.",
                field="budget_fy",
            )
        )
    with transaction.atomic():
        _create(user, call, reason=reason)
        for step in notional_call_steps(call):
            _create(user, step, reason="notional step of SAMM Table C2.T2")
    return call


@acts(CALL_ROLES, what="set a budget call step's due date")
def set_step_due(
    user: User, step: CallStep, due_on: dt.date, *, source: str = "", reason: str = ""
) -> CallStep:
    """The real date of a step, as the year's call announces it (R-BUD-05: the table is notional)."""
    _visible(user, step)
    if due_on is None:
        raise Refused(Finding("R-BUD-05", "give the step's due date.", field="due_on"))
    changes = {"due_on": due_on}
    if source.strip():
        changes["source"] = source.strip()
    return _change(user, step, changes, reason=reason)


@not_an_action("reads a call's step for a stage, as the reader may see it")
def due_step(call_id: int, stage: str, reader: User) -> CallStep | None:
    """The call's first step for `stage` that `reader` may see (its due date is shown with the
    request, so the page's banner and the home-page item cover the step too)."""
    steps = CallStep.objects.visible_to(reader).filter(call_id=call_id, stage=stage)
    return steps.order_by("order").first()


# --- the Chief of Mission's objectives --------------------------------------------------------------


def _may_keep_msrp(user: User, objective: MissionObjective) -> bool:
    if access.holds_role(user, {Role.STATE_PM}) or access.holds_role(
        user, {Role.COUNTRY_TEAM}, objective.owner_org
    ):
        return True
    scos = Organization.objects.system().filter(
        kind=OrganizationKind.SCO, country_id=objective.country_id
    )
    return any(access.holds_role(user, Role.SCO, org) for org in scos)


@acts(MSRP_ROLES, what="record an MSRP/ICS objective")
def create_objective(
    user: User | None, objective: MissionObjective, *, reason: str = ""
) -> MissionObjective:
    if user is not None and not _may_keep_msrp(user, objective):
        raise NotPermitted(
            "You cannot record this MSRP/ICS objective: that takes State PM, the embassy's country "
            "team, or the SCO of the country (which gives the MSRP its input)."
        )
    if objective.last_fy < objective.first_fy:
        raise Refused(
            Finding("R-BUD-04", "the last fiscal year is before the first.", field="last_fy")
        )
    embassy = Organization.objects.system().filter(pk=objective.owner_org_id).first()
    if embassy is None or embassy.country_id != objective.country_id:
        raise Refused(
            Finding(
                "R-BUD-04",
                "the MSRP/ICS is the Chief of Mission's plan for one country: choose the U.S. "
                "embassy in the objective's country as its owner.",
                field="owner_org",
            )
        )
    return _create(user, objective, reason=reason)


# --- the request (R-BUD-01..05) ---------------------------------------------------------------------


@acts(Stage.ROLES[Stage.SCO], what="start a budget request")
def create_request(user: User | None, request: BudgetRequest, *, reason: str = "") -> BudgetRequest:
    if user is not None:
        require_role(user, Stage.ROLES[Stage.SCO], request.owner_org, "start a budget request")
    refuse_if(
        rules.uncommitted_problem(
            request.uncommitted_fmf, request.uncommitted_plan, request.uncommitted_commit_by
        )
    )
    if BudgetRequest.objects.system().filter(call=request.call, country=request.country).exists():
        raise Refused(
            Finding(
                "R-BUD-05",
                "this country already has a request for this budget call: open it and add the "
                "requirement there.",
            )
        )
    request.stage = Stage.SCO
    request.budget_fy = BudgetCall.objects.system().get(pk=request.call_id).budget_fy
    return _create(user, request, reason=reason)


@acts(HOLDERS, what="change a budget request")
def update_request(
    user: User, request: BudgetRequest, changes: dict, *, reason: str = ""
) -> BudgetRequest:
    require_holder(user, request, "change this budget request")
    allowed = {"uncommitted_fmf", "uncommitted_plan", "uncommitted_commit_by", "notes"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise Refused(
            Finding("", f"{', '.join(unknown)} cannot be changed here.", field=unknown[0])
        )
    merged = {
        k: changes.get(k, getattr(request, k))
        for k in ("uncommitted_fmf", "uncommitted_plan", "uncommitted_commit_by")
    }
    refuse_if(rules.uncommitted_problem(*merged.values()))
    return _change(user, request, changes, reason=reason)


def _years_of(years: dict) -> dict[int, Decimal]:
    try:
        return {int(fy): Decimal(str(amount)) for fy, amount in (years or {}).items()}
    except (ValueError, ArithmeticError):
        raise Refused(
            Finding(
                "R-BUD-01",
                "write each out-year need as a fiscal year and an amount in USD.",
                field="years",
            )
        ) from None


def _check_requirement(req: Requirement, years: dict[int, Decimal], budget_fy: int) -> None:
    values = {f.name: getattr(req, f.attname) for f in req._meta.concrete_fields}
    refuse_if(rules.requirement_problems(values, years, budget_fy))


def _set_years(user: User, req: Requirement, years: dict[int, Decimal], reason: str) -> None:
    current = {y.fiscal_year: y for y in RequirementYear.objects.system().filter(requirement=req)}
    for fy, amount in sorted(years.items()):
        row = current.pop(fy, None)
        if row is not None and user is not None and not access.can_see_record(user, row):
            # No one rewrites or removes a year they may not read (a year marked above its
            # requirement); the page and the API never showed it to them.
            raise Refused(
                Finding(
                    "R-SEC-01",
                    f"the FY{fy} need of this requirement is not yours to change: leave that "
                    "year out or ask someone who may read it.",
                    field="years",
                )
            )
        if row is None:
            if amount:
                new = RequirementYear(requirement=req, fiscal_year=fy, amount=amount)
                new.marking = req.marking
                _create(user, new, reason=reason)
        elif not amount:
            _delete(user, row, reason=reason)
        elif row.amount != amount:
            _change(user, row, {"amount": amount}, reason=reason)


@acts(HOLDERS, what="add a requirement to a budget request")
def add_requirement(
    user: User | None, requirement: Requirement, years: dict, *, reason: str = ""
) -> Requirement:
    """R-BUD-01 every element; R-BUD-02 unconstrained: no check against past allocations."""
    request = BudgetRequest.objects.system().get(pk=requirement.request_id)
    if user is not None:
        require_holder(user, request, "add a requirement")
    parsed = _years_of(years)
    budget_fy = BudgetCall.objects.system().get(pk=request.call_id).budget_fy
    _check_requirement(requirement, parsed, budget_fy)
    with transaction.atomic():
        _create(user, requirement, reason=reason)
        _set_years(user, requirement, parsed, reason)
    return requirement


@acts(HOLDERS, what="change a requirement")
def change_requirement(
    user: User,
    requirement: Requirement,
    changes: dict,
    years: dict | None = None,
    *,
    reason: str = "",
) -> Requirement:
    """The stage holder modifies a requirement (the CCMD may modify, R-BUD-05); the change is in
    the next version's diff."""
    request = BudgetRequest.objects.system().get(pk=requirement.request_id)
    require_holder(user, request, "change a requirement")
    if "request" in changes or "request_id" in changes:
        raise Refused(Finding("", "a requirement stays in its request.", field="request"))
    budget_fy = BudgetCall.objects.system().get(pk=request.call_id).budget_fy
    # The years the holder may read: those not given again are removed; a hidden one is kept.
    current_years = {
        y.fiscal_year: y.amount
        for y in RequirementYear.objects.visible_to(user).filter(requirement=requirement)
    }
    parsed = _years_of(years) if years is not None else current_years
    probe = Requirement.objects.system().get(pk=requirement.pk)
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_requirement(probe, parsed, budget_fy)
    with transaction.atomic():
        saved = _change(user, requirement, changes, reason=reason)
        if years is not None:
            _set_years(
                user, saved, {**dict.fromkeys(current_years, Decimal("0")), **parsed}, reason
            )
    return saved


@acts(HOLDERS, what="remove a requirement")
def remove_requirement(user: User, requirement: Requirement, *, reason: str = "") -> None:
    request = BudgetRequest.objects.system().get(pk=requirement.request_id)
    require_holder(user, request, "remove a requirement")
    if not (reason or "").strip():
        raise Refused(
            Finding(
                "R-BUD-05",
                "say why the requirement is removed: the next version shows it.",
                field="reason",
            )
        )
    with transaction.atomic():
        for row in RequirementYear.objects.system().filter(requirement=requirement):
            _delete(user, row, reason=reason)
        _delete(user, requirement, reason=reason)


@not_an_action("the snapshot a hand-off keeps (R-BUD-05)")
def content_of(request: BudgetRequest, reader: User | None = None) -> list[dict]:
    """The request's requirements as a version keeps them: every field, and the need by FY
    (with `reader`, only what that reader may see: the page's "not handed on yet" diff)."""

    def rows(model):
        return model.objects.visible_to(reader) if reader is not None else model.objects.system()

    years: dict[int, dict[str, str]] = {}
    for y in rows(RequirementYear).filter(requirement__request=request):
        years.setdefault(y.requirement_id, {})[str(y.fiscal_year)] = str(y.amount)
    out = []
    for req in rows(Requirement).filter(request=request).order_by("priority", "pk"):
        snap = core.snapshot(req)
        snap["years"] = years.get(req.pk, {})
        out.append(snap)
    return out


@not_an_action("who is told that a request waits for them (R-BUD-05)")
def holders_of(request: BudgetRequest, stage: str) -> list[Organization]:
    """The organizations whose members hold `stage`: for the CCMD, the command above the SCO;
    for the national staffs, every organization where someone holds the stage's role."""
    roles = Stage.ROLES.get(stage)
    if not roles:
        return []
    found = Organization.objects.system().filter(memberships__role__in=roles).distinct()
    if stage in (Stage.SCO, Stage.CCMD):
        path = Organization.objects.system().get(pk=request.owner_org_id).tree_path
        return [o for o in found if path.startswith(o.tree_path)]
    return list(found)


@acts(HOLDERS, what="hand a budget request on to the next stage")
def forward_request(
    user: User,
    request: BudgetRequest,
    transition: str,
    *,
    on: dt.date | None = None,
    reason: str = "",
) -> BudgetRequest:
    """SCO → CCMD → Joint Staff → DSCA → OSD Policy → DoS (R-BUD-05): the holder of the current
    stage hands it on; the requirements as they leave are kept as a version."""
    if transition == "allocate":
        raise Refused(Finding("R-BUD-05", "record the allocation with its amounts instead."))
    problem = rules.REQUEST.problem(transition, request.stage)
    if problem:
        raise Refused(Finding("R-BUD-05", problem))
    require_holder(user, request, rules.REQUEST[transition].label.lower())
    if not Requirement.objects.system().filter(request=request).exists():
        raise Refused(
            Finding("R-BUD-01", "the request has no requirement: add what the partner needs first.")
        )
    refuse_if(
        rules.uncommitted_problem(
            request.uncommitted_fmf, request.uncommitted_plan, request.uncommitted_commit_by
        )
    )
    day = clock.action_day(user, on)
    with transaction.atomic():
        number = RequestVersion.objects.system().filter(request=request).count() + 1
        version = RequestVersion(
            request=request,
            number=number,
            stage=request.stage,
            made_by=user,
            made_on=day,
            content=content_of(request),
        )
        # Marked by everything it holds (R-SEC-10): no reader sees a requirement through a version
        # that they could not see itself.
        parts = [r.marking for r in Requirement.objects.system().filter(request=request)]
        parts += [
            y.marking for y in RequirementYear.objects.system().filter(requirement__request=request)
        ]
        version.marking = combine_strict([request.marking, *parts])
        _create(user, version, reason=reason or rules.REQUEST[transition].label)
        target = rules.REQUEST.target(transition)
        saved = _change(user, request, {"stage": target}, reason=reason, transition=transition)
        core.notify(
            user,
            saved,
            holders_of(saved, target),
            f"{saved} is now {Stage.LABELS[target][0].lower()}{Stage.LABELS[target][1:]}",
            body="Review it, modify it if needed, and hand it on by the call's due date.",
            rule="R-BUD-05",
        )
        return saved


@acts(ALLOCATORS, what="record a budget allocation")
def record_allocation(
    user: User | None,
    request: BudgetRequest,
    fmf: Decimal | None,
    imet: Decimal | None,
    *,
    reason: str = "",
) -> BudgetRequest:
    """The FMF and IMET allocated to the country for the budget year (for the request-vs-
    allocation roll-up). R-BUD-02: the allocation never caps a later request."""
    problem = rules.REQUEST.problem("allocate", request.stage)
    if problem:
        raise Refused(Finding("R-BUD-05", problem))
    if user is not None:
        _visible(user, request)
    if fmf is None and imet is None:
        raise Refused(
            Finding("R-BUD-05", "give the FMF or the IMET amount allocated.", field="allocated_fmf")
        )
    for name, value in (("allocated_fmf", fmf), ("allocated_imet", imet)):
        if value is not None and value < 0:
            raise Refused(Finding("R-BUD-05", "an allocation cannot be negative.", field=name))
    return _change(
        user,
        request,
        {"allocated_fmf": fmf, "allocated_imet": imet, "stage": Stage.ALLOCATED},
        reason=reason,
        transition="allocate",
    )


# --- forecasts (R-FCT-01..05) -------------------------------------------------------------------


@acts(FORECASTERS, what="start the year's forecast submission")
def create_forecast(
    user: User | None, submission: ForecastSubmission, *, reason: str = ""
) -> ForecastSubmission:
    if user is not None:
        require_role(user, FORECASTERS, submission.owner_org, "start the year's forecast")
    if (
        ForecastSubmission.objects.system()
        .filter(country=submission.country, report_year=submission.report_year)
        .exists()
    ):
        raise Refused(
            Finding(
                "R-FCT-01",
                f"one SCO submission per year: the {submission.report_year} forecast for this country "
                "exists; add the sale to it.",
                field="report_year",
            )
        )
    return _create(user, submission, reason=reason)


def _draft(user: User | None, submission: ForecastSubmission, what: str) -> None:
    if user is not None:
        _visible(user, submission)
        owner = Organization.objects.system().get(pk=submission.owner_org_id)
        require_role(user, FORECASTERS, owner, what)
    if submission.status != "draft":
        raise Refused(
            Finding(
                "R-FCT-01",
                "the forecast is submitted: DSCA has drawn its reports from it; it changes no more.",
            )
        )


@acts(FORECASTERS, what="add a possible sale to a forecast")
def add_sale(user: User | None, sale: ForecastSale, *, reason: str = "") -> ForecastSale:
    _draft(user, ForecastSubmission.objects.system().get(pk=sale.submission_id), "add a sale")
    refuse_if(rules.sale_problems({"probability": sale.probability, "value": sale.value}))
    return _create(user, sale, reason=reason)


@acts(FORECASTERS, what="change a possible sale")
def change_sale(user: User, sale: ForecastSale, changes: dict, *, reason: str = "") -> ForecastSale:
    _draft(user, ForecastSubmission.objects.system().get(pk=sale.submission_id), "change a sale")
    merged = {k: changes.get(k, getattr(sale, k)) for k in ("probability", "value")}
    refuse_if(rules.sale_problems(merged))
    return _change(user, sale, changes, reason=reason)


@acts(FORECASTERS, what="remove a possible sale")
def remove_sale(user: User, sale: ForecastSale, *, reason: str = "") -> None:
    _draft(user, ForecastSubmission.objects.system().get(pk=sale.submission_id), "remove a sale")
    _delete(user, sale, reason=reason)


@acts(FORECASTERS, what="submit the forecast (R-FCT-01)")
def submit_forecast(
    user: User | None,
    submission: ForecastSubmission,
    *,
    on: dt.date | None = None,
    reason: str = "",
) -> ForecastSubmission:
    _draft(user, submission, "submit the forecast")
    if not ForecastSale.objects.system().filter(submission=submission).exists():
        raise Refused(
            Finding(
                "R-FCT-01",
                "the forecast lists no possible sale: add each one, however unlikely, first.",
            )
        )
    day = on or (clock.action_day(user, None) if user is not None else dt.date.today())
    return _change(
        user,
        submission,
        {"status": "submitted", "submitted_on": day},
        reason=reason,
        transition="submit",
    )
