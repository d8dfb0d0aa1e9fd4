"""Request-scoped facts the actions layer records: the request id and the client address."""

from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "request_id", default=None
)
remote_addr_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "remote_addr", default=None
)
# Facts read once per request (issue 15 §4: the reference facts a page applies, in one query),
# set by RequestIdMiddleware; None outside a request, where nothing is kept.
request_memo_var: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request_memo", default=None
)


def request_memo() -> dict | None:
    return request_memo_var.get()


def current_request_id() -> uuid.UUID:
    """The id of the request being served; outside a request (a command, a task) one id per call
    chain is made and kept, so that the entries of one command share it."""
    rid = request_id_var.get()
    if rid is None:
        rid = uuid.uuid4()
        request_id_var.set(rid)
    return rid


def current_remote_addr() -> str | None:
    return remote_addr_var.get()
