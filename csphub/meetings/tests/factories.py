"""make_* helpers: meetings test data, overriding only what a test is about."""

from datetime import time, timedelta

from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership
from csphub.structure.models import Body

from ..models import AgendaItem, Decision, Meeting, Paper, ReportBack

BOARD = "Haringey Community Safety Partnership Board"
EXECUTIVE = "CSP Executive"
SOUTH = "South Zonal Working group"
IOM_PANEL = "Integrated Offender Management Panel"
EXEMPT_TEXT = "Operation Nightjar covert tactics"


def haringey():
    return Partnership.objects.get(slug="haringey")


def body(name=BOARD):
    return Body.objects.get(partnership=haringey(), name=name)


def organisation(name="Metropolitan Police Service"):
    return Organisation.objects.get(name=name)


def make_meeting(body_name=BOARD, days=14, **fields):
    """A meeting (no standing items or proposals: see services.create_meeting)."""
    b = body(body_name)
    fields.setdefault("date", timezone.localdate() + timedelta(days=days))
    fields.setdefault("start", time(18, 0))
    fields.setdefault("end", time(20, 0))
    fields.setdefault("place", "Civic Centre, Wood Green")
    return Meeting.objects.create(partnership=b.partnership, body=b, **fields)


def make_item(meeting, **fields):
    fields.setdefault("title", "Violence against women and girls")
    fields.setdefault("kind", AgendaItem.Kind.DISCUSSION)
    fields.setdefault("minutes", 20)
    return AgendaItem.objects.create(meeting=meeting, **fields)


def make_exempt(meeting):
    """An exempt item with a paper, the text tests look for in public output."""
    item = make_item(meeting, title=EXEMPT_TEXT, restricted=True)
    Paper.objects.create(
        item=item, title=f"{EXEMPT_TEXT} paper", text=EXEMPT_TEXT, restricted=True
    )
    return item


def make_decision(item, **fields):
    fields.setdefault("text", "Partners fund a joint patrol plan for Bruce Grove.")
    fields.setdefault("proposed_by", "Borough Commander")
    return Decision.objects.create(item=item, **fields)


def make_report_back(decision, due_in=-3, **fields):
    fields.setdefault("organisation", organisation())
    fields.setdefault("due", timezone.localdate() + timedelta(days=due_in))
    return ReportBack.objects.create(decision=decision, **fields)
