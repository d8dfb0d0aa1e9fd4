"""The base of every domain record: a marking, an owner and one access-controlled door.

`Model.objects.visible_to(user)` and `Model.objects.editable_by(user)` apply R-SEC-01..03 and the
organization scope. With settings.ENFORCE_ACCESS_DOOR on (always in tests), a queryset that never
went through one of them refuses to be evaluated, so a read that skips the door fails loudly.
Trusted code that must see everything (actions re-reading a row, background jobs, migrations)
says so with `.system()` — a word that is easy to grep for and to review.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import class_prepared

from .. import dbindex  # noqa: F401  (registers the releasable_to and ilike_contains lookups)
from ..markings import Classification
from ..markings import Dissemination
from ..markings import Marking
from .pages import RecordPage


class AccessDoorBypassed(RuntimeError):
    """A domain queryset was evaluated without visible_to()/editable_by()/system()."""


_trusted_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "trusted_reads", default=False
)


@contextmanager
def trusted_reads():
    """For framework code that reads through the default manager on our behalf and shows no
    record to anyone — uniqueness and constraint validation. Never around what a user is shown."""
    token = _trusted_reads.set(True)
    try:
        yield
    finally:
        _trusted_reads.reset(token)


# --- related records (core/related.py) -----------------------------------------------------------
# A record fetched through a user's door remembers it (DOOR_ATTR); reading one of its marked
# related records through a plain foreign key then fails under tests unless the read is trusted:
# core.related.related() itself, actions (@acts), trusted_reads(), or code that follows a path to
# compute the door (MarkingFields._follow_id).
DOOR_ATTR = "_secoop_door"
_trusted_following: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "trusted_following", default=False
)


@contextmanager
def trusted_following():
    """Reads of related records that show nothing to a user by themselves: the accessor that
    checks them, actions (which check their own permission and rules), the door's own paths."""
    token = _trusted_following.set(True)
    try:
        yield
    finally:
        _trusted_following.reset(token)


def following_is_trusted() -> bool:
    return _trusted_following.get() or _trusted_reads.get()


def remember_door(objs, door: str | None) -> None:
    """Mark records that came through visible_to()/editable_by(), so that a plain read of their
    marked related records can be refused (core/related.py)."""
    if door not in ("visible", "editable"):
        return
    for obj in objs:
        if isinstance(obj, models.Model):
            obj.__dict__[DOOR_ATTR] = door


# --- the write side: a marked record changes only inside an action --------------------------------
# ARCHITECTURE invariant 2. `@acts` (core/permissions.py) opens an action around its body; code the
# system runs on its own (demo loader, data generator, background jobs, test builders) opens
# `system_writes("why")`. With ENFORCE_ACCESS_DOOR on (always in tests), a save, delete or bulk
# write of a marked record outside both fails, so a view that writes for itself is caught.


class WriteOutsideAction(RuntimeError):
    """A marked record was saved, deleted or bulk-written outside an action."""


_writing_as: contextvars.ContextVar[str | None] = contextvars.ContextVar("writing_as", default=None)


@contextmanager
def writes_as(why: str):
    """Open a write context: `why` is the action's name or the trusted code's reason."""
    token = _writing_as.set(why)
    try:
        yield
    finally:
        _writing_as.reset(token)


def system_writes(why: str):
    """Writes the system makes on its own (demo data, generator, jobs, test builders). Say why:
    every use is easy to grep and to review."""
    if not why.strip():
        raise ValueError("system_writes needs a reason")
    return writes_as(f"system: {why}")


def writing_as() -> str | None:
    """The open action or trusted context, None outside one."""
    return _writing_as.get()


def check_write(model: type[models.Model], verb: str) -> None:
    if settings.ENFORCE_ACCESS_DOOR and _writing_as.get() is None:
        raise WriteOutsideAction(
            f"{model.__name__} was {verb} outside an action: call the app's action "
            f'(actions.py, @acts) or, in trusted code, open core.actions.system_writes("why").'
        )


class MarkedQuerySet(models.QuerySet):
    _door: str | None = None

    def _clone(self):
        clone = super()._clone()
        clone._door = self._door
        return clone

    def _through(self, door: str):
        clone = self._chain()
        clone._door = door
        return clone

    def _check_door(self) -> None:
        if self._door is None and settings.ENFORCE_ACCESS_DOOR and not _trusted_reads.get():
            raise AccessDoorBypassed(
                f"{self.model.__name__} was read without the access door: use "
                f"{self.model.__name__}.objects.visible_to(user) (or .system() in trusted code)."
            )

    # Every way a queryset reaches the database goes through one of these.
    def _fetch_all(self):
        fresh = self._result_cache is None
        if fresh:
            self._check_door()
        super()._fetch_all()
        if fresh:
            remember_door(self._result_cache, self._door)

    def iterator(self, *args, **kwargs):
        self._check_door()
        return self._remembering(super().iterator(*args, **kwargs))

    def _remembering(self, objs):
        for obj in objs:
            remember_door((obj,), self._door)
            yield obj

    def prefetch_related(self, *lookups):
        # A GuardedPrefetch learns the model it starts from here, to find its door's queryset.
        from ..related import GuardedPrefetch

        for lookup in lookups:
            if isinstance(lookup, GuardedPrefetch):
                lookup.bind(self.model)
        return super().prefetch_related(*lookups)

    def count(self):
        if self._result_cache is None:
            self._check_door()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_door()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_door()
        return super().aggregate(*args, **kwargs)

    def explain(self, *args, **kwargs):
        self._check_door()
        return super().explain(*args, **kwargs)

    # Bulk writes skip save()/delete(): they are guarded the same way.
    def update(self, **kwargs):
        check_write(self.model, "updated in bulk")
        return super().update(**kwargs)

    def delete(self):
        check_write(self.model, "deleted in bulk")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        check_write(self.model, "created in bulk")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        check_write(self.model, "updated in bulk")
        return super().bulk_update(objs, *args, **kwargs)

    # --- the door -------------------------------------------------------------------------------
    def visible_to(self, user):
        from ..access import visibility_q

        q = visibility_q(self.model, user)
        if q is None:
            return self.none()._through("visible")
        return self.filter(q)._through("visible")

    def editable_by(self, user):
        from ..access import edit_scope_q

        q = edit_scope_q(self.model, user)
        if q is None:
            return self.none()._through("editable")
        return self.visible_to(user).filter(q)._through("editable")

    def system(self):
        """Everything, for trusted server-side code. Never for what a user is shown."""
        return self._through("system")


class MarkedManager(models.Manager.from_queryset(MarkedQuerySet)):
    pass


class MarkingFields(RecordPage, models.Model):
    """The marking columns (R-SEC-01): classification, dissemination control, REL TO list."""

    classification = models.PositiveSmallIntegerField(
        choices=[(c.value, c.label) for c in Classification], default=Classification.CUI
    )
    dissemination = models.CharField(
        max_length=6, choices=Dissemination.CHOICES, blank=True, default=""
    )
    rel_to = models.CharField(
        "releasable to", max_length=400, blank=True, default="", help_text="Stored as ',USA,XBN,'."
    )

    objects = MarkedManager()

    partner_visible: bool = True
    partner_visible_field: str | None = None  # a per-row flag instead of the class attribute
    owner_org_field: str = "owner_org"
    country_field: str | None = "country"
    history_parent: str | None = None
    scoped_by: str | None = None  # a parent's foreign key: see "records under a parent" below

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check_write(type(self), "saved")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_write(type(self), "deleted")
        return super().delete(*args, **kwargs)

    # Django's uniqueness and constraint checks read through the default manager: trusted.
    def validate_unique(self, exclude=None):
        with trusted_reads():
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None):
        with trusted_reads():
            super().validate_constraints(exclude)

    @property
    def marking(self) -> Marking:
        return Marking(
            Classification(self.classification),
            self.dissemination,
            Marking.rel_to_from_stored(self.rel_to),
        )

    @marking.setter
    def marking(self, value: Marking | str) -> None:
        if isinstance(value, str):
            value = Marking.parse(value)
        self.classification = int(value.classification)
        self.dissemination = value.dissemination
        self.rel_to = value.rel_to_stored

    @property
    def marking_text(self) -> str:
        return str(self.marking)

    def _follow_id(self, path: str | None):
        """The id at the end of a lookup path such as 'owner_org' or 'case__country'."""
        if not path:
            return None
        if path == "id":
            return self.pk
        *hops, last = path.split("__")
        obj = self
        with trusted_following():  # the door's own path: its ids are compared, never shown
            for hop in hops:
                obj = getattr(obj, hop, None)
                if obj is None:
                    return None
        return getattr(obj, f"{last}_id", None)

    def owner_org_id_value(self) -> int | None:
        return self._follow_id(self.owner_org_field)

    def country_value(self) -> str | None:
        return self._follow_id(self.country_field)


class MarkedModel(MarkingFields):
    """Abstract base of every domain record (R-SEC-01): marking, owner, timestamps.

    Class attributes a subclass may set:
    * partner_visible: False for planning, forecasts, vetting results, internal assessments (R-SEC-03)
    * owner_org_field / country_field: the lookups that give the owning organization and the
      partner country when they are not the plain `owner_org` / `country` fields.
    * history_parent: the name of a foreign key whose record's history also shows this one's changes.
    * scoped_by: the foreign key to the parent record this one lives under; the four attributes
      above that the class does not set itself then follow the parent (below).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class InternalRecord(MarkedModel):
    """A record never shown to partner users (R-SEC-03): planning, vetting, internal assessments."""

    partner_visible = False

    class Meta:
        abstract = True


# --- records under a parent: one declaration of the scope ----------------------------------------
# A record that lives under a parent (a gap under its analysis, a CETPP line under its CETPP) is
# owned, placed and shared as its parent is, and its changes show in the parent's history. It says
# so once, `scoped_by = "gap"`, instead of restating the parent's lookups one hop further down
# ("gap__analysis__owner_org", "gap__analysis__country", history_parent = "gap"): when a parent's
# scope moves, its children follow. An attribute the class sets itself wins (it is scoped
# otherwise), and nothing is inherited from an abstract base: the declaration is the model's own.
SCOPE_ATTRIBUTES = ("owner_org_field", "country_field", "partner_visible_field")


def _scope_under_parent(sender, **kwargs) -> None:
    key = sender.__dict__.get("scoped_by")
    if not key:
        return
    parent = sender._meta.get_field(key).remote_field.model
    if isinstance(parent, str) or not issubclass(parent, MarkingFields):
        raise ImproperlyConfigured(
            f"{sender.__name__}.scoped_by = {key!r}: the key must lead to a marked model defined before it."
        )
    for attribute in SCOPE_ATTRIBUTES:
        if attribute not in sender.__dict__:
            lookup = getattr(parent, attribute)
            setattr(sender, attribute, f"{key}__{lookup}" if lookup else lookup)
    if "history_parent" not in sender.__dict__:
        sender.history_parent = key


class_prepared.connect(_scope_under_parent)
