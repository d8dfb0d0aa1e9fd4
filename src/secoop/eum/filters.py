"""List filters of the EUM pages and API: search, country (through the door), and a status or
kind where the record has one."""

from __future__ import annotations

import django_filters

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import country_choice

from . import models as m
from . import rules


def filterset(model, search: tuple[str, ...], country: str = "country", **choices):
    """A filter set for `model`: `q` over `search`, the country (at `country`), and one choice
    filter per keyword (`status=choices`)."""
    attrs: dict = {"search_fields": search}
    fields = ["q"]
    if country == "country":
        attrs["country"] = country_choice("Country")
    elif country:
        attrs["country"] = django_filters.ModelChoiceFilter(
            field_name=country,
            queryset=m.Country.objects.none(),
            empty_label="Any country",
            label="Country",
        )
    if country:
        fields.append("country")
    for name, options in choices.items():
        attrs[name] = any_choice(options, "Any")
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": [*fields, *choices]})
    return type(f"{model.__name__}Filter", (SearchFilterSet,), attrs)


ArticleFilter = filterset(
    m.TransferredArticle,
    ("nomenclature", "nsn"),
    monitoring=rules.Monitoring.choices,
    program=rules.Program.choices,
)
CheckFilter = filterset(
    m.Check, ("checked_by", "findings"), "article__country", kind=rules.CheckKind.choices
)
ViolationFilter = filterset(
    m.PossibleViolation,
    ("summary",),
    "article__country",
    status=list(rules.VIOLATION_STATES.items()),
)
VisitFilter = filterset(m.ComplianceVisit, ("team", "findings"))
ReportFilter = filterset(m.RoutineReport, ("summary",))
ReviewFilter = filterset(m.DatabaseReview, ("checked", "discrepancies"))
PlanFilter = filterset(m.ControlPlan, ())
RequestFilter = filterset(
    m.EndUseRequest,
    ("description", "recipient"),
    "article__country",
    kind=rules.RequestKind.choices,
    status=list(rules.REQUEST_STATES.items()),
)
NoticeFilter = filterset(m.MaterielNotice, ("item", "rationale"), country="")
