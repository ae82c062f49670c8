"""Sign-in, sign-out, password reset, the partnership switcher and the audit log."""

import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from csphub.lib.csv_export import csv_response
from csphub.lib.digits import is_digits

from . import governance, services, sessions
from .access import partnership_required, submitted
from .forms import (
    AgreementForm,
    AuditSearchForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    SubjectAccessForm,
)
from .models import Agreement, AuditEntry, Partnership, Role


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
    form = AuditSearchForm(request.GET or None)
    entries = AuditEntry.objects.filter(partnership=request.partnership).select_related(
        "actor"
    )
    if form.is_valid():
        entries = _filter_audit(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    if request.GET.get("format") == "csv":
        services.audit(
            AuditEntry.Action.EXPORT, reason="audit log CSV", request=request
        )
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
    if data.get("record_id"):
        entries = entries.filter(record_id=data["record_id"])
    if data.get("text"):
        entries = entries.filter(
            Q(record_label__icontains=data["text"]) | Q(reason__icontains=data["text"])
        )
    if data.get("since"):
        entries = entries.filter(at__date__gte=data["since"])
    if data.get("until"):
        entries = entries.filter(at__date__lte=data["until"])
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
        "changes",
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
            json.dumps(e.changes, sort_keys=True) if e.changes else "",
        ]
        for e in entries.iterator()
    )


@partnership_required(roles={Role.ADMIN})
def subject_access(request):
    """Everything held or logged about one resident or nominal (admins only).
    Gathering it is itself a view of restricted data, audited with its reason."""
    form = SubjectAccessForm(request.GET or None)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "accounts/subject_access.html",
            {"form": form},
            status=400 if form.is_bound else 200,
        )
    data = form.cleaned_data
    report = governance.subject_access_report(
        request.partnership, data["subject"], data["identifier"]
    )
    services.audit(
        AuditEntry.Action.SUBJECT_ACCESS,
        reason=f"{data['subject']}: {data['reason']}",
        request=request,
    )
    if request.GET.get("format") == "csv":
        return csv_response("subject-access.csv", governance.report_rows(report))
    return TemplateResponse(
        request, "accounts/subject_access.html", {"form": form, "report": report}
    )


@partnership_required(roles={Role.ADMIN})
def agreement_list(request):
    today = timezone.localdate()
    agreements = list(
        Agreement.objects.filter(partnership=request.partnership)
        .select_related("owner")
        .prefetch_related("parties", "coverage")
    )
    for agreement in agreements:
        agreement.left = agreement.days_left(today)
    return TemplateResponse(
        request,
        "accounts/agreement_list.html",
        {
            "agreements": agreements,
            "today": today,
            "warning_days": services.EXPIRY_WARNING_DAYS,
        },
    )


@partnership_required(roles={Role.ADMIN})
def agreement_add(request):
    return _agreement_form(
        request, Agreement(partnership=request.partnership), "Add an agreement"
    )


@partnership_required(roles={Role.ADMIN})
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement, partnership=request.partnership, pk=pk)
    return _agreement_form(request, agreement, f"Change {agreement.title}")


def _agreement_form(request, agreement, title):
    form = AgreementForm(
        request.POST or None, instance=agreement, partnership=request.partnership
    )
    if submitted(request, form):
        saved = services.save_agreement(
            form.save(commit=False),
            parties=form.cleaned_data["parties"],
            kinds=form.cleaned_data["kinds"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"Saved the agreement {saved.title}.")
        return redirect("accounts:agreement-list")
    return TemplateResponse(
        request,
        "accounts/agreement_form.html",
        {"form": form, "title": title},
        status=400 if form.is_bound else 200,
    )
