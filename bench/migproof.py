"""Signatures that prove a refactor of migrations or models changed nothing (decisions 0041, 0042).

    PYTHONPATH=<tree>/src python bench/migproof.py migrations > sig.txt
    PYTHONPATH=<tree>/src python bench/migproof.py models > sig.txt

`migrations`: every operation of every secoop migration deconstructed to its leaves (fields with
all their keyword arguments, validators, options, constraints, RunSQL text, RunPython functions by
name and the values a builder's functions close over, e.g. dbindex.list_indexes' index specs),
with the migration's dependencies, replaces, initial, atomic and run_before.
`models`: every model's fields (deconstructed, column, order), options, constraints, indexes,
managers, MRO and its door and page attributes as the class resolves them.

Run it on two trees (main and a branch) and diff the outputs: no difference, no change. A
deliberate change to one helper shows (e.g. `usd`'s max_digits in 56 lines). bench/migproof.sh
adds the fresh-database comparison (schema and rows on PostgreSQL and SQLite).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secoop.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import models  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402

DOOR_ATTRIBUTES = (
    "partner_visible",
    "partner_visible_field",
    "owner_org_field",
    "country_field",
    "history_parent",
    "detail_url",
    "detail_arg",
    "detail_tab",
    "_door",
)


def norm(o: Any, depth: int = 0) -> Any:
    """A comparable tree of `o`: deconstructed where Django can, functions by qualified name."""
    if depth > 40:
        return "<deep>"
    if isinstance(o, models.Field):
        _, path, args, kwargs = o.deconstruct()
        return ("Field", path, norm(args, depth + 1), norm(kwargs, depth + 1))
    if isinstance(o, type):
        return f"class {o.__module__}.{o.__qualname__}"
    if isinstance(o, types.FunctionType) and o.__closure__:
        # a builder's operation (dbindex.list_indexes): what its functions were built from
        cells = {
            n: c.cell_contents for n, c in zip(o.__code__.co_freevars, o.__closure__, strict=True)
        }
        return (f"func {o.__module__}.{o.__qualname__} closing over", norm(cells, depth + 1))
    if isinstance(o, types.FunctionType | types.MethodType | types.BuiltinFunctionType):
        return f"func {o.__module__}.{o.__qualname__}"
    if hasattr(o, "deconstruct") and callable(o.deconstruct):
        d = o.deconstruct()
        if len(d) == 3:
            return ("D", d[0], norm(d[1], depth + 1), norm(d[2], depth + 1))
        return ("D", norm(d, depth + 1))
    if isinstance(o, dict):
        return [("K", repr(k), norm(v, depth + 1)) for k, v in sorted(o.items(), key=repr)]
    if isinstance(o, list | tuple):
        return (type(o).__name__, [norm(x, depth + 1) for x in o])
    if isinstance(o, set | frozenset):
        return ("set", sorted(repr(norm(x, depth + 1)) for x in o))
    if callable(o):
        return f"callable {getattr(o, '__module__', '?')}.{type(o).__qualname__}"
    return f"{type(o).__name__}:{o!r}"


def lines(o: Any, ind: int = 0) -> Iterator[str]:
    pad = "  " * ind
    if isinstance(o, tuple) and len(o) == 2 and o[0] in ("list", "tuple"):
        yield f"{pad}{o[0]}["
        for x in o[1]:
            yield from lines(x, ind + 1)
        yield f"{pad}]"
    elif isinstance(o, list):
        yield f"{pad}dict{{"
        for x in o:
            yield from lines(x, ind + 1)
        yield f"{pad}}}"
    elif isinstance(o, tuple):
        yield f"{pad}{o[0]}("
        for x in o[1:]:
            yield from lines(x, ind + 1)
        yield f"{pad})"
    else:
        yield f"{pad}{o}"


def flat(o: Any) -> str:
    return " ".join(line.strip() for line in lines(o))


def migrations() -> Iterator[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), m in sorted(loader.disk_migrations.items()):
        if not type(m).__module__.startswith("secoop."):
            continue
        yield f"=== {app}.{name}"
        for attr in ("dependencies", "replaces", "run_before"):
            yield f" {attr}: {sorted(map(repr, getattr(m, attr, None) or []))}"
        yield f" initial: {m.initial!r} atomic: {m.atomic!r}"
        for i, op in enumerate(m.operations):
            yield f" op {i}"
            kind, args, kwargs = op.deconstruct()
            yield from lines(("Op", kind, norm(args), norm(kwargs)), 2)


def resolved(value: Any) -> str:
    return type(value).__name__ if hasattr(value, "field") else repr(value)


def models_() -> Iterator[str]:
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        o = model._meta
        mro = [c.__qualname__ for c in model.__mro__]
        yield f"=== {o.label} table={o.db_table} mro={mro}"
        for f in o.get_fields(include_hidden=True):
            if f.concrete or (f.many_to_many and not f.auto_created):
                yield f" field {f.name} {getattr(f, 'column', None)} {flat(norm(f.deconstruct()[1:]))}"
            else:
                yield f" related {f.name} {type(f).__name__} {getattr(f, 'related_name', None)}"
        for attr in (
            "ordering",
            "verbose_name",
            "verbose_name_plural",
            "unique_together",
            "permissions",
            "default_permissions",
            "get_latest_by",
            "abstract",
            "managed",
            "proxy",
            "default_related_name",
            "base_manager_name",
            "default_manager_name",
        ):
            yield f" meta {attr}={getattr(o, attr, None)!r}"
        yield f" constraints {flat(norm(o.constraints))}"
        yield f" indexes {flat(norm(o.indexes))}"
        yield f" managers {[(m.name, type(m).__qualname__) for m in o.managers]}"
        for attr in DOOR_ATTRIBUTES:
            yield f" resolved {attr}={resolved(getattr(model, attr, '<none>'))}"


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what not in ("migrations", "models"):
        sys.exit("usage: migproof.py migrations|models")
    for line in migrations() if what == "migrations" else models_():
        print(line)
