"""Two-factor sign-in, enforced (CSPHUB_TWO_FACTOR on, as in production), and
the rest of sign-in's hardening: idle sessions end, passwords are checked by
Django's validators, and password managers and paste work (WCAG 3.3.8)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts import sessions, two_factor
from csphub.accounts.models import AuditEntry, SignInAttempt, User

PASSWORD = "csphub-demo"
pytestmark = pytest.mark.django_db
ROLES = ["admin", "officer", "member", "analyst", "handler", "iom", "outsider"]


@pytest.fixture
def required(settings):
    settings.CSPHUB_TWO_FACTOR = True
    return settings


def signed_in(username):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, drift=offset):06d}"


def enrolled(username):
    """A user with a confirmed app and recovery codes (as set up earlier)."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, two_factor.new_recovery_codes(user)


@pytest.mark.parametrize("username", ROLES)
def test_every_role_is_sent_to_set_up_a_second_factor(required, username):
    client = signed_in(username)
    for path in ["/", reverse("casework:issue-list"), "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_restricted_pages_stay_shut_until_the_code_is_given(required):
    enrolled("iom")
    client = signed_in("iom")
    response = client.get(reverse("offenders:cohort"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Foffenders%2F"
    assert client.get(reverse("offenders:cohort-export")).status_code == 302


def test_a_user_with_no_role_is_not_asked(required):
    user = User.objects.create_user("visitor", password=PASSWORD)
    assert not two_factor.is_required(user)
    assert two_factor.is_required(User.objects.get(username="officer"))


def test_setting_up_an_app_then_signing_in_with_it(required):
    client = signed_in("officer")
    page = client.get(reverse("accounts:two-factor-setup") + "?next=/casework/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="csphub-qr" role="img"' in html
    assert 'autocomplete="one-time-code"' in html
    assert not TOTPDevice.objects.filter(user__username="officer").exists()
    device = TOTPDevice(key=client.session[two_factor.SETUP_SESSION_KEY])
    wrong = client.post(page.request["PATH_INFO"], {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    right = client.post(
        page.request["PATH_INFO"], {"code": code_for(device), "next": "/casework/"}
    )
    assert right.status_code == 302
    codes_page = client.get(right["Location"])
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert (
        client.get(reverse("accounts:recovery-codes")).content.decode().count(codes[0])
        == 0
    )  # shown once
    assert client.get("/casework/").status_code == 200
    device = TOTPDevice.objects.get(user__username="officer", confirmed=True)
    assert AuditEntry.objects.filter(reason="two-factor sign-in set up").exists()
    # The next sign-in asks for the app's code.
    again = signed_in("officer")
    assert again.get("/")["Location"].startswith(reverse("accounts:two-factor"))
    device.refresh_from_db()
    given = again.post(
        reverse("accounts:two-factor"), {"code": code_for(device, 1), "next": "/"}
    )
    assert given.status_code == 302 and given["Location"] == "/"
    assert again.get("/").status_code == 200


def test_a_recovery_code_works_once(required):
    _, codes = enrolled("handler")
    client = signed_in("handler")
    given = client.post(reverse("accounts:two-factor"), {"code": codes[0].upper()})
    assert given.status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    other = signed_in("handler")
    reused = other.post(reverse("accounts:two-factor"), {"code": codes[0]})
    assert "That code is not right" in reused.content.decode()
    assert other.get("/").status_code == 302


def test_wrong_codes_count_towards_the_lockout_and_are_audited(required, settings):
    device, _ = enrolled("analyst")
    client = signed_in("analyst")
    for _ in range(settings.CSPHUB_LOCKOUT_FAILURES):
        client.post(reverse("accounts:two-factor"), {"code": "123456"})
    assert SignInAttempt.objects.filter(username="analyst").count() >= 5
    assert AuditEntry.objects.filter(
        action="sign_in_failed", reason__contains="second-factor"
    ).exists()
    device.refresh_from_db()
    locked = client.post(reverse("accounts:two-factor"), {"code": code_for(device)})
    assert "locked" in locked.content.decode()
    assert client.get("/").status_code == 302


def test_a_password_alone_cannot_replace_the_app(required):
    enrolled("member")
    client = signed_in("member")
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")
    assert not TOTPDevice.objects.filter(
        user__username="member", confirmed=False
    ).exists()


def test_a_bad_code_gets_a_clear_message(required):
    enrolled("admin")
    client = signed_in("admin")
    for bad in ["", "12", "<script>", "١٢٣٤٥٦"]:
        response = client.post(reverse("accounts:two-factor"), {"code": bad})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()


def test_new_recovery_codes_replace_the_old(required):
    _, old = enrolled("officer")
    client = signed_in("officer")
    client.post(reverse("accounts:two-factor"), {"code": old[0]})
    client.post(reverse("accounts:recovery-codes"))
    page = client.get(reverse("accounts:recovery-codes")).content.decode()
    new = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_without_the_setting_nobody_is_asked(settings):
    """The demo and the ordinary tests: CSPHUB_TWO_FACTOR off."""
    settings.CSPHUB_TWO_FACTOR = False
    enrolled("iom")
    assert signed_in("iom").get(reverse("offenders:cohort")).status_code == 200


def test_a_session_ends_after_the_idle_time(settings):
    client = signed_in("officer")
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    signed_in_until = expiry()
    assert client.get("/").status_code == 200
    assert expiry() == signed_in_until  # not a write on every request
    session = client.session
    session[sessions.RENEWED_KEY] -= sessions.RENEW_AFTER
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get("/").status_code == 200  # used: renewed for the idle time
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert expiry() > timezone.now() + idle - timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_passwords_go_through_djangos_validators(user_for):
    user = user_for("officer")
    for weak in ["password", "12345678", "officer1", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("correct horse battery staple 7", user)


def test_password_managers_and_paste_are_welcome(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert not re.search(r"onpaste|oncopy|autocomplete=\"off\"", html)
