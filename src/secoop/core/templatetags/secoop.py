"""Template helpers: the classification banner and record markings (R-SEC-01)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import template
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .. import formats
from ..markings import Classification
from ..markings import Marking
from ..markings import combine
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
        [
            *(
                r.marking
                for r in records
                if hasattr(r, "marking") and isinstance(getattr(r, "marking", None), Marking)
            ),
            *_choice_markings(context),
        ]
    )


def _choice_markings(context) -> list[Marking]:
    """The markings of the records a form on the page offers as choices: a select lists their
    names, so the banner covers them (R-SEC-01). One grouped query per choice field; the choices
    are already limited to what the user may see."""
    from django.forms import BaseForm
    from django.forms import BaseFormSet
    from django_filters import FilterSet

    from ..models.records import MarkingFields

    forms = []
    for value in context.flatten().values():
        if isinstance(value, BaseForm):
            forms.append(value)
        elif isinstance(value, BaseFormSet):
            forms.append(value.empty_form)
        elif isinstance(value, FilterSet):  # a list's filters offer records by name too
            forms.append(value.form)
    found: set[tuple] = set()
    for form in forms:
        for field in form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not issubclass(queryset.model, MarkingFields):
                continue
            found.update(
                queryset.order_by()
                .values_list("classification", "dissemination", "rel_to")
                .distinct()
            )
    return [
        Marking(Classification(c), d, Marking.rel_to_from_stored(r)) for c, d, r in sorted(found)
    ]


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


def _model_choices(iterator: ModelChoiceIterator):
    """A model choice field's choices read in one plain query: Django's iterator reads them
    through a server-side cursor on PostgreSQL (three round trips, and a held result set), which
    was most of a list page's template time for the 250 countries of its filter (issue 15)."""
    if iterator.field.empty_label is not None:
        yield ("", iterator.field.empty_label)
    for obj in list(iterator.queryset.all()):
        yield iterator.choice(obj)


@register.simple_tag
def select_options(field):
    """The <option>s of a bound form field's choices, the current value selected, rendered in
    Python: a template loop that resolved the field's value for every option was most of a list
    page's time (issue 15)."""
    widget = field.field.widget
    # A field's choices, or its widget's (a NullBooleanField's Yes / No / Unknown), as the widget
    # writes the value ("true" for True).
    choices = getattr(field.field, "choices", None) or getattr(widget, "choices", ())
    if isinstance(choices, ModelChoiceIterator):
        choices = _model_choices(choices)
    current = widget.format_value(field.value())
    if isinstance(current, list | tuple):
        current = current[0] if current else ""
    current = "" if current is None else str(current)
    options = []
    for value, label in choices:
        value = "" if value is None else str(value)
        # Each value and label escaped (format_html's work, without its cost per option).
        options.append(
            f'<option value="{conditional_escape(value)}"'
            f"{' selected' if value == current else ''}>{conditional_escape(label)}</option>"
        )
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped above


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
    from ..versioning import VERSION_FIELD
    from ..versioning import form_token

    token = getattr(obj, "_page_version_token", None)
    if token is None:  # once per page, however many buttons carry it
        token = obj._page_version_token = form_token(obj)
    return format_html('<input type="hidden" name="{}" value="{}">', VERSION_FIELD, token)


@register.filter
def fields_with_errors(form) -> list:
    """The form's fields that have errors, in form order (the error summary links each)."""
    return [field for field in form if field.errors]


# --- rule ids as small links to their rule page (issue 12 item 4) -------------------------------


def _rule_id_of(item) -> str:
    """The rule id of a Finding, of a refusal's text ("R-TRN-06: …") or of an id itself."""
    from .. import rule_registry

    rule = item.get("rule") if isinstance(item, dict) else getattr(item, "rule", None)
    if rule is None:
        text = str(item or "").strip()
        rule = text if rule_registry.get(text) else rule_registry.split_text(text)[0]
    return rule or ""


@register.simple_tag
def rule_ref(item) -> str:
    """{% rule_ref finding %} or {% rule_ref "R-TRN-06" %}: the rule id as small secondary text
    that links to the rule's page, its plain-words title on hover. Empty when there is no rule."""
    from django.urls import reverse

    from .. import rule_registry

    rule_id = _rule_id_of(item)
    entry = rule_registry.get(rule_id)
    if entry is None:
        return format_html('<span class="secoop-rule">{}</span>', rule_id) if rule_id else ""
    return format_html(
        '<a class="secoop-rule" href="{}" title="Rule: {}">{}</a>',
        reverse("rule-detail", args=[rule_id]),
        entry.title,
        rule_id,
    )


@register.simple_tag
def rule_text(item) -> str:
    """{% rule_text finding %}: what is wrong and how to fix it in plain words, then the rule id
    as a small link. Takes a Finding, or a refusal's text as a form error or message shows it
    ("R-TRN-06: the student's vetting … Fix.")."""
    from .. import rule_registry

    if isinstance(item, dict) and "message" in item:
        words = " ".join(p for p in (item["message"], item.get("fix", "")) if p)
        rule_id = item.get("rule", "")
    elif hasattr(item, "rule") and hasattr(item, "message"):
        words = " ".join(p for p in (item.message, getattr(item, "fix", "")) if p)
        rule_id = item.rule
    else:
        rule_id, words = rule_registry.split_text(str(item))
    words = words[:1].upper() + words[1:]
    # A rule named in the prose, "ITO issued (R-TRN-08).", becomes its link too.
    pieces = re.split(r"\((R-[A-Z]+-\d{2}|SPEC-\d+-[^\s)]+(?:\([a-z]\)[^\s)]*)?)\)", words)
    html = format_html_join(
        "",
        "{}",
        ((rule_ref(p) if i % 2 else p,) for i, p in enumerate(pieces) if p or not i % 2),
    )
    if not rule_id:
        return html
    return format_html("{} {}", html, rule_ref(rule_id))


# --- the primary navigation (core.navigation: built in Python, its links reversed once) ----------


def _path(context) -> str:
    return getattr(context.get("request"), "path", "")


@register.simple_tag(takes_context=True)
def nav_apps(context):
    from ..navigation import apps_menu

    return apps_menu(context["user"], _path(context))


@register.simple_tag(takes_context=True)
def nav_records(context):
    from ..navigation import records_menu

    return records_menu(context["user"], _path(context), bool(context.get("is_administrator")))


@register.simple_tag
def nav_url(name: str) -> str:
    """`{% url name %}` for the base template's arg-less links, reversed once per URLconf."""
    from ..navigation import url

    return url(name)
