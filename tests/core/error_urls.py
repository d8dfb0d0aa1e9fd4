"""URLconf for tests/core/test_error_pages.py: the product's URLs and error handlers, plus routes that
fail on purpose (a crash, a bad request, a refusal) inside and outside /api/."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.urls import path

from secoop.urls import handler400
from secoop.urls import handler403
from secoop.urls import handler404
from secoop.urls import handler500
from secoop.urls import urlpatterns as product_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def crash(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a forged request")


def refused(request):
    raise PermissionDenied("Only the owning SCO may do this.")


urlpatterns = [
    path("boom/", crash),
    path("api/boom/", crash),
    path("suspicious/", suspicious),
    path("api/suspicious/", suspicious),
    path("refused/", refused),
    path("api/refused/", refused),
    *product_urls,
]
