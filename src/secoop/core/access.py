"""The one door to the data (ARCHITECTURE invariant 1): R-SEC-01..03 and organization scope as SQL.

`rules.can_see` states the same rules in Python; tests/core/test_access_property.py proves that
this module and that function agree for generated people and records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from . import rules
from .markings import Classification
from .rules import Audience
from .rules import PersonFacts
from .rules import Role

PROFILE_ATTR = "_secoop_access_profile"
PROFILE_CACHE_PREFIX = "secoop:access-profile"
# R-SEC-09: a session ends after 15 idle minutes; a cached profile need not outlive it.
PROFILE_CACHE_SECONDS = 15 * 60
REINVESTIGATION_FACT = "le-reinvestigation-years"
DEFAULT_REINVESTIGATION_YEARS = 5  # used only if the fact row was deleted; SAMM C2.1.9.2.4


@dataclass(frozen=True)
class AccessProfile:
    person: PersonFacts
    ceiling: Classification
    write_paths: tuple[str, ...]  # tree paths of organizations where the user holds a writing role
    is_administrator: bool
    reinvestigation_years: int
    # (organization tree path, role) for every membership: what `holds_role` answers from.
    roles_by_path: tuple[tuple[str, str], ...] = ()
    # Tree paths where the user administers (organizations, not domain records: R-SEC-11).
    admin_paths: tuple[str, ...] = ()
    # The time zone of the user's first organization (by membership), for core.clock.
    time_zone: str = "UTC"

    @property
    def member_org_ids(self) -> frozenset[int]:
        return self.person.member_org_ids


def reinvestigation_years() -> int:
    from .models import ReferenceFact

    try:
        return ReferenceFact.objects.in_force(REINVESTIGATION_FACT).as_int
    except ReferenceFact.DoesNotExist:
        return DEFAULT_REINVESTIGATION_YEARS


def build_profile(user) -> AccessProfile:
    memberships = sorted(user.memberships.select_related("organization"), key=lambda m: m.pk)
    orgs = [m.organization for m in memberships]
    partner_country = None
    if user.audience == Audience.PARTNER:
        partner_country = next((o.country_id for o in orgs if o.country_id), user.citizenship_id)
    person = PersonFacts(
        active=bool(user.is_active and user.locked_at is None),
        audience=user.audience,
        citizenship=user.citizenship_id,
        clearance=user.clearance,
        is_le_staff=user.is_le_staff,
        laa_level=user.laa_level,
        last_investigation_on=user.last_investigation_on,
        member_org_ids=frozenset(o.pk for o in orgs),
        partner_country=partner_country,
    )
    years = reinvestigation_years() if user.is_le_staff else DEFAULT_REINVESTIGATION_YEARS
    write_paths = tuple(
        sorted(
            {
                m.organization.tree_path
                for m in memberships
                if m.role in Role.WRITERS and m.organization.tree_path
            }
        )
    )
    return AccessProfile(
        person=person,
        ceiling=rules.readable_ceiling(person, timezone.localdate(), years),
        write_paths=write_paths,
        is_administrator=any(m.role == Role.ADMINISTRATOR for m in memberships),
        reinvestigation_years=years,
        roles_by_path=tuple(
            sorted(
                {
                    (m.organization.tree_path, m.role)
                    for m in memberships
                    if m.organization.tree_path
                }
            )
        ),
        admin_paths=tuple(
            sorted(
                {
                    m.organization.tree_path
                    for m in memberships
                    if m.role == Role.ADMINISTRATOR and m.organization.tree_path
                }
            )
        ),
        time_zone=(memberships[0].organization.time_zone if memberships else "") or "UTC",
    )


def _cache_key(user) -> str:
    """The profile's cache key: the user, their access version (bumped by the actions that change
    memberships, clearances and account state, `bump_access_version`), the access fields of the
    user row itself (read on every request anyway, so a change made any other way still misses)
    and the day (the LE reinvestigation clock, R-SEC-02)."""
    facts = (
        user.access_version,
        user.is_active,
        user.locked_at.isoformat() if user.locked_at else "",
        user.audience,
        user.citizenship_id,
        user.clearance,
        user.is_le_staff,
        user.laa_level,
        user.last_investigation_on.isoformat() if user.last_investigation_on else "",
        timezone.localdate().isoformat(),
    )
    return f"{PROFILE_CACHE_PREFIX}:{user.pk}:" + ":".join(str(f) for f in facts)


def cached_profile(user) -> AccessProfile:
    """The user's profile, whatever their account state: from the user object, else from the
    cache (issue 15 §5: no query), else built (two queries at most) and cached."""
    profile = getattr(user, PROFILE_ATTR, None)
    if profile is None:
        key = _cache_key(user)
        profile = cache.get(key)
        if profile is None:
            profile = build_profile(user)
            cache.set(key, profile, PROFILE_CACHE_SECONDS)
        setattr(user, PROFILE_ATTR, profile)
    return profile


def bump_access_version(user_ids) -> None:
    """What these users may read has changed: their cached profiles are not used again (the next
    request, in any process, builds a new one). Called by the actions that change memberships,
    clearances, account state or the organizations people belong to."""
    from .models import User
    from .models.people import new_access_version

    ids = sorted({int(i) for i in user_ids})
    if ids:
        User.objects.filter(pk__in=ids).update(access_version=new_access_version())


def changed_access(user) -> None:
    """One user's access changed: a new version, and the profile held by this object dropped."""
    from .models import User
    from .models.people import new_access_version

    user.access_version = new_access_version()
    User.objects.filter(pk=user.pk).update(access_version=user.access_version)
    forget_profile(user)


def profile_for(user) -> AccessProfile | None:
    """The user's access facts, built once per version of their access and cached (no query on
    a request whose user is unchanged), or None for an anonymous, disabled or locked user — who
    sees nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = cached_profile(user)
    return profile if profile.person.active else None


def forget_profile(user) -> None:
    if hasattr(user, PROFILE_ATTR):
        delattr(user, PROFILE_ATTR)


def _owner_lookup(model) -> str:
    return "id" if model.owner_org_field == "id" else model.owner_org_field


def _owner_path_lookup(model) -> str:
    return "tree_path" if model.owner_org_field == "id" else f"{model.owner_org_field}__tree_path"


def visibility_q(model, user) -> Q | None:
    """The filter for what `user` may see of `model`, or None when they may see none of it."""
    profile = profile_for(user)
    if profile is None:
        return None
    person = profile.person
    q = Q(classification__lte=int(profile.ceiling))
    foreign = rules.must_be_released_to(person)
    if foreign:
        # R-SEC-02, asked so that an index answers it on PostgreSQL (core.dbindex).
        q &= Q(dissemination="REL", rel_to__releasable_to=foreign)
    if person.audience == Audience.PARTNER:
        # R-SEC-03: never planning, forecasts, vetting results or internal assessments.
        if model.partner_visible_field:
            q &= Q(**{model.partner_visible_field: True})
        elif not model.partner_visible:
            return None
        scope = Q(**{f"{_owner_lookup(model)}__in": sorted(person.member_org_ids)})
        if model.country_field and person.partner_country:
            scope |= Q(**{model.country_field: person.partner_country})
        q &= scope
    elif person.audience == Audience.INDUSTRY:
        q &= Q(**{f"{_owner_lookup(model)}__in": sorted(person.member_org_ids)})
    return q


def administered(model) -> bool:
    """Organizations are administration, not domain records: administrators keep them."""
    return model is not None and model._meta.label == "core.Organization"


def _paths_for(profile: AccessProfile, model) -> tuple[str, ...]:
    if administered(model):
        return tuple(sorted(set(profile.write_paths) | set(profile.admin_paths)))
    return profile.write_paths


def edit_scope_q(model, user) -> Q | None:
    """Records owned by an organization where the user holds a writing role, or one below it
    (for organizations, also where the user is an administrator)."""
    profile = profile_for(user)
    if profile is None or not _paths_for(profile, model):
        return None
    lookup = _owner_path_lookup(model)
    q = Q()
    for path in _paths_for(profile, model):
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def holds_role(user, roles, org=None) -> bool:
    """Whether `user` holds one of `roles` in `org` or an organization above it (anywhere, when
    `org` is None). Actions name their roles and ask this (ARCHITECTURE invariant 9)."""
    profile = profile_for(user)
    if profile is None:
        return False
    roles = {roles} if isinstance(roles, str) else set(roles)
    for path, role in profile.roles_by_path:
        if role in roles and (org is None or (org.tree_path or "").startswith(path)):
            return True
    return False


def can_write_for(user, org, model=None) -> bool:
    """Whether `user` may create or change records (of `model`, when given) owned by `org`
    (organization scope). An administrator writes organizations only (R-SEC-11)."""
    profile = profile_for(user)
    if profile is None or org is None:
        return False
    return any(org.tree_path.startswith(path) for path in _paths_for(profile, model))


def seen_by_clearance_alone(user) -> bool:
    """Whether the door limits `user` by their clearance only: a U.S. person without a partner or
    industry scope. For them a planner's estimate of an unfiltered list counts their own rows
    (core.keyset: "about N")."""
    profile = profile_for(user)
    if profile is None:
        return False
    person = profile.person
    return person.audience == Audience.USG and rules.must_be_released_to(person) is None


def can_see_record(user, record) -> bool:
    """Python form of the door for one loaded record (used before showing a related object)."""
    profile = profile_for(user)
    if profile is None:
        return False
    partner_visible = (
        getattr(record, record.partner_visible_field)
        if record.partner_visible_field
        else record.partner_visible
    )
    return rules.can_see(
        profile.person,
        rules.RecordFacts(
            marking=record.marking,
            partner_visible=partner_visible,
            owner_org_id=record.owner_org_id_value(),
            country=record.country_value(),
        ),
        timezone.localdate(),
        profile.reinvestigation_years,
    )


def sees_access_facts(viewer, person) -> bool:
    """Whether `viewer` may see `person`'s clearance, LAA and last logon: LE staff and foreign
    nationals do not see U.S. users' (rules.sees_access_facts)."""
    profile = profile_for(viewer)
    if profile is None or person is None:
        return False
    return rules.sees_access_facts(profile.person, person.pk == viewer.pk, profile.is_administrator)


def shows_person(viewer, person) -> bool:
    """Whether a related person's name (an author, a sender) may be shown to `viewer` without a
    directory query: U.S. Government staff see the directory; others only themselves here."""
    profile = profile_for(viewer)
    if profile is None or person is None:
        return False
    return profile.person.audience == Audience.USG or person.pk == viewer.pk
