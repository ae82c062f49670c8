"""Decisions: actions on the action log, escalation answers, communications,
report-backs written by partners, the equality impact rule, the digest."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import User
from csphub.casework.digest import digest_for
from csphub.casework.models import Escalation, Issue
from csphub.meetings import planning
from csphub.meetings.models import Decision, Meeting, ReportBack
from csphub.structure.models import Person

from .factories import (
    BOARD,
    body,
    haringey,
    make_decision,
    make_escalation,
    make_item,
    make_meeting,
    make_report_back,
    organisation,
)


def _day(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_key_decision_needs_an_equality_impact_assessment(db, client_for):
    item = make_item(make_meeting(days=-1), kind="decision", sought="Agree")
    url = reverse("meetings:decision-add", args=[item.pk])
    client = client_for("admin")
    data = {"text": "Adopt the VAWG strategy", "proposed_by": "Chair", "key": "on"}
    response = client.post(url, data)
    assert "equality impact assessment" in response.content.decode()
    assert not Decision.objects.filter(item=item).exists()
    data |= {"eia_groups": "Women and girls", "eia_impact": "Positive"}
    client.post(url, data)
    assert Decision.objects.get(item=item).key


def test_decision_actions_go_on_the_body_action_log(db, client_for):
    decision = make_decision(make_item(make_meeting(days=-1)))
    owner = Person.objects.filter(partnership=haringey()).first()
    client_for("admin").post(
        reverse("meetings:action-add", args=[decision.pk]),
        {
            "title": "Draft the patrol plan",
            "owner": owner.pk,
            "organisation": organisation().pk,
            "due": _day(30),
        },
    )
    decision.refresh_from_db()
    issue = decision.issue
    assert issue.body == body(BOARD) and issue.origin == Issue.Origin.BOARD
    assert issue.actions.get().title == "Draft the patrol plan"


def test_deciding_an_escalated_item_answers_the_escalation(db, client_for):
    escalation = make_escalation()
    meeting = make_meeting(days=-1)
    planning.gather_proposals(meeting)
    proposal = meeting.proposals.get(source_key=f"escalation:{escalation.pk}")
    planning.decide_proposal(proposal, None, state="agenda")
    item = proposal.item
    client_for("admin").post(
        reverse("meetings:decision-add", args=[item.pk]),
        {
            "text": "Agreed: the council funds two cameras.",
            "proposed_by": "Cabinet Member",
            "answer_state": "accepted",
        },
    )
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.ACCEPTED
    assert escalation.answer == "Agreed: the council funds two cameras."


def test_communication_recorded_and_sent(db, client_for):
    decision = make_decision(make_item(make_meeting(days=-1)))
    client = client_for("admin")
    client.post(
        reverse("meetings:communication-add", args=[decision.pk]),
        {
            "message": "Joint patrols start in Bruce Grove",
            "audience": "Residents",
            "channels": "Press release, social media",
            "sender": "Council communications",
            "by": _day(7),
        },
    )
    comm = decision.communications.get()
    assert comm.state(timezone.localdate()) == "due"
    client.post(reverse("meetings:communication-sent", args=[comm.pk]))
    comm.refresh_from_db()
    assert comm.state(timezone.localdate()) == "sent"


def test_partner_reports_back_through_the_site(db, client_for):
    decision = make_decision(make_item(make_meeting(days=-1)))
    client_for("admin").post(
        reverse("meetings:report-back-owe", args=[decision.pk]),
        {"organisation": organisation().pk, "due": _day(20)},
    )
    report_back = ReportBack.objects.get(decision=decision)
    url = report_back.get_absolute_url()
    assert client_for("officer").post(url, {}).status_code == 403  # the council
    client_for("member").post(
        url,
        {"governance_body": "Haringey BCU SMT", "account": "Adopted; patrols funded."},
    )
    report_back.refresh_from_db()
    assert report_back.state(timezone.localdate()) == "done"
    assert report_back.on_time()


def test_overdue_report_backs_are_chased_in_the_digest(db):
    decision = make_decision(
        make_item(make_meeting(days=-40, status=Meeting.Status.HELD))
    )
    make_report_back(decision, due_in=-4)
    member = User.objects.get(username="member")  # Metropolitan Police Service
    digest = digest_for(member)
    texts = [i.text for _, items in digest.groups for i in items]
    assert any("Report-back owed" in t for t in texts)
    flags = [i.flag for _, items in digest.groups for i in items]
    assert "overdue by 4 days" in flags


def test_next_agenda_lists_what_is_overdue(db, client_for):
    decision = make_decision(
        make_item(make_meeting(days=-40, status=Meeting.Status.HELD))
    )
    make_report_back(decision, due_in=-4)
    meeting = make_meeting(days=20)
    planning.gather_proposals(meeting)
    page = client_for("admin").get(reverse("meetings:planning", args=[meeting.pk]))
    assert "Overdue report-back: Metropolitan Police Service" in page.content.decode()


def test_organisation_asked_opens_its_report_back_on_an_exempt_item(db, client_for):
    meeting = make_meeting("PREVENT Board", days=-5)  # the member does not run it
    item = make_item(meeting, restricted=True, title="Exempt matter")
    decision = make_decision(item)
    report_back = make_report_back(decision, due_in=5)  # owed by the police
    url = report_back.get_absolute_url()
    assert client_for("member").get(url).status_code == 200
    assert client_for("officer").get(url).status_code == 404
    assert client_for("officer").get(item.get_absolute_url()).status_code == 404
