from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "csphub.structure"
    verbose_name = "Structure"
