from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import (
    AuditEntry,
    Organisation,
    Partnership,
    PartnershipMember,
    RoleAssignment,
    User,
)


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "borough"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnershipMemberInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "statutory"]
    list_filter = ["kind", "statutory"]
    search_fields = ["name"]


@admin.register(User)
class CsphubUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_select_related = ["organisation"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Organisation", {"fields": ["organisation", "job_title"]}),
    ]
    inlines = [RoleAssignmentInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "at",
        "actor_name",
        "action",
        "record_type",
        "record_label",
        "ip_address",
    ]
    list_filter = ["action", "partnership"]
    search_fields = ["actor_name", "record_label", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
