"""Per-request facts for the actions layer and the audit log."""

from __future__ import annotations

import uuid

from .context import remote_addr_var, request_id_var


class RequestIdMiddleware:
    """Give each request an id (or take a sane X-Request-ID from a proxy) that every change-log and
    audit entry written while serving it carries, and echo it back in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        try:
            rid = uuid.UUID(incoming) if incoming else uuid.uuid4()
        except ValueError:
            rid = uuid.uuid4()
        request.request_id = rid
        rid_token = request_id_var.set(rid)
        addr_token = remote_addr_var.set(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(rid_token)
            remote_addr_var.reset(addr_token)
        response["X-Request-ID"] = str(rid)
        return response
