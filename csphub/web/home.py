"""The home page's gathering: what waits for the signed-in person, what
changed in the areas they work in, and the lead section of their role.

The logic of what waits for whom lives in each app's home.py; this only
calls them for the person and orders the results. Every call is a fixed
number of queries, so the page is too.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from csphub.accounts import home as accounts_home
from csphub.accounts.models import AuditEntry, Role
from csphub.casework import home as casework
from csphub.casework.models import member_bodies
from csphub.delivery import home as delivery
from csphub.intelligence import home as intelligence
from csphub.lib.needs import Line
from csphub.meetings import home as meetings
from csphub.performance import home as performance
from csphub.reports import home as reports
from csphub.structure import home as structure
from csphub.structure.models import Body

DEFAULT_SINCE_DAYS = 7


@dataclass
class Home:
    needs: list = field(default_factory=list)  # [Need] with something waiting
    since: object = None  # when "what changed" starts
    briefing: object = None  # intelligence.home.LatestBriefing
    exceptions: object = None  # a Need: the highlight report's exceptions
    projects: list = field(default_factory=list)  # [Change]
    decisions: list = field(default_factory=list)  # [Change]
    board: dict = field(default_factory=dict)  # a board member's lead section
    analyst: dict = field(default_factory=dict)
    admin: dict = field(default_factory=dict)

    @property
    def restricted(self):
        return sum(n.restricted for n in self.needs)


def last_signed_in(user, now):
    """When the person signed in before this session (the audit log's
    second newest sign-in), else DEFAULT_SINCE_DAYS ago."""
    times = list(
        AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.SIGN_IN)
        .order_by("-at")
        .values_list("at", flat=True)[:2]
    )
    return times[1] if len(times) > 1 else now - timedelta(DEFAULT_SINCE_DAYS)


def waiting(user, partnership, today):
    """Every app's Needs for the person, those with something waiting."""
    needs = [
        casework.my_actions(user, partnership, today),
        casework.escalations_waiting(user, partnership),
        *casework.taskings_open(user, partnership),
        meetings.my_meetings(user, partnership, today),
        meetings.homework_owed(user, partnership, today),
        meetings.report_backs_owed(user, partnership, today),
        delivery.updates_owed(user, partnership, today),
        reports.overdue_for(user, partnership, today),
    ]
    return [n for n in needs if n]


def pack_line(meeting):
    """The next meeting, linked to its pack (meetings.home decides which)."""
    if meeting is None:
        return None
    url, flag = meetings.pack_of(meeting)
    return Line(f"{meeting.name}, {meeting.date:%A %-d %B %Y}", url, flag)


def home_for(request):
    user, partnership, roles = request.user, request.partnership, request.roles
    now = timezone.now()
    today = timezone.localdate(now)
    home = Home(needs=waiting(user, partnership, today))
    home.since = last_signed_in(user, now)
    zone_ids = [
        z
        for z in Body.objects.filter(pk__in=member_bodies(user)).values_list(
            "zone_id", flat=True
        )
        if z
    ]
    home.briefing = intelligence.latest_briefing(partnership, zone_ids)
    home.exceptions = performance.highlight_exceptions(partnership)
    home.projects = casework.projects_moved(user, partnership, home.since)
    home.decisions = meetings.decisions_since(
        user, partnership, home.since, is_admin=Role.ADMIN in roles
    )
    if Role.MEMBER in roles:
        home.board = {
            "next": pack_line(meetings.next_meeting(user, partnership, today)),
            "awaiting": meetings.decisions_awaiting_report_backs(
                user, partnership, today
            ),
        }
    if Role.ANALYST in roles:
        freshness = intelligence.data_freshness(partnership)
        home.analyst = {
            "freshness": freshness,
            "to_prepare": intelligence.briefings_to_prepare(partnership, freshness),
        }
    if Role.ADMIN in roles:
        home.admin = {
            "people": structure.people_without_a_seat(partnership),
            "bodies": structure.bodies_not_meeting(partnership, today),
            "agreements": accounts_home.agreements_expiring(partnership, today),
        }
    return home
