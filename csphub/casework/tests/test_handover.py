"""A ward group that closes hands its open work to the bodies the user picks
(structure offers the seam, casework moves the work), with its history, and
tells the people concerned."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.structure import services as structure
from csphub.structure.models import Body, BodyChange, Seat

from ..models import Action, Escalation, Issue, IssueEvent, Tasking
from .factories import (
    BRUCE_GROVE,
    SOUTH,
    TOTTENHAM_GREEN,
    body,
    make_action,
    make_issue,
    make_tasking,
    seat,
)

pytestmark = pytest.mark.django_db


def fresh_ward():
    """Tottenham Green's ward group with only this test's work on it."""
    ward = body(TOTTENHAM_GREEN)
    Issue.objects.filter(body=ward).update(status=Issue.Status.CLOSED)
    Tasking.objects.filter(to_body=ward).update(state=Tasking.State.WITHDRAWN)
    Tasking.objects.filter(from_body=ward).update(state=Tasking.State.WITHDRAWN)
    Escalation.objects.filter(to_body=ward).update(state=Escalation.State.RETURNED)
    return ward


def test_closing_a_body_with_open_work_needs_a_decision_for_each_item(user_for):
    ward = fresh_ward()
    make_issue(ward, title="Fly-tipping behind the parade")
    with pytest.raises(ValidationError, match="no receiving body"):
        structure.change_status(
            ward, user_for("admin"), BodyChange.Kind.DISCONTINUED, reason="Merged"
        )
    ward.refresh_from_db()
    assert ward.status == Body.Status.ACTIVE


def test_discontinuing_moves_issues_with_history_and_tells_owners(user_for):
    ward = fresh_ward()
    to = body(BRUCE_GROVE)
    admin = user_for("admin")
    moved = make_issue(ward, title="Drug dealing by the station")
    action = make_action(moved)
    dropped = make_issue(ward, title="Graffiti on the bridge")
    gone = make_action(dropped)
    seat("member", BRUCE_GROVE, Seat.Role.CHAIR)
    mail.outbox = []
    items = {w.key for w in structure.open_work(ward)}
    assert items == {f"issue:{moved.pk}", f"issue:{dropped.pk}"}
    with pytest.MonkeyPatch.context() as m:
        m.setattr("django.db.transaction.on_commit", lambda f, **_: f())
        change = structure.change_status(
            ward,
            admin,
            BodyChange.Kind.DISCONTINUED,
            reason="Wards merged into one group",
            hand_over={f"issue:{moved.pk}": to, f"issue:{dropped.pk}": None},
        )
    assert change.handed_over == 2
    moved.refresh_from_db()
    assert moved.body == to and moved.status == Issue.Status.OPEN
    assert action in moved.actions.all()  # actions go with the issue
    event = moved.events.get(kind=IssueEvent.Kind.OWNER)
    assert f"from {ward.name} to {to.name}" in event.note and event.by == admin
    dropped.refresh_from_db()
    assert dropped.status == Issue.Status.CLOSED and dropped.closed_at
    gone.refresh_from_db()
    assert gone.status == Action.Status.DROPPED
    assert gone.updates.get().note.startswith("No longer needed")
    assert not structure.open_work(ward)
    subjects = {m.to[0]: m for m in mail.outbox}
    officer_mail = subjects[user_for("officer").email]  # owns both actions
    assert "Drug dealing by the station: now with" in officer_mail.body
    assert "Graffiti on the bridge: closed" in officer_mail.body
    chair_mail = subjects[user_for("member").email]  # chairs the receiving group
    assert "Drug dealing by the station" in chair_mail.body
    assert "Graffiti" not in chair_mail.body


def test_taskings_and_escalations_are_handed_over(user_for):
    ward = fresh_ward()
    zone = body(SOUTH)
    to = body(BRUCE_GROVE)
    admin = user_for("admin")
    issue = make_issue(zone, title="Street drinking on the high road")
    tasking = make_tasking(issue, zone, ward)
    other = make_issue(to, title="Moped robberies")
    given = make_tasking(other, ward, to, expects="Patrols")
    keys = {w.key: w for w in structure.open_work(ward)}
    assert keys[f"tasking:{tasking.pk}"].kind == "Tasking received"
    assert keys[f"tasking:{given.pk}"].kind == "Tasking given"
    structure.change_status(
        ward,
        admin,
        BodyChange.Kind.MERGED,
        reason="Merged",
        merged_into=to,
        hand_over={f"tasking:{tasking.pk}": to, f"tasking:{given.pk}": zone},
    )
    tasking.refresh_from_db()
    given.refresh_from_db()
    assert tasking.to_body == to and tasking.state == Tasking.State.OPEN
    assert given.from_body == zone
    assert issue.events.filter(note__contains="handed over").exists()


def test_a_receiving_body_must_be_current(user_for):
    ward = fresh_ward()
    issue = make_issue(ward)
    closed = body(BRUCE_GROVE)
    Body.objects.filter(pk=closed.pk).update(status=Body.Status.DISCONTINUED)
    closed.refresh_from_db()
    with pytest.raises(ValidationError, match="discontinued"):
        structure.change_status(
            ward,
            user_for("admin"),
            BodyChange.Kind.DISCONTINUED,
            reason="x",
            hand_over={f"issue:{issue.pk}": closed},
        )


def change_url(b):
    return reverse("structure:body-change", args=[b.slug])


def test_change_page_lists_open_work_and_refuses_a_closure_without_a_choice(
    client_for, django_assert_max_num_queries
):
    ward = fresh_ward()
    issue = make_issue(ward, title="Begging at the cash machine")
    make_action(issue)
    client = client_for("admin")
    with django_assert_max_num_queries(30):
        page = client.get(change_url(ward)).content.decode()
    assert "Hand its open work to" in page
    assert "Issue: Begging at the cash machine" in page
    response = client.post(
        change_url(ward),
        {
            "kind": "discontinued",
            "on": date.today().isoformat(),
            "reason": "Merged with the neighbouring ward",
        },
    )
    assert response.status_code == 200
    assert "Choose the body that takes this over, or close it" in (
        response.content.decode()
    )
    ward.refresh_from_db()
    assert ward.status == Body.Status.ACTIVE


def test_change_page_hands_everything_to_the_body_picked(client_for):
    ward = fresh_ward()
    to = body(BRUCE_GROVE)
    first, second = make_issue(ward), make_issue(ward)
    client = client_for("admin")
    response = client.post(
        change_url(ward),
        {
            "kind": "discontinued",
            "on": date.today().isoformat(),
            "reason": "Merged with the neighbouring ward",
            "hand_all_to": to.pk,
            f"handover_issue_{second.pk}": "close",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.body == to and second.status == Issue.Status.CLOSED
    ward.refresh_from_db()
    assert ward.status == Body.Status.DISCONTINUED


def test_the_change_page_hides_restricted_issue_titles(client_for):
    ward = fresh_ward()
    make_issue(ward, title="Named suspect at number 4", restricted=True)
    page = client_for("admin").get(change_url(ward)).content.decode()
    assert "Named suspect" not in page
    assert "Restricted issue" in page


def test_import_cannot_discontinue_a_body_with_open_work(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ward = fresh_ward()
    make_issue(ward)
    text = f"slug,name,kind,status\n{ward.slug},{ward.name},abw,discontinued\n"
    response = client_for("admin").post(
        reverse("structure:import"),
        {
            "what": "bodies",
            "file": SimpleUploadedFile("b.csv", text.encode(), "text/csv"),
        },
    )
    assert response.status_code == 200
    assert "has open work" in response.content.decode()
    ward.refresh_from_db()
    assert ward.status == Body.Status.ACTIVE


def test_a_merger_hands_work_to_the_body_merged_into_by_default(client_for):
    ward = fresh_ward()
    to = body(BRUCE_GROVE)
    issue = make_issue(ward)
    response = client_for("admin").post(
        change_url(ward),
        {
            "kind": "merged",
            "on": date.today().isoformat(),
            "reason": "One group for both wards",
            "merged_into": to.pk,
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.body == to
    assert ward.changes.get(kind=BodyChange.Kind.MERGED).merged_into == to
