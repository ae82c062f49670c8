from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    verbose_name = "Partnerships and accounts"

    def ready(self):
        from . import retention, trail

        trail.connect()
        retention.register_own()
