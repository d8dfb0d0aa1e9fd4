"""EUM actions (ARCHITECTURE invariant 2): each checks its roles (@acts) and scope, asks the pure
rules (eum/rules.py), writes the records and their change-log entries in one transaction.

Who may act (the role × action table, docs/decisions/0038-eum-end-use-monitoring.md):
- the SCO's U.S. staff monitor: enhanced-EUM inventories and inspections (SPEC §11: by the SCO or
  designated U.S. personnel), possible violations, compliance visits, the database review, the
  control plan; LE assistants enter articles, serials and reports (clerical data entry only);
- the partner records its own inventories (internal accountability), routine reports and
  end-use requests for its articles;
- the SCO's U.S. staff or the embassy's country team forward an unresolved violation to DoS PM/RSAT (R-EUM-07);
- DoS PM records the USG approval or consent (R-EUM-05/06) and closes a forwarded violation;
- an implementing agency or DSCA issues materiel notices (R-EUM-08)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models import F
from django.db.models import Max
from django.db.models import Min
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Value
from django.db.models import Window
from django.db.models.functions import RowNumber

from secoop.cases.models import DcsLicense
from secoop.cases.models import Delivery
from secoop.cases.models import EdaOffer
from secoop.core import access
from secoop.core import actions as core
from secoop.core import clock
from secoop.core.action_reads import reload_locked
from secoop.core.action_reads import system_org as _org  # eum.views reads it too
from secoop.core.action_reads import visible
from secoop.core.errors import NotPermitted
from secoop.core.formats import day
from secoop.core.markings import Classification
from secoop.core.markings import Dissemination
from secoop.core.markings import Marking
from secoop.core.markings import combine_strict
from secoop.core.models import Country
from secoop.core.models import Organization
from secoop.core.models import User
from secoop.core.permissions import Approval
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.permissions import require_role
from secoop.core.rules import Role
from secoop.core.rules import describe_roles
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import blank_text
from secoop.core.verdicts import refuse_if

from . import facts
from . import rules
from .models import Check
from .models import ComplianceVisit
from .models import ControlPlan
from .models import DatabaseReview
from .models import EndUseRequest
from .models import InvestigationNote
from .models import MaterielNotice
from .models import NoticeRecipient
from .models import PossibleViolation
from .models import RoutineReport
from .models import SerialNumber
from .models import TransferredArticle
from .rules import CheckKind
from .rules import Monitoring
from .rules import SerialStatus
from .rules import Source

MONITORS = Role.SCO
CLERICAL = Role.SCO_CLERICAL
PARTNER = Role.PURCHASER
# R-EUM-07 names the country team; the SCO sits on it (SAMM C2.1.5.6.6): its U.S. staff or the
# embassy's country team forward.
FORWARDERS = Role.SCO | {Role.COUNTRY_TEAM}
PLAN_APPROVERS = frozenset({Role.SCO_CHIEF, Role.SCO_OFFICER})
STATE = frozenset({Role.STATE_PM})
VISITORS = Role.SCO | {Role.DSCA_STAFF}
REVIEW_SIGNERS = frozenset({Role.SCO_CHIEF, Role.DSCA_STAFF})
NOTICE_ISSUERS = Role.IMPLEMENTING_AGENCY | {Role.DSCA_STAFF}


# Apply `changes` to a re-read record (inside the caller's transaction) and log it.
_write = core.apply_change


def _partner_of(user: User, country: str) -> bool:
    """The user represents the partner country (a partner representative of that country)."""
    profile = access.profile_for(user)
    return bool(
        profile and profile.person.partner_country == country and access.holds_role(user, PARTNER)
    )


def _user_org(user: User) -> Organization | None:
    """The acting user's first organization (a partner's ministry, the SCO, DoS PM)."""
    profile = access.profile_for(user)
    ids = sorted(profile.member_org_ids) if profile else []
    return Organization.objects.system().filter(pk__in=ids).order_by("pk").first()


# --- transferred articles and serials (R-EUM-01, SPEC §11 enhanced EUM) --------------------------


def _registered(article: TransferredArticle) -> list[str]:
    """Serials on record for the article's NSN in its country (trusted: the rule compares, the
    user is told only that the serial exists)."""
    return list(
        SerialNumber.objects.system()
        .filter(article__country_id=article.country_id, article__nsn=article.nsn)
        .values_list("serial", flat=True)
    )


@acts(CLERICAL, what="register a transferred article")
def register_article(
    user: User, article: TransferredArticle, *, serials: list[str] | tuple = (), reason: str = ""
) -> TransferredArticle:
    """R-EUM-01: an article from an FMS case's delivery (case, line, NSN follow the delivery) or
    entered by hand for a DCS or EDA transfer; EEUM serials validated at entry."""
    owner = _org(article.owner_org_id)
    require_role(user, CLERICAL, owner, "register a transferred article")
    if article.source == Source.FMS:
        delivery = (
            Delivery.objects.visible_to(user).filter(pk=article.delivery_id).first()
            if article.delivery_id
            else None
        )
        if delivery is None:
            raise Refused(
                Finding(
                    "R-EUM-01",
                    "an article from an FMS case comes from a delivery of the case.",
                    "Choose the delivery.",
                    field="delivery",
                )
            )
        article.case_id, article.line_id = delivery.case_id, delivery.line_id
        article.delivered_on = delivery.actual_on or article.delivered_on
        case_country = (
            type(delivery)
            .objects.system()
            .filter(pk=delivery.pk)
            .values_list("case__country_id", flat=True)[0]
        )
        refuse_if(
            rules.delivery_problem(
                article.source,
                delivery.actual_on,
                case_country,
                article.country_id,
                delivery.actual_quantity,
                article.quantity,
            )
        )
    for field, model in (("eda_offer", EdaOffer), ("dcs_license", DcsLicense)):
        pk = getattr(article, f"{field}_id")
        if pk is None:
            continue
        record = model.objects.visible_to(user).filter(pk=pk).first()
        if record is None:
            raise Refused(Finding("R-EUM-01", "choose a record you may see.", field=field))
        refuse_if(
            rules.transfer_problem(
                article.source, record.status, record.country_id, article.country_id
            )
        )
        if field == "eda_offer":  # a DCS license is the company's, never named to the partner
            article.transfer_reference = article.transfer_reference or str(record)[:60]
    refuse_if(
        [
            rules.program_problem(article.source, article.program),
            rules.serial_format_problem(article.monitoring, article.serial_format),
        ]
    )
    with transaction.atomic():
        saved = core.create_record(user, article, reason=reason)
        if serials:
            _add_serials(user, saved, serials, reason)
    return saved


def _add_serials(user: User, article: TransferredArticle, serials, reason: str) -> list:
    new = rules.clean_serials(serials)
    refuse_if(
        rules.serial_problems(
            new,
            serial_format=article.serial_format,
            monitoring=article.monitoring,
            registered=_registered(article),
            held=SerialNumber.objects.system().filter(article=article).count(),
            capacity=article.quantity,
        )
    )
    made = []
    for serial in new:
        record = SerialNumber(article=article, serial=serial)
        record.marking = article.marking
        made.append(core.create_checked(user, record, reason=reason))
    return made


@acts(CLERICAL, what="enter serial numbers of an enhanced-EUM article")
def add_serials(
    user: User, article: TransferredArticle, serials: list[str], *, reason: str = ""
) -> list[SerialNumber]:
    """SPEC §11 enhanced EUM: each serial in the article's format, never twice, no more than
    the articles delivered. All or none."""
    with transaction.atomic():
        current = reload_locked(user, article)
        require_role(user, CLERICAL, _org(current.owner_org_id), "enter serial numbers")
        if not rules.clean_serials(serials):
            raise Refused(Finding(rules.EEUM, "enter at least one serial.", field="serials"))
        return _add_serials(user, current, serials, reason)


# --- inventories and inspections -----------------------------------------------------------------


@not_an_action("predicate the views ask: may the user record this kind of check of the article")
def may_check(user: User, article: TransferredArticle, kind: str) -> bool:
    if kind == CheckKind.PARTNER:
        return _partner_of(user, article.country_id)
    return access.holds_role(user, MONITORS, _org(article.owner_org_id))


@not_an_action("the serials an inventory of the article expects (the checklist)")
def expected_serials(article: TransferredArticle, user: User) -> list[str]:
    """The serials `user` may see (the checklist shows no other): a serial hidden from the
    checker is neither present nor missing in their inventory, and never named in the check or
    in a possible violation they read (R-SEC-01..03)."""
    return list(
        SerialNumber.objects.visible_to(user)
        .filter(article=article, status__in=(SerialStatus.ON_HAND, SerialStatus.MISSING))
        .order_by("serial")
        .values_list("serial", flat=True)
    )


@acts(MONITORS | PARTNER, what="record an inventory or inspection")
def record_check(
    user: User,
    article: TransferredArticle,
    kind: str,
    *,
    on: dt.date | None = None,
    checked_by: str = "",
    findings: str = "",
    evidence: str = "",
    found: list[str] | tuple = (),
    reason: str = "",
) -> Check:
    """SPEC §11 enhanced EUM: an inventory names the serials present; one not on the article's
    list refuses the whole inventory with the reason; each expected serial not named is missing
    and opens a possible violation (R-EUM-07). An inspection records its findings."""
    article = visible(user, article)
    if kind not in CheckKind.values:
        raise Refused(Finding("", "choose the kind of check.", field="kind"))
    if not may_check(user, article, kind):
        who = (
            "a partner representative of the article's country"
            if kind == CheckKind.PARTNER
            else f"{describe_roles(MONITORS)} of the monitoring SCO"
        )
        raise NotPermitted(f"A {CheckKind(kind).label.lower()} is recorded by {who}.")
    on = clock.action_day(user, on)
    if on > clock.today_for(user):
        raise Refused(
            Finding("", "a check is recorded once done: the date is in the future.", field="on")
        )
    refuse_if(blank_text(checked_by, "", "say who checked.", "checked_by"))
    inventory = kind in rules.INVENTORY_KINDS
    result = None
    if inventory:
        if not article.is_enhanced:
            raise Refused(
                Finding(
                    rules.EEUM,
                    "serial-number inventories are for enhanced-EUM articles.",
                    "Record an inspection, or a routine report.",
                    field="kind",
                )
            )
        result, problems = rules.inventory_result(expected_serials(article, user), found)
        refuse_if(problems)
    else:
        refuse_if(
            blank_text(findings, rules.EEUM, "an inspection records its findings.", "findings")
        )
    owner = _user_org(user) if kind == CheckKind.PARTNER else _org(article.owner_org_id)
    with transaction.atomic():
        check = Check(
            article=article,
            owner_org=owner,
            kind=kind,
            checked_on=on,
            checked_by=checked_by.strip(),
            recorded_by=user,
            findings=findings,
            evidence=evidence,
            present=list(result.present) if result else [],
            missing=list(result.missing) if result else [],
        )
        # The check names serials: no reader sees it who could not read each of them (R-SEC-10).
        named = SerialNumber.objects.system().filter(
            article=article, serial__in=[*check.present, *check.missing]
        )
        check.marking = combine_strict([article.marking, *(s.marking for s in named)])
        core.create_checked(user, check, reason=reason)
        if result:
            _apply_inventory(user, article, check, result, reason)
    return check


def _apply_inventory(user, article, check, result, reason) -> None:
    serials = {s.serial: s for s in SerialNumber.objects.system().filter(article=article)}
    for serial in result.present:
        _write(
            user,
            serials[serial],
            {"status": SerialStatus.ON_HAND, "last_seen_on": check.checked_on},
            reason=reason,
        )
    open_for = set(
        PossibleViolation.objects.system()
        .filter(article=article, status__in=rules.VIOLATION_OPEN + ("forwarded",))
        .values_list("serial__serial", flat=True)
    )
    for serial in result.missing:
        record = serials[serial]
        if record.status != SerialStatus.MISSING:
            _write(user, record, {"status": SerialStatus.MISSING}, reason=reason)
        if serial in open_for:
            continue
        violation = PossibleViolation(
            article=article,
            serial=record,
            check_record=check,
            owner_org_id=article.owner_org_id,
            opened_on=check.checked_on,
            summary=f"Serial {serial} of {article.nomenclature} not found in the {check.get_kind_display().lower()}",
            timeline=[_event(user, check.checked_on, "Opened: serial not found in an inventory")],
        )
        violation.marking = combine_strict([article.marking, record.marking])  # it names the serial
        core.create_checked(user, violation, reason=reason or "opened by the inventory (R-EUM-07)")


# --- possible violations (R-EUM-07) --------------------------------------------------------------


def _event(user: User, on: dt.date, what: str) -> dict[str, Any]:
    """A timeline entry names the acting organization, not the person (the partner reads it)."""
    org = _user_org(user)
    return {"on": on.isoformat(), "what": what, "by": str(org) if org else "system"}


@acts(MONITORS, what="open a possible violation")
def open_violation(
    user: User, violation: PossibleViolation, *, reason: str = ""
) -> PossibleViolation:
    """R-EUM-07: a possible violation the SCO learned of otherwise (a report, a visit)."""
    article = visible(user, violation.article)
    require_role(user, MONITORS, _org(article.owner_org_id), "open a possible violation")
    refuse_if(blank_text(violation.summary, "R-EUM-07", "say what was observed.", "summary"))
    if violation.serial_id is not None:
        serial = (
            SerialNumber.objects.visible_to(user)
            .filter(pk=violation.serial_id, article=article)
            .first()
        )
        if serial is None:
            raise Refused(Finding("R-EUM-07", "choose a serial of this article.", field="serial"))
        # It names the serial: no reader sees it who could not read the serial (R-SEC-10).
        violation.marking = combine_strict([violation.marking, serial.marking])
    violation.owner_org_id = article.owner_org_id
    violation.opened_on = clock.action_day(user, violation.opened_on)
    violation.status = "open"
    violation.timeline = [_event(user, violation.opened_on, "Opened")]
    return core.create_record(user, violation, reason=reason)


def _step(user, violation, name, on, note, reason, changes):
    current = reload_locked(user, violation)
    refuse_if(rules.violation_step_problem(name, current.status, note))
    on = clock.action_day(user, on)
    label = rules.VIOLATION[name].label
    timeline = [*current.timeline, _event(user, on, label)]
    return _write(
        user,
        current,
        {"status": rules.VIOLATION.target(name), "timeline": timeline, **changes(current, on)},
        transition=name,
        reason=reason,
    )


@acts(MONITORS | STATE, what="investigate, resolve or close a possible violation")
def violation_step(
    user: User,
    violation: PossibleViolation,
    name: str,
    on: dt.date | None = None,
    *,
    note: str = "",
    reason: str = "",
) -> PossibleViolation:
    """R-EUM-07: the SCO investigates locally and resolves, or DoS PM/RSAT closes what was
    forwarded. An investigation note is a NOFORN record of its own (`InvestigationNote`): U.S.
    staff only, never LE staff or the partner, on every surface the door guards."""
    if name == "forward":
        return forward_violation(user, violation, on, note=note, reason=reason)
    if name == "close":
        require_role(user, STATE, None, "close a forwarded possible violation")
    else:
        require_role(
            user, MONITORS, _org(violation.owner_org_id), "investigate a possible violation"
        )

    def changes(current, day):
        if name == "investigate":
            if note.strip():
                _write_investigation_note(user, current, day, note)
            return {}
        return {"outcome": note.strip(), "closed_on": day}

    with transaction.atomic():
        return _step(user, violation, name, on, note, reason, changes)


def _write_investigation_note(user: User, violation: PossibleViolation, on: dt.date, text: str):
    # R-SEC-02/03: at least CUI, always NOFORN, whatever the violation's own marking.
    level = max(violation.marking.classification, Classification.CUI)
    note = InvestigationNote(violation=violation, written_on=on, text=text.strip())
    note.marking = Marking(level, Dissemination.NOFORN)
    core.create_record(user, note)


@acts(FORWARDERS, what="forward a possible violation to DoS PM/RSAT")
def forward_violation(
    user: User,
    violation: PossibleViolation,
    on: dt.date | None = None,
    *,
    note: str = "",
    reason: str = "",
) -> PossibleViolation:
    """R-EUM-07: a possible violation not resolved locally is forwarded by the country team to
    DoS PM/RSAT. Why it is forwarded is an investigation note (NOFORN, U.S. staff only), not the
    violation's outcome, which the partner reads (issue 18 item 8)."""
    require_role(user, FORWARDERS, _org(violation.owner_org_id), "forward a possible violation")

    def changes(current, day):
        _write_investigation_note(user, current, day, note)
        return {"forwarded_on": day}

    with transaction.atomic():
        return _step(user, violation, "forward", on, note, reason, changes)


# --- visits, reports, the database review (R-EUM-02, R-EUM-03, DODIG-2025-078) ------------------


@acts(VISITORS, what="record a compliance assessment visit")
def record_visit(user: User, visit: ComplianceVisit, *, reason: str = "") -> ComplianceVisit:
    """R-EUM-02: a DSCA compliance assessment visit, in country or virtual."""
    if visit.held_on and visit.held_on > clock.today_for(user):
        raise Refused(Finding("R-EUM-02", "record a visit once held.", field="held_on"))
    return core.create_record(user, visit, reason=reason)


@acts(CLERICAL | PARTNER, what="submit a routine EUM report")
def submit_report(user: User, report: RoutineReport, *, reason: str = "") -> RoutineReport:
    """R-EUM-03: a routine report for a quarter that has ended, by the SCO or the partner."""
    today = clock.today_for(user)
    if report.period_end and report.period_end > today:
        raise Refused(
            Finding(
                "R-EUM-03",
                "the quarter has not ended yet.",
                "Report it once ended.",
                field="period_end",
            )
        )
    if access.holds_role(user, PARTNER) and not _partner_of(user, report.country_id):
        raise NotPermitted("A partner reports for its own country only.")
    report.submitted_on = today
    return core.create_record(user, report, reason=reason)


@acts(VISITORS, what="record the quarterly EUM database review")
def record_review(user: User, review: DatabaseReview, *, reason: str = "") -> DatabaseReview:
    """DODIG-2025-078: a documented, auditable review of the EUM database."""
    refuse_if(blank_text(review.checked, "R-EUM-01", "say what was checked.", "checked"))
    review.reviewer = user
    return core.create_record(user, review, reason=reason)


@not_an_action("predicate the review page asks: may the user sign this review off")
def may_sign_off(user: User, review: DatabaseReview) -> bool:
    return access.holds_role(user, {Role.DSCA_STAFF}) or access.holds_role(
        user, {Role.SCO_CHIEF}, _org(review.owner_org_id)
    )


@acts(
    REVIEW_SIGNERS,
    what="sign off the quarterly EUM database review",
    approves=Approval("EUM database review"),
)
def sign_off_review(
    user: User, review: DatabaseReview, on: dt.date | None = None, *, reason: str = ""
) -> DatabaseReview:
    """A second person signs the review off (R-SEC-11: the decorator refuses its author)."""
    with transaction.atomic():
        current = reload_locked(user, review)
        # The SCO chief of the SCO that reviewed (or a chief above it), or DSCA staff, who
        # oversee EUM everywhere; never another country's SCO chief.
        if not may_sign_off(user, current):
            raise NotPermitted(
                "You cannot sign this review off: that takes the SCO chief of "
                f"{_org(current.owner_org_id)} or DSCA staff."
            )
        if current.signed_off_on:
            raise Refused(Finding("", "this review is already signed off.", field="signed_off_on"))
        return _write(
            user,
            current,
            {"signed_off_by": user, "signed_off_on": clock.action_day(user, on)},
            transition="sign off",
            reason=reason,
        )


# --- the control plan (R-EUM-04) ------------------------------------------------------------------


@acts(CLERICAL, what="write an EUM control plan")
def create_control_plan(user: User, plan: ControlPlan, *, reason: str = "") -> ControlPlan:
    if ControlPlan.objects.system().filter(country_id=plan.country_id).exists():
        raise Refused(
            Finding("R-EUM-04", "this country has its control plan: edit it.", field="country")
        )
    return core.create_record(user, plan, reason=reason)


@acts(CLERICAL, what="change an EUM control plan")
def update_control_plan(
    user: User, plan: ControlPlan, changes: dict[str, Any], *, reason: str = ""
) -> ControlPlan:
    """A changed plan is approved again."""
    if set(changes) & set(rules.CONTROL_PLAN_ELEMENTS):
        changes = {**changes, "approved_on": None}
    return core.update_record(user, plan, changes, reason=reason)


@acts(PLAN_APPROVERS, what="approve an EUM control plan", approves=Approval("EUM control plan"))
def approve_control_plan(
    user: User, plan: ControlPlan, on: dt.date | None = None, *, reason: str = ""
) -> ControlPlan:
    """R-EUM-04: approved once it covers every element, by someone who did not write it (R-SEC-11)."""
    with transaction.atomic():
        current = reload_locked(user, plan)
        require_role(user, PLAN_APPROVERS, _org(current.owner_org_id), "approve the control plan")
        refuse_if(
            rules.control_plan_problems(
                {k: getattr(current, k) for k in rules.CONTROL_PLAN_ELEMENTS}
            )
        )
        return _write(
            user,
            current,
            {"approved_on": clock.action_day(user, on)},
            transition="approve",
            reason=reason,
        )


# --- change of end use and third-party transfer (R-EUM-05, R-EUM-06) ------------------------------


@acts(CLERICAL | PARTNER, what="request a change of end use or a third-party transfer")
def request_end_use(user: User, req: EndUseRequest, *, reason: str = "") -> EndUseRequest:
    article = visible(user, req.article)
    if access.holds_role(user, PARTNER):
        if not _partner_of(user, article.country_id):
            raise NotPermitted("A partner asks for its own articles only.")
    else:
        require_role(user, CLERICAL, _org(article.owner_org_id), "enter an end-use request")
    # "Requested by" is who asks: an organization the user asks for (their SCO, their ministry),
    # never one they merely name, such as DSCA or another country's ministry.
    if not access.holds_role(user, CLERICAL | PARTNER, _org(req.owner_org_id)):
        raise NotPermitted(
            "You request for your own organization only (your SCO or your ministry)."
        )
    if req.quantity and req.quantity > article.quantity:
        raise Refused(
            Finding(
                rules.rule_of(req.kind), f"the article counts {article.quantity}.", field="quantity"
            )
        )
    req.status = "requested"
    req.requested_on = clock.action_day(user, req.requested_on)
    return core.create_checked(user, req, reason=reason)


@acts(STATE, what="record the USG decision on an end-use request")
def decide_end_use(
    user: User,
    req: EndUseRequest,
    name: str,
    on: dt.date | None = None,
    *,
    reference: str = "",
    reason: str = "",
) -> EndUseRequest:
    """R-EUM-05/06: DoS PM/RSAT approves (or consents in writing to) the request, or refuses it."""
    with transaction.atomic():
        current = reload_locked(user, req)
        problem = (
            rules.END_USE.problem(name, current.status)
            if name in ("approve", "refuse")
            else "choose approve or refuse."
        )
        if problem:
            raise Refused(Finding(rules.rule_of(current.kind), problem, field="status"))
        if name == "approve":
            refuse_if(rules.approval_problem(current.kind, reference, current.recipient))
        return _write(
            user,
            current,
            {
                "status": rules.END_USE.target(name),
                "decided_on": clock.action_day(user, on),
                "reference": reference.strip(),
            },
            transition=name,
            reason=reason,
        )


@acts(CLERICAL | PARTNER, what="record that an approved end-use request was carried out")
def complete_end_use(
    user: User,
    req: EndUseRequest,
    on: dt.date | None = None,
    *,
    demil_standard: str = "",
    condition_before: str = "",
    condition_after: str = "",
    serials: list[str] | tuple = (),
    reason: str = "",
) -> EndUseRequest:
    """R-EUM-05/06: refused without the prior approval; the demil standard and the conditions
    before and after where they apply; the serials named leave the monitored inventory."""
    with transaction.atomic():
        current = reload_locked(user, req)
        article = TransferredArticle.objects.system().get(pk=current.article_id)
        if access.holds_role(user, PARTNER):
            if not _partner_of(user, article.country_id):
                raise NotPermitted("A partner records its own articles only.")
        else:
            require_role(user, CLERICAL, _org(article.owner_org_id), "record the end use")
        day = clock.action_day(user, on)
        refuse_if(
            rules.proceed_problems(
                current.kind,
                current.status,
                current.decided_on,
                day,
                current.environmental_agreement,
                condition_before,
                condition_after,
                demil_standard,
            )
        )
        names = rules.clean_serials(serials)
        # The serials the user may see: a hidden one is "not a serial of this article" to them,
        # never written to, and its existence never confirmed by the answer (decision 0047).
        known = {
            s.serial: s
            for s in SerialNumber.objects.visible_to(user).filter(article=article, serial__in=names)
        }
        unknown = [s for s in names if s not in known]
        if unknown:
            raise Refused(
                Finding(
                    rules.rule_of(current.kind),
                    f"not serials of this article: {', '.join(unknown)}.",
                    field="serials",
                )
            )
        gone = (
            SerialStatus.TRANSFERRED
            if current.kind == rules.RequestKind.THIRD_PARTY
            else SerialStatus.DISPOSED
        )
        for serial in known.values():
            _write(user, serial, {"status": gone, "last_seen_on": day}, reason=reason)
        return _write(
            user,
            current,
            {
                "status": "completed",
                "carried_out_on": day,
                "demil_standard": demil_standard.strip(),
                "condition_before": condition_before.strip(),
                "condition_after": condition_after.strip(),
            },
            transition="complete",
            reason=reason,
        )


# --- materiel notices (R-EUM-08) -----------------------------------------------------------------


@acts(NOTICE_ISSUERS, what="draft a materiel notice")
def create_notice(user: User, notice: MaterielNotice, *, reason: str = "") -> MaterielNotice:
    return core.create_record(user, notice, reason=reason)


def _naming(rows, fields: tuple[str, ...], words: list[str]):
    """The rows whose `fields` could name the same system as one of `words` (rules.matches: either
    contains the other, case aside), chosen by the database so that only candidates are read —
    rules.matches still decides (the database's case folding may differ for non-ASCII letters)."""
    words = [w.strip() for w in words if w and w.strip()]
    where = Q()
    aliases = {f"_word{i}": Value(w) for i, w in enumerate(words)}
    for name in aliases:
        for field in fields:
            where |= Q(**{f"{field}__icontains": aliases[name].value}) | (
                ~Q(**{field: ""}) & Q(**{f"{name}__icontains": F(field)})
            )
    return rows.alias(**aliases).filter(where) if words else rows.none()


@not_an_action("reads, through the user's door, who showed interest in the notice's item")
def proposed_recipients(user: User, notice: MaterielNotice) -> dict[str, str]:
    """R-EUM-08: the countries whose FMS case lines bought the item, whose P&A requests named it,
    or whose monitored articles are a related system, each with its reason. Only the rows that
    could match are read (a case line a country bought is one of 500,000 at enterprise scale)."""
    from secoop.cases.models import CaseLine
    from secoop.cases.models import LetterOfRequest

    related = [*notice.related_terms.split(",")]
    purchases: dict[str, list[str]] = {}
    for country, item in _naming(
        CaseLine.objects.visible_to(user), ("item",), [notice.item]
    ).values_list("case__country_id", "item"):
        purchases.setdefault(country, []).append(item)
    pa: dict[str, list[str]] = {}
    for country, items, title in _naming(
        LetterOfRequest.objects.visible_to(user).filter(request_type="pa"),
        ("requested_items", "title"),
        [notice.item],
    ).values_list("country_id", "requested_items", "title"):
        pa.setdefault(country, []).extend([items, title])
    holdings: dict[str, list[str]] = {}
    for country, item in _naming(
        TransferredArticle.objects.visible_to(user), ("nomenclature",), [notice.item, *related]
    ).values_list("country_id", "nomenclature"):
        holdings.setdefault(country, []).append(item)
    return rules.propose_recipients(notice.item, related, purchases, pa, holdings)


@acts(NOTICE_ISSUERS, what="add a country to a materiel notice")
def add_recipient(
    user: User, notice: MaterielNotice, recipient: NoticeRecipient, *, reason: str = ""
) -> NoticeRecipient:
    """R-EUM-08: only a country that showed interest (the reason is the proposed one) and is
    eligible under the National Disclosure Policy; others are refused."""
    with transaction.atomic():
        current = reload_locked(user, notice)
        require_role(user, NOTICE_ISSUERS, _org(current.owner_org_id), "change this notice")
        if current.issued_on:
            raise Refused(Finding("R-EUM-08", "the notice is issued: its list no longer changes."))
        proposed = proposed_recipients(user, current)
        reason_shown = proposed.get(recipient.country_id, "")
        refuse_if(rules.recipient_problem(reason_shown, recipient.eligible))
        recipient.notice = current
        recipient.reason = reason_shown
        recipient.marking = current.marking
        return core.create_record(user, recipient, reason=reason)


@acts(NOTICE_ISSUERS, what="issue a materiel notice")
def issue_notice(
    user: User, notice: MaterielNotice, on: dt.date | None = None, *, reason: str = ""
) -> MaterielNotice:
    """R-EUM-08: issued with its rationale, LOR deadline, final LOA acceptance date and list."""
    with transaction.atomic():
        current = reload_locked(user, notice)
        require_role(user, NOTICE_ISSUERS, _org(current.owner_org_id), "issue this notice")
        if current.issued_on:
            raise Refused(Finding("R-EUM-08", "the notice is already issued."))
        countries = list(
            NoticeRecipient.objects.system()
            .filter(notice=current)
            .order_by("country_id")
            .values_list("country_id", flat=True)
        )
        refuse_if(
            rules.notice_problems(
                current.rationale, current.lor_deadline, current.loa_acceptance_by, len(countries)
            )
        )
        issued = _write(
            user,
            current,
            {"issued_on": clock.action_day(user, on)},
            transition="issue",
            reason=reason,
        )
        _send_notice(user, issued, countries)
        return issued


def _send_notice(user: User, notice: MaterielNotice, countries: list[str]) -> None:
    """R-EUM-08: each country on the list is told what the notice states (the item, the rationale,
    the LOR deadline, the final LOA acceptance date). What it is told is released to it alone;
    the notice itself, with the other countries on its list and why, stays internal. The
    country's SCO is told too, about the notice it may open."""
    from secoop.cases.actions import _partner_orgs
    from secoop.cases.actions import sco_orgs

    subject = f"Materiel notice: {notice.item}"
    body = (
        f"{notice.item} is offered to your country.\n{notice.rationale}\n"
        f"To ask for it, send a letter of request by {day(notice.lor_deadline)}; "
        f"the final date to accept the LOA is {day(notice.loa_acceptance_by)}."
    )
    names = dict(Country.objects.filter(pk__in=countries).values_list("pk", "name"))
    for country in countries:
        core.notify(
            user, notice, _partner_orgs(country), subject, body=body, rule="R-EUM-08",
            released_to=country,
        )  # fmt: skip
        core.notify(
            user,
            notice,
            sco_orgs(country),
            f"{subject} issued to {names.get(country, country)}",
            body=body,
            rule="R-EUM-08",
        )


# --- what is due (R-EUM-02, R-EUM-03, SPEC §11, DODIG-2025-078) ---------------------------------


@not_an_action("computes what falls due for a country's EUM, from the records the user may see")
def dues_for_country(user: User, country: str, today: dt.date) -> list[rules.Due]:
    """A country's EUM dates from the dated facts, read through the user's door: each EEUM
    article's next U.S. inventory, the latest date of the next CAV, the next routine report, and
    (for U.S. staff who read the internal review, never LE staff or partners: ANSWERS, a hidden
    step is not "never done") the next quarterly database review."""
    return dues_for_countries(user, [country], today)[country]


@not_an_action("computes what falls due for countries' EUM, from the records the user may see")
def dues_for_countries(user: User, countries: list[str], today: dt.date) -> dict[str, list]:
    """dues_for_country for each of `countries`, each side read once for all of them (issue 15
    item 4: the home page ran five queries a country, up to twenty countries)."""
    intervals = facts.intervals(today)
    out: dict[str, list[rules.Due]] = {c: [] for c in countries}
    articles_of: dict[str, list[TransferredArticle]] = {}
    for article in TransferredArticle.objects.visible_to(user).filter(
        country_id__in=countries, monitoring=Monitoring.ENHANCED
    ):
        articles_of.setdefault(article.country_id, []).append(article)
    if not articles_of:
        return out
    last_by_article = dict(
        Check.objects.visible_to(user)
        .filter(
            article__in=[a.pk for group in articles_of.values() for a in group],
            kind__in=(CheckKind.INITIAL, CheckKind.ANNUAL),
        )
        .order_by()
        .values("article_id")
        .annotate(last=Max("checked_on"))
        .values_list("article_id", "last")
    )
    lasts = _country_lasts(user, list(articles_of))
    for country, articles in articles_of.items():
        first = min(a.delivered_on for a in articles)
        out[country] = [
            _inventory_due(a, last_by_article.get(a.pk), today, intervals) for a in articles
        ] + _country_dues(user, first, today, intervals, lasts.get(country, {}))
    return out


def _inventory_due(article, last: dt.date | None, today: dt.date, intervals) -> rules.Due:
    """SPEC §11: the article's next U.S. serial inventory, from its last one (or its delivery)."""
    kind, when = rules.next_inventory_due(
        article.delivered_on, last, intervals.initial_days, intervals.annual_months
    )
    return rules.due(f"{CheckKind(kind).label}: {article}", when, rules.EEUM, today, article.pk)


def _country_dues(
    user: User, first: dt.date, today: dt.date, intervals, lasts: dict[str, dt.date]
) -> list:
    """The country-wide dates (R-EUM-02, R-EUM-03, R-EUM-01), counted from the last visit, report
    and review the user may see (`lasts`: as _country_lasts read them), or from the country's
    first enhanced-EUM delivery."""
    out: list[rules.Due] = []
    _, latest = rules.cav_window(
        lasts.get("held_on"),
        first,
        intervals.cav_min_months,
        intervals.cav_max_months,
    )
    out.append(rules.due("Compliance assessment visit", latest, "R-EUM-02", today))
    last_report = lasts.get("period_end")
    out.append(
        rules.due(
            "Routine EUM report",
            rules.every_months(last_report, first, intervals.report_months),
            "R-EUM-03",
            today,
        )
    )
    if _may_see_reviews(user):
        last_review = lasts.get("reviewed_on")
        out.append(
            rules.due(
                "Quarterly EUM database review",
                rules.every_months(last_review, first, intervals.review_months),
                "R-EUM-01",
                today,
            )
        )
    return out


@not_an_action("computes what falls due first for each country's EUM, from what the user may see")
def first_dues_by_country(
    user: User, countries: list[str], today: dt.date, shown: int
) -> dict[str, tuple[list[rules.Due], int]]:
    """The EUM home's dues of each country that has enhanced-EUM articles (issue 15 item 4: a
    fixed number of queries, bounded by the page, not by the countries or the articles): the
    `shown` inventories that fall due first (earliest first; ties by the date counted from, then
    the article), the country-wide dates, and how many further articles the list holds. Exactly
    dues_for_country's, in that order and cut at `shown`."""
    intervals = facts.intervals(today)
    articles = TransferredArticle.objects.visible_to(user).filter(
        country_id__in=countries, monitoring=Monitoring.ENHANCED
    )
    totals = {
        c: (n, first)
        for c, n, first in articles.order_by()
        .values_list("country_id")
        .annotate(n=Count("pk"), first=Min("delivered_on"))
    }
    last = Subquery(
        Check.objects.visible_to(user)
        .filter(article=OuterRef("pk"), kind__in=(CheckKind.INITIAL, CheckKind.ANNUAL))
        .order_by("-checked_on")
        .values("checked_on")[:1]
    )
    # The next inventory is monotonic in the date it counts from, within each kind (initial:
    # from delivery; annual: from the last one), so each country's first `shown` of the two
    # kinds hold its first `shown` of all.
    firsts: dict[str, list] = {}
    for never, since in ((True, "delivered_on"), (False, "last")):
        order = [F(since).asc(), F("pk").asc()]
        for a in (
            articles.annotate(last=last)
            .filter(last__isnull=never)
            .annotate(rank=Window(RowNumber(), partition_by=F("country_id"), order_by=order))
            .filter(rank__lte=shown)
        ):
            due = _inventory_due(a, a.last, today, intervals)
            firsts.setdefault(a.country_id, []).append((due, a.last or a.delivered_on))
    lasts = _country_lasts(user, list(totals))
    out = {}
    for country, (n, first) in totals.items():
        mine = sorted(firsts.get(country, []), key=lambda d: (d[0].due, d[1], d[0].article))
        mine = mine[:shown]
        dues = [d for d, _ in mine]
        dues += _country_dues(user, first, today, intervals, lasts.get(country, {}))
        out[country] = (dues, n - len(mine))
    return out


def _may_see_reviews(user: User) -> bool:
    """ANSWERS: U.S. staff who read the internal review, never LE staff or partners."""
    profile = access.profile_for(user)
    return bool(profile and profile.person.audience == "USG" and not profile.person.is_le_staff)


_LASTS = (
    (ComplianceVisit, "held_on"),
    (RoutineReport, "period_end"),
    (DatabaseReview, "reviewed_on"),
)


def _country_lasts(user: User, countries: list[str]) -> dict[str, dict[str, dt.date]]:
    """The last visit, report and review of each country that the user may see, one grouped
    query each (the fields are never empty, so the latest is the maximum)."""
    out: dict[str, dict[str, dt.date]] = {c: {} for c in countries}
    for model, field in _LASTS:
        if model is DatabaseReview and not _may_see_reviews(user):
            continue
        for country, on in (
            model.objects.visible_to(user)
            .filter(country_id__in=countries)
            .order_by()
            .values_list("country_id")
            .annotate(on=Max(field))
        ):
            out[country][field] = on
    return out
