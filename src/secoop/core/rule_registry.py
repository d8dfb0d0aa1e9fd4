"""The rule registry (issue 12 item 4): every rule id the product names — a SPEC rule (`R-TRN-06`)
or a SPEC section fact (`SPEC-11-OED`, docs/decisions/0015) — with its plain-language statement,
its sources and the dated facts it reads. The entries are data the product ships
(`data/rules.toml`, one table per id); where each rule is enforced is read from the code itself,
so that it cannot fall behind: the actions (`@acts`) whose body, or a function it calls, names
the id, and the pages whose view or template names it.

Rules are public text: nothing here reads a marked record. The dated facts a rule uses are
ReferenceFact rows, read through their own door by the page that shows them."""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "rules.toml"
PACKAGE = Path(__file__).resolve().parents[1]  # src/secoop

# A rule id inside a string: `R-TRN-06`, `SPEC-11-OED`, `SPEC-11-36(b)-notification`.
ID_IN_TEXT = re.compile(r"\b(R-[A-Z]+-\d{2}|SPEC-\d+-[A-Za-z0-9&()]+(?:-[A-Za-z0-9&()]+)*)")
# A refusal's text as Finding.text writes it: "R-TRN-06: the student's vetting … Fix."
LEADING_ID = re.compile(r"^\s*(R-[A-Z]+-\d{2}|SPEC-\d+-\S+?):\s+(.*)$", re.S)

# The abbreviations the sources use, spelled out (SPEC "Sources" and §11).
SOURCE_NAMES = {
    "SAMM": "Security Assistance Management Manual (DSCA 5105.38-M)",
    "DoDD": "DoD Directive 5132.03, DoD Policy and Responsibilities Relating to Security Cooperation",
    "PLAN": "Security cooperation planning textbook chapter (DSCU)",
    "COMP": "Security cooperation workforce competency model",
    "DSCA": "DSCA policy memorandum",
    "AECA": "Arms Export Control Act",
    "FAA": "Foreign Assistance Act of 1961",
    "DFARS PGI": "Defense Federal Acquisition Regulation Supplement, Procedures, Guidance and Information",
    "NIST SP 800-53": "NIST Special Publication 800-53, Security and Privacy Controls",
    "DoDM 5200.01": "DoD Manual 5200.01, DoD Information Security Program",
    "ASD STIG": "DISA Application Security and Development STIG",
    "SRG": "DISA Application Security Requirements Guide",
    "U.S.C.": "United States Code",
    "DoDI 5132.14": "DoD Instruction 5132.14, Assessment, Monitoring, and Evaluation Policy",
    "IATI": "International Aid Transparency Initiative standard",
    "GAO": "Government Accountability Office report",
    "CFR": "Code of Federal Regulations",
}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    statement: str
    sources: tuple[str, ...]
    facts: tuple[str, ...] = ()  # ReferenceFact keys; one ending in "-" stands for a prefix

    @property
    def section(self) -> str:
        """The SPEC family or section the id belongs to: "TRN", "11", "5"."""
        return self.id.split("-")[1]

    def uses_fact(self, key: str) -> bool:
        return any(key == f or (f.endswith("-") and key.startswith(f)) for f in self.facts)

    def source_names(self) -> list[str]:
        """The full names of the documents this rule's sources abbreviate."""
        text = " ".join(self.sources)
        return [name for abbr, name in SOURCE_NAMES.items() if abbr in text]


@functools.cache
def registry() -> dict[str, Rule]:
    with open(DATA, "rb") as fh:
        rows = tomllib.load(fh)
    return {
        rule_id: Rule(
            rule_id,
            row["title"],
            row["statement"],
            tuple(row.get("sources", ())),
            tuple(row.get("facts", ())),
        )
        for rule_id, row in rows.items()
    }


def get(rule_id: str) -> Rule | None:
    return registry().get(rule_id)


def split_text(text: str) -> tuple[str, str]:
    """A refusal's text ("R-TRN-06: message fix") as (rule id, plain words); ("", text) when it
    does not begin with a known rule id."""
    m = LEADING_ID.match(str(text))
    if m and m.group(1) in registry():
        return m.group(1), m.group(2)
    return "", str(text)


# --- where the product enforces a rule: read from the code -----------------------------------


# Code that enforces nothing a user meets: data loaders, migrations, commands, settings.
SKIPPED = frozenset({"migrations", "management", "demo.py", "generate.py", "settings.py"})


@dataclass
class _Function:
    module: str  # dotted, e.g. secoop.cases.actions
    name: str
    ids: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)  # dotted names of the functions it calls
    # Functions it names without calling them here: an action looked up in a dict of steps
    # (`{"ready": actions.mark_ready}[step](…)`) or handed to a helper that calls it.
    refs: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)
    is_function: bool = True


@dataclass(frozen=True)
class Enforcement:
    actions: tuple  # core.permissions.ActionSpec, sorted by name
    pages: tuple[tuple[str, str], ...]  # (route, url name)


def _imports(tree: ast.Module, module: str) -> dict[str, str]:
    """What each imported name in a module stands for, as a dotted name."""
    package = module.rsplit(".", 1)[0]
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            origin = ".".join([*base, node.module] if node.module else base)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{origin}.{alias.name}"
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            # A module-level alias of an imported function: `_write = core.apply_change`.
            value = node.value
            if isinstance(value, ast.Name) and value.id in names:
                names[node.targets[0].id] = names[value.id]
            elif (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id in names
            ):
                names[node.targets[0].id] = f"{names[value.value.id]}.{value.attr}"
    return names


def _scan(node, module: str, imported: dict[str, str]) -> _Function:
    """The rule ids a function or class names, the templates it names and what it calls
    (a function of its own module, an imported function, or `module.function`)."""
    fn = _Function(module, node.name, is_function=not isinstance(node, ast.ClassDef))
    # Docstrings and other bare strings explain; they enforce nothing.
    prose = {
        id(sub.value)
        for sub in ast.walk(node)
        if isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Constant)
    }
    called = {id(sub.func) for sub in ast.walk(node) if isinstance(sub, ast.Call)}
    for sub in ast.walk(node):
        if id(sub) in prose:
            continue
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and len(sub.value) < 400:
            fn.ids.update(ID_IN_TEXT.findall(sub.value))
            if sub.value.endswith(".html"):
                fn.templates.add(sub.value)
            continue
        named = _named(sub, module, imported)
        if named:
            (fn.calls if id(sub) in called else fn.refs).add(named)
    return fn


def _named(sub, module: str, imported: dict[str, str]) -> str | None:
    """The dotted name an expression reads: a name of the module or an imported one, or
    `module.function` of an imported module; None for anything else."""
    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
        return imported.get(sub.id, f"{module}.{sub.id}")
    if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
        owner = imported.get(sub.value.id)
        return f"{owner}.{sub.attr}" if owner else None
    return None


@functools.cache
def _code_index() -> dict[str, _Function]:
    """Every top-level function and class of the product's code, by dotted name."""
    found: dict[str, _Function] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        if SKIPPED.intersection(rel.parts) or rel.name in SKIPPED:
            continue
        module = ".".join(rel.with_suffix("").parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        try:
            tree = ast.parse(path.read_text(), str(path))
        except (OSError, SyntaxError):
            continue
        imported = _imports(tree, module)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found[f"{module}.{node.name}"] = _scan(node, module, imported)
    return found


@functools.cache
def _template_ids() -> dict[str, frozenset[str]]:
    """The rule ids each template names, by template name (`<app>/<page>.html`)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.html"):
        parts = path.parts
        if "templates" not in parts:
            continue
        name = "/".join(parts[len(parts) - parts[::-1].index("templates") :])
        ids = set(ID_IN_TEXT.findall(path.read_text()))
        if ids:
            found.setdefault(name, set()).update(ids)
    return {k: frozenset(v) for k, v in found.items()}


_REACH: dict[str, frozenset[str]] = {}


def _reach(dotted: str) -> frozenset[str]:
    """Every rule id a function names, or its templates, or a function it calls or names
    (transitively; a walk over everything it reaches, so that a cycle loses nothing)."""
    if dotted in _REACH:
        return _REACH[dotted]
    index = _code_index()
    ids: set[str] = set()
    seen = {dotted}
    todo = [dotted]
    while todo:
        fn = index.get(todo.pop())
        if fn is None:
            continue
        ids |= fn.ids
        for template in fn.templates:
            ids |= _template_ids().get(template, frozenset())
        named = {ref for ref in fn.refs if ref in index and index[ref].is_function}
        for callee in (fn.calls | named) - seen:
            seen.add(callee)
            todo.append(callee)
    _REACH[dotted] = result = frozenset(ids)
    return result


def _url_patterns():
    from django.urls import URLPattern
    from django.urls import URLResolver
    from django.urls import get_resolver

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                yield from walk(p, route)
            elif isinstance(p, URLPattern):
                yield route, p

    yield from walk(get_resolver())


@functools.cache
def enforcement(rule_id: str) -> Enforcement:
    """The actions and pages that enforce or show `rule_id`, found in the code."""
    from .permissions import REGISTRY

    actions = [spec for name, spec in sorted(REGISTRY.items()) if rule_id in _reach(name)]
    pages = []
    for route, pattern in _url_patterns():
        if route.startswith(("api/", "admin/", "^", "rules/")) or not pattern.name:
            continue
        view = getattr(pattern.callback, "view_class", None) or pattern.callback
        ids = set(_reach(f"{view.__module__}.{view.__qualname__}"))
        template = getattr(view, "template_name", None)
        if template:
            ids |= _template_ids().get(template, frozenset())
        if rule_id in ids:
            pages.append(("/" + route, pattern.name))
    return Enforcement(tuple(actions), tuple(sorted(set(pages))))
