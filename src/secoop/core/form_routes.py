"""The routes of a record's form page: `<prefix>new/` (named `<name>-create`) and
`<prefix><pk>/edit/` (`<name>-edit`), both served by one view that takes `pk=None` for a new
record. Beside `core.viewkit.record_urls` (list and detail with them) for the kinds whose list or
record page is routed elsewhere; the names are the same in every app."""

from __future__ import annotations

from django.urls import path


def form_urls(prefix: str, name: str, view) -> list:
    """The create and edit routes of one form view, named alike in every app."""
    return [
        path(f"{prefix}new/", view, name=f"{name}-create"),
        path(f"{prefix}<int:pk>/edit/", view, name=f"{name}-edit"),
    ]
