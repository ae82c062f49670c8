from django.urls import path

from . import views

app_name = "offenders"

urlpatterns = [
    path("", views.cohort, name="cohort"),
    path("reason/", views.reason, name="reason"),
    path("cohort.csv", views.cohort_export, name="cohort-export"),
    path("import/", views.upload, name="import"),
    path("measures/", views.measures, name="measures"),
    path("pathways/", views.pathways, name="pathways"),
    path("nominals/<str:code>/", views.nominal_detail, name="nominal"),
    path("nominals/<str:code>/needs/", views.needs_assess, name="needs-assess"),
    path(
        "nominals/<str:code>/interventions/",
        views.intervention_add,
        name="intervention-add",
    ),
    path(
        "interventions/<int:pk>/",
        views.intervention_progress,
        name="intervention-progress",
    ),
    path("nominals/<str:code>/referrals/", views.referral_add, name="referral-add"),
    path(
        "referrals/<int:pk>/response/",
        views.referral_response,
        name="referral-response",
    ),
    path("budgets/", views.pilot_list, name="pilots"),
    path("budgets/start/", views.pilot_add, name="pilot-add"),
    path("budgets/<int:pk>/", views.pilot_detail, name="pilot"),
    path("budgets/<int:pk>/allocate/", views.allocation_add, name="allocation-add"),
    path("allocations/<int:pk>/spend/", views.spend_add, name="spend-add"),
]
