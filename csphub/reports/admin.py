from django.contrib import admin

from .models import Category, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "asb_type", "first_response_days", "about_person"]
    list_editable = ["first_response_days"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["partnership", "category", "zone", "area", "organisation", "team"]
    list_filter = ["partnership", "organisation"]
    raw_id_fields = ["area"]


# Reports, residents and case reviews are not registered: the admin would show
# residents' identities without the audit log. Partners use /reports/.
