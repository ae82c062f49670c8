"""Sign-in, sign-out, password reset, the partnership switcher and the audit log."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from csphub.lib.csv_export import csv_response
from csphub.lib.digits import is_digits

from . import services, sessions
from .access import partnership_required
from .forms import AuditFilterForm, NewPasswordForm, ResetRequestForm, SignInForm
from .models import AuditEntry, Partnership, Role


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_sign_in(form.get_user(), self.request)
        sessions.start(self.request)
        return response


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.audit(AuditEntry.Action.SIGN_OUT, request=request)
        return super().post(request, *args, **kwargs)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=ResetRequestForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=NewPasswordForm,
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_POST
@partnership_required
def switch_partnership(request):
    chosen = request.POST.get("partnership", "")
    partnership = get_object_or_404(
        Partnership, pk=int(chosen) if is_digits(chosen) else 0
    )
    if services.choose_partnership(request, partnership):
        messages.success(request, f"You are now working in {partnership.name}.")
    else:
        messages.error(request, "You have no role in that partnership.")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = "/"
    return redirect(next_url)


@partnership_required(roles={Role.ADMIN})
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.filter(partnership=request.partnership).select_related(
        "actor"
    )
    if form.is_valid():
        entries = _filter_audit(entries, form.cleaned_data)
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    return TemplateResponse(
        request, "accounts/audit_log.html", {"form": form, "entries": entries[:200]}
    )


def _filter_audit(entries, data):
    if data["actor"]:
        entries = entries.filter(actor_name__iexact=data["actor"])
    if data["action"]:
        entries = entries.filter(action=data["action"])
    if data["record_type"]:
        entries = entries.filter(record_type__icontains=data["record_type"])
    return entries


def _audit_csv(entries):
    return csv_response("audit-log.csv", _audit_rows(entries))


def _audit_rows(entries):
    yield [
        "when",
        "who",
        "action",
        "record type",
        "record id",
        "record",
        "why",
        "from",
        "path",
    ]
    yield from (
        [
            e.at.isoformat(),
            e.actor_name,
            e.action,
            e.record_type,
            e.record_id,
            e.record_label,
            e.reason,
            e.ip_address or "",
            e.path,
        ]
        for e in entries.iterator()
    )
