"""Only IOM officers of the partnership reach the cohort; every view audited."""

import pytest
from django.urls import reverse

from conftest import PERSONAS
from csphub.accounts.models import AuditEntry, Organisation, Partnership, Role
from csphub.accounts.services import ensure_user, grant_role

pytestmark = pytest.mark.django_db


def every_url(records):
    nominal, allocation = records["nominal"], records["allocation"]
    code = nominal.code
    return [
        reverse("offenders:cohort"),
        reverse("offenders:reason"),
        reverse("offenders:cohort-export"),
        reverse("offenders:measures"),
        reverse("offenders:pathways"),
        reverse("offenders:import"),
        reverse("offenders:nominal", args=[code]),
        reverse("offenders:needs-assess", args=[code]),
        reverse("offenders:intervention-add", args=[code]),
        reverse("offenders:intervention-progress", args=[records["intervention"].pk]),
        reverse("offenders:referral-add", args=[code]),
        reverse("offenders:referral-response", args=[records["referral"].pk]),
        reverse("offenders:pilots"),
        reverse("offenders:pilot-add"),
        reverse("offenders:pilot", args=[allocation.pilot_id]),
        reverse("offenders:allocation-add", args=[allocation.pilot_id]),
        reverse("offenders:spend-add", args=[allocation.pk]),
    ]


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"iom"}))
def test_every_other_role_is_refused_on_every_url(persona, client_for, demo_records):
    client = client_for(persona)
    for url in every_url(demo_records):
        for method in (client.get, client.post):
            response = method(url)
            if persona == "anonymous":
                assert response.status_code == 302, url
                assert response["Location"].startswith("/accounts/login/")
            else:
                assert response.status_code == 403, (url, persona)
            # the page may echo its own address, nothing more of the cohort
            assert "SYN-" not in response.content.decode().replace(url, "")


def test_iom_officer_of_another_partnership_gets_404(client, demo_records):
    barnet = Partnership.objects.get(slug="barnet")
    probation = Organisation.objects.get(name="London Probation")  # in Barnet too
    user = ensure_user("barnet-iom", organisation=probation)
    grant_role(user, barnet, Role.IOM)
    client.force_login(user)
    client.post("/offenders/reason/", {"reason": "Barnet IOM panel", "next": ""})
    for url in every_url(demo_records)[6:]:
        if "/budgets/" in url and url.endswith(("/budgets/", "/start/")):
            continue
        assert client.get(url).status_code in (404, 405), url  # 405: POST-only
        assert client.post(url).status_code == 404, url
    cohort = client.get(reverse("offenders:cohort")).content.decode()
    assert "SYN-" not in cohort


def test_a_reason_is_asked_once_per_session_then_every_view_is_audited(
    client_for, demo_records
):
    client = client_for("iom")
    url = demo_records["nominal"].get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert "Why are you opening the IOM cohort?" in first.content.decode()
    assert "Lead professional" not in first.content.decode()
    response = client.post(
        reverse("offenders:reason"), {"reason": "Monthly IOM panel", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert demo_records["nominal"].code in page.content.decode()
    entry = AuditEntry.objects.filter(record_id=str(demo_records["nominal"].pk)).first()
    assert entry.action == "view" and entry.actor.username == "iom"
    assert entry.reason == "nominal page: Monthly IOM panel"
    client.get(reverse("offenders:cohort-export"))
    export = AuditEntry.objects.filter(action="export").first()
    assert export.reason == "cohort CSV: Monthly IOM panel"


def test_reason_next_cannot_leave_the_app(client_for):
    client = client_for("iom")
    response = client.post(
        reverse("offenders:reason"),
        {"reason": "Monthly IOM panel", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("offenders:cohort")


def test_a_short_reason_is_refused(client_for):
    response = client_for("iom").post(reverse("offenders:reason"), {"reason": "x"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_navigation_shows_the_cohort_only_to_iom_officers(client_for):
    assert "IOM cohort" in client_for("iom").get("/").content.decode()
    assert "/offenders/" not in client_for("member").get("/").content.decode()
