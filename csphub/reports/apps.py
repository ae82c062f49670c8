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
        from csphub.intelligence.hooks import IncidentSource, provide_incident_source

        from .briefing import report_counts, report_lsoa_counts, report_months

        provide_incident_source(
            IncidentSource(
                key="reports:residents",
                name="Residents' reports",
                organisation="Residents, through the partnership's report pages",
                months=report_months,
                counts=report_counts,
                lsoa_counts=report_lsoa_counts,
            )
        )
