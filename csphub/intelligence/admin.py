from django.contrib import admin

from .models import Briefing, DataSet, FlagChange, SourceFile


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "force", "month", "rows_read", "rows_loaded"]
    list_filter = ["partnership", "force"]
    readonly_fields = [f.name for f in SourceFile._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "organisation", "slug"]
    list_filter = ["partnership"]


@admin.register(FlagChange)
class FlagChangeAdmin(admin.ModelAdmin):
    list_display = ["incident_label", "flag", "value", "recorded_by", "recorded_at"]
    readonly_fields = [f.name for f in FlagChange._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    """Stored briefings, read-only: prepare them from the briefings page."""

    list_display = ["__str__", "partnership", "month", "status", "created_at"]
    list_filter = ["partnership", "status"]
    exclude = ["results"]  # large; the briefing page shows it
    readonly_fields = [f.name for f in Briefing._meta.fields if f.name != "results"]

    def has_add_permission(self, request):
        return False
