"""A record page's step button pressed on a page that showed an older version of the record
(issue 10 item 8): the view answers with the reason and the record's page, and does not act."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from .versioning import stale_action


def stale_answer(request, record) -> HttpResponse | None:
    """The redirect to `record`'s page with `core.versioning.stale_action`'s message when the
    record changed since the page was shown; None when the view may act."""
    stale = stale_action(request, record)
    if stale is None:
        return None
    messages.error(request, stale)
    return redirect(record.get_absolute_url())
