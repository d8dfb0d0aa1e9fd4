"""Template helpers: the classification banner and record markings (R-SEC-01)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html

from .. import formats
from ..markings import Classification, Marking, combine
from ..related import related

register = template.Library()

BANNER_CLASS = {
    Classification.UNCLASSIFIED: "unclassified",
    Classification.CUI: "cui",
    Classification.CONFIDENTIAL: "confidential",
    Classification.SECRET: "secret",
}


@register.simple_tag(takes_context=True)
def page_marking(context) -> Marking:
    """The highest marking of the records on the page (views list them in `page_records`;
    a detail page's `object` counts too)."""
    records = list(context.get("page_records") or [])
    obj = context.get("object")
    if obj is not None and obj not in records:
        records.append(obj)
    return combine(
        r.marking
        for r in records
        if hasattr(r, "marking") and isinstance(getattr(r, "marking", None), Marking)
    )


@register.simple_tag
def banner_class(marking: Marking) -> str:
    return BANNER_CLASS.get(marking.classification, "unclassified")


@register.simple_tag
def marking_tag(record) -> str:
    marking = getattr(record, "marking", None)
    if not isinstance(marking, Marking):
        return ""
    return format_html(
        '<span class="secoop-marking secoop-marking--{}" title="Classification and releasability">{}</span>',
        BANNER_CLASS.get(marking.classification, "unclassified"),
        str(marking),
    )


@register.filter
def display_value(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formats.moment(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, dt.date):
        return formats.day(value)
    if isinstance(value, Decimal):  # a quantity (amounts of money arrive as '$…' text)
        return f"{value.normalize():,f}"
    return value


@register.filter
def cell_class(value) -> str:
    """The class of a list cell: a day or an amount is never broken over two lines; an amount
    (core.lists.Amount) or a number is right-aligned."""
    if isinstance(value, dt.date):
        return "secoop-nowrap"
    if isinstance(value, Decimal | int | float | formats.Amount) and not isinstance(value, bool):
        return "secoop-nowrap text-right"
    return ""


@register.simple_tag(takes_context=True, name="related")
def related_tag(context, record, field):
    """{% related object "case" as case %}: the related record if the signed-in user may see it,
    else None (core.related.related). Always with `as`: the tag itself prints nothing useful."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return related(record, field, user)


@register.simple_tag
def record_version(obj):
    """A hidden field with the version of the record a page shows, for a POST action on it: the
    action is refused if the record changed since (issue 10 item 8, core.versioning.stale_action)."""
    from ..versioning import VERSION_FIELD, form_token

    token = getattr(obj, "_page_version_token", None)
    if token is None:  # once per page, however many buttons carry it
        token = obj._page_version_token = form_token(obj)
    return format_html('<input type="hidden" name="{}" value="{}">', VERSION_FIELD, token)


@register.filter
def fields_with_errors(form) -> list:
    """The form's fields that have errors, in form order (the error summary links each)."""
    return [field for field in form if field.errors]
