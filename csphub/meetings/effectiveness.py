"""Board effectiveness, computed per body and period from what its meetings
recorded: time on decisions, business diverted to written briefings, pages of
papers, homework and report-backs on time, actions from decisions done on
time, attendance per organisation, and the cost of meeting in person-hours."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from csphub.casework.models import Action

from .models import (
    AgendaItem,
    Attendance,
    Meeting,
    Paper,
    Proposal,
    Question,
    ReportBack,
)


def _share(part, whole):
    return round(100 * part / whole) if whole else None


@dataclass
class Effectiveness:
    """A body's effectiveness over a period; shares are percentages, None
    where there was nothing to measure."""

    start: object
    end: object
    meetings_held: int = 0
    decision_share: int | None = None
    written_briefings: int = 0
    items: int = 0
    paper_pages: int = 0
    homework_on_time: int | None = None
    homework_asked: int = 0
    actions_on_time: int | None = None
    actions_due: int = 0
    person_hours: float = 0
    report_backs: list = field(default_factory=list)  # (org, on time, due, share)
    attendance: list = field(default_factory=list)  # (org, attended, expected, share)


def effectiveness(body, start=None, end=None):
    """Compute the measures for a body's held meetings in [start, end]
    (the last twelve months by default), in a fixed number of queries."""
    end = end or timezone.localdate()
    start = start or end - timedelta(days=365)
    held = Meeting.objects.filter(
        body=body,
        date__range=(start, end),
        status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED],
    )
    result = Effectiveness(start=start, end=end, meetings_held=held.count())
    items = AgendaItem.objects.filter(meeting__in=held).aggregate(
        total=Sum("minutes"),
        decisions=Sum("minutes", filter=Q(kind=AgendaItem.Kind.DECISION)),
        count=Count("pk"),
    )
    result.items = items["count"]
    result.decision_share = _share(items["decisions"] or 0, items["total"] or 0)
    result.written_briefings = Proposal.objects.filter(
        meeting__in=held, state=Proposal.State.BRIEFING
    ).count()
    result.paper_pages = sum(
        p.pages() for p in Paper.objects.current().filter(item__meeting__in=held)
    )
    questions = list(
        Question.objects.filter(item__meeting__in=held).only("due", "answered_at")
    )
    result.homework_asked = len(questions)
    result.homework_on_time = _share(
        sum(q.answered_on_time() for q in questions), len(questions)
    )
    today = timezone.localdate()
    actions = list(
        Action.objects.filter(
            issue__in=held.values("items__decisions__issue"), due__lte=today
        ).only("due", "completed_on")
    )
    result.actions_due = len(actions)
    result.actions_on_time = _share(
        sum(1 for a in actions if a.completed_on and a.completed_on <= a.due),
        len(actions),
    )
    result.report_backs = _report_backs(held, today)
    result.attendance, attended = _attendance(held)
    result.person_hours = round(
        sum(m.length_minutes() * attended.get(m.pk, 0) for m in held) / 60, 1
    )
    return result


def _report_backs(held, today):
    counts = defaultdict(lambda: [0, 0])
    for r in ReportBack.objects.filter(
        decision__item__meeting__in=held, due__lte=today
    ).select_related("organisation"):
        counts[r.organisation.name][1] += 1
        counts[r.organisation.name][0] += r.on_time()
    return [
        (name, on_time, due, _share(on_time, due))
        for name, (on_time, due) in sorted(counts.items())
    ]


def _attendance(held):
    """Attendance per organisation, and the people counted at each meeting."""
    counts = defaultdict(lambda: [0, 0])
    attended = defaultdict(int)
    rows = Attendance.objects.filter(meeting__in=held).values_list(
        "meeting_id", "status", "seat__organisation__name"
    )
    for meeting_id, status, organisation in rows:
        name = organisation or "No organisation"
        counts[name][1] += 1
        if status in Attendance.COUNTS:
            counts[name][0] += 1
            attended[meeting_id] += 1
    per_org = [
        (name, came, expected, _share(came, expected))
        for name, (came, expected) in sorted(counts.items())
    ]
    return per_org, attended
