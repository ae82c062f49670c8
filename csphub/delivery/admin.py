from django.contrib import admin

from . import models


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


class OutsideDependencyInline(admin.TabularInline):
    model = models.OutsideDependency
    extra = 0


@admin.register(models.Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "priority", "order"]
    list_filter = ["priority__partnership"]


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "objective", "organisation", "owner", "status", "kind"]
    list_filter = ["status", "kind", "objective__priority__partnership"]
    filter_horizontal = ["partners", "depends_on"]
    inlines = [MilestoneInline, OutsideDependencyInline]


@admin.register(models.QuarterlyUpdate)
class QuarterlyUpdateAdmin(admin.ModelAdmin):
    list_display = ["activity", "quarter", "rag", "by", "at"]
    list_filter = ["rag", "quarter"]


@admin.register(models.SpendLine)
class SpendLineAdmin(admin.ModelAdmin):
    list_display = ["organisation", "service_area", "priority", "year", "pence"]
    list_filter = ["partnership", "year"]


for model in (
    models.Reminder,
    models.LeadRequirement,
    models.LeadAcceptance,
    models.Risk,
    models.Gap,
):
    admin.site.register(model)
