"""Meetings: who sees what, attendance and quorum, holding, papers, minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS
from csphub.meetings import services
from csphub.meetings.models import Meeting, Paper

from .factories import (
    BOARD,
    EXEMPT_TEXT,
    IOM_PANEL,
    body,
    make_exempt,
    make_item,
    make_meeting,
)

RUNNERS = {"member", "admin"}  # the member sits on the Executive, which plans


@pytest.fixture
def public_meeting(db):
    meeting = make_meeting(public=True, status=Meeting.Status.PUBLISHED)
    make_item(meeting, title="Youth violence: what partners will do")
    make_exempt(meeting)
    return meeting


def test_meeting_page_for_every_persona(public_meeting, persona, client_for):
    response = client_for(persona).get(public_meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Youth violence" in html
    assert (EXEMPT_TEXT in html) == (persona in RUNNERS)
    assert html.count("<h1") == 1


def test_private_meeting_is_hidden_from_the_public(db, persona, client_for):
    meeting = make_meeting(public=False, status=Meeting.Status.PUBLISHED)
    response = client_for(persona).get(meeting.get_absolute_url())
    outside = persona in {"anonymous", "outsider"}
    assert response.status_code == (404 if outside else 200)


def test_planned_public_meeting_is_not_yet_public(db, client_for):
    meeting = make_meeting(public=True)
    assert client_for("anonymous").get(meeting.get_absolute_url()).status_code == 404


def test_restricted_body_meetings_only_for_its_members(db, persona, client_for):
    meeting = make_meeting(IOM_PANEL)
    response = client_for(persona).get(meeting.get_absolute_url())
    allowed = {"member", "iom", "admin"}
    assert response.status_code == (200 if persona in allowed else 404)


def test_public_index_lists_public_meetings_only(public_meeting, client_for):
    private = make_meeting(title="Closed session", status=Meeting.Status.PUBLISHED)
    html = client_for("anonymous").get(reverse("meetings:index")).content.decode()
    assert public_meeting.get_absolute_url() in html
    assert private.get_absolute_url() not in html


def test_exempt_paper_is_a_404_to_non_members(public_meeting, persona, client_for):
    paper = Paper.objects.get(item__meeting=public_meeting, restricted=True)
    response = client_for(persona).get(paper.get_absolute_url())
    assert response.status_code == (200 if persona in RUNNERS else 404)


@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_only_runners_plan_the_meeting(db, persona_name, client_for):
    meeting = make_meeting()
    response = client_for(persona_name).get(
        reverse("meetings:planning", args=[meeting.pk])
    )
    if persona_name in RUNNERS:
        assert response.status_code == 200
    elif persona_name == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in {403, 404}


def test_member_plans_a_meeting_with_standing_items(db, client_for):
    client = client_for("member")
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("meetings:meeting-add"),
        {
            "body": body(BOARD).pk,
            "title": "Test theme",
            "date": day.isoformat(),
            "start": "18:00",
            "end": "20:00",
            "place": "Civic Centre",
            "marking": "OFFICIAL",
        },
    )
    meeting = Meeting.objects.get(title="Test theme")
    assert response.status_code == 302
    keys = set(meeting.items.values_list("standing_key", flat=True))
    assert {"minutes", "highlight", "parallel"} <= keys


def test_only_members_of_a_body_plan_meetings(db, client_for):
    # The officer sits on an ABW group; the analyst sits on no body.
    assert client_for("officer").get(reverse("meetings:meeting-add")).status_code == 200
    assert client_for("analyst").get(reverse("meetings:meeting-add")).status_code == 403


def test_attendance_and_quorum(db, client_for):
    meeting = make_meeting(days=-1)
    seats = services.seats_at(meeting)
    assert len(seats) >= 3
    client = client_for("admin")
    data = {f"seat_{s.pk}": "apologies" for s in seats}
    data[f"seat_{seats[0].pk}"] = "present"
    data[f"seat_{seats[1].pk}"] = "substitute"
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert response.status_code == 200  # the substitute has no name
    assert "Name the substitute" in response.content.decode()
    data[f"sub_{seats[1].pk}"] = "Deputy Commander"
    client.post(reverse("meetings:attendance", args=[meeting.pk]), data)
    marks = list(meeting.attendance.all())
    assert {a.status for a in marks} == {"present", "substitute", "apologies"}
    quorum = services.quorum(meeting, seats, marks)
    assert quorum.counted == 2
    assert quorum.met == (quorum.needed <= 2)


@pytest.mark.parametrize(
    ("text", "seats", "needed"),
    [("5 members", 12, 5), ("a third of members", 12, 4), ("one half", 9, 5),
     ("", 12, 4), ("", 2, 2), ("50% of seats", 10, 5)],
)  # fmt: skip
def test_quorum_rule(text, seats, needed):
    assert services.quorum_needed(text, seats)[0] == needed


def test_holding_a_meeting_records_it_on_the_body(db, client_for):
    meeting = make_meeting(days=-2)
    board = meeting.body
    board.last_met = None
    board.save(update_fields=["last_met"])
    client_for("admin").post(reverse("meetings:held", args=[meeting.pk]))
    meeting.refresh_from_db()
    board.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert board.last_met == meeting.date


def test_a_future_meeting_cannot_be_held(db, client_for):
    meeting = make_meeting(days=3)
    client_for("admin").post(reverse("meetings:held", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_publishing_freezes_papers_and_a_change_is_a_new_version(db, client_for):
    meeting = make_meeting()
    item = make_item(meeting)
    paper = Paper.objects.create(item=item, title="Plan", text="First text")
    client = client_for("admin")
    client.post(reverse("meetings:publish", args=[meeting.pk]))
    client.post(
        reverse("meetings:paper-edit", args=[paper.pk]),
        {"title": "Plan", "text": "Second text"},
    )
    versions = list(Paper.objects.filter(item=item).order_by("version"))
    assert [(p.version, p.text, p.current) for p in versions] == [
        (1, "First text", False),
        (2, "Second text", True),
    ]
    old = client.get(versions[0].get_absolute_url()).content.decode()
    assert "First text" in old and "A later version replaces this one" in old


def test_minutes_are_drafted_without_exempt_items_and_approved_next_time(
    db, client_for
):
    held = make_meeting(days=-10, status=Meeting.Status.HELD)
    make_item(held, title="Knife crime")
    make_exempt(held)
    later = make_meeting(days=-1, status=Meeting.Status.HELD)
    client = client_for("admin")
    page = client.get(reverse("meetings:minutes", args=[held.pk])).content.decode()
    assert "Knife crime" in page and EXEMPT_TEXT not in page
    client.post(reverse("meetings:minutes", args=[held.pk]), {"minutes": "Agreed."})
    client.post(reverse("meetings:approve-minutes", args=[later.pk]))
    held.refresh_from_db()
    assert held.status == Meeting.Status.APPROVED
    assert held.minutes_approved_at == later


def test_forward_plan_per_body(db, client_for):
    make_meeting(days=20, title="Prevention")
    page = client_for("officer").get(reverse("meetings:body", args=[body(BOARD).slug]))
    assert page.status_code == 200
    assert "Prevention" in page.content.decode()


def test_meeting_page_queries_stay_fixed(db, client_for, django_assert_max_num_queries):
    meeting = make_meeting(public=True, status=Meeting.Status.PUBLISHED)
    for n in range(3):
        make_item(meeting, title=f"Item {n}")
    client = client_for("admin")
    client.get(meeting.get_absolute_url())  # warm the session
    with django_assert_max_num_queries(40) as small:
        client.get(meeting.get_absolute_url())
    for n in range(20):
        item = make_item(meeting, title=f"More {n}")
        Paper.objects.create(item=item, title="p", text="t")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(meeting.get_absolute_url())


def test_chair_sees_unanswered_homework(db, client_for):
    from csphub.meetings.models import Question

    from .factories import organisation

    meeting = make_meeting()
    Question.objects.create(
        item=make_item(meeting),
        organisation=organisation(),
        text="Patrol numbers?",
        due=timezone.localdate(),
    )
    page = client_for("admin").get(meeting.get_absolute_url()).content.decode()
    assert "Homework unanswered (1)" in page
    page = client_for("officer").get(meeting.get_absolute_url()).content.decode()
    assert "Homework unanswered" not in page
