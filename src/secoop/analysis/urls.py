"""Analysis pages under /analysis/ (namespace "analysis"); the API is in api.py."""

from django.urls import path

from secoop.core.form_routes import form_urls
from secoop.core.viewkit import record_urls

from . import views

app_name = "analysis"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls(
        "programs/",
        "program",
        views.ProgramList,
        views.ProgramDetail,
        views.program_edit,
        create=views.program_create,
    ),
    *record_urls(
        "analyses/",
        "analysis",
        listing=views.AnalysisList,
        detail=views.AnalysisDetail,
        edit=views.analysis_edit,
    ),
    path(
        "analyses/<int:pk>/<slug:transition>/",
        views.analysis_transition,
        name="analysis-transition",
    ),
    *form_urls("gaps/", "gap", views.gap_edit),
    *form_urls("resources/", "resource", views.resource_edit),
    path("options/new/", views.option_edit, name="option-create"),
    path("options/<int:pk>/", views.OptionDetail.as_view(), name="option-detail"),
    path("options/<int:pk>/edit/", views.option_edit, name="option-edit"),
    *record_urls(
        "scenarios/",
        "scenario",
        listing=views.ScenarioList,
        detail=views.ScenarioDetail,
        edit=views.scenario_edit,
    ),
    path("scenarios/<int:pk>/solve/", views.scenario_solve, name="scenario-solve"),
    path("scenarios/<int:pk>/commit/", views.scenario_commit, name="scenario-commit"),
    path("scenarios/<int:pk>/copy/", views.scenario_copy, name="scenario-copy"),
    path("scenarios/<int:pk>/progress/", views.scenario_progress, name="scenario-progress"),
    path("scenarios/<int:pk>/xlsx/", views.scenario_xlsx, name="scenario-xlsx"),
    path("compare/", views.scenario_compare, name="compare"),
    path("unfunded/", views.unfunded, name="unfunded"),
]
