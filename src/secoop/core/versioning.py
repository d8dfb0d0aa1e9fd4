"""Record versions against lost updates (issue 10 item 8).

A record's version is a hash of every stored field (updated_at included), so it changes on every
change, whoever makes it and however. The API sends it as the ETag and honours If-Match; the HTML
forms carry it in a hidden field and refuse a stale edit, saying what changed since."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError
from django.db import models

# The name of the hidden field (forms) and POST parameter (record buttons) that carries the version
# a page was loaded from; not "version", which some records have as a field of their own.
VERSION_FIELD = "record_version"

STALE_MESSAGE = (
    "This record was changed by someone else after you opened the form: reload it to see the "
    "current values, then make your change again."
)
STALE_FORM_MESSAGE = (
    "Not saved: {who} changed this record after you opened the form. The table below shows what "
    "changed; check it, then save again to apply your values over theirs, or cancel."
)


def _plain(value: Any) -> Any:
    from .actions import _jsonable

    return _jsonable(value)


def state_of(instance: models.Model) -> dict[str, Any]:
    """Every stored field of the record, by attribute name (foreign keys by id)."""
    return {f.attname: _plain(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def version_of(instance: models.Model) -> str:
    """The record's version: changes whenever any stored field does."""
    payload = json.dumps(
        [instance._meta.label_lower, state_of(instance)],
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def etag_of(instance: models.Model) -> str:
    return f'"{version_of(instance)}"'


def if_match_holds(header: str, instance: models.Model) -> bool:
    """RFC 9110 If-Match: '*' or any listed entity tag equal to the record's (weak prefix ignored)."""
    current = version_of(instance)
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.strip('"') == current:
            return True
    return False


# --- the check under the row lock -----------------------------------------------------------------
# A version compared when the request arrives can be overtaken by a write that commits before this
# one takes its lock. So the version a client or form sent is also compared by the action itself,
# after it has locked the row, in the transaction that writes (`check_locked`).


class StaleRecord(ValidationError):
    """The record changed after the client loaded it: nothing was written (API: 412)."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message, code="stale")


# (model label, pk, accepted versions) that the current request expects the record to still have.
_expected: ContextVar[tuple[str, str, frozenset[str]] | None] = ContextVar(
    "expected_version", default=None
)


def tags_of(header: str) -> frozenset[str]:
    """The versions an If-Match header accepts ('*' accepts any)."""
    out = set()
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        out.add(tag.strip('"'))
    return frozenset(out)


@contextmanager
def expecting(instance: models.Model, versions: frozenset[str]) -> Iterator[None]:
    """While the block runs, an action that locks `instance` refuses to write unless its locked
    state still has one of `versions`."""
    token = _expected.set((instance._meta.label_lower, str(instance.pk), versions))
    try:
        yield
    finally:
        _expected.reset(token)


def expect(instance: models.Model, versions: frozenset[str]):
    """The same as `expecting`, for a request handler that resets it itself (`forget`)."""
    return _expected.set((instance._meta.label_lower, str(instance.pk), versions))


def forget(token) -> None:
    _expected.reset(token)


def check_locked(current: models.Model) -> None:
    """Called by the actions layer right after it locked `current` for update."""
    wanted = _expected.get()
    if wanted is None:
        return
    label, pk, versions = wanted
    if label != current._meta.label_lower or pk != str(current.pk) or "*" in versions:
        return
    if version_of(current) not in versions:
        raise StaleRecord()
    # Checked once, under the lock this transaction now holds: the action's own later writes to
    # the same record (a second step of one action) are not someone else's.
    _expected.set(None)


@dataclass(frozen=True)
class StaleChange:
    """One field that changed since the form was loaded."""

    field: str
    label: str
    loaded: Any  # the value when the form was opened ("" when the history does not say)
    current: Any  # the value saved since, by someone else
    yours: Any  # what this user submitted


def _display(form_field, value: Any) -> str:
    """A value as the user reads it: a choice's label, a related record's name, else text."""
    if value in (None, ""):
        return "(empty)"
    choices = getattr(form_field, "choices", None)
    if choices is not None and not hasattr(form_field, "queryset"):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    queryset = getattr(form_field, "queryset", None)
    if queryset is not None:
        pk = getattr(value, "pk", value)
        match = queryset.filter(pk=pk).first()
        return str(match) if match is not None else f"(a record you cannot see, #{pk})"
    return str(value)


def last_change_id(instance: models.Model) -> int:
    """The id of the record's latest change-log entry (0 if none): where its history stood."""
    from .models import ChangeLogEntry

    ct = ContentType.objects.get_for_model(instance)
    last = (
        ChangeLogEntry.objects.system()
        .filter(content_type=ct, object_id=str(instance.pk))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


def form_token(instance: models.Model) -> str:
    """What an edit form carries: the version it was loaded from and where the history stood."""
    return f"{version_of(instance)}.{last_change_id(instance)}"


def parse_token(token: str) -> tuple[str, int]:
    version, _, last = (token or "").partition(".")
    return version, int(last) if last.isdigit() else 0


def changes_since(form, since_change_id: int, user) -> tuple[list[StaleChange], str]:
    """What changed in the form's fields since the form was loaded: the first later history entry
    holds the state the form came from ("before"); the record holds the state now. Only fields the
    form shows are listed, so nothing the user could not already see on it."""
    from .models import ChangeLogEntry

    instance = form.instance
    ct = ContentType.objects.get_for_model(instance)
    later = list(
        ChangeLogEntry.objects.visible_to(user)
        .filter(content_type=ct, object_id=str(instance.pk), id__gt=since_change_id)
        .order_by("id")
    )
    loaded = later[0].before if later and isinstance(later[0].before, dict) else None
    names = sorted({e.username or "the system" for e in later})
    who = ", ".join(names) if names else "someone else"
    rows: list[StaleChange] = []
    for name, field in form.fields.items():
        if name in ("reason", VERSION_FIELD):
            continue
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if name == "marking":
            now_value: Any = instance.marking_text
        else:
            now_value = getattr(instance, getattr(model_field, "attname", name), None)
        yours = form.data.get(form.add_prefix(name), "") if hasattr(form.data, "get") else ""
        before_value = None
        if loaded is not None:
            before_value = loaded.get(name, loaded.get(getattr(model_field, "attname", name)))
            if _same(before_value, now_value):
                continue
        elif _same(yours, now_value):
            continue
        rows.append(
            StaleChange(
                field=name,
                label=str(field.label or name),
                loaded=_display(field, before_value) if loaded is not None else "(not recorded)",
                current=_display(field, now_value),
                yours=_display(field, yours),
            )
        )
    return rows, who


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> str:
        value = _plain(getattr(value, "pk", value)) if value is not None else None
        return "" if value in (None, "") else str(value)

    return norm(a) == norm(b)


STALE_ACTION_MESSAGE = (
    "Not done: this record was changed by {who} after you opened the page. Check the current state "
    "below, then try again if it still applies."
)


def stale_action(request, instance: models.Model) -> str | None:
    """The shared view helper for a POST action on a record (a button on its page): if the page
    sent the version it showed (`{% record_version obj %}`) and the record changed since, the
    message to show instead of acting; else None. A post without a version acts as before."""
    posted = request.POST.get(VERSION_FIELD, "")
    loaded_version, since = parse_token(posted)
    if not loaded_version or loaded_version == version_of(instance):
        return None
    from .models import ChangeLogEntry

    ct = ContentType.objects.get_for_model(instance)
    names = sorted(
        set(
            ChangeLogEntry.objects.visible_to(request.user)
            .filter(content_type=ct, object_id=str(instance.pk), id__gt=since)
            .values_list("username", flat=True)
        )
    )
    return STALE_ACTION_MESSAGE.format(
        who=", ".join(n or "the system" for n in names) or "someone else"
    )
