"""How an app's action reads the record it changes (issue 11 §4: shared plumbing in core, an app
never imports another app's private helpers). Cases and EUM each kept the locked re-read and the
organization look-up, EUM by importing cases' private ones; analysis and planning each had the
editable re-read word for word."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from . import versioning
from .actions import copy_fields
from .errors import NotPermitted
from .models import MarkedModel
from .models import Organization
from .models import User


def visible(user: User, record: MarkedModel, refusal: str = "") -> MarkedModel:
    """`record` re-read through the door, or NotPermitted when the user may not see it (`refusal`,
    else "There is no … that you may see."): an action's check that the record it was handed is
    one its user may see (ARCHITECTURE invariant 1)."""
    found = type(record).objects.visible_to(user).filter(pk=record.pk).first()
    if found is None:
        raise NotPermitted(refusal or _not_there(record))
    return found


def _not_there(record: MarkedModel) -> str:
    return f"There is no {record._meta.verbose_name} #{record.pk} that you may see."


def reload_locked(user: User, record: MarkedModel) -> MarkedModel:
    """`record` re-read through the door under its row lock (inside the caller's transaction),
    or NotPermitted when the user may not see it (ARCHITECTURE invariant 1)."""
    current = type(record).objects.visible_to(user).select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise NotPermitted(_not_there(record))
    versioning.check_locked(current)  # the version the client sent, compared under the lock
    return current


@contextmanager
def locked(user: User, record: MarkedModel) -> Iterator[Any]:
    """One transaction around the record re-read under its row lock (`reload_locked`); once it
    commits, the caller's object is brought in step with what was written (`copy_fields`)."""
    with transaction.atomic():
        current = reload_locked(user, record)
        yield current
    copy_fields(record, current)


def reload_editable(acting_user: User, record: MarkedModel) -> MarkedModel:
    """`record` re-read among those the user may edit, or NotPermitted."""
    model = type(record)
    current = model.objects.editable_by(acting_user).filter(pk=record.pk).first()
    if current is None:
        raise NotPermitted(
            f"You cannot change this {model._meta.verbose_name}: it is not yours to edit, or it no "
            "longer exists. Editing takes a role in the owning organization or one above it."
        )
    return current


def system_org(org_id: int | None) -> Organization | None:
    """The organization `org_id` names (a trusted read: the action checks the roles held there),
    or None."""
    return Organization.objects.system().filter(pk=org_id).first() if org_id else None
