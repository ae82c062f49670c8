from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "csphub.intelligence"
    verbose_name = "Intelligence"
