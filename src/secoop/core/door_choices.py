"""The records a form offers in a related-record field, read through the door (R-SEC-01): a
marked record among those the user may see, a country among the visible ones. For forms whose
choices are not all fixed by hand (planning; assessment has the same branch inline)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Country
from .models import MarkedModel


def offered(queryset: QuerySet, user) -> QuerySet:
    """The choices of a field whose model queryset is `queryset`, as `user` may see them; a kind
    that is neither marked nor a country is offered as the form built it."""
    model = queryset.model
    if issubclass(model, MarkedModel):
        return model.objects.visible_to(user)
    if model is Country:
        return Country.objects.visible_to(user)
    return queryset
