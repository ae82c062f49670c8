from datetime import date

import pytest

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
