"""Pages under /eum/ (namespace "eum"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import views

app_name = "eum"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls(
        "articles/", "article", views.ArticleList, views.ArticleDetail, create=views.article_create
    ),
    path("articles/<int:pk>/inventory/", views.checklist, name="checklist"),
    path("articles/<int:pk>/inventory.xlsx", views.checklist_xlsx, name="checklist-xlsx"),
    path("articles/<int:pk>/inventory/import/", views.checklist_import, name="checklist-import"),
    *record_urls("checks/", "check", views.CheckList, views.CheckDetail),
    *record_urls(
        "violations/",
        "violation",
        views.ViolationList,
        views.ViolationDetail,
        create=views.violation_create,
    ),
    *record_urls("visits/", "visit", views.VisitList, views.VisitDetail, create=views.visit_create),
    *record_urls(
        "reports/", "report", views.ReportList, views.ReportDetail, create=views.report_create
    ),
    *record_urls(
        "reviews/", "review", views.ReviewList, views.ReviewDetail, create=views.review_create
    ),
    *record_urls("plans/", "plan", views.PlanList, views.PlanDetail, views.plan_edit),
    *record_urls(
        "requests/", "request", views.RequestList, views.RequestDetail, create=views.request_create
    ),
    *record_urls(
        "notices/", "notice", views.NoticeList, views.NoticeDetail, create=views.notice_create
    ),
    path("<slug:kind>/<int:pk>/do/<slug:name>/", views.act, name="act"),
]
