from django.apps import AppConfig


class OffendersConfig(AppConfig):
    name = "csphub.offenders"
    verbose_name = "Integrated Offender Management"
