"""make_* helpers: structure test data, overriding only what a test is about."""

from itertools import count

from csphub.accounts.models import Organisation, Partnership
from csphub.strategy.models import Priority
from csphub.structure.models import Body, Person, Seat, TermsOfReference

_n = count(1)


def haringey():
    return Partnership.objects.get(slug="haringey")


def make_priority(partnership=None, **fields):
    n = next(_n)
    fields.setdefault("name", f"Test priority {n}")
    fields.setdefault("slug", f"test-priority-{n}")
    return Priority.objects.create(partnership=partnership or haringey(), **fields)


def make_body(
    partnership=None, *, priorities=(), frequency="monthly", minutes=60, **fields
):
    n = next(_n)
    fields.setdefault("name", f"Test body {n}")
    fields.setdefault("slug", f"test-body-{n}")
    fields.setdefault("kind", Body.Kind.OPERATIONAL)
    body = Body.objects.create(partnership=partnership or haringey(), **fields)
    body.priorities.set(priorities)
    body.current_terms = TermsOfReference.objects.create(
        body=body,
        version=1,
        purpose="Testing",
        frequency=frequency,
        meeting_minutes=minutes,
    )
    body.save(update_fields=["current_terms"])
    return body


def make_person(partnership=None, **fields):
    fields.setdefault("name", f"Test person {next(_n)}")
    return Person.objects.create(partnership=partnership or haringey(), **fields)


def make_seat(body, person=None, **fields):
    person = person or make_person(body.partnership)
    fields.setdefault(
        "organisation", Organisation.objects.get(name="Metropolitan Police Service")
    )
    return Seat.objects.create(body=body, person=person, **fields)


def make_structure(partnership, bodies, seats_per_body, people):
    """A generated structure: `bodies` bodies, `seats_per_body` seats each,
    drawn from `people` people; reporting lines form a tree."""
    priorities = [make_priority(partnership) for _ in range(8)]
    persons = [make_person(partnership) for _ in range(people)]
    made = []
    for i in range(bodies):
        body = make_body(
            partnership,
            priorities=[priorities[i % 8]],
            reports_to=made[(i - 1) // 4] if made else None,
            kind=Body.Kind.STRATEGIC_BOARD if not made else Body.Kind.OPERATIONAL,
        )
        made.append(body)
        for j in range(seats_per_body):
            make_seat(body, persons[(i * 3 + j) % people])
    return made
