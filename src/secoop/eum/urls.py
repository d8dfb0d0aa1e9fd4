"""Pages under /eum/ (namespace "eum"); the API is in api.py."""

from django.urls import path

from . import views

app_name = "eum"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/new/", views.article_create, name="article-create"),
    path("articles/<int:pk>/", views.ArticleDetail.as_view(), name="article-detail"),
    path("articles/<int:pk>/inventory/", views.checklist, name="checklist"),
    path("articles/<int:pk>/inventory.xlsx", views.checklist_xlsx, name="checklist-xlsx"),
    path("articles/<int:pk>/inventory/import/", views.checklist_import, name="checklist-import"),
    path("checks/", views.CheckList.as_view(), name="checks"),
    path("checks/<int:pk>/", views.CheckDetail.as_view(), name="check-detail"),
    path("violations/", views.ViolationList.as_view(), name="violations"),
    path("violations/new/", views.violation_create, name="violation-create"),
    path("violations/<int:pk>/", views.ViolationDetail.as_view(), name="violation-detail"),
    path("visits/", views.VisitList.as_view(), name="visits"),
    path("visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.VisitDetail.as_view(), name="visit-detail"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/new/", views.report_create, name="report-create"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="report-detail"),
    path("reviews/", views.ReviewList.as_view(), name="reviews"),
    path("reviews/new/", views.review_create, name="review-create"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="review-detail"),
    path("plans/", views.PlanList.as_view(), name="plans"),
    path("plans/new/", views.plan_edit, name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("requests/", views.RequestList.as_view(), name="requests"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request-detail"),
    path("notices/", views.NoticeList.as_view(), name="notices"),
    path("notices/new/", views.notice_create, name="notice-create"),
    path("notices/<int:pk>/", views.NoticeDetail.as_view(), name="notice-detail"),
    path("<slug:kind>/<int:pk>/do/<slug:name>/", views.act, name="act"),
]
