from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "csphub.meetings"
    verbose_name = "Meetings"

    def ready(self):
        from csphub.casework.hooks import provide_digest_items

        from .digest import overdue_report_backs

        provide_digest_items(overdue_report_backs)
