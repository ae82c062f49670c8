from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "csphub.web"
    verbose_name = "Web"
