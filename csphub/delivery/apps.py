from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "csphub.delivery"
    verbose_name = "Delivery"

    def ready(self):
        from . import hooks

        hooks.register()
