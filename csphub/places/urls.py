from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("<str:code>.geojson", views.area_geojson, name="area-geojson"),
]
