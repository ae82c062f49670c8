"""The loop the Zonal terms of reference describe: a ward group escalates a
blockage, the zone chair accepts it and tasks a ward group, the ward group
sees it and reports back; the executive sees everything escalated to it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csphub.casework import services
from csphub.casework.models import Action, Escalation, Issue, IssueEvent, Tasking

from .factories import (
    BRUCE_GROVE,
    EXECUTIVE,
    SOUTH,
    TOTTENHAM_GREEN,
    body,
    make_action,
    make_issue,
    seat,
)

pytestmark = pytest.mark.django_db


def test_zone_chair_accepts_an_escalation_and_tasks_a_ward_group(client_for):
    officer, chair = client_for("officer"), client_for("member")
    issue = make_issue(title="Abandoned cars on the estate road")
    action = make_action(issue, title="Remove the cars")
    # The ward group blocks the action and escalates it to the zone.
    officer.post(
        reverse("casework:action-update", args=[action.pk]),
        {"note": "Nobody owns the road.", "status": "blocked"},
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.BLOCKED
    response = officer.post(
        reverse("casework:issue-escalate", args=[issue.pk]),
        {
            "action": action.pk,
            "tried": "Asked highways and housing.",
            "asked": "Decide who removes them.",
            "needed_by": (date.today() + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get(issue=issue)
    assert escalation.to_body == body(SOUTH)
    # The zone chair opens the South zone page and sees it blocked below them.
    page = chair.get(reverse("casework:oversight", args=[body(SOUTH).slug]))
    html = page.content.decode()
    assert "Abandoned cars on the estate road" in html
    assert "awaiting an answer" in html
    # ...accepts it and tasks the Bruce Grove ABW group.
    bruce_grove = body(BRUCE_GROVE)
    response = chair.post(
        reverse("casework:escalation-answer", args=[escalation.pk]),
        {
            "decision": "tasked",
            "answer": "The zone takes it; Bruce Grove's group has the contacts.",
            "task_to": f"body:{bruce_grove.pk}",
            "expects": "The cars removed and a note of who did it.",
            "due": (date.today() + timedelta(days=21)).isoformat(),
        },
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    issue.refresh_from_db()
    assert escalation.state == Escalation.State.TASKED
    assert escalation.answered_by.username == "member"
    assert issue.body == body(SOUTH)
    assert issue.status == Issue.Status.IN_HAND
    tasking = Tasking.objects.get(issue=issue)
    assert tasking.to_body == bruce_grove
    # The ward group sees the tasking on its page; the lower body sees the answer.
    page = officer.get(reverse("casework:oversight", args=[bruce_grove.slug]))
    assert "Tasked to Bruce Grove" in page.content.decode()
    detail = officer.get(issue.get_absolute_url()).content.decode()
    assert "Bruce Grove&#x27;s group has the contacts" in detail
    # Every step is a record with who, when and why.
    kinds = list(issue.events.values_list("kind", flat=True))
    assert {"escalated", "answered", "tasked"} <= set(kinds)


def test_ward_group_member_reports_back_on_its_tasking(client_for):
    seat("analyst", BRUCE_GROVE)
    issue = make_issue(owner=body(SOUTH))
    tasking = services.task(
        issue, body(SOUTH), None, to=body(BRUCE_GROVE), expects="A plan",
        due=date.today(),
    )  # fmt: skip
    url = reverse("casework:tasking-report", args=[tasking.pk])
    assert client_for("handler").post(url, {"report": "x"}).status_code == 403
    response = client_for("analyst").post(url, {"report": "Plan agreed."})
    assert response.status_code == 302
    tasking.refresh_from_db()
    assert tasking.state == Tasking.State.REPORTED


def test_returned_escalation_goes_back_with_advice(client_for):
    issue = make_issue()
    escalation = services.escalate(
        issue, None, tried="t", asked="a", needed_by=date.today()
    )
    client_for("member").post(
        reverse("casework:escalation-answer", args=[escalation.pk]),
        {"decision": "returned", "answer": "Try the landlord first."},
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN
    assert issue.body == body(TOTTENHAM_GREEN)


def test_escalated_further_reaches_the_executive_which_sees_it(client_for):
    issue = make_issue(owner=body(SOUTH), title="Borough-wide street drinking")
    first = services.escalate(issue, None, tried="t", asked="a", needed_by=date.today())
    assert first.to_body == body(EXECUTIVE)
    services.answer_escalation(
        first, None, decision=Escalation.State.FURTHER, answer="For the board."
    )
    first.refresh_from_db()
    assert first.further.to_body.name == "Haringey Community Safety Partnership Board"
    # Seen on the Executive's page before it went further: answer recorded.
    issue2 = make_issue(title="Zone two drinking")
    services.escalate(issue2, None, tried="t", asked="a", needed_by=date.today())
    exec_issue = make_issue(owner=body(SOUTH), title="Needs the executive")
    services.escalate(exec_issue, None, tried="t", asked="a", needed_by=date.today())
    html = (
        client_for("admin")
        .get(reverse("casework:oversight", args=[body(EXECUTIVE).slug]))
        .content.decode()
    )
    assert "Needs the executive" in html
    assert "Zone two drinking" in html  # below it, escalated to the zone


def test_cannot_escalate_twice_or_from_the_top(client_for):
    issue = make_issue()
    services.escalate(issue, None, tried="t", asked="a", needed_by=date.today())
    with pytest.raises(ValidationError):
        services.escalate(issue, None, tried="t", asked="a", needed_by=date.today())
    board = body("Haringey Community Safety Partnership Board")
    top = make_issue(owner=board)
    with pytest.raises(ValidationError, match="reports to no body"):
        services.escalate(top, None, tried="t", asked="a", needed_by=date.today())


def test_cannot_task_a_body_that_is_not_below(client_for):
    issue = make_issue(owner=body(BRUCE_GROVE))
    with pytest.raises(ValidationError):
        services.task(
            issue, body(BRUCE_GROVE), None, to=body(SOUTH), expects="x",
            due=date.today(),
        )  # fmt: skip
    response = client_for("admin").post(
        reverse("casework:issue-task", args=[make_issue(owner=body(SOUTH)).pk]),
        {"to": f"body:{body(EXECUTIVE).pk}", "kind": "task", "expects": "x",
         "due": date.today().isoformat()},
    )  # fmt: skip
    assert "Choose a body below or a partner" in response.content.decode()


def test_commissioning_starts_a_project_owned_by_the_group(client_for):
    issue = make_issue(owner=body(SOUTH), title="Graffiti along the railway")
    ps = body("Milton Road problem-solving group")
    client_for("member").post(
        reverse("casework:issue-task", args=[issue.pk]),
        {"to": f"body:{ps.pk}", "kind": "commission", "expects": "A SARA project",
         "due": (date.today() + timedelta(days=30)).isoformat()},
    )  # fmt: skip
    issue.refresh_from_db()
    assert issue.body == ps
    assert issue.project.stage == "scanning"


def test_overdue_and_due_soon_are_computed_from_dates():
    today = date.today()
    issue = make_issue()
    late = make_action(issue, due_in=-1)
    soon = make_action(issue, due_in=3)
    later = make_action(issue, due_in=30)
    done = make_action(issue, due_in=-10, status=Action.Status.DONE)
    assert late.is_overdue(today) and not late.is_due_soon(today)
    assert soon.is_due_soon(today) and not soon.is_overdue(today)
    assert not later.is_overdue(today) and not later.is_due_soon(today)
    assert not done.is_overdue(today)
    assert set(Action.objects.filter(issue=issue).overdue(today)) == {late}


def test_updates_are_dated_history_rows(client_for):
    issue = make_issue()
    client_for("officer").post(
        reverse("casework:issue-update", args=[issue.pk]),
        {"note": "Met the landlord.", "status": "in_hand"},
    )
    event = issue.events.get(kind=IssueEvent.Kind.STATUS)
    assert (event.by.username, event.status_after) == ("officer", "in_hand")
    response = client_for("officer").post(
        reverse("casework:issue-update", args=[issue.pk]), {"status": "open"}
    )
    assert "Enter the update" in response.content.decode()


def test_an_escalation_cannot_be_needed_by_a_day_before_it_is_made(client_for):
    issue = make_issue(title="Graffiti on the railway bridge")
    yesterday = date.today() - timedelta(days=1)
    response = client_for("officer").post(
        reverse("casework:issue-escalate", args=[issue.pk]),
        {
            "tried": "Asked the railway.",
            "asked": "Decide who cleans it.",
            "needed_by_day": yesterday.day,
            "needed_by_month": yesterday.month,
            "needed_by_year": yesterday.year,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The answer needed by date must be today or in the future" in html
    assert not issue.escalations.exists()
    with pytest.raises(services.CannotEscalate, match="before today"):
        services.escalate(issue, None, tried="t", asked="a", needed_by=yesterday)


def test_a_further_escalation_keeps_a_deadline_no_earlier_than_its_day(user_for):
    issue = make_issue(title="Dumped mattresses")
    now = timezone.now()
    first = services.escalate(
        issue, None, tried="t", asked="a", at=now - timedelta(days=30),
        needed_by=date.today() - timedelta(days=20),
    )  # fmt: skip
    services.answer_escalation(
        first, user_for("member"), decision=Escalation.State.FURTHER, answer="Up"
    )
    first.refresh_from_db()
    assert first.further.needed_by == timezone.localdate()
