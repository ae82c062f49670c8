from django.contrib import admin

from .models import Area, Zone


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    exclude = ["boundary"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership"]
    list_filter = ["partnership"]
    filter_horizontal = ["wards"]
    exclude = ["boundary"]
