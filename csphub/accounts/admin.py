from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .models import (
    Agreement,
    AuditEntry,
    CoveredData,
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


def sign_in_through_the_site(request, extra_context=None):
    """The admin's sign-in is the site's, so one lockout counts every failed
    attempt and one audit trail records them; /admin/login/ only redirects.
    Someone signed in without admin access is refused, not sent round again."""
    if request.user.is_authenticated:
        raise PermissionDenied("Your account does not have access to the admin site.")
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return redirect_to_login(target, reverse("accounts:login"))


admin.site.login = sign_in_through_the_site


class CoveredDataInline(admin.TabularInline):
    model = CoveredData
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "starts_on", "review_on", "expires_on"]
    list_filter = ["partnership", "legal_basis"]
    filter_horizontal = ["parties"]
    inlines = [CoveredDataInline]
