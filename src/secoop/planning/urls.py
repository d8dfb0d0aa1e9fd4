"""Planning pages under /planning/ (namespace "planning"); the API is in api.py."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.CampaignPlanList.as_view(), name="plans"),
    path("plans/new/", views.plan_edit, name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("loes/<int:pk>/", views.LoeDetail.as_view(), name="loe-detail"),
    path("imos/", views.ImoList.as_view(), name="imos"),
    path("imos/new/", views.imo_edit, name="imo-create"),
    path("imos/smart-check/", views.imo_smart_check, name="imo-smart-check"),
    path("imos/<int:pk>/", views.ImoDetail.as_view(), name="imo-detail"),
    path("imos/<int:pk>/edit/", views.imo_edit, name="imo-edit"),
    path("activities/", views.ActivityList.as_view(), name="activities"),
    path("activities/new/", views.activity_edit, name="activity-create"),
    path("activities/<int:pk>/", views.ActivityDetail.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/assess/", views.activity_assess, name="activity-assess"),
    path(
        "activities/<int:pk>/<slug:transition>/",
        views.activity_transition,
        name="activity-transition",
    ),
    path("country-plans/", views.CountryPlanList.as_view(), name="country-plans"),
    path("country-plans/new/", views.country_plan_edit, name="country-plan-create"),
    path("country-plans/<int:pk>/", views.CountryPlanDetail.as_view(), name="country-plan-detail"),
    path("country-plans/<int:pk>/edit/", views.country_plan_edit, name="country-plan-edit"),
    path("assumptions/", views.AssumptionList.as_view(), name="assumptions"),
    path("assumptions/new/", views.assumption_edit, name="assumption-create"),
    path("assumptions/<int:pk>/", views.AssumptionDetail.as_view(), name="assumption-detail"),
    path("assumptions/<int:pk>/edit/", views.assumption_edit, name="assumption-edit"),
    path("assumptions/<int:pk>/review/", views.assumption_review, name="assumption-review"),
    path("guidance/", views.GuidanceList.as_view(), name="guidance"),
    path("guidance/<int:pk>/", views.GuidanceDetail.as_view(), name="guidance-detail"),
    path("events/", views.PlanningEventList.as_view(), name="events"),
]
