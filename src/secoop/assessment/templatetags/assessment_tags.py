"""Numbers as assessment pages show them: a Decimal without trailing zeros, "—" when there is none
(0 is a value: a baseline of zero is shown as 0)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@register.simple_tag(takes_context=True)
def assessment_roles(context) -> dict:
    """What the signed-in user may start in assessment from another app's page (planning's IMO
    and activity pages link to the new result, evaluation and lesson forms)."""
    from secoop.core import access

    from .. import actions

    user = context["request"].user
    return {
        "define": access.holds_role(user, actions.DEFINERS),
        "evaluate": access.holds_role(user, actions.EVALUATORS),
        "learn": access.holds_role(user, actions.LESSON_WRITERS),
    }
