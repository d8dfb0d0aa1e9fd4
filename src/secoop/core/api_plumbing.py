"""API settings hooks (pagination, errors). Kept apart from api_base so that DRF can import
them while its own modules load."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import RuleViolation


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Domain errors from the actions layer become 400 (bad input) or 403 (not permitted)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
            detail = {("marking" if k in ("classification", "dissemination", "rel_to") else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        response = Response(detail, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, RuleViolation) and exc.rule:
            response["X-Rule"] = exc.rule
        return response
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc) or "You do not have permission to do this."}, status=403)
    return drf_exception_handler(exc, context)
