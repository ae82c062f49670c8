"""The audit log: every create, change and delete with who, what changed and
from where; append-only in the ORM, the admin and the database."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from csphub.accounts.models import (
    AuditEntry,
    Organisation,
    Partnership,
    PartnershipMember,
    SignInAttempt,
    User,
)

pytestmark = pytest.mark.django_db


def entries_for(record, action):
    """The entries about a record, written since the test began (the demo's
    loading wrote its own)."""
    return AuditEntry.objects.filter(
        record_type=record._meta.label,
        record_id=str(record.pk),
        action=action,
        pk__gt=START["pk"],
    )


START = {}


@pytest.fixture(autouse=True)
def _mark_start(db):
    START["pk"] = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]


def test_create_change_and_delete_are_logged_with_the_fields():
    organisation = Organisation.objects.create(name="Test Trust", kind="voluntary")
    created = entries_for(organisation, "create").get()
    assert created.changes["name"] == "Test Trust"
    assert created.actor is None  # no request: a command or a shell
    organisation.kind = "health"
    organisation.save()
    changed = entries_for(organisation, "change").get()
    assert changed.changes == {"kind": ["voluntary", "health"]}
    organisation.save()  # saved unchanged: nothing to log
    assert entries_for(organisation, "change").count() == 1
    pk = organisation.pk
    organisation.delete()
    assert AuditEntry.objects.filter(
        record_type="accounts.Organisation", record_id=str(pk), action="delete"
    ).exists()


def test_a_change_through_a_page_names_who_and_from_where(client_for):
    client = client_for("admin")
    haringey = Partnership.objects.get(slug="haringey")
    before = AuditEntry.objects.count()
    client.post(
        reverse("accounts:partnership-switch"),
        {"partnership": haringey.pk},
        REMOTE_ADDR="192.0.2.7",
    )
    member = PartnershipMember.objects.filter(partnership=haringey).first()
    # A real page that changes partnership data: an agreement's dates.
    from csphub.accounts.models import Agreement

    agreement = Agreement.objects.get(partnership=haringey)
    data = {
        "title": agreement.title,
        "purpose": agreement.purpose,
        "legal_basis": agreement.legal_basis,
        "data_sets": agreement.data_sets,
        "parties": [o.pk for o in agreement.parties.all()],
        "kinds": agreement.kinds(),
        "owner": agreement.owner_id,
        "starts_on": agreement.starts_on.isoformat(),
        "review_on": agreement.review_on.isoformat(),
        "expires_on": (agreement.expires_on - timedelta(days=1)).isoformat(),
    }
    response = client.post(
        reverse("accounts:agreement-edit", args=[agreement.pk]),
        data,
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    change = entries_for(agreement, "change").exclude(changes={}).get()
    assert change.actor_name == "admin"
    assert change.ip_address == "192.0.2.7"
    assert change.path == f"/accounts/agreements/{agreement.pk}/"
    assert change.partnership == haringey
    assert change.changes["expires_on"][1] == data["expires_on"]
    assert AuditEntry.objects.count() > before and member is not None


def test_personal_details_are_named_but_not_copied_into_the_log():
    user = User.objects.get(username="officer")
    user.set_password("a new secret phrase")
    user.save()
    change = entries_for(user, "change").get()
    assert change.changes["password"] == ["(hidden)", "(hidden)"]
    assert "a new secret phrase" not in str(change.changes)


def test_sign_in_bookkeeping_is_not_a_change(client_for):
    from django.test import Client

    Client().post(
        reverse("accounts:login"), {"username": "officer", "password": "csphub-demo"}
    )
    user = User.objects.get(username="officer")
    assert not entries_for(user, "change").exists()  # only last_login moved
    assert not AuditEntry.objects.filter(record_type="accounts.AuditEntry").exists()
    assert not AuditEntry.objects.filter(record_type=SignInAttempt._meta.label).exists()


def test_the_log_refuses_every_way_of_changing_it():
    from django.core.exceptions import PermissionDenied

    entry = AuditEntry.objects.create(action="view", reason="original")
    attempts = [
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="x"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all()._raw_delete("default"),
        lambda: AuditEntry.objects.bulk_update([entry], ["reason"]),
        lambda: AuditEntry.objects.update_or_create(pk=entry.pk),
        entry.delete,
        entry.save,
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    entry.refresh_from_db()
    assert entry.reason == "original"


def _refused_by_the_database(sql, entry):
    """Run sql ({table} is the audit log's) on entry past the ORM: it must fail."""
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=AuditEntry._meta.db_table), [entry.pk])


def test_the_database_refuses_an_update_that_bypasses_the_orm():
    entry = AuditEntry.objects.create(action="view", reason="original")
    forge = "UPDATE {table} SET reason = 'forged' WHERE id = %s"
    _refused_by_the_database(forge, entry)
    entry.refresh_from_db()
    assert entry.reason == "original"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's flush deletes rows"
)
def test_postgresql_refuses_a_delete_that_bypasses_the_orm():
    entry = AuditEntry.objects.create(action="view", reason="original")
    _refused_by_the_database("DELETE FROM {table} WHERE id = %s", entry)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_site_offers_no_change_or_delete(client_for):
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    client = client_for("admin")
    entry = AuditEntry.objects.create(action="view", reason="original")
    url = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Delete" not in page.content.decode()
    client.post(url, {"reason": "forged"})
    delete = reverse("admin:accounts_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "original"


def test_audit_search_by_text_record_and_dates(client_for):
    haringey = Partnership.objects.get(slug="haringey")
    AuditEntry.objects.create(
        action="view",
        partnership=haringey,
        record_type="casework.Issue",
        record_id="1",
        record_label="Needle in a haystack",
    )
    client = client_for("admin")
    url = reverse("accounts:audit-log")
    assert (
        "Needle in a haystack" in client.get(url, {"text": "needle"}).content.decode()
    )
    later = client.get(url, {"text": "needle", "since": "2999-01-01"})
    assert "Needle in a haystack" not in later.content.decode()
    bad = client.get(url, {"since_day": "31", "since_month": "2", "since_year": "x"})
    assert bad.status_code == 200 and "Enter the from date as a real date" in (
        bad.content.decode()
    )
    csv = client.get(url, {"text": "needle", "format": "csv"}).content.decode()
    assert "Needle in a haystack" in csv and csv.splitlines()[0].endswith("changes")
    assert AuditEntry.objects.filter(action="export", reason="audit log CSV").exists()
