from django.contrib import admin

from .models import (
    Activity,
    Gap,
    LeadAcceptance,
    LeadRequirement,
    Milestone,
    Objective,
    OutsideDependency,
    QuarterlyUpdate,
    Reminder,
    Risk,
    SpendLine,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class OutsideDependencyInline(admin.TabularInline):
    model = OutsideDependency
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "priority", "order"]
    list_filter = ["priority__partnership"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "objective", "organisation", "owner", "status", "kind"]
    list_filter = ["status", "kind", "objective__priority__partnership"]
    filter_horizontal = ["partners", "depends_on"]
    inlines = [MilestoneInline, OutsideDependencyInline]


@admin.register(QuarterlyUpdate)
class QuarterlyUpdateAdmin(admin.ModelAdmin):
    list_display = ["activity", "quarter", "rag", "by", "at"]
    list_filter = ["rag", "quarter"]


@admin.register(SpendLine)
class SpendLineAdmin(admin.ModelAdmin):
    list_display = ["organisation", "service_area", "priority", "year", "pence"]
    list_filter = ["partnership", "year"]


for model in (Reminder, LeadRequirement, LeadAcceptance, Risk, Gap):
    admin.site.register(model)
