"""A record page's step buttons (submit, approve, return, …): the button posts the step's name,
the view names the action each step runs, and this runs the one posted. Every app's step views
ended alike: an unknown step is 404, the outcome is a message, the answer is the record's page."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping

from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import redirect

from .viewkit import run_action


def run_step(
    request,
    record,
    step: str,
    calls: Mapping[str, Callable],
    done: str | Callable[[str], str],
    *,
    forbid: bool = False,
) -> HttpResponse:
    """Run `calls[step]` (an actions call on `record`) and answer with the record's page; `done`
    is what a success says (or gives it for the step). With `forbid`, a role the user lacks
    answers 403 (core.viewkit.run_action)."""
    if step not in calls:
        raise Http404
    run_action(request, calls[step], done(step) if callable(done) else done, forbid=forbid)
    return redirect(record.get_absolute_url())
