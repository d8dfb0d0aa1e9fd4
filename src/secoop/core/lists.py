"""Generic list page: filter, search, sort, count and export to XLSX what the user may see.

Every app's list views subclass RecordListView and name the model, the filterset and the columns;
the queryset always starts from `visible_to(request.user)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.utils.html import conditional_escape
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from . import access
from . import fields as field_policy
from . import formats
from . import keyset
from . import search
from .related import follow

RESTRICTED = "(restricted)"


@dataclass(frozen=True)
class Column:
    """One column of a list: the header, how to read the value, and the sort key if sortable."""

    header: str
    attr: str  # dotted attribute path, or a method name on the view ('col_<name>')
    sort: str | None = None
    link: bool = False
    # An amount in USD: '$1,250,000.00' on the page, a number in a currency format in the export.
    money: bool = False

    def value(self, obj: Any, view: Any) -> Any:
        if self.attr.startswith("col_"):
            return getattr(view, self.attr)(obj)
        # A related marked record is shown only to those who may see it (core.related).
        value = follow(
            obj,
            self.attr,
            view.request.user,
            hidden=RESTRICTED,
            memo=getattr(view, "guard_memo", None),
        )
        return "" if value is None else value

    def shown(self, value: Any) -> Any:
        """The value as the page shows it: an amount as '$1,250,000.00' (core.formats); dates and
        the rest through the template's `display_value`."""
        if self.money and value not in ("", RESTRICTED):
            return formats.Amount(formats.usd(value))
        return value


def cells_html(obj: Any, values: list[Any], columns: list[Column], first=None) -> SafeString:
    """A row's cells as HTML, built once in Python (issue 15: looping the columns in the template
    for every cell, to find its header, was a large part of a list page's time). The first cell
    links to the record (`first(obj, value)` renders it instead when given)."""
    from .templatetags.secoop import cell_class
    from .templatetags.secoop import display_value

    out = []
    for n, (col, value) in enumerate(zip(columns, values, strict=True)):
        css = cell_class(value)
        text = conditional_escape(display_value(value))
        if n == 0:
            inner = (
                first(obj, value)
                if first
                else format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)
            )
            out.append(format_html('<td class="{}">{}</td>', css, inner))
        else:
            out.append(format_html('<td class="{}" data-label="{}">{}</td>', css, col.header, text))
    return mark_safe("".join(out))  # noqa: S308 - every part above is escaped by format_html


class RecordListView(LoginRequiredMixin, ListView):
    model = None
    filterset_class = None
    columns: list[Column] = []
    export_columns: list[Column] = []  # more columns for the XLSX export only
    default_sort = ""
    paginate_by = 50
    select_related: tuple[str, ...] = ()
    template_name = "core/record_list.html"
    title = ""
    intro = ""
    create_url_name: str | None = None
    # The first cell's HTML, `(obj, value) -> SafeString`, when it is not a link showing the value.
    first_cell = None

    def col_name(self, obj) -> str:
        """A column of the record as it names itself: `Column("Visit", "col_name")`."""
        return str(obj)

    def shown_columns(self) -> list[Column]:
        """The columns this reader may see: a column on a field the model's field policy hides
        from them is left out of the page, its sort and its export (core.fields)."""
        reader = field_policy.reader_of(self.request.user)
        return [
            c
            for c in self.columns
            if not field_policy.hidden(
                self.model, reader, [k for k in (c.sort, c.attr) if k and not k.startswith("col_")]
            )
        ]

    def _drop_hidden_filters(self) -> None:
        """A filter on a field hidden from the reader is not offered, and its parameter is ignored."""
        reader = field_policy.reader_of(self.request.user)
        for name, flt in list(self.filterset.filters.items()):
            if field_policy.hidden(self.model, reader, [flt.field_name or name]):
                del self.filterset.filters[name]

    def base_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def get_queryset(self):
        qs = self.base_queryset()
        self.filterset = (
            self.filterset_class(self.request.GET, queryset=qs, request=self.request)
            if self.filterset_class
            else None
        )
        if self.filterset is not None:
            self._drop_hidden_filters()
            qs = self.filterset.qs if self.filterset.is_valid() else qs.none()
        sort = self.request.GET.get("sort") or self.default_sort
        allowed = {c.sort for c in self.shown_columns() if c.sort}
        self.sort = sort if sort.lstrip("-") in allowed else self.default_sort
        if self.sort:
            # The primary key breaks ties in the sort's direction: one index (column, id) answers
            # the page both ways (core.keyset).
            tiebreak = "-pk" if self.sort.startswith("-") else "pk"
            qs = qs.order_by(self.sort, tiebreak)
        elif not qs.query.order_by and not self.model._meta.ordering:
            qs = qs.order_by("pk")
        if not self.request.GET.get("sort") and search.is_ranked(qs):
            # A search without a sort the reader chose: best match first, ties in the list's
            # order (core.search.ranked); cursor pages carry the rank.
            qs = search.ranked(qs)
            self.sort = ""
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") in ("xlsx", "csv"):
            from .list_exports import export_response

            return export_response(self, request.GET["format"])
        try:
            return super().get(request, *args, **kwargs)
        except keyset.BadCursor as exc:
            messages.warning(request, exc.messages[0])
            return HttpResponseRedirect(f"?{self._query_without('cursor', 'page')}")

    def get_paginate_by(self, queryset):
        return None  # paged by cursor in get_context_data, without an exact count (core.keyset)

    def _old_page_offset(self) -> int:
        """Links of the old numbered pages (`?page=N`) still work: they start N-1 pages in."""
        try:
            number = int(self.request.GET.get("page", "1"))
        except ValueError:
            return 0
        return max(0, min(number, 10_000) - 1) * self.paginate_by

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = keyset.paginate(
            self.object_list,
            self.paginate_by,
            self.request.GET.get("cursor") or None,
            offset=self._old_page_offset(),
        )
        count = keyset.bounded_count(
            self.object_list,
            estimate=not self._filtered() and access.seen_by_clearance_alone(self.request.user),
        )
        rows = page.rows
        columns = self.shown_columns()
        # Each related record the page shows is checked once, however many rows show it.
        self.guard_memo = {}
        base = self._query_without("cursor", "page")
        sep = "&" if base else ""
        ctx.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            intro=self.intro,
            filterset=self.filterset,
            columns=columns,
            object_list=rows,
            rows=[
                (
                    obj,
                    cells_html(
                        obj,
                        [c.shown(c.value(obj, self)) for c in columns],
                        columns,
                        self.first_cell,
                    ),
                )
                for obj in rows
            ],
            page_records=rows,
            sort=self.sort,
            total=count.number,
            count=count,
            keyset_page=page,
            first_url=f"?{base}" if page.has_previous else None,
            next_url=f"?{base}{sep}cursor={page.next_cursor}" if page.next_cursor else None,
            previous_url=f"?{base}{sep}cursor={page.previous_cursor}"
            if page.previous_cursor
            else None,
            query_without_sort=self._query_without("sort", "page", "cursor"),
            query_without_page=base,
            create_url_name=self.create_url_name,
        )
        return ctx

    def _filtered(self) -> bool:
        """Whether the reader narrowed the list (a search or a filter), not only sorted or paged."""
        return any(
            v for k, v in self.request.GET.items() if k not in ("sort", "cursor", "page", "format")
        )

    def _query_without(self, *keys: str) -> str:
        params = self.request.GET.copy()
        for key in keys:
            params.pop(key, None)
        return params.urlencode()
