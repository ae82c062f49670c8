import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from csphub.accounts.models import Partnership
from csphub.structure import services
from csphub.structure.models import Body

from .factories import haringey, make_body, make_person, make_priority, make_seat

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 1)


def kinds(partnership, today=TODAY):
    return [f.kind for f in services.review_structure(partnership, today).findings]


def test_barnet_review_finds_the_four_priorities_without_a_strategic_group():
    barnet = Partnership.objects.get(slug="barnet")
    findings = services.review_structure(barnet, TODAY).findings
    gaps = [f.detail for f in findings if f.kind == "priority_without_strategic_body"]
    assert len(gaps) == 4
    for name in ["Building reassurance", "Burglary", "Places where", "Repeat vict"]:
        assert any(d.startswith(name) for d in gaps), name


def test_barnet_review_finds_overlapping_bodies_from_the_demo_membership():
    barnet = Partnership.objects.get(slug="barnet")
    overlaps = [
        f
        for f in services.review_structure(barnet, TODAY).findings
        if f.kind == "membership_overlap"
    ]
    pairs = [{b.name for b in f.bodies} for f in overlaps]
    assert {"Burglary Group", "Burglary and Robbery Tasking Group"} in pairs
    burglary = overlaps[
        pairs.index({"Burglary Group", "Burglary and Robbery Tasking Group"})
    ]
    assert "Police crime analyst" in burglary.people
    assert "100%" in burglary.detail
    assert burglary.saving_hours_per_year > 0


def test_busy_member_and_cost(django_user_model):
    partnership = haringey()
    person = make_person(name="Very busy person")
    bodies = [make_body(frequency="monthly", minutes=60) for _ in range(5)]
    for body in bodies:
        make_seat(body, person)
    busy = [
        f
        for f in services.review_structure(partnership, TODAY).findings
        if f.kind == "busy_member" and f.people == ["Very busy person"]
    ]
    assert len(busy) == 1
    assert "5 bodies, 60 hours" in busy[0].detail
    assert busy[0].saving_hours_per_year == 24  # two seats of 12 hours


def test_duplicate_coverage_at_the_same_level_and_parent():
    priority = make_priority(name="Knife crime")
    parent = make_body(kind=Body.Kind.STRATEGIC_BOARD)
    make_body(name="Knife group A", priorities=[priority], reports_to=parent)
    make_body(name="Knife group B", priorities=[priority], reports_to=parent)
    found = [
        f
        for f in services.review_structure(haringey(), TODAY).findings
        if f.kind == "duplicate_coverage"
    ]
    assert any(
        {b.name for b in f.bodies} == {"Knife group A", "Knife group B"} for f in found
    )


def test_no_reporting_line_cycle_overdue_pending_and_not_meeting():
    orphan = make_body(name="Orphan group")
    a = make_body(name="Cycle A")
    b = make_body(name="Cycle B", reports_to=a)
    a.reports_to = b
    a.save()
    make_body(
        name="Late T&F",
        kind=Body.Kind.TASK_AND_FINISH,
        end_date=TODAY - timedelta(days=10),
        output_owed="A report",
        reports_to=orphan,
    )
    make_body(
        name="Pending group",
        status=Body.Status.START_PENDING,
        status_since=TODAY - timedelta(days=200),
        reports_to=orphan,
    )
    make_body(
        name="Quiet group", last_met=TODAY - timedelta(days=120), reports_to=orphan
    )
    make_body(
        name="Met recently", last_met=TODAY - timedelta(days=20), reports_to=orphan
    )
    findings = services.review_structure(haringey(), TODAY).findings
    named = {(f.kind, b.name) for f in findings for b in f.bodies}
    assert ("no_reporting_line", "Orphan group") in named
    assert ("reporting_cycle", "Cycle A") in named
    assert ("task_and_finish_overdue", "Late T&F") in named
    assert ("pending_too_long", "Pending group") in named
    assert ("not_meeting", "Quiet group") in named
    assert ("not_meeting", "Met recently") not in named


def test_command_prints_the_json_shape():
    out = StringIO()
    call_command(
        "structure_review", "--partnership", "barnet", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) == {"partnership", "date", "findings"}
    assert data["partnership"] == "barnet"
    for f in data["findings"]:
        assert set(f) == {"kind", "bodies", "people", "detail", "saving_hours_per_year"}
    assert {f["kind"] for f in data["findings"]} >= {
        "busy_member",
        "membership_overlap",
        "priority_without_strategic_body",
        "pending_too_long",
    }


def test_command_text_and_bad_input():
    out = StringIO()
    call_command(
        "structure_review", "--partnership", "haringey", "--record", stdout=out
    )
    assert "findings; the structure costs" in out.getvalue()
    assert haringey().reviews.count() == 1
    with pytest.raises(CommandError, match="no partnership"):
        call_command("structure_review", "--partnership", "nowhere")
    with pytest.raises(CommandError, match="not YYYY-MM-DD"):
        call_command("structure_review", "--partnership", "barnet", "--date", "soon")


def test_recorded_review_keeps_decisions_for_the_next_review(user_for):
    admin = user_for("admin")
    first = services.record_review(haringey(), admin, today=TODAY)
    finding = first.findings.first()
    services.decide_finding(finding, admin, "dismissed", "Intended")
    second = services.record_review(haringey(), admin, today=TODAY + timedelta(days=90))
    again = second.findings.get(key=finding.key)
    assert again.state == "dismissed" and again.reason == "Intended"
    assert second.findings.count() == first.findings.count()


def test_review_flags_open_ended_task_groups_and_incomplete_terms():
    from csphub.structure.models import TermsOfReference

    top = make_body(name="Top board", kind=Body.Kind.STRATEGIC_BOARD)
    make_body(name="Open-ended T&F", kind=Body.Kind.TASK_AND_FINISH, reports_to=top)
    make_body(name="Dated T&F", kind=Body.Kind.TASK_AND_FINISH, reports_to=top,
              end_date=TODAY + timedelta(days=60))  # fmt: skip
    loose = make_body(name="Loose group")  # no members, no reporting line
    TermsOfReference.objects.filter(body=loose).update(purpose=" ")
    make_body(name="Other partnership's board", kind=Body.Kind.PARALLEL)
    findings = services.review_structure(haringey(), TODAY).findings
    named = {(f.kind, b.name): f for f in findings for b in f.bodies}
    assert ("task_and_finish_no_end", "Open-ended T&F") in named
    assert ("task_and_finish_no_end", "Dated T&F") not in named
    detail = named[("terms_incomplete", "Loose group")].detail
    assert "purpose, membership and reporting line" in detail
    assert ("terms_incomplete", "Other partnership's board") not in named
