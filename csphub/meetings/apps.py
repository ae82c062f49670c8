from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "csphub.meetings"
    verbose_name = "Meetings"

    def ready(self):
        from csphub.casework.hooks import provide_digest_items
        from csphub.structure.hooks import provide_review_findings

        from .digest import overdue_report_backs
        from .review import effectiveness_findings

        provide_digest_items(overdue_report_backs)
        provide_review_findings(effectiveness_findings)
