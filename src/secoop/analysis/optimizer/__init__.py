"""The portfolio optimizer (issue 16 §3): which capability options to fund, in which fiscal year,
with which program's money, to get the most weighted contribution to objectives. Pure Python, no
Django; the app `analysis` builds an `Instance` from its records and shows the `Plan`s.

    check(instance) -> list[str]        malformed input named, [] when fine
    solve(instance, time_limit=30.0, on_progress=None) -> Plan     MILP through HiGHS
    greedy(instance) -> Plan            best value per dollar first (the baseline)
    brute_force(instance) -> Plan       every plan (tests only, at most 12 options)

docs/decisions/0037-optimizer-milp.md says what the model is and what it is not.
"""

from .check import check
from .heuristics import brute_force
from .heuristics import greedy
from .milp import solve
from .model import Choice
from .model import Instance
from .model import InvalidInstance
from .model import Option
from .model import Plan
from .model import Program

__all__ = [
    "Choice",
    "Instance",
    "InvalidInstance",
    "Option",
    "Plan",
    "Program",
    "brute_force",
    "check",
    "greedy",
    "solve",
]
