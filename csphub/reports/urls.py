from django.urls import path

from . import views
from .views import ccfa, influence, open311

app_name = "reports"

urlpatterns = [
    path("report/", views.start, name="start"),
    path("report/follow/<str:token>/", views.follow, name="follow"),
    path(
        "report/follow/<str:token>/reopen/", views.follow_reopen, name="follow-reopen"
    ),
    path(
        "report/follow/<str:token>/satisfaction/",
        views.follow_satisfaction,
        name="follow-satisfaction",
    ),
    path("report/<slug:slug>/", views.step, name="step"),
    path("reports/", views.staff_list, name="staff-list"),
    path("reports/enter/", views.staff_enter, name="staff-enter"),
    path("reports/case-reviews/", views.review_list, name="review-list"),
    path(
        "reports/case-reviews/<str:reference>/",
        views.review_detail,
        name="review-detail",
    ),
    path(
        "reports/case-reviews/<str:reference>/submit/",
        views.review_submit,
        name="review-submit",
    ),
    path(
        "reports/case-reviews/<str:reference>/<slug:action>/",
        views.review_step,
        name="review-step",
    ),
    path("reports/ccfa/<int:pk>/", ccfa.ccfa_detail, name="ccfa-detail"),
    path("reports/ccfa/<int:pk>/pack.pdf", ccfa.ccfa_pdf, name="ccfa-pdf"),
    path("reports/<str:reference>/ccfa/", ccfa.ccfa_open, name="ccfa-open"),
    path("reports/<str:reference>/", views.staff_detail, name="staff-detail"),
    path("reports/<str:reference>/status/", views.staff_status, name="staff-status"),
    path("reports/<str:reference>/reroute/", views.staff_reroute, name="staff-reroute"),
    path("reports/<str:reference>/merge/", views.staff_merge, name="staff-merge"),
    path("reports/<str:reference>/raise/", views.staff_raise, name="staff-raise"),
    path(
        "open311/v2/services.<str:fmt>", open311.services_list, name="open311-services"
    ),
    path("open311/v2/requests.<str:fmt>", open311.requests, name="open311-requests"),
    path(
        "open311/v2/requests/<str:reference>.<str:fmt>",
        open311.request_detail,
        name="open311-request",
    ),
    path("your-area/", influence.index, name="influence"),
    path(
        "your-area/<slug:partnership>/wards/<str:code>/",
        influence.ward,
        name="influence-ward",
    ),
    path(
        "your-area/<slug:partnership>/zones/<slug:slug>/",
        influence.zone,
        name="influence-zone",
    ),
    path("community-trigger/", views.figures, name="trigger-figures"),
    path("community-trigger/figures.csv", views.figures_csv, name="trigger-csv"),
    path("community-trigger/apply/", views.apply, name="trigger-apply"),
    path(
        "community-trigger/applications/<str:token>/",
        views.applicant,
        name="trigger-applicant",
    ),
    path(
        "community-trigger/applications/<str:token>/pcc/",
        views.applicant_pcc,
        name="trigger-applicant-pcc",
    ),
]
