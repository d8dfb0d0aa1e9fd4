"""The one way to change state (ARCHITECTURE invariant 2).

Every create, update, delete and status transition of a domain record runs here or in an app's
actions.py built on these helpers: check permission, check the rules (errors name the rule id and
the fix), write the change and its change-log entry in one transaction, then notify on commit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import access
from . import fields as field_policy
from . import rules
from . import versioning
from .context import current_remote_addr
from .context import current_request_id
from .errors import NotPermitted
from .formats import day
from .markings import Classification
from .markings import Dissemination
from .markings import Marking
from .markings import MarkingError
from .markings import combine_strict
from .models import AccessChangeRequest
from .models import AccessChangeStatus
from .models import AuditEvent
from .models import ChangeLogEntry
from .models import Country
from .models import LogonAttempt
from .models import MarkedModel
from .models import Membership
from .models import Notification
from .models import Organization
from .models import User
from .models.changelog import AuditEventKind
from .models.changelog import ChangeAction
from .models.organizations import OrganizationKind
from .models.records import system_writes  # noqa: F401  (the write context, re-exported)
from .models.records import writing_as  # noqa: F401  (the write context, re-exported)
from .permissions import Approval
from .permissions import acts
from .permissions import not_an_action
from .permissions import require_role
from .rules import Role
from .verdicts import Finding
from .verdicts import Refused
from .verdicts import blank_text
from .verdicts import refuse_if

# Organization fields that members' access profiles are built from (core.access.build_profile).
ORG_ACCESS_FIELDS = {"parent", "parent_id", "country", "country_id", "time_zone", "tree_path"}
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
        if field.name in SNAPSHOT_EXCLUDE or field.name in (
            "classification",
            "dissemination",
            "rel_to",
        ):
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
    # Snapshots write the marking with str(Marking), so it always parses; a snapshot without one
    # (a model that is not marked) takes the record's.
    return Marking.parse(text) if text else instance.marking


def _changes_nothing_a_partner_sees(model, before: dict, after: dict) -> bool:
    """Whether the partner's cut of both states is the same (field policy, core.fields)."""
    if field_policy.policy_of(model).partner is None:
        return False
    return field_policy.restrict(model, field_policy.PARTNER, before) == field_policy.restrict(
        model, field_policy.PARTNER, after
    )


def entry_scope(instance: MarkedModel, before: dict | None, after: dict | None) -> dict[str, Any]:
    """Marking and scope of the change-log entry for a change from `before` to `after` (R-SEC-10,
    ARCHITECTURE invariant 8): the door must show the entry only to readers who could see the
    record in every state it shows. Marking: the highest classification, releasable only where
    both states are (`markings.combine_strict`). Partner visibility: only when both states were
    partner-visible. Owner or country changed: partners never see the entry, and with the owner
    changed no organization-scoped reader (industry) does either (conservative: one entry carries
    one owner and one country)."""
    states = [s for s in (before, after) if s is not None]
    markings = [m for m in (_state_marking(instance, s) for s in states) if m is not None] or [
        instance.marking
    ]
    marking = combine_strict(markings)
    owner_id = instance.owner_org_id_value()
    country_id = instance.country_value()
    if instance.partner_visible_field:
        flags = [
            bool(s.get(instance.partner_visible_field, False))
            for s in states
            if instance.partner_visible_field in s
        ]
        partner_visible = (
            all(flags) if flags else bool(getattr(instance, instance.partner_visible_field))
        )
    else:
        partner_visible = bool(instance.partner_visible)
    if before is not None and after is not None:
        owner_hop = _first_hop(instance.owner_org_field)
        country_hop = _first_hop(instance.country_field)
        owner_moved = owner_hop not in (None, "id") and before.get(owner_hop) != after.get(
            owner_hop
        )
        country_moved = country_hop is not None and before.get(country_hop) != after.get(
            country_hop
        )
        if owner_moved:
            owner_id = None
            partner_visible = False
        if country_moved:
            partner_visible = False
        if partner_visible and _changes_nothing_a_partner_sees(type(instance), before, after):
            # R-SEC-03, invariant 8: an entry whose every change is in fields hidden from the
            # partner would still tell the partner that, and when, something hidden changed.
            partner_visible = False
    return {
        "marking": marking,
        "owner_org_id": owner_id,
        "country_id": country_id,
        "partner_visible": partner_visible,
    }


@not_an_action("reads the change log: who wrote a record, for R-SEC-11")
def authors_of(record: MarkedModel, parts: tuple[type[MarkedModel], ...] | None = None) -> set[int]:
    """The users who created the record or changed its content (the change log's create and
    update entries, its own and its parts' — an LOA's lines, a CETPP's lines; status changes are
    decisions, not authorship). `parts`: the child records that are its content (an LOA's lines,
    not the case's event log or deliveries); None counts every child. For R-SEC-11."""
    ct = ContentType.objects.get_for_model(record, for_concrete_model=True)
    children = Q(related_content_type=ct, related_object_id=str(record.pk))
    if parts is not None:
        children &= Q(content_type__in=ContentType.objects.get_for_models(*parts).values())
    return set(
        ChangeLogEntry.objects.system()
        .filter(
            Q(content_type=ct, object_id=str(record.pk)) | children,
            action__in=[ChangeAction.CREATE, ChangeAction.UPDATE],
            user__isnull=False,
        )
        .values_list("user_id", flat=True)
    )


@not_an_action("writes the change-log entry of a change an action already checked")
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


@not_an_action("writes the change-log entry of a change an action already checked")
def log_change(*args, **kwargs) -> ChangeLogEntry:
    """Write the change-log entry of a change: build_change_entry's arguments, saved."""
    entry = build_change_entry(*args, **kwargs)
    entry.save()
    return entry


def audit(
    kind: str,
    *,
    user: User | None = None,
    username: str = "",
    actor: User | None = None,
    detail: str = "",
) -> AuditEvent:
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
        raise Refused(Finding("R-SEC-01", str(exc), field=field)) from None
    ceiling = deployment_ceiling()
    if marking.exceeds(ceiling):
        raise Refused(
            Finding(
                "R-SEC-01",
                f"this system holds information up to {ceiling.label} only; a record marked "
                f"{marking.classification.label} belongs on a system accredited for it. Lower the marking "
                "if that is right, or do not enter the record here.",
                field=field,
            )
        )
    if marking.rel_to:
        known = set(
            Country.objects.filter(alpha3__in=marking.rel_to).values_list("alpha3", flat=True)
        )
        unknown = [c for c in marking.rel_to if c not in known]
        if unknown:
            raise Refused(
                Finding(
                    "R-SEC-01",
                    f"unknown country code {', '.join(unknown)} in REL TO: use ISO 3166 alpha-3 trigraphs "
                    "such as USA, GBR or XBN.",
                    field=field,
                )
            )
    return marking


# --- marking authority (R-SEC-10) ---------------------------------------------------------------


@not_an_action("the marking check that create_record and the apps' create actions run (R-SEC-10)")
def check_new_marking(acting_user: User, marking: Marking) -> None:
    """R-SEC-10 on create: LE staff and partner users release what they enter to at most USA and
    their own country."""
    profile = access.profile_for(acting_user)
    if profile is None:
        return
    refuse_if(rules.new_marking_problem(profile.person, marking))


@not_an_action(
    "the marking-authority check that update_record and the apps' writers run (R-SEC-10)"
)
def check_marking_change(
    acting_user: User | None,
    before: Marking,
    after: Marking,
    owner_id: int | None,
    *,
    reason: str = "",
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
    held = frozenset(
        r for r in change.roles if owner is not None and access.holds_role(acting_user, r, owner)
    )
    where = str(owner) if owner is not None else "the owning organization"
    refuse_if(rules.marking_change_problem(profile.person, change, held, reason, where))
    return change.transition


def join_transitions(*names: str) -> str:
    return "+".join(n for n in names if n)


# --- generic create / update / delete --------------------------------------------------------


def _require_write(
    acting_user: User, owner_org: Organization | None, verb: str, what: str, model=None
) -> None:
    if owner_org is None:
        raise Refused(
            Finding("", f"choose the organization that owns this {what}.", field="owner_org")
        )
    if not access.can_write_for(acting_user, owner_org, model):
        raise NotPermitted(
            f"You cannot {verb} a {what} owned by {owner_org}: that takes an editing role in "
            f"{owner_org} or an organization above it."
        )


def _owner_of(instance: MarkedModel) -> Organization | None:
    if isinstance(instance, Organization):
        return instance.parent if instance.pk is None else instance
    owner_id = instance.owner_org_id_value()
    return Organization.objects.system().filter(pk=owner_id).first() if owner_id else None


@not_an_action("the check every app's writers run on the records a change links to (R-SEC-01)")
def require_links_visible(
    user: User | None,
    record: MarkedModel,
    before: MarkedModel | None = None,
    *,
    skip_organizations: bool = False,
) -> None:
    """No one links a record to one they may not read (e.g. a guessed id of a hidden case, or a
    SECRET line of activity for a CUI-cleared user). With `before`, only the links the change
    sets are checked; with `skip_organizations`, links to organizations are left to the role
    checks that choose them."""
    if user is None:
        return
    for f in record._meta.concrete_fields:
        if not f.is_relation or not issubclass(f.related_model, MarkedModel):
            continue
        if skip_organizations and issubclass(f.related_model, Organization):
            continue
        value = getattr(record, f.attname)
        if value is None or (before is not None and getattr(before, f.attname) == value):
            continue
        if not access.can_see_record(user, getattr(record, f.name)):
            raise Refused(
                Finding(
                    "R-SEC-01",
                    f"no {f.verbose_name} #{value} that you may see: choose another.",
                    field=f.name,
                )
            )


def set_fields(record: MarkedModel, changes: dict[str, Any]) -> None:
    """Set `changes` (field → value) on `record`; "marking" takes its text, checked (R-SEC-01)."""
    for name, value in changes.items():
        if name == "marking":
            record.marking = check_marking(value)
        else:
            setattr(record, name, value)


@not_an_action("writes the change-log entry of an update an action already checked")
def log_update(
    user: User | None, record: MarkedModel, before, after, reason: str = "", transition: str = ""
) -> ChangeLogEntry:
    """The change-log entry of an update: a transition's when the update has its name."""
    kind = ChangeAction.TRANSITION if transition else ChangeAction.UPDATE
    return log_change(user, record, kind, before, after, reason, transition)


def copy_fields(target: models.Model, source: models.Model) -> None:
    """Keep the caller's object in step with the row an action wrote (every concrete field)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _require_visible_after(acting_user: User, instance: MarkedModel) -> None:
    """No one writes a record they could not then read (a partner cannot create NOFORN data)."""
    if not access.can_see_record(acting_user, instance):
        raise Refused(
            Finding(
                "R-SEC-01",
                f"you could not read a record marked {instance.marking_text}: choose a marking your "
                "clearance and citizenship cover.",
                field="marking",
            )
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
    _require_write(acting_user, _owner_of(instance), "create", what, type(instance))
    return _save_new(acting_user, instance, reason, after_save)


@not_an_action("saves a new record for an action that has already checked who writes it")
def create_checked(acting_user: User, instance: MarkedModel, *, reason: str = "") -> MarkedModel:
    """Save a new record whose writer the calling action has already checked (not the edit scope
    of `create_record`: a partner's inventory opens a violation the SCO owns), with its
    change-log entry. The marking rules still hold (R-SEC-01, R-SEC-10)."""
    check_marking(instance.marking)
    check_new_marking(acting_user, instance.marking)
    return _save_new(acting_user, instance, reason)


def _save_new(
    acting_user: User,
    instance: MarkedModel,
    reason: str,
    after_save: Callable[[MarkedModel], None] | None = None,
) -> MarkedModel:
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
    current = (
        model.objects.editable_by(acting_user).select_for_update().filter(pk=instance.pk).first()
    )
    if current is None:
        raise NotPermitted(
            f"You cannot change this {model._meta.verbose_name}: it is not yours to edit, or it no "
            "longer exists. Editing takes a role in the owning organization or one above it."
        )
    versioning.check_locked(current)
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
        set_fields(current, changes)
        marking_transition = check_marking_change(
            acting_user, before_marking, current.marking, before_owner, reason=reason
        )
        if isinstance(current, Organization) and "parent" in changes:
            _place_in_tree(current)
        moved_org = isinstance(current, Organization) and "parent" in changes
        new_owner = current.parent if moved_org else _owner_of(current)
        _require_write(acting_user, new_owner, "move", current._meta.verbose_name, type(current))
        _require_visible_after(acting_user, current)
        _validate(current)
        after = snapshot(current)
        if before == after:
            return current
        current.save()
        if moved_org:
            _repath_subtree(current, before_path=old_path)
        if isinstance(current, Organization) and changes.keys() & ORG_ACCESS_FIELDS:
            # Members' write paths, partner country and time zone come from here (issue 15 §5).
            access.bump_access_version(
                Membership.objects.filter(
                    organization__tree_path__startswith=current.tree_path
                ).values_list("user_id", flat=True)
            )
        transition = join_transitions(transition, marking_transition)
        log_update(acting_user, current, before, after, reason, transition)
    copy_fields(instance, current)
    return current


@not_an_action("applies a change its action already checked, inside the action's transaction")
def apply_change(
    user: User | None,
    current: MarkedModel,
    changes: dict[str, Any],
    *,
    transition: str = "",
    reason: str = "",
) -> MarkedModel:
    """Apply `changes` to a record the caller reloaded (and locked) and log it: the apps'
    actions that decide for themselves who may change a record (cases, budget) write with this."""
    before = snapshot(current)
    before_marking, before_owner = current.marking, current.owner_org_id_value()
    set_fields(current, changes)
    # R-SEC-10: a downgrade or a wider release needs the authority, like every marking change.
    transition = join_transitions(
        transition,
        check_marking_change(user, before_marking, current.marking, before_owner, reason=reason),
    )
    current.full_clean()
    after = snapshot(current)
    if before == after:
        return current
    current.save()
    log_update(user, current, before, after, reason, transition)
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
            raise Refused(
                Finding(
                    "",
                    f"{current} cannot be deleted while {', '.join(names)} refer to it: move or delete those first.",
                )
            ) from None


# --- organizations ---------------------------------------------------------------------------


def _place_in_tree(org: Organization) -> None:
    parent = org.parent
    if parent is not None and rules.would_create_cycle(org.pk, parent.tree_path):
        raise Refused(
            Finding(
                "",
                f"{parent} is inside {org}'s own subtree, so {org} cannot be placed under it. Choose a "
                f"parent outside {org}'s subtree.",
                field="parent",
            )
        )
    if parent is not None and parent.pk == org.pk:
        raise Refused(
            Finding("", f"{org} cannot be its own parent. Choose another parent.", field="parent")
        )


def _repath_subtree(org: Organization, before_path: str) -> None:
    new_path = (org.parent.tree_path if org.parent_id else "/") + f"{org.pk}/"
    if new_path == before_path:
        return
    for node in (
        Organization.objects.system()
        .filter(tree_path__startswith=before_path)
        .order_by("tree_path")
    ):
        node.tree_path = new_path + node.tree_path[len(before_path) :]
        node.save(update_fields=["tree_path"])
    org.tree_path = new_path


@acts(Role.WRITERS | {Role.ADMINISTRATOR}, what="create an organization")
def create_organization(acting_user: User, org: Organization, *, reason: str = "") -> Organization:
    if org.parent_id is None:
        raise Refused(
            Finding(
                "",
                "every organization sits under another (DoD, DoS, a partner ministry, …): choose its parent.",
                field="parent",
            )
        )
    if org.kind == OrganizationKind.CCMD and not org.ccmd:
        raise Refused(
            Finding(
                "", "a combatant command needs its command (AFRICOM, CENTCOM, …).", field="ccmd"
            )
        )

    def set_path(saved: Organization) -> None:
        saved.tree_path = f"{saved.parent.tree_path}{saved.pk}/"
        saved.save(update_fields=["tree_path"])

    return create_record(acting_user, org, reason=reason, after_save=set_path)


def system_create(instance: MarkedModel, *, reason: str) -> MarkedModel:
    """Create a record as the system (set-up, demo data, data generator, imports run by an
    operator): no acting user, so no permission check, but the same marking and validation rules
    and the same change-log entry, with "system" as the author."""
    check_marking(instance.marking)
    with transaction.atomic(), system_writes(reason):
        if isinstance(instance, Organization):
            instance.full_clean()
            instance.save()
            instance.tree_path = (
                instance.parent.tree_path if instance.parent_id else "/"
            ) + f"{instance.pk}/"
            instance.save(update_fields=["tree_path"])
        else:
            instance.full_clean()
            instance.save()
        log_change(None, instance, ChangeAction.CREATE, None, snapshot(instance), reason)
    return instance


# --- notifications (ARCHITECTURE invariant 2: actions queue notifications on commit) ------------


@not_an_action("queues the notifications of an action that already checked its roles")
def notify(
    acting_user: User | None,
    record: MarkedModel,
    recipients: Iterable[Organization],
    subject: str,
    *,
    body: str = "",
    rule: str = "",
    url: str = "",
    released_to: str | None = None,
) -> list[Notification]:
    """Tell each recipient organization about `record`. The notifications are written in the
    caller's transaction (if the change rolls back, nothing was said) with the record's marking
    and country, so the door shows them only to those who may see the record; their e-mail
    announcement goes out once the transaction commits.

    `released_to` (a country's trigraph): what is said is handed to that country, as an issued
    ITO is (ANSWERS "Markings"): the note is marked REL TO USA and that country at the record's
    classification (at least CUI), its partner organizations may read it, and it does not point
    to the record, which keeps its own marking."""
    made: list[Notification] = []
    seen: set[int] = set()
    record_partner_visible = bool(
        getattr(record, record.partner_visible_field)
        if record.partner_visible_field
        else record.partner_visible
    )
    if released_to:
        marking = Marking(
            max(record.marking.classification, Classification.CUI),
            Dissemination.REL,
            ("USA", released_to),
        )
        where = {"country_id": released_to}
    else:
        marking = record.marking
        where = {
            "country_id": record.country_value(),
            "url": url
            or (record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""),
            "content_type": ContentType.objects.get_for_model(record, for_concrete_model=True),
            "object_id": str(record.pk),
        }
    with transaction.atomic():
        for org in recipients:
            if org is None or org.pk in seen:
                continue
            seen.add(org.pk)
            to_partner = OrganizationKind.audience_of(org.kind) == rules.Audience.PARTNER
            note = Notification(
                recipient_org=org,
                subject=subject[:200],
                body=body,
                rule=rule,
                sent_by=acting_user if acting_user is not None and acting_user.pk else None,
                **where,
                # A partner reads only what is said to a partner organization, about a record
                # it may see (or released to it); what the SCO is told stays with U.S. staff
                # (R-SEC-03).
                partner_visible=to_partner and (bool(released_to) or record_partner_visible),
            )
            note.marking = marking
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
    with system_writes("deliver notifications"):
        return _deliver(ids)


def _deliver(ids: list[int]) -> int:
    from django.core.mail import send_mail

    sent = 0
    for note in (
        Notification.objects.system()
        .filter(pk__in=ids, delivered_at__isnull=True)
        .select_related("recipient_org")
    ):
        members = (
            User.objects.filter(
                memberships__organization=note.recipient_org, is_active=True, locked_at__isnull=True
            )
            .exclude(email="")
            .distinct()
        )
        addresses = sorted({m.email for m in members if access.can_see_record(m, note)})
        if addresses:
            sent += send_mail(
                subject="secoop: a notification for "
                + (note.recipient_org.short_name or note.recipient_org.name),
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


@acts(Role.WRITERS, what="acknowledge a notification")
def acknowledge_notification(
    acting_user: User, note: Notification, *, reason: str = ""
) -> Notification:
    """A member of the recipient organization (or one above it) marks the notification as dealt with."""
    if note.acknowledged_at is not None:
        raise Refused(
            Finding(
                "",
                f"this notification was already acknowledged by {note.acknowledged_by or 'the system'} "
                f"on {day(note.acknowledged_at)}; there is nothing left to do.",
            )
        )
    return update_record(
        acting_user,
        note,
        {"acknowledged_at": timezone.now(), "acknowledged_by": acting_user},
        reason=reason,
        transition="acknowledge",
    )


# --- accounts (R-SEC-05, R-SEC-07, R-SEC-09) ---------------------------------------------------


@not_an_action("the logon itself records the attempt; `user` is the account, not an actor")
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
            user.locked_at = (
                User.objects.filter(pk=user.pk).values_list("locked_at", flat=True).first()
            )
        locked_meanwhile = succeeded and user is not None and user.locked_at is not None
        if locked_meanwhile:
            succeeded = False  # a right password on a locked account is no logon
        now = timezone.now()
        LogonAttempt.objects.create(
            username=username[:150],
            user=user,
            at=now,
            succeeded=succeeded,
            channel=channel,
            remote_addr=current_remote_addr(),
        )
        if succeeded:
            User.objects.filter(pk=user.pk).update(last_login=now)
            audit(AuditEventKind.LOGON, user=user, detail=f"channel={channel}")
            return False
        audit(
            AuditEventKind.LOGON_FAILED,
            user=user,
            username=username[:150],
            detail=f"channel={channel}",
        )
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
            access.changed_access(user)
            audit(
                AuditEventKind.LOCKOUT,
                user=user,
                detail=f"{settings.LOCKOUT_FAILED_ATTEMPTS} failed logons within "
                f"{settings.LOCKOUT_WINDOW_MINUTES} minutes (R-SEC-07)",
            )
            return True
    return False


@acts({Role.ADMINISTRATOR}, what="unlock an account")
def unlock_account(acting_user: User, user: User, *, reason: str) -> User:
    """R-SEC-07: only an administrator unlocks, and says why; never their own account (R-SEC-11)."""
    _refuse_own_account(acting_user, user, "unlock")
    if not reason or not reason.strip():
        raise Refused(
            Finding(
                "R-SEC-07",
                "say why the account is unlocked (e.g. identity confirmed by phone).",
                field="reason",
            )
        )
    if user.locked_at is None:
        raise Refused(Finding("R-SEC-07", f"{user.username} is not locked."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(locked_at=None)
        user.locked_at = None
        access.changed_access(user)
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
            access.changed_access(user)
            audit(
                AuditEventKind.DISABLED_INACTIVE,
                user=user,
                detail=f"last used {rules.inactive_since(user.last_login, user.date_joined):%Y-%m-%d}",
            )
            disabled.append(user.username)
    return disabled


@acts({Role.ADMINISTRATOR}, what="re-enable an account")
def enable_account(acting_user: User, user: User, *, reason: str) -> User:
    _refuse_own_account(acting_user, user, "re-enable")
    if not reason.strip():
        raise Refused(Finding("R-SEC-05", "say why the account is re-enabled.", field="reason"))
    with transaction.atomic():
        user.is_active = True
        user.disabled_reason = ""
        # A fresh start for the inactivity clock, or the nightly job disables it again at once.
        user.last_login = timezone.now()
        user.save(update_fields=["is_active", "disabled_reason", "last_login"])
        access.changed_access(user)
        audit(
            AuditEventKind.ACCOUNT_CHANGE,
            user=user,
            actor=acting_user,
            detail=f"re-enabled: {reason.strip()}",
        )
    return user


# --- memberships and access changes (R-SEC-11) -------------------------------------------------


def _refuse_own_account(acting_user: User | None, subject: User, verb: str) -> None:
    """R-SEC-11: no one changes their own access; another administrator does it."""
    if acting_user is not None and acting_user.pk == subject.pk:
        raise NotPermitted(
            f"You cannot {verb} your own account (R-SEC-11: no one changes their own access): ask another administrator."
        )


@acts({Role.ADMINISTRATOR}, what="grant roles", system=True)
def grant_membership(
    acting_user: User | None, user: User, organization: Organization, role: str
) -> Membership:
    """Give `user` a role in `organization`. Administrators only, never to themselves (set-up
    code passes None). Audited (R-SEC-09, R-SEC-11)."""
    _refuse_own_account(acting_user, user, "grant a role to")
    if role not in Role.LABELS:
        raise Refused(
            Finding("", f"there is no role {role!r}: choose one of the listed roles.", field="role")
        )
    if not rules.role_allowed_in(role, user.audience):
        raise Refused(
            Finding(
                "R-SEC-03",
                f"a {user.get_audience_display()} user cannot hold the role {rules.role_label(role)}.",
                field="role",
            )
        )
    if organization.audience != user.audience:
        raise Refused(
            Finding(
                "R-SEC-03",
                f"{user.username} is a {user.get_audience_display()} user and cannot join {organization} "
                f"({organization.get_kind_display()}).",
                field="organization",
            )
        )
    with transaction.atomic():
        membership, made = Membership.objects.get_or_create(
            user=user, organization=organization, role=role
        )
        if made:
            audit(
                AuditEventKind.PRIVILEGED,
                user=user,
                actor=acting_user,
                detail=f"role {role} granted in {organization} (#{organization.pk})",
            )
    access.changed_access(user)
    return membership


@acts({Role.ADMINISTRATOR}, what="revoke roles")
def revoke_membership(acting_user: User, membership: Membership, *, reason: str = "") -> None:
    """Take a role away. Administrators only, never their own (R-SEC-11). Audited."""
    subject = membership.user
    _refuse_own_account(acting_user, subject, "revoke a role of")
    with transaction.atomic():
        detail = f"role {membership.role} revoked in {membership.organization} (#{membership.organization_id})"
        membership.delete()
        audit(
            AuditEventKind.PRIVILEGED,
            user=subject,
            actor=acting_user,
            detail=detail + (f": {reason.strip()}" if reason.strip() else ""),
        )
        access.changed_access(subject)


@not_an_action("reads the access fields of an account, for the request form and the actions below")
def access_facts(user: User) -> dict[str, Any]:
    """The account fields that decide what `user` may read, as JSON-ready values."""
    return {
        "clearance": user.clearance,
        "audience": user.audience,
        "citizenship": user.citizenship_id,
        "is_le_staff": user.is_le_staff,
        "laa_level": user.laa_level,
        "last_investigation_on": _jsonable(user.last_investigation_on),
    }


def _clean_access_changes(subject: User, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate requested values; returns only the fields that really change, JSON-ready."""
    unknown = sorted(set(changes) - set(rules.ACCESS_FIELDS))
    if unknown:
        raise Refused(
            Finding(
                "R-SEC-11",
                f"{', '.join(unknown)} is not an access field; request changes to "
                f"{', '.join(rules.ACCESS_FIELDS)} only.",
                field=unknown[0],
            )
        )
    current = access_facts(subject)
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("clearance", "laa_level"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None
            if value not in dict(rules.Clearance.CHOICES):
                raise Refused(
                    Finding("R-SEC-11", "choose a clearance level from the list.", field=name)
                )
        elif name == "audience":
            if value not in dict(rules.Audience.CHOICES):
                raise Refused(
                    Finding(
                        "R-SEC-11",
                        "choose U.S. Government, partner nation or U.S. industry.",
                        field=name,
                    )
                )
        elif name == "citizenship":
            value = (value.pk if isinstance(value, Country) else str(value or "")).upper()
            if not Country.objects.filter(pk=value).exists():
                raise Refused(
                    Finding(
                        "R-SEC-11",
                        f"unknown country {value!r}: use an ISO 3166 alpha-3 code such as USA or XBN.",
                        field=name,
                    )
                )
        elif name == "is_le_staff":
            value = bool(value)
        elif name == "last_investigation_on":
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value) if value else None
                except ValueError:
                    raise Refused(
                        Finding(
                            "R-SEC-11", "give the investigation date as YYYY-MM-DD.", field=name
                        )
                    ) from None
            value = _jsonable(value)
        if current[name] != value:
            clean[name] = value
    if not clean:
        raise Refused(
            Finding("R-SEC-11", f"nothing changes: {subject.username}'s access already reads so.")
        )
    return clean


def _apply_access_changes(subject: User, changes: dict[str, Any]) -> None:
    fields = []
    for name, value in changes.items():
        if name == "citizenship":
            subject.citizenship_id = value
        elif name == "last_investigation_on":
            setattr(subject, name, dt.date.fromisoformat(value) if value else None)
        else:
            setattr(subject, name, value)
        fields.append("citizenship" if name == "citizenship" else name)
    subject.save(update_fields=fields)
    access.changed_access(subject)


def _describe(changes: dict[str, Any], before: dict[str, Any]) -> str:
    return "; ".join(
        f"{name}: {before.get(name)!r} → {value!r}" for name, value in sorted(changes.items())
    )


@acts(
    {Role.ADMINISTRATOR},
    what="request a change to someone's clearance, audience, citizenship or LAA",
)
def request_access_change(
    acting_user: User, subject: User, changes: dict[str, Any], *, reason: str
) -> AccessChangeRequest:
    """R-SEC-11: an administrator asks for a change to what `subject` may read. A change that
    widens access (a clearance or LAA raised, an audience or citizenship changed, LE status
    lifted) waits for a security officer; one that only narrows it applies at once. Audited."""
    _refuse_own_account(acting_user, subject, "change the access of")
    refuse_if(
        blank_text(
            reason,
            "R-SEC-11",
            "say why the person needs this change (job need, investigation reference).",
            "reason",
        )
    )
    with transaction.atomic():
        subject = User.objects.select_for_update().get(pk=subject.pk)
        before = access_facts(subject)
        clean = _clean_access_changes(subject, changes)
        widens = any(rules.access_change_raises(k, before[k], v) for k, v in clean.items())
        if (
            widens
            and AccessChangeRequest.objects.filter(
                subject=subject, status=AccessChangeStatus.PENDING
            ).exists()
        ):
            raise Refused(
                Finding(
                    "R-SEC-11",
                    f"a request for {subject.username} already waits for a security officer: "
                    "let it be decided first.",
                )
            )
        now = timezone.now()
        req = AccessChangeRequest.objects.create(
            subject=subject,
            requested_by=acting_user,
            requested_at=now,
            reason=reason.strip(),
            before=before,
            changes=clean,
            status=AccessChangeStatus.PENDING if widens else AccessChangeStatus.APPLIED,
            decided_at=None if widens else now,
        )
        audit(
            AuditEventKind.PRIVILEGED,
            user=subject,
            actor=acting_user,
            detail=f"access change #{req.pk} {'requested' if widens else 'applied (lowers access)'}: "
            f"{_describe(clean, before)} — {reason.strip()}",
        )
        if not widens:
            _apply_access_changes(subject, clean)
    return req


def _decide(acting_user: User, req: AccessChangeRequest, verb: str) -> AccessChangeRequest:
    current = (
        AccessChangeRequest.objects.select_for_update()
        .select_related("subject")
        .filter(pk=req.pk)
        .first()
    )
    if current is None or not current.is_pending:
        raise Refused(
            Finding("R-SEC-11", "this request is no longer waiting: it was decided already.")
        )
    if acting_user.pk == current.requested_by_id:
        raise NotPermitted(
            f"You cannot {verb} a request you made (R-SEC-11: a second person decides): ask another security officer."
        )
    if acting_user.pk == current.subject_id:
        raise NotPermitted(
            f"You cannot {verb} a change to your own access (R-SEC-11): ask another security officer."
        )
    require_role(acting_user, {Role.SECURITY_OFFICER}, None, f"{verb} an access change")
    return current


def _requester_of(req: AccessChangeRequest) -> set[int]:
    return {req.requested_by_id}


@acts(
    {Role.SECURITY_OFFICER},
    what="approve an access change",
    approves=Approval("access change request", authors=_requester_of),
)
def approve_access_change(
    acting_user: User, req: AccessChangeRequest, *, note: str = ""
) -> AccessChangeRequest:
    """R-SEC-11: the second person approves; only now does the account change. Audited."""
    with transaction.atomic():
        current = _decide(acting_user, req, "approve")
        subject = User.objects.select_for_update().get(pk=current.subject_id)
        now_facts = access_facts(subject)
        if any(now_facts[k] != v for k, v in current.before.items()):
            raise Refused(
                Finding(
                    "R-SEC-11",
                    f"{subject.username}'s access changed since the request was made: refuse it and ask "
                    "the administrator for a new one.",
                )
            )
        _apply_access_changes(subject, current.changes)
        current.status = AccessChangeStatus.APPROVED
        current.decided_by = acting_user
        current.decided_at = timezone.now()
        current.decision_note = (note or "").strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            AuditEventKind.ACCOUNT_CHANGE,
            user=subject,
            actor=acting_user,
            detail=f"access change #{current.pk} approved and applied: {_describe(current.changes, current.before)}"
            + (f" — {current.decision_note}" if current.decision_note else ""),
        )
    return current


@acts({Role.SECURITY_OFFICER}, what="refuse an access change")
def refuse_access_change(
    acting_user: User, req: AccessChangeRequest, *, note: str
) -> AccessChangeRequest:
    """R-SEC-11: the second person refuses, saying why; the account stays as it is. Audited."""
    refuse_if(
        blank_text(
            note,
            "R-SEC-11",
            "say why the request is refused, so that the administrator can act on it.",
            "note",
        )
    )
    with transaction.atomic():
        current = _decide(acting_user, req, "refuse")
        current.status = AccessChangeStatus.REFUSED
        current.decided_by = acting_user
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(
            AuditEventKind.PRIVILEGED,
            user=current.subject,
            actor=acting_user,
            detail=f"access change #{current.pk} refused: {current.decision_note}",
        )
    return current


# The generic record writes are actions too (views and the API call them for documents and
# organizations); their organization-scope check is `_require_write` → `access.can_write_for`,
# which grants administrators organizations only.
create_record = acts(Role.WRITERS | {Role.ADMINISTRATOR}, what="create a record")(create_record)
update_record = acts(Role.WRITERS | {Role.ADMINISTRATOR}, what="change a record")(update_record)
delete_record = acts(Role.WRITERS | {Role.ADMINISTRATOR}, what="delete a record")(delete_record)
