from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "csphub.casework"
    verbose_name = "Casework"

    def ready(self):
        from csphub.intelligence.hooks import provide_briefing_section

        from .briefing import open_projects_section

        provide_briefing_section(open_projects_section)
