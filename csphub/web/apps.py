from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "csphub.web"
    verbose_name = "Web"

    def ready(self):
        from .search_index import connect

        connect()
