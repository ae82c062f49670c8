from django.contrib import admin

from .models import SourceFile


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "force", "month", "rows_read", "rows_loaded"]
    list_filter = ["partnership", "force"]
    readonly_fields = [f.name for f in SourceFile._meta.fields]

    def has_add_permission(self, request):
        return False
