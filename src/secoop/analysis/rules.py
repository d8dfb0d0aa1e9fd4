"""Capabilities-based analysis (SPEC §3, R-CBA-01..06) as pure functions over plain values: no
database, no Django models. actions.py gathers the facts, calls these and refuses on a Finding;
the pages show the same findings beside the record.

The method (PLAN "Capabilities-Based Analysis" through "Resourcing"): the role the partner is to
play and its desire to play it; the capability that role requires and the capability it has; the
gaps between them, by DOTMLPF-P (or the joint functions); solution options for each gap, judged
affordable, feasible and responsive, each with its cost by fiscal year, lead time, the programs
that could fund it and the support of DoD, DoS/other agencies and the partner; the resources
others already plan; the U.S. investment considerations; resourcing over up to five years.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation

from django.db import models

from secoop.core.fiscal import fiscal_year
from secoop.core.lifecycle import Lifecycle
from secoop.core.verdicts import Finding

# --- vocabularies ---------------------------------------------------------------------------------


class Dotmlpf(models.TextChoices):
    """DOTMLPF-P (PLAN "DOTMLPF-P"): the paradigm DSCU recommends and DSCA requires for BPC."""

    DOCTRINE = "D", "Doctrine"
    ORGANIZATION = "O", "Organization"
    TRAINING = "T", "Training"
    MATERIEL = "M", "Materiel"
    LEADERSHIP = "L", "Leadership and education"
    PERSONNEL = "P", "Personnel"
    FACILITIES = "F", "Facilities"
    POLICY = "Pol", "Policy"


# The cheaper non-materiel options are considered before materiel ones (SPEC §3 step 5).
NON_MATERIEL = frozenset({"D", "O", "T", "L", "P", "Pol"})


class JointFunction(models.TextChoices):
    """The second method of solutions analysis (PLAN "Joint Functions")."""

    C2 = "c2", "Command and control"
    MOVEMENT = "movement", "Movement and maneuver"
    INTELLIGENCE = "intelligence", "Intelligence"
    FIRES = "fires", "Fires"
    SUSTAINMENT = "sustainment", "Sustainment"
    PROTECTION = "protection", "Protection"
    INFORMATION = "information", "Information"


class RoleKind(models.TextChoices):
    """PLAN "Problem Analysis": primary, supporting and governance/oversight roles."""

    PRIMARY = "primary", "Primary role"
    SUPPORTING = "supporting", "Supporting role"
    GOVERNANCE = "governance", "Governance / oversight role"


class Desire(models.TextChoices):
    """PLAN "Assess Partner Desire to Play That Role"."""

    WILLING = "willing", "Willing: political and civil-society consensus"
    UNCERTAIN = "uncertain", "Uncertain: consensus not yet shown"
    UNWILLING = "unwilling", "No will to play the role"


class Level(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ProviderKind(models.TextChoices):
    """Who else already plans resources (PLAN "Identify Resources Planned or Available")."""

    PARTNER = "partner", "The partner"
    US_AGENCY = "us_agency", "Another U.S. agency (DoS Title 22, DHS, DOJ, USAID…)"
    THIRD_COUNTRY = "third_country", "A third country"


class ProgramStatus(models.TextChoices):
    CURRENT = "current", "Current"
    EXPIRING = "expiring", "Current, with a built-in expiry"
    INITIATIVE = "initiative", "Initiative or budget label (points to other authorities)"
    HISTORICAL = "historical", "Expired or historical"


class Title(models.TextChoices):
    T10 = "T10", "Title 10 (DoD)"
    T22 = "T22", "Title 22 (DoS)"
    BOTH = "T10/T22", "Title 10 and Title 22"


# --- R-CBA-03: U.S. investment considerations -----------------------------------------------------

CONSIDERATIONS = (
    ("prioritizing", "Prioritizing", "What shortfalls are most important and pressing (risk and urgency)?"),
    ("deriving", "Deriving", "What strategy and environment are the missions and capabilities designed to address?"),
    ("integrating", "Integrating", "Have all services invested, maximizing effectiveness as a joint force?"),
    ("balancing", "Balancing", "Are investments and risk balanced across all the capabilities needed in the planning period?"),
    ("sequencing", "Sequencing", "What is needed now, what can wait, in which order?"),
    ("resourcing", "Resourcing", "How much can the USG afford during the planning period?"),
)  # fmt: skip


def missing_considerations(values: Mapping[str, str]) -> list[Finding]:
    """R-CBA-03: each of the six considerations is recorded for the analysis."""
    return [
        Finding(
            "R-CBA-03",
            f"the investment consideration “{label}” is not recorded.",
            f"Answer: {question}",
            field=key,
        )
        for key, label, question in CONSIDERATIONS
        if not (values.get(key) or "").strip()
    ]


# --- R-CBA-02: partner desire ---------------------------------------------------------------------


def partner_willing(desire: str) -> bool:
    """R-CBA-02: a role the partner has no will to play gets no resources. Uncertain is not 'no'."""
    return desire != Desire.UNWILLING


def desire_flag(desire: str) -> Finding | None:
    """R-CBA-02: flagged, never hidden."""
    if partner_willing(desire):
        return None
    return Finding(
        "R-CBA-02",
        "the partner has no will to play this role: its options are kept but never resourced.",
        "Change the desired role in the campaign plan, or record new evidence of the partner's will.",
        field="partner_desire",
    )


# --- R-CBA-01: BPC programs need a DOTMLPF-P analysis --------------------------------------------


def bpc_needs_dotmlpf(gap_dotmlpf: str, bpc_programs: Sequence[str]) -> Finding | None:
    """R-CBA-01 (SAMM C15.2.4.3): an option a BPC program may fund stands on a gap classified by
    DOTMLPF-P (the joint functions alone do not do)."""
    if not bpc_programs or gap_dotmlpf:
        return None
    names = ", ".join(sorted(bpc_programs))
    return Finding(
        "R-CBA-01",
        f"{names} is a Building Partner Capacity program: the gap needs a DOTMLPF-P classification.",
        "Classify the gap by DOTMLPF-P (doctrine, organization, training, materiel, leadership and "
        "education, personnel, facilities, policy), or choose a program that is not BPC.",
        field="programs",
    )


# --- R-CBA-04: the sweet spot ---------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    dod: bool
    dos: bool
    partner: bool

    @property
    def sweet_spot(self) -> bool:
        """R-CBA-04: DoD, DoS (or other agencies) and the partner all support it."""
        return self.dod and self.dos and self.partner

    @property
    def count(self) -> int:
        return int(self.dod) + int(self.dos) + int(self.partner)

    @property
    def label(self) -> str:
        if self.sweet_spot:
            return "Sweet spot: DoD, DoS / other agencies and the partner"
        names = [
            n
            for n, v in (
                ("DoD", self.dod),
                ("DoS / other agencies", self.dos),
                ("partner", self.partner),
            )
            if v
        ]
        return ("Supported by " + ", ".join(names)) if names else "No recorded support"  # fmt: skip


# A sweet-spot option ranks first among equals (R-CBA-04): its value in the optimizer is raised by
# this relative amount, far below any real difference of priority or effect, so it only breaks ties.
SWEET_SPOT_TIEBREAK = 1e-6


def rank_key(value: float, support: Support, cost: Decimal) -> tuple:
    """R-CBA-04: by value per dollar, then the sweet spot first among equals, then the cheaper."""
    per_dollar = value / float(cost) if cost > 0 else math.inf
    return (-round(per_dollar, 12), not support.sweet_spot, cost)


def sweet_spot_svg(support: Support, *, title: str = "") -> str:
    """R-CBA-04 as three overlapping circles (DoD, DoS / other agencies, partner), drawn on the
    server: a filled circle is a party that supports the option; the centre is the sweet spot.
    Returns SVG markup with a text alternative (role="img", <title>, <desc>)."""
    from django.utils.html import escape

    fill = {True: "#2e6276", False: "#ffffff"}
    opacity = {True: "0.55", False: "1"}
    parts = [
        ("DoD", support.dod, 60, 55),
        ("DoS / other agencies", support.dos, 100, 55),
        ("Partner", support.partner, 80, 90),
    ]
    desc = support.label + "."
    circles = "".join(
        f'<circle cx="{x}" cy="{y}" r="34" fill="{fill[on]}" fill-opacity="{opacity[on]}" '
        f'stroke="#1b1b1b" stroke-width="1.5"/>'
        for _, on, x, y in parts
    )
    labels = (
        '<text x="38" y="30" font-size="11" fill="#1b1b1b">DoD</text>'
        '<text x="104" y="30" font-size="11" fill="#1b1b1b">DoS/other</text>'
        '<text x="62" y="140" font-size="11" fill="#1b1b1b">Partner</text>'
    )
    star = (
        '<text x="80" y="72" font-size="16" text-anchor="middle" fill="#1b1b1b">★</text>'
        if support.sweet_spot
        else ""
    )
    return (
        f'<svg class="analysis-venn" viewBox="0 0 180 150" width="180" height="150" role="img" '
        f'aria-label="{escape(title or "Support")}: {escape(desc)}">'
        f"<title>{escape(title or 'Support')}</title><desc>{escape(desc)}</desc>"
        f"{circles}{labels}{star}</svg>"
    )


# --- costs by fiscal year -------------------------------------------------------------------------

_COST_LINE = re.compile(r"^\s*FY\s*(\d{4})\s*[:=]?\s*\$?\s*([\d,]+(?:\.\d{1,2})?)\s*$", re.I)


def parse_costs(text: str, *, what: str = "cost") -> tuple[dict[int, Decimal], list[Finding]]:
    """'FY2028: 150,000; FY2029: 90,000' (lines or semicolons) → {2028: Decimal('150000'), …}.
    Every line that cannot be read is named with what to write instead."""
    costs: dict[int, Decimal] = {}
    problems: list[Finding] = []
    for raw in re.split(r"[;\n]", text or ""):
        if not raw.strip():
            continue
        match = _COST_LINE.match(raw)
        if not match:
            problems.append(
                Finding(
                    "",
                    f"“{raw.strip()}” is not a {what} by fiscal year.",
                    "Write one per line as FY2028: 150,000 (USD, at most two decimals).",
                    field="costs",
                )
            )
            continue
        fy, amount = int(match.group(1)), Decimal(match.group(2).replace(",", ""))
        if not 2000 <= fy <= 2100:
            problems.append(Finding("", f"FY{fy} is not a fiscal year to plan in.", field="costs"))
        elif fy in costs:
            problems.append(
                Finding("", f"FY{fy} is given twice.", "Give each fiscal year once.", field="costs")
            )
        else:
            costs[fy] = amount
    return costs, problems


def costs_text(costs: Mapping[int, Decimal]) -> str:
    return "\n".join(f"FY{fy}: {amount:,.2f}" for fy, amount in sorted(costs.items()))


def costs_from_start(costs: Mapping[int, Decimal]) -> tuple[Decimal, ...]:
    """The cost in the first planned fiscal year, the next, … (a year with no cost is 0)."""
    if not costs:
        return ()
    first, last = min(costs), max(costs)
    return tuple(costs.get(fy, Decimal("0")) for fy in range(first, last + 1))


def net_of_planned(
    costs: Mapping[int, Decimal], planned_by_others: Mapping[int, Decimal]
) -> dict[int, Decimal]:
    """R-CBA-05: what the partner, other agencies or third countries already plan for the same
    capability in a fiscal year reduces what the USG plans to spend on it that year (not below 0)."""
    return {
        fy: max(Decimal("0"), amount - planned_by_others.get(fy, Decimal("0")))
        for fy, amount in costs.items()
    }


def earliest_start(today: dt.date, lead_time_months: int, first_fy: int) -> int:
    """The first fiscal year an option may start: today plus its lead time, not before the
    scenario's first year."""
    months = today.month - 1 + lead_time_months
    ready = dt.date(today.year + months // 12, months % 12 + 1, 1)
    return max(first_fy, fiscal_year(ready))


# --- weights ------------------------------------------------------------------------------------


def default_weight(priority: int | None) -> Decimal:
    """An IMO's weight when the scenario gives none: priority 1 (highest) weighs 5, 2 weighs 4,
    … 5 and below weigh 1; an IMO without a priority weighs 1."""
    if not priority:
        return Decimal("1")
    return Decimal(max(1, 6 - priority))


def option_value(weight: Decimal, effect: Decimal, support: Support) -> float:
    """IMO weight × expected effect; a sweet-spot option first among equals (R-CBA-04)."""
    base = float(weight) * float(effect)
    return base * (1 + SWEET_SPOT_TIEBREAK) if support.sweet_spot else base


# --- scenario input ------------------------------------------------------------------------------

_BUDGET_LINE = re.compile(
    r"^\s*(?P<program>.+?)\s*[,;|]\s*FY\s*(?P<fy>\d{4})\s*[,;|:]\s*\$?\s*(?P<amount>[\d,]+(?:\.\d{1,2})?)\s*$",
    re.I,
)


@dataclass(frozen=True)
class BudgetLine:
    program: str
    fiscal_year: int
    amount: Decimal


def parse_budgets(
    text: str, known_programs: Iterable[str], first_fy: int, last_fy: int
) -> tuple[list[BudgetLine], list[Finding]]:
    """'10 USC 333, FY2028, 1,500,000' one a line → budget lines; every bad line named."""
    known = {k.casefold(): k for k in known_programs}
    lines: list[BudgetLine] = []
    problems: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        match = _BUDGET_LINE.match(raw)
        if not match:
            problems.append(
                Finding(
                    "",
                    f"“{raw.strip()}” is not a budget line.",
                    "Write one per line as: program key, FY2028, 1,500,000",
                    field="budgets",
                )
            )
            continue
        key = known.get(match["program"].strip().casefold())
        fy = int(match["fy"])
        try:
            amount = Decimal(match["amount"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            amount = Decimal("-1")
        if key is None:
            problems.append(
                Finding(
                    "",
                    f"“{match['program'].strip()}” is not a program in the catalog.",
                    "Use the program's key as the catalog shows it, e.g. 10 USC 333.",
                    field="budgets",
                )
            )
        elif not first_fy <= fy <= last_fy:
            problems.append(
                Finding(
                    "",
                    f"FY{fy} is outside the scenario (FY{first_fy}–FY{last_fy}).",
                    field="budgets",
                )
            )
        elif (key, fy) in seen:
            problems.append(Finding("", f"{key} FY{fy} is given twice.", field="budgets"))
        else:
            seen.add((key, fy))
            lines.append(BudgetLine(key, fy, amount))
    return lines, problems


def scenario_period_problem(first_fy: int | None, last_fy: int | None) -> Finding | None:
    """Resourcing looks three to five years out (PLAN "Requirements Coordination and Integration")."""
    if first_fy is None or last_fy is None:
        return None
    if last_fy < first_fy:
        return Finding(
            "", "the last fiscal year is before the first.", "Swap them.", field="last_fy"
        )
    if last_fy - first_fy + 1 > 5:
        return Finding(
            "",
            f"FY{first_fy}–FY{last_fy} is {last_fy - first_fy + 1} years: a scenario looks up to five years out.",
            "Shorten the scenario to five fiscal years or fewer.",
            field="last_fy",
        )
    return None


def country_limits_problem(minimum: Decimal | None, maximum: Decimal | None) -> Finding | None:
    if minimum is not None and maximum is not None and minimum > maximum:
        return Finding(
            "",
            "the country's minimum is above its maximum.",
            "Lower the minimum or raise the maximum.",
            field="min_total",
        )
    return None


# --- R-CBA-06: unfunded requirements ---------------------------------------------------------------


@dataclass(frozen=True)
class Unfunded:
    option_key: str
    reason: str


def unfunded(
    option_keys: Iterable[str], chosen: Iterable[str], reasons: Mapping[str, str]
) -> list[Unfunded]:
    """R-CBA-06: planning is resource-informed, not resource-constrained: every option a plan did
    not fund is kept, with the reason it was not."""
    picked = set(chosen)
    return [
        Unfunded(key, reasons.get(key) or "not chosen: a better use of the same money was found")
        for key in option_keys
        if key not in picked
    ]


# --- lifecycles ---------------------------------------------------------------------------------

ANALYSIS = Lifecycle(
    "capabilities-based analysis",
    {"draft": "Draft", "ready": "Ready for resourcing"},
    {
        "ready": (("draft",), "ready", "Mark ready for resourcing"),
        "reopen": (("ready",), "draft", "Reopen"),
    },
    actions={
        "ready": "secoop.analysis.actions.mark_ready",
        "reopen": "secoop.analysis.actions.reopen_analysis",
    },
)

SCENARIO = Lifecycle(
    "scenario",
    {"draft": "Draft", "solved": "Solved", "committed": "Committed to planned activities"},
    {
        "solve": (("draft", "solved"), "solved", "Solve"),
        "commit": (("solved",), "committed", "Commit to planned activities"),
    },
    actions={
        "solve": "secoop.analysis.actions.solve_scenario",
        "commit": "secoop.analysis.actions.commit_scenario",
    },
)


@dataclass(frozen=True)
class ReadyFacts:
    desire: str
    considerations: Mapping[str, str]
    gaps: int
    options: int
    bpc_gaps_unclassified: Sequence[str] = field(default_factory=tuple)


def ready_findings(facts: ReadyFacts) -> list[Finding]:
    """What an analysis needs before it goes to resourcing: the considerations (R-CBA-03), at
    least one gap and one option, and R-CBA-01 for every option a BPC program may fund. An
    unwilling partner does not block it (R-CBA-02: flagged, kept, never resourced)."""
    found = missing_considerations(facts.considerations)
    if not facts.gaps:
        found.append(
            Finding("", "no capability gap is recorded.", "Add the gaps between required and current capability.")
        )  # fmt: skip
    elif not facts.options:
        found.append(
            Finding("", "no solution option is recorded.", "Add at least one option for a gap.")
        )
    for title in facts.bpc_gaps_unclassified:
        found.append(
            Finding(
                "R-CBA-01",
                f"the gap “{title}” has an option a BPC program may fund but no DOTMLPF-P class.",
                "Classify the gap by DOTMLPF-P.",
            )
        )
    return found
