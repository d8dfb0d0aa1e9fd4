"""Pages under /assessment/ (namespace "assessment"); the API is in api.py."""

from django.urls import path

from secoop.core.form_routes import form_urls
from secoop.core.viewkit import record_urls

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls("results/", "result", views.ResultList, views.ResultDetail),
    *record_urls("indicators/", "indicator", views.IndicatorList, views.IndicatorDetail),
    path("indicators/<int:pk>/report/", views.report, name="indicator-report"),
    *record_urls("updates/", "update", views.UpdateList, views.UpdateDetail),
    path("updates/<int:pk>/do/<str:what>/", views.update_act, name="update-act"),
    *record_urls("evaluations/", "evaluation", views.EvaluationList, views.EvaluationDetail),
    path("evaluations/<int:pk>/do/<str:what>/", views.evaluation_act, name="evaluation-act"),
    *record_urls("lessons/", "lesson", views.LessonList, views.LessonDetail),
    path("objectives/<int:pk>/", views.objective, name="objective"),
    path("campaign-objectives/<int:pk>/", views.campaign_objective, name="campaign-objective"),
    path("return-on-investment/", views.roi, name="roi"),
    *record_urls(
        "campaign-assessments/",
        "campaign",
        views.CampaignAssessmentList,
        views.CampaignAssessmentDetail,
        list_name="campaigns",
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
    *form_urls("results/", "result", views.result_edit),
    *form_urls("indicators/", "indicator", views.indicator_edit),
    path("indicators/<int:indicator_pk>/periods/new/", views.period_edit, name="period-create"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period-edit"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    *form_urls("evaluations/", "evaluation", views.evaluation_edit),
    path("evaluations/<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/evidence/", views.finding_evidence, name="finding-evidence"),
    *form_urls("lessons/", "lesson", views.lesson_edit),
]
