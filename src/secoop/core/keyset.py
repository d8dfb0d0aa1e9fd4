"""Keyset (cursor) paging and bounded counts: a list costs the page, not the table (issue 15 item 1).

A page is "the next `size` rows after this row" in a stable order (the sort keys, then the primary
key as a tiebreak in the direction of the last key), answered by an index on (sort column, id)
instead of OFFSET over everything before it. The cursor carries the sort keys and the last row's
values (base64 JSON); it says nothing the reader did not see on the page it came from, and every
page is read through the door again.

NULLs sort as the largest value on both databases (PostgreSQL's own default, so a plain b-tree
index answers both directions).

Counts are bounded: exact up to `SECOOP_LIST_EXACT_COUNT_LIMIT` rows of what the reader may see
(`LIMIT n+1` under the count), otherwise "more than n" — or, on PostgreSQL, "about N" from the
planner's estimate when the caller allows it: only for an unfiltered list read by someone whose
door is their clearance alone (a U.S. person without a partner or industry scope). Over a
filtered or scoped set the estimate would be shaped by rows the reader may not see (the
statistics are the whole table's); over a clearance alone it estimates their own rows.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet

DEFAULT_EXACT_COUNT_LIMIT = 1000
BAD_CURSOR = (
    "This page link is not valid (it may be cut short or come from another sort order). "
    "Go back to the first page and follow the Next and Previous links."
)


class BadCursor(ValidationError):
    """A cursor that cannot be read or does not match the list's sort order."""


@dataclass(frozen=True)
class Key:
    """One sort key: a lookup ('received_on', 'case__identifier', 'pk') and its direction."""

    lookup: str
    descending: bool = False
    # An annotation of the queryset (a search's rank, core.search), not a model field.
    annotation: bool = False

    @property
    def term(self) -> str:
        return f"-{self.lookup}" if self.descending else self.lookup

    def reversed(self) -> Key:
        return Key(self.lookup, not self.descending, self.annotation)

    def order(self):
        # NULLs are the largest value: last going up, first going down (PostgreSQL's default).
        expr = F(self.lookup)
        return expr.desc(nulls_first=True) if self.descending else expr.asc(nulls_last=True)

    def after(self, value: Any) -> Q:
        """Rows that come after `value` in this key's order."""
        if self.descending:
            return (
                Q(**{f"{self.lookup}__isnull": False})
                if value is None
                else Q(**{f"{self.lookup}__lt": value})
            )
        if value is None:
            return Q(pk__in=[])
        return Q(**{f"{self.lookup}__gt": value}) | Q(**{f"{self.lookup}__isnull": True})

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.lookup}__isnull": True})
        return Q(**{self.lookup: value})


def _final_field(model, lookup: str):
    """The model field at the end of a lookup path, or None for 'pk'."""
    if lookup == "pk":
        return model._meta.pk
    opts = model._meta
    fld = None
    for part in lookup.split("__"):
        fld = opts.get_field(part)
        if fld.is_relation and fld.related_model is not None:
            opts = fld.related_model._meta
    return fld


def keys_for(queryset: QuerySet) -> list[Key]:
    """The queryset's order as keyset keys, ending with the primary key. A foreign key in the
    order sorts by its id column (not the related model's own ordering), so that an index on
    (fk, …, id) answers it."""
    model = queryset.model
    terms = list(queryset.query.order_by) or list(model._meta.ordering or [])
    keys: list[Key] = []
    for term in terms:
        if not isinstance(term, str) or term == "?":
            raise ValueError(
                f"{model.__name__}: keyset pages need plain field names to sort on, not {term!r}"
            )
        descending = term.startswith("-")
        lookup = term.lstrip("-")
        if lookup in queryset.query.annotations:  # a search's rank (core.search.ranked)
            keys.append(Key(lookup, descending, annotation=True))
            continue
        if lookup in ("pk", model._meta.pk.name):
            keys.append(Key("pk", descending))
            break
        try:
            fld = _final_field(model, lookup)
        except FieldDoesNotExist as exc:
            raise ValueError(f"{model.__name__}: cannot sort on {lookup!r}") from exc
        if fld is not None and fld.is_relation and fld.many_to_one and lookup != fld.attname:
            lookup = f"{lookup}_id" if "__" not in lookup else f"{lookup}__{fld.target_field.name}"
        if any(k.lookup == lookup for k in keys):
            continue
        keys.append(Key(lookup, descending))
    if not keys or keys[-1].lookup != "pk":
        keys.append(Key("pk", keys[-1].descending if keys else False))
    return keys


# --- cursors --------------------------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class Cursor:
    keys: tuple[str, ...]  # the sort terms the cursor was made for
    values: tuple[Any, ...]
    backwards: bool = False  # True: the page before these values

    def encode(self) -> str:
        raw = json.dumps(
            {"k": list(self.keys), "v": [_to_json(v) for v in self.values], "b": self.backwards},
            separators=(",", ":"),
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, model, keys: list[Key]) -> Cursor:
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
            terms = tuple(data["k"])
            values = data["v"]
            backwards = bool(data.get("b", False))
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
            raise BadCursor(BAD_CURSOR) from exc
        if (
            terms != tuple(k.term for k in keys)
            or not isinstance(values, list)
            or len(values) != len(keys)
        ):
            raise BadCursor(BAD_CURSOR)
        parsed = []
        for key, value in zip(keys, values, strict=True):
            if value is None:
                parsed.append(None)
                continue
            if (
                not isinstance(value, str | int | float)
                or (isinstance(value, str) and "\x00" in value)
                or (isinstance(value, float) and not math.isfinite(value))
            ):
                raise BadCursor(BAD_CURSOR)
            if key.annotation:  # a rank: a finite number
                if not isinstance(value, int | float) or isinstance(value, bool):
                    raise BadCursor(BAD_CURSOR)
                parsed.append(float(value))
                continue
            try:
                value = _final_field(model, key.lookup).to_python(value)
            except (ValidationError, ValueError, TypeError, FieldDoesNotExist) as exc:
                raise BadCursor(BAD_CURSOR) from exc
            if isinstance(value, Decimal) and not value.is_finite():
                raise BadCursor(BAD_CURSOR)
            parsed.append(value)
        return cls(terms, tuple(parsed), backwards)


def _after(keys: list[Key], values: tuple[Any, ...]) -> Q:
    """Rows after `values` in the order of `keys`: (k1 > v1) or (k1 = v1 and k2 > v2) or …"""
    result = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        result |= prefix & key.after(value)
        prefix &= key.equal(value)
    return result


# --- counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """How many rows the reader may see: exact, or a lower bound ("more than n")."""

    number: int
    exact: bool
    # "About N": the planner's estimate, given only past the exact limit (bounded_count).
    estimate: int | None = None

    def __str__(self) -> str:
        if self.exact:
            return f"{self.number:,}"
        if self.estimate:
            return f"about {self.estimate:,}"
        return f"more than {self.number:,}"


def planner_estimate(queryset: QuerySet) -> int | None:
    """The PostgreSQL planner's estimate of the queryset's rows (EXPLAIN: nothing is read), or
    None on another database."""
    from django.db import connections

    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().select_related(None).values("pk").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cur.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _two_figures(n: int) -> int:
    """250,000 rather than 251,733: an estimate said with the precision it has."""
    return round(n, -max(0, len(str(n)) - 2))


def exact_count_limit() -> int:
    return int(getattr(settings, "SECOOP_LIST_EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT))


def bounded_count(queryset: QuerySet, limit: int | None = None, estimate: bool = False) -> Count:
    """Counts at most `limit` + 1 rows of the (door-filtered) queryset: exact under the limit,
    otherwise 'more than limit' — with the planner's estimate ("about N") when `estimate` is
    allowed (see the module's note: an unfiltered list, a reader seen by clearance alone) and the
    estimate is past the limit too."""
    limit = exact_count_limit() if limit is None else limit
    # Only the ids, without the joins the page reads along (select_related).
    found = queryset.order_by().select_related(None).values("pk")[: limit + 1].count()
    if found <= limit:
        return Count(found, True)
    about = planner_estimate(queryset) if estimate else None
    return Count(limit, False, _two_figures(about) if about and about > limit else None)


def bounded_counts_and_firsts(
    querysets: list[QuerySet], limit: int, first: int, order_by: tuple[str, ...]
) -> list[tuple[int, list]]:
    """For each (door-filtered) queryset of one model: its bounded count (at most `limit` + 1
    rows, as bounded_count reads) and the pks of its `first` rows by `order_by`, all in ONE
    query (UNION ALL of each one's count and first rows), however many querysets: a list of
    steps that each count and name their records costs one round trip (issue 15 item 4)."""
    from django.db import connections
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    if not querysets:
        return []
    connection = connections[querysets[0].db]
    arms, params = [], []
    for i, queryset in enumerate(querysets):
        bare = queryset.order_by().select_related(None)
        count_sql, count_params = bare.values("pk")[: limit + 1].query.sql_with_params()
        # The rank is the database's own order (its collation for names): the rows are put back
        # in it after the union, which keeps no order of its own.
        ranked = bare.annotate(_rank=Window(RowNumber(), order_by=[F(k).asc() for k in order_by]))
        first_sql, first_params = (
            ranked.order_by(*order_by).values_list("pk", "_rank")[:first].query.sql_with_params()
        )
        # `i` is this function's own integer, never input: safe to write into the statement.
        arms.append(f"SELECT {i}, 0, COUNT(*), 0 FROM ({count_sql}) c{i}")
        arms.append(f"SELECT {i}, 1, f{i}.pk, f{i}._rank FROM ({first_sql}) f{i}")
        params.extend(count_params)
        params.extend(first_params)
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(arms), params)
        rows = cur.fetchall()
    counts = [0] * len(querysets)
    firsts: list[list[tuple[int, Any]]] = [[] for _ in querysets]
    for i, kind, value, rank in rows:
        if kind == 0:
            counts[i] = value
        else:
            firsts[i].append((rank, value))
    return [(n, [pk for _, pk in sorted(found)]) for n, found in zip(counts, firsts, strict=True)]


def firsts_of_union(querysets: list[QuerySet], order_by: tuple[str, ...], first: int) -> list:
    """The pks of the `first` rows of the union of (door-filtered) querysets of one model, in
    `order_by` (its last key "pk" or "-pk"), in ONE query: each queryset is cut at `first` rows
    in that order on its own, so that an index on (its filter, the order) answers it, and the
    union of those few rows is sorted again. An OR of the filters in one query would walk the
    whole table in that order, or read every matching row to sort it (issue 15: the home page's
    recent changes)."""
    from django.db import connections

    if not querysets:
        return []
    connection = connections[querysets[0].db]
    keys = [k.lstrip("-") for k in order_by]
    arms, params = [], []
    for i, queryset in enumerate(querysets):
        bare = queryset.select_related(None).order_by(*order_by).values_list(*keys)
        sql, arm_params = bare[:first].query.sql_with_params()
        # `i` is this function's own integer, never input: safe to write into the statement.
        arms.append(f"SELECT * FROM ({sql}) a{i}")
        params.extend(arm_params)
    # The columns are the sort keys, the pk last; UNION drops a row two arms both found.
    order = ", ".join(
        f"{n} {'DESC' if k.startswith('-') else 'ASC'}" for n, k in enumerate(order_by, start=1)
    )
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT * FROM ({' UNION '.join(arms)}) u ORDER BY {order} LIMIT {int(first)}",
            params,
        )
        return [row[-1] for row in cur.fetchall()]


# --- a page ---------------------------------------------------------------------------------


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: Count | None = None
    size: int = 50
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _values_of(obj, keys: list[Key]) -> tuple[Any, ...]:
    out = []
    for i, key in enumerate(keys):
        if key.lookup == "pk":
            out.append(obj.pk)
        elif key.annotation:
            out.append(getattr(obj, key.lookup))
        elif "__" in key.lookup:
            out.append(getattr(obj, f"_keyset_{i}"))
        else:
            out.append(getattr(obj, obj._meta.get_field(key.lookup).attname))
    return tuple(out)


def paginate(
    queryset: QuerySet,
    size: int,
    cursor: str | None = None,
    *,
    offset: int | None = None,
) -> KeysetPage:
    """One page of `queryset` (already filtered through the door and ordered) after or before
    `cursor`. `offset` (old `?page=N` links) starts from a row number once; the page it gives
    carries cursors like any other."""
    keys = keys_for(queryset)
    model = queryset.model
    decoded = Cursor.decode(cursor, model, keys) if cursor else None
    backwards = bool(decoded and decoded.backwards)
    walk = [k.reversed() for k in keys] if backwards else keys
    annotations = {
        f"_keyset_{i}": F(k.lookup)
        for i, k in enumerate(keys)
        if "__" in k.lookup and not k.annotation
    }
    qs = queryset.annotate(**annotations) if annotations else queryset
    qs = qs.order_by(*[k.order() for k in walk])
    if decoded is not None:
        qs = qs.filter(_after(walk, decoded.values))
    start = offset if (decoded is None and offset) else 0
    rows = list(qs[start : start + size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, decoded is not None or start > 0
    terms = tuple(k.term for k in keys)
    page = KeysetPage(rows=rows, has_next=has_next, has_previous=has_previous, size=size)
    if rows and has_next:
        page.next_cursor = Cursor(terms, _values_of(rows[-1], keys)).encode()
    if rows and has_previous:
        page.previous_cursor = Cursor(terms, _values_of(rows[0], keys), backwards=True).encode()
    elif not rows and has_previous and decoded is not None and not backwards:
        # Past the end (the rows after the cursor were deleted): back to before where it pointed.
        page.previous_cursor = Cursor(terms, decoded.values, backwards=True).encode()
    return page


def page_links(request, page: KeysetPage) -> dict[str, str | None]:
    """The first, previous and next links of a keyset page (core/keyset_pagination.html) for a
    view that is not a RecordListView: the request's other parameters kept."""
    params = request.GET.copy()
    for key in ("cursor", "page"):
        params.pop(key, None)
    base = params.urlencode()
    at = f"?{base}&cursor=" if base else "?cursor="
    return {
        "first_url": f"?{base}" if page.has_previous else None,
        "next_url": f"{at}{page.next_cursor}" if page.next_cursor else None,
        "previous_url": f"{at}{page.previous_cursor}" if page.previous_cursor else None,
    }
