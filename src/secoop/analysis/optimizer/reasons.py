"""Why each option not chosen was left out: the rule it would break if it were added to the plan.

For every place the option could go (start FY x program) the ledger says what adding it there
would break; the places that break the fewest rules give the reason, grouped ("program 10 USC 333
budget in FY2027 and FY2028 exhausted"). An option that could never be funded says why.
"""

from __future__ import annotations

from .ledger import Ledger
from .ledger import Prepared
from .ledger import years_text


def _say(prep: Prepared, kind: str, subject: str, years: list[int], said: dict[str, str]) -> str:
    if kind == "excluded":
        return f"excluded by {subject}"
    if kind == "prerequisite":
        why = said.get(subject)
        return f"prerequisite {subject} not funded" + (f" ({why})" if why else "")
    if kind == "prerequisite_late":
        return f"prerequisite {subject} starts only in {years_text(years)}"
    if kind == "money":
        return f"program {subject} budget in {years_text(years)} exhausted"
    if kind == "absorb":
        return f"{prep.name(subject)}'s capacity to absorb in {years_text(years)} reached"
    return f"{prep.name(subject)}'s maximum over the horizon ({prep.maxs[subject]:,}) reached"


def binding_reason(prep: Prepared, ledger: Ledger, key: str, status: str, said: dict) -> str:
    if key in prep.never:
        return prep.never[key]
    tried = [((y, p), ledger.blockers(key, y, p)) for y, p in prep.placements[key]]
    fewest = min(len(b) for _, b in tried)
    if fewest == 0:
        (y, p), _ = next(t for t in tried if not t[1])
        value = prep.options[key].value
        if value <= 0:
            return "adds no value to the objectives (value 0)"
        if status == "time_limit":
            return (
                f"would fit (FY{y}, {p}), but the solve reached its time limit before choosing it"
            )
        return (
            f"would fit (FY{y}, {p}), but its value ({value:g}) is within the solver's "
            f"optimality tolerance"
        )
    grouped: dict[tuple[str, str], list[int]] = {}
    for _, found in tried:
        if len(found) == fewest:
            for kind, subject, year in found:
                years = grouped.setdefault((kind, subject), [])
                if year is not None and year not in years:
                    years.append(year)
    return "; ".join(_say(prep, k, s, ys, said) for (k, s), ys in grouped.items())


def not_chosen(prep: Prepared, ledger: Ledger, status: str) -> dict[str, str]:
    """Option key -> reason, for each option the plan leaves out (prerequisites first, so an
    option can say why its prerequisite was left out)."""
    said: dict[str, str] = {}
    for key in prep.topo:
        if key not in ledger.chosen:
            said[key] = binding_reason(prep, ledger, key, status, said)
    return {o.key: said[o.key] for o in prep.instance.options if o.key in said}
