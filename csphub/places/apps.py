from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "csphub.places"
    verbose_name = "Places"
