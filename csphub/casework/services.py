"""What casework can do: raise issues once, act on them, escalate what is
blocked, task and commission downwards, and oversee everything below a body.

Every write takes an explicit actor and leaves a row of history. Problem
solving lives in projects.py, the daily digest in digest.py.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from csphub.lib.digits import is_digits
from csphub.places.models import Area, Zone
from csphub.structure.models import Body, Seat

from .history import record_event, touch_issue
from .models import (
    Action,
    ActionUpdate,
    Escalation,
    Issue,
    IssueEvent,
    Tasking,
)
from .projects import start_project


def stalled_days_default():
    return getattr(settings, "CSPHUB_CASEWORK_STALLED_DAYS", 28)


# Reading -------------------------------------------------------------------


def visible_issues(partnership, user):
    """The partnership's issues this user may see (restricted ones only as a
    member of the owning body, or of a body it was escalated to)."""
    return Issue.objects.of(partnership).visible_to(user)


def seated_body_ids(user):
    """Ids of bodies the user holds a current seat on."""
    return set(
        Seat.objects.current()
        .filter(person__user=user)
        .values_list("body_id", flat=True)
    )


def bodies_below(body, bodies=None):
    """The body and every body reporting to it, directly or not (one query)."""
    bodies = bodies or list(
        Body.objects.filter(partnership_id=body.partnership_id).only(
            "pk",
            "reports_to_id",
            "name",
            "slug",
            "kind",
            "partnership_id",
            "restricted",
        )
    )
    children = {}
    for b in bodies:
        children.setdefault(b.reports_to_id, []).append(b)
    found, todo = [], [body.pk]
    seen = set()
    by_id = {b.pk: b for b in bodies}
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        found.append(by_id.get(pk, body))
        todo.extend(c.pk for c in children.get(pk, []))
    return found


def visible_bodies_below(body, user, *, is_admin=False):
    """bodies_below, less the restricted bodies the user holds no seat on (a
    restricted body's existence is not revealed; administrators see all, as
    on the structure pages). Asks for the user's seats only when needed."""
    below = bodies_below(body)
    if is_admin or not any(b.restricted for b in below):
        return below
    seats = seated_body_ids(user)
    return [b for b in below if not b.restricted or b.pk in seats]


def actions_due(user, partnership, today, days=7):
    """A person's live actions overdue or due within `days`, soonest first
    (one query; for the home page)."""
    return list(
        Action.objects.live()
        .visible_to(user)
        .filter(
            owner__user=user,
            issue__partnership=partnership,
            due__lte=today + timedelta(days=days),
        )
        .select_related("issue")
        .order_by("due", "pk")[:10]
    )


def resolve_area(partnership, text):
    """{zone, ward, lsoa} for an ONS code (ward or LSOA) or a zone's slug or
    id, or None when it names nothing in this partnership."""
    text = (text or "").strip()
    if not text:
        return None
    zone = Zone.objects.filter(partnership=partnership)
    found = zone.filter(slug=text).first() or (
        zone.filter(pk=int(text)).first() if is_digits(text) else None
    )
    if found:
        return {"zone": found, "ward": None, "lsoa": None}
    area = Area.objects.filter(code=text.upper()).select_related("parent").first()
    if area is None or area.kind == Area.Kind.BOROUGH:
        return None
    ward = area.parent if area.kind == Area.Kind.LSOA else area
    if ward.parent_id != partnership.borough_id:
        return None
    return {
        "zone": ward.zones.filter(partnership=partnership).first(),
        "ward": ward,
        "lsoa": area if area.kind == Area.Kind.LSOA else None,
    }


def owning_body_id(partnership, place):
    """The id of the body an issue in `place` (resolve_area's dict) belongs
    to by default: the ward's ABW group, else the zone's zonal group."""
    if place and place["ward"]:
        bodies = Body.objects.filter(ward=place["ward"], kind=Body.Kind.ABW)
    elif place and place["zone"]:
        bodies = Body.objects.filter(zone=place["zone"], kind=Body.Kind.ZONAL)
    else:
        return None
    return bodies.filter(partnership=partnership).values_list("pk", flat=True).first()


def similar_open_issues(partnership, user, *, theme, zone=None, ward=None):
    """Open issues on the same theme nearby: in the same ward, or in the same
    zone (ward issues of the zone, and the zone's own)."""
    if not theme or (zone is None and ward is None):
        return Issue.objects.none()
    near = Q(zone=zone) if zone is not None else Q()
    if ward is not None:
        near = Q(ward=ward) | (Q(zone=zone, ward__isnull=True) if zone else Q())
    return (
        visible_issues(partnership, user)
        .open()
        .filter(near, theme=theme)
        .order_by("-last_activity_at")[:10]
    )


# Writing -------------------------------------------------------------------


@transaction.atomic
def raise_issue(partnership, body, by, **fields):
    """Put a new issue on a body's action log."""
    if body.partnership_id != partnership.pk:
        raise ValidationError("That body is not in this partnership.")
    if fields.get("ward") is not None and fields.get("zone") is None:
        fields["zone"] = fields["ward"].zones.filter(partnership=partnership).first()
    issue = Issue.objects.create(
        partnership=partnership, body=body, raised_by=by, **fields
    )
    # The RAISED event is the record of who raised it; the audit log keeps
    # views and exports of restricted issues.
    record_event(
        issue, by, IssueEvent.Kind.RAISED, f"Raised on {body.name}.", "", "open"
    )
    return issue


@transaction.atomic
def record_update(issue, by, note, status=None):
    """A dated note on an issue, and a change of status if given."""
    before = issue.status
    kind = IssueEvent.Kind.STATUS if status and status != before else "update"
    touch_issue(issue, status)
    return record_event(issue, by, kind, note, before, issue.status)


@transaction.atomic
def add_action(issue, by, *, title, owner, organisation, due):
    """An action on an issue, owned by a person for an organisation."""
    what = {"title": title, "owner": owner, "organisation": organisation, "due": due}
    action = Action.objects.create(issue=issue, created_by=by, **what)
    status = Issue.Status.IN_HAND if issue.status == Issue.Status.OPEN else None
    before = issue.status
    touch_issue(issue, status)
    record_event(
        issue,
        by,
        IssueEvent.Kind.ACTION,
        f"Action for {owner} ({organisation}) by {due:%d %B %Y}: {title}",
        before,
        issue.status,
    )
    return action


class ActionChanged(ValidationError):
    """Someone else updated the action after this person's form was shown."""


@transaction.atomic
def update_action(action, by, *, note, status, due=None, version=""):
    """A dated update on an action; a blocked action blocks its issue.

    `version` is the action's edit_version() when the person's form was shown:
    if the action has changed since (checked on the row, locked until the end
    of the transaction, so two web processes cannot both pass), ActionChanged
    is raised and nothing is written.
    """
    if version:
        current = Action.objects.select_for_update().get(pk=action.pk)
        if current.edit_version() != version:
            latest = current.updates.first()
            who = f" by {latest.by_name}" if latest and latest.by_name else ""
            raise ActionChanged(
                f"This action was updated{who} while you were writing yours:"
                " read their update below, then record yours again if it is"
                " still right."
            )
    now = timezone.now()
    ActionUpdate.objects.create(
        action=action,
        by=by,
        by_name=str(by),
        note=note,
        status_after=status,
        due_after=due,
        at=now,
    )
    action.status = status
    action.last_update_at = now
    fields = ["status", "last_update_at"]
    if due and due != action.due:
        action.due = due
        fields.append("due")
    if status == Action.Status.DONE and not action.completed_on:
        action.completed_on = timezone.localdate()
        fields.append("completed_on")
    action.save(update_fields=fields)
    issue = action.issue
    issue_status = None
    if status == Action.Status.BLOCKED and issue.status in {"open", "in_hand"}:
        issue_status = Issue.Status.BLOCKED
    touch_issue(issue, issue_status, now)
    return action


class CannotEscalate(ValidationError):
    pass


@transaction.atomic
def escalate(
    issue, by, *, tried, asked, needed_by, action=None, from_body=None, at=None
):
    """Send a blocked issue (or action) to the body its owner reports to. The
    answer is never needed by a day before the escalation is made (`at`, now
    unless the demo's history says otherwise)."""
    at = at or timezone.now()
    from_body = from_body or issue.body
    to_body = from_body.reports_to
    if to_body is None:
        raise CannotEscalate(f"{from_body.name} reports to no body: nowhere to go.")
    if issue.escalations.pending().exists():
        raise CannotEscalate("It is already escalated and awaiting an answer.")
    if needed_by < timezone.localdate(at):
        raise CannotEscalate(
            "The answer cannot be needed by a date before today: choose today"
            " or a later date."
        )
    escalation = Escalation.objects.create(
        issue=issue,
        action=action,
        from_body=from_body,
        to_body=to_body,
        tried=tried,
        asked=asked,
        needed_by=needed_by,
        raised_by=by,
        raised_at=at,
    )
    before = issue.status
    touch_issue(issue, Issue.Status.ESCALATED)
    what = f"the action “{action.title}”" if action else "the issue"
    record_event(
        issue,
        by,
        IssueEvent.Kind.ESCALATED,
        f"Escalated {what} to {to_body.name}. Tried: {tried} Asked: {asked}"
        f" Needed by {needed_by:%d %B %Y}.",
        before,
        issue.status,
    )
    return escalation


@transaction.atomic
def answer_escalation(
    escalation, by, *, decision, answer, task_to=None, expects="", due=None
):
    """The upper body's answer: take ownership, task someone, return with
    advice, or escalate further. The lower body sees the answer on the issue."""
    if not escalation.is_pending():
        raise ValidationError("This escalation has already been answered.")
    issue = escalation.issue
    upper = escalation.to_body
    escalation.answer, escalation.answered_by = answer, by
    escalation.answered_at = timezone.now()
    escalation.state = decision
    before = issue.status
    if decision == Escalation.State.FURTHER:
        escalation.save(update_fields=["answer", "answered_by", "answered_at", "state"])
        further = escalate(
            issue,
            by,
            tried=f"{escalation.tried} {upper.name}: {answer}",
            asked=escalation.asked,
            # The first deadline, unless it has passed: never before today.
            needed_by=max(escalation.needed_by, timezone.localdate()),
            action=escalation.action,
            from_body=upper,
        )
        escalation.further = further
        escalation.save(update_fields=["further"])
        return escalation
    escalation.save(update_fields=["answer", "answered_by", "answered_at", "state"])
    if decision in {Escalation.State.ACCEPTED, Escalation.State.TASKED}:
        _move(issue, upper)
        touch_issue(issue, Issue.Status.IN_HAND)
    else:
        touch_issue(issue, Issue.Status.OPEN)
    record_event(
        issue,
        by,
        IssueEvent.Kind.ANSWERED,
        f"{upper.name}: {escalation.get_state_display()}. {answer}",
        before,
        issue.status,
    )
    if decision == Escalation.State.TASKED:
        task(issue, upper, by, to=task_to, expects=expects or answer, due=due)
    return escalation


def _move(issue, body):
    if issue.body_id != body.pk:
        issue.body = body
        issue.save(update_fields=["body"])


def can_task(from_body, to, bodies=None):
    """Whether `from_body` may task `to`: a body below it, or an organisation."""
    if not isinstance(to, Body):
        return True
    return to.pk != from_body.pk and any(
        b.pk == to.pk for b in bodies_below(from_body, bodies)
    )


@transaction.atomic
def task(issue, from_body, by, *, to, expects, due, kind=Tasking.Kind.TASK):
    """Task a body below `from_body`, or a partner organisation, with an
    issue; commissioning problem solving also starts its project."""
    if not can_task(from_body, to):
        raise ValidationError(f"{to} is not below {from_body.name}.")
    is_body = isinstance(to, Body)
    tasking = Tasking.objects.create(
        issue=issue,
        kind=kind,
        from_body=from_body,
        to_body=to if is_body else None,
        to_organisation=None if is_body else to,
        expects=expects,
        due=due,
        by=by,
    )
    before = issue.status
    if kind == Tasking.Kind.COMMISSION:
        if is_body:
            _move(issue, to)
        start_project(issue, by)
    touch_issue(issue, Issue.Status.IN_HAND if not issue.is_done() else None)
    record_event(
        issue,
        by,
        IssueEvent.Kind.TASKED,
        f"{from_body.name}: {tasking.get_kind_display().lower()} to {to}, report"
        f" back by {due:%d %B %Y}. Expected: {expects}",
        before,
        issue.status,
    )
    return tasking


@transaction.atomic
def report_back(tasking, by, report):
    """The tasked body (or partner) reports back to the body that tasked it."""
    if tasking.state != Tasking.State.OPEN:
        raise ValidationError("This tasking is not open.")
    tasking.state, tasking.report = Tasking.State.REPORTED, report
    tasking.reported_by, tasking.reported_at = by, timezone.now()
    tasking.save(update_fields=["state", "report", "reported_by", "reported_at"])
    touch_issue(tasking.issue)
    record_event(
        tasking.issue,
        by,
        IssueEvent.Kind.REPORTED,
        f"Reported back to {tasking.from_body.name}: {report}",
    )
    return tasking


# Lists kept for callers on other branches; prefer the queryset methods.


def flagged(issues, today, now, stalled_days):
    """Kept for callers: issues.flagged(today, now, stalled_days)."""
    return issues.flagged(today, now, stalled_days)


def filter_issues(issues, **filters):
    """Kept for callers: issues.matching(**filters)."""
    return issues.matching(**filters)
