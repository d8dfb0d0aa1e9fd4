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
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("secoop.core.urls")),
]
