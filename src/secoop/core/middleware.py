"""Per-request facts for the actions layer and the audit log."""

from __future__ import annotations

import time
import uuid

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpResponseBadRequest
from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject

from .context import remote_addr_var
from .context import request_id_var
from .context import request_memo_var


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
        memo_token = request_memo_var.set({})
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(rid_token)
            remote_addr_var.reset(addr_token)
            request_memo_var.reset(memo_token)
        response["X-Request-ID"] = str(rid)
        return response


class SessionUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, but `request.user` is the user read with the session row
    (core.sessions.get_user: one query for both, every check of Django's kept)."""

    def process_request(self, request):
        from .sessions import get_user

        super().process_request(request)

        def signed_in_user():
            if not hasattr(request, "_cached_user"):
                request._cached_user = get_user(request)
            return request._cached_user

        request.user = SimpleLazyObject(signed_in_user)


class IdleSessionMiddleware:
    """R-SEC-09: the session cookie's age is the idle timeout, so activity must renew it. Renewing
    on every request would write the session on every page view (a write lock on SQLite); renew
    at most once a minute instead — a session then ends between 14 and 15 idle minutes."""

    RENEW_AFTER_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get("_renewed_at", 0) >= self.RENEW_AFTER_SECONDS:
                session["_renewed_at"] = now
        return response


NUL_MESSAGE = (
    "The request holds a NUL character (%00 or \\u0000), which no field accepts: remove it."
)


class RejectNulMiddleware:
    """Issue 10 item 7: a NUL character in the path, the query or a form field is refused with a
    400 before any view runs (PostgreSQL cannot store or compare text that holds one). JSON bodies
    are checked by the API's parser (core.api_parsers.JSONObjectParser); uploaded files may hold
    any byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.holds_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def holds_nul(request) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info:
            return True
        if any(
            "\x00" in k or "\x00" in v for k, values in request.GET.lists() for v in [k, *values]
        ):
            return True
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH") and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return any(
                "\x00" in k or "\x00" in v
                for k, values in request.POST.lists()
                for v in [k, *values]
            )
        return False


class ContentSecurityPolicyMiddleware:
    """ASD STIG V-222602 (XSS): a Content-Security-Policy that allows scripts from this origin only —
    no inline <script>, no inline event handler (the templates keep every script in static files).
    Sent when settings.CSP_ENABLED (on when DEBUG is off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if settings.CSP_ENABLED and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CSP_POLICY
        return response
