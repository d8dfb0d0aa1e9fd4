"""List-page filters. Choices of related records come through the door."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q

from . import access
from . import clock
from . import rules
from .markings import Classification
from .models import ChangeLogEntry
from .models import Country
from .models import Document
from .models import Notification
from .models import Organization
from .models import User
from .models.changelog import ChangeAction
from .models.documents import DocumentKind
from .models.organizations import OrganizationKind
from .models.reference import CombatantCommand
from .rules import Audience
from .search import search


def country_choice(label: str | None = None) -> django_filters.ModelChoiceFilter:
    """A choice of country, filled through the door when the filter set is made (SearchFilterSet)."""
    return django_filters.ModelChoiceFilter(
        queryset=Country.objects.none(), empty_label="Any country", label=label
    )


def country_code(field_name: str = "country_id") -> django_filters.CharFilter:
    """An API filter by country, given as its ISO 3166 alpha-3 code; `field_name` is the lookup
    that gives the record's country."""
    return django_filters.CharFilter(field_name=field_name)


def ccmd_choice(field_name: str = "ccmd") -> django_filters.ChoiceFilter:
    """A choice of combatant command; `field_name` is the lookup that gives the record's command."""
    return django_filters.ChoiceFilter(
        field_name=field_name,
        choices=CombatantCommand.choices,
        empty_label="Any command",
        label="Combatant command",
    )


def any_choice(choices, any_label: str, label: str | None = None) -> django_filters.ChoiceFilter:
    """A choice among `choices`, or none of them: `any_label` names that empty choice ("Any status")."""
    return django_filters.ChoiceFilter(choices=choices, empty_label=any_label, label=label)


def covers_fiscal_year(start: str = "start_fy", end: str = "end_fy") -> django_filters.NumberFilter:
    """Records whose span of fiscal years (`start`..`end`) covers the one asked for."""

    def method(queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{start}__lte": value, f"{end}__gte": value})

    return django_filters.NumberFilter(method=method, label="Covers fiscal year")


class SearchFilterSet(django_filters.FilterSet):
    """A list page's filters: `q` searches `search_fields`; every choice of related records
    (declared with an empty queryset) offers only the records the user may see.

    A subclass's `Meta` names its model; its filters are `q` and the ones it declares, in that
    order, without listing them again in `Meta.fields`. A `Meta.fields` of its own (model fields
    to filter on, another order) is taken as it is."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label="Search")

    def __init_subclass__(cls, **kwargs):
        # Runs before django-filter reads Meta: no model field is filtered unless Meta says so.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "fields") and not hasattr(meta, "exclude"):
            meta.fields = ()
        super().__init_subclass__(**kwargs)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset.model.objects, "visible_to"):
                f.queryset = queryset.model.objects.visible_to(user)

    def search(self, queryset, name, value):
        # Through indexes, only in the fields the reader may see (core.search).
        user = getattr(self.request, "user", None)
        return search(queryset, value, self.search_fields, user)


class OrganizationFilter(SearchFilterSet):
    search_fields = ("name", "short_name")
    kind = any_choice(OrganizationKind.choices, "Any kind")
    ccmd = ccmd_choice()
    country = country_choice()

    class Meta:
        model = Organization


class CountryFilter(SearchFilterSet):
    search_fields = ("name", "alpha3", "alpha2")
    ccmd = ccmd_choice()

    class Meta:
        model = Country


class DocumentFilter(SearchFilterSet):
    search_fields = ("title", "summary")
    kind = any_choice(DocumentKind.choices, "Any kind")
    classification = any_choice([(c.value, c.label) for c in Classification], "Any classification")
    country = country_choice()

    class Meta:
        model = Document


class PersonFilter(SearchFilterSet):
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    status = django_filters.ChoiceFilter(
        choices=[
            ("active", "Active"),
            ("locked", "Locked"),
            ("disabled", "Disabled"),
            ("reinvestigation", "LE staff due for reinvestigation"),
        ],
        method="filter_status",
        empty_label="Any status",
        label="Status",
    )
    audience = any_choice(Audience.CHOICES, "Any audience")

    class Meta:
        model = User
        fields = ["q", "audience", "status"]  # the audience before the status filter declared first

    def filter_status(self, queryset, name, value):
        if value == "reinvestigation":
            return queryset.filter(reinvestigation_due_q(self.request.user))
        if value == "locked":
            return queryset.filter(locked_at__isnull=False)
        if value == "disabled":
            return queryset.filter(is_active=False)
        return queryset.filter(is_active=True, locked_at__isnull=True)


class ChangeLogFilter(SearchFilterSet):
    search_fields = ("object_repr", "username", "reason")
    action = any_choice(ChangeAction.choices, "Any action")
    since = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ChangeLogEntry


class NotificationFilter(SearchFilterSet):
    search_fields = ("subject", "body")
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("acknowledged", "Acknowledged")],
        method="filter_status",
        empty_label="Open and acknowledged",
        label="Status",
    )
    to = django_filters.ChoiceFilter(
        choices=[("mine", "My organizations"), ("all", "Every organization")],
        method="filter_to",
        empty_label=None,
        label="Sent to",
    )

    class Meta:
        model = Notification

    def __init__(self, data=None, *args, request=None, **kwargs):
        if data is not None and not data.get("to"):
            data = data.copy()
            data["to"] = "mine"  # the inbox unless the user asks for every organization
        super().__init__(data, *args, request=request, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset.filter(acknowledged_at__isnull=(value == "open"))

    def filter_to(self, queryset, name, value):
        return queryset.filter(inbox_q(self.request.user)) if value == "mine" else queryset


REINVESTIGATION_NOTICE_DAYS = 90


def reinvestigation_due_q(user) -> Q:
    """R-SEC-02: active LE staff whose background reinvestigation is overdue or due within
    REINVESTIGATION_NOTICE_DAYS of the user's today (never investigated: overdue), asked of the
    stored date (rules.investigated_by_when_due_by), with the reinvestigation period the user's
    access profile holds."""
    profile = access.profile_for(user)
    if profile is None:
        return Q(pk__in=[])
    horizon = clock.today_for(user) + dt.timedelta(days=REINVESTIGATION_NOTICE_DAYS)
    cutoff = rules.investigated_by_when_due_by(horizon, profile.reinvestigation_years)
    return Q(is_le_staff=True, is_active=True) & (
        Q(last_investigation_on__isnull=True) | Q(last_investigation_on__lte=cutoff)
    )


def inbox_q(user) -> Q:
    """Notifications to the user's organizations or those below them (what they should act on)."""
    paths = sorted(
        {
            m.organization.tree_path
            for m in user.memberships.select_related("organization")
            if m.organization.tree_path
        }
    )
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(recipient_org__tree_path__startswith=path)
    return q
