"""The optimizer's data: what goes in (Instance) and what comes out (Plan).

The interface is fixed (docs/decisions, "optimizer"): the Django app `analysis` builds an Instance
from its records and shows the Plan. Fields added after the interface was agreed carry a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal


@dataclass(frozen=True)
class Program:
    key: str  # e.g. "10 USC 333"
    budget: dict[int, Decimal]  # FY -> new money available that FY (>= 0)
    lifespan_years: int = 1  # money of FY y may pay costs in FY y .. y+lifespan-1
    eligible_countries: frozenset[str] | None = None  # None = any country


@dataclass(frozen=True)
class Option:
    key: str  # unique
    country: str  # ISO code, e.g. "XBN"
    value: float  # weighted contribution = IMO priority x expected effect (>= 0)
    cost_by_year: tuple[Decimal, ...]  # cost in the start FY, start+1, ...
    programs: frozenset[str]  # programs that may fund it (eligibility)
    earliest_start: int  # first FY it may start (today + lead time)
    latest_start: int | None = None
    requires: frozenset[str] = frozenset()  # prerequisites: funded, starting no later
    excludes: frozenset[str] = frozenset()  # mutually exclusive options
    partner_willing: bool = True  # R-CBA-02: False -> never funded, reason said


@dataclass(frozen=True)
class Instance:
    fiscal_years: tuple[int, ...]
    programs: tuple[Program, ...]
    options: tuple[Option, ...]
    absorb_per_year: dict[str, Decimal] = field(default_factory=dict)  # country -> max cost per FY
    country_min: dict[str, Decimal] = field(default_factory=dict)  # country -> min over horizon
    country_max: dict[str, Decimal] = field(default_factory=dict)
    # Added with a default: names the reasons use ("Bandaria's capacity ..."); the code otherwise.
    country_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    option: str
    start_fy: int
    program: str


@dataclass
class Plan:
    method: str  # "milp" | "greedy" | "brute_force"
    status: str  # "optimal" | "time_limit" (best found) | "infeasible"
    choices: list[Choice]
    value: float
    gap: float | None  # relative optimality gap (0.0 when proven optimal; None for greedy)
    seconds: float
    not_chosen: dict[str, str]  # option key -> binding reason in words
    # Added with defaults: what the plan as a whole says (the country whose minimum no plan can
    # meet, when status is "infeasible"), and the solver's bound on the best value (MILP only).
    message: str = ""
    bound: float | None = None


class InvalidInstance(ValueError):
    """Malformed input, raised before solving; .problems names each cause."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid optimizer input: " + "; ".join(self.problems))
