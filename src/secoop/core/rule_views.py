"""The rule pages (issue 12 item 4): `/rules/` lists every rule id the product names, and
`/rules/<id>/` states one rule in plain words with its sources, the dated facts it reads and
where the product enforces it. Rules are public text: every signed-in user reads them, and no
marked record is shown (the page's banner is UNCLASSIFIED)."""

from __future__ import annotations

import re
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import rule_registry
from . import rules
from .models import ReferenceFact

SECTION_NAMES = {
    "PLN": "Planning",
    "CBA": "Capabilities-based analysis and resourcing",
    "AME": "Assessment, monitoring and evaluation",
    "FMS": "Foreign Military Sales cases",
    "EDA": "Excess defense articles",
    "DCS": "Direct commercial sales licenses",
    "EUM": "End-use monitoring",
    "TRN": "International education and training",
    "BUD": "Budget",
    "FCT": "Forecasts",
    "IND": "Industry visits",
    "CLR": "Foreign clearances",
    "HA": "Humanitarian assistance",
    "SVY": "Survey teams",
    "WF": "Workforce",
    "SEC": "Security and access",
    "5": "Foreign Military Sales: lifecycle facts (SPEC §5)",
    "11": "Facts from public guidance (SPEC §11)",
}


@login_required
def rule_index(request):
    entries = list(rule_registry.registry().values())
    groups = [
        (SECTION_NAMES.get(section, section), list(items))
        for section, items in groupby(entries, key=lambda r: r.section)
    ]
    return render(request, "core/rule_index.html", {"groups": groups, "page_records": []})


def _page_label(route: str) -> str:
    """A route as a reader can follow it: parameters become '…'."""
    return re.sub(r"<[^>]+>", "…", route)


@login_required
def rule_detail(request, rule_id):
    rule = rule_registry.get(rule_id)
    if rule is None:
        raise Http404("No such rule.")
    facts = (
        [
            f
            for f in ReferenceFact.objects.visible_to(request.user).order_by(
                "key", "effective_from"
            )
            if rule.uses_fact(f.key)
        ]
        if rule.facts
        else []
    )
    enforced = rule_registry.enforcement(rule.id)
    actions = [
        {"what": spec.what, "who": rules.describe_roles(spec.roles), "name": spec.name}
        for spec in enforced.actions
    ]
    pages = [
        {"label": _page_label(route), "url": None if "<" in route else route, "name": name}
        for route, name in enforced.pages
    ]
    return render(
        request,
        "core/rule_detail.html",
        {
            "rule": rule,
            "section_name": SECTION_NAMES.get(rule.section, rule.section),
            "facts": facts,
            "actions": actions,
            "pages": pages,
            "page_records": [],
        },
    )
