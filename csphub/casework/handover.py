"""A closing body's open casework, and handing it to the bodies that take it
over (structure asks through structure.hooks; registered in apps.py).

What moves: the body's open issues (their actions, updates, escalations and
history go with them, as rows on the issue), open taskings it received or
gave, and escalations awaiting its answer. Each move is an IssueEvent on the
issue; the owners of live actions and the receiving bodies' chairs and
secretariats get an e-mail once the change is saved.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.structure.handover import OpenWork
from csphub.structure.models import Seat

from .history import record_event, touch_issue
from .models import Action, ActionUpdate, Escalation, Issue, IssueEvent, Tasking

logger = logging.getLogger(__name__)


def _title(issue):
    # The structure page lists these to an administrator, who does not see
    # restricted issues' contents: name it without its title.
    return f"Restricted issue {issue.pk}" if issue.restricted else issue.title


def open_work(body):
    """OpenWork for each open issue the body owns, each open tasking it
    received or gave, and each escalation awaiting its answer (4 queries)."""
    items = []
    issues = (
        Issue.objects.filter(body=body)
        .open()
        .annotate(live=Count("actions", filter=Q(actions__status__in=Action.LIVE)))
        .order_by("raised_at", "pk")
    )
    owners = defaultdict(set)
    for issue_id, name in (
        Action.objects.live()
        .filter(issue__body=body, issue__in=issues.values("pk"))
        .values_list("issue_id", "owner__name")
    ):
        owners[issue_id].add(name)
    for issue in issues:
        names = sorted(owners[issue.pk])
        detail = f"{issue.get_status_display()}; {issue.live} action"
        detail += f"{'s' if issue.live != 1 else ''} to do"
        if names and not issue.restricted:
            detail += ": " + ", ".join(names)
        items.append(
            OpenWork(
                key=f"issue:{issue.pk}",
                kind="Issue",
                title=_title(issue),
                detail=detail,
                url=issue.get_absolute_url(),
                owners=names,
            )
        )
    for t in (
        Tasking.objects.filter(state=Tasking.State.OPEN)
        .filter(Q(to_body=body) | Q(from_body=body))
        .exclude(issue__body=body, to_body=body)
        .select_related("issue", "from_body", "to_body", "to_organisation")
        .order_by("due", "pk")
    ):
        received = t.to_body_id == body.pk
        items.append(
            OpenWork(
                key=f"tasking:{t.pk}",
                kind="Tasking received" if received else "Tasking given",
                title=_title(t.issue),
                detail=(f"From {t.from_body.name}" if received else f"To {t.recipient}")
                + f", report back by {t.due:%d %B %Y}",
                url=t.issue.get_absolute_url(),
            )
        )
    for e in (
        Escalation.objects.filter(to_body=body, state=Escalation.State.PENDING)
        .exclude(issue__body=body)
        .select_related("issue", "from_body")
        .order_by("needed_by", "pk")
    ):
        items.append(
            OpenWork(
                key=f"escalation:{e.pk}",
                kind="Escalation awaiting an answer",
                title=_title(e.issue),
                detail=f"From {e.from_body.name}, needed by {e.needed_by:%d %B %Y}",
                url=e.issue.get_absolute_url(),
            )
        )
    return items


def _split(decisions, prefix):
    return {
        int(key.split(":", 1)[1]): to
        for key, to in decisions.items()
        if key.startswith(prefix + ":")
    }


def hand_over(body, by, decisions, *, reason):
    """Move each decided item to its receiving body, or close it; returns how
    many were done. Runs inside structure.services.change_status's
    transaction; the e-mails go once it commits."""
    done = 0
    told = defaultdict(list)  # receiving body or None -> [issue]
    issues = _split(decisions, "issue")
    owners = _live_owners(issues)  # read before closing drops their actions
    for issue in Issue.objects.filter(pk__in=issues, body=body).open():
        to = issues[issue.pk]
        before = issue.status
        if to is None:
            _close_issue(issue, by, body, reason)
        else:
            issue.body = to
            issue.save(update_fields=["body"])
            touch_issue(issue)
            record_event(
                issue,
                by,
                IssueEvent.Kind.OWNER,
                f"Handed over from {body.name} to {to.name} as {body.name} closes."
                f" {reason}",
                before,
                issue.status,
            )
        told[to].append(issue)
        done += 1
    done += _hand_over_taskings(body, by, _split(decisions, "tasking"), reason, told)
    done += _hand_over_escalations(
        body, by, _split(decisions, "escalation"), reason, told
    )
    transaction.on_commit(lambda: tell_owners(body, dict(told), owners))
    return done


def _live_owners(issue_ids):
    """{issue id: [user]}: people with an account who own live actions."""
    owners = defaultdict(list)
    for action in (
        Action.objects.live()
        .filter(issue_id__in=issue_ids, owner__user__isnull=False)
        .select_related("owner__user")
    ):
        if action.owner.user not in owners[action.issue_id]:
            owners[action.issue_id].append(action.owner.user)
    return owners


def _close_issue(issue, by, body, reason):
    now = timezone.now()
    live = list(issue.actions.live())
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            action=a,
            by=by,
            by_name=str(by) if by else "",
            note=f"No longer needed: {body.name} closed. {reason}",
            status_after=Action.Status.DROPPED,
            at=now,
        )
        for a in live
    )
    issue.actions.live().update(status=Action.Status.DROPPED, last_update_at=now)
    before = issue.status
    touch_issue(issue, Issue.Status.CLOSED, now)
    record_event(
        issue,
        by,
        IssueEvent.Kind.STATUS,
        f"Closed as {body.name} closes, with no body to take it over. {reason}",
        before,
        issue.status,
    )


def _hand_over_taskings(body, by, decided, reason, told):
    done = 0
    for t in Tasking.objects.filter(
        pk__in=decided, state=Tasking.State.OPEN
    ).select_related("issue", "from_body", "to_body"):
        to = decided[t.pk]
        if to is None:
            t.state = Tasking.State.WITHDRAWN
            t.save(update_fields=["state"])
            note = f"Tasking withdrawn as {body.name} closes. {reason}"
        elif t.to_body_id == body.pk:
            t.to_body = to
            t.save(update_fields=["to_body"])
            note = f"Tasking handed over from {body.name} to {to.name}. {reason}"
        elif t.from_body_id == body.pk:
            t.from_body = to
            t.save(update_fields=["from_body"])
            note = f"Report-back now owed to {to.name}, as {body.name} closes."
        else:
            continue
        touch_issue(t.issue)
        record_event(t.issue, by, IssueEvent.Kind.TASKED, note)
        told[to].append(t.issue)
        done += 1
    return done


def _hand_over_escalations(body, by, decided, reason, told):
    done = 0
    for e in Escalation.objects.filter(
        pk__in=decided, to_body=body, state=Escalation.State.PENDING
    ).select_related("issue"):
        to = decided[e.pk]
        issue = e.issue
        if to is None:
            e.state = Escalation.State.RETURNED
            e.answer = f"{body.name} has closed. {reason}"
            e.answered_by, e.answered_at = by, timezone.now()
            e.save(update_fields=["state", "answer", "answered_by", "answered_at"])
            before = issue.status
            touch_issue(issue, Issue.Status.OPEN)
            note = f"Escalation returned: {body.name} closed. {reason}"
        else:
            e.to_body = to
            e.save(update_fields=["to_body"])
            before = issue.status
            touch_issue(issue)
            note = f"Escalation handed over from {body.name} to {to.name}. {reason}"
        record_event(issue, by, IssueEvent.Kind.ESCALATED, note, before, issue.status)
        told[to].append(issue)
        done += 1
    return done


def recipients(told, owners):
    """{user: [(issue, receiving body or None)]}: owners of the live actions
    on the issues handed over or closed, and the chairs and secretariats of
    the receiving bodies (for every item they received)."""
    out = defaultdict(list)

    def add(user, entry):
        if user.email and entry not in out[user]:
            out[user].append(entry)

    for to, issues in told.items():
        for issue in issues:
            for user in owners.get(issue.pk, []):
                add(user, (issue, to))
    receiving = [to for to in told if to is not None]
    for seat in (
        Seat.objects.current()
        .filter(
            body__in=receiving,
            role__in=[Seat.Role.CHAIR, Seat.Role.SECRETARIAT],
            person__user__isnull=False,
        )
        .select_related("person__user", "body")
    ):
        for issue in told[seat.body]:
            add(seat.person.user, (issue, seat.body))
    return out


def tell_owners(body, told, owners):
    """E-mail each person concerned the items handed over or closed."""
    base_url = getattr(settings, "CSPHUB_SITE_URL", "")
    sent = 0
    for user, items in recipients(told, owners).items():
        context = {"user": user, "body": body, "items": items, "base_url": base_url}
        message = EmailMultiAlternatives(
            subject=f"CSP Hub: work handed over as {body.name} closes",
            body=render_to_string("casework/email/handover.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("casework/email/handover.html", context), "text/html"
        )
        try:
            message.send()
        except Exception:  # one refused address must not stop the others
            logger.exception("Hand-over e-mail to user %s failed", user.pk)
            continue
        sent += 1
    return sent
