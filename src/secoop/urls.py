from django.contrib import admin
from django.urls import include
from django.urls import path

from secoop.analysis import api as analysis_api
from secoop.assessment import api as assessment_api
from secoop.budget import api as budget_api
from secoop.cases import api as cases_api
from secoop.core import urls as core_urls
from secoop.core.api_schema import RedocView
from secoop.core.api_schema import SchemaView
from secoop.core.api_schema import SwaggerView
from secoop.eum import api as eum_api
from secoop.planning import api as planning_api
from secoop.training import api as training_api

admin.site.site_header = "secoop administration"
admin.site.site_title = "secoop admin"

# Each app's API under its prefix, beside core's; each app's pages likewise (core knows no app).
api_urlpatterns = [
    *core_urls.api_urlpatterns,
    path("planning/", include(planning_api.urlpatterns)),
    path("cases/", include(cases_api.urlpatterns)),
    path("training/", include(training_api.urlpatterns)),
    path("analysis/", include(analysis_api.urlpatterns)),
    path("eum/", include(eum_api.urlpatterns)),
    path("budget/", include(budget_api.urlpatterns)),
    path("assessment/", include(assessment_api.urlpatterns)),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Signed-in users only (core/api_schema.py); both served from drf-spectacular-sidecar through
    # whitenoise, with `lang` (templates/api/); Swagger's own script comes from a URL, not inline (CSP).
    path(
        "api/docs/",
        SwaggerView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        RedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    path("", include(core_urls.urlpatterns)),
    path("planning/", include("secoop.planning.urls")),
    path("planning/", include("secoop.planning.matrix.urls")),
    path("cases/", include("secoop.cases.urls")),
    path("training/", include("secoop.training.urls")),
    path("analysis/", include("secoop.analysis.urls")),
    path("eum/", include("secoop.eum.urls")),
    path("budget/", include("secoop.budget.urls")),
    path("assessment/", include("secoop.assessment.urls")),
]

# The product's own error pages with DEBUG off; JSON under /api/ (core/error_views.py).
handler400 = "secoop.core.error_views.bad_request"
handler403 = "secoop.core.error_views.permission_denied"
handler404 = "secoop.core.error_views.page_not_found"
handler500 = "secoop.core.error_views.server_error"
