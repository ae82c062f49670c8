from django.contrib import admin

from . import models


class SeatInline(admin.TabularInline):
    model = models.Seat
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "kind", "level", "status", "restricted"]
    list_filter = ["partnership", "kind", "status", "restricted"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SeatInline]
    raw_id_fields = ["reports_to", "current_terms", "ward"]


@admin.register(models.TermsOfReference)
class TermsAdmin(admin.ModelAdmin):
    list_display = ["body", "version", "frequency", "created_at"]
    list_filter = ["body__partnership"]

    def has_change_permission(self, request, obj=None):
        return False  # a change is a new version, made on the body page


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "organisation", "user"]
    list_filter = ["partnership"]
    search_fields = ["name"]


@admin.register(models.BodyChange)
class BodyChangeAdmin(admin.ModelAdmin):
    list_display = ["body", "kind", "on", "by_name"]
    list_filter = ["kind", "body__partnership"]


@admin.register(models.StructureReview)
class StructureReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partnership", "on", "hours_per_year"]


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["kind", "review", "state", "saving_hours_per_year"]
    list_filter = ["kind", "state"]
