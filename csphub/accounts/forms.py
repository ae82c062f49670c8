"""Sign-in and partnership forms."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)

from csphub.govuk import GovukFormMixin

from . import services
from .models import AuditEntry


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Django's sign-in form with a lockout after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct username and password. Both are case-sensitive."
        ),
        "locked_out": (
            "Sign-in is locked after too many failed attempts. Try again in "
            "%(minutes)s minutes, or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and services.is_locked_out(
            username, services.client_ip(self.request)
        ):
            services.audit(
                "locked_out", reason=f"username {username!r}", request=self.request
            )
            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.CSPHUB_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                services.record_failed_sign_in(username, self.request)
            raise


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    """Ask for a password reset link by e-mail."""


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    """Choose a new password from a reset link."""


class AuditFilterForm(GovukFormMixin, forms.Form):
    """Filter the audit log."""

    actor = forms.CharField(label="Username", required=False)
    action = forms.ChoiceField(required=False)
    record_type = forms.CharField(label="Record type", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *AuditEntry.Action.choices]
