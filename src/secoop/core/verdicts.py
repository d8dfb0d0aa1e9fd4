"""The one verdict shape (ARCHITECTURE §2 invariant 10). Rules return `Finding`s; actions raise one
`Refused` carrying them; the API answers 400 with the first finding's rule in `X-Rule`, the forms
show each finding beside its field.

A finding's `rule` is a SPEC id (`R-FMS-03`) or, where SPEC states the fact but gives it no rule id,
the SPEC section it comes from (`SPEC-11-OED`, `SPEC-5-lifecycle`; docs/decisions, "verdicts").
An empty rule is plain bad input (a missing value) that no SPEC rule names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError

# The rule ids SPEC (shared/domain/SPEC.md) gives, by family and count: R-PLN-01..10 and so on.
_SPEC_FAMILIES = {
    "PLN": 10,
    "CBA": 6,
    "AME": 7,
    "FMS": 12,
    "EUM": 8,
    "TRN": 13,
    "BUD": 5,
    "FCT": 5,
    "IND": 1,
    "CLR": 1,
    "HA": 1,
    "SVY": 1,
    "WF": 3,
    "SEC": 11,
}
SPEC_RULES = frozenset(
    f"R-{family}-{n:02d}" for family, count in _SPEC_FAMILIES.items() for n in range(1, count + 1)
)
# Facts SPEC states without a rule id: `SPEC-<section>-<what>`, the "what" being the §11 table's
# fact (first column) or the §5 paragraph's lead word, as SPEC writes it.
SPEC_SECTIONS = {
    "SPEC-5-lifecycle": "§5 Lifecycle: the LOA milestones in order",
    "SPEC-5-case-identifier": "§5 Case identifier: CC-I-DDD",
    "SPEC-11-OED": "§11 OED: offer expiration days, remark or short-OED note",
    "SPEC-11-acceptance": "§11 acceptance: signature and initial deposit on or before the OED",
    "SPEC-11-closure": "§11 closure: SSC, CLOSHOLD, closure months",
    "SPEC-11-case-lines": "§11 case lines: no zero-dollar placeholder lines",
    "SPEC-11-amendment-vs-modification": "§11 amendment vs modification: scope and SME/MDE",
    "SPEC-11-36(b)-notification": "§11 36(b) notification: thresholds and days",
    "SPEC-11-congressional-notification-documents": "§11 congressional notification documents: CUI, PRE-DECISIONAL",
    "SPEC-11-AOD": "§11 AOD: groups, days and goal",
    "SPEC-11-LOR-validation": "§11 LOR validation: days from the IA's receipt",
    "SPEC-11-EDA-notification": "§11 EDA notification: original acquisition value and days",
    "SPEC-11-enhanced-EUM": "§11 enhanced EUM: serial numbers, initial and annual inventories, inspections",
}
# Rules an issue asked for where SPEC is silent, each with the issue and the law or guidance it
# stands on (rows in core/data/rules.toml). SPEC's own families never use these prefixes.
ISSUE_RULES = {
    "R-EDA-01": "issue 13 item 11: EDA offers as is, where is (FAA §516; SAMM C11.3)",
    "R-DCS-01": "issue 13, one tracker for FMS and DCS (EO 14268; 22 CFR 123–124)",
    "R-DCS-02": "issue 13: DCS congressional certification (AECA §36(c)/(d); 22 CFR 123.15)",
    "R-DCS-03": "issue 13: DDTC review time (NSPD-56)",
    "SPEC-5-DD645": "SPEC §5 names DD Form 645, the quarterly billing statement; issue 13 item 7 (SAMM C9.10)",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong: the rule, what is wrong, how to fix it, and the input to fix (if any).
    `letter` is the SMART letter for R-PLN-02 findings."""

    rule: str
    message: str
    fix: str = ""
    field: str | None = None
    letter: str = ""

    @property
    def text(self) -> str:
        """The refusal as the user reads it: rule, what, fix."""
        head = f"{self.rule}: {self.message}" if self.rule else self.message
        return f"{head} {self.fix}" if self.fix else head

    @property
    def full(self) -> str:
        """What and fix without the rule id, for lists that show the rule apart."""
        return f"{self.message} — {self.fix}" if self.fix else self.message

    def __str__(self) -> str:
        return self.text


class Refused(ValidationError):
    """An action refused for one or more findings. `rule` is the first finding's rule id; each
    finding's message sits under its field (`field=` puts them all under one input)."""

    def __init__(self, findings: Finding | Iterable[Finding], field: str | None = None):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        if not self.findings:
            raise ValueError("Refused needs at least one finding.")
        self.rule = self.findings[0].rule
        self.field = field or self.findings[0].field
        by_field: dict[str, list[ValidationError]] = {}
        for f in self.findings:
            key = field or f.field or NON_FIELD_ERRORS
            by_field.setdefault(key, []).append(ValidationError(f.text, code=f.rule or "invalid"))
        if set(by_field) == {NON_FIELD_ERRORS}:
            super().__init__(by_field[NON_FIELD_ERRORS])
        else:
            super().__init__(by_field)


def blank_text(value: str | None, rule: str, message: str, field: str) -> Finding | None:
    """A free text that must be given (a reason, a note, an assessment) and is empty or blank."""
    return None if (value or "").strip() else Finding(rule, message, field=field)


def refuse_if(
    findings: Finding | Iterable[Finding | None] | None, field: str | None = None
) -> None:
    """Raise Refused when a rule found anything: rules answer None, a Finding or a list."""
    if findings is None:
        return
    found = [findings] if isinstance(findings, Finding) else [f for f in findings if f is not None]
    if found:
        raise Refused(found, field)
