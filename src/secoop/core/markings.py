"""Classification markings and releasability (R-SEC-01). Pure: no database, no settings.

A marking is a classification level plus a dissemination control:

* none            -> "CUI"                      (U.S. only unless released; see rules.can_see)
* NOFORN          -> "SECRET//NOFORN"
* REL TO a list   -> "CUI//REL TO USA, XBN"     (ISO 3166 alpha-3 trigraphs, USA first)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from enum import IntEnum


class Classification(IntEnum):
    UNCLASSIFIED = 0
    CUI = 1
    CONFIDENTIAL = 2
    SECRET = 3

    @property
    def label(self) -> str:
        return self.name

    @classmethod
    def parse(cls, text: str) -> Classification:
        key = text.strip().upper().replace(" ", "")
        aliases = {"U": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET"}
        key = aliases.get(key, key)
        try:
            return cls[key]
        except KeyError:
            raise MarkingError(
                f"Unknown classification {text.strip()!r}: use UNCLASSIFIED, CUI, CONFIDENTIAL or SECRET."
            ) from None


class Dissemination:
    NONE = ""
    NOFORN = "NOFORN"
    REL = "REL"
    CHOICES = [(NONE, "None"), (NOFORN, "NOFORN"), (REL, "REL TO")]


class MarkingError(ValueError):
    """A marking that cannot be read or is not allowed; the message says what to fix."""


TRIGRAPH = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Marking:
    classification: Classification = Classification.UNCLASSIFIED
    dissemination: str = Dissemination.NONE
    rel_to: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.dissemination == Dissemination.REL:
            if not self.rel_to:
                raise MarkingError(
                    "REL TO needs at least one country: write e.g. 'REL TO USA, XBN'."
                )
            bad = [c for c in self.rel_to if not TRIGRAPH.match(c)]
            if bad:
                raise MarkingError(
                    f"REL TO takes ISO 3166 alpha-3 trigraphs such as USA or XBN, not {', '.join(bad)}."
                )
            # Canonical order: USA first, then alphabetical, no duplicates.
            others = sorted(set(self.rel_to) - {"USA"})
            object.__setattr__(self, "rel_to", ("USA", *others))
        elif self.rel_to:
            raise MarkingError(
                "A country list only goes with REL TO: remove it or write 'REL TO …'."
            )
        if self.dissemination not in (Dissemination.NONE, Dissemination.NOFORN, Dissemination.REL):
            raise MarkingError(
                f"Unknown dissemination control {self.dissemination!r}: use NOFORN or REL TO."
            )

    # --- text form ---------------------------------------------------------------------------
    def __str__(self) -> str:
        text = self.classification.label
        if self.dissemination == Dissemination.NOFORN:
            text += "//NOFORN"
        elif self.dissemination == Dissemination.REL:
            text += "//REL TO " + ", ".join(self.rel_to)
        return text

    @classmethod
    def parse(cls, text: str) -> Marking:
        if text is None or not str(text).strip():
            raise MarkingError(
                "A marking is required, e.g. 'UNCLASSIFIED' or 'CUI//REL TO USA, XBN'."
            )
        parts = [p.strip() for p in str(text).split("//")]
        classification = Classification.parse(parts[0])
        if len(parts) == 1:
            return cls(classification)
        if len(parts) > 2:
            raise MarkingError(
                f"Cannot read marking {text!r}: write CLASSIFICATION, CLASSIFICATION//NOFORN "
                "or CLASSIFICATION//REL TO USA, XBN."
            )
        control = parts[1].upper()
        if control == "NOFORN":
            return cls(classification, Dissemination.NOFORN)
        match = re.match(r"^REL\s*TO\s+(.+)$", control)
        if not match:
            raise MarkingError(
                f"Unknown dissemination control {parts[1]!r}: use NOFORN or REL TO USA, <trigraphs>."
            )
        countries = tuple(c.strip() for c in re.split(r"[,\s]+", match.group(1)) if c.strip())
        if "USA" not in countries:
            raise MarkingError(
                "A REL TO list starts with USA: write 'REL TO USA, " + ", ".join(countries) + "'."
            )
        return cls(classification, Dissemination.REL, countries)

    # --- storage form: rel_to as ",USA,XBN," so that one LIKE finds a country on any database --
    @property
    def rel_to_stored(self) -> str:
        return "," + ",".join(self.rel_to) + "," if self.rel_to else ""

    @staticmethod
    def rel_to_from_stored(stored: str) -> tuple[str, ...]:
        return tuple(c for c in (stored or "").split(",") if c)

    def releasable_to(self, trigraph: str) -> bool:
        """Whether a foreign national of `trigraph` may receive it (U.S. persons: always)."""
        if trigraph == "USA":
            return True
        return self.dissemination == Dissemination.REL and trigraph in self.rel_to

    def exceeds(self, ceiling: Classification) -> bool:
        return self.classification > ceiling


def combine(markings: Iterable[Marking]) -> Marking:
    """The banner marking of a page that shows all of `markings` (ANSWERS "Banner for a page
    combining…"): the highest classification, and the dissemination control of the page as a
    whole — NOFORN if anything is NOFORN, otherwise REL TO the countries to which every controlled
    item is releasable (the intersection of the REL TO lists). An unrestricted UNCLASSIFIED item
    does not narrow it; an unreleased controlled item (plain CUI) makes the page unreleased."""
    markings = list(markings)
    if not markings:
        return Marking()
    level = max(m.classification for m in markings)
    if any(m.dissemination == Dissemination.NOFORN for m in markings):
        return Marking(level, Dissemination.NOFORN)
    controlled = [m for m in markings if not _unrestricted(m)]
    if not controlled:
        return Marking(level)
    if any(m.dissemination == Dissemination.NONE for m in controlled):
        # An unreleased controlled record on the page makes the page unreleased too.
        return Marking(level)
    shared = set.intersection(*(set(m.rel_to) for m in controlled))
    return _from_countries(level, shared)


def _unrestricted(marking: Marking) -> bool:
    return (
        marking.classification == Classification.UNCLASSIFIED
        and marking.dissemination == Dissemination.NONE
    )


def _from_countries(level: Classification, countries: set[str]) -> Marking:
    """REL TO `countries`, or the U.S.-only form when no foreign country is left."""
    if countries - {"USA"}:
        return Marking(level, Dissemination.REL, tuple(countries))
    return (
        Marking(level, Dissemination.NOFORN)
        if level > Classification.UNCLASSIFIED
        else Marking(level)
    )


def releasable_countries(marking: Marking) -> frozenset[str]:
    """The countries whose nationals the door lets read a record so marked: the REL TO list, or
    only the United States for NOFORN and for no dissemination control at all (rules.can_see)."""
    if marking.dissemination == Dissemination.REL:
        return frozenset(marking.rel_to)
    return frozenset({"USA"})


def combine_strict(markings: Iterable[Marking]) -> Marking:
    """The marking of something that shows every one of `markings` to whoever may read it — a
    change-log entry over its before and after states (R-SEC-10). Door semantics: the highest
    classification, and releasable only where every state is releasable, so a reader sees the
    entry only if they could see the record in each state. Unlike the banner (`combine`), an
    UNCLASSIFIED state without a control narrows it too: the door shows it to no foreign
    national. NOFORN stays NOFORN."""
    markings = list(markings)
    if not markings:
        raise MarkingError("combine_strict needs at least one marking.")
    level = max(m.classification for m in markings)
    if any(m.dissemination == Dissemination.NOFORN for m in markings):
        return Marking(level, Dissemination.NOFORN)
    if any(m.dissemination == Dissemination.NONE for m in markings):
        return Marking(level)
    shared = set.intersection(*(set(releasable_countries(m)) for m in markings))
    return _from_countries(level, shared)


# The colour of the banner of each classification (the CUI and classified marking handbooks'
# banner colours), for every page, document and slide that carries a marking.
BANNER_COLORS = {
    Classification.UNCLASSIFIED: "007A33",
    Classification.CUI: "502B85",
    Classification.CONFIDENTIAL: "0033A0",
    Classification.SECRET: "C8102E",
}


def banner_color(marking: Marking) -> str:
    """The banner colour of a marking, as hex without '#' ("C8102E" for SECRET)."""
    return BANNER_COLORS[marking.classification]
