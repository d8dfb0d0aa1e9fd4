"""Each action names who may run it (ARCHITECTURE invariant 9; R-SEC-11).

An action function in any app's `actions.py` declares its roles with `@acts(roles, what=…)`. The
decorator registers the action in `REGISTRY` and, on every call, checks that the acting user
(the first argument) holds one of those roles somewhere before the body runs; inside, where
the organization is known, the action calls `require_role(user, roles, org, what)` so that the
role is held in that organization or one above it, and keeps its other scope checks.

Functions in an `actions.py` that take a user but are not entry points (building blocks that a
registered action calls after its own check, predicates for views, jobs the system runs) say so
with `@not_an_action(why)`, so that the registry test can prove every action is declared.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import access, rules
from .errors import NotPermitted
from .models.records import writes_as


class RoleRefused(NotPermitted):
    """The acting user holds none of the roles the action declares."""

    def __init__(self, message: str, action: str = "", roles: frozenset[str] = frozenset()):
        super().__init__(message)
        self.action = action
        self.roles = roles


@dataclass(frozen=True)
class ActionSpec:
    name: str  # module.function
    roles: frozenset[str]
    what: str
    func: Callable

    def permits(self, user) -> bool:
        """The check the action runs first (the role held in some organization)."""
        return access.holds_role(user, self.roles)


REGISTRY: dict[str, ActionSpec] = {}
NOT_ACTIONS: dict[str, str] = {}  # module.function → why it is not an entry point


def _acting_user(func: Callable, args: tuple, kwargs: dict):
    for name in ("user", "acting_user"):
        if name in kwargs:
            return kwargs[name]
    return args[0] if args else None


def require_role(user, roles: Iterable[str], org=None, what: str = "do this") -> None:
    """Refuse unless `user` holds one of `roles` in `org` or an organization above it (anywhere
    when `org` is None). The message names the roles, so that the user knows whom to ask."""
    roles = frozenset(roles)
    if access.holds_role(user, roles, org):
        return
    where = f" in {org} or an organization above it" if org is not None else ""
    raise RoleRefused(
        f"You cannot {what}: that takes the role of {rules.describe_roles(roles)}{where}.",
        what,
        roles,
    )


def acts(
    roles: Iterable[str], *, what: str, system: bool = False
) -> Callable[[Callable], Callable]:
    """Declare an action and the roles that may run it; the check runs before the body.
    `system=True` lets set-up code (demo data, imports an operator runs) pass None as the acting
    user; a signed-in user always passes themselves and is checked."""
    declared = frozenset(roles)

    def decorate(func: Callable) -> Callable:
        name = f"{func.__module__}.{func.__name__}"

        @functools.wraps(func)
        def run(*args, **kwargs):
            user = _acting_user(func, args, kwargs)
            if not (system and user is None):
                require_role(user, declared, None, what)
            # Marked records may be written only in here (records.check_write).
            with writes_as(name):
                return func(*args, **kwargs)

        run.roles = declared  # type: ignore[attr-defined]
        REGISTRY[name] = ActionSpec(name, declared, what, run)
        return run

    return decorate


def not_an_action(why: str) -> Callable[[Callable], Callable]:
    """Mark a function that takes a user but is not an entry point, and say why."""

    def decorate(func: Callable) -> Callable:
        NOT_ACTIONS[f"{func.__module__}.{func.__name__}"] = why
        return func

    return decorate


def takes_acting_user(func: Callable) -> bool:
    params = list(inspect.signature(func).parameters)
    return bool(params) and params[0] in ("user", "acting_user")


def action_modules():
    """Every app's actions module (imported, so that their actions register)."""
    from importlib import import_module

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("secoop."):
            continue
        try:
            modules.append(import_module(f"{config.name}.actions"))
        except ModuleNotFoundError:
            continue
    return modules
