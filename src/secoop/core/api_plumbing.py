"""API settings hooks (pagination, errors). Kept apart from api_base so that DRF can import
them while its own modules load."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework import pagination
from rest_framework import serializers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from . import access
from . import fields as field_policy
from . import keyset
from . import search
from .api_parsers import JSON_MAX_DEPTH  # noqa: F401  (re-exported)
from .api_parsers import JSONObjectParser  # noqa: F401  (re-exported)
from .api_parsers import check_json_value  # noqa: F401  (re-exported)
from .verdicts import Finding
from .verdicts import Refused
from .versioning import StaleRecord


class Pagination(pagination.BasePagination):
    """Keyset pages (core.keyset): `next` and `previous` are links with a `cursor`; `count` is
    exact when `count_exact` is true, otherwise the list has more than `count` rows (a bounded
    count of what the caller may see, never an exact COUNT(*) over a large set)."""

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    page_query_param = "page"
    max_page_size = 500
    max_page_number = 10_000

    def _page_size(self, request) -> int:
        default = api_settings.PAGE_SIZE or 50
        try:
            size = int(request.query_params.get(self.page_size_query_param, default))
        except (TypeError, ValueError):
            return default
        return default if size < 1 else min(size, self.max_page_size)

    def _old_page_offset(self, request, size: int) -> int:
        """Clients of the numbered pages (`?page=N`) still get page N, once; its links are
        cursors."""
        try:
            number = int(request.query_params.get(self.page_query_param, "1"))
        except (TypeError, ValueError):
            return 0
        return max(0, min(number, self.max_page_number) - 1) * size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self._page_size(request)
        try:
            self.page = keyset.paginate(
                queryset,
                size,
                request.query_params.get(self.cursor_query_param) or None,
                offset=self._old_page_offset(request, size),
            )
        except keyset.BadCursor as exc:
            raise serializers.ValidationError({self.cursor_query_param: exc.messages}) from exc
        narrowed = any(
            v
            for k, v in request.query_params.items()
            if k not in (self.cursor_query_param, self.page_query_param, self.page_size_query_param)
            and k not in ("ordering", "format")
        )
        self.page.count = keyset.bounded_count(
            queryset,
            estimate=not narrowed and access.seen_by_clearance_alone(request.user),
        )
        return self.page.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count.number,
                "count_exact": self.page.count.exact,
                "count_estimate": self.page.count.estimate,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "How many records you may see: exact when count_exact is "
                    "true, otherwise there are more than this many.",
                },
                "count_exact": {"type": "boolean"},
                "count_estimate": {
                    "type": "integer",
                    "nullable": True,
                    "description": "When count_exact is false: about how many records you may "
                    "see (the database's estimate, two significant figures), given for an "
                    "unfiltered list to a reader limited by clearance alone; otherwise null.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (a cursor link), or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The page before, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Kept for clients of numbered pages: starts at page N (from 1) "
                "once; follow `next` and `previous` from there. Ignored with `cursor`.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_number},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records a page (1 to {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _api_field(name: str) -> str:
    """The API's name for an error's key: the marking is one field; no field is
    `non_field_errors`, as DRF says it."""
    if name in ("classification", "dissemination", "rel_to"):
        return "marking"
    return "non_field_errors" if name == NON_FIELD_ERRORS else name


def exception_handler(exc, context):
    """Domain errors from the actions layer become 400 (bad input) or 403 (not permitted). A
    refusal (core.verdicts.Refused) names its first finding's rule in `X-Rule`. A record changed
    after the client's If-Match version (found under the row lock) is a 412."""
    if isinstance(exc, StaleRecord):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errs for m in e.messages]
                for field, errs in exc.error_dict.items()
            }
            detail = {_api_field(k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        response = Response(detail, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, Refused) and exc.rule:
            response["X-Rule"] = exc.rule
        return response
    if isinstance(exc, PermissionDenied):
        return Response(
            {"detail": str(exc) or "You do not have permission to do this."}, status=403
        )
    if isinstance(exc, OverflowError | DataError):
        # Issue 10 item 7: a value the database cannot hold is the caller's mistake, not a crash.
        set_rollback()
        return Response(
            {
                "detail": "A value is out of range: a number too large or a text too long for its field. Check the values sent."
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


# --- Bad input is a 400 with a message, never a 500 (issue 10 item 7) --------------------------

# The largest value a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
DB_INT_MAX = 2**63 - 1
# Logon input longer than these is refused with a 400 before any lookup (User.username is 150).
USERNAME_MAX_LENGTH = 150
PASSWORD_MAX_LENGTH = 4096


class IdFilter(django_filters.NumberFilter):
    """A foreign key filtered by its id, without reading the related table: no query that skips
    the access door, no answer that tells whether a hidden record exists, no integer overflow."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -DB_INT_MAX)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(*args, **kwargs)


class SafeFilterSetMixin:
    """Every API filterset: foreign keys are filtered by id (IdFilter) or, for a text key such as
    a country's alpha-3 code, by that text; numbers are kept within what the database holds."""

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
            if lookup_expr in (None, "exact"):
                target = field.target_field
                if target.get_internal_type() in (
                    "AutoField",
                    "BigAutoField",
                    "IntegerField",
                    "BigIntegerField",
                    "SmallAutoField",
                ):
                    return IdFilter(field_name=field_name, label=f"{field.verbose_name} (id)")
                max_length = getattr(target, "max_length", None) or 255
                return django_filters.CharFilter(
                    field_name=field_name, max_length=max_length, label=str(field.verbose_name)
                )
        return super().filter_for_field(field, field_name, lookup_expr)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if isinstance(f, django_filters.NumberFilter):
                f.extra.setdefault("max_value", DB_INT_MAX)
                f.extra.setdefault("min_value", -DB_INT_MAX)


class SafeFilterSet(SafeFilterSetMixin, django_filters.FilterSet):
    """The base of the filtersets the backend builds from a view's `filterset_fields`."""


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose filtersets (a view's filterset_class or its filterset_fields) get
    SafeFilterSetMixin."""

    filterset_base = SafeFilterSet
    _safe_classes: dict = {}

    def get_filterset_class(self, view, queryset=None):
        klass = super().get_filterset_class(view, queryset)
        if klass is None or issubclass(klass, SafeFilterSetMixin):
            return klass
        safe = self._safe_classes.get(klass)
        if safe is None:
            safe = self._safe_classes[klass] = type(
                klass.__name__, (SafeFilterSetMixin, klass), {"__module__": klass.__module__}
            )
        return safe


# --- the field policy on filters, orderings and search (core.fields, ARCHITECTURE invariant 8) --


def _refuse_hidden(model, request, lookups: list[tuple[str, str]], verb: str) -> None:
    """`lookups` are (query parameter, the lookup it filters or orders on). A lookup on a field
    the reader may not see is refused with a 400 naming the parameter: answering it would tell
    the reader the hidden value (R-SEC-03)."""
    reader = field_policy.reader_of(request.user)
    for param, lookup in lookups:
        if field_policy.hidden(model, reader, [lookup]):
            field = field_policy.field_name(model, lookup)
            raise Refused(
                Finding(
                    "R-SEC-03",
                    f"you cannot {verb} on {field}: that field of a {model._meta.verbose_name} is not shown to you. "
                    "Use the fields you see in the results.",
                    field=param,
                )
            )


class PolicyFilterBackend(FilterBackend):
    """The API's filter backend (ids, bounded numbers), with the field policy: a filter on a hidden
    field is a 400."""

    def filter_queryset(self, request, queryset, view):
        if not request.query_params:
            # Nothing to filter on: a filter set built from no data filters nothing, and building
            # it (its filters and form deep-copied, every choice put through the door) is a fixed
            # cost of every detail and unfiltered list (decision 0046).
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            model = filterset_class._meta.model or queryset.model
            used = [
                (name, flt.field_name or name)
                for name, flt in filterset_class.base_filters.items()
                if name in request.query_params
            ]
            _refuse_hidden(model, request, used, "filter")
        return super().filter_queryset(request, queryset, view)


class PolicyOrderingFilter(filters.OrderingFilter):
    """DRF ordering, with the field policy: ordering on a hidden field is a 400."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if search.is_ranked(queryset) and not request.query_params.get(self.ordering_param):
            # A search without an ?ordering=: best match first, ties in the view's order.
            return search.ranked(queryset.order_by(*ordering) if ordering else queryset)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param) or ""
        terms = [t.strip() for t in params.split(",") if t.strip() and t.strip() != "?"]
        _refuse_hidden(queryset.model, request, [(self.ordering_param, t) for t in terms], "order")
        return super().get_ordering(request, queryset, view)


class PolicySearchFilter(filters.SearchFilter):
    """`?search=` through core.search: every word in one of the view's `search_fields` that the
    reader sees (a search names no field, so nothing is refused; hidden fields are just not
    searched), answered by full-text and trigram indexes and ranked for a model with a search
    document (core.search; PolicyOrderingFilter puts the best match first unless `?ordering=`
    is given). The view's prefixes (^ = @ $) are not used."""

    def filter_queryset(self, request, queryset, view):
        names = getattr(view, "search_fields", None)
        term = request.query_params.get(self.search_param, "")
        if not names or not term.strip():
            return queryset
        return search.search(queryset, term, [n.lstrip("^=@$") for n in names], request.user)
