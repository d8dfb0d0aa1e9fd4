"""Write one squashed initial migration per secoop app from a tree's migrations (issue 11 §6,
decision 0062). Run on the tree whose migrations are to be squashed (main at f35d184):

    cd <old tree> && DEBUG=1 DJANGO_SETTINGS_MODULE=secoop.settings PYTHONPATH=src \
        python <this tree>/bench/migsquash/gen.py OUTDIR
    python bench/migsquash/post.py OUTDIR   # the hand edits; then copy, ruff format, ruff check --fix

Schema: every schema operation of the app's migrations, in order, each folded IN PLACE into the
CreateModel or AddField it changes (Django's own reductions; fold()): no operation moves, so
models are created and columns added in their old order. Fields are written with
core.migration_helpers where a helper gives the very same field (checked by deconstruction), and
choices with the old files' named lists. Data and index operations (RunPython, list_indexes,
search_documents): after the schema, in their old order, with their module-level code copied
verbatim (names that two old files both define get the old file's number as a suffix).
Proof: bench/migproof.sh (decision 0062).
"""

import ast
import copy
import io
import os
import sys
import tokenize
from decimal import Decimal

import django

django.setup()

from django.core import validators  # noqa: E402
from django.db import migrations  # noqa: E402
from django.db import models  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.migrations.serializer import BaseSerializer  # noqa: E402
from django.db.migrations.serializer import ModelFieldSerializer  # noqa: E402
from django.db.migrations.serializer import Serializer  # noqa: E402
from django.db.migrations.writer import MigrationWriter  # noqa: E402

from secoop.core import migration_helpers as mh  # noqa: E402

APPS = ["core", "planning", "analysis", "assessment", "cases", "budget", "eum", "training"]
NEW = "0001_squashed"
MH_IMPORT = "from secoop.core import migration_helpers as mh"
OUT = sys.argv[1]


class Raw:
    def __init__(self, text, imports=()):
        self.text, self.imports = text, set(imports)


class RawSerializer(BaseSerializer):
    def serialize(self):
        return self.value.text, self.value.imports


def ser(value):
    return _factory(value).serialize()


def shape(field):
    _, path, args, kwargs = field.deconstruct()
    return path, list(args), kwargs


def evaluate(text, imports):
    ns = {}
    for imp in imports:
        exec(imp, ns)
    exec(MH_IMPORT, ns)
    return eval(text, ns)


CONSTANTS = {}  # the app's old module-level choices lists: name -> value


def kwargs_text(kwargs):
    parts, imports = [], set()
    for k, v in sorted(kwargs.items()):
        if k == "choices":
            mine = [n for n, c in CONSTANTS.items() if list(c) == list(v)]
            if mine:
                parts.append(f"choices={mine[0]}")
                continue
            named = [
                n
                for n in ("ccmd_choices", "activity_funding_choices", "case_category_choices")
                if list(v) == getattr(mh, n)()
            ]
            if named:
                parts.append(f"choices=mh.{named[0]}()")
                continue
        s, i = ser(v)
        parts.append(f"{k}={s}")
        imports |= i
    return parts, imports


PROTECT, CASCADE = models.deletion.PROTECT, models.deletion.CASCADE
FY = [validators.MinValueValidator(2000), validators.MaxValueValidator(2100)]
NONNEG = [validators.MinValueValidator(Decimal(0))]


def candidates(field):
    path, args, kw = shape(field)
    if args:
        return
    kw = dict(kw)

    def without(*keys, **values):
        return {k: v for k, v in kw.items() if k not in keys and k not in values}

    def has(**values):
        return all(k in kw and kw[k] == v for k, v in values.items())

    if path == "django.db.models.ForeignKey":
        yield "scope_key", [ser(kw.get("to"))[0]], {}
        if kw.get("on_delete") is PROTECT:
            if has(blank=True, null=True):
                yield "optional_fk", [ser(kw["to"])[0]], without("to", "on_delete", "blank", "null")
            yield "protected_fk", [ser(kw["to"])[0]], without("to", "on_delete")
        if kw.get("on_delete") is CASCADE:
            yield "parent_fk", [ser(kw["to"])[0]], without("to", "on_delete")
    if path == "django.db.models.DateField":
        if has(blank=True, null=True, editable=False):
            yield "action_date", [], without("blank", "null", "editable")
        if has(blank=True, null=True):
            yield "optional_date", [], without("blank", "null")
    if path == "django.db.models.PositiveSmallIntegerField" and kw.get("validators") == FY:
        yield "fiscal_year", [], without("validators")
    if path == "django.db.models.DecimalField":
        if kw.get("decimal_places") == 2:
            rest = without("decimal_places")
            if rest.get("max_digits") == 16:
                rest.pop("max_digits")
            if kw.get("validators") == NONNEG:
                yield "non_negative_usd", [], {k: v for k, v in rest.items() if k != "validators"}
            yield "usd", [], rest
        if kw.get("decimal_places") == 4 and kw.get("max_digits") == 16:
            yield "measured_value", [], without("decimal_places", "max_digits")
    if path == "django.db.models.FileField" and "upload_to" in kw:
        yield "document_file", [repr(kw["upload_to"])], {}


def helper_text(field):
    """`mh.<helper>(...)` giving exactly `field`, or None."""
    want = shape(field)
    for name, args, kw in candidates(field):
        parts, imports = kwargs_text(kw)
        text = f"mh.{name}({', '.join([*args, *parts])})"
        imports |= {"from django.conf import settings"} if "settings." in text else set()
        try:
            got = evaluate(text, imports)
        except Exception:
            continue
        if shape(got) == want:
            return text, imports | {MH_IMPORT}
    return None


class FieldSerializer(BaseSerializer):
    def serialize(self):
        found = helper_text(self.value)
        if found:
            return found
        path, args, kw = shape(self.value)
        if "choices" in kw:
            parts, imports = kwargs_text(kw)
            if any(p.startswith("choices=") and not p.startswith("choices=[") for p in parts):
                cls_path, cls_imports = ModelFieldSerializer._serialize_path(path)
                return f"{cls_path}({', '.join(parts)})", imports | cls_imports | {MH_IMPORT}
        return ModelFieldSerializer(self.value).serialize()


import django.db.migrations.serializer as _serializer_module  # noqa: E402
import django.db.migrations.writer as _writer_module  # noqa: E402

_factory = _serializer_module.serializer_factory


def _patched_factory(value):
    if isinstance(value, models.Field):
        return FieldSerializer(value)
    return _factory(value)


_serializer_module.serializer_factory = _patched_factory
_writer_module.serializer_factory = _patched_factory
Serializer.register(Raw, RawSerializer)


def same(a, b):
    return a[0] == b[0] and shape(a[1]) == shape(b[1])


def fold_fields(fields):
    """A CreateModel's field list with the helpers' blocks (marked_record_fields, marking_fields,
    id_field, country_and_owner)."""
    fields = list(fields)
    out = []
    for block in ("marked_record_fields", "marking_fields"):
        want = getattr(mh, block)()
        if len(fields) >= len(want) and all(same(a, b) for a, b in zip(fields, want, strict=False)):
            out.append(Raw(f"*mh.{block}()", {MH_IMPORT}))
            fields = fields[len(want) :]
            break
    else:
        if fields and same(fields[0], mh.id_field()):
            out.append(Raw("mh.id_field()", {MH_IMPORT}))
            fields = fields[1:]
    tail = []
    if len(fields) >= 2 and [n for n, _ in fields[-2:]] == ["country", "owner_org"]:
        _, _, owner_kw = shape(fields[-1][1])
        extra = {k: v for k, v in owner_kw.items() if k not in ("on_delete", "related_name", "to")}
        parts, imports = kwargs_text(extra)
        text = f"*mh.country_and_owner({', '.join(parts)})"
        got = evaluate(text[1:], imports)
        if all(same(a, b) for a, b in zip(fields[-2:], got, strict=True)):
            tail = [Raw(text, imports | {MH_IMPORT})]
            fields = fields[:-2]
    return out + fields + tail


# --- the old files: imports, module-level code, the operations that are not schema -----------

SCHEMA_CALLS = {
    "CreateModel", "DeleteModel", "AddField", "RemoveField", "AlterField", "RenameField",
    "AddIndex", "RemoveIndex", "AddConstraint", "RemoveConstraint", "AlterModelOptions",
    "AlterUniqueTogether", "AlterIndexTogether", "RenameModel", "AlterModelTable",
    "AlterModelManagers", "AlterOrderWithRespectTo", "RenameIndex",
}  # fmt: skip


def call_name(node):
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def rename(text, names):
    if not names:
        return text
    out = []
    prev = None
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.NAME and tok.string in names and not (prev and prev.string == "."):
            tok = tok._replace(string=names[tok.string])
        out.append(tok)
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            prev = tok
    return tokenize.untokenize(out)


def old_file(path, taken):
    src = open(path).read()
    tree = ast.parse(src)
    lines = src.splitlines(keepends=True)
    imports, body_start, cls = [], None, None
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(ast.get_source_segment(src, node))
        elif isinstance(node, ast.ClassDef) and node.name == "Migration":
            cls = node
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and node is tree.body[0]
        ):
            pass  # the module docstring
        elif body_start is None:
            body_start = node.lineno - 1
            # comments just above the first statement belong to it
            while body_start > 0 and lines[body_start - 1].startswith("#"):
                body_start -= 1
    end = cls.lineno - 1
    while end > 0 and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
        end -= 1  # leave comments right above the class out only if the class has them
    preamble = "".join(lines[body_start:end]) if body_start is not None and body_start < end else ""
    defined = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node is not cls:
            defined.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined += [t.id for t in targets if isinstance(t, ast.Name)]
    ops = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and stmt.targets[0].id == "operations":
            for elt in stmt.value.elts:
                if isinstance(elt, ast.Call) and call_name(elt) in SCHEMA_CALLS:
                    continue
                ops.append(ast.get_source_segment(src, elt))
    doc = ast.get_docstring(tree)
    return imports, preamble, defined, ops, doc


def created_at(out, app):
    return {
        f"{app}.{op.name_lower}": i
        for i, op in enumerate(out)
        if isinstance(op, migrations.CreateModel)
    }


def targets(field, app):
    rf = getattr(field, "remote_field", None)
    if rf is None:
        return []
    found = []
    for model in (rf.model, getattr(rf, "through", None)):
        if model is None:
            continue
        label = model if isinstance(model, str) else model._meta.label_lower
        label = label.lower()
        if "." not in label:
            label = f"{app}.{label}"
        found.append(label)
    return found


def fits(op, position, out, app):
    """A CreateModel at `position` may hold its fields: every same-app model a field points at is
    created before it (or is itself)."""
    made = created_at(out, app)
    for _, field in op.fields:
        if isinstance(field, Raw):
            continue
        for label in targets(field, app):
            if label.startswith(f"{app}.") and label != f"{app}.{op.name_lower}":
                if made.get(label, len(out) + 1) > position:
                    return False
    return True


def fold(ops, app):
    """Django's reductions (CreateModel absorbs AddField, AlterField, RemoveField, RenameField,
    options, indexes, constraints; AddField absorbs AlterField...), each applied IN PLACE: no
    operation moves, so models are created, and columns added, in their old order (content types,
    permissions and column order stay those of a database migrated step by step)."""
    out = []
    for op in ops:
        model = getattr(op, "model_name_lower", None) or getattr(op, "name_lower", None)
        done = False
        for i in range(len(out) - 1, -1, -1):
            prev = out[i]
            same_model = model and prev.references_model(model, app)
            if isinstance(op, migrations.AddField) and isinstance(prev, migrations.AddField):
                if same_model and prev.model_name_lower == model:
                    if prev.name_lower != op.name_lower:
                        break  # a column added after another stays after it
            if not isinstance(prev, (migrations.CreateModel, migrations.AddField)):
                if not same_model:
                    continue
                if isinstance(prev, (migrations.AddIndex, migrations.AddConstraint)) and isinstance(
                    op, migrations.AddField
                ):
                    spec = getattr(prev, "index", None) or prev.constraint
                    if getattr(spec, "fields", None) and op.name not in spec.fields:
                        continue  # a new column may come before an index of other columns
                break
            result = prev.reduce(op, app)
            if isinstance(result, list) and len(result) <= 1:
                if result and isinstance(result[0], migrations.CreateModel):
                    if not fits(result[0], i, out, app):
                        break
                if result:
                    out[i] = result[0]
                else:
                    del out[i]
                done = True
                break
            if result is not True:
                break
        if not done:
            out.append(op)
    return out


def build(app, loader):
    names = sorted(n for (a, n) in loader.disk_migrations if a == app)
    plan = []
    for n in names:
        m = loader.disk_migrations[(app, n)]
        plan.append(m)
    schema, deps, replaces = [], set(), []
    for m in plan:
        for op in m.operations:
            if not isinstance(op, (migrations.RunPython, migrations.RunSQL)):
                schema.append(op)
        for d in m.dependencies:
            if d[0] != app:
                deps.add((d[0], NEW) if d[0] in APPS else tuple(d))
        replaces += [*(m.replaces or []), (app, m.name)]
    taken, extra_imports, chunks, special = set(), [], [], []
    CONSTANTS.clear()
    for m in plan:
        module = sys.modules[type(m).__module__]
        imports, preamble, defined, ops, doc = old_file(module.__file__, taken)
        number = m.name.split("_")[0]
        renames = {d: f"{d}_{number}" for d in defined if d in taken}
        taken |= set(defined) | set(renames.values())
        for d in defined:
            value = getattr(module, d, None)
            if (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(c, tuple) and len(c) == 2 for c in value)
            ):
                CONSTANTS.setdefault(renames.get(d, d), value)
        extra_imports += imports
        if preamble.strip():
            chunks.append(f"# --- from {m.name} ---\n" + rename(preamble, renames).rstrip() + "\n")
        if ops:
            special.append(f"        # {m.name}")
            special += ["        " + rename(o, renames).strip() + "," for o in ops]
    optimized = fold(schema, app)
    written = []
    for op in optimized:
        if isinstance(op, migrations.CreateModel):
            op = copy.copy(op)
            op.fields = fold_fields(op.fields)
        written.append(op)
    mig = type("Migration", (migrations.Migration,), {})(NEW, app)
    mig.operations = written
    mig.dependencies = sorted(deps)
    mig.replaces = replaces
    mig.initial = True
    text = MigrationWriter(mig, include_header=False).as_string()
    return text, extra_imports, chunks, special, plan


def prune(text):
    """Drop module-level constants nothing reads any more (the schema now states its values)."""
    while True:
        tree = ast.parse(text)
        counts = {}
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NAME:
                counts[tok.string] = counts.get(tok.string, 0) + 1
        lines = text.splitlines(keepends=True)
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and counts.get(node.targets[0].id) == 1
            ):
                start = node.lineno - 1
                while (
                    start > 0
                    and lines[start - 1].startswith("#")
                    and not lines[start - 1].startswith("# ---")
                ):
                    start -= 1
                del lines[start : node.end_lineno]
                text = "".join(lines)
                break
        else:
            return text


def main():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app in APPS:
        text, imports, chunks, special, plan = build(app, loader)
        head, _, rest = text.partition("\n\nclass Migration(migrations.Migration):\n")
        assert rest, app
        # the writer's imports, then the old files' imports
        import_lines = [line for line in head.splitlines() if line.strip()]
        all_imports = list(dict.fromkeys(import_lines + imports))
        import textwrap

        old = textwrap.fill(
            ", ".join(m.name for m in plan) + ".", 96, initial_indent="", subsequent_indent=""
        )
        doc = (
            f'"""{app}\'s migrations squashed into this one on 4 Dec 2026 (issue 11 §6, decision\n'
            "0062): one initial migration per app, so a fresh `migrate` is quicker and the\n"
            "old files' headers and index migrations no longer repeat each other. It replaced\n"
            f"{old}\n\n"
            "`replaces` names every old migration and every name the old squashed file replaced: a\n"
            "database migrated before has nothing to apply. The schema is the old operations, each\n"
            "folded into the CreateModel (or AddField) it changes where it stood, so models are created\n"
            "and columns added in their old order. The data and index operations follow, in their old\n"
            "order, with the old files' module-level code verbatim (a name two old files both defined\n"
            "carries its file's number).\n"
            '"""\n\n'
        )
        body = rest.rstrip()
        assert body.endswith("]"), app
        # insert the special operations before the operations list closes
        idx = body.rfind("\n    ]")
        body = body[:idx] + "\n" + "\n".join(special) + body[idx:]
        out = (
            doc
            + "\n".join(all_imports)
            + "\n\n"
            + "\n\n".join(chunks)
            + "\n\nclass Migration(migrations.Migration):\n"
            + body
            + "\n"
        )
        out = prune(out)
        os.makedirs(f"{OUT}/{app}", exist_ok=True)
        with open(f"{OUT}/{app}/{NEW}.py", "w") as fh:
            fh.write(out)
        print(app, len(out.splitlines()), "lines", len(special), "special lines")


main()
