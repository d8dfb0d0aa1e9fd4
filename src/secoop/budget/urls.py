"""Pages under /budget/ (namespace "budget"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/", views.CallDetail.as_view(), name="call-detail"),
    path("steps/<int:pk>/due/", views.call_step, name="step-due"),
    *record_urls(
        "requests/", "request", views.RequestList, views.RequestDetail, create=views.request_create
    ),
    path("requests/<int:pk>/do/<str:what>/", views.request_act, name="request-act"),
    path(
        "requests/<int:request_pk>/requirements/new/",
        views.requirement_edit,
        name="requirement-create",
    ),
    path("requirements/<int:pk>/edit/", views.requirement_edit, name="requirement-edit"),
    path("objectives/new/", views.objective_create, name="objective-create"),
    path("objectives/<int:pk>/", views.ObjectiveDetail.as_view(), name="objective-detail"),
    path("forecasts/", views.ForecastList.as_view(), name="forecasts"),
    path("forecasts/new/", views.forecast_create, name="forecast-create"),
    path("forecasts/<int:pk>/sales/new/", views.sale_create, name="sale-create"),
    path("forecasts/<int:pk>/", views.ForecastDetail.as_view(), name="forecast-detail"),
    path("forecasts/<int:pk>/do/<str:what>/", views.forecast_act, name="forecast-act"),
    path("consonance/<str:country>/", views.consonance_page, name="consonance"),
    path("rollup/", views.rollup, name="rollup"),
]
