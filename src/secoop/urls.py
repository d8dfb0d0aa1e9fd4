from django.contrib import admin
from django.urls import include, path

from secoop.core.api_schema import RedocView, SchemaView, SwaggerView
from secoop.core.urls import api_urlpatterns

admin.site.site_header = "secoop administration"
admin.site.site_title = "secoop admin"

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
    path("", include("secoop.core.urls")),
]

# The product's own error pages with DEBUG off; JSON under /api/ (core/error_views.py).
handler400 = "secoop.core.error_views.bad_request"
handler403 = "secoop.core.error_views.permission_denied"
handler404 = "secoop.core.error_views.page_not_found"
handler500 = "secoop.core.error_views.server_error"
