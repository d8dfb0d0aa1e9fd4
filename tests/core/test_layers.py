"""Core knows no app (issue 11 §4): nothing under secoop/core imports an app or names one of its
modules, so that a new app is added without touching core. Read from the source with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import secoop

pytestmark = pytest.mark.one_database  # reads source files: no database involved

PACKAGE = Path(secoop.__file__).parent
CORE = PACKAGE / "core"
APPS = sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists() and p.name != "core")


def names_used(source: str, package: str) -> list[tuple[int, str]]:
    """Every module the source imports (relative imports resolved against `package`), and every
    text constant, which catches module paths such as include("secoop.x.urls")."""
    here = package.split(".")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found += [(node.lineno, module)]
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def app_named(name: str) -> str | None:
    for app in APPS:
        if name == f"secoop.{app}" or name.startswith(f"secoop.{app}."):
            return app
    return None


def test_the_apps_are_found():
    assert {"planning", "cases", "training"} <= set(APPS)


def test_an_app_import_is_seen_absolute_relative_or_as_a_module_path():
    source = (
        "from secoop.planning import rules\nfrom .. import training\ninclude('secoop.cases.urls')\n"
    )
    named = [app_named(n) for _, n in names_used(source, "secoop.core")]
    assert {"planning", "training", "cases"} <= set(named)


def test_core_imports_no_app():
    offending = []
    for path in sorted(CORE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        package = ".".join(path.relative_to(PACKAGE.parent).parent.parts)
        for line, name in names_used(path.read_text(encoding="utf-8"), package):
            if app_named(name):
                offending.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name}")
    assert offending == [], "core names an app:\n" + "\n".join(offending)


def test_each_app_route_sits_under_the_app_prefix():
    """secoop/urls.py includes each app's pages and API under the app's name: the leak walkers
    (tests/core/test_no_leaks.py app_of) assign a route to its app by that prefix alone."""
    from django.urls import URLPattern
    from django.urls import URLResolver
    from django.urls import get_resolver

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern).lstrip("^")
            if isinstance(p, URLResolver):
                yield from walk(p, route)
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
                yield route, (view or p.callback).__module__

    misplaced, seen = [], set()
    for route, module in walk(get_resolver()):
        app = app_named(module)
        seen.add(app)
        if app and not route.startswith((f"{app}/", f"api/v1/{app}/")):
            misplaced.append(f"{route} ({module})")
    assert misplaced == []
    assert set(APPS) <= seen  # every app's routes were looked at
