from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.borough_map, name="map"),
    path("areas/<str:code>/", views.area_detail, name="area-detail"),
    path("zones/<slug:slug>/", views.zone_detail, name="zone-detail"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("health/", views.health, name="health"),
    path("areas/<str:code>/contact/", views.area_contact, name="area-contact"),
    path("zones/<slug:slug>/contact/", views.zone_contact, name="zone-contact"),
    path("search/", views.search_page, name="search"),
]
