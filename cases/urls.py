from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("list/", views.case_list, name="list"),
    path("list/export.csv", views.case_list_export, name="list_export"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/steps/<slug:key>/", views.case_step, name="step"),
    path("<int:pk>/export.json", views.case_export, name="export"),
    path("documents/<int:pk>.pdf", views.document_pdf, name="document_pdf"),
    path("<int:pk>/evidence/<int:evidence_pk>/file", views.evidence_file, name="evidence_file"),
    path("<int:pk>/waiver-statement", views.waiver_statement, name="waiver_statement"),
    path("reviews/", views.review_queue, name="reviews"),
    path("spot/", views.spot_form, name="spot"),
    path("devices/", views.device_list, name="devices"),
    path("cooperation/", views.cooperation, name="cooperation"),
    path("referrals/", views.referral_ledger, name="referrals"),
    path("assistance/", views.assistance_list, name="assistance"),
]
