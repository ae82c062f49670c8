"""What meetings tells the home page: homework and report-backs a person's
organisation owes, meetings of their bodies this fortnight (with their
packs), the next meeting's pack, decisions awaiting report-backs, and
decisions taken since they last signed in. Called by csphub.web."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse

from csphub.casework.models import member_bodies
from csphub.lib.needs import Change, Line, Need

from .models import Decision, Meeting, Question, ReportBack

SHOWN = 5
FORTNIGHT = 14


def _flag(today, due):
    days = (today - due).days
    if days > 0:
        return f"overdue by {days} day{'s' if days != 1 else ''}", True
    return f"due {due:%-d %b}", False


def _owed(rows, today, label, text):
    """A Need of an organisation's unanswered homework or report-backs (the
    lists on meetings:mine); exempt items' are counted, not named."""
    totals = rows.aggregate(
        n=Count("pk"),
        restricted=Count("pk", filter=Q(**{text[0]: True})),
        late=Count("pk", filter=Q(due__lt=today)),
    )
    lines = []
    for r in rows.filter(**{text[0]: False}).order_by("due", "pk")[:SHOWN]:
        flag, late = _flag(today, r.due)
        lines.append(Line(text[1](r), text[2](r), flag, late))
    n = totals["n"]
    return Need(
        label + ("s" if n != 1 else "") + " your organisation owes",
        n, reverse("meetings:mine"), lines, totals["restricted"], totals["late"],
    )  # fmt: skip


def homework_owed(user, partnership, today):
    rows = Question.objects.filter(
        organisation_id=user.organisation_id,
        item__meeting__partnership=partnership,
        answered_at=None,
    ).select_related("item__meeting__body")
    return _owed(rows, today, "homework question", (
        "item__restricted", lambda q: f"{q.item.meeting}: {q.text[:120]}",
        lambda q: reverse("meetings:question", args=[q.pk]),
    ))  # fmt: skip


def report_backs_owed(user, partnership, today):
    rows = (
        ReportBack.objects.outstanding()
        .filter(
            organisation_id=user.organisation_id,
            decision__item__meeting__partnership=partnership,
        )
        .select_related("decision__item__meeting__body")
    )
    return _owed(rows, today, "report-back", (
        "decision__item__restricted",
        lambda r: f"{r.decision.item.meeting}: {r.decision.text[:120]}",
        ReportBack.get_absolute_url,
    ))  # fmt: skip


def pack_of(meeting):
    """(url, flag): the full pack once the papers are out (a member of the
    body runs its meetings and may open it), else the meeting's page."""
    if meeting.status == Meeting.Status.PLANNED:
        return meeting.get_absolute_url(), "agenda being planned"
    return reverse("meetings:pack", args=[meeting.pk, "full"]), "pack ready"


def my_meetings(user, partnership, today):
    """Meetings of bodies the person sits on in the next fortnight, soonest
    first, each with its pack once the papers are out."""
    meetings = list(
        Meeting.objects.filter(
            partnership=partnership,
            body__in=member_bodies(user),
            date__gte=today,
            date__lte=today + timedelta(FORTNIGHT),
        )
        .select_related("body")
        .order_by("date", "start")
    )
    lines = [
        Line(f"{m.body.label}{': ' + m.title if m.title else ''},"
             f" {m.date:%A %-d %B} at {m.start:%H:%M}", *pack_of(m))
        for m in meetings[:SHOWN]
    ]  # fmt: skip
    n = len(meetings)
    return Need(
        f"meeting{'s' if n != 1 else ''} of your bodies in the next {FORTNIGHT} days",
        n, reverse("meetings:index"), lines,
    )  # fmt: skip


def next_meeting(user, partnership, today):
    """The next meeting of a body the person sits on, or None (for a board
    member's home: its pack)."""
    return (
        Meeting.objects.filter(
            partnership=partnership, body__in=member_bodies(user), date__gte=today
        )
        .select_related("body")
        .order_by("date", "start")
        .first()
    )


def decisions_awaiting_report_backs(user, partnership, today):
    """Decisions of the person's bodies with report-backs still to come."""
    decisions = (
        Decision.objects.filter(
            item__meeting__partnership=partnership,
            item__meeting__body__in=member_bodies(user),
            report_backs__written_at=None,
            report_backs__isnull=False,
        )
        .annotate(waiting=Count("report_backs"))
        .select_related("item__meeting__body")
        .order_by("item__meeting__date", "pk")
    )
    rows = list(decisions)
    shown = [d for d in rows if not d.item.restricted]
    n = len(rows)
    return Need(
        f"decision{'s' if n != 1 else ''} of your bodies awaiting report-backs",
        n, reverse("meetings:index"),
        [Line(f"{d.item.meeting}: {d.text[:120]}", d.get_absolute_url(),
              f"{d.waiting} to come") for d in shown[:SHOWN]],
        n - len(shown),
    )  # fmt: skip


def decisions_since(user, partnership, since, *, is_admin):
    """Decisions recorded since `since` at meetings the person may see (not
    those of exempt items)."""
    from .services import visible_meetings

    decisions = (
        Decision.objects.filter(
            recorded_at__gt=since,
            item__restricted=False,
            item__meeting__in=visible_meetings(partnership, user, is_admin=is_admin),
        )
        .select_related("item__meeting__body")
        .order_by("-recorded_at")[:SHOWN]
    )
    return [
        Change(f"{d.item.meeting}: {d.text[:160]}", d.get_absolute_url(),
               d.recorded_at)
        for d in decisions
    ]  # fmt: skip
