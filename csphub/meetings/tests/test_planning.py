"""Agenda planning: proposals from the sources, the planners' decisions, the
rehearsal, homework."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.intelligence.models import Briefing
from csphub.meetings import planning
from csphub.meetings.models import AgendaItem, Meeting, Proposal, Question

from .factories import (
    BOARD,
    EXECUTIVE,
    SOUTH,
    body,
    haringey,
    make_decision,
    make_escalation,
    make_item,
    make_meeting,
    make_report_back,
    organisation,
)


def test_escalation_awaiting_the_body_is_proposed(db):
    escalation = make_escalation()
    meeting = make_meeting()
    assert planning.gather_proposals(meeting) >= 1
    proposals = meeting.proposals.filter(source=Proposal.Source.ESCALATION)
    assert escalation in {p.escalation for p in proposals}
    assert planning.gather_proposals(meeting) == 0  # idempotent


def test_overdue_report_back_is_proposed_for_the_next_meeting(db):
    earlier = make_meeting(days=-60, status=Meeting.Status.HELD)
    decision = make_decision(make_item(earlier, kind="decision", sought="Agree"))
    overdue = make_report_back(decision, due_in=-5)
    make_report_back(decision, due_in=10, organisation=organisation("London Probation"))
    meeting = make_meeting()
    planning.gather_proposals(meeting)
    proposed = meeting.proposals.filter(source=Proposal.Source.REPORT_BACK)
    found = {p.report_back for p in proposed}
    assert overdue in found
    assert not any(r.decision == decision and r != overdue for r in found)


def test_referral_from_a_sub_group_is_proposed(db):
    sub = make_meeting(EXECUTIVE, days=-10, status=Meeting.Status.HELD)
    make_decision(make_item(sub), refer_to=body(BOARD), text="Board to adopt VAWG plan")
    meeting = make_meeting()
    planning.gather_proposals(meeting)
    proposals = meeting.proposals.filter(source=Proposal.Source.SUB_GROUP)
    assert any("VAWG" in p.detail for p in proposals)


def test_zone_meeting_takes_the_latest_briefing_first(db):
    south = body(SOUTH)
    month = timezone.localdate().replace(day=1)
    briefing = Briefing.objects.create(
        partnership=haringey(),
        zone=south.zone,
        month=month,
        status=Briefing.Status.DONE,
        seed=1,
        results={"summary": ["Robbery rose in Seven Sisters."]},
    )
    meeting = make_meeting(SOUTH)
    planning.gather_proposals(meeting)
    first = meeting.proposals.order_by("order").first()
    assert first.briefing == briefing and first.order == 0


def test_highlight_exceptions_are_proposed_with_charts(db):
    from csphub.performance.models import Review

    if not Review.objects.filter(partnership=haringey()).exists():
        pytest.skip("no performance review in the demo")
    meeting = make_meeting(days=60)
    planning.gather_proposals(meeting)
    found = meeting.proposals.filter(source=Proposal.Source.HIGHLIGHT)
    assert found.exists()
    assert all("<svg" in p.chart_svg for p in found if p.chart_svg)


def test_planner_puts_a_proposal_on_the_agenda(db, client_for):
    escalation = make_escalation()
    meeting = make_meeting()
    planning.gather_proposals(meeting)
    proposal = meeting.proposals.get(source_key=f"escalation:{escalation.pk}")
    client_for("member").post(
        proposal.get_absolute_url(),
        {"state": "agenda", "kind": "decision", "minutes": "25"},
    )
    item = AgendaItem.objects.get(proposal=proposal)
    assert item.kind == "decision" and item.minutes == 25


def test_declining_needs_a_reason_the_proposer_sees(db, client_for):
    meeting = make_meeting()
    client = client_for("officer")
    client.post(
        reverse("meetings:propose", args=[meeting.pk]),
        {"title": "Street drinking by the bus station", "kind": "discussion"},
    )
    proposal = Proposal.objects.get(title="Street drinking by the bus station")
    planner = client_for("member")
    response = planner.post(proposal.get_absolute_url(), {"state": "declined"})
    assert "Give the reason" in response.content.decode()
    planner.post(
        proposal.get_absolute_url(),
        {"state": "declined", "reason": "Take it to the West zone meeting."},
    )
    page = client.get(reverse("meetings:mine")).content.decode()
    assert "Take it to the West zone meeting." in page
    assert (
        client.post(proposal.get_absolute_url(), {"state": "agenda"}).status_code == 403
    )


def test_rehearsal_flags_overrun_and_missing_decisions(db, client_for):
    meeting = make_meeting()  # 120 minutes
    make_item(meeting, kind="decision", sought="", minutes=60, title="Budget")
    make_item(meeting, kind="information", minutes=40, title="Update on CCTV")
    make_item(meeting, kind="decision", sought="Agree the plan", minutes=40)
    rehearsal = planning.rehearse(meeting, list(meeting.items.all()))
    assert rehearsal.total == 140 and rehearsal.overrun == 20
    assert rehearsal.decision_share == 71
    assert [i.title for i in rehearsal.no_decision_sought] == ["Budget"]
    assert [i.title for i in rehearsal.could_be_briefings] == ["Update on CCTV"]
    page = client_for("admin").get(reverse("meetings:planning", args=[meeting.pk]))
    assert "overruns by 20 minutes" in page.content.decode()


def test_a_decision_item_needs_the_decision_sought(db, client_for):
    meeting = make_meeting()
    response = client_for("admin").post(
        reverse("meetings:item-add", args=[meeting.pk]),
        {"title": "Budget", "kind": "decision", "minutes": "20", "order": "5"},
    )
    assert "Say what decision is sought" in response.content.decode()


def test_homework_answered_by_the_organisation_goes_into_the_pack(db, client_for):
    meeting = make_meeting()
    item = make_item(meeting)
    admin = client_for("admin")
    admin.post(
        reverse("meetings:question-add", args=[item.pk]),
        {
            "organisation": organisation().pk,
            "text": "How many patrols did Bruce Grove get?",
            "due": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    question = Question.objects.get(item=item)
    url = reverse("meetings:question", args=[question.pk])
    # The officer works for the council; the member for the police.
    assert client_for("officer").post(url, {"answer": "x"}).status_code == 403
    client_for("member").post(url, {"answer": "Forty patrols in March."})
    question.refresh_from_db()
    assert question.answered_on_time()
    pack = admin.get(reverse("meetings:pack", args=[meeting.pk, "public"]))
    assert "Forty patrols in March." in pack.content.decode()


def test_planning_page_queries_stay_fixed(
    db, client_for, django_assert_max_num_queries
):
    meeting = make_meeting()
    make_item(meeting, title="First")
    Proposal.objects.create(meeting=meeting, source="member", title="First")
    client = client_for("admin")
    client.get(reverse("meetings:planning", args=[meeting.pk]))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("meetings:planning", args=[meeting.pk]))
    for n in range(25):
        make_item(meeting, title=f"Item {n}")
        Proposal.objects.create(meeting=meeting, source="member", title=f"P {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("meetings:planning", args=[meeting.pk]))


def test_deferred_proposal_comes_back_next_time(db):
    first = make_meeting(days=3)
    proposal = planning.propose(first, None, title="Knife arches", kind="decision")
    planning.decide_proposal(proposal, None, state="deferred", reason="Next time")
    later = make_meeting(days=40)
    planning.gather_proposals(later)
    back = later.proposals.get(source_key=f"deferred:{proposal.pk}")
    assert back.title == "Knife arches" and "Next time" in back.detail


def test_homework_is_sent_with_the_agenda(db, client_for, mailoutbox):
    meeting = make_meeting()
    item = make_item(meeting)
    Question.objects.create(
        item=item,
        organisation=organisation(),
        text="How many patrols?",
        due=timezone.localdate() + timedelta(days=3),
    )
    from csphub.meetings import services

    assert services.send_homework(meeting) >= 1
    to_member = [m for m in mailoutbox if m.to == ["member@csphub.invalid"]]
    assert to_member and "How many patrols?" in to_member[0].body
