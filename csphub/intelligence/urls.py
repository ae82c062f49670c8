from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("data/", views.data_status, name="data-status"),
    path("data/upload/", views.upload, name="upload"),
    path("data/imports/<int:pk>/", views.import_job, name="import-job"),
]
