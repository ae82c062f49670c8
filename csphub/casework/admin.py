from django.contrib import admin

from .models import Action, DigestSetting, Escalation, Issue, Project, Tasking


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "theme", "status", "restricted", "raised_at"]
    list_filter = ["status", "theme", "restricted"]
    search_fields = ["title"]
    raw_id_fields = ["body", "ward", "lsoa", "zone", "raised_by", "priority"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "owner", "organisation", "due", "status"]
    raw_id_fields = ["issue", "owner", "created_by"]


admin.site.register([Escalation, Tasking, Project, DigestSetting])
