"""Pages under /cases/ (namespace "cases"); the API is in api.py."""

from django.urls import path

from secoop.core.viewkit import record_urls

from . import exports
from . import metrics_views
from . import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    *record_urls(
        "lors/", "lor", views.LorList, views.LorDetail, views.lor_edit, step=views.lor_action
    ),
    *record_urls(
        "ctas/", "cta", views.CtaList, views.CtaDetail, views.cta_edit, step=views.cta_action
    ),
    path("list/", views.CaseList.as_view(), name="cases"),
    path("new/", views.case_edit, name="case-create"),
    path("<int:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("<int:pk>/milestone/<slug:name>/", views.case_milestone, name="case-milestone"),
    path("<int:pk>/add/<slug:kind>/", views.case_child_new, name="case-add"),
    path("<int:pk>/change/", views.amendment_new, name="amendment-create"),
    path("<int:pk>/loa.pdf", exports.loa_pdf, name="case-loa-pdf"),
    path("<int:pk>/loa.docx", exports.loa_docx, name="case-loa-docx"),
    path("<int:pk>/status.xlsx", exports.status_xlsx, name="case-status-xlsx"),
    path("amendments/<int:pk>/", views.AmendmentDetail.as_view(), name="amendment-detail"),
    path("amendments/<int:pk>/accept/", views.amendment_accept, name="amendment-accept"),
    path("deliveries/", views.DeliveryList.as_view(), name="deliveries"),
    path("deliveries/<int:pk>/deliver/", views.delivery_deliver, name="delivery-deliver"),
    *record_urls("sdrs/", "sdr", views.SdrList, views.SdrDetail),
    path("sdrs/<int:pk>/reply/", views.sdr_reply, name="sdr-reply"),
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document-delete"),
    path("metrics/", metrics_views.dashboard, name="metrics"),
    # fmsclssa: emergency implementation (SAMM C6.1.2), the deposit, CLSSA requisitions
    path("<int:pk>/emergency/", views.case_emergency_request, name="case-emergency"),
    path("emergency/<int:pk>/<slug:name>/", views.emergency_decide, name="emergency-decide"),
    path("<int:pk>/deposit/", views.case_deposit, name="case-deposit"),
    path("<int:pk>/requisition/", views.case_requisition, name="case-requisition"),
]

# === closure and billing (issue 13 items 6–7) ======================================================
urlpatterns += [
    path("<int:pk>/closhold/<slug:step>/", views.case_closhold, name="case-closhold"),
    path("<int:pk>/close-line/", views.case_close_line, name="case-close-line"),
    path("<int:pk>/contracts-closed/", views.case_contracts_closed, name="case-contracts-closed"),
    path("<int:pk>/dd645/", views.case_dd645_issue, name="case-dd645"),
    path("<int:pk>/dd645.xlsx", exports.dd645_xlsx, name="case-dd645-xlsx"),
    path("<int:pk>/dd645.pdf", exports.dd645_pdf, name="case-dd645-pdf"),
    path(
        "<int:pk>/closure-certificate.pdf",
        exports.closure_certificate_pdf,
        name="case-closure-certificate",
    ),
]


# === Excess Defense Articles and DCS license requests (dcseda) ===================================
urlpatterns += [
    *record_urls(
        "eda/",
        "eda",
        views.EdaList,
        views.EdaDetail,
        views.eda_edit,
        step=views.eda_action,
        list_name="eda-offers",
    ),
    *record_urls(
        "dcs/",
        "dcs",
        views.DcsList,
        views.DcsDetail,
        views.dcs_edit,
        step=views.dcs_action,
        list_name="dcs-licenses",
    ),
]
