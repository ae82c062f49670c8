from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "csphub.reports"
    verbose_name = "Residents' reports"
