from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "csphub.strategy"
    verbose_name = "Strategy"
