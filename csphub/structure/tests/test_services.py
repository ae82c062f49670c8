from datetime import date

import pytest

from csphub.accounts.models import AuditEntry
from csphub.structure import services
from csphub.structure.models import Body, BodyChange

from .factories import haringey, make_body

pytestmark = pytest.mark.django_db


def test_terms_are_versioned_and_the_old_version_is_kept(user_for):
    body = make_body()
    first = body.current_terms
    services.revise_terms(
        body,
        user_for("admin"),
        {"purpose": "New", "frequency": "quarterly"},
        change_note="Fewer meetings",
    )
    body.refresh_from_db()
    assert body.current_terms.version == 2
    assert body.current_terms.purpose == "New"
    assert body.terms.count() == 2
    first.refresh_from_db()
    assert first.purpose == "Testing"
    assert body.changes.filter(kind=BodyChange.Kind.TERMS).exists()


def test_status_changes_are_recorded_with_who_why_and_decision(user_for):
    admin = user_for("admin")
    body = make_body()
    other = make_body()
    change = services.change_status(
        body,
        admin,
        BodyChange.Kind.MERGED,
        reason="Same people",
        authorised_by="CSP Board, 1 May 2025",
        on=date(2025, 5, 2),
        merged_into=other,
    )
    body.refresh_from_db()
    assert body.status == Body.Status.DISCONTINUED and body.ended == date(2025, 5, 2)
    assert change.by == admin and change.merged_into == other
    assert change.status_before == "active"


def test_create_body_records_set_up_and_first_terms(user_for):
    body = services.create_body(
        haringey(),
        user_for("admin"),
        reason="Board decision",
        name="New group",
        slug="new-group",
        kind=Body.Kind.TASK_AND_FINISH,
        terms={"purpose": "Finish a thing", "frequency": "monthly"},
    )
    assert body.level == Body.Level.OPERATIONAL
    assert body.current_terms.version == 1
    assert body.changes.get().kind == BodyChange.Kind.SET_UP


def test_would_cycle():
    a = make_body()
    b = make_body(reports_to=a)
    assert services.would_cycle(a, b)
    assert not services.would_cycle(b, a)


def test_each_change_is_audited_in_the_partnership_by_whoever_made_it(user_for):
    admin, partnership = user_for("admin"), haringey()
    last = AuditEntry.objects.order_by("pk").last()
    body = services.create_body(
        partnership,
        admin,
        reason="Board decision",
        name="Audited group",
        slug="audited-group",
        kind=Body.Kind.TASK_AND_FINISH,
    )
    services.update_body(body, admin, reason="Wider remit", name="Audited panel")
    services.revise_terms(
        body, admin, {"purpose": "Audit", "frequency": "monthly"}, change_note="New"
    )
    seat = services.add_seat(body, admin, person_name="Ann Example")
    services.end_seat(seat, admin, on=date(2025, 6, 1))
    services.record_meeting(body, admin, date(2025, 6, 2))
    review = services.record_review(partnership, admin, today=date(2025, 6, 3))
    finding = review.findings.order_by("pk").first()
    services.decide_finding(finding, admin, "dismissed", "Known already")

    # The service's own line, with its actor and reason (the trail's lines of
    # each save, field by field, come with them).
    entries = AuditEntry.objects.filter(
        pk__gt=last.pk if last else 0, actor=admin
    ).order_by("pk")
    assert [(e.action, e.record_type, e.record_label, e.reason) for e in entries] == [
        ("create", "structure.Body", "Audited group", ""),
        ("change", "structure.Body", "Audited panel", ""),
        ("change", "structure.TermsOfReference", str(body.current_terms), ""),
        ("create", "structure.Seat", str(seat), ""),
        ("change", "structure.Seat", str(seat), "seat ended"),
        ("change", "structure.Body", "Audited panel", "met on 2025-06-02"),
        ("create", "structure.StructureReview", str(review), ""),
        ("change", "structure.Finding", str(finding), "dismissed: Known already"),
    ]
    assert {e.partnership for e in entries} == {partnership}
