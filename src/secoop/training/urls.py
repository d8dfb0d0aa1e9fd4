"""Pages under /training/ (namespace "training"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls("courses/", "course", views.CourseList, views.CourseDetail),
    path("courses/import/", views.course_import, name="course-import"),
    *record_urls("plans/", "plan", views.PlanList, views.PlanDetail, create=views.plan_create),
    path("plans/<int:pk>/do/<str:what>/", views.plan_act, name="plan-act"),
    path("cetpps/<int:pk>/", views.CetppDetail.as_view(), name="cetpp-detail"),
    path("cetpps/<int:pk>/<str:transition>/", views.cetpp_transition, name="cetpp-transition"),
    *record_urls("students/", "student", views.StudentList, views.StudentDetail),
    path("students/nominate/", views.student_nominate, name="student-nominate"),
    path("students/<int:pk>/do/<str:what>/", views.student_act, name="student-act"),
    path("courses/<int:pk>/correct/", views.correct, {"kind": "course"}, name="course-correct"),
    path("plans/<int:pk>/correct/", views.correct, {"kind": "plan"}, name="plan-correct"),
    path("students/<int:pk>/correct/", views.correct, {"kind": "student"}, name="student-correct"),
    path("itos/<int:pk>/pdf/", views.ito_pdf, name="ito-pdf"),
    path("reports/fmt/", views.fmt_report, name="fmt-report"),
    path("settings/", views.training_settings, name="settings"),
]
