"""One search for list pages (`?q=`) and the API (`?search=`), answered by indexes (issue 15 item 2).

`search(queryset, q, fields, user)` takes a queryset that already went through the door
(`visible_to`) and keeps the records where every word of `q` is found, case-insensitively, in one
of `fields` that the reader may see (core.fields: a match on a hidden field would tell them its
value). The words are searched as they are typed, inside longer words too ("BN-D" finds the case
BN-D-ABC; "radio" finds "radios"), as the lists always did.

* PostgreSQL: each word is `field ILIKE '%word%'`, answered by a pg_trgm GIN index per field
  (created by each app's list-index migration, core.dbindex): the planner combines them
  (BitmapOr/BitmapAnd) instead of reading the table.
* SQLite (the development database): Django's `icontains` (`LIKE`), which reads the table. FTS5
  is not used: a virtual table per model kept current by every write path was more than the
  single-user database needs.

The search keeps the list's own order (keyset pages need a stable key); it does not rank.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from . import fields as field_policy

MAX_WORDS = 8  # more words narrow nothing a person would type; bounds the query's size
MAX_WORD_LENGTH = 100


def words_of(q: str) -> list[str]:
    """The words searched for: split on spaces, duplicates removed, at most MAX_WORDS."""
    words: list[str] = []
    for word in (q or "").replace("\x00", "").split():
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def searchable(model, user, fields: Sequence[str]) -> list[str]:
    """The fields of `fields` the reader may see."""
    reader = field_policy.reader_of(user)
    hidden = set(field_policy.hidden(model, reader, list(fields)))
    return [f for f in fields if f not in hidden]


def search(queryset: QuerySet, q: str, fields: Sequence[str], user) -> QuerySet:
    """The records of `queryset` (through the door) in which every word of `q` is found in a
    field the reader may see. No word: the queryset as it is; no field the reader may see:
    nothing."""
    words = words_of(q)
    if not words:
        return queryset
    shown = searchable(queryset.model, user, fields)
    if not shown:
        return queryset.none()
    guards = {name: _through_door(queryset.model, name, user) for name in shown}
    condition = Q()
    for word in words:
        any_field = Q()
        for name in shown:
            any_field |= Q(**{f"{name}__ilike_contains": word}) & guards[name]
        condition &= any_field
    result = queryset.filter(condition)
    if any(_crosses_many(queryset.model, name) for name in shown):
        result = result.distinct()  # a search across a to-many relation could repeat a record
    return result


def _through_door(model, lookup: str, user) -> Q:
    """A field of a related record (`lor__title`) is searched only where the reader may see that
    record: a word found in a record the door hides would tell them what it says (R-SEC-01..03)."""
    guard = Q()
    opts = model._meta
    path: list[str] = []
    for part in lookup.split("__")[:-1]:
        field = opts.get_field(part)
        path.append(part)
        target = field.related_model
        if hasattr(target.objects, "visible_to"):
            pks = target.objects.visible_to(user).values("pk")
            guard &= Q(**{"__".join(path) + "__in": pks})
        opts = target._meta
    return guard


def _crosses_many(model, lookup: str) -> bool:
    opts = model._meta
    for part in lookup.split("__")[:-1]:
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        opts = field.related_model._meta
    return False
