from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "csphub.web"
    verbose_name = "Web"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
        from .search_index import connect

        connect()
