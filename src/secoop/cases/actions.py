"""FMS case actions (ARCHITECTURE invariant 2): every write of a cases record goes through here.

Each function checks the permission, checks the rules (a Refused names the rule id and the
fix), writes the change with its change-log entry (and, for milestones, a significant event,
R-FMS-06) in one transaction. Views and the API call these; they never set a status.

Who acts:
* the SCO of the purchaser's country (an editing role in an SCO organization of that country):
  enters and routes LORs, drafts/coordinates/transmits CTAs, advises IA and DSCA (R-FMS-08);
* the implementing agency that owns the case (an editing role in it or above): validates LORs,
  builds the LOA, moves its milestones, records deliveries, shipments, reviews, documents;
* the purchaser (a partner representative of that country) or the IA on its behalf: records
  acceptance or rejection, accepts amendments; partners submit LORs and SDRs.

Entry points:
    create(user, record)                        any cases record, with its rule checks
    update(user, record, changes)               editable fields (R-FMS-03 after the offer)
    delete(user, record)                        refused inside the retention period (R-FMS-07)
    route_lor / validate_lor / return_lor       R-FMS-01
    coordinate_cta / transmit_cta               R-FMS-02
    milestone(user, case, action, on=, **data)  the LOA lifecycle (rules.TRANSITIONS)
    notify_ia_and_dsca(user, case, on=)         R-FMS-08
    propose_change / accept_change              amendments, modifications, restatements
    record_delivery, reply_sdr, complete_plan_item
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import BooleanField
from django.db.models import Case
from django.db.models import Count
from django.db.models import DurationField
from django.db.models import ExpressionWrapper
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Coalesce

from secoop.core import access
from secoop.core import actions as core
from secoop.core import clock
from secoop.core.action_reads import locked
from secoop.core.action_reads import reload_locked
from secoop.core.action_reads import system_org
from secoop.core.action_reads import visible
from secoop.core.clock import acting_today as today
from secoop.core.errors import NotPermitted
from secoop.core.formats import day
from secoop.core.markings import Classification
from secoop.core.models import MarkedModel
from secoop.core.models import Membership
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind
from secoop.core.models import User
from secoop.core.models.changelog import ChangeAction
from secoop.core.permissions import REGISTRY
from secoop.core.permissions import Approval
from secoop.core.permissions import acts
from secoop.core.permissions import not_an_action
from secoop.core.permissions import require_role
from secoop.core.rules import Role
from secoop.core.rules import describe_roles
from secoop.core.verdicts import Finding
from secoop.core.verdicts import Refused
from secoop.core.verdicts import refuse_if

from . import facts
from . import rules
from .models import INTERNAL_KINDS
from .models import AodDelayReason
from .models import CaseAmendment
from .models import CaseCost
from .models import CaseDocument
from .models import CaseDocumentKind
from .models import CaseEvent
from .models import CaseLine
from .models import CaseNote
from .models import CaseReview
from .models import ClssaRequisition
from .models import CountryTeamAssessment
from .models import CtaCriterion
from .models import CtaElement
from .models import CtaStatus
from .models import DcsLicense
from .models import DcsStatus
from .models import Delivery
from .models import EdaOffer
from .models import EdaStatus
from .models import EmergencyImplementation
from .models import EmergencyStatus
from .models import FmsCase
from .models import IlcoRouting
from .models import LetterOfRequest
from .models import LoaType
from .models import LorStatus
from .models import MasterPlanItem
from .models import PaymentScheduleEntry
from .models import SdrStatus
from .models import Shipment
from .models import SupplyDiscrepancyReport
from .models import VersionStatus
from .rules import ChangeKind
from .rules import Status

# --- who may act --------------------------------------------------------------------------------


def sco_orgs(country_id: str) -> list[Organization]:
    return list(
        Organization.objects.system().filter(kind=OrganizationKind.SCO, country_id=country_id)
    )


# The roles each kind of actor holds (SPEC §1; ARCHITECTURE invariant 9). The SCO's locally
# employed assistants enter records (an LOR received, a document) but never route, assess,
# advise the IA/DSCA or record a decision (R-SEC-02, R-SEC-11).
SCO = Role.SCO
SCO_CLERICAL = Role.SCO_CLERICAL
IA = Role.IMPLEMENTING_AGENCY
PURCHASER = Role.PURCHASER
ANY_CASE_WRITER = SCO_CLERICAL | IA | PURCHASER


def _may_write_any(user: User, orgs, roles=ANY_CASE_WRITER) -> bool:
    """Whether `user` holds one of `roles` in one of `orgs` (or above it)."""
    return any(access.holds_role(user, roles, o) for o in orgs if o is not None)


def _require(user: User, orgs, what: str, roles=IA) -> None:
    if not _may_write_any(user, orgs, roles):
        names = ", ".join(str(o) for o in orgs if o is not None) or "the responsible organization"
        raise NotPermitted(f"Only a {describe_roles(roles)} in {names} can {what}.")


def _partner_orgs(country_id: str) -> list[Organization]:
    return list(
        Organization.objects.system().filter(kind=OrganizationKind.PARTNER, country_id=country_id)
    )


def _ia(case: FmsCase) -> Organization:
    return Organization.objects.system().get(pk=case.owner_org_id)


def _dsca_orgs() -> list[Organization]:
    """DSCA itself, not the organizations under it (e.g. its university)."""
    return list(
        Organization.objects.system()
        .filter(kind=OrganizationKind.DSCA)
        .exclude(parent__kind=OrganizationKind.DSCA)
    )


@not_an_action("predicate the views ask to show the SCO's buttons")
def may_act_as_sco(user: User, country_id: str) -> bool:
    return _may_write_any(user, sco_orgs(country_id), SCO)


@not_an_action("predicate the views ask to show the implementing agency's buttons")
def may_act_as_ia(user: User, case: FmsCase) -> bool:
    return access.holds_role(user, IA, _ia(case))


@not_an_action("predicate the views ask to show the purchaser's buttons")
def may_act_as_purchaser(user: User, case: FmsCase) -> bool:
    return _may_write_any(user, _partner_orgs(case.country_id), PURCHASER) or may_act_as_ia(
        user, case
    )


@not_an_action("what the views and the API show: the milestones this user may take now")
def milestones_now(user: User, case: FmsCase, on: dt.date) -> list[str]:
    """The LOA's milestones that the table allows now (an offer lapsed at its OED may be
    reactivated), that milestone's roles permit, and that the user's organization may take: the
    purchaser's acceptance or rejection, the implementing agency's every other step."""
    allowed = rules.next_actions(case.status, rules.is_lapsed(case.status, case.oed, on))
    if not allowed or not REGISTRY["secoop.cases.actions.milestone"].permits(user):
        return []
    may_purchase = any(a in rules.PURCHASER_MILESTONES for a in allowed) and (
        may_act_as_purchaser(user, case)
    )
    may_ia = may_act_as_ia(user, case)
    return [a for a in allowed if (may_purchase if a in rules.PURCHASER_MILESTONES else may_ia)]


# --- writing helpers -------------------------------------------------------------------------------


# Apply `changes` to a reloaded record (inside the caller's transaction) and log it.
_write = core.apply_change


def _event(
    user: User | None, case: FmsCase, summary: str, on: dt.date, kind: str = "milestone"
) -> CaseEvent:
    """R-FMS-06: the chronological history of significant events, written beside the change."""
    event = CaseEvent(case=case, on=on, kind=kind, summary=summary[:300])
    event.marking = case.marking
    event.full_clean()
    event.save()
    core.log_change(
        user, event, ChangeAction.CREATE, None, core.snapshot(event), "significant event"
    )
    return event


# --- LOR (R-FMS-01) and its derived facts --------------------------------------------------------


LOR_RULE_FIELDS = (
    "country",
    "received_on",
    "requested_items",
    "estimated_value",
    "implementing_agency",
    "request_type",
)


def lor_values(lor: LetterOfRequest) -> dict[str, object]:
    """The LOR's fields that R-FMS-01 checks (related records by id), as rules.lor_incomplete takes them."""
    return {name: lor._meta.get_field(name).value_from_object(lor) for name in LOR_RULE_FIELDS}


def lor_notification(lor: LetterOfRequest, on: dt.date | None = None) -> rules.Notification:
    """§11 36(b): flags and lead days of the sale this LOR asks for."""
    return facts.notification(
        lor.country_id,
        lor.mde_value or Decimal("0"),
        lor.estimated_value or Decimal("0"),
        lor.design_construction_value or Decimal("0"),
        on,
    )


def case_notification(
    case: FmsCase, lines: list[CaseLine], on: dt.date | None = None
) -> rules.Notification:
    """§11 36(b) for the LOA itself: MDE from its MDE lines, articles and services from all lines."""
    total = sum((ln.total_value for ln in lines), Decimal("0"))
    mde = sum((ln.total_value for ln in lines if ln.mde), Decimal("0"))
    dc = sum((ln.total_value for ln in lines if ln.design_construction), Decimal("0"))
    return facts.notification(case.country_id, mde, total, dc, on)


def cta_reasons(lor: LetterOfRequest, on: dt.date | None = None) -> list[rules.Criterion]:
    """R-FMS-02: the CTA criteria (data) this LOR meets — when a CTA is needed, and why."""
    flags = dict(lor.flags)
    flags["notification_36b"] = lor_notification(lor, on).required
    criteria = [c.as_rule() for c in CtaCriterion.objects.filter(active=True).order_by("code")]
    return rules.cta_reasons(flags, criteria)


def validation_due(lor: LetterOfRequest) -> dt.date | None:
    """§11 LOR validation: the goal counts from the implementing agency's receipt (the SCO's
    receipt for an LOR recorded before the IA's was)."""
    start = lor.ia_received_on or lor.received_on
    if start is None:
        return None
    return rules.validation_due(start, facts.days(facts.LOR_VALIDATION, start, "R-FMS-01"))


def _is_ia_with_code(org: Organization | None) -> bool:
    return (
        org is not None
        and org.kind == OrganizationKind.IMPLEMENTING_AGENCY
        and bool(org.implementing_agency_code)
    )


def check_lor(lor: LetterOfRequest) -> None:
    routed = None
    if lor.implementing_agency_id is not None:
        routed = _is_ia_with_code(
            Organization.objects.system().filter(pk=lor.implementing_agency_id).first()
        )
    refuse_if(rules.lor_problem(routed, lor.estimated_value, lor.mde_value))


@acts(SCO, what="route an LOR to an implementing agency")
def route_lor(
    user: User,
    lor: LetterOfRequest,
    implementing_agency: Organization | None = None,
    *,
    on: dt.date | None = None,
    reason: str = "",
) -> LetterOfRequest:
    """The SCO routes a received LOR to an IA; it must then be complete (R-FMS-01)."""
    with locked(user, lor) as current:
        _require(user, sco_orgs(current.country_id), "route an LOR to an implementing agency", SCO)
        if not rules.LOR.allows("route", current.status):
            raise Refused(
                Finding(
                    "R-FMS-01",
                    f"this LOR is {current.get_status_display()}: only a received or returned LOR is routed.",
                )
            )
        if implementing_agency is not None:
            current.implementing_agency = implementing_agency
        check_lor(current)
        refuse_if(rules.lor_incomplete(lor_values(current)))
        on = clock.action_day(user, on, current.received_on)
        refuse_if(
            rules.date_order_problem(
                {"received_on": current.received_on, "ia_received_on": on},
                (("received_on", "LOR received"), ("ia_received_on", "routing to the IA")),
            )
        )
        _write(
            user,
            current,
            {"status": LorStatus.SUBMITTED, "ia_received_on": on},
            transition="route",
            reason=reason,
        )
        due = validation_due(current)
        core.notify(
            user,
            current,
            [Organization.objects.system().get(pk=current.implementing_agency_id)],
            f"LOR “{current.title}” routed to you for validation",
            rule="R-FMS-01",
            body=f"Validate it and record it as a customer request{f' by {day(due)}' if due else ''}.",
        )
    return current


@acts(IA, what="validate an LOR")
def validate_lor(
    user: User,
    lor: LetterOfRequest,
    on: dt.date | None = None,
    *,
    complete_on: dt.date | None = None,
    reason: str = "",
) -> LetterOfRequest:
    """The IA validates a routed LOR and records it as a customer request (5-day goal, §11)."""
    with locked(user, lor) as current:
        on = clock.action_day(user, on, current.received_on)
        if current.implementing_agency_id is None:
            raise Refused(
                Finding(
                    "R-FMS-01",
                    "the LOR is not routed to an implementing agency yet: the SCO routes it first.",
                )
            )
        _require(
            user,
            [Organization.objects.system().get(pk=current.implementing_agency_id)],
            "validate an LOR routed to it",
        )
        if not rules.LOR.allows("validate", current.status):
            raise Refused(
                Finding(
                    "R-FMS-01",
                    f"this LOR is {current.get_status_display()}: only a submitted LOR is validated.",
                )
            )
        refuse_if(rules.lor_validation_problem(current.received_on, on))
        # The LOR-complete date is its own date (the AOD counts from it); by default the day the
        # LOR is validated.
        complete_on = complete_on or on
        refuse_if(rules.lor_complete_problem(current.received_on, complete_on, on))
        _write(
            user,
            current,
            {
                "status": LorStatus.VALIDATED,
                "validated_on": on,
                "validated_by": user,
                "complete_on": complete_on,
            },
            transition="validate",
            reason=reason,
        )
    return current


@acts(IA, what="return an LOR")
def return_lor(user: User, lor: LetterOfRequest, *, reason: str) -> LetterOfRequest:
    refuse_if(rules.lor_return_problem(reason))
    with locked(user, lor) as current:
        if current.implementing_agency_id is None or not rules.LOR.allows("return", current.status):
            raise Refused(
                Finding(
                    "R-FMS-01", "only an LOR submitted to an implementing agency can be returned."
                )
            )
        _require(
            user,
            [Organization.objects.system().get(pk=current.implementing_agency_id)],
            "return an LOR routed to it",
        )
        _write(user, current, {"status": LorStatus.RETURNED}, transition="return", reason=reason)
    return current


# --- CTA (R-FMS-02) --------------------------------------------------------------------------


def cta_element_codes(lor: LetterOfRequest) -> list[str]:
    flags = lor.flags
    return [
        e.code
        for e in CtaElement.objects.filter(active=True).order_by("number")
        if not e.only_when or flags.get(e.only_when)
    ]


@acts(SCO, what="coordinate a CTA")
def coordinate_cta(
    user: User, cta: CountryTeamAssessment, with_whom: str, on: dt.date | None = None
) -> CountryTeamAssessment:
    on = on or today(user)
    with locked(user, cta) as current:
        _require(user, sco_orgs(current.lor.country_id), "coordinate a CTA", SCO)
        if not rules.CTA.allows("coordinate", current.status):
            raise Refused(Finding("R-FMS-02", "this CTA was already coordinated."))
        missing = rules.cta_missing_elements(current.elements or {}, cta_element_codes(current.lor))
        labels = {
            e.code: f"{e.number}. {e.text}" for e in CtaElement.objects.filter(code__in=missing)
        }
        refuse_if(rules.cta_coordination_problem(with_whom, [labels[c] for c in missing]))
        _write(
            user,
            current,
            {
                "status": CtaStatus.COORDINATED,
                "coordinated_on": on,
                "coordinated_with": with_whom.strip(),
            },
            transition="coordinate",
        )
    return current


@acts(SCO, what="transmit a CTA")
def transmit_cta(
    user: User, cta: CountryTeamAssessment, on: dt.date | None = None, *, with_lor: bool = True
) -> CountryTeamAssessment:
    """To DSCA and the DoD component, with the LOR or as a follow-on; at most the max age (§11)."""
    on = on or today(user)
    with locked(user, cta) as current:
        _require(user, sco_orgs(current.lor.country_id), "transmit a CTA", SCO)
        if not rules.CTA.allows("transmit", current.status):
            raise Refused(
                Finding(
                    "R-FMS-02", "coordinate the CTA with the country team before transmitting it."
                )
            )
        max_age = facts.days(facts.CTA_MAX_AGE, on, "R-FMS-02")
        refuse_if(rules.cta_transmission_problem(current.dated, on, max_age))
        # SPEC §11 CTA elements: an element added since coordination (e.g. an NVD element) is
        # answered before the CTA leaves; the item-specific ones follow the LOR's flags.
        missing = rules.cta_missing_elements(current.elements or {}, cta_element_codes(current.lor))
        if missing:
            labels = {
                e.code: f"{e.number}. {e.text}" for e in CtaElement.objects.filter(code__in=missing)
            }
            raise Refused(
                Finding(
                    "R-FMS-02",
                    f"answer every CTA element before transmitting it: {'; '.join(labels[c] for c in missing)}.",
                    field="elements",
                )
            )
        _write(
            user,
            current,
            {"status": CtaStatus.TRANSMITTED, "transmitted_on": on, "with_lor": with_lor},
            transition="transmit",
        )
    return current


# --- the LOA ---------------------------------------------------------------------------------------


def ia_codes() -> list[str]:
    return list(
        Organization.objects.system()
        .filter(kind=OrganizationKind.IMPLEMENTING_AGENCY)
        .exclude(implementing_agency_code="")
        .values_list("implementing_agency_code", flat=True)
    )


def check_case(case: FmsCase, before: FmsCase | None) -> None:
    ia = Organization.objects.system().filter(pk=case.owner_org_id).first()
    refuse_if(rules.case_owner_problem(_is_ia_with_code(ia)))
    from secoop.core.models import Country

    country = Country.objects.filter(pk=case.country_id).first()
    refuse_if(
        rules.case_identifier_problem(
            case.identifier,
            country.alpha2 if country else None,
            ia_codes(),
            ia.implementing_agency_code,
        )
    )
    lor = LetterOfRequest.objects.system().get(pk=case.lor_id) if case.lor_id else None
    manager_of_ia = None
    if case.case_manager_id:
        manager_of_ia = Membership.objects.filter(
            user_id=case.case_manager_id,
            role=Role.CASE_MANAGER,
            organization__tree_path__startswith=ia.tree_path,
        ).exists()
    refuse_if(
        rules.case_links_problem(
            lor.country_id if lor else None,
            case.country_id,
            lor is not None and lor.status == LorStatus.VALIDATED,
            before is None,
            manager_of_ia,
            str(ia),
        )
    )
    check_clssa(case)  # SPEC §5 CLSSA (fmsclssa section at the end)


LOA_CONTENT = {
    "title",
    "loa_type",
    "category",
    "aod_group",
    "transportation_plan",
    "fmf_baseline",
    "identifier",
    "country",
    "owner_org",
    "lor",
    "marking",
}


def _aod(case: FmsCase, lor_complete_on: dt.date | None) -> dt.date | None:
    if lor_complete_on is None:
        return None
    return rules.aod_date(lor_complete_on, facts.aod_group_days(case.aod_group, lor_complete_on))


def delay_codes() -> list[str]:
    """§11 AOD: the active delay reason codes (reference data)."""
    return list(AodDelayReason.objects.filter(active=True).values_list("code", flat=True))


def _lines(case: FmsCase) -> list[CaseLine]:
    return list(CaseLine.objects.system().filter(case=case).order_by("number"))


def _fmf_problem(case: FmsCase, lines: list[rules.LineState]) -> Finding | None:
    return rules.fmf_problem(lines, case.fmf_baseline, bool(case.fmf_deviation_approved_on))


def _check_line(line: CaseLine) -> None:
    refuse_if(rules.line_problem(line.quantity, line.unit_value))


def _return_for_reapproval(user: User | None, case_id: int, why: str) -> None:
    """The LOA is frozen once the MILDEP approves it (rules.needs_reapproval): a change of its
    content or lines returns it to proposed, without MILAP or OED, for re-approval (which computes
    a new OED). Called inside the change's transaction."""
    current = FmsCase.objects.system().select_for_update().get(pk=case_id)
    if not rules.needs_reapproval(current.status):
        return
    on = today(user)
    _write(
        user,
        current,
        {
            "status": Status.PROPOSED,
            "milap_on": None,
            "oed": None,
            "oed_days": None,
            "oed_remark": "",
        },
        transition="return-for-reapproval",
        reason=why,
    )
    _event(
        user,
        current,
        f"Changed after MILDEP approval ({why}): returned for re-approval; the OED is computed again at approval",
        on,
        "decision",
    )


# R-SEC-11: the MILDEP approval is a second person's, never the LOA's writer's. The LOA's content
# is the case and its lines; the event log, deliveries and reviews are execution records, and the
# approver's own earlier approval is a decision.
@acts(
    IA | PURCHASER,
    what="move a case's milestones",
    approves=Approval("LOA", parts=("cases.CaseLine",), when=("action", "approve")),
)
def milestone(
    user: User, case: FmsCase, action: str, on: dt.date | None = None, *, reason: str = "", **data
) -> FmsCase:
    """Move the LOA through its lifecycle (SPEC §5): rules.TRANSITIONS names who goes where."""
    on = on or today(user)
    with locked(user, case) as current:
        lapsed = rules.is_lapsed(current.status, current.oed, on)
        refuse_if(rules.transition_problem(action, current.status, lapsed))
        if action in ("accept", "reject"):
            if not may_act_as_purchaser(user, current):
                raise NotPermitted(
                    "Only the purchaser, or the implementing agency on its behalf, records acceptance or rejection."
                )
        else:
            _require(user, [_ia(current)], f"move this case's milestones ({action})")
        target = rules.TRANSITIONS[action][1]
        changes: dict[str, Any] = {"status": target}
        lines = _lines(current)
        if action == "write":
            changes["written_on"] = on
        elif action == "review":
            changes["reviewed_on"] = on
        elif action == "propose":
            changes["proposed_on"] = on
        elif action == "approve":
            refuse_if(
                rules.release_approvals_problem(
                    "MILDEP approval",
                    on,
                    current.disclosure_approved_on,
                    current.transfer_approved_on,
                )
            )
            # Without lines the approval is refused before the OED matters: no fact to look up.
            standard = (
                facts.oed_days(current.country_id, current.loa_type == LoaType.PSEUDO, on)
                if lines
                else 0
            )
            days = data.get("oed_days") or standard
            remark = (data.get("oed_remark") or "").strip()
            refuse_if(rules.mildep_approval_problem(len(lines), days, standard, remark))
            note = rules.oed_note_needed(days, standard)
            changes.update(
                milap_on=on,
                oed_days=days,
                oed=rules.oed_date(on, days),
                oed_remark=remark if note else "",
            )
        elif action == "offer":
            if current.lor_id:
                lor = LetterOfRequest.objects.system().get(pk=current.lor_id)
                reasons = cta_reasons(lor, on)
                transmitted = (
                    CountryTeamAssessment.objects.system()
                    .filter(lor=lor, status=CtaStatus.TRANSMITTED)
                    .exists()
                )
                refuse_if(rules.cta_missing_at_offer([c.label for c in reasons], transmitted))
            refuse_if(_fmf_problem(current, [ln.state() for ln in lines]), "fmf_baseline")
            refuse_if(rules.offer_problem(current.oed, on))
            refuse_if(
                rules.release_approvals_problem(
                    "the offer", on, current.disclosure_approved_on, current.transfer_approved_on
                )
            )
            refuse_if(
                rules.late_offer_problem(
                    current.offered_on or on, current.aod, current.delay_reason, delay_codes()
                )
            )
            refuse_if(
                rules.notification_offer_problem(
                    case_notification(current, lines, on),
                    current.n36b_review_on,
                    current.n36b_notified_on,
                    on,
                )
            )
            changes.update(offered_on=on, shared_with_partner=current.loa_type != LoaType.PSEUDO)
        elif action == "accept":
            signed_on = data.get("signed_on") or current.signed_on
            deposit_on = data.get("deposit_on") or current.deposit_on
            # SAMM C6.1.2: before the deposit, only DSCA's written emergency approval lets it on.
            emergency_on = emergency_approved_on(current) if deposit_on is None else None
            refuse_if(
                rules.acceptance_problem(
                    signed_on,
                    deposit_on,
                    current.oed,
                    current.disclosure_approved_on,
                    current.transfer_approved_on,
                    emergency_on,
                )
            )
            changes.update(
                signed_on=signed_on,
                deposit_on=deposit_on,
                accepted_on=max(signed_on, deposit_on or signed_on),
                shared_with_partner=True,
            )
        elif action == "reject":
            changes["rejected_on"] = on
        elif action == "cancel":
            changes["cancelled_on"] = on
        elif action == "reactivate":
            changes.update(
                milap_on=None,
                oed=None,
                oed_days=None,
                oed_remark="",
                offered_on=None,
                cancelled_on=None,
            )
        elif action == "implement":
            refuse_if(
                rules.implementation_problem(
                    current.case_manager_id is not None,
                    current.signed_on,
                    current.deposit_on,
                    emergency_approved_on(current),
                    on,
                )
            )
            fmso2_implementation_check(current)  # SPEC §5 CLSSA
            changes["implemented_on"] = on
        elif action == "complete":
            changes.update(_ssc_changes(current, on, data))
        elif action in ("interim", "close"):
            changes.update(_closure_changes(current, action, on))
        refuse_if(
            rules.date_order_problem(
                {
                    name: changes.get(name, getattr(current, name))
                    for name, _ in rules.CASE_DATE_ORDER
                }
            )
        )
        _write(user, current, changes, transition=action, reason=reason)
        _event(
            user,
            current,
            f"{rules.TRANSITIONS[action][2]}: {rules.Status.LABELS[target]}"
            + (f" — {reason}" if reason else ""),
            on,
        )
    return current


@acts(SCO, what="advise the IA and DSCA of the purchaser's decision (R-FMS-08)")
def notify_ia_and_dsca(
    user: User, case: FmsCase, on: dt.date | None = None, *, reason: str = ""
) -> FmsCase:
    """R-FMS-08: after the purchaser accepts or rejects, the SCO advises the IA and DSCA."""
    on = on or today(user)
    with locked(user, case) as current:
        _require(
            user, sco_orgs(current.country_id), "record the SCO's notice to the IA and DSCA", SCO
        )
        decided = current.accepted_on or current.rejected_on
        refuse_if(rules.sco_notice_problem(decided, current.sco_notified_on, on))
        _write(user, current, {"sco_notified_on": on}, transition="notify", reason=reason)
        _event(
            user,
            current,
            "SCO advised the IA and DSCA of the purchaser's decision (R-FMS-08)",
            on,
            "decision",
        )
        verdict = "accepted" if current.accepted_on else "rejected"
        core.notify(
            user,
            current,
            [_ia(current), *_dsca_orgs()],
            f"{current}: the purchaser {verdict} the LOA on {day(decided)}",
            rule="R-FMS-08",
            body=reason or f"The SCO advises that the purchaser {verdict} the LOA.",
        )
    return current


N36B_STEPS = {
    "review": ("n36b_review_on", "Informal (tiered) review"),
    "notify": ("n36b_notified_on", "Formal notification to Congress"),
}


@acts(IA, what="record the 36(b) informal review or formal notification")
def record_36b(
    user: User, case: FmsCase, step: str, on: dt.date | None = None, *, reason: str = ""
) -> FmsCase:
    """AECA 36(b), SAMM C5.5: the implementing agency records, as DSCA reports them, the informal
    (tiered) review (non-NATO+5) and the formal notification of the sale to Congress, with their
    dates. The offer waits the statutory period after the formal notification (milestone offer)."""
    if step not in N36B_STEPS:
        raise Refused(
            Finding(
                "SPEC-11-36(b)-notification",
                f"there is no 36(b) step {step!r}: record 'review' or 'notify'.",
            )
        )
    field, label = N36B_STEPS[step]
    with locked(user, case) as current:
        _require(user, [_ia(current)], "record the congressional notification of this case")
        on = clock.action_day(user, on)
        n = case_notification(current, _lines(current), on)
        refuse_if(
            rules.notification_record_problem(n, step, on, current.n36b_review_on, current.status)
        )
        _write(user, current, {field: on}, transition=f"36b-{step}", reason=reason)
        _event(user, current, f"36(b) {label[0].lower()}{label[1:]} on {day(on)}", on, "decision")
    return current


# --- amendments, modifications, restatements (R-FMS-03, §11) -----------------------------------


@acts(IA, what="propose an amendment, modification or restatement")
def propose_change(
    user: User,
    case: FmsCase,
    kind: str,
    description: str,
    changes: list[dict],
    *,
    on: dt.date | None = None,
    request_complete_on: dt.date | None = None,
    aod_group: str = "",
    category: str = "",
    delay_reason: str = "",
) -> CaseAmendment:
    """A new version of the LOA document with a readable diff. A modification and a restatement
    take effect at once; an amendment when the purchaser accepts it. An amendment or modification
    carries its AOD measurement (§11 AOD: `version_aod`)."""
    on = on or today(user)
    refuse_if(rules.change_request_problem(kind, description))
    with transaction.atomic():
        current = reload_locked(user, case)
        _require(user, [_ia(current)], "change this LOA")
        before = [ln.state() for ln in _lines(current)]
        try:
            after = rules.apply_changes(before, changes)
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise Refused(
                Finding(
                    "R-FMS-03",
                    str(exc)
                    or "each change is add (with a line), change or delete (with a number).",
                    field="changes",
                )
            ) from None
        refuse_if(rules.lines_problem(after))
        pending = (
            CaseAmendment.objects.system()
            .filter(case=current, status=VersionStatus.PROPOSED)
            .exists()
        )
        refuse_if(rules.pending_amendment_problem(pending))
        refuse_if(rules.version_date_problem(current.offered_on, current.accepted_on, on))
        refuse_if(
            rules.change_problem(
                kind,
                current.status,
                rules.is_lapsed(current.status, current.oed, on),
                current.signed_on is not None,
                closhold_active(current),
                before,
                after,
            )
        )
        refuse_if(_fmf_problem(current, after), "changes")
        measure = version_aod(
            current, kind, on, request_complete_on, aod_group, category, delay_reason
        )
        diff = rules.diff_lines(before, after)
        version = CaseAmendment(
            case=current,
            number=current.version + 1,
            kind=kind,
            description=description.strip(),
            changes=changes,
            lines_before=[s.as_dict() for s in before],
            lines_after=[s.as_dict() for s in after],
            diff=[d.as_dict() for d in diff],
            value_before=rules.total_of(before),
            value_after=rules.total_of(after),
            issued_on=on,
            **measure,
        )
        version.marking = current.marking
        core.check_marking(version.marking)
        version.full_clean()
        version.save()
        core.log_change(
            user, version, ChangeAction.CREATE, None, core.snapshot(version), description
        )
        if kind != ChangeKind.AMENDMENT:
            _apply_version(user, current, version, on)
        else:
            _event(
                user,
                current,
                f"Amendment {version.number} offered to the purchaser: {description.strip()}",
                on,
            )
    return version


def _apply_version(user: User | None, case: FmsCase, version: CaseAmendment, on: dt.date) -> None:
    existing = {ln.number: ln for ln in _lines(case)}
    after = {d["number"]: rules.LineState.from_dict(d) for d in version.lines_after}
    for number, line in existing.items():
        if number not in after:
            refuse_if(
                rules.line_deletion_problem(
                    number, Delivery.objects.system().filter(line=line).exists()
                )
            )
            core.log_change(
                user,
                line,
                ChangeAction.DELETE,
                core.snapshot(line),
                None,
                f"version {version.number}",
            )
            line.delete()
    for number, state in after.items():
        line = existing.get(number)
        values = {
            "item": state.item,
            "quantity": state.quantity,
            "unit_value": state.unit_value,
            "sme": state.sme,
            "mde": state.mde,
            "fmf_funded": state.fmf_funded,
            "total_value": state.total,
        }
        if line is None:
            line = CaseLine(case=case, number=number, **values)
            line.marking = case.marking
            line.full_clean()
            line.save()
            core.log_change(
                user,
                line,
                ChangeAction.CREATE,
                None,
                core.snapshot(line),
                f"version {version.number}",
            )
        else:
            _write(user, line, values, reason=f"version {version.number}")
    _write(
        user, version, {"status": VersionStatus.ACCEPTED, "accepted_on": on}, transition="accept"
    )
    _write(
        user,
        case,
        {"version": version.number},
        transition="new-version",
        reason=version.description,
    )
    _event(
        user,
        case,
        f"{version.get_kind_display().split(' ')[0]} {version.number} in force: {version.description}",
        on,
    )


@acts(IA | PURCHASER, what="accept an amendment")
def accept_change(user: User, version: CaseAmendment, on: dt.date | None = None) -> CaseAmendment:
    """The purchaser accepts an amendment (§11: an amendment needs purchaser acceptance)."""
    on = on or today(user)
    with locked(user, version) as current:
        case = FmsCase.objects.system().select_for_update().get(pk=current.case_id)
        if not may_act_as_purchaser(user, case):
            raise NotPermitted(
                "Only the purchaser, or the implementing agency on its behalf, accepts an amendment."
            )
        refuse_if(
            rules.amendment_acceptance_problem(
                current.kind == ChangeKind.AMENDMENT,
                rules.AMENDMENT.allows("accept", current.status),
                closhold_active(case) or case.status in rules.CLOSING,
            )
        )
        _apply_version(user, case, current, on)
    return current


# --- execution -------------------------------------------------------------------------------


@acts(IA, what="record a delivery")
def record_delivery(
    user: User,
    delivery: Delivery,
    actual_on: dt.date,
    actual_quantity: int,
    *,
    title_passed: bool = True,
    reason: str = "",
) -> Delivery:
    """R-FMS-06: the actual date and quantity beside the programmed ones."""
    with locked(user, delivery) as current:
        case = FmsCase.objects.system().get(pk=current.case_id)
        _require(user, [_ia(case)], "record a delivery")
        if case.status != Status.IMPLEMENTED:
            raise Refused(
                Finding("SPEC-5-lifecycle", "deliveries are recorded on an implemented case.")
            )
        refuse_if(rules.delivery_record_problem(actual_quantity, actual_on, today(user)))
        refuse_if(rules.delivery_dates_problem(case.accepted_on, case.ssc_on, None, actual_on))
        _write(
            user,
            current,
            {
                "actual_on": actual_on,
                "actual_quantity": int(actual_quantity),
                "title_passed": bool(title_passed),
            },
            transition="deliver",
            reason=reason,
        )
        late = current.days_late(actual_on)
        _event(
            user,
            case,
            f"Line {current.line.number}: {actual_quantity} delivered"
            + (f", {late} days late" if late else " on time"),
            actual_on,
            "event",
        )
    return current


@acts(IA, what="reply to an SDR")
def reply_sdr(
    user: User,
    sdr: SupplyDiscrepancyReport,
    reply: str,
    on: dt.date | None = None,
    *,
    close: bool = False,
) -> SupplyDiscrepancyReport:
    on = on or today(user)
    with locked(user, sdr) as current:
        case = FmsCase.objects.system().get(pk=current.case_id)
        ilco = Organization.objects.system().filter(pk=current.ilco_id).first()
        _require(user, [ilco, _ia(case)], "reply to an SDR")
        refuse_if(rules.sdr_reply_problem(reply, rules.SDR.is_final(current.status)))
        _write(
            user,
            current,
            {
                "reply": reply.strip(),
                "replied_on": on,
                "status": SdrStatus.CLOSED if close else SdrStatus.REPLIED,
            },
            transition="reply",
        )
        core.notify(
            user,
            current,
            [Organization.objects.system().get(pk=current.owner_org_id)],
            f"The ILCO replied to SDR {current.pk} on {case}",
            rule="R-FMS-10",
            body=reply.strip(),
        )
    return current


def sdr_reconsideration_due(sdr: SupplyDiscrepancyReport) -> dt.date | None:
    if sdr.replied_on is None:
        return None
    return rules.sdr_reconsideration_due(sdr.replied_on, facts.sdr_thresholds(sdr.replied_on))


@acts(IA, what="complete a master plan item")
def complete_plan_item(
    user: User, item: MasterPlanItem, on: dt.date | None = None
) -> MasterPlanItem:
    on = on or today(user)
    with locked(user, item) as current:
        _require(
            user, [_ia(FmsCase.objects.system().get(pk=current.case_id))], "update the master plan"
        )
        if current.done_on:
            raise Refused(Finding("R-FMS-06", "this master plan item is already done."))
        _write(user, current, {"done_on": on}, transition="done")
    return current


# --- create / update / delete with the rules per record type -----------------------------------


def _case_of(record) -> FmsCase | None:
    case_id = getattr(record, "case_id", None)
    return FmsCase.objects.system().filter(pk=case_id).first() if case_id else None


def _check_new(user: User, record: MarkedModel) -> None:
    case = _case_of(record)
    if isinstance(record, EmergencyImplementation | ClssaRequisition):
        # fmsclssa: these have their own steps (request_emergency_implementation, requisition).
        step = (
            "request emergency implementation"
            if isinstance(record, EmergencyImplementation)
            else "record a requisition"
        )
        raise Refused(Finding("", f"{step} from the case page (its own step checks the case)."))
    if isinstance(record, LetterOfRequest):
        check_lor(record)
        record.status = LorStatus.SUBMITTED if record.implementing_agency_id else LorStatus.RECEIVED
        if record.implementing_agency_id:
            refuse_if(rules.lor_incomplete(lor_values(record)))
        if record.received_on is None:
            record.received_on = today(user)
        if record.implementing_agency_id:
            # Entered already routed: the IA's receipt is the date the LOR was received.
            record.ia_received_on = record.received_on
    elif isinstance(record, CountryTeamAssessment):
        lor = LetterOfRequest.objects.system().get(pk=record.lor_id)
        owner = Organization.objects.system().get(pk=record.owner_org_id)
        refuse_if(
            rules.cta_drafter_problem(
                owner.kind == OrganizationKind.SCO and owner.country_id == lor.country_id
            )
        )
        known = set(cta_element_codes(lor)) | set(CtaElement.objects.values_list("code", flat=True))
        refuse_if(rules.cta_unknown_elements(record.elements or {}, known))
    elif isinstance(record, FmsCase):
        check_case(record, None)
        refuse_if(rules.delay_reason_problem(record.delay_reason or "", delay_codes()))
        if record.lor_id:
            lor = LetterOfRequest.objects.system().get(pk=record.lor_id)
            record.lor_complete_on = lor.complete_on
            record.aod = _aod(record, lor.complete_on)
    elif isinstance(record, CaseLine):
        _check_line(record)
        refuse_if(rules.lines_locked_problem(case.status))
        record.total_value = rules.line_total(record.quantity, record.unit_value)
    elif isinstance(record, Delivery):
        line = CaseLine.objects.system().get(pk=record.line_id)
        refuse_if(
            rules.planned_delivery_problem(line.case_id == record.case_id, record.planned_quantity)
        )
        if case.status not in (Status.ACCEPTED, Status.IMPLEMENTED):
            raise Refused(
                Finding(
                    "SPEC-5-lifecycle", "deliveries are planned on an accepted or implemented case."
                )
            )
        refuse_if(
            rules.delivery_dates_problem(case.accepted_on, case.ssc_on, record.planned_on, None)
        )
    elif isinstance(record, Shipment):
        if record.delivery_id:
            delivery = Delivery.objects.system().select_related("line").get(pk=record.delivery_id)
            refuse_if(
                rules.shipment_delivery_problem(
                    delivery.case_id == record.case_id,
                    delivery.line.classified,
                    record.classified,
                )
            )
        refuse_if(
            rules.shipment_problem(
                record.classified,
                bool(case.transportation_plan.strip()),
                record.via_dts,
                record.dts_representative,
            )
        )
        if case.status != Status.IMPLEMENTED:
            raise Refused(Finding("SPEC-5-lifecycle", "materiel ships on an implemented case."))
        refuse_if(
            rules.shipment_dates_problem(case.accepted_on, record.shipped_on, record.received_on)
        )
    elif isinstance(record, SupplyDiscrepancyReport):
        ia = _ia(case)
        routing = IlcoRouting.objects.filter(mildep_id=ia.parent_id).select_related("ilco").first()
        line_on_case = (
            not record.line_id
            or CaseLine.objects.system().get(pk=record.line_id).case_id == record.case_id
        )
        refuse_if(rules.sdr_problem(record.quantity, routing is not None, str(ia), line_on_case))
        record.ilco = routing.ilco
        if record.reported_on is None:
            record.reported_on = today(user)
        refuse_if(
            rules.sdr_filing_problem(
                record.title_passed_on, record.reported_on, facts.sdr_thresholds(record.reported_on)
            )
        )
    elif isinstance(record, CaseReview):
        refuse_if(rules.review_problem(True, record.sco_travel_fms_admin))
    elif isinstance(record, CaseDocument):
        refuse_if(
            rules.document_problem(
                record.kind == CaseDocumentKind.NOTIFICATION,
                record.classification >= Classification.CUI,
                record.title,
                record.released_to_partner,
                record.kind in INTERNAL_KINDS,
                record.get_kind_display(),
            )
        )
    elif isinstance(record, PaymentScheduleEntry):
        refuse_if(rules.payment_problem(record.amount))
    _check_new_closure_billing(record, case)
    if isinstance(record, CaseCost | CaseNote | MasterPlanItem | CaseEvent) and case is None:
        raise Refused(Finding("", "choose the case.", field="case"))


def _owner_for_create(record: MarkedModel) -> Organization | None:
    owner_id = record.owner_org_id_value()
    return Organization.objects.system().filter(pk=owner_id).first() if owner_id else None


def roles_for(record: MarkedModel) -> frozenset[str]:
    """Who enters or edits each kind of cases record (ARCHITECTURE invariant 9): a CTA is the
    SCO's assessment (never its LE assistants'); an LOR is entered by the SCO (clerical) or the
    purchaser; an SDR by the purchaser, its SCO or the IA; the case and everything in its file
    by the implementing agency."""
    if isinstance(record, CountryTeamAssessment):
        return SCO
    if isinstance(record, LetterOfRequest):
        return SCO_CLERICAL | PURCHASER
    if isinstance(record, SupplyDiscrepancyReport):
        return SCO_CLERICAL | PURCHASER | IA
    return IA


def _require_record_role(user: User, record: MarkedModel, verb: str) -> None:
    owner = _owner_for_create(record)
    require_role(user, roles_for(record), owner, f"{verb} a {record._meta.verbose_name}")


@acts(ANY_CASE_WRITER, what="enter a cases record")
def create(user: User, record: MarkedModel, *, reason: str = "") -> MarkedModel:
    """Create any cases record after its rules; case children take the case's marking if none given."""
    _require_record_role(user, record, "enter")
    core.require_links_visible(user, record, skip_organizations=True)
    case = _case_of(record)
    if (
        case is not None
        and not record.rel_to
        and not record.dissemination
        and record.classification == case.classification
    ):
        record.marking = case.marking
    if isinstance(record, SupplyDiscrepancyReport):
        # The submitter owns the SDR: the partner of the case's country, its SCO, or the IA.
        owner = _owner_for_create(record)
        if owner is None or not access.can_write_for(user, owner):
            raise NotPermitted(
                "You can submit an SDR only for an organization where you hold an editing role."
            )
        allowed = {o.pk for o in _partner_orgs(case.country_id) + sco_orgs(case.country_id)} | {
            case.owner_org_id
        }
        owner_ids = {int(x) for x in owner.tree_path.strip("/").split("/") if x}
        refuse_if(rules.sdr_submitter_problem(bool(owner_ids & allowed)))
    if isinstance(record, LetterOfRequest):
        owner = _owner_for_create(record)
        refuse_if(rules.lor_country_problem(owner.country_id if owner else None, record.country_id))
        # The SCO routes an LOR to an implementing agency: a partner does not choose it (issue 12
        # item 5), through the form or the API.
        if owner is not None and owner.kind == OrganizationKind.PARTNER:
            refuse_if(
                rules.lor_routing_by_partner_problem(record.implementing_agency_id is not None)
            )
    with transaction.atomic():
        if isinstance(
            record,
            CaseLine
            | Delivery
            | Shipment
            | CaseReview
            | CaseDocument
            | CaseCost
            | CaseNote
            | MasterPlanItem
            | PaymentScheduleEntry
            | CaseEvent,
        ):
            # Case children belong to the IA's case: the IA writes them (a partner never does).
            _require(user, [_ia(case)], f"add a {record._meta.verbose_name} to this case")
        _check_new(user, record)
        created = core.create_record(user, record, reason=reason)
        if isinstance(created, CaseLine):
            _return_for_reapproval(user, created.case_id, f"line {created.number} added")
        if isinstance(created, FmsCase) and created.lor_id:
            _event(
                user,
                created,
                f"LOA development started from the LOR (AOD {day(created.aod)})"
                if created.aod
                else "LOA development started",
                created.lor_complete_on or today(user),
            )
        if isinstance(created, SupplyDiscrepancyReport):
            _event(
                user,
                case,
                f"SDR {created.pk} routed to {created.ilco} (R-FMS-10)",
                created.reported_on,
                "event",
            )
            core.notify(
                user,
                created,
                [Organization.objects.system().get(pk=created.ilco_id)],
                f"SDR {created.pk} on {case} for your action",
                rule="R-FMS-10",
                body="A supply discrepancy report (SF 364) was routed to your ILCO: reply with the disposition.",
            )
        if isinstance(created, LetterOfRequest):
            owner = _owner_for_create(created)
            if owner is not None and owner.kind == OrganizationKind.PARTNER:
                core.notify(
                    user,
                    created,
                    sco_orgs(created.country_id),
                    f"{owner} submitted the LOR “{created.title}”",
                    rule="R-FMS-01",
                    body="Check it with the partner and route it to an implementing agency.",
                )
    return created


EDITABLE_ANYTIME = {
    FmsCase: {
        "case_manager",
        "disclosure_approved_on",
        "transfer_approved_on",
        "delay_reason",
        "fmf_deviation_approved_on",
    },
}


@acts(ANY_CASE_WRITER, what="change a cases record")
def update(
    user: User, record: MarkedModel, changes: dict[str, Any], *, reason: str = ""
) -> MarkedModel:
    """Change editable fields. An LOA's content changes only before MILDEP approval; after, it is
    restated (while offered, unsigned, before OED) or amended/modified (R-FMS-03)."""
    _require_record_role(user, record, "change")
    if isinstance(record, FmsCase):
        current = visible(user, record, "There is no such case that you may see.")
        if "delay_reason" in changes:
            refuse_if(rules.delay_reason_problem(changes["delay_reason"] or "", delay_codes()))
        content = set(changes) - EDITABLE_ANYTIME[FmsCase]
        refuse_if(rules.loa_content_problem(current.status, content, bool(current.ssc_on)))
        probe = FmsCase.objects.system().get(pk=record.pk)
        for k, v in changes.items():
            if k != "marking":
                setattr(probe, k, v)
        check_case(probe, current)
        if "aod_group" in changes and probe.lor_complete_on:
            changes = {**changes, "aod": _aod(probe, probe.lor_complete_on)}
    elif isinstance(record, CaseLine):
        case = _case_of(record)
        refuse_if(rules.lines_locked_problem(case.status))
        quantity = changes.get("quantity", record.quantity)
        unit_value = changes.get("unit_value", record.unit_value)
        refuse_if(rules.line_problem(quantity, unit_value))
        changes = {**changes, "total_value": rules.line_total(int(quantity), Decimal(unit_value))}
    elif isinstance(record, LetterOfRequest):
        current = LetterOfRequest.objects.visible_to(user).filter(pk=record.pk).first()
        if current is not None and current.status not in rules.LOR_EDITABLE:
            raise Refused(
                Finding(
                    "R-FMS-01",
                    "a validated LOR is a customer request of record: the partner sends a new or amended LOR.",
                )
            )
    elif isinstance(record, CountryTeamAssessment):
        if record.status == CtaStatus.TRANSMITTED:
            raise Refused(
                Finding("R-FMS-02", "a transmitted CTA is not changed: draft a follow-on CTA.")
            )
    elif isinstance(record, CaseDocument):
        if (
            changes.get("released_to_partner")
            and changes.get("kind", record.kind) in INTERNAL_KINDS
        ):
            raise Refused(
                Finding(
                    "R-SEC-03",
                    "CTAs, technology release documents, review notes and notification documents are never released to the partner.",
                    field="released_to_partner",
                )
            )
    elif isinstance(record, CaseReview):
        refuse_if(
            rules.review_problem(
                True, changes.get("sco_travel_fms_admin", record.sco_travel_fms_admin)
            )
        )
    elif isinstance(
        record, Delivery | Shipment | SupplyDiscrepancyReport | CaseAmendment | CaseEvent
    ):
        raise Refused(
            Finding(
                "R-FMS-06",
                f"a {record._meta.verbose_name} is changed through its own actions (record the delivery, reply to the SDR …), not edited.",
            )
        )
    if "quantity" in changes and not isinstance(record, CaseLine):
        refuse_if(rules.quantity_problem(changes["quantity"]))
    if isinstance(
        record,
        CaseLine
        | CaseReview
        | CaseDocument
        | CaseCost
        | CaseNote
        | MasterPlanItem
        | PaymentScheduleEntry,
    ):
        _require(
            user, [_ia(_case_of(record))], f"change a {record._meta.verbose_name} of this case"
        )
        with locked(user, record) as current:
            before = core.snapshot(current)
            _write(user, current, changes, reason=reason)
            if isinstance(current, CaseLine) and core.snapshot(current) != before:
                _return_for_reapproval(user, current.case_id, f"line {current.number} changed")
        return current
    if isinstance(record, FmsCase):
        with transaction.atomic():
            before = core.snapshot(FmsCase.objects.system().get(pk=record.pk))
            updated = core.update_record(user, record, changes, reason=reason)
            after = core.snapshot(updated)
            changed = sorted(
                k for k in after if after[k] != before.get(k) and k not in EDITABLE_ANYTIME[FmsCase]
            )
            if changed:
                _return_for_reapproval(user, record.pk, f"LOA changed: {', '.join(changed)}")
        return updated
    return core.update_record(user, record, changes, reason=reason)


def retention_problem(record: MarkedModel, on: dt.date | None = None) -> Finding | None:
    """R-FMS-07: nothing of a case's file is deleted until 10 years after final closure."""
    on = on or today()
    if isinstance(record, FmsCase):
        case = record
    elif isinstance(record, LetterOfRequest | CountryTeamAssessment):
        lor_id = record.pk if isinstance(record, LetterOfRequest) else record.lor_id
        case = FmsCase.objects.system().filter(lor_id=lor_id).order_by("-closed_on").first()
        if case is None:
            if isinstance(record, LetterOfRequest) and record.status == LorStatus.RECEIVED:
                return None
            years = facts.days(facts.RETENTION_YEARS, on, "R-FMS-07")
            return rules.file_retention_problem(record._meta.verbose_name, years)
    else:
        case = _case_of(record)
        if isinstance(record, CaseLine) and case is not None and case.status in Status.PRE_OFFER:
            return None  # a draft line of an LOA in development is not yet a case record
    years = facts.days(facts.RETENTION_YEARS, on, "R-FMS-07")
    return rules.deletion_problem(case.closed_on if case else None, on, years)


@acts(SCO_CLERICAL | IA, what="delete a cases record")
def delete(user: User, record: MarkedModel, *, reason: str = "") -> None:
    refuse_if(retention_problem(record))
    if isinstance(record, CaseLine):
        _require(user, [_ia(_case_of(record))], "delete a line of this case")
        with transaction.atomic():
            current = reload_locked(user, record)
            core.log_change(
                user, current, ChangeAction.DELETE, core.snapshot(current), None, reason
            )
            current.delete()
            _return_for_reapproval(user, current.case_id, f"line {current.number} deleted")
        return
    core.delete_record(user, record, reason=reason)


# === fmsclssa: CLSSA, emergency implementation, AOD of amendments and modifications =============
# (issue 13 items 5, 8; docs/decisions/0031-clssa-emergency-aod.md)

LOA_CONTENT.add("fmso1_case")  # the FMSO I an FMSO II draws on is LOA content (frozen at MILAP)
DSCA = frozenset({Role.DSCA_STAFF})


def check_clssa(case: FmsCase) -> None:
    """SPEC §5 CLSSA: an FMSO II names its purchaser's FMSO I of the same IA; nothing else does."""
    fmso1 = (
        FmsCase.objects.system().filter(pk=case.fmso1_case_id).first()
        if case.fmso1_case_id
        else None
    )
    refuse_if(
        rules.clssa_link_problem(
            case.loa_type,
            fmso1.loa_type if fmso1 else None,
            fmso1 is not None and fmso1.country_id == case.country_id,
            fmso1 is not None and fmso1.owner_org_id == case.owner_org_id,
        )
    )


def _fmso1_implemented(case: FmsCase) -> tuple[str, bool]:
    fmso1 = (
        FmsCase.objects.system().filter(pk=case.fmso1_case_id).first()
        if case.fmso1_case_id
        else None
    )
    if fmso1 is None:
        return "(none)", False
    return fmso1.identifier, fmso1.status == Status.IMPLEMENTED


def fmso2_implementation_check(case: FmsCase) -> None:
    """Called by milestone("implement"): an FMSO II waits for its FMSO I's implementation."""
    if case.loa_type == LoaType.FMSO_II:
        refuse_if(rules.fmso2_implementation_problem(*_fmso1_implemented(case)))


@acts(IA, what="record a CLSSA FMSO II requisition")
def requisition(user: User, record: ClssaRequisition, *, reason: str = "") -> ClssaRequisition:
    """SPEC §5 CLSSA: a requisition against an implemented FMSO II case whose FMSO I equity case is
    implemented, entered by the implementing agency that owns the case."""
    with transaction.atomic():
        case = FmsCase.objects.visible_to(user).filter(pk=record.case_id).first()
        if case is None:
            raise NotPermitted(f"There is no FMS case #{record.case_id} that you may see.")
        _require(user, [_ia(case)], "record a requisition on this case")
        label, fmso1_ok = _fmso1_implemented(case)
        refuse_if(
            rules.requisition_problem(
                case.loa_type,
                case.status == Status.IMPLEMENTED,
                fmso1_ok,
                record.document_number,
                record.quantity,
                record.value,
            )
        )
        record.document_number = record.document_number.strip().upper()
        record.marking = case.marking
        created = core.create_record(user, record, reason=reason)
    return created


def emergency_approved_on(case: FmsCase) -> dt.date | None:
    """The day DSCA approved emergency implementation of this case (SAMM C6.1.2), if it did."""
    return (
        EmergencyImplementation.objects.system()
        .filter(case_id=case.pk, status=EmergencyStatus.APPROVED)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )


@acts(IA, what="request emergency implementation of a case")
def request_emergency_implementation(
    user: User,
    case: FmsCase,
    *,
    signed_on: dt.date | None,
    circumstances: str,
    on: dt.date | None = None,
) -> EmergencyImplementation:
    """SAMM C6.1.2: the implementing agency asks DSCA (Business Operations, the Country Finance
    Director) in writing to approve implementing a signed LOA before its initial deposit."""
    with transaction.atomic():
        current = reload_locked(user, case)
        _require(user, [_ia(current)], "request emergency implementation of this case")
        on = clock.action_day(user, on)
        pending = (
            EmergencyImplementation.objects.system()
            .filter(case=current, status__in=(EmergencyStatus.REQUESTED, EmergencyStatus.APPROVED))
            .exists()
        )
        refuse_if(
            rules.emergency_request_problem(
                current.is_offered and not rules.is_lapsed(current.status, current.oed, on),
                signed_on,
                current.deposit_on,
                current.oed,
                on,
                circumstances,
                pending,
            )
        )
        request = EmergencyImplementation(
            case=current, requested_on=on, signed_on=signed_on, circumstances=circumstances.strip()
        )
        request.marking = current.marking
        request = core.create_record(user, request, reason="emergency implementation requested")
        _event(
            user,
            current,
            f"Emergency implementation requested of DSCA (purchaser signed {day(signed_on)}; no initial deposit yet)",
            on,
            "decision",
        )
        core.notify(
            user,
            request,
            _dsca_orgs(),
            f"{current}: emergency implementation requested",
            rule="SPEC-11-acceptance",
            body=circumstances.strip()[:500],
        )
    return request


@acts(DSCA, what="record DSCA's decision on emergency implementation")
def decide_emergency_implementation(
    user: User,
    request: EmergencyImplementation,
    name: str,
    *,
    decided_by: str,
    reference: str,
    expected_deposit_on: dt.date | None = None,
    on: dt.date | None = None,
) -> EmergencyImplementation:
    """SAMM C6.1.2: DSCA records its written decision — who decided, when, the reference — and the
    day the purchaser expects to remit the deposit (the CFD may confirm it)."""
    with locked(user, request) as current:
        _require(user, _dsca_orgs(), "record DSCA's decision on emergency implementation", DSCA)
        on = clock.action_day(user, on)
        refuse_if(
            rules.emergency_decision_problem(
                name, current.status, decided_by, reference, on, current.requested_on
            )
        )
        target = rules.EMERGENCY.target(name)
        _write(
            user,
            current,
            {
                "status": target,
                "decided_on": on,
                "decided_by": decided_by.strip(),
                "reference": reference.strip(),
                "expected_deposit_on": expected_deposit_on,
            },
            transition=name,
        )
        case = FmsCase.objects.system().get(pk=current.case_id)
        _event(
            user,
            case,
            f"DSCA {'approved' if name == 'approve' else 'denied'} emergency implementation ({decided_by.strip()}, {reference.strip()})",
            on,
            "decision",
        )
        core.notify(
            user,
            current,
            [_ia(case)],
            f"{case}: DSCA {'approved' if name == 'approve' else 'denied'} emergency implementation",
            rule="SPEC-11-acceptance",
            body=f"{decided_by.strip()}, {reference.strip()}",
        )
    return current


@acts(IA, what="record the initial deposit of a case implemented in an emergency")
def record_deposit(user: User, case: FmsCase, on: dt.date | None = None) -> FmsCase:
    """§11 acceptance: the deposit of a case that went ahead on DSCA's emergency approval."""
    with locked(user, case) as current:
        _require(user, [_ia(current)], "record the initial deposit of this case")
        on = clock.action_day(user, on)
        refuse_if(
            rules.deposit_problem(
                current.status in Status.ACTIVE, current.deposit_on, on, current.signed_on
            )
        )
        _write(user, current, {"deposit_on": on}, transition="deposit")
        _event(user, current, f"Initial deposit received {day(on)}", on, "event")
    return current


@not_an_action("the AOD fields of a new amendment or modification, for propose_change")
def version_aod(
    case: FmsCase,
    kind: str,
    issued_on: dt.date,
    request_complete_on: dt.date | None,
    aod_group: str,
    category: str,
    delay_reason: str,
) -> dict[str, Any]:
    """§11 AOD: an amendment or modification carries its category and group (the case's unless
    given) and, from its request-complete date, its AOD; one issued late needs a delay code."""
    if kind not in rules.MEASURED_KINDS:
        refuse_if(rules.version_aod_problem(kind, request_complete_on, issued_on, None, "", []))
        return {}
    group = aod_group or case.aod_group
    aod = (
        rules.aod_date(request_complete_on, facts.aod_group_days(group, request_complete_on))
        if request_complete_on
        else None
    )
    refuse_if(
        rules.version_aod_problem(
            kind, request_complete_on, issued_on, aod, delay_reason or "", delay_codes()
        )
    )
    return {
        "aod_group": group,
        "category": category or case.category,
        "request_complete_on": request_complete_on,
        "aod": aod,
        "delay_reason": delay_reason or "",
    }


# === closure and billing (issue 13 items 6–7) ======================================================
# SSC with its conditions, interim and final closure (milestone), line closure (conditional while
# contracts are active, DSCA 26-32), CLOSHOLD set and lifted by DSCA (DSCA 25-89), and the quarterly
# DD Form 645 with its reconciliation (SAMM C9.10, C16.2).

from .models import BillingStatement  # noqa: E402 — this section's models, kept beside the section
from .models import CaseExpenditure  # noqa: E402 — this section's models, kept beside the section
from .models import ClosureHold  # noqa: E402 — this section's models, kept beside the section
from .models import Collection  # noqa: E402 — this section's models, kept beside the section
from .models import LineClosure  # noqa: E402 — this section's models, kept beside the section

DSCA = frozenset({Role.DSCA_STAFF})


def _open_deliveries(case_id: int, line_id: int | None = None) -> tuple[int, int]:
    """(deliveries not made, deliveries made without title passing) of a case or one line."""
    rows = Delivery.objects.system().filter(case_id=case_id)
    if line_id is not None:
        rows = rows.filter(line_id=line_id)
    return (
        rows.filter(actual_on__isnull=True).count(),
        rows.filter(actual_on__isnull=False, title_passed=False).count(),
    )


def _ssc_changes(case: FmsCase, on: dt.date, data: dict) -> dict[str, Any]:
    """§11: SSC when every item is delivered with title passed, services are done, warranties
    have elapsed and nothing is in storage. The conditions the IA gives are kept on the case."""
    open_, untitled = _open_deliveries(case.pk)
    services = data.get("services_complete_on") or case.services_complete_on
    warranties = data.get("warranties_end_on") or case.warranties_end_on
    storage = data.get("storage_quantity")
    if storage is None:
        storage = case.storage_quantity
    refuse_if(
        rules.ssc_conditions_problem(
            rules.SscFacts(open_, untitled, services, warranties, storage), on
        )
    )
    last = (
        Delivery.objects.system()
        .filter(case=case)
        .order_by("-actual_on")
        .values_list("actual_on", flat=True)
        .first()
    )
    refuse_if(rules.delivery_dates_problem(None, on, None, last))
    months = facts.days(facts.CLOSURE_MONTHS, on, "SPEC-11-closure")
    return {
        "ssc_on": on,
        "final_delivery_on": last,
        "closure_due": rules.closure_due(on, last, months),
        "services_complete_on": services,
        "warranties_end_on": warranties,
        "storage_quantity": storage,
    }


def _closure_changes(case: FmsCase, action: str, on: dt.date) -> dict[str, Any]:
    """Interim closure (accelerated closure) or final closure: not before the closure date; a
    final closure needs every line closed (conditionally when contracts are active)."""
    field = "interim_closed_on" if action == "interim" else "closed_on"
    # Dates first: a closure dated before SSC is out of order before it is early.
    refuse_if(
        rules.date_order_problem(
            {
                **{name: getattr(case, name) for name, _ in rules.CASE_DATE_ORDER},
                field: on,
            }
        )
    )
    months = facts.days(facts.CLOSURE_MONTHS, case.ssc_on or on, "SPEC-11-closure")
    step = "interim closure" if action == "interim" else "final closure"
    if case.status == Status.SSC:  # once interim-closed, the date was checked already
        refuse_if(rules.closure_day_problem(step.capitalize(), on, case.closure_due, months))
    if action == "close":
        closed = set(
            LineClosure.objects.system().filter(case=case).values_list("line_id", flat=True)
        )
        open_lines = [ln.number for ln in _lines(case) if ln.pk not in closed]
        refuse_if(rules.final_closure_problem(open_lines))
    return {field: on}


@not_an_action("what the views and the API show: whether the case is on closure hold now")
def closhold_active(case: FmsCase) -> bool:
    return ClosureHold.objects.system().filter(case_id=case.pk, lifted_on__isnull=True).exists()


@acts(DSCA, what="place a case on closure hold (CLOSHOLD)")
def set_closhold(
    user: User, case: FmsCase, *, reason: str, on: dt.date | None = None
) -> ClosureHold:
    """DSCA 25-89: DSCA places an SSC case on CLOSHOLD; no new amendment, modification or
    restatement while it stands."""
    with transaction.atomic():
        current = reload_locked(user, case)
        _require(user, _dsca_orgs(), "place a case on closure hold (CLOSHOLD)", DSCA)
        on = clock.action_day(user, on)
        refuse_if(rules.closhold_set_problem(current.status, closhold_active(current), reason))
        hold = ClosureHold(case=current, set_on=on, reason=reason.strip())
        hold.marking = current.marking
        hold.full_clean()
        hold.save()
        core.log_change(user, hold, ChangeAction.CREATE, None, core.snapshot(hold), reason)
        _event(user, current, f"CLOSHOLD placed: {reason.strip()}", on, "decision")
    return hold


@acts(DSCA, what="lift a case's closure hold (CLOSHOLD)")
def lift_closhold(
    user: User, case: FmsCase, *, reason: str, on: dt.date | None = None
) -> ClosureHold:
    with transaction.atomic():
        current = reload_locked(user, case)
        _require(user, _dsca_orgs(), "lift a closure hold (CLOSHOLD)", DSCA)
        on = clock.action_day(user, on)
        hold = (
            ClosureHold.objects.system()
            .select_for_update()
            .filter(case=current, lifted_on__isnull=True)
            .first()
        )
        refuse_if(rules.closhold_lift_problem(hold is not None, reason))
        refuse_if(
            rules.date_order_problem(
                {"set_on": hold.set_on, "lifted_on": on},
                (("set_on", "hold"), ("lifted_on", "lifting")),
            )
        )
        _write(
            user,
            hold,
            {"lifted_on": on, "lift_reason": reason.strip()},
            transition="lift",
            reason=reason,
        )
        _event(user, current, f"CLOSHOLD lifted: {reason.strip()}", on, "decision")
    return hold


@acts(IA, what="close a case line")
def close_line(
    user: User,
    line: CaseLine,
    *,
    on: dt.date | None = None,
    active_contracts: str = "",
    reason: str = "",
) -> LineClosure:
    """A line closes once the case is SSC and the line is delivered; a line whose contracts are
    still active closes conditionally, naming them (DSCA 26-32)."""
    with transaction.atomic():
        current = reload_locked(user, line)
        case = FmsCase.objects.system().select_for_update().get(pk=current.case_id)
        _require(user, [_ia(case)], "close this case's lines")
        on = clock.action_day(user, on)
        open_, untitled = _open_deliveries(case.pk, current.pk)
        contracts = (active_contracts or "").strip()
        refuse_if(
            rules.line_closure_problem(
                case.status,
                LineClosure.objects.system().filter(line=current).exists(),
                open_ + untitled,
                bool(contracts),
                contracts,
            )
        )
        refuse_if(
            rules.date_order_problem(
                {"ssc_on": case.ssc_on, "closed_on": on},
                (("ssc_on", "supply/services complete (SSC)"), ("closed_on", "line closure")),
            )
        )
        closure = LineClosure(
            case=case,
            line=current,
            closed_on=on,
            conditional=bool(contracts),
            active_contracts=contracts,
        )
        closure.marking = current.marking
        closure.full_clean()
        closure.save()
        core.log_change(user, closure, ChangeAction.CREATE, None, core.snapshot(closure), reason)
        _event(
            user,
            case,
            f"Line {current.number} closed"
            + (f" conditionally (active contracts: {contracts})" if contracts else ""),
            on,
        )
    return closure


@acts(IA, what="record that a conditionally closed line's contracts are closed out")
def close_out_contracts(
    user: User, closure: LineClosure, *, on: dt.date | None = None, reason: str = ""
) -> LineClosure:
    with transaction.atomic():
        current = reload_locked(user, closure)
        case = FmsCase.objects.system().get(pk=current.case_id)
        _require(user, [_ia(case)], "record the contract closeout of this line")
        on = clock.action_day(user, on)
        refuse_if(rules.contracts_closed_problem(current.conditional, current.contracts_closed_on))
        refuse_if(
            rules.date_order_problem(
                {"closed_on": current.closed_on, "contracts_closed_on": on},
                (("closed_on", "line closure"), ("contracts_closed_on", "contract closeout")),
            )
        )
        _write(
            user, current, {"contracts_closed_on": on}, transition="contracts-closed", reason=reason
        )
        _event(user, case, f"{current}: contracts closed out", on)
    return current


@not_an_action(
    "the figures of a quarter's DD Form 645, read without writing (the issue action writes)"
)
def statement_figures(case: FmsCase, period_end: dt.date) -> rules.Statement:
    lines = [(ln.number, ln.item, ln.total_value) for ln in _lines(case)]
    numbers = {ln.pk: ln.number for ln in _lines(case)}
    return rules.dd645(
        period_end,
        facts.dd645_payment_due(period_end),
        lines,
        PaymentScheduleEntry.objects.system().filter(case=case).values_list("due_on", "amount"),
        Collection.objects.system().filter(case=case).values_list("received_on", "amount"),
        [
            (numbers.get(line_id), dated, obligated, expended)
            for line_id, dated, obligated, expended in CaseExpenditure.objects.system()
            .filter(case=case)
            .values_list("line_id", "dated", "obligated", "expended")
        ],
    )


@acts(IA, what="issue a quarterly DD Form 645 billing statement")
def issue_dd645(
    user: User,
    case: FmsCase,
    period_end: dt.date | None,
    *,
    on: dt.date | None = None,
    notes: str = "",
) -> BillingStatement:
    """SPEC §5 / SAMM C9.10: the quarterly billing statement from the case's payment schedule,
    collections and costs, reconciled (the differences are kept with it, internal)."""
    with transaction.atomic():
        current = reload_locked(user, case)
        _require(user, [_ia(current)], "issue this case's billing statement")
        on = clock.action_day(user, on)
        refuse_if(
            rules.statement_period_problem(
                period_end,
                current.implemented_on,
                on,
                period_end is not None
                and BillingStatement.objects.system()
                .filter(case=current, period_end=period_end)
                .exists(),
            )
        )
        s = statement_figures(current, period_end)
        statement = BillingStatement(
            case=current,
            period_end=period_end,
            issued_on=on,
            payment_due_on=s.payment_due_on,
            amount_due=s.amount_due,
            figures=s.as_dict(),
            lines=[
                {
                    "number": m.number,
                    "item": m.item,
                    "value": str(m.value),
                    "expended": str(m.expended),
                    "expended_in_period": str(m.expended_in_period),
                }
                for m in s.lines
            ],
            differences=[d.as_dict() for d in rules.reconcile(s)],
            reconciliation_notes=(notes or "").strip(),
        )
        statement.marking = current.marking
        statement.full_clean()
        statement.save()
        core.log_change(
            user, statement, ChangeAction.CREATE, None, core.snapshot(statement), "DD Form 645"
        )
        _event(user, current, f"{statement} issued: {statement.amount_due} USD due", on)
    return statement


def _check_new_closure_billing(record: MarkedModel, case: FmsCase | None) -> None:
    """Records of this section made by `create`: collections and costs. Holds, line closures and
    statements are made only by their actions."""
    if isinstance(record, ClosureHold | LineClosure | BillingStatement):
        raise Refused(
            Finding(
                "SPEC-11-closure" if not isinstance(record, BillingStatement) else "SPEC-5-DD645",
                f"a {record._meta.verbose_name} is made by its own action, not entered.",
            )
        )
    if isinstance(record, Collection | CaseExpenditure):
        if case is None or case.implemented_on is None:
            raise Refused(
                Finding(
                    "SPEC-5-DD645", "collections and costs are recorded on an implemented case."
                )
            )
        if isinstance(record, Collection):
            refuse_if(rules.payment_problem(record.amount))
        elif record.line_id and CaseLine.objects.system().get(pk=record.line_id).case_id != case.pk:
            raise Refused(Finding("SPEC-5-DD645", "the line is not on this case.", field="line"))


# === Excess Defense Articles and DCS license requests (issue 13 item 11; EO 14268) ===============
# dcseda. Who acts:
# * EDA offers: the implementing agency (MILDEP) or DSCA that owns the offer enters it, records
#   the congressional notification, offers, transfers or withdraws it; the recipient (a partner
#   representative of its country) or the owner on its behalf accepts or declines.
# * DCS license requests: the applicant company's industry representative, or the SCO of the
#   destination country (tracking it for the country team), enters the request and records its
#   submission, DDTC's receipt and a withdrawal; DoS Political-Military Affairs (DDTC's bureau)
#   records the congressional certification (AECA §36(c)/(d)); DoS PM or the SCO records DDTC's
#   decision. No company acts on another's license (R-IND-01): the door hides it from them.

EDA_OWNERS = IA | {Role.DSCA_STAFF}
DCS_ENTRY = SCO_CLERICAL | {Role.INDUSTRY_REP}
DCS_DECIDERS = SCO | {Role.STATE_PM}
DCS_CERTIFIERS = frozenset({Role.STATE_PM})
EDA_OWNER_KINDS = (
    OrganizationKind.IMPLEMENTING_AGENCY,
    OrganizationKind.MILDEP,
    OrganizationKind.DSCA,
)


# --- EDA ---------------------------------------------------------------------------------------


@not_an_action("derived fact the views and API show: the EDA notification of an offer")
def eda_notification(offer: EdaOffer, on: dt.date | None = None) -> rules.Notification:
    return facts.eda_notification(offer.original_acquisition_value or Decimal("0"), on)


@not_an_action("predicate the views ask to show the EDA owner's buttons")
def may_act_for_eda_owner(user: User, offer: EdaOffer) -> bool:
    return access.holds_role(user, EDA_OWNERS, system_org(offer.owner_org_id))


@not_an_action("predicate the views ask to show the recipient's buttons")
def may_act_as_eda_recipient(user: User, offer: EdaOffer) -> bool:
    return _may_write_any(
        user, _partner_orgs(offer.country_id), PURCHASER
    ) or may_act_for_eda_owner(user, offer)


def _check_eda(offer: EdaOffer) -> None:
    refuse_if(
        rules.eda_offer_problem(
            offer.authority,
            offer.terms,
            offer.original_acquisition_value,
            offer.current_value,
            offer.as_is_where_is,
        )
    )


@acts(EDA_OWNERS, what="enter an EDA offer")
def create_eda(user: User, offer: EdaOffer, *, reason: str = "") -> EdaOffer:
    """R-EDA-01: an offer of excess defense articles, by the implementing agency or DSCA."""
    owner = system_org(offer.owner_org_id)
    if owner is None or owner.kind not in EDA_OWNER_KINDS:
        raise Refused(
            Finding(
                "R-EDA-01",
                "EDA are offered by a military department's implementing agency or by DSCA: choose it as the owner.",
                field="owner_org",
            )
        )
    require_role(user, EDA_OWNERS, owner, "enter an EDA offer")
    core.require_links_visible(user, offer, skip_organizations=True)
    _check_eda(offer)
    offer.status = EdaStatus.PROPOSED
    offer.shared_with_partner = False
    return core.create_record(user, offer, reason=reason)


@acts(EDA_OWNERS, what="change an EDA offer")
def update_eda(
    user: User, offer: EdaOffer, changes: dict[str, Any], *, reason: str = ""
) -> EdaOffer:
    """The offer's terms change only while it is proposed; after, withdraw it and offer anew."""
    with locked(user, offer) as current:
        if not may_act_for_eda_owner(user, current):
            raise NotPermitted(
                f"Only a {describe_roles(EDA_OWNERS)} in {system_org(current.owner_org_id)} can change this EDA offer."
            )
        if current.status != EdaStatus.PROPOSED:
            raise Refused(
                Finding(
                    "R-EDA-01",
                    f"the offer is {current.get_status_display().lower()}: its terms no longer change. Withdraw it and enter a new offer.",
                )
            )
        if "owner_org" in changes and changes["owner_org"] != current.owner_org:
            raise Refused(
                Finding("R-EDA-01", "the offering organization does not change.", field="owner_org")
            )
        probe = EdaOffer(
            **{f.attname: getattr(current, f.attname) for f in EdaOffer._meta.concrete_fields}
        )
        for k, v in changes.items():
            if k != "marking":
                setattr(probe, k, v)
        core.require_links_visible(user, probe, skip_organizations=True)
        _check_eda(probe)
        if (
            current.notified_on
            and probe.original_acquisition_value != current.original_acquisition_value
        ):
            raise Refused(
                Finding(
                    "SPEC-11-EDA-notification",
                    "Congress was notified of this offer at its original acquisition value: enter a new offer for different articles.",
                    field="original_acquisition_value",
                )
            )
        _write(user, current, changes, reason=reason)
    return current


@acts(EDA_OWNERS, what="record the congressional notification of an EDA transfer")
def record_eda_notification(
    user: User, offer: EdaOffer, on: dt.date | None = None, *, reason: str = ""
) -> EdaOffer:
    """SPEC §11 EDA row (FAA §516(f)): the date Congress was notified of the proposed transfer."""
    with locked(user, offer) as current:
        if not may_act_for_eda_owner(user, current):
            raise NotPermitted(
                f"Only a {describe_roles(EDA_OWNERS)} in {system_org(current.owner_org_id)} can record this notification."
            )
        _record_notified_on(
            user,
            current,
            on,
            eda_notification,
            "SPEC-11-EDA-notification",
            None,
            ("proposed", "offered", "accepted"),
            "before the transfer, on an offer not withdrawn or declined",
            transition="eda-notify",
            reason=reason,
        )
    return current


def _record_notified_on(
    user: User,
    current: EdaOffer | DcsLicense,
    on: dt.date | None,
    notification_of,
    rule: str,
    earliest: dt.date | None,
    open_states: tuple[str, ...],
    window: str,
    *,
    transition: str,
    reason: str,
) -> None:
    """The day Congress was notified (EDA, DCS), on a record re-read under its lock: only where
    the record reaches a threshold, while it is in `open_states`, not before `earliest`."""
    on = clock.action_day(user, on)
    refuse_if(
        rules.notification_entry_problem(
            rule,
            notification_of(current, on),
            on,
            earliest,
            current.status not in open_states,
            window,
        )
    )
    _write(user, current, {"notified_on": on}, transition=transition, reason=reason)


def _eda_transition(
    user: User, offer: EdaOffer, name: str, on: dt.date | None, reason: str, who
) -> EdaOffer:
    with locked(user, offer) as current:
        refuse_if(rules.lifecycle_problem(rules.EDA, "R-EDA-01", name, current.status))
        who(current)
        on = clock.action_day(user, on)
        previous = max(
            (d for d in (current.offered_on, current.accepted_on) if d is not None), default=None
        )
        refuse_if(rules.eda_date_problem(name, on, previous))
        if name == "transfer":
            refuse_if(
                rules.statutory_wait_problem(
                    "SPEC-11-EDA-notification",
                    eda_notification(current, on),
                    current.notified_on,
                    on,
                    "transfer",
                    "transferred_on",
                )
            )
        changes: dict[str, Any] = {
            "status": rules.EDA.target(name),
            rules.EDA_DATE_OF[name]: on,
        }
        if name in rules.EDA_SHARED_FROM:
            changes["shared_with_partner"] = True
        _write(user, current, changes, transition=f"eda-{name}", reason=reason)
        if name == "offer":
            core.notify(
                user,
                current,
                sco_orgs(current.country_id) + _partner_orgs(current.country_id),
                f"EDA offered: {current.title}",
                rule="R-EDA-01",
                body="Excess defense articles are offered “as is, where is”: record the recipient's acceptance or refusal.",
            )
    return current


@acts(EDA_OWNERS, what="offer, transfer or withdraw an EDA offer")
def eda_step(
    user: User, offer: EdaOffer, name: str, on: dt.date | None = None, *, reason: str = ""
) -> EdaOffer:
    """The owner's steps of the EDA lifecycle (rules.EDA): offer, transfer, withdraw. The
    transfer waits the notification period (SPEC §11 EDA row)."""
    if name not in ("offer", "transfer", "withdraw"):
        raise Refused(
            Finding(
                "R-EDA-01",
                f"“{name}” is not the offering organization's step: offer, transfer or withdraw.",
            )
        )

    def who(current):
        if not may_act_for_eda_owner(user, current):
            raise NotPermitted(
                f"Only a {describe_roles(EDA_OWNERS)} in {system_org(current.owner_org_id)} can {name} this EDA offer."
            )

    return _eda_transition(user, offer, name, on, reason, who)


@acts(PURCHASER | EDA_OWNERS, what="record the recipient's acceptance or refusal of an EDA offer")
def eda_recipient_step(
    user: User, offer: EdaOffer, name: str, on: dt.date | None = None, *, reason: str = ""
) -> EdaOffer:
    """The recipient accepts or declines the offer (or the owner records it on its behalf)."""
    if name not in ("accept", "decline"):
        raise Refused(
            Finding("R-EDA-01", f"“{name}” is not the recipient's step: accept or decline.")
        )

    def who(current):
        if not may_act_as_eda_recipient(user, current):
            raise NotPermitted(
                f"Only a {describe_roles(PURCHASER)} of the recipient, or the offering organization, can {name} this offer."
            )

    return _eda_transition(user, offer, name, on, reason, who)


@not_an_action("the EDA step by name, for the page's and the API's buttons: each action checks")
def eda_take_step(
    user: User, offer: EdaOffer, name: str, on: dt.date | None = None, *, reason: str = ""
) -> EdaOffer:
    """The recipient accepts or declines; the offering organization takes the other steps."""
    if name in ("accept", "decline"):
        return eda_recipient_step(user, offer, name, on, reason=reason)
    return eda_step(user, offer, name, on, reason=reason)


# --- DCS license requests ----------------------------------------------------------------------


@not_an_action("derived fact the views and API show: the §36(c)/(d) notification of a request")
def dcs_notification(lic: DcsLicense, on: dt.date | None = None) -> rules.Notification:
    return facts.dcs_notification(lic, on)


@not_an_action("derived fact the views and API show: DDTC review days against the goal")
def dcs_timeliness(lic: DcsLicense, today_: dt.date) -> dict[str, Any]:
    """R-DCS-03: days from DDTC's receipt to its decision (to the withdrawal, or to today while
    open), the dated goal in force at receipt where one is on record, and whether the request is
    past it (a notification case is one of the goal's published exceptions; a withdrawn request
    was never decided, so it is neither within nor past the goal)."""
    row = dcs_review_row(lic)
    days_ = lic.days_to_decision(today_)
    late = None if lic.withdrawn_on else rules.dcs_late(days_, row.goal_days, row.exempt)
    return {"days": days_, "goal": row.goal_days, "exempt": row.exempt, "late": late}


@not_an_action("derived fact: one request's row of the R-DCS-03 review figures")
def dcs_review_row(lic: DcsLicense) -> rules.DcsReviewRow:
    """The same facts for the list's summary and the request's page: the goal in force at DDTC's
    receipt, and whether the request needs a congressional notification (the goal's exception,
    whether or not the certification is recorded yet)."""
    start = lic.received_on or lic.submitted_on
    return rules.DcsReviewRow(
        start,
        lic.decided_on,
        dcs_notification(lic, start).required if start else False,
        facts.dcs_review_goal(start) if start else None,
    )


@not_an_action("derived figures: R-DCS-03 over the requests a list shows, counted in SQL")
def dcs_review_figures(listed) -> rules.DcsReviewSummary:
    """rules.dcs_review_summary of dcs_review_row for every request of `listed` (a door
    queryset), counted in the database (issue 15 item 4: 17,000 requests at enterprise scale were
    read and tested one by one). The receipt dates are cut into spans over which every fact is
    the same (facts.dcs_periods); within each, the §36(c)/(d) test and the goal are a CASE, and
    the requests are counted by (days to decision, notification case, goal): a few hundred rows
    however many requests."""
    listed = (
        listed.order_by()
        .alias(
            dcs_start=Coalesce("received_on", "submitted_on"),
            dcs_value=Coalesce("value", Value(Decimal(0))),
            dcs_mde=Coalesce("mde_value", Value(Decimal(0))),
        )
        .filter(dcs_start__isnull=False)
    )
    countries = sorted(set(listed.values_list("country_id", flat=True).distinct()))
    exempt, goals = [], []
    for p in facts.dcs_periods(countries):
        span = Q()
        if p.since is not None:
            span &= Q(dcs_start__gte=p.since)
        if p.until is not None:
            span &= Q(dcs_start__lt=p.until)
        if p.refused is not None:
            if listed.filter(span).exists():
                raise p.refused  # as dcs_notification does for a request received then
            continue
        goals.append(When(span, then=Value(p.goal_days)))

        def meets(t: rules.DcsThresholds, p=p) -> Q:  # rules.dcs_notification's reasons
            return (
                Q(dcs_mde__gte=t.mde_usd)
                | Q(dcs_value__gte=t.total_usd)
                | Q(firearms_category_i=True, dcs_value__gte=p.firearms_usd)
                | Q(manufacture_abroad_sme=True, license_type__in=rules.DCS_AGREEMENTS)
            )

        if p.nato5_members:
            nato5 = Q(country_id__in=sorted(p.nato5_members))
            exempt.append(When(span & nato5 & meets(p.nato5), then=Value(True)))
            exempt.append(When(span & ~nato5 & meets(p.standard), then=Value(True)))
        else:
            exempt.append(When(span & meets(p.standard), then=Value(True)))
    counted = listed.values(
        exempt_=Case(*exempt, default=Value(False), output_field=BooleanField()),
        goal_=Case(*goals, default=Value(None), output_field=IntegerField()),
        days_=ExpressionWrapper(F("decided_on") - F("dcs_start"), output_field=DurationField()),
    ).annotate(n=Count("pk"))
    return rules.dcs_review_counted(
        (
            None if row["days_"] is None else row["days_"].days,
            row["exempt_"],
            row["goal_"],
            row["n"],
        )
        for row in counted
    )


@not_an_action("predicate: the company's own industry representative")
def is_company_rep(user: User, lic: DcsLicense) -> bool:
    return access.holds_role(user, {Role.INDUSTRY_REP}, system_org(lic.company_id))


@not_an_action("predicate the views ask to show the entry buttons of a DCS license request")
def may_enter_dcs(user: User, lic: DcsLicense) -> bool:
    return is_company_rep(user, lic) or _may_write_any(user, sco_orgs(lic.country_id), SCO_CLERICAL)


@not_an_action("predicate the views ask to show the decision buttons of a DCS license request")
def may_decide_dcs(user: User, lic: DcsLicense) -> bool:
    return access.holds_role(user, DCS_CERTIFIERS) or _may_write_any(
        user, sco_orgs(lic.country_id), SCO
    )


def _require_dcs_entry(user: User, lic: DcsLicense, what: str) -> None:
    if not may_enter_dcs(user, lic):
        raise NotPermitted(
            f"Only the applicant company's industry representative, or a {describe_roles(SCO_CLERICAL)} in the SCO of the destination country, can {what}."
        )


def _check_dcs(user: User, lic: DcsLicense) -> None:
    company = system_org(lic.company_id)
    refuse_if(
        rules.dcs_request_problem(
            lic.license_type,
            lic.value,
            lic.mde_value,
            lic.manufacture_abroad_sme,
            bool(lic.fms_case_id or lic.lor_id),
            lic.relation,
            company is not None and company.kind == OrganizationKind.COMPANY,
        )
    )
    core.require_links_visible(user, lic, skip_organizations=True)
    for link, field in ((lic.fms_case, "fms_case"), (lic.lor, "lor")):
        if link is not None and link.country_id != lic.country_id:
            raise Refused(
                Finding(
                    "R-DCS-01",
                    f"{link} is for another country than this license's destination: choose one of {lic.country_id}'s.",
                    field=field,
                )
            )


@acts(DCS_ENTRY, what="enter a DCS license request")
def create_dcs(user: User, lic: DcsLicense, *, reason: str = "") -> DcsLicense:
    """R-DCS-01: a DCS license request, entered by the applicant or by the destination's SCO."""
    _check_dcs(user, lic)
    _require_dcs_entry(user, lic, "enter a license request")
    core.check_marking(lic.marking)
    core.check_new_marking(user, lic.marking)
    lic.status = DcsStatus.DRAFT
    lic.full_clean()
    with transaction.atomic():
        lic.save()
        core.log_change(user, lic, ChangeAction.CREATE, None, core.snapshot(lic), reason)
    return lic


@acts(DCS_ENTRY, what="change a DCS license request")
def update_dcs(
    user: User, lic: DcsLicense, changes: dict[str, Any], *, reason: str = ""
) -> DcsLicense:
    """The request is edited while it is being prepared; once submitted, DDTC has it as filed."""
    with locked(user, lic) as current:
        _require_dcs_entry(user, current, "change this license request")
        if current.status not in rules.DCS_EDITABLE:
            raise Refused(
                Finding(
                    "R-DCS-01",
                    f"the request is {current.get_status_display().lower()}: DDTC holds it as submitted. Withdraw it and enter a new request.",
                )
            )
        if (
            "company" in changes
            and getattr(changes["company"], "pk", changes["company"]) != current.company_id
        ):
            raise Refused(
                Finding(
                    "R-IND-01",
                    "the applicant company does not change: enter a new request for the other company.",
                    field="company",
                )
            )
        probe = DcsLicense(
            **{f.attname: getattr(current, f.attname) for f in DcsLicense._meta.concrete_fields}
        )
        for k, v in changes.items():
            if k != "marking":
                setattr(probe, k, v)
        _check_dcs(user, probe)
        _require_dcs_entry(user, probe, "change this license request")
        _write(user, current, changes, reason=reason)
    return current


@acts(
    DCS_ENTRY | DCS_DECIDERS,
    what="record a DCS license request's submission, receipt or withdrawal",
)
def dcs_step(
    user: User,
    lic: DcsLicense,
    name: str,
    on: dt.date | None = None,
    *,
    reference: str = "",
    reason: str = "",
) -> DcsLicense:
    """Submission to DDTC (with its case number), DDTC's receipt, the company's withdrawal."""
    if name not in ("submit", "receive", "withdraw"):
        raise Refused(
            Finding(
                "R-DCS-01", f"“{name}” is not a step recorded here: submit, receive or withdraw."
            )
        )
    with locked(user, lic) as current:
        refuse_if(rules.lifecycle_problem(rules.DCS, "R-DCS-01", name, current.status))
        if name == "receive":
            if not (may_enter_dcs(user, current) or may_decide_dcs(user, current)):
                raise NotPermitted(
                    "Only DoS Political-Military Affairs, the SCO of the destination country or the applicant can record DDTC's receipt."
                )
        else:
            _require_dcs_entry(user, current, f"{name} this license request")
        on = clock.action_day(user, on, current.submitted_on)
        refuse_if(rules.dcs_date_problem(name, on, current.submitted_on, current.received_on))
        changes: dict[str, Any] = {"status": rules.DCS.target(name)}
        if name == "submit":
            changes["submitted_on"] = on
            if reference.strip():
                changes["reference"] = reference.strip()
        elif name == "receive":
            changes["received_on"] = on
        else:
            changes["withdrawn_on"] = on
        _write(user, current, changes, transition=f"dcs-{name}", reason=reason)
    return current


@acts(
    DCS_CERTIFIERS, what="record the congressional certification of a DCS license (AECA §36(c)/(d))"
)
def record_dcs_notification(
    user: User, lic: DcsLicense, on: dt.date | None = None, *, reason: str = ""
) -> DcsLicense:
    """R-DCS-02: the day Congress received the certification of the proposed license."""
    with locked(user, lic) as current:
        _record_notified_on(
            user,
            current,
            on,
            dcs_notification,
            "R-DCS-02",
            current.submitted_on,
            ("submitted", "in_review"),
            "while the request is with DDTC, before its decision",
            transition="dcs-notify",
            reason=reason,
        )
    return current


@acts(DCS_DECIDERS, what="record DDTC's decision on a DCS license request")
def dcs_decide(
    user: User,
    lic: DcsLicense,
    name: str,
    on: dt.date | None = None,
    *,
    provisos: str = "",
    note: str = "",
    reason: str = "",
) -> DcsLicense:
    """DDTC approves (with its provisos), denies or returns the request without action. An
    approval waits the §36(c)/(d) period after the certification (R-DCS-02), like 36(b)."""
    if name not in rules.DCS_DECISIONS:
        raise Refused(Finding("R-DCS-01", f"“{name}” is not a decision: approve, deny or return."))
    with locked(user, lic) as current:
        if not may_decide_dcs(user, current):
            raise NotPermitted(
                "Only DoS Political-Military Affairs or the SCO of the destination country can record DDTC's decision."
            )
        refuse_if(rules.lifecycle_problem(rules.DCS, "R-DCS-01", name, current.status))
        refuse_if(rules.dcs_decision_problem(name, note, provisos))
        on = clock.action_day(user, on, current.received_on)
        refuse_if(rules.dcs_date_problem(name, on, current.submitted_on, current.received_on))
        if name == "approve":
            refuse_if(
                rules.statutory_wait_problem(
                    "R-DCS-02",
                    dcs_notification(current, on),
                    current.notified_on,
                    on,
                    "approval",
                    "decided_on",
                )
            )
        _write(
            user,
            current,
            {
                "status": rules.DCS.target(name),
                "decided_on": on,
                "provisos": provisos.strip(),
                "decision_note": note.strip(),
            },
            transition=f"dcs-{name}",
            reason=reason,
        )
    return current


# The text inputs of the DCS steps, as the page's form and the API name them.
DCS_STEP_INPUTS = ("reference", "provisos", "decision_note")


@not_an_action("the DCS step by name, for the page's and the API's buttons: each action checks")
def dcs_take_step(
    user: User, lic: DcsLicense, name: str, on: dt.date | None, inputs: dict, reason: str
) -> DcsLicense:
    """DDTC's decisions take the `provisos` and the `decision_note` of `inputs`; the other steps
    (submission, receipt, withdrawal) its `reference` (DCS_STEP_INPUTS)."""
    if name in rules.DCS_DECISIONS:
        provisos, note = inputs.get("provisos", ""), inputs.get("decision_note", "")
        return dcs_decide(user, lic, name, on, provisos=provisos, note=note, reason=reason)
    return dcs_step(user, lic, name, on, reference=inputs.get("reference", ""), reason=reason)
