"""What casework tells the home page: what waits for a person (their
actions, escalations to their bodies, taskings to their bodies and
organisation) and the problem-solving projects that moved. Called by
csphub.web; a fixed number of queries whatever the data."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from csphub.lib.needs import Change, Line, Need

from .models import Action, Escalation, IssueEvent, Tasking, member_bodies

SHOWN = 5
DUE_DAYS = 7  # the "due soon" of my-actions (Action.is_due_soon)


def issue_visible(user, prefix="issue__"):
    """Issue.objects.visible_to(user) as conditions on a row's issue (the
    same rule), without asking the database to list every visible issue
    first. Search uses it too."""
    mine = member_bodies(user)
    escalated = Escalation.objects.filter(
        issue=OuterRef(prefix.rstrip("_")), to_body__in=mine
    )
    return (
        Q(**{f"{prefix}restricted": False})
        | Q(**{f"{prefix}body__in": mine})
        | Q(Exists(escalated))
    )


def _late(today, due):
    days = (today - due).days
    if days > 0:
        return f"overdue by {days} day{'s' if days != 1 else ''}", True
    return f"due {due:%-d %b}", False


def my_actions(user, partnership, today):
    """Live actions the person owns, overdue or due within DUE_DAYS: the
    overdue and due-soon parts of casework:my-actions."""
    mine = (
        Action.objects.live()
        .filter(
            owner__user=user,
            issue__partnership=partnership,
            due__lte=today + timedelta(DUE_DAYS),
        )
        .filter(issue_visible(user))
    )
    totals = mine.aggregate(
        n=Count("pk"),
        restricted=Count("pk", filter=Q(issue__restricted=True)),
        late=Count("pk", filter=Q(due__lt=today)),
    )
    lines = []
    for a in (
        mine.filter(issue__restricted=False)
        .select_related("issue")
        .order_by("due", "pk")[:SHOWN]
    ):
        flag, late = _late(today, a.due)
        lines.append(Line(f"{a.title} ({a.issue.title})", a.issue.get_absolute_url(),
                          flag, late))  # fmt: skip
    return Need(
        f"action{'s' if totals['n'] != 1 else ''} overdue or due in the next"
        f" {DUE_DAYS} days",
        totals["n"], reverse("casework:my-actions"), lines,
        totals["restricted"], totals["late"],
    )  # fmt: skip


def escalations_waiting(user, partnership):
    """Escalations waiting for an answer from a body the person sits on (the
    list on casework:index)."""
    waiting = Escalation.objects.filter(
        to_body__in=member_bodies(user),
        state=Escalation.State.PENDING,
        issue__partnership=partnership,
    ).filter(issue_visible(user))
    totals = waiting.aggregate(
        n=Count("pk"), restricted=Count("pk", filter=Q(issue__restricted=True))
    )
    lines = [
        Line(f"{e.issue.title}: from {e.from_body.name} to {e.to_body.name}",
             e.issue.get_absolute_url(), f"answer by {e.needed_by:%-d %b}")
        for e in waiting.filter(issue__restricted=False)
        .select_related("issue", "from_body", "to_body")
        .order_by("needed_by", "pk")[:SHOWN]
    ]  # fmt: skip
    n = totals["n"]
    return Need(
        f"escalation{'s' if n != 1 else ''} waiting for your bodies' answer",
        n, reverse("casework:index"), lines, totals["restricted"],
    )  # fmt: skip


def taskings_open(user, partnership):
    """Open taskings given to a body the person sits on, one Need a body
    (each links to that body's oversight page, which lists them)."""
    taskings = (
        Tasking.objects.filter(
            to_body__in=member_bodies(user),
            state=Tasking.State.OPEN,
            issue__partnership=partnership,
        )
        .filter(issue_visible(user))
        .select_related("issue", "to_body", "from_body")
        .order_by("due", "pk")
    )
    by_body = {}
    for t in taskings:
        by_body.setdefault(t.to_body, []).append(t)
    needs = []
    for body, rows in by_body.items():
        shown = [t for t in rows if not t.issue.restricted]
        needs.append(
            Need(
                f"tasking{'s' if len(rows) != 1 else ''} to {body.name}",
                len(rows),
                reverse("casework:oversight", args=[body.slug]),
                [Line(f"{t.issue.title}: from {t.from_body.name}",
                      t.issue.get_absolute_url(), f"report back by {t.due:%-d %b}")
                 for t in shown[:SHOWN]],
                len(rows) - len(shown),
            )
        )  # fmt: skip
    return needs


def projects_moved(user, partnership, since):
    """Problem-solving projects that moved stage since `since`."""
    events = (
        IssueEvent.objects.filter(
            kind=IssueEvent.Kind.PROJECT,
            at__gt=since,
            issue__partnership=partnership,
            issue__restricted=False,
        )
        .select_related("issue")
        .order_by("-at")[:SHOWN]
    )
    return [
        Change(f"{e.issue.title}: {e.note or e.get_kind_display()}",
               e.issue.get_absolute_url(), e.at)
        for e in events
    ]  # fmt: skip
