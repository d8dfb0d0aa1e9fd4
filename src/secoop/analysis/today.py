"""'What needs me today' for analysis (ARCHITECTURE §5): the planner sees the analyses of their
organization still in draft and what each lacks before resourcing (R-CBA-01, R-CBA-03), roles a
partner has no will to play (R-CBA-02: flagged, never resourced) and the scenarios solved but not
yet committed. Reads through the door (editable_by: the user's own organization's records)."""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse

from secoop.core.today import TodayItem
from secoop.core.today import about
from secoop.core.today import marking_of
from secoop.core.today import register
from secoop.core.today import usg_holding

from . import rules

SECTION = "Analysis"
LIMIT = 8


def _resourcer(user) -> bool:
    from .actions import ANALYSTS

    return usg_holding(user, ANALYSTS)


@register(SECTION)
def analyses_to_finish(user) -> list[TodayItem]:
    from .actions import ready_facts
    from .models import CapabilityAnalysis
    from .models import Gap

    if not _resourcer(user):
        return []
    items = []
    drafts = CapabilityAnalysis.objects.editable_by(user).filter(
        status__in=rules.ANALYSIS.states_allowing("ready")
    )
    for a in drafts.order_by("title")[:LIMIT]:
        found = rules.ready_findings(ready_facts(a, user))
        item = about(
            a,
            found[0].rule if found else "",
            f"Analysis to finish: {a.title}",
            "; ".join(f.message for f in found[:3]) or "Ready to be marked for resourcing.",
            severity="warning" if found else "info",
        )
        if any(f.rule == "R-CBA-01" for f in found):
            # The finding names gaps by title: the item is marked by them too (decision 0047).
            named = Gap.objects.visible_to(user).filter(analysis=a, dotmlpf="")
            item = replace(item, marking=marking_of([a, *named]))
        items.append(item)
    unwilling = CapabilityAnalysis.objects.editable_by(user).filter(
        partner_desire=rules.Desire.UNWILLING
    )
    for a in unwilling.order_by("title")[:LIMIT]:
        items.append(
            about(
                a,
                "R-CBA-02",
                f"No partner will: {a.title}",
                "Its options are kept but never resourced: change the desired role or record new evidence.",
            )
        )
    return items


@register(SECTION)
def scenarios_to_commit(user) -> list[TodayItem]:
    from .actions import RESOURCERS
    from .models import Scenario

    if not usg_holding(user, RESOURCERS):
        return []
    solved = Scenario.objects.editable_by(user).filter(
        status__in=rules.SCENARIO.states_allowing("commit")
    )
    return [
        about(
            s,
            "R-CBA-06",
            f"Scenario solved, not committed: {s.title}",
            "Compare the optimizer with the greedy baseline and commit one to planned activities.",
            severity="info",
        )
        for s in solved.order_by("title")[:LIMIT]
    ] + (
        [
            TodayItem(
                title="Unfunded requirements",
                detail="What no committed plan funds, with the reason, for the next budget cycle.",
                url=reverse("analysis:unfunded"),
                rule="R-CBA-06",
            )
        ]
        if solved.exists()
        else []
    )
