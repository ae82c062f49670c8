"""Sign-in and partnership forms."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)

from csphub.govuk import GovukForm, GovukFormMixin, GovukModelForm, date_field
from csphub.lib.forms import checkbox_field, radio_field

from . import services
from .models import Agreement, AuditEntry, DataKind, Organisation, User


def partner_organisations(partnership):
    """The partnership's partner organisations by name, for a form's choices."""
    return Organisation.objects.filter(partnerships=partnership).order_by("name")


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


class AgreementForm(GovukModelForm):
    """Record or change an information-sharing agreement."""

    starts_on = date_field("Start date")
    review_on = date_field("Review date")
    expires_on = date_field("Expiry date")
    kinds = checkbox_field(
        "Restricted data it covers",
        DataKind.choices,
        help_text="Only parties to an agreement in force covering a kind of data"
        " can see it.",
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "purpose",
            "legal_basis",
            "data_sets",
            "parties",
            "kinds",
            "owner",
            "starts_on",
            "review_on",
            "expires_on",
        ]
        widgets = {"parties": forms.CheckboxSelectMultiple}
        labels = {"parties": "Parties (partner organisations)"}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = partnership.organisations.order_by("name")
        self.fields["owner"].queryset = (
            User.objects.filter(role_assignments__partnership=partnership)
            .distinct()
            .order_by("username")
        )
        if self.instance.pk:
            self.fields["kinds"].initial = self.instance.kinds()

    def clean(self):
        data = super().clean()
        starts, review, expires = (
            data.get("starts_on"),
            data.get("review_on"),
            data.get("expires_on"),
        )
        if starts and expires and expires < starts:
            self.add_error("expires_on", "The expiry date must be after the start date")
        if starts and review and expires and not starts <= review <= expires:
            self.add_error(
                "review_on", "The review date must be between the start and expiry"
            )
        return data


class AuditSearchForm(AuditFilterForm):
    """Search the audit log by who, what, which record, text and dates."""

    text = forms.CharField(label="Words in the record or reason", required=False)
    record_id = forms.CharField(label="Record number", required=False, max_length=64)
    since = date_field("From date", required=False, help_text="For example 1 4 2026")
    until = date_field("To date", required=False, help_text="For example 30 4 2026")


class SubjectAccessForm(GovukForm):
    """Whose data to gather: a resident (by contact) or an IOM reference."""

    subject = radio_field(
        "Whose data",
        [
            ("resident", "A resident (by e-mail address, telephone or name)"),
            ("nominal", "A person in the IOM cohort (by case-system reference)"),
        ],
    )
    identifier = forms.CharField(
        label="E-mail address, telephone, name or reference", max_length=200
    )
    reason = forms.CharField(
        label="Why you are gathering it",
        help_text="For example: subject access request received 3 March 2026.",
        max_length=500,
    )

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].strip()
        if "\x00" in value:
            raise forms.ValidationError("Enter the identifier without control codes")
        if len(value) < 3:
            raise forms.ValidationError("Enter at least 3 characters")
        return value
