"""'What needs me today' for FMS cases (ARCHITECTURE §5), read through the door:
* the case manager (an editing role in the IA that owns the case): LOAs in development past their
  AOD, and deliveries open past their planned date;
* the SCO (an editing role in an SCO of the purchaser's country): offered LOAs near their OED, LORs
  awaiting routing or validation, and decisions not yet notified to the IA and DSCA (R-FMS-08);
* the partner: its supply discrepancy reports the ILCO has replied to (the partner decides whether
  to ask for reconsideration); a report still with the ILCO is not the partner's to do.
Each list holds only what its user may do (issue 12.1): routing an LOR and advising the IA and DSCA
are the U.S. SCO staff's (Role.SCO), not the LE assistants'."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from secoop.core import clock
from secoop.core.fields import reader_of
from secoop.core.related import related
from secoop.core.rules import Audience
from secoop.core.rules import Role
from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import overdue_severity
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import actions
from . import facts
from .rules import Status

SECTION = "FMS cases"
SCO_ROLES = Role.SCO  # route_lor and notify_ia_and_dsca declare these: LE assistants do neither
IA_ROLES = frozenset({Role.CASE_MANAGER})
OED_HORIZON_DAYS = 30  # how far ahead the SCO is reminded of an OED: a display choice, not guidance
LIMIT = 8


def _memberships(user):
    cached = getattr(user, "_cases_memberships", None)
    if cached is None:
        cached = [(m.role, m.organization) for m in user.memberships.select_related("organization")]
        user._cases_memberships = cached
    return cached


def _sco_countries(user) -> set[str]:
    """The countries of the SCOs where the user, as U.S. staff, holds an SCO role; none for a
    partner or industry user."""
    if not usg_holding(user):
        return set()
    return {
        org.country_id for role, org in _memberships(user) if role in SCO_ROLES and org.country_id
    }


def _staff_paths(user, roles=IA_ROLES) -> list[str]:
    """The organizations (tree paths) where the user, as U.S. staff, holds one of `roles`: the
    records they act on are owned there. None for a partner or industry user."""
    if not usg_holding(user):
        return []
    return [org.tree_path for role, org in _memberships(user) if role in roles and org.tree_path]


def _owned_by(queryset, paths, prefix=""):
    from django.db.models import Q

    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}owner_org__tree_path__startswith": path})
    return queryset.filter(q)


def _about_case(record, user, rule, title, detail, *, severity="warning", due=None, tab=""):
    """An item about a case's child record (a delivery, an emergency implementation): it names
    the case when the user may see it and links to the case's page (to its `tab`)."""
    case = related(record, "case", user)
    url = reverse("cases:case-detail", args=[record.case_id]) + (f"?tab={tab}" if tab else "")
    name = case.identifier if case else "a case you may not see"
    return TodayItem(
        title=f"{title}{name}", detail=detail, url=url, rule=rule, severity=severity, due=due
    )


@register(SECTION)
def case_manager_items(user) -> list[TodayItem]:
    from .models import Delivery
    from .models import FmsCase

    paths = _staff_paths(user)
    if not paths:
        return []
    today = clock.today_for(user)
    items = []
    late_aod = (
        _owned_by(FmsCase.objects.visible_to(user), paths)
        .filter(status__in=Status.PRE_OFFER, aod__lt=today)
        .order_by("aod")
    )
    for c in late_aod[:LIMIT]:
        items.append(
            about(
                c,
                "SPEC-11-AOD",
                f"{c.identifier} not offered by its AOD",
                f"AOD {c.aod:%d %b %Y}; {Status.LABELS[c.status].lower()}. Record a delay reason code.",
                due=c.aod,
            )
        )
    late = (
        _owned_by(Delivery.objects.visible_to(user), paths, "case__")
        .filter(actual_on__isnull=True, planned_on__lt=today)
        .select_related("case")
    )
    for d in late.order_by("planned_on")[:LIMIT]:
        items.append(
            _about_case(
                d,
                user,
                "R-FMS-06",
                "Late delivery on ",
                f"{d.planned_quantity} planned by {d.planned_on:%d %b %Y}: {d.days_late(today)} days late.",
                severity="error",
                due=d.planned_on,
                tab="deliveries",
            )
        )
    return items


@register(SECTION)
def sco_items(user) -> list[TodayItem]:
    from .models import FmsCase
    from .models import LetterOfRequest

    countries = _sco_countries(user)
    if not countries:
        return []
    today = clock.today_for(user)
    items = []
    near = (
        FmsCase.objects.visible_to(user)
        .filter(
            country_id__in=countries,
            status=Status.OFFERED,
            oed__gte=today,
            oed__lte=today + dt.timedelta(days=OED_HORIZON_DAYS),
        )
        .order_by("oed")
    )
    for c in near[:LIMIT]:
        items.append(
            about(
                c,
                "R-FMS-03",
                f"{c.identifier} offer expires {c.oed:%d %b %Y}",
                "The purchaser signs and pays the initial deposit by the OED.",
                due=c.oed,
            )
        )
    waiting = (
        LetterOfRequest.objects.visible_to(user)
        .filter(country_id__in=countries, status__in=["received", "submitted"])
        .order_by("received_on")
    )
    for lor in waiting[:LIMIT]:
        due = actions.validation_due(lor) if lor.status == "submitted" and lor.received_on else None
        items.append(
            about(
                lor,
                "R-FMS-01",
                f"LOR {'to route' if lor.status == 'received' else 'awaiting validation'}: {lor.title}",
                (
                    f"Validation due {due:%d %b %Y} (goal {facts.days(facts.LOR_VALIDATION, lor.received_on)} days)."
                    if due
                    else "Route it to an implementing agency."
                ),
                severity=overdue_severity(due, today, "info" if due is None else "warning"),
                due=due,
            )
        )
    unsent = (
        FmsCase.objects.visible_to(user)
        .filter(country_id__in=countries, sco_notified_on__isnull=True)
        .exclude(accepted_on__isnull=True, rejected_on__isnull=True)
    )
    for c in unsent.order_by("identifier")[:LIMIT]:
        items.append(
            about(
                c,
                "R-FMS-08",
                f"Advise the IA and DSCA: {c.identifier} {'accepted' if c.accepted_on else 'rejected'}",
                "The SCO advises the IA and DSCA after the purchaser's decision.",
            )
        )
    return items


@register(SECTION)
def partner_items(user) -> list[TodayItem]:
    from .models import SupplyDiscrepancyReport

    if reader_of(user) != Audience.PARTNER:
        return []
    replied = (
        SupplyDiscrepancyReport.objects.visible_to(user)
        .filter(status="replied")
        .order_by("-replied_on", "-pk")
    )
    today = clock.today_for(user)
    items = []
    for s in replied[:LIMIT]:
        due = actions.sdr_reconsideration_due(s)
        if due is not None and due < today:
            continue
        by = f" by {due:%d %b %Y}" if due else ""
        items.append(
            about(
                s,
                "R-FMS-10",
                f"The ILCO replied to {s}",
                f"Read the reply; ask for reconsideration{by} if you disagree.",
                severity="info",
                due=due,
            )
        )
    return items


# === fmsclssa: emergency implementation (SAMM C6.1.2) ===========================================


@register(SECTION)
def emergency_items(user) -> list[TodayItem]:
    """DSCA staff: emergency implementation requests waiting for DSCA's written decision. The case
    manager: cases that went ahead on DSCA's approval whose deposit is past the expected day."""
    from .models import EmergencyImplementation
    from .models import EmergencyStatus

    if not usg_holding(user):
        return []
    today = clock.today_for(user)
    items = []
    if any(role == Role.DSCA_STAFF for role, _ in _memberships(user)):
        waiting = (
            EmergencyImplementation.objects.visible_to(user)
            .filter(status=EmergencyStatus.REQUESTED)
            .select_related("case")
            .order_by("requested_on", "pk")
        )
        for r in waiting[:LIMIT]:
            items.append(
                _about_case(
                    r,
                    user,
                    "SPEC-11-acceptance",
                    "Emergency implementation requested: ",
                    f"Requested {r.requested_on:%d %b %Y}: record DSCA's written decision (who, the reference).",
                    due=r.requested_on,
                )
            )
    paths = _staff_paths(user)
    if paths:
        owed = (
            _owned_by(EmergencyImplementation.objects.visible_to(user), paths, "case__")
            .filter(
                status=EmergencyStatus.APPROVED,
                expected_deposit_on__lt=today,
                case__deposit_on__isnull=True,
            )
            .select_related("case")
            .order_by("expected_deposit_on")
        )
        for r in owed[:LIMIT]:
            items.append(
                _about_case(
                    r,
                    user,
                    "SPEC-11-acceptance",
                    "Initial deposit overdue: ",
                    f"Implemented on DSCA's emergency approval; the deposit was expected {r.expected_deposit_on:%d %b %Y}.",
                    severity="error",
                    due=r.expected_deposit_on,
                )
            )
    return items


# === closure (issue 13 item 6) ======================================================================


@register(SECTION)
def closure_items(user) -> list[TodayItem]:
    """The case manager's SSC cases whose closure is due (§11: 12 months after SSC is posted, at
    once if final delivery was more than 12 months before)."""
    from .models import FmsCase

    paths = _staff_paths(user)
    if not paths:
        return []
    today = clock.today_for(user)
    due = (
        _owned_by(FmsCase.objects.visible_to(user), paths)
        .filter(status=Status.SSC, closure_due__lte=today)
        .order_by("closure_due")
    )
    return [
        about(
            c,
            "SPEC-11-closure",
            f"{c.identifier} is due for closure",
            f"Supply/services complete {c.ssc_on:%d %b %Y}; closure due {c.closure_due:%d %b %Y}. Close its lines, then close the case (interim or final).",
            due=c.closure_due,
            tab="closure",
        )
        for c in due[:LIMIT]
    ]


# === Excess Defense Articles and DCS license requests (dcseda) ===================================


@register("DCS license requests")
def dcs_certification_items(user) -> list[TodayItem]:
    """DoS PM (who alone records the §36(c)/(d) certification): requests with DDTC that need one
    and have none yet — DDTC cannot approve them until Congress has had its days (R-DCS-02)."""
    from .models import DcsLicense

    if not usg_holding(user, actions.DCS_CERTIFIERS):
        return []
    items = []
    waiting = (
        DcsLicense.objects.visible_to(user)
        .filter(status__in=("submitted", "in_review"), notified_on__isnull=True)
        .order_by("submitted_on")
    )
    for lic in waiting[: LIMIT * 4]:
        n = actions.dcs_notification(lic)
        if not n.required:
            continue
        items.append(
            about(
                lic,
                "R-DCS-02",
                f"Certify to Congress: {lic}",
                f"{'; '.join(n.reasons)}. DDTC approves {n.days} days after Congress receives the certification.",
                due=lic.submitted_on,
            )
        )
        if len(items) >= LIMIT:
            break
    return items


@register("Excess defense articles")
def eda_transfer_items(user) -> list[TodayItem]:
    """The offering organization: accepted EDA offers to transfer, with the first day the
    congressional notification allows (SPEC §11 EDA row)."""
    from .models import EdaOffer

    paths = _staff_paths(user, actions.EDA_OWNERS)
    if not paths:
        return []
    today = clock.today_for(user)
    items = []
    for offer in _owned_by(EdaOffer.objects.visible_to(user), paths).filter(status="accepted")[
        :LIMIT
    ]:
        n = actions.eda_notification(offer, today)
        if n.required and offer.notified_on is None:
            detail, severity = (
                "Record the notification to Congress: the transfer waits for it.",
                "error",
            )
        elif n.required:
            from .rules import offer_allowed_from

            allowed = offer_allowed_from(offer.notified_on, n.days)
            detail = f"May be transferred from {allowed:%d %b %Y}."
            severity = "info" if allowed > today else "warning"
        else:
            detail, severity = (
                "No notification needed: record the transfer when it happens.",
                "warning",
            )
        items.append(
            about(
                offer,
                "SPEC-11-EDA-notification",
                f"Transfer {offer.title}",
                detail,
                severity=severity,
            )
        )
    return items
