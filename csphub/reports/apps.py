from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "csphub.reports"
    verbose_name = "Residents' reports"

    def ready(self):
        from csphub.intelligence.hooks import provide_briefing_section

        from .briefing import residents_reports_section

        provide_briefing_section(residents_reports_section)

        from . import governance

        governance.register()
