from django.contrib import admin

from .models import Outcome, Priority, Strategy


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "starts", "ends"]
    list_filter = ["partnership"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "strategy", "order"]
    list_filter = ["partnership"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["allocated_leads", "actual_leads"]
    inlines = [OutcomeInline]
