"""What the meetings app can do: meetings, attendance and quorum, agenda
items, papers, homework, decisions with their actions, communications and
report-backs, and minutes. Planning (proposals, the rehearsal) is in
planning.py; packs in packs.py."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.casework import services as casework
from csphub.casework.models import Escalation, Issue, Theme
from csphub.structure import services as structure
from csphub.structure.models import Body, Seat

from .models import (
    AgendaItem,
    Attendance,
    Communication,
    Decision,
    Meeting,
    Paper,
    Question,
    ReportBack,
)

# Standing items every meeting gets, and those a strategic board adds.
STANDING = [("minutes", "Minutes of the last meeting and matters arising", 5)]
BOARD_STANDING = [
    ("highlight", "Review of the highlight report", 15),
    ("parallel", "What to pass to parallel boards", 10),
]


def planning_body(body):
    """The body that plans a body's agenda: the Executive for a board that has
    one reporting to it, else the body itself."""
    executive = (
        Body.objects.filter(reports_to=body, kind=Body.Kind.EXECUTIVE)
        .exclude(status=Body.Status.DISCONTINUED)
        .first()
    )
    return executive or body


def runner_body_ids(body):
    """Bodies whose members run a body's meetings: it and its planning body."""
    return {body.pk, planning_body(body).pk}


def visible_meetings(partnership, user, *, is_admin):
    """A partnership's meetings, without those of restricted bodies the user
    does not sit on."""
    meetings = Meeting.objects.of(partnership)
    if is_admin:
        return meetings
    seats = casework.seated_body_ids(user)
    return meetings.filter(Q(body__restricted=False) | Q(body__in=seats))


def forward_plan(body, today):
    """The body's future meetings, soonest first."""
    return body.meetings.filter(date__gte=today).order_by("date", "start")


@transaction.atomic
def create_meeting(partnership, body, by, **fields):
    """A planned meeting of a body, with its standing items and the proposals
    gathered automatically from the sources."""
    from .planning import gather_proposals

    if body.partnership_id != partnership.pk:
        raise ValidationError("That body is not in this partnership.")
    meeting = Meeting.objects.create(
        partnership=partnership, body=body, created_by=by, **fields
    )
    add_standing_items(meeting)
    gather_proposals(meeting)
    audit(AuditEntry.Action.CREATE, actor=by, record=meeting, partnership=partnership)
    return meeting


def update_meeting(meeting, by, **fields):
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=list(fields))
    audit(AuditEntry.Action.CHANGE, actor=by, record=meeting)
    return meeting


def add_standing_items(meeting):
    """Add the standing items a meeting lacks (idempotent)."""
    wanted = list(STANDING)
    if meeting.body.kind == Body.Kind.STRATEGIC_BOARD:
        wanted += BOARD_STANDING
    have = set(meeting.items.values_list("standing_key", flat=True))
    for order, (key, title, minutes) in enumerate(wanted, start=1):
        if key not in have:
            AgendaItem.objects.create(
                meeting=meeting,
                order=order if key == "minutes" else 900 + order,
                title=title,
                kind=AgendaItem.Kind.STANDING,
                minutes=minutes,
                standing_key=key,
                lead="Chair",
            )


# Attendance and quorum


@dataclass
class Quorum:
    """The quorum check of a meeting, with the rule it used."""

    seats: int
    needed: int
    counted: int
    rule: str

    @property
    def met(self):
        return self.counted >= self.needed


FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4}


def quorum_needed(text, seats):
    """How many must attend under the terms of reference's quorum, read as a
    number ("5 members") or a share ("a third", "one half"); (needed, rule).
    Without a stated quorum: a third of the seats, at least three."""
    text = (text or "").lower()
    number = re.search(r"\b(\d+)\b", text)
    if number and "%" not in text:
        return int(number.group(1)), f"terms of reference: {text}"
    percent = re.search(r"(\d+)\s*%", text)
    if percent:
        share = int(percent.group(1)) / 100
        return max(1, -(-int(seats * share * 100) // 100)), f"terms: {text}"
    for word, parts in FRACTIONS.items():
        if word in text:
            return max(1, -(-seats // parts)), f"terms of reference: {text}"
    return (
        min(seats, max(3, -(-seats // 3))),
        "none stated: a third of the seats, at least three (CSP Hub's assumption)",
    )


def seats_at(meeting):
    """The seats held on the day of the meeting."""
    return list(
        Seat.objects.filter(body=meeting.body)
        .filter(Q(started__isnull=True) | Q(started__lte=meeting.date))
        .filter(Q(ended__isnull=True) | Q(ended__gte=meeting.date))
        .select_related("person", "organisation")
        .order_by("role", "person__name")
    )


def quorum(meeting, seats, attendance):
    """Whether the members present (or substituted) make a quorum."""
    terms = meeting.body.current_terms
    needed, rule = quorum_needed(terms.quorum if terms else "", len(seats))
    counted = sum(1 for a in attendance if a.status in Attendance.COUNTS)
    return Quorum(seats=len(seats), needed=needed, counted=counted, rule=rule)


@transaction.atomic
def record_attendance(meeting, by, marks):
    """Record attendance: marks is {seat: (status, substitute name)}."""
    for seat, (status, substitute) in marks.items():
        if seat.body_id != meeting.body_id:
            raise ValidationError("That seat is not on this body.")
        if status == Attendance.Status.SUBSTITUTE and not substitute:
            raise ValidationError(f"Name the substitute for {seat.person}.")
        Attendance.objects.update_or_create(
            meeting=meeting,
            seat=seat,
            defaults={"status": status, "substitute": substitute or ""},
        )
    audit(AuditEntry.Action.CHANGE, actor=by, record=meeting, reason="attendance")


@transaction.atomic
def publish(meeting, by, *, send=True):
    """Publish the papers: they are frozen, so a later change is a version;
    the homework goes to the organisations asked (unless `send` is False)."""
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError("The papers of this meeting are already published.")
    Paper.objects.filter(item__meeting=meeting).update(frozen=True)
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    audit(AuditEntry.Action.CHANGE, actor=by, record=meeting, reason="published")
    if send:
        transaction.on_commit(lambda: send_homework(meeting))
    return meeting


def send_homework(meeting, base_url=""):
    """Send each asked organisation's people (with a role in the partnership)
    their homework questions with the agenda; returns the e-mails sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from csphub.accounts.models import User

    questions = Question.objects.filter(
        item__meeting=meeting, answered_at__isnull=True
    ).select_related("item", "organisation")
    by_org = {}
    for q in questions:
        by_org.setdefault(q.organisation, []).append(q)
    sent = 0
    for organisation, asked in by_org.items():
        people = (
            User.objects.filter(
                organisation=organisation,
                role_assignments__partnership=meeting.partnership,
            )
            .exclude(email="")
            .distinct()
        )
        for user in people:
            context = {"meeting": meeting, "questions": asked, "user": user,
                       "organisation": organisation, "base_url": base_url}  # fmt: skip
            send_mail(
                f"Homework for {meeting}: {len(asked)} question"
                f"{'s' if len(asked) != 1 else ''} for {organisation}",
                render_to_string("meetings/email/homework.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent += 1
    return sent


@transaction.atomic
def mark_held(meeting, by):
    """The meeting took place: recorded on the body, so the structure review
    knows it met."""
    if meeting.is_held():
        raise ValidationError("This meeting is already recorded as held.")
    if meeting.date > timezone.localdate():
        raise ValidationError("A meeting cannot be held before its date.")
    Paper.objects.filter(item__meeting=meeting).update(frozen=True)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    structure.record_meeting(meeting.body, by, meeting.date)
    return meeting


# Agenda items and papers


def add_item(meeting, **fields):
    last = meeting.items.exclude(order__gte=900).order_by("-order").first()
    fields.setdefault("order", (last.order if last else 0) + 1)
    return AgendaItem.objects.create(meeting=meeting, **fields)


def update_item(item, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    return item


@transaction.atomic
def add_paper(item, by, *, title, text, author="", restricted=False):
    frozen = item.meeting.is_published()
    return Paper.objects.create(
        item=item,
        title=title,
        text=text,
        author=author,
        restricted=restricted or item.restricted,
        frozen=frozen,
        created_by=by,
    )


@transaction.atomic
def revise_paper(paper, by, *, title, text, author="", restricted=False):
    """Change a paper: in place before publication, as a new version after."""
    restricted = restricted or paper.item.restricted
    if not paper.frozen:
        paper.title, paper.text, paper.author = title, text, author
        paper.restricted = restricted
        paper.save(update_fields=["title", "text", "author", "restricted"])
        return paper
    paper.current = False
    paper.save(update_fields=["current"])
    return Paper.objects.create(
        item=paper.item,
        title=title,
        text=text,
        author=author,
        restricted=restricted,
        version=paper.version + 1,
        frozen=True,
        first=paper.first or paper,
        created_by=by,
    )


# Homework


def ask(item, by, *, organisation, text, due):
    """A homework question to a partner organisation, sent with the agenda."""
    return Question.objects.create(
        item=item, organisation=organisation, text=text, due=due, asked_by=by
    )


def answer(question, by, text):
    """An organisation's answer, which goes into the pack."""
    if question.item.meeting.is_held():
        raise ValidationError("The meeting has been held: homework is closed.")
    question.answer = text
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question


# Decisions, actions, communications, report-backs


@transaction.atomic
def record_decision(item, by, *, answer_state="", **fields):
    """Record a decision on an item. A key decision needs an equality impact
    assessment or a stated reason for none. On an escalation's item, the
    answer is recorded on the escalation too."""
    decision = Decision(item=item, recorded_by=by, **fields)
    if decision.key and not decision.has_eia():
        raise ValidationError(
            "A key decision needs an equality impact assessment (groups affected"
            " and impact) or a reason none is needed."
        )
    decision.save()
    escalation = pending_escalation(item)
    if escalation is not None and answer_state:
        casework.answer_escalation(
            escalation, by, decision=answer_state, answer=decision.text
        )
    audit(AuditEntry.Action.CREATE, actor=by, record=decision)
    return decision


def pending_escalation(item):
    proposal = item.proposal
    if proposal is None or proposal.escalation_id is None:
        return None
    escalation = Escalation.objects.select_related("issue", "to_body").get(
        pk=proposal.escalation_id
    )
    return escalation if escalation.is_pending() else None


@transaction.atomic
def add_decision_action(decision, by, *, title, owner, organisation, due):
    """An action from a decision: a casework action on the body's action log,
    under one issue per decision."""
    if decision.issue_id is None:
        meeting = decision.item.meeting
        decision.issue = casework.raise_issue(
            meeting.partnership,
            meeting.body,
            by,
            title=f"Decision: {decision.item.title}"[:200],
            description=decision.text,
            theme=Theme.OTHER,
            origin=Issue.Origin.BOARD,
            origin_detail=f"{meeting.body.label}, {meeting.date:%-d %B %Y}"[:200],
            restricted=decision.item.restricted,
        )
        decision.save(update_fields=["issue"])
    return casework.add_action(
        decision.issue, by, title=title, owner=owner, organisation=organisation, due=due
    )


def add_communication(decision, **fields):
    return Communication.objects.create(decision=decision, **fields)


def mark_sent(communication, on=None):
    communication.sent_on = on or timezone.localdate()
    communication.save(update_fields=["sent_on"])
    return communication


def owe_report_back(decision, *, organisation, due, governance_body=""):
    """A partner organisation named in a decision owes a dated report-back."""
    report_back, _ = ReportBack.objects.get_or_create(
        decision=decision,
        organisation=organisation,
        defaults={"due": due, "governance_body": governance_body},
    )
    return report_back


def write_report_back(report_back, by, *, account, governance_body):
    """The organisation's account of what its own governance body did."""
    if report_back.written_at:
        raise ValidationError("This report-back has already been written.")
    report_back.account = account
    report_back.governance_body = governance_body
    report_back.written_by = by
    report_back.written_at = timezone.now()
    report_back.save(
        update_fields=["account", "governance_body", "written_by", "written_at"]
    )
    audit(AuditEntry.Action.CHANGE, actor=by, record=report_back.decision)
    return report_back


# Minutes


def draft_minutes(meeting, items, attendance):
    """Minutes drafted from attendance, items, decisions, actions and
    communications: the secretariat edits them before approval."""
    lines = [f"Minutes of {meeting.name}", f"{meeting.date:%A %-d %B %Y}", ""]
    present = [a for a in attendance if a.status in Attendance.COUNTS]
    apologies = [a for a in attendance if a.status == Attendance.Status.APOLOGIES]
    if present:
        lines.append(
            "Present: "
            + "; ".join(
                f"{a.substitute} (for {a.seat.person})"
                if a.status == Attendance.Status.SUBSTITUTE
                else str(a.seat.person)
                for a in present
            )
        )
    if apologies:
        lines.append("Apologies: " + "; ".join(str(a.seat.person) for a in apologies))
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {item.title}"]
        for decision in item.decisions.all():
            key = " (key decision)" if decision.key else ""
            lines.append(f"Decided{key}: {decision.text}")
            lines.append(f"Proposed by {decision.proposed_by}.")
            for report_back in decision.report_backs.all():
                lines.append(
                    f"{report_back.organisation} to report back by"
                    f" {report_back.due:%-d %B %Y}."
                )
            for comm in decision.communications.all():
                lines.append(
                    f"Communication to {comm.audience} by {comm.sender}"
                    f" ({comm.channels}) by {comm.by:%-d %B %Y}."
                )
    lines += ["", "Exempt items, if any, are minuted apart for members only."]
    return "\n".join(lines)


def save_minutes(meeting, by, text):
    if meeting.status == Meeting.Status.APPROVED:
        raise ValidationError("These minutes are approved and cannot change.")
    meeting.minutes = text
    meeting.save(update_fields=["minutes"])
    audit(AuditEntry.Action.CHANGE, actor=by, record=meeting, reason="minutes")
    return meeting


@transaction.atomic
def approve_minutes(meeting, by, at):
    """The minutes of a held meeting, approved at a later meeting of the body."""
    if meeting.status != Meeting.Status.HELD or not meeting.minutes:
        raise ValidationError("Only the drafted minutes of a held meeting.")
    if at.body_id != meeting.body_id or at.date <= meeting.date:
        raise ValidationError("Minutes are approved at a later meeting of the body.")
    meeting.status = Meeting.Status.APPROVED
    meeting.minutes_approved_at = at
    meeting.save(update_fields=["status", "minutes_approved_at"])
    audit(AuditEntry.Action.CHANGE, actor=by, record=meeting, reason="minutes approved")
    return meeting


def previous_meeting(meeting):
    return (
        Meeting.objects.filter(body=meeting.body, date__lt=meeting.date)
        .order_by("-date")
        .first()
    )
