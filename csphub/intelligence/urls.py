from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("data/", views.data_status, name="data-status"),
    path("data/upload/", views.upload, name="upload"),
    path("data/imports/<int:pk>/", views.import_job, name="import-job"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("briefings/", views.briefing_list, name="briefing-list"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("briefings/<int:pk>/pdf/", views.briefing_pdf, name="briefing-pdf"),
]
