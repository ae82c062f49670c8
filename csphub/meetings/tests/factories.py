"""make_* helpers: meetings test data, overriding only what a test is about.

The bodies' names and look-ups are casework's (IOM_PANEL and SOUTH are
re-exported, `as`, for the meetings tests that import them from here)."""

from datetime import time, timedelta

from django.utils import timezone

from csphub.accounts.models import Organisation
from csphub.casework import services as casework
from csphub.casework.models import Issue, Theme
from csphub.casework.tests.factories import (
    EXECUTIVE,
    IOM_PANEL as IOM_PANEL,
    SOUTH as SOUTH,
    body,
    haringey,
)

from ..models import AgendaItem, Decision, Meeting, Paper, ReportBack

BOARD = "Haringey Community Safety Partnership Board"
EXEMPT_TEXT = "Operation Nightjar covert tactics"


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


def make_escalation(**fields):
    """An issue of the CSP Executive escalated to the body above it, the Board."""
    fields.setdefault("title", "Funding for the Bruce Grove CCTV")
    fields.setdefault("theme", Theme.ASB)
    fields.setdefault("origin", Issue.Origin.PARTNER)
    issue = Issue.objects.create(partnership=haringey(), body=body(EXECUTIVE), **fields)
    return casework.escalate(
        issue,
        None,
        tried="Asked the council's capital fund.",
        asked="Board to agree joint funding.",
        needed_by=timezone.localdate() + timedelta(days=30),
    )
