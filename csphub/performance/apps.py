from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "csphub.performance"
    verbose_name = "Performance"
