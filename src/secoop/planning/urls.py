"""Planning pages under /planning/ (namespace "planning"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls(
        "plans/",
        "plan",
        listing=views.CampaignPlanList,
        detail=views.PlanDetail,
        edit=views.plan_edit,
    ),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("loes/<int:pk>/", views.LoeDetail.as_view(), name="loe-detail"),
    *record_urls(
        "imos/", "imo", listing=views.ImoList, detail=views.ImoDetail, edit=views.imo_edit
    ),
    path("imos/smart-check/", views.imo_smart_check, name="imo-smart-check"),
    *record_urls(
        "activities/",
        "activity",
        listing=views.ActivityList,
        detail=views.ActivityDetail,
        edit=views.activity_edit,
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
        listing=views.CountryPlanList,
        detail=views.CountryPlanDetail,
        edit=views.country_plan_edit,
    ),
    *record_urls(
        "assumptions/",
        "assumption",
        listing=views.AssumptionList,
        detail=views.AssumptionDetail,
        edit=views.assumption_edit,
    ),
    path("assumptions/<int:pk>/review/", views.assumption_review, name="assumption-review"),
    path("guidance/", views.GuidanceList.as_view(), name="guidance"),
    path("guidance/<int:pk>/", views.GuidanceDetail.as_view(), name="guidance-detail"),
    path("events/", views.PlanningEventList.as_view(), name="events"),
]
