from django.urls import path

from . import views
from .datasets import views as dataset_views

app_name = "intelligence"

urlpatterns = [
    path("data/", views.data_status, name="data-status"),
    path("data/upload/", views.upload, name="upload"),
    path("data/imports/<int:pk>/", views.import_job, name="import-job"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("briefings/", views.briefing_list, name="briefing-list"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing-detail"),
    path("briefings/<int:pk>/pdf/", views.briefing_pdf, name="briefing-pdf"),
    # Partner data sets and incidents (datasets/views.py).
    path("datasets/", dataset_views.dataset_list, name="dataset-list"),
    path("datasets/add/", dataset_views.dataset_add, name="dataset-add"),
    path(
        "datasets/imports/<int:pk>/",
        views.import_job,
        {"partner": True},
        name="dataset-import-job",
    ),
    path("datasets/<slug:slug>/", dataset_views.dataset_detail, name="dataset-detail"),
    path(
        "datasets/<slug:slug>/mapping/",
        dataset_views.dataset_mapping,
        name="dataset-mapping",
    ),
    path(
        "datasets/<slug:slug>/sample/",
        dataset_views.dataset_sample,
        name="dataset-sample",
    ),
    path("datasets/<slug:slug>/upload/", views.upload, name="dataset-upload"),
    path("incidents/<int:pk>/", dataset_views.incident_detail, name="incident-detail"),
    path(
        "incidents/<int:pk>/flags/", dataset_views.incident_flags, name="incident-flags"
    ),
    path("harm-weights/", views.harm_weights, name="harm-weights"),
]
