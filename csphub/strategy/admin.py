from django.contrib import admin

from .models import Priority, Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "starts", "ends"]
    list_filter = ["partnership"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "strategy", "order"]
    list_filter = ["partnership"]
    prepopulated_fields = {"slug": ["name"]}
