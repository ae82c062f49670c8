"""Forthcoming operations (clashes, duplication, restriction), the zone pack's
calendar, iCalendar feeds and board effectiveness."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from csphub.meetings import ical
from csphub.meetings.effectiveness import effectiveness
from csphub.meetings.models import Attendance, Meeting, Operation
from csphub.meetings.operations import flagged
from csphub.places.models import Zone

from .factories import (
    BOARD,
    SOUTH,
    body,
    haringey,
    make_item,
    make_meeting,
    organisation,
)


def _op(title, days=3, length=2, ward=None, target="Bruce Grove station", **fields):
    zone = Zone.objects.get(partnership=haringey(), name="South")
    start = timezone.localdate() + timedelta(days=days)
    fields.setdefault("organisation", organisation())
    fields.setdefault("kind", Operation.Kind.POLICE)
    return Operation.objects.create(
        partnership=haringey(),
        zone=zone,
        ward=ward,
        title=title,
        starts=start,
        ends=start + timedelta(days=length),
        lead="Sgt Patel",
        target=target,
        **fields,
    )


def test_clashes_and_duplication_are_flagged(db):
    zone = Zone.objects.get(partnership=haringey(), name="South")
    wards = list(zone.wards.order_by("name"))
    a = _op("Op Alpha", ward=wards[0])
    b = _op("Clean-up", days=4, ward=wards[0], target="Alleyways")
    c = _op("Op Gamma", days=20, ward=wards[1])  # same target, later, elsewhere
    rows = {r.operation.title: r for r in flagged([a, b, c])}
    assert rows["Op Alpha"].clashes == [b]
    assert rows["Op Alpha"].duplicates == [c]
    assert rows["Op Gamma"].clashes == []


def test_restricted_police_operation_is_seen_by_police_and_zone_members(
    db, persona, client_for
):
    _op("Op Nightjar covert", restricted=True)
    response = client_for(persona).get(reverse("meetings:operation-list"))
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona == "outsider":
        assert "Op Nightjar" not in response.content.decode()
        return
    # member: police and the South zone's chair; admin sees all.
    seen = "Op Nightjar covert" in response.content.decode()
    assert seen == (persona in {"member", "admin"})


def test_post_an_operation(db, client_for):
    zone = Zone.objects.get(partnership=haringey(), name="South")
    day = timezone.localdate() + timedelta(days=5)
    response = client_for("officer").post(
        reverse("meetings:operation-add"),
        {
            "title": "Week of action",
            "kind": "clean_up",
            "organisation": organisation("Haringey Council – Neighbourhoods").pk,
            "zone": zone.pk,
            "starts": day.isoformat(),
            "ends": (day - timedelta(days=1)).isoformat(),
            "lead": "Neighbourhood manager",
            "target": "Fly-tipping",
        },
    )
    assert "must end on or after" in response.content.decode()
    assert not Operation.objects.filter(title="Week of action").exists()


def test_zone_pack_shows_the_next_period_calendar(db, client_for):
    meeting = make_meeting(SOUTH, days=1)
    _op("Op Public patrols", days=5)
    _op("Op Secret", days=6, restricted=True)
    full = client_for("admin").get(reverse("meetings:pack", args=[meeting.pk, "full"]))
    html = full.content.decode()
    assert "Op Public patrols" in html and "Op Secret" in html and "Clash" in html
    public = client_for("admin").get(
        reverse("meetings:pack", args=[meeting.pk, "public"])
    )
    assert "Op Secret" not in public.content.decode()


def test_ical_feed_per_body_and_person(db, client_for):
    meeting = make_meeting(title="Prevention; youth, knives")
    response = client_for("member").get(
        reverse("meetings:body-calendar", args=[body(BOARD).slug])
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:meeting-{meeting.pk}@csphub" in text
    assert "Prevention\\; youth\\, knives" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    mine = client_for("member").get(reverse("meetings:my-calendar")).content.decode()
    assert "BEGIN:VEVENT" in mine  # the member sits on the Executive


def test_fold_keeps_every_line_short():
    folded = ical.fold("SUMMARY:" + "é" * 100)
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 100


def test_effectiveness_measures(db):
    meeting = make_meeting(days=-3, status=Meeting.Status.HELD)
    make_item(meeting, kind="decision", sought="Agree", minutes=30)
    make_item(meeting, kind="information", minutes=10)
    seat = meeting.body.seats.select_related("organisation").first()
    Attendance.objects.create(meeting=meeting, seat=seat, status="present")
    result = effectiveness(meeting.body)
    assert result.meetings_held >= 1
    assert result.decision_share is not None
    assert result.person_hours >= 2
    names = [row[0] for row in result.attendance]
    assert (seat.organisation.name if seat.organisation else "No organisation") in names


def test_body_page_shows_effectiveness(db, client_for):
    page = client_for("officer").get(reverse("meetings:body", args=[body(BOARD).slug]))
    assert "Effectiveness" in page.content.decode()


def test_poor_effectiveness_is_a_structure_review_finding(db):
    from csphub.structure.services import review_structure

    for days in (-40, -20):
        meeting = make_meeting("PREVENT Board", days=days, status=Meeting.Status.HELD)
        make_item(meeting, kind="information", minutes=60)
        for seat in meeting.body.seats.all():
            Attendance.objects.create(meeting=meeting, seat=seat, status="apologies")
    findings = review_structure(haringey()).findings
    found = [f for f in findings if f.kind == "meeting_effectiveness"]
    assert any(
        "PREVENT Board" in f.detail and "0% attendance" in f.detail for f in found
    )
