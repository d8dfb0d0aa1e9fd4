"""An API endpoint that takes one step on the record of its URL (issue 11 §4): the action runs as
the requesting user on the record the door lets them see (`get_object()`, with If-Match), and
the answer is the record as a GET shows it. Cases, EUM, planning, assessment, budget and training
each wrote this out per endpoint or kept a private copy (`_act`, `_do`, `_transition`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from .api_base import request_date
from .api_base import request_text


class RecordSteps:
    """For a viewset built on `core.api_base.MarkedReadCreateViewSet` (it supplies `_done` and
    `_reason`)."""

    def _apply(self, act, *args, **kwargs):
        """Run `act` on this record as the requesting user; return what it made or changed."""
        return act(self.request.user, self.get_object(), *args, **kwargs)

    def _act(self, act, *args, **kwargs):
        """Run `act` on this record; answer the record it returns as a GET shows it."""
        return self._done(self._apply(act, *args, **kwargs))

    def _do(self, act, *args, **kwargs):
        """Run `act` on this record; answer this record, whatever the action returns (a step
        that adds a child record or returns nothing)."""
        record = self.get_object()
        act(self.request.user, record, *args, **kwargs)
        return self._done(record)

    def _dated(self, request, act, *args):
        """A step on the day `on` (default the user's today), with the reason."""
        return self._act(act, *args, request_date(request, "on"), reason=self._reason())


def text_step(name: str, act, *inputs: str, url_path: str | None = None):
    """The endpoint `POST <id>/<url_path>/` (the method `name`, `url_path` by default the name):
    `act` runs on the record with each named text input ("" when absent) as a keyword argument,
    and the answer is the record (`RecordSteps._do`). No request body in the schema: the inputs
    are optional text fields."""

    def endpoint(self, request, pk=None):
        return self._do(act, **{field: request_text(request, field) for field in inputs})

    endpoint.__name__ = name
    routed = action(detail=True, methods=["post"], url_path=url_path or name)(endpoint)
    return extend_schema(request=None)(routed)
