"""Two-factor sign-in through django-otp: after the password, a six-digit code
from an authenticator app (TOTP), or one of ten single-use recovery codes.

Required (settings.CSPHUB_TWO_FACTOR) of everyone who holds a role in a
partnership or may use the admin site: every role can be shown restricted
data (a resident's identity goes to any officer of the organisation a report
is routed to; restricted bodies to their members; the IOM cohort to IOM
officers). Until the second factor is given, every page but these and
sign-out sends the person to it. Wrong codes count towards the sign-in lockout
and are audited, as wrong passwords are.
"""

import re
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from csphub.govuk import GovukFormMixin

from . import services
from .models import AuditEntry, SignInAttempt

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
CODES_SESSION_KEY = "csphub_recovery_codes"
SETUP_SESSION_KEY = "csphub_pending_app_key"
CODE = re.compile(r"[a-z0-9]{6,16}", re.ASCII)


# What two-factor sign-in can do (services) -----------------------------------


def is_required(user):
    """Whether this signed-in user must give a second factor."""
    if not settings.CSPHUB_TWO_FACTOR or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.role_assignments.exists()


def app_device(user, confirmed=True):
    """The user's authenticator app, confirmed or still being set up."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()
    )


def pending_device(request):
    """The authenticator app being set up, not saved until its first code is
    right: its secret waits in the session, so showing the page writes nothing."""
    key = request.session.get(SETUP_SESSION_KEY)
    if not key:
        key = request.session[SETUP_SESSION_KEY] = default_key()
    return TOTPDevice(user=request.user, name=APP_NAME, key=key, confirmed=False)


def qr_svg(device):
    """The app's set-up link as a QR code, an SVG drawn here (no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :].replace(
        "<svg ",
        '<svg class="csphub-qr" role="img" aria-label="QR code to scan with'
        ' your authenticator app" ',
        1,
    )
    return mark_safe(svg)  # made here from the device's own key, nothing typed


def secret_text(device):
    """The secret as letters and digits in groups of four, to type instead."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones; returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_setup(request, device, code):
    """Save the app once its first code is right (replacing any earlier app):
    the session counts as verified and the recovery codes are made. Returns
    the codes, or None if the code is wrong."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        record_wrong_code(request)
        return None
    TOTPDevice.objects.filter(user=request.user).delete()
    device.confirmed = True
    device.last_t = totp.t()  # the same code cannot sign in again
    device.save()
    request.session.pop(SETUP_SESSION_KEY, None)
    otp_login(request, device)
    services.audit(
        AuditEntry.Action.CHANGE,
        record=device,
        reason="two-factor sign-in set up",
        request=request,
    )
    return new_recovery_codes(request.user)


def verify(request, code):
    """Check a code from the app or a recovery code; on success the session
    counts as verified. Returns whether it did."""
    user = request.user
    for device_class in (TOTPDevice, StaticDevice):
        for device in device_class.objects.devices_for_user(user, confirmed=True):
            with transaction.atomic():
                locked = device_class.objects.select_for_update().get(pk=device.pk)
                if locked.verify_token(code):
                    otp_login(request, locked)
                    SignInAttempt.objects.filter(
                        username__iexact=user.get_username()
                    ).delete()
                    services.audit(
                        AuditEntry.Action.SIGN_IN,
                        reason="second factor: "
                        + ("recovery code" if device_class is StaticDevice else "app"),
                        request=request,
                        partnership=None,
                    )
                    return True
    record_wrong_code(request)
    return False


@transaction.atomic
def record_wrong_code(request):
    """A wrong code counts towards the sign-in lockout and is audited."""
    username = request.user.get_username()
    SignInAttempt.objects.create(
        username=username[:150], ip_address=services.client_ip(request)
    )
    services.audit(
        AuditEntry.Action.SIGN_IN_FAILED,
        reason=f"wrong second-factor code for username {username[:150]!r}",
        request=request,
    )


def is_locked_out(request):
    return services.is_locked_out(
        request.user.get_username(), services.client_ip(request)
    )


# Middleware -------------------------------------------------------------------


class TwoFactorMiddleware:
    """Send a signed-in person who must give a second factor, and has not in
    this session, to give it (or to set it up) before any other page."""

    OPEN = (
        "accounts:two-factor",
        "accounts:two-factor-setup",
        "accounts:recovery-codes",
        "accounts:logout",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.CSPHUB_TWO_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and not self._open(request.path_info)
            and is_required(user)
        ):
            name = "two-factor" if user_has_device(user) else "two-factor-setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(f'accounts:{name}')}?{query}")
        return self.get_response(request)

    def _open(self, path):
        if path.startswith(settings.STATIC_URL):
            return True
        return path in {reverse(name) for name in self.OPEN}


# Forms --------------------------------------------------------------------------


class CodeForm(GovukFormMixin, forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args, recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            "The 6-digit code your authenticator app shows now"
            + (", or one of your recovery codes" if recovery else "")
        )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not CODE.fullmatch(code):
            raise forms.ValidationError(
                "Enter the code in letters and numbers only, for example 123456"
            )
        return code


# Views --------------------------------------------------------------------------


def _next(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor(request):
    """Give the second factor after signing in with a password."""
    if request.user.is_verified():
        return redirect(_next(request))
    has_app = user_has_device(request.user)
    form = CodeForm(request.POST or None)
    if has_app and request.method == "POST" and form.is_valid():
        if is_locked_out(request):
            form.add_error("code", "Sign-in is locked after too many wrong codes.")
        elif verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        else:
            form.add_error("code", "That code is not right. Check it and try again")
    return TemplateResponse(
        request,
        "accounts/two_factor.html",
        {"form": form, "has_app": has_app, "next": _next(request)},
    )


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then
    enter the code it shows. A person with an app already must verify with it
    first, so a stolen password cannot add another."""
    if app_device(request.user) and not request.user.is_verified():
        return redirect("accounts:two-factor")
    device = pending_device(request)
    form = CodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request):
            form.add_error("code", "Sign-in is locked after too many wrong codes.")
        elif codes := confirm_setup(request, device, form.cleaned_data["code"]):
            request.session[CODES_SESSION_KEY] = codes
            return redirect(
                f"{reverse('accounts:recovery-codes')}?"
                + urlencode({"next": _next(request)})
            )
        else:
            form.add_error("code", "That code is not right. Check it and try again")
    return TemplateResponse(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": secret_text(device),
            "replacing": app_device(request.user) is not None,
            "next": _next(request),
        },
    )


@login_required
def recovery_codes(request):
    """The recovery codes, shown once; a POST makes new ones (the old stop
    working)."""
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:two-factor")
        request.session[CODES_SESSION_KEY] = new_recovery_codes(request.user)
        services.audit(
            AuditEntry.Action.CHANGE,
            reason="new two-factor recovery codes",
            request=request,
        )
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(CODES_SESSION_KEY, None)
    return TemplateResponse(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "has_app": app_device(request.user) is not None,
            "remaining": StaticToken.objects.filter(device__user=request.user).count(),
            "next": _next(request),
        },
    )
