"""The information-sharing agreement pages and the expiry warning."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from csphub.accounts import services, sharing
from csphub.accounts.models import Agreement, AuditEntry, DataKind, Partnership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def haringey():
    return Partnership.objects.get(slug="haringey")


def demo_agreement():
    return Agreement.objects.get(partnership=haringey())


def form_data(**overrides):
    partnership = haringey()
    data = {
        "title": "Hate crime panel protocol",
        "purpose": "To share victims' details between the panel's partners.",
        "legal_basis": "s115",
        "data_sets": "Victims' names and contacts; incident summaries.",
        "parties": [o.pk for o in partnership.organisations.all()[:2]],
        "kinds": ["resident_identity"],
        "owner": partnership.roles.get(role="admin").user_id,
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2026",
        "review_on_day": "1",
        "review_on_month": "4",
        "review_on_year": "2027",
        "expires_on_day": "31",
        "expires_on_month": "3",
        "expires_on_year": "2028",
    }
    data.update(overrides)
    return data


def test_admin_lists_the_demo_agreement_with_its_state(
    client_for, django_assert_max_num_queries
):
    partnership = haringey()
    services.save_agreement(  # a second agreement: no query per agreement
        Agreement(
            partnership=partnership,
            title="Second protocol",
            purpose="p",
            legal_basis="s17",
            data_sets="d",
            owner=demo_agreement().owner,
            starts_on=TODAY,
            review_on=TODAY,
            expires_on=TODAY + timedelta(days=10),
        ),
        parties=partnership.organisations.all()[:3],
        kinds=[DataKind.IOM],
        by=demo_agreement().owner,
    )
    client = client_for("admin")
    client.get(reverse("accounts:agreement-list"))  # the session is saved once
    # session, user, roles, agreements, parties, coverage: none per agreement
    with django_assert_max_num_queries(6):
        page = client.get(reverse("accounts:agreement-list"))
    html = page.content.decode()
    assert "Haringey Community Safety Partnership information-sharing" in html
    assert "In force" in html and "Integrated Offender Management cohort" in html
    assert "Second protocol" in html and "10 days left" in html


@pytest.mark.parametrize("persona", ["officer", "iom", "outsider", "analyst"])
def test_only_administrators_manage_agreements(persona, client_for):
    client = client_for(persona)
    assert client.get(reverse("accounts:agreement-list")).status_code == 403
    url = reverse("accounts:agreement-edit", args=[demo_agreement().pk])
    assert client.post(url, form_data()).status_code == 403


def test_admin_adds_an_agreement_and_it_is_audited(client_for):
    response = client_for("admin").post(reverse("accounts:agreement-add"), form_data())
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="Hate crime panel protocol")
    assert agreement.kinds() == ["resident_identity"]
    assert agreement.parties.count() == 2
    entries = AuditEntry.objects.filter(
        record_type="accounts.Agreement", record_id=str(agreement.pk), action="create"
    )
    assert entries.filter(actor_name="admin").exists()


def test_admin_changes_the_kinds_and_dates(client_for):
    agreement = demo_agreement()
    url = reverse("accounts:agreement-edit", args=[agreement.pk])
    data = form_data(
        title=agreement.title,
        kinds=["iom"],
        parties=[o.pk for o in agreement.parties.all()],
    )
    assert client_for("admin").post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.kinds() == ["iom"]
    assert agreement.expires_on.isoformat() == "2028-03-31"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"expires_on_year": "2020"}, "The expiry date must be after the start date"),
        ({"review_on_year": "2030"}, "The review date must be between"),
        ({"expires_on_day": "32"}, "Enter the expiry date as a real date"),
        ({"title": ""}, "This field is required"),
        ({"parties": ["99999"]}, "Select a valid choice"),
        ({"kinds": ["everything"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_named_not_a_500(overrides, message, client_for):
    response = client_for("admin").post(
        reverse("accounts:agreement-add"), form_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.filter(title="Hate crime panel protocol").exists()


def test_another_partnerships_agreement_is_a_404(client_for):
    barnet = Agreement.objects.get(partnership__slug="barnet")
    client = client_for("admin")  # administers both; working in Haringey
    url = reverse("accounts:agreement-edit", args=[barnet.pk])
    assert client.get(url).status_code == 404


def test_the_owner_is_warned_once_30_days_before_expiry(settings):
    agreement = demo_agreement()
    agreement.expires_on = TODAY + timedelta(days=31)
    agreement.save(update_fields=["expires_on"])
    assert services.warn_expiring_agreements(TODAY) == []
    warned = services.warn_expiring_agreements(TODAY + timedelta(days=1))
    assert warned == [agreement]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@csphub.invalid"]
    assert "expires in 30 days" in mail.outbox[0].subject
    assert services.warn_expiring_agreements(TODAY + timedelta(days=2)) == []
    assert len(mail.outbox) == 1  # once, not every day


def test_one_failing_owner_does_not_stop_the_others(monkeypatch):
    for agreement in Agreement.objects.all():
        agreement.expires_on = TODAY + timedelta(days=5)
        agreement.save(update_fields=["expires_on"])
    sent = []

    def flaky(subject, body, sender, to):
        if "Barnet" in subject:
            raise OSError("mail server refused")
        sent.append(to)

    monkeypatch.setattr("csphub.accounts.services.send_mail", flaky)
    warned = services.warn_expiring_agreements(TODAY)
    assert [a.partnership.slug for a in warned] == ["haringey"]
    assert len(sent) == 1


def test_organisation_may_see_follows_the_dates():
    agreement = demo_agreement()
    org = agreement.parties.first().pk
    partnership = haringey()
    assert sharing.organisation_may_see(org, partnership, DataKind.IOM, TODAY)
    after = agreement.expires_on + timedelta(days=1)
    assert not sharing.organisation_may_see(org, partnership, DataKind.IOM, after)
    before = agreement.starts_on - timedelta(days=1)
    assert not sharing.organisation_may_see(org, partnership, DataKind.IOM, before)
    assert not sharing.organisation_may_see(None, partnership, DataKind.IOM, TODAY)
