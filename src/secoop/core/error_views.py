"""The product's own error pages (platform, issue 11 §5): with DEBUG off a user who opens a page
that does not exist, or one they may not see, gets a USWDS page with the classification banner, never
Django's debug page. Under /api/ the answer stays JSON in DRF's shape (`{"detail": …}`).

400 and 500 render without the request: a 400 may come from a request whose Host header is refused,
and a 500 may come from a database that is down, so neither may run the context processors."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.http import JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"

MESSAGES = {
    400: "The request could not be understood. Check what was sent and try again.",
    403: "You do not have permission to do this.",
    404: "There is no such page, or no record here that you may see.",
    500: "Something went wrong on our side; nothing was changed. Try again, and tell an administrator "
    "if it happens again.",
}


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _plain_page(status: int, template: str) -> HttpResponse:
    """A page that needs neither the request nor the database."""
    body = loader.get_template(template).render(
        {"SYSTEM_CEILING": settings.MAX_CLASSIFICATION, "message": MESSAGES[status]}
    )
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    if _is_api(request):
        return _json(400, MESSAGES[400])
    return _plain_page(400, "400.html")


@requires_csrf_token
def permission_denied(request, exception=None):
    detail = str(exception) if exception is not None and str(exception) else MESSAGES[403]
    if _is_api(request):
        return _json(403, detail)
    body = loader.get_template("403.html").render({"exception": detail}, request)
    return HttpResponse(body, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(404, "Not found.")
    body = loader.get_template("404.html").render({"request_path": request.path}, request)
    return HttpResponse(body, status=404)


@requires_csrf_token
def server_error(request):
    if _is_api(request):
        return _json(500, MESSAGES[500])
    return _plain_page(500, "500.html")
