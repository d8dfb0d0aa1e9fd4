"""One guarded way to reach a related record (ARCHITECTURE invariant 1, issue 11 §2).

A foreign key, `select_related` and a plain forward `prefetch_related` load the related record
through Django's base manager: they skip the door. So:

* `related(obj, "field", user)` — the related record if `user` may see it, else None. In
  templates: `{% related obj "field" as name %}` (the user is taken from the request).
* `GuardedPrefetch("lines", user)` — a `Prefetch` whose queryset is the target's
  `visible_to(user)`, so hidden children are never attached (NetBox's `RestrictedPrefetch`).

With settings.ENFORCE_ACCESS_DOOR on (always in tests), reading a marked related record through
a plain attribute (`obj.case`, `{{ obj.case.title }}`, a serializer's `source="case.x"`) on a
record that came through `visible_to()`/`editable_by()` raises `AccessDoorBypassed`, as an
unrestricted queryset does — unless what it would return came through a door itself (loaded by
`related()` or a GuardedPrefetch, or nothing): a `select_related` cache or a lazy load fails.
Trusted code may follow keys: actions (`@acts`), `.system()` records, `trusted_reads()` and
`trusted_following()`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.fields.related_descriptors import ForwardOneToOneDescriptor
from django.db.models.fields.related_descriptors import ReverseOneToOneDescriptor

from . import access
from .models.records import DOOR_ATTR
from .models.records import AccessDoorBypassed
from .models.records import MarkingFields
from .models.records import following_is_trusted
from .models.records import trusted_following

__all__ = [
    "GuardedPrefetch",
    "follow",
    "install_guards",
    "is_marked",
    "related",
    "trusted_following",
]


def is_marked(model) -> bool:
    return isinstance(model, type) and issubclass(model, MarkingFields)


def related(obj, field: str, user, memo: dict | None = None):
    """The record `obj.<field>` points at, if `user` may see it; otherwise (or when there is
    none) None.

    `field` is a forward foreign key or one-to-one field, or the reverse side of a one-to-one.
    A record already loaded (select_related, GuardedPrefetch, an earlier call) is checked in
    Python with the door's rules; one not loaded is fetched through `visible_to(user)`. The
    record returned remembers the door, so its own related records need `related()` too.
    Related models without a marking (countries, people) are returned as they are.

    `memo`: a dict a page keeps while it renders its rows, so that a loaded record shown in many
    rows (the same organization, plan or case) is checked once per page, not once per cell.
    """
    if obj is None:
        return None
    f = obj._meta.get_field(field)
    target = f.related_model
    if not is_marked(target):
        with trusted_following():
            return getattr(obj, field, None)
    if f.is_cached(obj):
        record = f.get_cached_value(obj)
        if record is not None and not _may_see(user, record, memo):
            return None
    elif f.concrete:  # a forward key: fetch the record through the door
        value = getattr(obj, f.attname)
        if value is None:
            return None
        record = target.objects.visible_to(user).filter(**{f.target_field.attname: value}).first()
        if record is not None:
            f.set_cached_value(obj, record)
    else:  # the reverse side of a one-to-one
        if obj.pk is None:
            return None
        record = target.objects.visible_to(user).filter(**{f.field.attname: obj.pk}).first()
        if record is not None:
            f.set_cached_value(obj, record)
    if record is not None:
        record.__dict__[DOOR_ATTR] = "visible"
    return record


def _may_see(user, record, memo: dict | None) -> bool:
    if memo is None or record.pk is None:
        return access.can_see_record(user, record)
    key = (type(record), record.pk)
    if key not in memo:
        memo[key] = access.can_see_record(user, record)
    return memo[key]


def loaded(obj, field: str):
    """The related record when it may be read without a user at hand — `obj` was not fetched
    through a user's door, or the related record itself came through one (related(), a
    GuardedPrefetch) — else None. Never queries for a door-fetched record; for `__str__` and
    other code that names a parent without knowing the reader."""
    if obj is None:
        return None
    f = obj._meta.get_field(field)
    if obj.__dict__.get(DOOR_ATTR) is not None and not _through_door(f, obj):
        return None
    with trusted_following():
        return getattr(obj, field, None)


def _marked_relation(obj, name: str):
    """The relation field `name` of obj's model when it leads to a marked model, else None."""
    try:
        f = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if (f.many_to_one or f.one_to_one) and is_marked(f.related_model):
        return f
    return None


def follow(obj, path: str, user, hidden=None, memo: dict | None = None):
    """The value at the end of a dotted path ("case.lor.title"), reading each marked related
    record on the way with `related()`: `hidden` when one of them is a record `user` may not see,
    None when the path simply ends early. Methods on the way are called. `memo`: as related()."""
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        f = _marked_relation(value, part) if isinstance(value, models.Model) else None
        if f is not None:
            record = related(value, part, user, memo)
            if record is None and f.concrete and getattr(value, f.attname) is not None:
                return hidden
            value = record
        else:
            value = getattr(value, part, None)
            if callable(value):
                value = value()
    return value


def _relation(model, name: str):
    """The relation `name` of `model`, as a prefetch lookup names it (a field, or a reverse
    accessor such as `lines` or `caseline_set`)."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for rel in model._meta.related_objects:
            if rel.get_accessor_name() == name:
                return rel
        raise


class GuardedPrefetch(Prefetch):
    """`Prefetch(lookup)` through the door: `Case.objects.visible_to(user)
    .prefetch_related(GuardedPrefetch("lines", user))` attaches only the lines `user` may see.

    Without a queryset, the queryset is the target model's `objects.visible_to(user)`, found when
    the prefetch is added to a queryset of a marked model (MarkedQuerySet.prefetch_related). A
    queryset given is put through the door too (`.visible_to(user)` is chained onto it).
    For a nested lookup (`"lines__deliveries"`), add one GuardedPrefetch per level.
    """

    def __init__(self, lookup: str, user, queryset=None, to_attr: str | None = None):
        self.user = user
        if queryset is not None:
            queryset = queryset.visible_to(user)
        super().__init__(lookup, queryset=queryset, to_attr=to_attr)

    def bind(self, model) -> None:
        if self.queryset is not None:
            return
        for name in self.prefetch_through.split("__"):
            model = _relation(model, name).related_model
        if not is_marked(model):
            return
        self.queryset = model.objects.visible_to(self.user)

    def get_current_querysets(self, level):
        if self.queryset is None and self.get_current_prefetch_to(level) == self.prefetch_to:
            raise AccessDoorBypassed(
                f"GuardedPrefetch({self.prefetch_through!r}) was used outside a marked queryset's "
                "prefetch_related(): give it a queryset."
            )
        return super().get_current_querysets(level)


# --- the guard: a plain read of a marked related record fails under tests -----------------------


def _through_door(cache, instance) -> bool:
    """Whether what a plain read would return came through a door: a record loaded by related()
    or a GuardedPrefetch (it remembers the door), one made in memory and not yet saved (it
    holds nothing from the database), or nothing at all."""
    if not cache.is_cached(instance):
        return False  # a plain read would load it through the base manager
    record = cache.get_cached_value(instance)
    return record is None or DOOR_ATTR in record.__dict__ or record._state.adding


def _refuse(instance, cache, name: str, target) -> None:
    if not settings.ENFORCE_ACCESS_DOOR or following_is_trusted():
        return
    if instance.__dict__.get(DOOR_ATTR) is None or _through_door(cache, instance):
        return
    owner = type(instance).__name__
    raise AccessDoorBypassed(
        f"{owner}.{name} ({target.__name__}) was read without the access door on a record "
        f"fetched through visible_to()/editable_by(): use related(obj, {name!r}, user) "
        f'(templates: {{% related obj "{name}" as … %}}) or GuardedPrefetch.'
    )


class GuardedForwardManyToOne(ForwardManyToOneDescriptor):
    def __get__(self, instance, cls=None):
        if instance is not None:
            _refuse(instance, self.field, self.field.name, self.field.related_model)
        return super().__get__(instance, cls)


class GuardedForwardOneToOne(GuardedForwardManyToOne, ForwardOneToOneDescriptor):
    """A forward one-to-one is guarded as a forward key is (Django's descriptor extends it too)."""


class GuardedReverseOneToOne(ReverseOneToOneDescriptor):
    def __get__(self, instance, cls=None):
        if instance is not None:
            name = self.related.get_accessor_name()
            _refuse(instance, self.related, name, self.related.related_model)
        return super().__get__(instance, cls)


def install_guards() -> None:
    """Put the guarded descriptors on every key that points at a marked model (core's ready())."""
    from django.apps import apps

    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.OneToOneField) and is_marked(f.related_model):
                setattr(model, f.name, GuardedForwardOneToOne(f))
            elif isinstance(f, models.ForeignKey) and is_marked(f.related_model):
                setattr(model, f.name, GuardedForwardManyToOne(f))
            elif isinstance(f, models.OneToOneRel) and is_marked(f.related_model):
                setattr(model, f.get_accessor_name(), GuardedReverseOneToOne(f))
