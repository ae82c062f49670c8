from django.urls import path

from . import views

app_name = "structure"

urlpatterns = [
    path("", views.structure_map, name="map"),
    path("bodies/", views.body_list, name="body-list"),
    path("bodies/add/", views.body_add, name="body-add"),
    path("bodies/<slug:slug>/", views.body_detail, name="body-detail"),
    path("bodies/<slug:slug>/edit/", views.body_edit, name="body-edit"),
    path("bodies/<slug:slug>/terms/", views.terms_edit, name="terms-edit"),
    path("bodies/<slug:slug>/seats/add/", views.seat_add, name="seat-add"),
    path("bodies/<slug:slug>/change/", views.body_change, name="body-change"),
    path("bodies/<slug:slug>/met/", views.body_met, name="body-met"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat-end"),
    path("review/", views.review, name="review"),
    path("review/record/", views.review_record, name="review-record"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding-decide"),
    path("changes/", views.change_list, name="change-list"),
    path("import/", views.import_csv, name="import"),
    path("export/seats.csv", views.export_seats, name="export-seats"),
    path("export/popolo.json", views.export_popolo, name="export-popolo"),
]
