from django.contrib import admin

from .models import Briefing, DataSet, FlagChange, SourceFile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the app's own flow writes (imports, flag changes, briefings): shown
    read-only, every field but those left out, and never added here."""

    def get_readonly_fields(self, request, obj=None):
        left_out = self.exclude or []
        return [f.name for f in self.model._meta.fields if f.name not in left_out]

    def has_add_permission(self, request):
        return False


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnlyAdmin):
    list_display = ["name", "partnership", "force", "month", "rows_read", "rows_loaded"]
    list_filter = ["partnership", "force"]


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "organisation", "slug"]
    list_filter = ["partnership"]


@admin.register(FlagChange)
class FlagChangeAdmin(ReadOnlyAdmin):
    list_display = ["incident_label", "flag", "value", "recorded_by", "recorded_at"]


@admin.register(Briefing)
class BriefingAdmin(ReadOnlyAdmin):
    """Stored briefings: prepare them from the briefings page."""

    list_display = ["__str__", "partnership", "month", "status", "created_at"]
    list_filter = ["partnership", "status"]
    exclude = ["results"]  # large; the briefing page shows it
