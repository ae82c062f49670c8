"""Two people updating one action: the second is told, not silently
overwritten (issue 16, the proof: no lost update)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from csphub.accounts.models import User
from csphub.casework import services
from csphub.casework.models import Action, ActionUpdate

from .factories import make_action, make_issue


def shown_version(response):
    """The version the page's form carries, as a browser would post it."""
    html = response.content.decode()
    return re.search(r'name="version" value="([0-9a-f]+)"', html).group(1)


@pytest.mark.django_db
def test_second_person_is_told_and_keeps_what_they_typed(client_for):
    action = make_action(make_issue(), title="Clear the alley")
    url = reverse("casework:action-update", args=[action.pk])
    officer, admin = client_for("officer"), client_for("admin")
    seen_by_officer = shown_version(officer.get(url))
    seen_by_admin = shown_version(admin.get(url))
    assert seen_by_officer == seen_by_admin

    first = officer.post(
        url,
        {"note": "Cleared on Monday.", "status": "done", "version": seen_by_officer},
    )
    assert first.status_code == 302
    second = admin.post(
        url,
        {"note": "Still blocked by the landlord.", "status": "blocked",
         "version": seen_by_admin},
    )  # fmt: skip
    assert second.status_code == 200
    html = second.content.decode()
    # The officer, by the name the demo gives them (Olu ...).
    assert re.search(r"This action was updated by Olu \w+ while you were writing", html)
    assert "Still blocked by the landlord." in html  # their words are kept
    assert 'value="blocked" selected' in html
    action.refresh_from_db()
    assert action.status == Action.Status.DONE  # the first update stands
    assert list(action.updates.values_list("note", flat=True)) == ["Cleared on Monday."]

    # Having read it, they record theirs again on purpose: it goes through.
    again = admin.post(
        url,
        {"note": "Still blocked by the landlord.", "status": "blocked",
         "version": shown_version(second)},
    )  # fmt: skip
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.BLOCKED
    assert action.updates.count() == 2


@pytest.mark.django_db
def test_a_stale_version_writes_nothing():
    action = make_action(make_issue())
    stale = action.edit_version()
    admin = User.objects.get(username="admin")
    services.update_action(action, admin, note="First.", status="blocked")
    with pytest.raises(services.ActionChanged):
        services.update_action(
            Action.objects.get(pk=action.pk), admin, note="Second.", status="done",
            version=stale,
        )  # fmt: skip
    assert ActionUpdate.objects.filter(action=action).count() == 1
    assert Action.objects.get(pk=action.pk).status == Action.Status.BLOCKED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)
def test_simultaneous_updates_on_postgresql_let_exactly_one_through(reload_demo):
    """Eight people post at the same moment with the version they all saw: on
    PostgreSQL the row lock lets one through and tells the other seven."""
    action = make_action(make_issue(), title="Clear the alley")
    url = reverse("casework:action-update", args=[action.pk])
    version = action.edit_version()
    admin = User.objects.get(username="admin")
    start = threading.Barrier(8)
    codes = []

    def post(n):
        client = Client()
        client.force_login(admin)
        start.wait()
        response = client.post(
            url, {"note": f"Update {n}", "status": "blocked", "version": version}
        )
        codes.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] * 7 + [302]
    assert ActionUpdate.objects.filter(action=action).count() == 1
