"""Sign-in, lockout, password reset, the partnership switcher and the audit log."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from csphub.accounts import services
from csphub.accounts.models import AuditEntry, Partnership, User

PASSWORD = "csphub-demo"


@pytest.fixture
def anonymous(db):
    return Client()


def sign_in(client, username, password=PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


@pytest.mark.parametrize(
    "username", ["admin", "officer", "member", "analyst", "handler", "iom", "outsider"]
)
def test_each_demo_user_signs_in_with_the_demo_password(anonymous, username):
    response = sign_in(anonymous, username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert anonymous.get("/").status_code == 200


def test_wrong_password_keeps_the_username_and_says_what_is_wrong(anonymous):
    response = sign_in(anonymous, "officer", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct username and password" in html
    assert 'value="officer"' in html
    assert 'class="govuk-error-summary"' in html


def test_repeated_failures_lock_the_account(anonymous, settings):
    for _ in range(settings.CSPHUB_LOCKOUT_FAILURES):
        sign_in(anonymous, "officer", "wrong")
    response = sign_in(anonymous, "officer")  # the right password, too late
    assert response.status_code == 200
    assert "locked after too many failed attempts" in response.content.decode()
    assert AuditEntry.objects.filter(action="locked_out").exists()


def test_a_successful_sign_in_clears_earlier_failures(anonymous, settings):
    for _ in range(settings.CSPHUB_LOCKOUT_FAILURES - 1):
        sign_in(anonymous, "officer", "wrong")
    assert sign_in(anonymous, "officer").status_code == 302
    anonymous.post(reverse("accounts:logout"))
    sign_in(anonymous, "officer", "wrong")
    assert sign_in(anonymous, "officer").status_code == 302


def test_sign_out_is_post_and_audited(client_for):
    client = client_for("officer")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="sign_out", actor_name="officer").exists()
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_working_link(anonymous):
    response = anonymous.post(
        reverse("accounts:password-reset"), {"email": "officer@csphub.invalid"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line
    )
    path = link.split("testserver", 1)[1]
    form_page = anonymous.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = anonymous.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-long-new-passphrase",
            "new_password2": "a-long-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="officer").check_password("a-long-new-passphrase")


def test_outsider_sees_nothing_of_haringey(client_for):
    client = client_for("outsider")
    html = client.get("/").content.decode()
    assert "Barnet" in html
    assert "Haringey" not in html
    assert client.get(reverse("web:area-detail", args=["E05000268"])).status_code == 404
    assert client.get(reverse("web:zone-detail", args=["south"])).status_code == 404


def test_switcher_changes_partnership_only_where_the_user_has_a_role(client_for):
    admin = client_for("admin")
    barnet = Partnership.objects.get(slug="barnet")
    assert "Partnership" in admin.get("/").content.decode()  # the switcher shows
    admin.post(reverse("accounts:partnership-switch"), {"partnership": barnet.pk})
    assert "Safer Communities Partnership Barnet" in admin.get("/").content.decode()

    outsider = client_for("outsider")
    haringey = Partnership.objects.get(slug="haringey")
    outsider.post(reverse("accounts:partnership-switch"), {"partnership": haringey.pk})
    assert "Haringey" not in outsider.get("/").content.decode()


def test_switcher_refuses_an_outside_next_url(client_for):
    barnet = Partnership.objects.get(slug="barnet")
    response = client_for("admin").post(
        reverse("accounts:partnership-switch"),
        {"partnership": barnet.pk, "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == "/"


def test_switcher_with_a_bad_value_is_a_404_not_a_500(client_for):
    response = client_for("admin").post(
        reverse("accounts:partnership-switch"), {"partnership": "not-a-number"}
    )
    assert response.status_code == 404


def test_audit_log_is_append_only(rf, user_for):
    request = rf.get("/somewhere/")
    request.user = user_for("iom")
    request.partnership = Partnership.objects.get(slug="haringey")
    entry = services.record_restricted_view(request, request.user, "case review")
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.actor_name == "iom" and entry.reason == "case review"
    assert entry.ip_address == "127.0.0.1" and entry.path == "/somewhere/"
    entry.reason = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.update(reason="gone")


def test_audit_log_page_lists_filters_and_exports(
    client_for, django_assert_max_num_queries
):
    client = client_for("admin")
    sign_in(Client(), "officer", "wrong")  # not in any partnership: not listed
    services.audit(
        "view",
        actor=User.objects.get(username="iom"),
        partnership=Partnership.objects.get(slug="haringey"),
        record=User.objects.get(username="member"),
        reason="IOM panel",
    )
    with django_assert_max_num_queries(10):
        html = client.get(reverse("accounts:audit-log")).content.decode()
    assert "IOM panel" in html
    filtered = client.get(reverse("accounts:audit-log"), {"action": "sign_in"})
    assert "IOM panel" not in filtered.content.decode()
    csv = client.get(reverse("accounts:audit-log"), {"format": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "IOM panel" in csv.content.decode()


def test_audit_log_page_does_not_grow_queries_with_entries(
    client_for, django_assert_num_queries
):
    client = client_for("admin")
    haringey = Partnership.objects.get(slug="haringey")
    actor = User.objects.get(username="iom")
    for i in range(30):
        services.audit("view", actor=actor, partnership=haringey, reason=f"r{i}")
    client.get(reverse("accounts:audit-log"))  # warm the session
    with django_assert_num_queries(4):  # session, user, roles, entries
        client.get(reverse("accounts:audit-log"))


def test_admin_sign_in_goes_through_the_sites_lockout_and_audit(anonymous, settings):
    """/admin/login/ signs nobody in: it sends people to the site's sign-in,
    where every failure counts towards the lockout and is audited."""
    response = anonymous.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": "wrong"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    right = anonymous.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert right.status_code == 302 and "_auth_user_id" not in anonymous.session
    outside = anonymous.get("/admin/login/?next=https://evil.example/")
    assert outside["Location"] == "/accounts/login/?next=/admin/"
    officer = Client()
    assert sign_in(officer, "officer").status_code == 302
    assert officer.get("/admin/login/?next=/admin/").status_code == 403  # no loop
    staff = Client()
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    assert sign_in(staff, "admin").status_code == 302
    assert staff.get("/admin/").status_code == 200
    for _ in range(settings.CSPHUB_LOCKOUT_FAILURES):
        sign_in(anonymous, "admin", "wrong")
    assert AuditEntry.objects.filter(action="sign_in_failed").count() >= 5
    assert "locked after" in sign_in(anonymous, "admin").content.decode()
