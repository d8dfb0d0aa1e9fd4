"""Every assessment state change (ARCHITECTURE invariant 2): permission, rule check (each refusal
names the rule and the fix), the write and its change-log entry in one transaction, on
core.actions. Nothing is half-written: a refusal comes before the first write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch

from secoop.core import access
from secoop.core import actions as core
from secoop.core import clock
from secoop.core import fiscal
from secoop.core.action_reads import visible
from secoop.core.errors import NotPermitted
from secoop.core.markings import Marking
from secoop.core.markings import combine_strict
from secoop.core.models import Document
from secoop.core.models import Notification
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.models.documents import DocumentKind
from secoop.core.models.records import system_writes
from secoop.core.permissions import Approval
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.permissions import require_role
from secoop.core.rules import Role
from secoop.core.rules import is_us_person
from secoop.core.verdicts import Finding
from secoop.core.verdicts import refuse_if
from secoop.planning.models import Activity
from secoop.planning.models import CampaignPlan
from secoop.planning.models import IntermediateObjective
from secoop.planning.models import Measure
from secoop.planning.models import PlanKind

from . import facts
from . import rules
from .models import ActivityMonitoring
from .models import ActualCost
from .models import CampaignAssessment
from .models import Citation
from .models import Disaggregation
from .models import Evaluation
from .models import EvaluationFinding
from .models import Indicator
from .models import Lesson
from .models import ObjectiveAssessment
from .models import Period
from .models import Result
from .models import Update
from .rules import CAMPAIGN_ASSESSMENT
from .rules import EVALUATION
from .rules import UPDATE
from .rules import EvaluationKind

# Who acts in assessment (SPEC §1, §4; ARCHITECTURE invariant 9). The administrator is not among
# them (R-SEC-11). LE assistants and the partner enter updates (data entry); only U.S. staff of
# the SCO or the command approve them, define indicators or evaluate.
DEFINERS = Role.SCO | Role.CCMD | {Role.DSCA_STAFF}
REPORTERS = Role.SCO_CLERICAL | Role.CCMD | {Role.DSCA_STAFF, Role.PARTNER_REP}
APPROVERS = Role.SCO | Role.CCMD
EVALUATORS = Role.SCO | Role.CCMD | {Role.DSCA_STAFF, Role.OSD_POLICY}
LESSON_WRITERS = (
    Role.SCO_CLERICAL | Role.CCMD | {Role.DSCA_STAFF, Role.OSD_POLICY, Role.JOINT_STAFF}
)


def _today(user: User) -> dt.date:
    return clock.today_for(user)


@not_an_action("the organization a user reports for, for the actions below")
def reporting_org(user: User, roles=REPORTERS) -> Organization | None:
    """The first organization where the user holds one of `roles` (their SCO, their ministry)."""
    for membership in user.memberships.select_related("organization").order_by("pk"):
        if membership.role in roles:
            return membership.organization
    return None


def _system(model, pk):
    """Re-read a record as the system inside an action (trusted: the action checks its rules)."""
    return model.objects.system().get(pk=pk)


# --- results and indicators ----------------------------------------------------------------------


# --- public release (the IATI file) ---------------------------------------------------------------

# R-SEC-10, R-SEC-11: publishing (the IATI file) releases a record to everyone, the widest release
# there is. A foreign disclosure officer over the record's owner, a U.S. person who did not write
# it, approves it with a reason (approve_public_release); its writers never tick it themselves.
RELEASERS = frozenset({Role.FOREIGN_DISCLOSURE_OFFICER})


def _refuse_public_by_writer(was_public: bool, public: bool) -> None:
    if public and not was_public:
        refuse_if(
            Finding(
                "R-SEC-10",
                "public release is approved by a foreign disclosure officer who did not write "
                "the record, not ticked by its writer.",
                "Leave it unticked and ask your foreign disclosure officer to approve it.",
                "public_release",
            )
        )


# Changing these does not change what the IATI file says (who sees it inside, the flag itself).
NOT_PUBLISHED = {"public_release", "shared_with_partner", "responsible_org", "roll_up"}


def _public_checked(current: Result | Indicator, changes: dict) -> dict:
    """`changes` to a result or indicator, checked for public release: its writer never turns
    it on, and a change to what was approved for publishing withdraws the approval (the release
    review saw the record as it was): it is approved again."""
    _refuse_public_by_writer(current.public_release, changes.get("public_release", False))
    if not current.public_release:
        return changes
    for name, value in changes.items():
        if name in NOT_PUBLISHED:
            continue
        if name == "marking":
            if str(Marking.parse(str(value))) != current.marking_text:
                return {**changes, "public_release": False}
            continue
        if getattr(current, current._meta.get_field(name).attname) != getattr(value, "pk", value):
            return {**changes, "public_release": False}
    return changes


@acts(
    RELEASERS,
    what="approve a result or indicator for public release (IATI)",
    approves=Approval("record approved for public release", parts=()),
)
def approve_public_release(user: User, record: Result | Indicator, *, reason: str = ""):
    """R-SEC-10: published in the IATI file once UNCLASSIFIED without a dissemination control and
    approved by a foreign disclosure officer over its owner (a U.S. person, with the reason);
    never by its writer (R-SEC-11, the decorator)."""
    model = type(record)
    if model not in (Result, Indicator):
        raise NotPermitted("Only results and indicators are published.")
    with transaction.atomic():
        current = model.objects.visible_to(user).select_for_update().filter(pk=record.pk).first()
        if current is None:
            raise NotPermitted(f"There is no such {model._meta.verbose_name} that you may see.")
        require_role(
            user,
            RELEASERS,
            _system(Organization, current.owner_org_id),
            "approve this for public release",
        )
        profile = access.profile_for(user)
        if profile is None or not is_us_person(profile.person):
            raise NotPermitted("Public release is approved by a U.S. person.")
        if rules.public_problem(current.classification, current.dissemination, True):
            refuse_if(
                Finding(
                    "R-SEC-10",
                    "only an UNCLASSIFIED record without a dissemination control is published; "
                    f"this one is {current.marking_text}.",
                    field="marking",
                )
            )
        if current.public_release:
            refuse_if(Finding("R-SEC-10", "it is already approved for public release."))
        if not (reason or "").strip():
            refuse_if(
                Finding(
                    "R-SEC-10",
                    "say why it may be published (the release review).",
                    field="reason",
                )
            )
        return core.apply_change(
            user, current, {"public_release": True}, transition="public release", reason=reason
        )


@acts(DEFINERS, what="define a result (R-AME-02)")
def create_result(user: User, result: Result, *, reason: str = "") -> Result:
    _refuse_public_by_writer(False, result.public_release)
    parents = [result.end_state_id, result.imo_id, result.activity_id]
    if sum(p is not None for p in parents) > 1:
        refuse_if(
            Finding(
                "",
                "a result belongs to one campaign objective, one IMO/outcome or one activity, "
                "not several.",
                field="activity",
            )
        )
    if not any(parents):
        refuse_if(
            Finding(
                "",
                "name the campaign objective, the IMO/outcome or the activity this result "
                "belongs to.",
                field="imo",
            )
        )
    return core.create_record(user, result, reason=reason)


@acts(DEFINERS, what="change a result")
def update_result(user: User, result: Result, changes: dict, *, reason: str = "") -> Result:
    changes = _public_checked(_system(Result, result.pk), changes)
    return core.update_record(user, result, changes, reason=reason)


def _indicator_checks(indicator: Indicator, measure: Measure | None) -> None:
    result = _system(Result, indicator.result_id)
    if measure is not None:
        if result.imo_id != measure.imo_id:
            refuse_if(
                Finding(
                    "R-AME-02",
                    "this measure belongs to another IMO than the result's.",
                    "Choose a measure of the result's IMO/outcome.",
                    "measure",
                )
            )
        sheet = indicator.facts(measure)
        definition = indicator.definition or measure.method
    else:
        sheet = indicator.facts()
        definition = indicator.definition
    refuse_if(rules.reference_sheet_problems(sheet, definition))
    if not indicator.measure_id and not indicator.title.strip():
        refuse_if(Finding("R-AME-02", "the indicator has no name.", "Name it.", "title"))
    if (indicator.baseline is None) != (indicator.baseline_on is None):
        refuse_if(
            Finding(
                "R-AME-01",
                "a baseline needs both its value and the date it was assessed.",
                "Give both, or neither until the initial assessment is done.",
                "baseline_on",
            )
        )
    if indicator.baseline is not None:
        refuse_if(rules.value_problem(indicator.baseline, sheet, "baseline"))


@acts(DEFINERS, what="define an indicator (R-AME-02)")
def create_indicator(user: User, indicator: Indicator, *, reason: str = "") -> Indicator:
    """A new indicator; with `measure`, the IMO measure's own indicator (one record per measure:
    its name, kind, unit, method and baseline stay on the measure)."""
    _refuse_public_by_writer(False, indicator.public_release)
    measure = None
    if indicator.measure_id:
        measure = Measure.objects.visible_to(user).filter(pk=indicator.measure_id).first()
        if measure is None:
            raise NotPermitted("You cannot see that measure.")
        if Indicator.objects.system().filter(measure_id=measure.pk).exists():
            refuse_if(
                Finding(
                    "R-AME-02",
                    "this measure already has its indicator: one record per measure.",
                    "Open the existing indicator.",
                    "measure",
                )
            )
    _indicator_checks(indicator, measure)
    return core.create_record(user, indicator, reason=reason)


@acts(DEFINERS, what="change an indicator's reference sheet")
def update_indicator(
    user: User, indicator: Indicator, changes: dict, *, reason: str = ""
) -> Indicator:
    probe = _system(Indicator, indicator.pk)
    changes = _public_checked(probe, changes)
    for name, value in changes.items():
        if name != "marking":
            setattr(probe, name, value)
    measure = _system(Measure, probe.measure_id) if probe.measure_id else None
    if measure is not None and {"title", "kind", "unit", "baseline", "baseline_on"} & {
        k for k, v in changes.items() if v not in ("", None)
    }:
        refuse_if(
            Finding(
                "R-AME-02",
                "this indicator is the IMO's measure: its name, kind, unit and baseline are kept on the measure.",
                "Change them on the measure in planning.",
            )
        )
    _indicator_checks(probe, measure)
    return core.update_record(user, indicator, changes, reason=reason)


@acts(DEFINERS, what="record an indicator's baseline (R-AME-01)")
def record_baseline(
    user: User, indicator: Indicator, value, on: dt.date, *, comment: str = ""
) -> Indicator:
    current = _system(Indicator, indicator.pk)
    if current.measure_id:
        refuse_if(
            Finding(
                "R-AME-01",
                "this indicator is the IMO's measure: its baseline is the measure's.",
                "Record the baseline on the measure in planning.",
                "baseline",
            )
        )
    refuse_if(rules.value_problem(value, current.facts(), "baseline"))
    return core.update_record(
        user,
        indicator,
        _public_checked(
            current,
            {"baseline": rules.as_decimal(value), "baseline_on": on, "baseline_comment": comment},
        ),
        reason=comment,
        transition="baseline",
    )


# --- roll-up (issue 17 item 10) -------------------------------------------------------------------


@acts(DEFINERS, what="roll an indicator up into its objective's indicator")
def link_contribution(
    user: User,
    indicator: Indicator,
    into: Indicator | None,
    *,
    weight=None,
    reason: str = "",
) -> Indicator:
    """Declare that an activity's indicator rolls up into an indicator of the IMO/outcome its
    activity serves (through its line of activity), or an IMO/outcome's into an indicator of the
    campaign objective (end state) the IMO serves; `into=None` ends the link. Refused when the
    units or measure types differ (counts of different things never add), or the weight is not
    positive. Both indicators are read through the user's door."""
    child = Indicator.objects.visible_to(user).filter(pk=indicator.pk).first()
    parent = (
        Indicator.objects.visible_to(user).filter(pk=into.pk).first() if into is not None else None
    )
    if child is None or (into is not None and parent is None):
        raise NotPermitted("You cannot see that indicator.")
    number = rules.as_decimal(weight) if weight not in (None, "") else child.roll_up_weight
    if weight not in (None, "") and number is None:
        refuse_if(Finding("R-AME-02", f"“{weight}” is not a weight.", field="roll_up_weight"))
    changes = {"contributes_to": parent, "roll_up_weight": number}
    if parent is not None:
        child_result = _system(Result, child.result_id)
        parent_result = _system(Result, parent.result_id)
        # Does the child's record serve the parent's: the activity's line of activity the IMO,
        # or the IMO the campaign objective (its end state)?
        if child_result.activity_id and parent_result.imo_id:
            serves = (
                Activity.objects.system()
                .filter(pk=child_result.activity_id, line_of_activity__imo_id=parent_result.imo_id)
                .exists()
            )
        elif child_result.imo_id and parent_result.end_state_id:
            serves = (
                IntermediateObjective.objects.system()
                .filter(pk=child_result.imo_id, end_state_id=parent_result.end_state_id)
                .exists()
            )
        else:
            serves = False
        # As the user may read them: a measure they may not see never shows its unit in a
        # refusal (decision 0047).
        from .findings import sheet_of

        mine, theirs = sheet_of(child, user), sheet_of(parent, user)
        if mine is None or theirs is None:
            raise NotPermitted("You cannot see the measure of one of these indicators.")
        refuse_if(
            rules.contribution_link_problems(
                parent_level=_level(parent_result),
                child_level=_level(child_result),
                serves_objective=serves,
                mismatch=rules.unit_mismatch(
                    theirs.unit, theirs.measure_type, mine.unit, mine.measure_type
                ),
                weight=number,
                same=parent.pk == child.pk,
            )
        )
    return core.update_record(
        user, child, changes, reason=reason, transition="roll-up" if parent else "roll-up ended"
    )


def _level(result: Result) -> str:
    if result.activity_id:
        return rules.ACTIVITY
    return rules.IMO if result.imo_id else rules.CAMPAIGN_OBJECTIVE


# --- periods ----------------------------------------------------------------------------------


def _period_checks(user: User, period: Period, target_unit: str = "") -> None:
    indicator = _system(Indicator, period.indicator_id)
    sheet = indicator.facts()
    result = _system(Result, indicator.result_id)
    span = None
    if result.activity_id:
        activity = _system(Activity, result.activity_id)
        span = (activity.start_date, activity.end_date)
    others = Period.objects.system().filter(indicator_id=indicator.pk).exclude(pk=period.pk)
    shown = set(
        Period.objects.visible_to(user)
        .filter(indicator_id=indicator.pk)
        .values_list("pk", flat=True)
    )
    dates = {p.pk: (p.period_start, p.period_end) for p in others}
    refuse_if(
        rules.period_problems(
            period.period_start,
            period.period_end,
            span,
            [d for pk, d in dates.items() if pk in shown],
        )
    )
    # A period the user may not see still may not be overlapped; the refusal never names its
    # dates (decision 0047: the user learns the verdict only).
    if rules.period_problems(
        period.period_start,
        period.period_end,
        None,
        [d for pk, d in dates.items() if pk not in shown],
    ):
        refuse_if(
            Finding(
                "R-AME-02",
                "the period overlaps another period of the indicator, one you may not see.",
                "Ask the indicator's owner which dates are free.",
                "period_start",
            )
        )
    if period.target is not None:
        refuse_if(
            [
                rules.target_unit_problem(target_unit, sheet),
                rules.value_problem(period.target, sheet, "target"),
            ]
        )


def _parts_checks(indicator: Indicator, parts) -> list[dict]:
    """Disaggregation rows ({dimension, category, amount}) as the actions write them: each
    named, each amount a value the indicator can take, no dimension/category twice. Refused
    whole, before anything is written."""
    sheet = indicator.facts()
    rows, seen, problems = [], set(), []
    for n, part in enumerate(parts, start=1):
        dimension = " ".join(str(part.get("dimension") or "").split())
        category = " ".join(str(part.get("category") or "").split())
        if not dimension or not category:
            problems.append(
                Finding(
                    "R-AME-02",
                    f"disaggregation row {n} needs its dimension and its category.",
                    "Name both (e.g. gender: female), or leave the whole row empty.",
                    "dimension",
                )
            )
            continue
        key = (dimension.lower(), category.lower())
        if key in seen:
            problems.append(
                Finding(
                    "R-AME-02",
                    f"{dimension}: {category} is listed twice.",
                    "One row per dimension and category.",
                    "category",
                )
            )
        seen.add(key)
        problem = rules.value_problem(part.get("amount"), sheet, "amount")
        if problem is not None:
            problems.append(
                Finding(
                    problem.rule,
                    f"disaggregation row {n}: {problem.message}",
                    problem.fix,
                    "amount",
                )
            )
            continue
        rows.append(
            {
                "dimension": dimension,
                "category": category,
                "amount": rules.as_decimal(part.get("amount")),
            }
        )
    refuse_if(problems)
    return rows


@acts(DEFINERS, what="add a reporting period and its target")
def add_period(
    user: User,
    period: Period,
    *,
    target_unit: str = "",
    parts: list[dict] = (),
    reason: str = "",
) -> Period:
    """A period of the indicator with its target and the target's disaggregation rows
    (`parts`: {dimension, category, amount}). `target_unit`, when given, must be the
    indicator's unit (a target of another unit is refused, not converted). All or nothing."""
    _period_checks(user, period, target_unit)
    rows = _parts_checks(_system(Indicator, period.indicator_id), parts)
    with transaction.atomic():
        saved = core.create_record(user, period, reason=reason)
        for row in rows:
            part = Disaggregation(period=saved, **row)
            add_disaggregation(user, part, reason=reason)
    return saved


@acts(DEFINERS, what="change a period's dates or target")
def update_period(
    user: User,
    period: Period,
    changes: dict,
    *,
    target_unit: str = "",
    parts: list[dict] | None = None,
    reason: str = "",
) -> Period:
    """Change a period's dates, target or comment; with `parts`, its target's disaggregation
    rows become those (rows left out are removed). The actuals' rows are the updates'."""
    probe = _system(Period, period.pk)
    for name, value in changes.items():
        if name != "marking":
            setattr(probe, name, value)
    _period_checks(user, probe, target_unit)
    rows = None if parts is None else _parts_checks(_system(Indicator, probe.indicator_id), parts)
    with transaction.atomic():
        saved = core.update_record(user, period, changes, reason=reason) if changes else period
        if rows is not None:
            current = {
                (d.dimension, d.category): d
                for d in Disaggregation.objects.editable_by(user).filter(
                    period_id=period.pk, update__isnull=True
                )
            }
            for row in rows:
                old = current.pop((row["dimension"], row["category"]), None)
                if old is None:
                    add_disaggregation(user, Disaggregation(period_id=period.pk, **row))
                elif old.amount != row["amount"]:
                    core.update_record(user, old, {"amount": row["amount"]}, reason=reason)
            for old in current.values():
                core.delete_record(user, old, reason=reason or "target row removed")
    return saved


# --- updates: enter → submit → approve / return -----------------------------------------------


def _update_checks(period: Period, value) -> Decimal:
    indicator = _system(Indicator, period.indicator_id)
    sheet = indicator.facts()
    refuse_if(
        [
            rules.baseline_problem(sheet),  # R-AME-01 first: no actual before the baseline
            rules.before_baseline_problem(sheet, period.period_end) if sheet.has_baseline else None,
        ]
    )
    refuse_if(rules.value_problem(value, sheet))
    return rules.as_decimal(value)


def _released_period(user: User, period: Period) -> Period:
    return visible(user, period, "You cannot report on this indicator: it is not released to you.")


@acts(REPORTERS, what="enter an indicator update")
def enter_update(
    user: User,
    period: Period,
    value,
    *,
    narrative: str = "",
    owner_org: Organization | None = None,
    reason: str = "",
) -> Update:
    """A draft actual for a period the user may see, reported for their organization (a
    partner for its ministry, on indicators released to it), marked like the indicator."""
    seen = _released_period(user, period)
    number = _update_checks(seen, value)
    org = owner_org or reporting_org(user)
    if org is None:
        raise NotPermitted(
            "You report for no organization: ask for a role in your SCO or ministry."
        )
    update = Update(period=seen, value=number, narrative=narrative, owner_org=org, entered_by=user)
    update.marking = _system(Period, seen.pk).marking
    return core.create_record(user, update, reason=reason)


@acts(REPORTERS, what="report an actual with its disaggregation and evidence")
def report_update(
    user: User,
    period: Period,
    value,
    *,
    narrative: str = "",
    parts: list[dict] = (),
    evidence_title: str = "",
    evidence_file: UploadedFile | None = None,
    reason: str = "",
) -> Update:
    """The indicator page's report: a draft update (enter_update: baseline first, R-AME-01; a
    value the indicator can take), its disaggregation rows and its evidence file (a core
    Document attached to it, marked like it). All or nothing: a refusal anywhere saves none."""
    seen = _released_period(user, period)
    _update_checks(seen, value)
    rows = _parts_checks(_system(Indicator, seen.indicator_id), parts)
    if evidence_file is not None and not (evidence_title or "").strip():
        evidence_title = getattr(evidence_file, "name", "") or "Evidence"
    with transaction.atomic():
        update = enter_update(user, seen, value, narrative=narrative, reason=reason)
        for row in rows:
            add_disaggregation(user, Disaggregation(update=update, **row), reason=reason)
        if evidence_file is not None:
            add_evidence(user, update, title=evidence_title, file=evidence_file)
    return update


@acts(REPORTERS, what="change a draft or returned update")
def change_update(user: User, update: Update, changes: dict, *, reason: str = "") -> Update:
    current = _system(Update, update.pk)
    if not current.is_editable:
        refuse_if(
            Finding(
                "R-AME-02",
                f"a {current.get_status_display().lower()} update can no longer be changed.",
                "Enter a new update for the period instead.",
            )
        )
    if "value" in changes:
        changes = {**changes, "value": _update_checks(current.period, changes["value"])}
    allowed = {"value", "narrative"}
    unknown = set(changes) - allowed
    if unknown:
        refuse_if(
            Finding(
                "",
                f"only the value and narrative of an update change here, not {', '.join(sorted(unknown))}.",
            )
        )
    return core.update_record(user, update, changes, reason=reason)


@not_an_action("names a record in a notification about another, as its readers may read it")
def name_under(note_about, named, neutral: str) -> str:
    """`named`'s name for a notification marked like `note_about`: the name only when that
    marking covers `named`'s (combine_strict), else `neutral`, so that no reader of the note
    reads a name they could not read on its record (R-SEC-01, decision 0047)."""
    if combine_strict([note_about.marking, named.marking]) != combine_strict([note_about.marking]):
        return neutral
    return str(named)


def _transition(user: User, update: Update, name: str, changes: dict, reason: str = "") -> Update:
    current = _system(Update, update.pk)
    refuse_if(rules.transition_problem(UPDATE, name, current.status))
    return core.update_record(
        user, update, {"status": UPDATE.target(name), **changes}, reason=reason, transition=name
    )


@acts(REPORTERS, what="submit an update for approval")
def submit_update(user: User, update: Update, *, reason: str = "") -> Update:
    current = _system(Update, update.pk)
    _update_checks(current.period, current.value)  # the baseline may have changed since
    with transaction.atomic():
        done = _transition(user, update, "submit", {"submitted_on": _today(user)}, reason)
        indicator = _system(Indicator, current.period.indicator_id)
        owner = _system(Organization, indicator.owner_org_id)
        core.notify(
            user,
            done,
            [owner],
            f"An indicator update waits for approval: {name_under(done, indicator, 'an indicator')}",
            rule="R-AME-02",
        )
    return done


def _step(
    user: User,
    record,
    lifecycle,
    name: str,
    changes: dict,
    comment: str = "",
    rule: str = "R-AME-06",
):
    """A decision on a record another organization may own (the partner's update, the Joint
    Staff's assessment): reloaded through the decider's view (the caller checked their role),
    checked against the lifecycle, written and logged with the decider as its author."""
    model = type(record)
    with transaction.atomic():
        current = model.objects.visible_to(user).select_for_update().filter(pk=record.pk).first()
        if current is None:
            raise NotPermitted(f"There is no such {model._meta.verbose_name} that you may see.")
        problem = lifecycle.problem(name, current.status)
        if problem:
            refuse_if(Finding(rule, problem))
        before = core.snapshot(current)
        current.status = lifecycle.target(name)
        for field, value in changes.items():
            setattr(current, field, value)
        current.save()
        core.log_change(
            user, current, ChangeAction.TRANSITION, before, core.snapshot(current), comment, name
        )
    return current


def _decide(user: User, update: Update, name: str, comment: str) -> Update:
    decided = {"decided_by": user, "decided_on": _today(user), "decision_comment": comment}
    with transaction.atomic():
        done = _step(user, update, UPDATE, name, decided, comment, "R-AME-02")
        settle_notifications(user, done)
    return done


@not_an_action("acknowledges, as the acting user, the notices an action of theirs dealt with")
def settle_notifications(user: User, record) -> int:
    """The open notifications about `record` that the user may acknowledge (its approval waited
    for them): a decision deals with them, so they leave the inbox."""
    ct = ContentType.objects.get_for_model(record, for_concrete_model=True)
    open_ = Notification.objects.editable_by(user).filter(
        content_type=ct, object_id=str(record.pk), acknowledged_at__isnull=True
    )
    done = 0
    for note in open_:
        core.acknowledge_notification(user, note, reason="dealt with by the decision")
        done += 1
    return done


def _require_approver(user: User, update: Update) -> Update:
    current = _system(Update, update.pk)
    indicator = _system(Indicator, current.period.indicator_id)
    # U.S. staff of the indicator's owner (the SCO or the command above it) decide.
    require_role(
        user,
        APPROVERS,
        _system(Organization, indicator.owner_org_id),
        "approve or return this update",
    )
    return current


@acts(
    APPROVERS,
    what="approve an update (R-SEC-11: never one's own)",
    approves=Approval("update", parts=("assessment.Disaggregation",)),
)
def approve_update(user: User, update: Update, *, comment: str = "") -> Update:
    """U.S. staff over the indicator's owner approve; its author never does (R-SEC-11: the
    change log's authors of the update and its disaggregations, refused by the decorator)."""
    _require_approver(user, update)
    return _decide(user, update, "approve", comment)


@acts(APPROVERS, what="return an update to its author")
def return_update(user: User, update: Update, *, comment: str) -> Update:
    current = _require_approver(user, update)
    refuse_if(rules.return_comment_problem(comment))
    with transaction.atomic():
        done = _decide(user, update, "return", comment)
        core.notify(
            user,
            done,
            [_system(Organization, current.owner_org_id)],
            "An indicator update was returned",
            body=comment,
            rule="R-AME-02",
        )
    return done


@acts(REPORTERS, what="attach evidence to an update")
def add_evidence(
    user: User, update: Update, *, title: str, file: UploadedFile | None, summary: str = ""
) -> Document:
    """A document attached to the update as its evidence (core documents: the update's
    Documents tab), marked like the update and owned by the update's organization."""
    current = Update.objects.editable_by(user).filter(pk=update.pk).first()
    if current is None:
        raise NotPermitted("You cannot add evidence to this update: it is not your organization's.")
    if not current.is_editable:
        # What was submitted is what is approved: evidence joins a draft or returned update,
        # never one under decision or decided (its approver would judge, or have judged, less).
        refuse_if(
            Finding(
                "R-AME-02",
                f"a {current.get_status_display().lower()} update takes no more evidence.",
                "Enter a new update for the period with its evidence.",
            )
        )
    if not (title or "").strip():
        refuse_if(Finding("", "the evidence has no title.", "Name the document.", "title"))
    document = Document(
        title=title.strip(),
        kind=DocumentKind.REPORT,
        summary=summary,
        owner_org_id=current.owner_org_id,
        country_id=current.country_value(),
        dated=_today(user),
        file=file,
        attached_to=current,
    )
    document.marking = current.marking
    return core.create_record(user, document)


@acts(REPORTERS | DEFINERS, what="add a disaggregation (dimension and value)")
def add_disaggregation(user: User, part: Disaggregation, *, reason: str = "") -> Disaggregation:
    """A target's part (on a period, by those who set targets) or an actual's part (on a draft
    or returned update, by its reporters)."""
    if part.update_id:
        update = _system(Update, part.update_id)
        if not update.is_editable:
            refuse_if(
                Finding("R-AME-02", "the update is no longer a draft.", "Enter a new update.")
            )
        part.period_id = update.period_id
        part.marking = update.marking
    else:
        require_role(user, DEFINERS, None, "set a target's disaggregation")
        part.marking = _system(Period, part.period_id).marking
    indicator = _system(Indicator, _system(Period, part.period_id).indicator_id)
    refuse_if(rules.value_problem(part.amount, indicator.facts(), "amount"))
    if not part.dimension.strip() or not part.category.strip():
        refuse_if(Finding("", "name the dimension and its category.", field="dimension"))
    return core.create_record(user, part, reason=reason)


# --- evaluations (R-AME-04) ----------------------------------------------------------------------


def _criteria_checked(criteria) -> str:
    unknown = rules.unknown_criteria(criteria or "")
    if unknown:
        refuse_if(
            Finding(
                "R-AME-04",
                f"{', '.join(unknown)} is not an evaluation criterion.",
                "Choose among " + ", ".join(rules.Criterion.values) + ".",
                "criteria",
            )
        )
    return rules.criteria_stored(criteria or "")


@acts(EVALUATORS, what="plan an evaluation (R-AME-04)")
def create_evaluation(user: User, evaluation: Evaluation, *, reason: str = "") -> Evaluation:
    if not evaluation.activity_id and not evaluation.imo_id:
        refuse_if(
            Finding("R-AME-04", "name the activity or the IMO/outcome evaluated.", field="activity")
        )
    evaluation.criteria = _criteria_checked(evaluation.criteria)
    return core.create_record(user, evaluation, reason=reason)


@acts(EVALUATORS, what="change an evaluation's plan")
def update_evaluation(
    user: User, evaluation: Evaluation, changes: dict, *, reason: str = ""
) -> Evaluation:
    """Change the plan of an open (planned or in progress) evaluation; a completed or cancelled
    one is a record of what was found."""
    current = _system(Evaluation, evaluation.pk)
    if current.status not in (
        rules.EvaluationStatus.PLANNED,
        rules.EvaluationStatus.IN_PROGRESS,
    ):
        refuse_if(
            Finding(
                "R-AME-04",
                f"a {current.get_status_display().lower()} evaluation no longer changes.",
                "Plan a new evaluation, or record a lesson from this one.",
            )
        )
    if "criteria" in changes:
        changes = {**changes, "criteria": _criteria_checked(changes["criteria"])}
    return core.update_record(user, evaluation, changes, reason=reason)


@acts(EVALUATORS, what="plan the post-project evaluations (30 days and 1 year)")
def plan_post_project_evaluations(user: User, activity: Activity) -> list[Evaluation]:
    """The two post-project evaluations of a (humanitarian) project, due the dated facts' days
    after it ends (SPEC §11, OHDACA row; GAO-12-359 found 90% of one-year evaluations missing)."""
    seen = _monitored(user, activity)
    made = []
    with transaction.atomic():
        for kind, key in (
            (EvaluationKind.POST_FIRST, facts.POST_FIRST),
            (EvaluationKind.POST_SECOND, facts.POST_SECOND),
        ):
            if Evaluation.objects.system().filter(activity=seen, kind=kind).exists():
                continue
            evaluation = Evaluation(
                title=f"{EvaluationKind(kind).label}: {seen.title}"[:300],
                kind=kind,
                activity=seen,
                due_on=rules.post_project_due(seen.end_date, facts.days(key, seen.end_date)),
                owner_org_id=seen.owner_org_id,
                country_id=seen.country_id,
            )
            evaluation.marking = seen.marking
            made.append(core.create_record(user, evaluation))
    return made


def _evaluation_transition(
    user: User, evaluation: Evaluation, name: str, changes: dict, reason: str = ""
) -> Evaluation:
    current = _system(Evaluation, evaluation.pk)
    problem = EVALUATION.problem(name, current.status)
    if problem:
        refuse_if(Finding("R-AME-04", problem))
    return core.update_record(
        user,
        evaluation,
        {"status": EVALUATION.target(name), **changes},
        reason=reason,
        transition=name,
    )


@acts(EVALUATORS, what="start an evaluation")
def start_evaluation(user: User, evaluation: Evaluation) -> Evaluation:
    return _evaluation_transition(user, evaluation, "start", {"started_on": _today(user)})


@acts(EVALUATORS, what="complete an evaluation (R-AME-04)")
def complete_evaluation(
    user: User, evaluation: Evaluation, *, recommended_adjustments: str | None = None
) -> Evaluation:
    """Completed only when every finding cites the evidence it rests on and the recommended
    adjustments are recorded (R-AME-04; GAO-23-106275)."""
    current = _system(Evaluation, evaluation.pk)
    adjustments = (
        current.recommended_adjustments
        if recommended_adjustments is None
        else recommended_adjustments
    )
    # Every finding counts (the rule holds for all), but a refusal names only those the user
    # may see: a hidden finding's statement never reaches them (decision 0047).
    shown = set(
        EvaluationFinding.objects.visible_to(user)
        .filter(evaluation_id=current.pk)
        .values_list("pk", flat=True)
    )
    found = [
        rules.FindingFacts(
            label=str(f) if f.pk in shown else "a finding you may not see",
            updates=sum(1 for c in f.citations.all() if c.update_id),
            documents=sum(1 for c in f.citations.all() if c.document_id),
            data=f.cited_data,
        )
        for f in EvaluationFinding.objects.system()
        .filter(evaluation_id=current.pk)
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.system()))
    ]
    judged = EvaluationFinding.objects.system().filter(evaluation_id=current.pk)
    unjudged = rules.unjudged_criteria(
        rules.criteria_shown(current.criteria), judged.values_list("criterion", flat=True)
    )
    refuse_if(rules.completion_problems(found, adjustments, unjudged))
    return _evaluation_transition(
        user,
        evaluation,
        "complete",
        {"completed_on": _today(user), "recommended_adjustments": adjustments},
    )


@acts(EVALUATORS, what="cancel an evaluation")
def cancel_evaluation(user: User, evaluation: Evaluation, *, reason: str) -> Evaluation:
    if not (reason or "").strip():
        refuse_if(Finding("R-AME-04", "say why the evaluation is cancelled.", field="reason"))
    return _evaluation_transition(user, evaluation, "cancel", {}, reason)


@acts(EVALUATORS, what="record an evaluation finding with its evidence")
def add_finding(
    user: User,
    finding: EvaluationFinding,
    *,
    updates: list[Update] = (),
    documents: list[Document] = (),
    reason: str = "",
) -> EvaluationFinding:
    """A finding and the updates and documents it cites (each one the user may see)."""
    evaluation = _open_evaluation(finding.evaluation_id)
    if not (finding.statement or "").strip():
        refuse_if(
            Finding("R-AME-04", "the finding says nothing.", "Write the finding.", "statement")
        )
    refuse_if(
        rules.finding_criterion_problem(
            finding.criterion, rules.criteria_shown(evaluation.criteria)
        )
    )
    with transaction.atomic():
        saved = core.create_record(user, finding, reason=reason)
        _cite(user, saved, updates, documents)
    return saved


def _open_evaluation(evaluation_id: int) -> Evaluation:
    evaluation = _system(Evaluation, evaluation_id)
    if evaluation.status not in (
        rules.EvaluationStatus.PLANNED,
        rules.EvaluationStatus.IN_PROGRESS,
    ):
        refuse_if(
            Finding("R-AME-04", "the evaluation is closed.", "Findings go on an open evaluation.")
        )
    return evaluation


def _cite(user: User, finding: EvaluationFinding, updates, documents) -> int:
    """Citations of the updates and documents the user may see (refused whole when one is
    hidden); one already cited is not cited twice. Returns how many were added."""
    shown_updates = set(
        Update.objects.visible_to(user)
        .filter(pk__in=[u.pk for u in updates])
        .values_list("pk", flat=True)
    )
    shown_docs = set(
        Document.objects.visible_to(user)
        .filter(pk__in=[d.pk for d in documents])
        .values_list("pk", flat=True)
    )
    if len(shown_updates) < len({u.pk for u in updates}) or len(shown_docs) < len(
        {d.pk for d in documents}
    ):
        raise NotPermitted("You can cite only updates and documents you may see.")
    cited = Citation.objects.system().filter(finding_id=finding.pk)
    shown_updates -= set(cited.filter(update__isnull=False).values_list("update_id", flat=True))
    shown_docs -= set(cited.filter(document__isnull=False).values_list("document_id", flat=True))
    for key, pks in (("update_id", shown_updates), ("document_id", shown_docs)):
        for pk in sorted(pks):
            cite = Citation(finding=finding, **{key: pk})
            cite.marking = finding.marking
            core.create_record(user, cite)
    return len(shown_updates) + len(shown_docs)


@acts(EVALUATORS, what="cite the evidence an evaluation finding rests on (R-AME-04)")
def cite_evidence(
    user: User,
    finding: EvaluationFinding,
    *,
    updates: list[Update] = (),
    documents: list[Document] = (),
    cited_data: str | None = None,
    reason: str = "",
) -> EvaluationFinding:
    """More evidence for a finding of an open evaluation: updates and documents the user may
    see, or the data it rests on in words (GAO-23-106275)."""
    current = _system(EvaluationFinding, finding.pk)
    _open_evaluation(current.evaluation_id)
    data = (cited_data or "").strip()
    if not updates and not documents and not data:
        refuse_if(
            Finding(
                "R-AME-04",
                "nothing to cite was given.",
                "Choose updates or documents, or name the data the finding rests on.",
                "updates",
            )
        )
    with transaction.atomic():
        if data and data != current.cited_data:
            finding = core.update_record(user, finding, {"cited_data": data}, reason=reason)
        _cite(user, current, updates, documents)
    return finding


# --- lessons (R-AME-05) --------------------------------------------------------------------------


@acts(LESSON_WRITERS, what="record a lesson learned (R-AME-05)")
def create_lesson(user: User, lesson: Lesson, *, reason: str = "") -> Lesson:
    refuse_if(rules.lesson_problems(lesson.title, lesson.observation, lesson.recommendation))
    lesson.tags = rules.tags_stored(lesson.tags)
    return core.create_record(user, lesson, reason=reason)


@acts(LESSON_WRITERS, what="change a lesson learned")
def update_lesson(user: User, lesson: Lesson, changes: dict, *, reason: str = "") -> Lesson:
    if "tags" in changes:
        changes = {**changes, "tags": rules.tags_stored(changes["tags"])}
    return core.update_record(user, lesson, changes, reason=reason)


# --- monitoring of inputs, costs, schedule and performance (R-AME-04, R-AME-07) -----------------

# The SCO and the command monitor the activities they own (or that are owned below them).
MONITORS = Role.SCO | Role.CCMD


def _monitored(user: User, activity: Activity) -> Activity:
    """The activity as the user may see it, to monitor, cost or evaluate it."""
    return visible(user, activity, "You cannot see that activity.")


@acts(MONITORS, what="record how an activity is going: schedule, performance, inputs (R-AME-04)")
def record_monitoring(
    user: User,
    activity: Activity,
    *,
    as_of: dt.date | None = None,
    actual_start: dt.date | None = None,
    actual_end: dt.date | None = None,
    performance: str = rules.Performance.ON_TRACK,
    performance_note: str = "",
    inputs_note: str = "",
    reason: str = "",
) -> ActivityMonitoring:
    """The activity's monitoring record, created or brought up to date, marked like the activity.
    Its actual dates are what happened (never in the future); a performance at risk or off track
    says why."""
    seen = _monitored(user, activity)
    today = _today(user)
    as_of = as_of or today
    refuse_if(
        rules.monitoring_problems(
            as_of, actual_start, actual_end, performance, performance_note, today
        )
    )
    values = {
        "as_of": as_of,
        "actual_start": actual_start,
        "actual_end": actual_end,
        "performance": performance,
        "performance_note": performance_note,
        "inputs_note": inputs_note,
    }
    existing = ActivityMonitoring.objects.system().filter(activity_id=seen.pk).first()
    if existing is not None:
        return core.update_record(
            user, existing, {**values, "marking": seen.marking_text}, reason=reason
        )
    record = ActivityMonitoring(activity=seen, **values)
    record.marking = seen.marking
    return core.create_record(user, record, reason=reason)


@acts(MONITORS, what="record an activity's actual cost for a fiscal year and source (R-AME-07)")
def record_actual_cost(
    user: User,
    activity: Activity,
    *,
    fiscal_year: int,
    source: str,
    amount,
    note: str = "",
    reason: str = "",
) -> ActualCost:
    """What the activity cost in a fiscal year from a source (USD, Decimal), beside planning's
    planned funding line; recorded again, it replaces the amount (the change log keeps both)."""
    seen = _monitored(user, activity)
    from secoop.planning.models import FundingSource

    if source not in FundingSource.values:
        refuse_if(Finding("R-AME-07", "choose the funding source.", field="source"))
    year = str(fiscal_year or "")
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        refuse_if(Finding("R-AME-07", "give the fiscal year, e.g. 2027.", field="fiscal_year"))
    fiscal_year = int(year)
    refuse_if(rules.actual_cost_problems(amount, fiscal_year, fiscal.fiscal_year(_today(user))))
    number = rules.as_decimal(amount)
    existing = (
        ActualCost.objects.system()
        .filter(activity_id=seen.pk, fiscal_year=fiscal_year, source=source)
        .first()
    )
    if existing is not None:
        return core.update_record(user, existing, {"amount": number, "note": note}, reason=reason)
    line = ActualCost(
        activity=seen, fiscal_year=fiscal_year, source=source, amount=number, note=note
    )
    line.marking = seen.marking
    return core.create_record(user, line, reason=reason)


@not_an_action("whether a user may decide updates of an indicator (for pages)")
def may_decide(user: User, indicator: Indicator) -> bool:
    org = Organization.objects.system().filter(pk=indicator.owner_org_id).first()
    return org is not None and access.holds_role(user, APPROVERS, org)


# --- campaign plan assessments (R-AME-06) ---------------------------------------------------------

JOINT_STAFF = frozenset({Role.JOINT_STAFF})
OSD = frozenset({Role.OSD_POLICY})


@acts(JOINT_STAFF, what="issue the campaign plan assessment template (R-AME-06)", system=True)
def issue_campaign_template(
    user: User | None, plan: CampaignPlan, fiscal_year: int, template: str, *, marking: str = "CUI"
) -> CampaignAssessment:
    """The Joint Staff, with USD(P), issues the year's template to the plan's command. `None`
    as the user: set-up code (the demo) acting for the Joint Staff."""
    if not (template or "").strip():
        refuse_if(
            Finding("R-AME-06", "the template asks nothing.", "Write the questions.", "template")
        )
    if (
        CampaignAssessment.objects.system()
        .filter(campaign_plan=plan, fiscal_year=fiscal_year)
        .exists()
    ):
        refuse_if(
            Finding(
                "R-AME-06",
                f"FY{fiscal_year}'s assessment of this plan was already issued.",
                field="fiscal_year",
            )
        )
    issuer = reporting_org(user, JOINT_STAFF) if user is not None else None
    issuer = (
        issuer or Organization.objects.system().filter(kind="joint_staff").order_by("pk").first()
    )
    kind = rules.AssessedPlan.SUPPORT if plan.kind == PlanKind.CSP else rules.AssessedPlan.CAMPAIGN
    record = CampaignAssessment(
        campaign_plan=plan, fiscal_year=fiscal_year, template=template, owner_org=issuer, kind=kind
    )
    record.marking = core.check_marking(marking)
    with transaction.atomic():
        made = (
            core.create_record(user, record)
            if user is not None
            else core.system_create(record, reason="template issued")
        )
        core.notify(
            user,
            made,
            [_system(Organization, plan.owner_org_id)],
            f"{made} issued: assess each objective",
            rule="R-AME-06",
        )
    return made


def _plan_owner(assessment: CampaignAssessment) -> Organization:
    plan = _system(CampaignPlan, assessment.campaign_plan_id)
    return _system(Organization, plan.owner_org_id)


# R-AME-06: combatant commanders assess their campaign plans; MILDEPs and defense agencies their
# campaign support plans, in the same cycle and workflow. The MILDEP's or agency's office that
# owns the support plan assesses it: DSCA's staff, a MILDEP's security assistance command (its
# implementing agency's staff) — never the command, which assesses its own plan.
SUPPORT_PLAN_ASSESSORS = frozenset({Role.DSCA_STAFF, Role.CASE_MANAGER})
PLAN_ASSESSORS = Role.CCMD | SUPPORT_PLAN_ASSESSORS


@not_an_action("the roles that assess a campaign plan of this kind (R-AME-06)")
def assessors_of(assessment: CampaignAssessment) -> frozenset:
    return SUPPORT_PLAN_ASSESSORS if assessment.kind == rules.AssessedPlan.SUPPORT else Role.CCMD


@not_an_action("the plan whose objectives an assessment covers (R-AME-06)")
def objectives_plan_id(assessment: CampaignAssessment) -> int:
    """A campaign plan's assessment covers its own IMOs/outcomes. A campaign support plan
    with objectives of its own is assessed on them; one without (it supports the command's
    objectives rather than setting its own) on the objectives of the plan it supports."""
    plan = _system(CampaignPlan, assessment.campaign_plan_id)
    if (
        plan.kind == PlanKind.CSP
        and plan.supports_id
        and not IntermediateObjective.objects.system()
        .filter(line_of_effort__campaign_plan_id=plan.pk)
        .exists()
    ):
        return plan.supports_id
    return plan.pk


@acts(PLAN_ASSESSORS, what="assess an objective of the campaign (support) plan (R-AME-06)")
def assess_objective(
    user: User | None,
    assessment: CampaignAssessment,
    imo: IntermediateObjective,
    *,
    progress: str,
    risks: str = "",
    resources: str = "adequate",
) -> ObjectiveAssessment:
    """The command's assessment of one IMO/outcome of its plan: progress, risks, resource
    adequacy (qualitative assessments are allowed); changed until it is submitted."""
    current = _system(CampaignAssessment, assessment.pk)
    owner = _plan_owner(current)
    require_role(user, assessors_of(current), owner, "assess the objectives of this plan")
    if CAMPAIGN_ASSESSMENT.problem("submit", current.status):
        refuse_if(
            Finding(
                "R-AME-06",
                "the assessment is with the Joint Staff or OSD now.",
                "Ask the Joint Staff to return it.",
            )
        )
    plan_imos = IntermediateObjective.objects.system().filter(
        line_of_effort__campaign_plan_id=objectives_plan_id(current)
    )
    if not plan_imos.filter(pk=imo.pk).exists():
        refuse_if(Finding("R-AME-06", "this IMO/outcome is not one of the plan's.", field="imo"))
    if not (progress or "").strip():
        refuse_if(
            Finding(
                "R-AME-06",
                "say what progress the objective made.",
                "Describe it (it may be qualitative).",
                "progress",
            )
        )
    if resources not in rules.Adequacy.values:
        refuse_if(
            Finding(
                "",
                f"resource adequacy is one of {', '.join(rules.Adequacy.values)}.",
                field="resources",
            )
        )
    existing = ObjectiveAssessment.objects.system().filter(assessment=current, imo=imo).first()
    values = {"progress": progress, "risks": risks, "resources": resources}
    # It names and judges the objective: no reader sees it who could not read the objective.
    marking = combine_strict([current.marking, _system(IntermediateObjective, imo.pk).marking])
    if existing is not None:
        if combine_strict([existing.marking, marking]) != existing.marking:
            values["marking"] = str(combine_strict([existing.marking, marking]))
        return core.update_record(user, existing, values)
    entry = ObjectiveAssessment(assessment=current, imo=imo, owner_org=owner, **values)
    entry.marking = marking
    return core.create_record(user, entry)


@acts(
    PLAN_ASSESSORS,
    what="submit the campaign (support) plan assessment to the Joint Staff (R-AME-06)",
)
def submit_campaign_assessment(user: User, assessment: CampaignAssessment) -> CampaignAssessment:
    current = _system(CampaignAssessment, assessment.pk)
    require_role(user, assessors_of(current), _plan_owner(current), "submit this assessment")
    objectives = (
        IntermediateObjective.objects.system()
        .filter(line_of_effort__campaign_plan_id=objectives_plan_id(current))
        .count()
    )
    assessed = ObjectiveAssessment.objects.system().filter(assessment=current).count()
    refuse_if(rules.campaign_submission_problems(objectives, assessed))
    with transaction.atomic():
        done = _step(
            user, assessment, CAMPAIGN_ASSESSMENT, "submit", {"submitted_on": _today(user)}
        )
        core.notify(
            user,
            done,
            [_system(Organization, current.owner_org_id)],
            f"{done} submitted for review",
            rule="R-AME-06",
        )
    return done


@acts(JOINT_STAFF, what="review a campaign plan assessment (R-AME-06)")
def review_campaign_assessment(
    user: User, assessment: CampaignAssessment, *, comment: str = ""
) -> CampaignAssessment:
    return _step(
        user,
        assessment,
        CAMPAIGN_ASSESSMENT,
        "review",
        {"reviewed_on": _today(user), "review_comment": comment},
        comment,
    )


@acts(JOINT_STAFF, what="return a campaign plan assessment to the command (R-AME-06)")
def return_campaign_assessment(
    user: User, assessment: CampaignAssessment, *, comment: str
) -> CampaignAssessment:
    refuse_if(rules.return_comment_problem(comment))
    return _step(
        user, assessment, CAMPAIGN_ASSESSMENT, "return", {"review_comment": comment}, comment
    )


@acts(OSD, what="record OSD's evaluation of a campaign plan assessment (R-AME-06)")
def evaluate_campaign_assessment(
    user: User, assessment: CampaignAssessment, *, evaluation: str
) -> CampaignAssessment:
    if not (evaluation or "").strip():
        refuse_if(
            Finding(
                "R-AME-06",
                "the evaluation says nothing.",
                "Write OSD's evaluation and advice to the Secretary.",
                "evaluation",
            )
        )
    return _step(
        user,
        assessment,
        CAMPAIGN_ASSESSMENT,
        "evaluate",
        {"evaluated_on": _today(user), "evaluation": evaluation},
        evaluation,
    )


@not_an_action("whether a user may assess the objectives of a campaign assessment (for pages)")
def may_assess(user: User, assessment: CampaignAssessment) -> bool:
    current = _system(CampaignAssessment, assessment.pk)
    return access.holds_role(user, assessors_of(current), _plan_owner(current))


# --- reporting reminders (issue 17 item 10) -------------------------------------------------------


def send_reporting_reminders(today: dt.date | None = None) -> list[Notification]:
    """A job the system runs (the daily task, `secoop remind_indicator_updates`): tell each
    indicator's responsible organization (its owner when none is named) that a period's update
    fell due: the period ended (the indicator's frequency made it), its baseline is recorded
    (R-AME-01) and nothing was submitted or approved for it. Once per period: a period already
    reminded about is never reminded again. Each notice is marked like the period."""
    from django.utils import timezone

    from . import findings

    today = today or timezone.localdate()
    sent: list[Notification] = []
    with transaction.atomic(), system_writes("indicator reporting reminders"):
        for row in findings.periods_to_remind(today):
            indicator = row.indicator
            org_id = indicator.responsible_org_id or indicator.owner_org_id
            sent += core.notify(
                None,
                row.period,
                [_system(Organization, org_id)],
                (
                    "Indicator update due: "
                    + (
                        name_under(row.period, indicator, "an indicator")
                        if indicator.title
                        else "an IMO measure"
                    )
                    + f" ({row.period})"
                )[:200],
                body=(
                    f"The {indicator.get_frequency_display().lower()} update for the period "
                    f"{row.period} fell due on {row.due:%d %b %Y}: enter the actual on the "
                    "indicator's page and submit it for approval."
                ),
                rule="R-AME-02",
            )
    return sent
