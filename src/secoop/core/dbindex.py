"""Lookups and indexes that let the database's indexes answer the door, the lists and the search
(issue 15 items 1–3).

* `rel_to__releasable_to="XBN"`: the REL TO list holds the country. Stored as ',USA,XBN,' (one
  column on every database, core.markings); on PostgreSQL it is asked as
  `string_to_array(rel_to, ',') @> ARRAY['XBN']`, which a GIN index on that expression answers
  (`releasability_index`); elsewhere as `LIKE '%,XBN,%'`.
* `field__ilike_contains="radio"`: case-insensitive "contains". On PostgreSQL `ILIKE`, which a
  pg_trgm GIN index answers (`trigram_index`); Django's own `icontains` is `UPPER(x) LIKE
  UPPER(…)`, which no index on the column answers. Elsewhere, Django's `icontains`.
* `list_indexes(...)`: a migration operation that creates b-tree indexes (sort column, id) for
  keyset pages, on every database, and the PostgreSQL-only GIN indexes above. Kept out of the
  models' Meta because the GIN ones exist on PostgreSQL only; names are fixed so that a later
  migration can drop them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import migrations
from django.db import models
from django.db.models import Lookup


@models.CharField.register_lookup
class ReleasableTo(Lookup):
    """R-SEC-02: the record's REL TO list names this country (an alpha-3 code)."""

    lookup_name = "releasable_to"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        like = "%," + connection.ops.prep_for_like_query(self.rhs) + ",%"
        return f"{lhs} LIKE %s ESCAPE '\\'", (*lhs_params, like)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The same expression as the index (releasability_index), or the index is not used.
        return f"string_to_array({lhs}, ',') @> ARRAY[%s]::text[]", (*lhs_params, str(self.rhs))


class IlikeContains(Lookup):
    lookup_name = "ilike_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        # Not PostgreSQL: Django's icontains (SQLite's LIKE ignores ASCII case).
        return compiler.compile(self.lhs.get_lookup("icontains")(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        like = "%" + connection.ops.prep_for_like_query(str(self.rhs)) + "%"
        return f"{lhs} ILIKE %s", (*lhs_params, like)


models.CharField.register_lookup(IlikeContains)
models.TextField.register_lookup(IlikeContains)


# --- indexes, as migration operations ---------------------------------------------------------


def _column(opts, name: str) -> str:
    return opts.pk.column if name == "pk" else opts.get_field(name).column


@dataclass(frozen=True)
class Sorted:
    """A b-tree index on (fields…, primary key) for a keyset list's order: on every database."""

    model: str
    fields: tuple[str, ...]

    def name(self, opts) -> str:
        return _name(opts.db_table, "ks", self.fields)

    def create(self, opts, vendor: str) -> str | None:
        cols = ", ".join(f'"{_column(opts, f)}"' for f in (*self.fields, "pk"))
        return f'CREATE INDEX IF NOT EXISTS "{self.name(opts)}" ON "{opts.db_table}" ({cols})'


class _PostgresGin:
    """A GIN index that PostgreSQL alone builds: on `expression(opts)`, named by `name(opts)`."""

    def create(self, opts, vendor: str) -> str | None:
        if vendor != "postgresql":
            return None
        return (
            f'CREATE INDEX IF NOT EXISTS "{self.name(opts)}" ON "{opts.db_table}" '
            f"USING gin ({self.expression(opts)})"
        )


@dataclass(frozen=True)
class Trigram(_PostgresGin):
    """A pg_trgm GIN index on a text field, for `ilike_contains` (PostgreSQL only)."""

    model: str
    field: str

    def name(self, opts) -> str:
        return _name(opts.db_table, "trgm", (self.field,))

    def expression(self, opts) -> str:
        return f'"{_column(opts, self.field)}" gin_trgm_ops'


@dataclass(frozen=True)
class Releasability(_PostgresGin):
    """A GIN index on the REL TO list as an array, for `releasable_to` (PostgreSQL only)."""

    model: str

    def name(self, opts) -> str:
        return _name(opts.db_table, "rel", ("rel_to",))

    def expression(self, opts) -> str:
        return "string_to_array(\"rel_to\", ',')"


@dataclass(frozen=True)
class FullText:
    """A model's full-text search document (core.search.SearchDocument's text fields):

    * PostgreSQL: per field, a stored generated column `<column>_tsv` = `to_tsvector('simple',
      <field, punctuation as spaces>)` (core.search.PG_VECTOR) and a GIN index on it. The
      database computes the column on every INSERT and UPDATE (Django never names it), so a
      search neither recomputes the vector to recheck a match nor to rank it.
    * SQLite: an FTS5 table `<table>_fts` over the fields (external content: the model's table,
      rowid = id), filled once, and triggers after INSERT, DELETE and UPDATE OF the fields that
      keep it current — every write, the actions' and the bulk system writes alike, with no
      second write path to forget.
    """

    model: str
    fields: tuple[str, ...]

    def name(self, opts) -> str:
        return _name(opts.db_table, "fts", self.fields)

    def _index(self, opts, field: str) -> str:
        return _name(opts.db_table, "tsv", (field,))

    def statements(self, opts, vendor: str) -> list[str]:
        from .search import FTS5_TOKENIZER
        from .search import PG_VECTOR
        from .search import fts_table
        from .search import tsv_column

        table = opts.db_table
        columns = [_column(opts, f) for f in self.fields]
        if vendor == "postgresql":
            out = []
            for f, c in zip(self.fields, columns, strict=True):
                vector = PG_VECTOR.format(col=f'"{c}"')
                out += [
                    f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{tsv_column(c)}" tsvector '
                    f"GENERATED ALWAYS AS ({vector}) STORED",
                    f'CREATE INDEX IF NOT EXISTS "{self._index(opts, f)}" ON "{table}" '
                    f'USING gin ("{tsv_column(c)}")',
                ]
            return out
        if vendor != "sqlite":
            return []
        fts = fts_table(table)
        pk = opts.pk.column
        cols = ", ".join(f'"{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        delete = (
            f'INSERT INTO "{fts}"("{fts}", rowid, {cols}) VALUES (\'delete\', old."{pk}", {old});'
        )
        insert = f'INSERT INTO "{fts}"(rowid, {cols}) VALUES (new."{pk}", {new});'
        return [
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({cols}, '
            f"content='{table}', content_rowid='{pk}', tokenize='{FTS5_TOKENIZER}')",
            f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN {insert} END',
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN {delete} END',
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF {cols} ON "{table}" '
            f"BEGIN {delete} {insert} END",
        ]

    def create(self, opts, vendor: str) -> list[str]:
        return self.statements(opts, vendor)

    def drop(self, opts, vendor: str) -> list[str]:
        from .search import fts_table
        from .search import tsv_column

        if vendor == "postgresql":
            return [
                f'ALTER TABLE "{opts.db_table}" DROP COLUMN IF EXISTS "{tsv_column(c)}"'
                for c in (_column(opts, f) for f in self.fields)
            ]  # its index goes with it
        if vendor != "sqlite":
            return []
        fts = fts_table(opts.db_table)
        return [
            *(f'DROP TRIGGER IF EXISTS "{fts}_{t}"' for t in ("ai", "ad", "au")),
            f'DROP TABLE IF EXISTS "{fts}"',
        ]


def full_text(model: str, *fields: str) -> FullText:
    return FullText(model, tuple(fields))


@dataclass(frozen=True)
class TrigramDropped(Trigram):
    """A trigram index (0027) no search reads any more: a text field of a search document is
    searched through its tsvector (FullText). Dropped to save its write cost; unapplying the
    migration builds it again."""

    def create(self, opts, vendor: str) -> str | None:
        return f'DROP INDEX IF EXISTS "{self.name(opts)}"' if vendor == "postgresql" else None

    def restore(self, opts, vendor: str) -> str | None:
        return Trigram.create(self, opts, vendor)


def trigram_dropped(model: str, *fields: str) -> list[TrigramDropped]:
    return [TrigramDropped(model, f) for f in fields]


def search_documents(app_label: str, **documents: tuple[str, ...]) -> migrations.RunPython:
    """The migration operation that gives each model its full-text search document over those
    fields and drops the trigram indexes (0027) on the same fields, which no search reads any more
    (decision 0048): `search_documents("cases", FmsCase=("title",))`. Every document first, then
    every dropped index, in the order given."""
    return list_indexes(
        app_label,
        *(full_text(model, *fields) for model, fields in documents.items()),
        *(t for model, fields in documents.items() for t in trigram_dropped(model, *fields)),
    )


def _name(table: str, kind: str, columns: tuple[str, ...]) -> str:
    digest = hashlib.sha1(f"{table}:{kind}:{','.join(columns)}".encode()).hexdigest()[:8]
    return f"{table[:40]}_{kind}_{digest}"


def sorted_indexes(model: str, *orders: str | tuple[str, ...]) -> list[Sorted]:
    """`sorted_indexes("Activity", "title", ("start_date", "title"))`: one index per order."""
    return [Sorted(model, (o,) if isinstance(o, str) else tuple(o)) for o in orders]


def trigram_indexes(model: str, *fields: str) -> list[Trigram]:
    return [Trigram(model, f) for f in fields]


def list_indexes(app_label: str, *specs) -> migrations.RunPython:
    """A migration operation creating these indexes (and dropping them when unapplied)."""

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql" and any(isinstance(s, Trigram) for s in specs):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for spec in specs:
            sql = spec.create(apps.get_model(app_label, spec.model)._meta, vendor)
            for statement in sql if isinstance(sql, list) else [sql] if sql else []:
                schema_editor.execute(statement)

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for spec in specs:
            opts = apps.get_model(app_label, spec.model)._meta
            if isinstance(spec, FullText):
                for statement in spec.drop(opts, vendor):
                    schema_editor.execute(statement)
            elif isinstance(spec, TrigramDropped):
                sql = spec.restore(opts, vendor)
                if sql:
                    schema_editor.execute(sql)
            else:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{spec.name(opts)}"')

    return migrations.RunPython(forward, backward, elidable=False)


def documented_models():
    """Every installed model that declares a search document (core.search.SearchDocument)."""
    from django.apps import apps

    from .search import document_of

    return [m for m in apps.get_models() if document_of(m) is not None]


def _documented_tables(connection, cursor):
    """documented_models() whose table is in the database: an app migrated back to zero (or not
    yet migrated) has no document to keep in step."""
    tables = set(connection.introspection.table_names(cursor))
    return [m for m in documented_models() if m._meta.db_table in tables]


def full_text_in_step(connection) -> list[str]:
    """What is out of step between the models' search documents and the database: on SQLite an
    FTS5 table whose columns differ from the document's text fields, or a missing trigger; on
    PostgreSQL a missing GIN index. Empty when all is in step."""
    from .search import document_of
    from .search import fts_table

    problems = []
    with connection.cursor() as cursor:
        for model in _documented_tables(connection, cursor):
            opts = model._meta
            spec = FullText(model.__name__, document_of(model).text_fields)
            if connection.vendor == "sqlite":
                fts = fts_table(opts.db_table)
                cursor.execute(f'PRAGMA table_info("{fts}")')
                columns = [row[1] for row in cursor.fetchall()]
                if columns != [_column(opts, f) for f in spec.fields]:
                    problems.append(f"{fts}: columns {columns}")
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [opts.db_table],
                )
                triggers = {row[0] for row in cursor.fetchall()}
                problems += [
                    f"{fts}_{t}: no trigger"
                    for t in ("ai", "ad", "au")
                    if f"{fts}_{t}" not in triggers
                ]
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = %s", [opts.db_table]
                )
                indexes = {row[0] for row in cursor.fetchall()}
                problems += [
                    f"{opts.db_table}: no index {spec._index(opts, f)}"
                    for f in spec.fields
                    if spec._index(opts, f) not in indexes
                ]
    return problems


def repair_sqlite_full_text(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (SQLite): a migration that remakes a table (SQLite's ALTER TABLE
    copies it into a new one) drops its triggers, and the FTS5 table would silently go stale. After
    every migrate, an FTS5 table out of step with its model's search document is made again and
    refilled from the table."""
    from django.db import connections

    from .search import document_of

    connection = connections[using]
    if connection.vendor != "sqlite" or getattr(sender, "label", None) != "core":
        return
    if not full_text_in_step(connection):
        return
    with connection.cursor() as cursor:
        for model in _documented_tables(connection, cursor):
            spec = FullText(model.__name__, document_of(model).text_fields)
            for statement in (
                *spec.drop(model._meta, "sqlite"),
                *spec.create(model._meta, "sqlite"),
            ):
                cursor.execute(statement)
