from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "csphub.casework"
    verbose_name = "Casework"

    def ready(self):
        from csphub.intelligence.hooks import provide_briefing_section

        from .briefing import open_projects_section

        provide_briefing_section(open_projects_section)

        from csphub.structure.hooks import HandOver, provide_hand_over

        from . import handover

        provide_hand_over(HandOver(handover.open_work, handover.hand_over))

        from csphub.performance.hooks import provide_kpi_counter

        from .response import count_response_kpis

        provide_kpi_counter(count_response_kpis)
