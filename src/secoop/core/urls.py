"""Core's pages and API routes. The apps' routes are included beside these from secoop/urls.py:
core knows no app."""

from django.urls import include
from django.urls import path
from rest_framework.routers import DefaultRouter

from . import access_views
from . import api
from . import list_exports
from . import rule_views
from . import views
from .viewkit import record_urls

router = DefaultRouter()
router.register("countries", api.CountryViewSet, basename="country")
router.register("organizations", api.OrganizationViewSet, basename="organization")
router.register("documents", api.DocumentViewSet, basename="document")
router.register("users", api.UserViewSet, basename="user")
router.register("changes", api.ChangeLogViewSet, basename="change")
router.register("notifications", api.NotificationViewSet, basename="notification")
router.register("auth/tokens", api.ApiTokenViewSet, basename="api-token-record")

api_urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.logon, name="login"),
    path("logout/", views.logoff, name="logout"),
    path("account/", views.my_account, name="my-account"),
    path("account/password/", views.PasswordChange.as_view(), name="password-change"),
    path("account/tokens/", views.my_tokens, name="my-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.my_token_revoke, name="my-token-revoke"),
    *record_urls(
        "organizations/",
        "organization",
        views.OrganizationList,
        views.OrganizationDetail,
        views.organization_edit,
    ),
    path("countries/", views.CountryList.as_view(), name="countries"),
    path("countries/<str:alpha3>/", views.CountryDetail.as_view(), name="country-detail"),
    *record_urls(
        "documents/", "document", views.DocumentList, views.DocumentDetail, views.document_edit
    ),
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
    *record_urls("people/", "person", views.PersonList, views.PersonDetail),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person-unlock"),
    path("people/<int:pk>/access/", access_views.access_request_new, name="access-request-new"),
    path("access-requests/", access_views.access_requests, name="access-requests"),
    path(
        "access-requests/<int:pk>/approve/",
        access_views.access_request_approve,
        name="access-request-approve",
    ),
    path(
        "access-requests/<int:pk>/refuse/",
        access_views.access_request_refuse,
        name="access-request-refuse",
    ),
    path("rules/", rule_views.rule_index, name="rules"),
    path("rules/<str:rule_id>/", rule_views.rule_detail, name="rule-detail"),
    path("exports/<int:pk>/", list_exports.job_page, name="export-job"),
    path("exports/<int:pk>/file/", list_exports.job_file, name="export-job-file"),
    *record_urls("changes/", "change", views.ChangeLogList, views.ChangeLogDetail),
    path("marking/check/", views.marking_check, name="marking-check"),
    *record_urls(
        "notifications/", "notification", views.NotificationList, views.NotificationDetail
    ),
    path(
        "notifications/<int:pk>/acknowledge/",
        views.notification_acknowledge,
        name="notification-acknowledge",
    ),
]
