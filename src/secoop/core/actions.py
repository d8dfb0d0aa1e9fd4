"""The one way to change state (ARCHITECTURE invariant 2).

Every create, update, delete and status transition of a domain record runs here or in an app's
actions.py built on these helpers: check permission, check the rules (errors name the rule id and
the fix), write the change and its change-log entry in one transaction, then notify on commit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import access, rules
from .context import current_remote_addr, current_request_id
from .errors import NotPermitted, RuleViolation
from .markings import Classification, Marking, MarkingError, combine_strict
from .models import (
    AuditEvent,
    ChangeLogEntry,
    Country,
    LogonAttempt,
    MarkedModel,
    Membership,
    Notification,
    Organization,
    User,
)
from .models.changelog import AuditEventKind, ChangeAction
from .models.organizations import OrganizationKind

SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "tree_path"}


# --- snapshots and the change log ------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's own fields as JSON-ready values (foreign keys by id), marking as text."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SNAPSHOT_EXCLUDE or field.name in ("classification", "dissemination", "rel_to"):
            continue
        data[field.name] = _jsonable(getattr(instance, field.attname))
    if isinstance(instance, MarkedModel):
        data["marking"] = instance.marking_text
    json.dumps(data)  # fail here, not in the database, if something is not serializable
    return data


def _first_hop(path: str | None) -> str | None:
    return path.split("__", 1)[0] if path else None


def _state_marking(instance: MarkedModel, state: dict | None) -> Marking | None:
    """The marking a snapshot was taken under (snapshots carry it as text)."""
    if state is None:
        return None
    text = state.get("marking")
    if text:
        try:
            return Marking.parse(text)
        except MarkingError:
            pass
    return instance.marking


def entry_scope(instance: MarkedModel, before: dict | None, after: dict | None) -> dict[str, Any]:
    """Marking and scope of the change-log entry for a change from `before` to `after` (R-SEC-10,
    ARCHITECTURE invariant 8): the door must show the entry only to readers who could see the
    record in every state it shows. Marking: the highest classification, releasable only where
    both states are (`markings.combine_strict`). Partner visibility: only when both states were
    partner-visible. Owner or country changed: partners never see the entry, and with the owner
    changed no organization-scoped reader (industry) does either (conservative: one entry carries
    one owner and one country)."""
    states = [s for s in (before, after) if s is not None]
    markings = [m for m in (_state_marking(instance, s) for s in states) if m is not None] or [instance.marking]
    marking = combine_strict(markings)
    owner_id = instance.owner_org_id_value()
    country_id = instance.country_value()
    if instance.partner_visible_field:
        flags = [bool(s.get(instance.partner_visible_field, False)) for s in states if instance.partner_visible_field in s]
        partner_visible = all(flags) if flags else bool(getattr(instance, instance.partner_visible_field))
    else:
        partner_visible = bool(instance.partner_visible)
    if before is not None and after is not None:
        owner_hop = _first_hop(instance.owner_org_field)
        country_hop = _first_hop(instance.country_field)
        owner_moved = owner_hop not in (None, "id") and before.get(owner_hop) != after.get(owner_hop)
        country_moved = country_hop is not None and before.get(country_hop) != after.get(country_hop)
        if owner_moved:
            owner_id = None
            partner_visible = False
        if country_moved:
            partner_visible = False
    return {"marking": marking, "owner_org_id": owner_id, "country_id": country_id, "partner_visible": partner_visible}


def build_change_entry(
    acting_user: User | None,
    instance: MarkedModel,
    action: str,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    transition: str = "",
    request_id: uuid.UUID | None = None,
) -> ChangeLogEntry:
    """The change-log entry for a change, unsaved (the data generator bulk-creates them). Its
    marking and scope cover both the before and the after state (`entry_scope`, R-SEC-10), so
    that history is filtered like the record in each state; the history parent is read by id,
    with no query."""
    parent_ct, parent_id = None, ""
    if instance.history_parent:
        fk = instance._meta.get_field(instance.history_parent)
        value = getattr(instance, fk.attname)
        if value is not None:
            parent_ct, parent_id = ContentType.objects.get_for_model(fk.related_model), str(value)
    scope = entry_scope(instance, before, after)
    author = acting_user if acting_user is not None and acting_user.pk else None
    entry = ChangeLogEntry(
        at=timezone.now(),
        user=author,
        username=author.username if author else "",
        request_id=request_id or current_request_id(),
        action=action,
        transition=transition,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        related_content_type=parent_ct,
        related_object_id=parent_id,
        before=before,
        after=after,
        reason=reason,
        owner_org_id=scope["owner_org_id"],
        country_id=scope["country_id"],
        partner_visible=scope["partner_visible"],
    )
    entry.marking = scope["marking"]
    return entry


def log_change(
    acting_user: User | None,
    instance: MarkedModel,
    action: str,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    transition: str = "",
) -> ChangeLogEntry:
    entry = build_change_entry(acting_user, instance, action, before, after, reason, transition)
    entry.save()
    return entry


def audit(kind: str, *, user: User | None = None, username: str = "", actor: User | None = None, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user if user and user.pk else None,
        username=username or (user.username if user else ""),
        actor=actor if actor and actor.pk else None,
        request_id=current_request_id(),
        remote_addr=current_remote_addr(),
        detail=detail,
    )


# --- markings --------------------------------------------------------------------------------


def deployment_ceiling() -> Classification:
    return Classification.parse(settings.MAX_CLASSIFICATION)


def check_marking(marking: Marking | str, field: str = "marking") -> Marking:
    """R-SEC-01: a readable marking, REL TO real countries, not above what this deployment holds."""
    try:
        marking = Marking.parse(marking) if isinstance(marking, str) else marking
    except MarkingError as exc:
        raise RuleViolation("R-SEC-01", str(exc), field) from None
    ceiling = deployment_ceiling()
    if marking.exceeds(ceiling):
        raise RuleViolation(
            "R-SEC-01",
            f"this system holds information up to {ceiling.label} only; a record marked "
            f"{marking.classification.label} belongs on a system accredited for it. Lower the marking "
            "if that is right, or do not enter the record here.",
            field,
        )
    if marking.rel_to:
        known = set(Country.objects.filter(alpha3__in=marking.rel_to).values_list("alpha3", flat=True))
        unknown = [c for c in marking.rel_to if c not in known]
        if unknown:
            raise RuleViolation(
                "R-SEC-01",
                f"unknown country code {', '.join(unknown)} in REL TO: use ISO 3166 alpha-3 trigraphs "
                "such as USA, GBR or XBN.",
                field,
            )
    return marking


# --- marking authority (R-SEC-10) ---------------------------------------------------------------


def check_new_marking(acting_user: User, marking: Marking) -> None:
    """R-SEC-10 on create: LE staff and partner users release what they enter to at most USA and
    their own country."""
    profile = access.profile_for(acting_user)
    if profile is None:
        return
    problem = rules.new_marking_problem(profile.person, marking)
    if problem:
        raise RuleViolation("R-SEC-10", problem, "marking")


def check_marking_change(
    acting_user: User | None, before: Marking, after: Marking, owner_id: int | None, *, reason: str = ""
) -> str:
    """R-SEC-10 on update: lowering a classification needs the classification authority role,
    widening releasability the foreign disclosure officer role, held in the record's owner
    organization (`owner_id`, or one above it) by a U.S. person, with a reason; LE staff and partner users
    change no marking. Returns how the change is recorded ("downgrade", "release", both joined by
    "+", or ""). Every app path that changes a marking calls this (core.update_record does)."""
    change = rules.marking_change(before, after)
    if not change.changed or acting_user is None:
        return ""
    profile = access.profile_for(acting_user)
    if profile is None:
        raise NotPermitted("Sign in with an active account to change a record's marking.")
    owner = Organization.objects.system().filter(pk=owner_id).first() if owner_id else None
    held = frozenset(r for r in change.roles if owner is not None and access.holds_role(acting_user, r, owner))
    where = str(owner) if owner is not None else "the owning organization"
    problem = rules.marking_change_problem(profile.person, change, held, reason, where)
    if problem:
        field, message = problem
        raise RuleViolation("R-SEC-10", message, field)
    return change.transition


def join_transitions(*names: str) -> str:
    return "+".join(n for n in names if n)


# --- generic create / update / delete --------------------------------------------------------


def _require_write(acting_user: User, owner_org: Organization | None, verb: str, what: str) -> None:
    if owner_org is None:
        raise RuleViolation("", f"choose the organization that owns this {what}.", "owner_org")
    if not access.can_write_for(acting_user, owner_org):
        raise NotPermitted(
            f"You cannot {verb} a {what} owned by {owner_org}: that takes an editing role in "
            f"{owner_org} or an organization above it."
        )


def _owner_of(instance: MarkedModel) -> Organization | None:
    if isinstance(instance, Organization):
        return instance.parent if instance.pk is None else instance
    owner_id = instance.owner_org_id_value()
    return Organization.objects.system().filter(pk=owner_id).first() if owner_id else None


def _require_visible_after(acting_user: User, instance: MarkedModel) -> None:
    """No one writes a record they could not then read (a partner cannot create NOFORN data)."""
    if not access.can_see_record(acting_user, instance):
        raise RuleViolation(
            "R-SEC-01",
            f"you could not read a record marked {instance.marking_text}: choose a marking your "
            "clearance and citizenship cover.",
            "marking",
        )


def _validate(instance: models.Model, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise exc


def create_record(
    acting_user: User,
    instance: MarkedModel,
    *,
    reason: str = "",
    after_save: Callable[[MarkedModel], None] | None = None,
) -> MarkedModel:
    """Save a new domain record the acting user may write, with its change-log entry."""
    what = instance._meta.verbose_name
    check_marking(instance.marking)
    check_new_marking(acting_user, instance.marking)
    _require_write(acting_user, _owner_of(instance), "create", what)
    _require_visible_after(acting_user, instance)
    _validate(instance)
    with transaction.atomic():
        instance.save()
        if after_save:
            after_save(instance)
        log_change(acting_user, instance, ChangeAction.CREATE, None, snapshot(instance), reason)
    return instance


def _reload_for_update(acting_user: User, instance: MarkedModel) -> MarkedModel:
    model = type(instance)
    current = model.objects.editable_by(acting_user).select_for_update().filter(pk=instance.pk).first()
    if current is None:
        raise NotPermitted(
            f"You cannot change this {model._meta.verbose_name}: it is not yours to edit, or it no "
            "longer exists. Editing takes a role in the owning organization or one above it."
        )
    return current


def update_record(
    acting_user: User,
    instance: MarkedModel,
    changes: dict[str, Any],
    *,
    reason: str = "",
    transition: str = "",
) -> MarkedModel:
    """Apply `changes` (field → value; 'marking' takes text) to a record the user may edit."""
    with transaction.atomic():
        current = _reload_for_update(acting_user, instance)
        before = snapshot(current)
        before_marking, before_owner = current.marking, current.owner_org_id_value()
        old_path = getattr(current, "tree_path", "")
        for name, value in changes.items():
            if name == "marking":
                current.marking = check_marking(value)
            else:
                setattr(current, name, value)
        marking_transition = check_marking_change(acting_user, before_marking, current.marking, before_owner, reason=reason)
        if isinstance(current, Organization) and "parent" in changes:
            _place_in_tree(current)
        moved_org = isinstance(current, Organization) and "parent" in changes
        new_owner = current.parent if moved_org else _owner_of(current)
        _require_write(acting_user, new_owner, "move", current._meta.verbose_name)
        _require_visible_after(acting_user, current)
        _validate(current)
        after = snapshot(current)
        if before == after:
            return current
        current.save()
        if moved_org:
            _repath_subtree(current, before_path=old_path)
        transition = join_transitions(transition, marking_transition)
        log_change(
            acting_user,
            current,
            ChangeAction.TRANSITION if transition else ChangeAction.UPDATE,
            before,
            after,
            reason,
            transition,
        )
    # Keep the caller's object in step.
    for field in current._meta.concrete_fields:
        setattr(instance, field.attname, getattr(current, field.attname))
    return current


def delete_record(acting_user: User, instance: MarkedModel, *, reason: str = "") -> None:
    with transaction.atomic():
        current = _reload_for_update(acting_user, instance)
        before = snapshot(current)
        log_change(acting_user, current, ChangeAction.DELETE, before, None, reason)
        try:
            current.delete()
        except models.ProtectedError as exc:
            names = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            raise RuleViolation(
                "",
                f"{current} cannot be deleted while {', '.join(names)} refer to it: move or delete those first.",
            ) from None


# --- organizations ---------------------------------------------------------------------------


def _place_in_tree(org: Organization) -> None:
    parent = org.parent
    if parent is not None and rules.would_create_cycle(org.pk, parent.tree_path):
        raise RuleViolation(
            "",
            f"{parent} is inside {org}'s own subtree, so {org} cannot be placed under it. Choose a "
            f"parent outside {org}'s subtree.",
            "parent",
        )
    if parent is not None and parent.pk == org.pk:
        raise RuleViolation("", f"{org} cannot be its own parent. Choose another parent.", "parent")


def _repath_subtree(org: Organization, before_path: str) -> None:
    new_path = (org.parent.tree_path if org.parent_id else "/") + f"{org.pk}/"
    if new_path == before_path:
        return
    for node in Organization.objects.system().filter(tree_path__startswith=before_path).order_by("tree_path"):
        node.tree_path = new_path + node.tree_path[len(before_path) :]
        node.save(update_fields=["tree_path"])
    org.tree_path = new_path


def create_organization(acting_user: User, org: Organization, *, reason: str = "") -> Organization:
    if org.parent_id is None:
        raise RuleViolation(
            "", "every organization sits under another (DoD, DoS, a partner ministry, …): choose its parent.", "parent"
        )
    if org.kind == OrganizationKind.CCMD and not org.ccmd:
        raise RuleViolation("", "a combatant command needs its command (AFRICOM, CENTCOM, …).", "ccmd")

    def set_path(saved: Organization) -> None:
        saved.tree_path = f"{saved.parent.tree_path}{saved.pk}/"
        saved.save(update_fields=["tree_path"])

    return create_record(acting_user, org, reason=reason, after_save=set_path)


def system_create(instance: MarkedModel, *, reason: str) -> MarkedModel:
    """Create a record as the system (set-up, demo data, data generator, imports run by an
    operator): no acting user, so no permission check, but the same marking and validation rules
    and the same change-log entry, with "system" as the author."""
    check_marking(instance.marking)
    with transaction.atomic():
        if isinstance(instance, Organization):
            instance.full_clean()
            instance.save()
            instance.tree_path = (instance.parent.tree_path if instance.parent_id else "/") + f"{instance.pk}/"
            instance.save(update_fields=["tree_path"])
        else:
            instance.full_clean()
            instance.save()
        log_change(None, instance, ChangeAction.CREATE, None, snapshot(instance), reason)
    return instance


# --- notifications (ARCHITECTURE invariant 2: actions queue notifications on commit) ------------


def notify(
    acting_user: User | None,
    record: MarkedModel,
    recipients: Iterable[Organization],
    subject: str,
    *,
    body: str = "",
    rule: str = "",
    url: str = "",
) -> list[Notification]:
    """Tell each recipient organization about `record`. The notifications are written in the
    caller's transaction (if the change rolls back, nothing was said) with the record's marking
    and country, so the door shows them only to those who may see the record; their e-mail
    announcement goes out once the transaction commits."""
    made: list[Notification] = []
    seen: set[int] = set()
    record_partner_visible = bool(
        getattr(record, record.partner_visible_field) if record.partner_visible_field else record.partner_visible
    )
    with transaction.atomic():
        for org in recipients:
            if org is None or org.pk in seen:
                continue
            seen.add(org.pk)
            note = Notification(
                recipient_org=org,
                country_id=record.country_value(),
                subject=subject[:200],
                body=body,
                rule=rule,
                url=url or (record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""),
                content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
                object_id=str(record.pk),
                sent_by=acting_user if acting_user is not None and acting_user.pk else None,
                # A partner reads only what is said to a partner organization, about a record
                # it may see; what the SCO is told stays with U.S. staff (R-SEC-03).
                partner_visible=record_partner_visible
                and OrganizationKind.audience_of(org.kind) == rules.Audience.PARTNER,
            )
            note.marking = record.marking
            note.full_clean()
            note.save()
            log_change(acting_user, note, ChangeAction.CREATE, None, snapshot(note), reason=rule)
            made.append(note)
        if made:
            ids = [n.pk for n in made]
            transaction.on_commit(lambda: _deliver_later(ids))
    return made


def _deliver_later(ids: list[int]) -> None:
    from .tasks import deliver_notifications

    deliver_notifications.enqueue(ids)


def deliver_notifications(ids: list[int]) -> int:
    """E-mail the members of each recipient organization who may see the notification that
    something waits for them in secoop. The mail names no record and no content. Returns how many
    messages were sent."""
    from django.core.mail import send_mail

    sent = 0
    for note in Notification.objects.system().filter(pk__in=ids, delivered_at__isnull=True).select_related("recipient_org"):
        members = User.objects.filter(
            memberships__organization=note.recipient_org, is_active=True, locked_at__isnull=True
        ).exclude(email="").distinct()
        addresses = sorted({m.email for m in members if access.can_see_record(m, note)})
        if addresses:
            sent += send_mail(
                subject="secoop: a notification for " + (note.recipient_org.short_name or note.recipient_org.name),
                message=(
                    "Something in secoop waits for your organization. Sign in to read it:\n"
                    f"{settings.SITE_URL.rstrip('/')}{note.get_absolute_url()}\n\n"
                    "This message carries no record content by design."
                ),
                from_email=None,
                recipient_list=addresses,
                fail_silently=False,
            )
        Notification.objects.system().filter(pk=note.pk).update(delivered_at=timezone.now())
    return sent


def acknowledge_notification(acting_user: User, note: Notification, *, reason: str = "") -> Notification:
    """A member of the recipient organization (or one above it) marks the notification as dealt with."""
    if note.acknowledged_at is not None:
        raise RuleViolation(
            "", f"this notification was already acknowledged by {note.acknowledged_by or 'the system'} "
            f"on {note.acknowledged_at:%d %b %Y}; there is nothing left to do."
        )
    return update_record(
        acting_user, note, {"acknowledged_at": timezone.now(), "acknowledged_by": acting_user},
        reason=reason, transition="acknowledge",
    )


# --- accounts (R-SEC-05, R-SEC-07, R-SEC-09) ---------------------------------------------------


def _require_administrator(acting_user: User, what: str) -> None:
    profile = access.profile_for(acting_user)
    if profile is None or not profile.is_administrator:
        raise NotPermitted(f"Only an administrator can {what}.")


def record_logon(user: User | None, username: str, succeeded: bool, channel: str = "web") -> bool:
    """Record a logon attempt; lock the account on the third consecutive failure inside the window
    (R-SEC-07). Returns True when this attempt locked the account (or, for a successful one, when
    the account was locked meanwhile). The user's row is locked while counting, so concurrent wrong
    guesses are counted one after another and lock exactly at the third."""
    with transaction.atomic():
        if user is not None:
            # Lock the user's row before counting: a no-op UPDATE is a row lock on PostgreSQL and
            # takes SQLite's write lock first (a SELECT … FOR UPDATE would be a plain read there).
            User.objects.filter(pk=user.pk).update(locked_at=F("locked_at"))
            user.locked_at = User.objects.filter(pk=user.pk).values_list("locked_at", flat=True).first()
        locked_meanwhile = succeeded and user is not None and user.locked_at is not None
        if locked_meanwhile:
            succeeded = False  # a right password on a locked account is no logon
        now = timezone.now()
        LogonAttempt.objects.create(
            username=username[:150], user=user, at=now, succeeded=succeeded, channel=channel,
            remote_addr=current_remote_addr(),
        )
        if succeeded:
            User.objects.filter(pk=user.pk).update(last_login=now)
            audit(AuditEventKind.LOGON, user=user, detail=f"channel={channel}")
            return False
        audit(AuditEventKind.LOGON_FAILED, user=user, username=username[:150], detail=f"channel={channel}")
        if user is None or user.locked_at is not None:
            return locked_meanwhile
        window = dt.timedelta(minutes=settings.LOCKOUT_WINDOW_MINUTES)
        recent = list(
            LogonAttempt.objects.filter(user=user, at__gte=now - window)
            .order_by("at", "id")
            .values_list("at", "succeeded")
        )
        if rules.should_lock(recent, now, settings.LOCKOUT_FAILED_ATTEMPTS, window):
            User.objects.filter(pk=user.pk).update(locked_at=now)
            user.locked_at = now
            audit(
                AuditEventKind.LOCKOUT,
                user=user,
                detail=f"{settings.LOCKOUT_FAILED_ATTEMPTS} failed logons within "
                f"{settings.LOCKOUT_WINDOW_MINUTES} minutes (R-SEC-07)",
            )
            return True
    return False


def unlock_account(acting_user: User, user: User, *, reason: str) -> User:
    """R-SEC-07: only an administrator unlocks, and says why."""
    _require_administrator(acting_user, "unlock an account")
    if not reason or not reason.strip():
        raise RuleViolation("R-SEC-07", "say why the account is unlocked (e.g. identity confirmed by phone).", "reason")
    if user.locked_at is None:
        raise RuleViolation("R-SEC-07", f"{user.username} is not locked.")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(locked_at=None)
        user.locked_at = None
        audit(AuditEventKind.UNLOCK, user=user, actor=acting_user, detail=reason.strip())
    return user


def disable_inactive_accounts(now: dt.datetime | None = None) -> list[str]:
    """R-SEC-05: disable (never delete) accounts unused for ACCOUNT_INACTIVITY_DAYS."""
    now = now or timezone.now()
    days = settings.ACCOUNT_INACTIVITY_DAYS
    disabled: list[str] = []
    cutoff = now - dt.timedelta(days=days)
    # Last use is the last logon, or the day the account was made if it never logged on.
    candidates = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    with transaction.atomic():
        for user in candidates.select_for_update():
            if not rules.is_inactive(user.last_login, user.date_joined, now, days):
                continue
            user.is_active = False
            user.disabled_reason = f"Not used for {days} days (R-SEC-05)"
            user.save(update_fields=["is_active", "disabled_reason"])
            audit(AuditEventKind.DISABLED_INACTIVE, user=user, detail=f"last used {rules.inactive_since(user.last_login, user.date_joined):%Y-%m-%d}")
            disabled.append(user.username)
    return disabled


def enable_account(acting_user: User, user: User, *, reason: str) -> User:
    _require_administrator(acting_user, "re-enable an account")
    if not reason.strip():
        raise RuleViolation("R-SEC-05", "say why the account is re-enabled.", "reason")
    with transaction.atomic():
        user.is_active = True
        user.disabled_reason = ""
        # A fresh start for the inactivity clock, or the nightly job disables it again at once.
        user.last_login = timezone.now()
        user.save(update_fields=["is_active", "disabled_reason", "last_login"])
        audit(AuditEventKind.ACCOUNT_CHANGE, user=user, actor=acting_user, detail=f"re-enabled: {reason.strip()}")
    return user


def grant_membership(acting_user: User | None, user: User, organization: Organization, role: str) -> Membership:
    """Give `user` a role in `organization`. Administrators only (set-up code passes None)."""
    if acting_user is not None:
        _require_administrator(acting_user, "grant roles")
    if not rules.role_allowed_in(role, user.audience):
        raise RuleViolation(
            "R-SEC-03",
            f"a {user.get_audience_display()} user cannot hold the role {dict(rules.Role.CHOICES).get(role, role)}.",
            "role",
        )
    if organization.audience != user.audience:
        raise RuleViolation(
            "R-SEC-03",
            f"{user.username} is a {user.get_audience_display()} user and cannot join {organization} "
            f"({organization.get_kind_display()}).",
            "organization",
        )
    with transaction.atomic():
        membership, _ = Membership.objects.get_or_create(user=user, organization=organization, role=role)
        audit(
            AuditEventKind.PRIVILEGED,
            user=user,
            actor=acting_user,
            detail=f"role {role} granted in {organization} (#{organization.pk})",
        )
    access.forget_profile(user)
    return membership
