from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    verbose_name = "Partnerships and accounts"
