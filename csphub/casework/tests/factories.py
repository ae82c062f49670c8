"""make_* helpers: casework test data, overriding only what a test is about."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership, User
from csphub.structure.models import Body, Person, Seat

from ..models import Action, Issue, Tasking, Theme

_n = count(1)


def haringey():
    return Partnership.objects.get(slug="haringey")


def body(name):
    return Body.objects.get(partnership=haringey(), name=name)


SOUTH = "South Zonal Working group"
TOTTENHAM_GREEN = "Tottenham Green Area Based Working group"
BRUCE_GROVE = "Bruce Grove Area Based Working group"
IOM_PANEL = "Integrated Offender Management Panel"
EXECUTIVE = "CSP Executive"


def police():
    return Organisation.objects.get(name="Metropolitan Police Service")


def person_of(username):
    user = User.objects.get(username=username)
    person, _ = Person.objects.get_or_create(
        partnership=haringey(),
        name=str(user),
        defaults={"user": user, "organisation": user.organisation},
    )
    return person


def seat(username, body_name, role=Seat.Role.MEMBER):
    person = person_of(username)
    Seat.objects.get_or_create(
        body=body(body_name), person=person, defaults={"role": role}
    )
    return person


def make_issue(owner=None, **fields):
    owner = owner or body(TOTTENHAM_GREEN)
    fields.setdefault("title", f"Test issue {next(_n)}")
    fields.setdefault("theme", Theme.ASB)
    fields.setdefault("origin", Issue.Origin.PARTNER)
    if owner.ward_id:
        fields.setdefault("ward", owner.ward)
    return Issue.objects.create(partnership=owner.partnership, body=owner, **fields)


def make_action(issue, due_in=7, **fields):
    fields.setdefault("title", f"Test action {next(_n)}")
    fields.setdefault("owner", person_of("officer"))
    fields.setdefault("organisation", police())
    fields.setdefault("due", timezone.localdate() + timedelta(days=due_in))
    return Action.objects.create(issue=issue, **fields)


def make_tasking(issue, from_body, to_body, due_in=14, **fields):
    fields.setdefault("expects", "A plan")
    fields.setdefault("due", timezone.localdate() + timedelta(days=due_in))
    return Tasking.objects.create(
        issue=issue, from_body=from_body, to_body=to_body, **fields
    )
