"""Each action names who may run it (ARCHITECTURE invariant 9; R-SEC-11).

An action function in any app's `actions.py` declares its roles with `@acts(roles, what=…)`. The
decorator registers the action in `REGISTRY` and, on every call, checks that the acting user
(the first argument) holds one of those roles somewhere before the body runs; inside, where
the organization is known, the action calls `require_role(user, roles, org, what)` so that the
role is held in that organization or one above it, and keeps its other scope checks.

Functions in an `actions.py` that take a user but are not entry points (building blocks that a
registered action calls after its own check, predicates for views, jobs the system runs) say so
with `@not_an_action(why)`, so that the registry test can prove every action is declared.

An action that approves something declares it with `approves=Approval(what)`: the decorator then
refuses its author (R-SEC-11: whoever wrote or changed it does not approve it) before the body
runs, in every app, with one rule (`core.rules.approves_own_work`); `APPROVALS` lists them, and
tests/core/test_self_approval.py proves the refusal for each one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass

from . import access
from . import rules
from .errors import NotPermitted
from .models.records import trusted_following
from .models.records import writes_as
from .verdicts import refuse_if


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


@dataclass(frozen=True)
class Approval:
    """What an approving action approves, for R-SEC-11 (no one approves their own work).

    `what`: the record's name in the refusal ("campaign plan"). `record`: the parameter holding the
    record approved (default: the one after the acting user). `parts`: "app_label.Model" names of
    the child records that are its content (an LOA's lines); None counts every child. `when`:
    (parameter, value) for an action that approves only in one of its steps (a case's milestone
    "approve"). `authors`: who authored the record when the change log does not say it (an access
    change's requester and subject); default: the change log's creators and editors."""

    what: str
    record: str = ""
    parts: tuple[str, ...] | None = None
    when: tuple[str, str] | None = None
    authors: Callable | None = None

    def record_of(self, func: Callable, args: tuple, kwargs: dict):
        """The record the call approves, or None when this call does not approve (`when`)."""
        bound = inspect.signature(func).bind_partial(*args, **kwargs)
        bound.apply_defaults()
        if self.when is not None and bound.arguments.get(self.when[0]) != self.when[1]:
            return None
        name = self.record or list(inspect.signature(func).parameters)[1]
        return bound.arguments.get(name)

    def refuse_author(self, user, record) -> None:
        # The one R-SEC-11 check of every approving action (imported late: core.actions
        # imports this module).
        from django.apps import apps as django_apps

        from .actions import authors_of

        if self.authors is not None:
            author_ids = set(self.authors(record))
        else:
            parts = (
                None if self.parts is None else tuple(django_apps.get_model(p) for p in self.parts)
            )
            author_ids = authors_of(record, parts)
        refuse_if(rules.approves_own_work(getattr(user, "pk", None), author_ids, self.what))


REGISTRY: dict[str, ActionSpec] = {}
APPROVALS: dict[str, Approval] = {}  # module.function → what it approves (R-SEC-11)
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
    roles: Iterable[str], *, what: str, system: bool = False, approves: Approval | None = None
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
            if approves is not None and user is not None:
                record = approves.record_of(func, args, kwargs)
                if record is not None:
                    approves.refuse_author(user, record)
            # Marked records may be written only in here (records.check_write), and an action
            # checks its own permission and rules: it may follow foreign keys (core/related.py).
            with writes_as(name), trusted_following():
                return func(*args, **kwargs)

        run.roles = declared  # type: ignore[attr-defined]
        REGISTRY[name] = ActionSpec(name, declared, what, run)
        if approves is not None:
            APPROVALS[name] = approves
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
