"""One field policy per model (ARCHITECTURE invariant 8, R-SEC-03, R-SEC-10): which of a record's
fields each kind of reader — U.S. Government staff, partner users, industry users — may see.

A model declares it as a class attribute, e.g. on the student:

    field_policy = FieldPolicy(partner=("id", "given_name", "family_name", ...))

A reader kind left as None sees every field (the default for every model without a policy). The
same policy is applied by the API serializer (its fields derive from it), the API filters and
orderings (a hidden field's filter or ordering is refused with a 400; a search looks only in the
fields the reader may see), the list pages and their XLSX exports (a hidden column is not shown),
and the change log (API, `/changes/<id>/`, history tabs, the XLSX export of changes: each reader
sees only the before/after keys the policy lets them see).

The record's marking is never hidden from a reader who may see the record: it is the banner they
must handle it by (R-SEC-01), so `marking` is always allowed.

Pure: no database, no Django import at module level, so models can import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

USG = "USG"
PARTNER = "PARTNER"
INDUSTRY = "INDUSTRY"
READERS = (USG, PARTNER, INDUSTRY)
ALWAYS_SHOWN = frozenset({"marking"})


@dataclass(frozen=True)
class FieldPolicy:
    """The fields each kind of reader may see; None means every field."""

    usg: tuple[str, ...] | None = None
    partner: tuple[str, ...] | None = None
    industry: tuple[str, ...] | None = None

    def fields_for(self, reader: str | None) -> tuple[str, ...] | None:
        """The declared field names for `reader` (None: every field). An unknown reader (no
        profile) gets no field at all."""
        if reader == USG:
            return self.usg
        if reader == PARTNER:
            return self.partner
        if reader == INDUSTRY:
            return self.industry
        return ()

    def allows(self, reader: str | None, name: str) -> bool:
        names = self.fields_for(reader)
        return names is None or name in names or name in ALWAYS_SHOWN

    @property
    def restricts(self) -> bool:
        return any(names is not None for names in (self.usg, self.partner, self.industry))


EVERY_FIELD = FieldPolicy()


def policy_of(model: Any) -> FieldPolicy:
    """The model's declared policy, or every field for every reader."""
    policy = getattr(model, "field_policy", None) if model is not None else None
    return policy if isinstance(policy, FieldPolicy) else EVERY_FIELD


def reader_of(user: Any) -> str | None:
    """The kind of reader `user` is (USG, PARTNER, INDUSTRY), or None without an active profile.
    LE staff read as USG staff: their limits are markings (R-SEC-02), not fields."""
    from .access import profile_for

    profile = profile_for(user)
    return profile.person.audience if profile is not None else None


def field_name(model: Any, lookup: str) -> str:
    """The model field a lookup or attribute path starts with: 'course__title' → 'course',
    'country_id' → 'country', '-class_start' → 'class_start', 'get_status_display' → 'status'."""
    first = lookup.lstrip("-").split("__", 1)[0].split(".", 1)[0]
    if first.startswith("get_") and first.endswith("_display"):
        first = first[len("get_") : -len("_display")]
    if model is not None:
        for f in model._meta.concrete_fields:
            if first in (f.name, f.attname):
                return f.name
    return first


def allows(model: Any, reader: str | None, lookup: str) -> bool:
    """Whether `reader` may see (and so filter, order or search on) the field `lookup` starts with."""
    return policy_of(model).allows(reader, field_name(model, lookup))


def _is_field(model: Any, name: str) -> bool:
    return model is None or any(name == f.name for f in model._meta.concrete_fields)


def hidden(model: Any, reader: str | None, lookups: Iterable[str]) -> list[str]:
    """The lookups among `lookups` that touch a model field hidden from `reader` (a name that is
    no field of the model — a computed filter, a method — is not the policy's to hide)."""
    policy = policy_of(model)
    if not policy.restricts:
        return []
    out = []
    for lookup in lookups:
        name = field_name(model, lookup)
        if _is_field(model, name) and not policy.allows(reader, name):
            out.append(lookup)
    return out


def restrict(
    model: Any, reader: str | None, data: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """A snapshot (field → value) cut down to what `reader` may see; None stays None."""
    if data is None:
        return None
    policy = policy_of(model)
    if not policy.restricts:
        return dict(data)
    return {k: v for k, v in data.items() if policy.allows(reader, k)}
