"""One search for list pages (`?q=`) and the API (`?search=`), answered by indexes and ranked
(issue 15 item 2; decision 0048).

`search(queryset, q, fields, user)` takes a queryset that already went through the door
(`visible_to`) and keeps the records where every word of `q` is found in one of `fields` that the
reader may see (core.fields: a match on a hidden field would tell them its value).

A model that declares its **search document** (`search_document = SearchDocument(text={...},
codes=(...))`, the big lists: change log, documents, activities, cases, case lines, students) is
searched through full-text indexes and ranked:

* **text** fields (titles, summaries, descriptions): a word matches a word of the text that starts
  with it ("radio" finds "radios"; "BN-D" finds "BN-D-ABC": the word's pieces in a row, the last
  one a prefix). Text is cut into words at punctuation and spaces, the same way on both
  databases.
  - PostgreSQL: `<field>_tsv @@ to_tsquery(...)`, where `<field>_tsv` is a stored generated
    column, `to_tsvector('simple', <text with punctuation as spaces>)`, with a GIN index
    (core.dbindex.FullText). The database computes it on every write: nothing else to maintain.
  - SQLite: an FTS5 table per model (`<table>_fts`, external content: the model's own table),
    kept current by SQLite triggers on the model's table (core.dbindex.FullText), so every write
    an action makes (and bulk system writes) updates it with nothing more to call. A column
    filter (`{title summary} : ...`) searches only the columns the reader may see.
* **codes** fields (identifiers, names, usernames): the word anywhere inside (`ILIKE '%word%'`,
  pg_trgm GIN on PostgreSQL; `LIKE` on SQLite); a code that starts with the word ranks higher.
* every other field named (a related field, a model without a document): `ILIKE '%word%'`, as
  before, unranked.

**Rank** (`search_rank`, a float annotation; `ranked()` orders by it): the sum, over the fields the
reader may see, of the field's weight × how well the words match it. It is computed from the
record's own fields only — PostgreSQL's `ts_rank` (no corpus statistics), on SQLite the same idea
as a function registered on the connection (`text_rank`). FTS5's `bm25()` is not used: its word
rarity (IDF) and average length are over every row of the FTS table, including rows the reader
may not see, so a hidden record's text would move a visible record up or down.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField
from django.db.models import Case
from django.db.models import F
from django.db.models import FloatField
from django.db.models import Func
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models import When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from . import fields as field_policy

MAX_WORDS = 8  # more words narrow nothing a person would type; bounds the query's size
MAX_WORD_LENGTH = 100
RANK = "search_rank"  # the annotation a searched queryset carries when it is ranked

# What the full-text indexes see of a field: punctuation and spaces become one space, so that
# "radio.patrol", "F-16" and "3.5" are words apart on PostgreSQL as they are in FTS5.
PG_WORDS = "regexp_replace(COALESCE({col}, ''), '[[:punct:][:space:]]+', ' ', 'g')"
PG_VECTOR = "to_tsvector('simple'::regconfig, " + PG_WORDS + ")"
FTS5_TOKENIZER = "unicode61 remove_diacritics 0"
_TOKEN = re.compile(r"[^\W_]+")
CODE_PREFIX_RANK = 1.0  # a code that starts with the word
CODE_INSIDE_RANK = 0.5  # a code with the word inside


@dataclass(frozen=True)
class SearchDocument:
    """What of a model is searched through full-text indexes: `text` fields with their weight in
    the rank, and `codes` (identifiers, names) matched inside and ranked higher from their start."""

    text: tuple[tuple[str, float], ...] = ()
    codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: Mapping[str, float] | None = None, codes: Sequence[str] = ()):
        return cls(tuple((text or {}).items()), tuple(codes))

    @property
    def text_fields(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.text)

    def weight(self, name: str) -> float | None:
        return dict(self.text).get(name)


def document_of(model) -> SearchDocument | None:
    doc = getattr(model, "search_document", None)
    return doc if isinstance(doc, SearchDocument) else None


def tsv_column(column: str) -> str:
    """PostgreSQL: the stored tsvector column of a text field's column (core.dbindex.FullText)."""
    return f"{column}_tsv"


def _tsv(compiler, connection, field_expression) -> tuple[str, tuple]:
    """The qualified stored tsvector column of a field, under whatever alias the query gives
    its table: `"t"."title"` → `"t"."title_tsv"`."""
    col, params = compiler.compile(field_expression)
    name = getattr(getattr(field_expression, "target", None), "column", None)
    quoted = connection.ops.quote_name(name) if name else None
    if not quoted or not col.endswith(quoted):
        raise ValueError(f"cannot search {col}: not a column of the searched table")
    return col[: -len(quoted)] + connection.ops.quote_name(tsv_column(name)), tuple(params)


def fts_table(db_table: str) -> str:
    """The SQLite FTS5 table of a model's table."""
    return f"{db_table}_fts"


def words_of(q: str) -> list[str]:
    """The words searched for: split on spaces, duplicates removed, at most MAX_WORDS."""
    words: list[str] = []
    for word in (q or "").replace("\x00", "").split():
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def tokens_of(word: str) -> list[str]:
    """The pieces of a typed word that full text sees: letters and digits ("BN-D" → BN, D)."""
    return _TOKEN.findall(word)


def searchable(model, user, fields: Sequence[str]) -> list[str]:
    """The fields of `fields` the reader may see."""
    reader = field_policy.reader_of(user)
    hidden = set(field_policy.hidden(model, reader, list(fields)))
    return [f for f in fields if f not in hidden]


# --- queries in each database's language ----------------------------------------------------


def _tsquery(tokens: list[str]) -> str:
    """One typed word as a tsquery: its pieces in a row, the last one a prefix. The pieces are
    letters and digits only, so nothing in them is tsquery syntax."""
    return " <-> ".join(f"'{t}'" for t in tokens) + ":*"


def _fts5_phrase(tokens: list[str]) -> str:
    """One typed word as an FTS5 phrase, the last piece a prefix."""
    return '"' + " ".join(tokens) + '"*'


class _OnTsQuery(Func):
    """A function of a field's tsvector, written as its index is, and `to_tsquery(query)`: `sql`
    says which, with `{tsv}` and `{query}` in it."""

    sql = ""

    def __init__(self, field: str, query: str):
        super().__init__(F(field), Value(query))

    def as_sql(self, compiler, connection, **extra):
        tsv, col_params = _tsv(compiler, connection, self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        tsquery = f"to_tsquery('simple'::regconfig, {query})"
        return self.sql.format(tsv=tsv, query=tsquery), (*col_params, *query_params)


class _TsMatch(_OnTsQuery):
    """`to_tsvector(field) @@ to_tsquery(query)`."""

    output_field = BooleanField()
    sql = "{tsv} @@ {query}"


class _TsRank(_OnTsQuery):
    """`ts_rank(to_tsvector(field), to_tsquery(query))`: the field's own words only."""

    output_field = FloatField()
    sql = "ts_rank({tsv}, {query})"


class _TextRank(Func):
    """SQLite: `secoop_text_rank(words, field)` (registered on each connection, `text_rank`)."""

    function = "secoop_text_rank"
    output_field = FloatField()

    def __init__(self, field: str, words: str):
        super().__init__(Value(words), F(field))


def text_rank(words: str | None, text: str | None) -> float:
    """SQLite's rank of one field for the typed words (tab-separated): for each word, its phrase
    found n times in the text adds 0.1 × (1 − 0.5ⁿ) — more is better, with diminishing returns, as
    `ts_rank` does. Only this record's text counts."""
    if not words or not text:
        return 0.0
    found = [t.lower() for t in _TOKEN.findall(text)]
    score = 0.0
    for word in words.split("\t"):
        pieces = [t.lower() for t in _TOKEN.findall(word)]
        if not pieces:
            continue
        n = len(pieces)
        hits = 0
        for i in range(len(found) - n + 1):
            window = found[i : i + n]
            if window[:-1] == pieces[:-1] and window[-1].startswith(pieces[-1]):
                hits += 1
        if hits:
            score += 0.1 * (1 - math.pow(0.5, hits))
    return score


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: the rank function SQLite's searches call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("secoop_text_rank", 2, text_rank, deterministic=True)


def _fulltext(queryset: QuerySet, text: list[str], tokens: list[str]) -> Q:
    """Records with the word in one of the `text` fields (all in the model's search document)."""
    model = queryset.model
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        query = _tsquery(tokens)
        condition = Q(pk__in=[])
        for name in text:
            condition |= Q(_TsMatch(name, query))
        return condition
    if vendor == "sqlite":
        opts = model._meta
        columns = " ".join(opts.get_field(name).column for name in text)
        table = fts_table(opts.db_table)
        match = f"{{{columns}}} : {_fts5_phrase(tokens)}"
        return Q(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [match]))
    # Another database: no full-text index; the words inside the text, unranked by the index.
    condition = Q(pk__in=[])
    for name in text:
        condition |= Q(**{f"{name}__icontains": " ".join(tokens)})
    return condition


def _rank(queryset: QuerySet, doc: SearchDocument, text: list[str], codes: list[str], words):
    """The rank of each record for `words`, from the fields the reader may see (text and codes)."""
    vendor = connections[queryset.db].vendor
    terms = []
    phrases = [tokens_of(w) for w in words]
    phrases = [p for p in phrases if p]
    if text and phrases:
        if vendor == "postgresql":
            either = " | ".join(f"({_tsquery(p)})" for p in phrases)
            terms += [Value(doc.weight(name)) * _TsRank(name, either) for name in text]
        else:
            typed = "\t".join(" ".join(p) for p in phrases)
            terms += [Value(doc.weight(name)) * _TextRank(name, typed) for name in text]
    for name in codes:
        for word in words:
            terms.append(
                Case(
                    When(**{f"{name}__istartswith": word}, then=Value(CODE_PREFIX_RANK)),
                    When(**{f"{name}__icontains": word}, then=Value(CODE_INSIDE_RANK)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
    if not terms:
        return Value(0.0, output_field=FloatField())
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    # float8 on PostgreSQL, so that a cursor's rank (a Python float) compares exactly.
    return Cast(total, FloatField())


def search(queryset: QuerySet, q: str, fields: Sequence[str], user) -> QuerySet:
    """The records of `queryset` (through the door) in which every word of `q` is found in a
    field the reader may see. No word: the queryset as it is; no field the reader may see:
    nothing. A model with a search document comes back annotated with its rank (`RANK`); the
    order is the caller's (`ranked()`)."""
    words = words_of(q)
    if not words:
        return queryset
    model = queryset.model
    shown = searchable(model, user, fields)
    if not shown:
        return queryset.none()
    doc = document_of(model)
    text = [f for f in shown if doc and doc.weight(f) is not None]
    codes = [f for f in shown if doc and f in doc.codes]
    other = [f for f in shown if f not in text and f not in codes]
    # A related record's field only where the reader may see that record (the search documents'
    # fields are the model's own: no guard).
    guards = {name: _through_door(model, name, user) for name in other}
    condition = Q()
    for word in words:
        tokens = tokens_of(word)
        any_field = Q(pk__in=[])  # a word found nowhere finds nothing (never "no condition")
        if text and tokens:
            any_field |= _fulltext(queryset, text, tokens)
        for name in codes:
            any_field |= Q(**{f"{name}__ilike_contains": word})
        for name in other:
            any_field |= Q(**{f"{name}__ilike_contains": word}) & guards[name]
        condition &= any_field
    result = queryset.filter(condition)
    if any(_crosses_many(model, name) for name in other):
        result = result.distinct()  # a search across a to-many relation could repeat a record
    if doc is not None:
        result = result.annotate(**{RANK: _rank(queryset, doc, text, codes, words)})
    return result


def is_ranked(queryset: QuerySet) -> bool:
    return RANK in queryset.query.annotations


def ranked(queryset: QuerySet) -> QuerySet:
    """A searched queryset in rank order, best first; ties in the list's own order (its keyset
    keys, ending with the primary key), so that cursor pages still walk every record once."""
    if not is_ranked(queryset):
        return queryset
    from .keyset import keys_for

    ties = [k.term for k in keys_for(queryset) if k.lookup != RANK]
    return queryset.order_by(f"-{RANK}", *ties)


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
