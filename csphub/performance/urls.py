from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:slug>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<slug:slug>/values/", views.measurement_add, name="value-add"),
    path(
        "indicators/<slug:slug>/board-report/",
        views.board_report_edit,
        name="board-report",
    ),
    path("import/", views.import_values, name="import"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/open/", views.review_open, name="review-open"),
    path("reviews/<str:period>/", views.review_detail, name="review"),
    path("reviews/<str:period>/<slug:slug>/rate/", views.rating_edit, name="rate"),
    path(
        "reviews/<str:period>/<slug:slug>/context/",
        views.context_edit,
        name="context",
    ),
    path("reviews/<str:period>/highlight/", views.highlight, name="highlight"),
    path("scorecard/<slug:partnership>/", views.scorecard, name="scorecard"),
]
