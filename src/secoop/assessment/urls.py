"""Pages under /assessment/ (namespace "assessment"); the API is in api.py."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("results/", views.ResultList.as_view(), name="results"),
    path("results/<int:pk>/", views.ResultDetail.as_view(), name="result-detail"),
    path("indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator-detail"),
    path("indicators/<int:pk>/report/", views.report, name="indicator-report"),
    path("updates/", views.UpdateList.as_view(), name="updates"),
    path("updates/<int:pk>/", views.UpdateDetail.as_view(), name="update-detail"),
    path("updates/<int:pk>/do/<str:what>/", views.update_act, name="update-act"),
    path("evaluations/", views.EvaluationList.as_view(), name="evaluations"),
    path("evaluations/<int:pk>/", views.EvaluationDetail.as_view(), name="evaluation-detail"),
    path("evaluations/<int:pk>/do/<str:what>/", views.evaluation_act, name="evaluation-act"),
    path("lessons/", views.LessonList.as_view(), name="lessons"),
    path("lessons/<int:pk>/", views.LessonDetail.as_view(), name="lesson-detail"),
    path("objectives/<int:pk>/", views.objective, name="objective"),
    path("campaign-objectives/<int:pk>/", views.campaign_objective, name="campaign-objective"),
    path("return-on-investment/", views.roi, name="roi"),
    path("campaign-assessments/", views.CampaignAssessmentList.as_view(), name="campaigns"),
    path(
        "campaign-assessments/<int:pk>/",
        views.CampaignAssessmentDetail.as_view(),
        name="campaign-detail",
    ),
    path("campaign-assessments/<int:pk>/do/<str:what>/", views.campaign_act, name="campaign-act"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path(
        "results/<int:pk>/public-release/",
        views.public_release,
        {"kind": "results"},
        name="result-public-release",
    ),
    path(
        "indicators/<int:pk>/public-release/",
        views.public_release,
        {"kind": "indicators"},
        name="indicator-public-release",
    ),
    path("activities/<int:pk>/do/<str:what>/", views.activity_act, name="activity-act"),
    # forms (issue 17: results, indicators, periods, updates, evaluations, findings, lessons)
    path("results/new/", views.result_edit, name="result-create"),
    path("results/<int:pk>/edit/", views.result_edit, name="result-edit"),
    path("indicators/new/", views.indicator_edit, name="indicator-create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:indicator_pk>/periods/new/", views.period_edit, name="period-create"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period-edit"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("evaluations/new/", views.evaluation_edit, name="evaluation-create"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation-edit"),
    path("evaluations/<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/evidence/", views.finding_evidence, name="finding-evidence"),
    path("lessons/new/", views.lesson_edit, name="lesson-create"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson-edit"),
]
