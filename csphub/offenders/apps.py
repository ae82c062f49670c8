from django.apps import AppConfig


class OffendersConfig(AppConfig):
    name = "csphub.offenders"
    verbose_name = "Integrated Offender Management"

    def ready(self):
        from . import governance

        governance.register()
