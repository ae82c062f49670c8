from django.contrib import admin

from .models import (
    AgendaItem,
    Attendance,
    Communication,
    Decision,
    Meeting,
    PackBuild,
    Paper,
    Proposal,
    Question,
    ReportBack,
)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "date", "status", "public"]
    list_filter = ["status", "public"]
    raw_id_fields = ["body", "created_by", "minutes_approved_at"]


admin.site.register(
    [
        AgendaItem,
        Attendance,
        Communication,
        Decision,
        PackBuild,
        Paper,
        Proposal,
        Question,
        ReportBack,
    ]
)
