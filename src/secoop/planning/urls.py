"""Planning pages under /planning/ (namespace "planning"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls("plans/", "plan", views.CampaignPlanList, views.PlanDetail, views.plan_edit),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("loes/<int:pk>/", views.LoeDetail.as_view(), name="loe-detail"),
    *record_urls("imos/", "imo", views.ImoList, views.ImoDetail, views.imo_edit),
    path("imos/smart-check/", views.imo_smart_check, name="imo-smart-check"),
    *record_urls(
        "activities/", "activity", views.ActivityList, views.ActivityDetail, views.activity_edit
    ),
    path("activities/<int:pk>/assess/", views.activity_assess, name="activity-assess"),
    path(
        "activities/<int:pk>/<slug:transition>/",
        views.activity_transition,
        name="activity-transition",
    ),
    *record_urls(
        "country-plans/",
        "country-plan",
        views.CountryPlanList,
        views.CountryPlanDetail,
        views.country_plan_edit,
    ),
    *record_urls(
        "assumptions/",
        "assumption",
        views.AssumptionList,
        views.AssumptionDetail,
        views.assumption_edit,
    ),
    path("assumptions/<int:pk>/review/", views.assumption_review, name="assumption-review"),
    *record_urls("guidance/", "guidance", views.GuidanceList, views.GuidanceDetail),
    path("events/", views.PlanningEventList.as_view(), name="events"),
]
