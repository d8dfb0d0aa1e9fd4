"""Lifecycles as transitions tables (ARCHITECTURE invariant 10).

Each app's `rules.py` declares each lifecycle once, as a `Lifecycle`: the transitions by name, each
with the states it may start from, the state it leads to and the label users read on its button.
Actions check the table (`problem`) before they write; views and the API ask it which transitions
apply now (`available`) and, with the acting user, which of those the user may press
(`actions_now`: the table and the roles the performing action declares, core/permissions.py).
Templates read what the view passes or a model property named by meaning (`case.is_offered`)
defined from the table; they never compare status strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import NamedTuple


class Transition(NamedTuple):
    """One row of a transitions table. A tuple, so that `(sources, target, label)` unpacks."""

    sources: tuple[str, ...]
    target: str
    label: str
    name: str = ""
    action: str = ""  # the registered action (module.function) that performs it


class Lifecycle(Mapping[str, Transition]):
    """A transitions table: name → Transition, in the order the lifecycle runs."""

    def __init__(
        self,
        noun: str,
        labels: Mapping[str, str],
        transitions: Mapping[str, tuple],
        *,
        action: str = "",
        actions: Mapping[str, str] | None = None,
    ):
        """`noun` names the record in messages ("LOA", "activity"); `labels` the states;
        `transitions` name → (sources, target[, label]); `action` the registered action that
        performs every transition, or `actions` one per transition name."""
        self.noun = noun
        self.labels = dict(labels)
        per = dict(actions or {})
        rows: dict[str, Transition] = {}
        for name, row in transitions.items():
            sources, target, *rest = row
            label = rest[0] if rest else name.replace("_", " ").capitalize()
            for state in (*sources, target):
                if state not in self.labels:
                    raise ValueError(f"{noun} lifecycle: {name!r} names an unknown state {state!r}")
            rows[name] = Transition(tuple(sources), target, label, name, per.get(name, action))
        self._rows = rows

    # Mapping
    def __getitem__(self, name: str) -> Transition:
        return self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    # --- questions ----------------------------------------------------------------------------
    def label_of(self, status: str) -> str:
        return self.labels.get(status, status)

    def target(self, name: str) -> str:
        return self._rows[name].target

    def allows(self, name: str, status: str) -> bool:
        row = self._rows.get(name)
        return row is not None and status in row.sources

    def available(self, status: str) -> list[Transition]:
        """The transitions that may start from `status`, in table order."""
        return [row for row in self._rows.values() if status in row.sources]

    def is_final(self, status: str) -> bool:
        """Nothing further can happen from `status`."""
        return not self.available(status)

    def states_allowing(self, *names: str) -> tuple[str, ...]:
        """The states from which any of the named transitions may start (for querysets)."""
        out: list[str] = []
        for name in names:
            out += [s for s in self._rows[name].sources if s not in out]
        return tuple(out)

    def problem(self, name: str, status: str) -> str | None:
        """Why transition `name` cannot start from `status` (a message that says what can), or
        None when it can."""
        row = self._rows.get(name)
        if row is None:
            return f"there is no {self.noun} step {name!r}: use one of {', '.join(self._rows)}."
        if status in row.sources:
            return None
        now = self.label_of(status).lower()
        allowed = " or ".join(self.label_of(s).lower() for s in row.sources)
        then = [r.label for r in self.available(status)]
        hint = f" From {now} it can: {', '.join(then)}." if then else " Nothing further applies."
        return f"“{row.label}” applies to a{_n(allowed)} {allowed} {self.noun}; this one is {now}.{hint}"

    def actions_now(
        self, user, status: str, *, may: Mapping[str, bool] | None = None
    ) -> list[Transition]:
        """The transitions `user` may press now: allowed from `status` by the table, the user
        holding one of the roles the performing action declares, and `may[name]` (the action's
        own scope check, e.g. "acts for the implementing agency") when given."""
        from .permissions import REGISTRY

        rows = []
        for row in self.available(status):
            spec = REGISTRY.get(row.action)
            if spec is not None and not spec.permits(user):
                continue
            if may is not None and not may.get(row.name, False):
                continue
            rows.append(row)
        return rows


def _n(word: str) -> str:
    return "n" if word[:1] in "aeiou" else ""


def names(rows: Iterable[Transition]) -> list[str]:
    return [row.name for row in rows]
