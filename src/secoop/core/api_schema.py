"""The OpenAPI schema and its browsable docs (issue 10 item 10).

Generating the schema walks every viewset and serializer: seconds of CPU and ~400 KB each time. It
depends on the code only — `SERVE_PUBLIC` builds it without looking at who asks — so it is built
once per process (per API version and language) and kept in memory, and it is served to signed-in
users only, so that an anonymous caller cannot spend the server's CPU on it.
"""

from __future__ import annotations

import threading

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularRedocView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

_schemas: dict[tuple, dict] = {}
_lock = threading.Lock()


def clear_schema_cache() -> None:
    _schemas.clear()


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language(), self.urlconf)
        schema = _schemas.get(key)
        if schema is None:
            with _lock:  # parallel first requests build it once
                schema = _schemas.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = _schemas[key] = generator.get_schema(request=None, public=True)
        return Response(
            data=schema,
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


class _SignedInDocs:
    """The HTML docs send an anonymous browser to the logon page, like every other page."""

    permission_classes = [IsAuthenticated]

    def permission_denied(self, request, message=None, code=None):
        if not request.user or not request.user.is_authenticated:
            raise _LoginRedirect(request.get_full_path())
        super().permission_denied(request, message=message, code=code)

    def handle_exception(self, exc):
        if isinstance(exc, _LoginRedirect):
            return redirect_to_login(exc.next_url)
        return super().handle_exception(exc)


class _LoginRedirect(Exception):
    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.next_url = next_url


class SwaggerView(_SignedInDocs, SpectacularSwaggerSplitView):
    """Its script is served from `?script`, not inline (Content-Security-Policy)."""


class RedocView(_SignedInDocs, SpectacularRedocView):
    """Redoc from drf-spectacular-sidecar, with no inline script and no web fonts (templates/api/redoc.html)."""
