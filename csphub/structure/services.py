"""What the structure app can do: keep bodies, terms, seats and changes, and
review the structure. Every write takes an explicit actor."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit_record
from csphub.strategy.models import Priority

from . import handover, hooks, review as checks
from .models import (
    Body,
    BodyChange,
    Finding,
    Person,
    Seat,
    StructureReview,
    TermsOfReference as Terms,
)

STATUS_OF_CHANGE = {
    BodyChange.Kind.SET_UP: Body.Status.ACTIVE,
    BodyChange.Kind.START_PENDING: Body.Status.START_PENDING,
    BodyChange.Kind.PAUSED: Body.Status.WHEN_NEEDED,
    BodyChange.Kind.RESUMED: Body.Status.ACTIVE,
    BodyChange.Kind.MERGED: Body.Status.DISCONTINUED,
    BodyChange.Kind.DISCONTINUED: Body.Status.DISCONTINUED,
}
TERMS_FIELDS = [
    "purpose",
    "functions",
    "frequency",
    "meeting_minutes",
    "quorum",
    "chairing",
    "business_route",
    "decisions",
    "escalation",
]


# Reading -------------------------------------------------------------------


def visible_bodies(partnership, user, *, is_admin):
    """The partnership's bodies this user may see (restricted ones only as a
    member or administrator), with what lists and the map show."""
    return Body.objects.of(partnership).visible_to(user, is_admin=is_admin)


def can_see(body, user, *, is_admin):
    """Whether a user may see one body."""
    if not body.restricted or is_admin:
        return True
    return body.seats.current().filter(person__user=user).exists()


def filter_bodies(bodies, *, priority=None, zone=None, organisation=None):
    """Bodies covering a priority, working in a zone (or one of its wards), or
    with a current seat for an organisation."""
    if priority is not None:
        bodies = bodies.filter(priorities=priority)
    if zone is not None:
        bodies = bodies.filter(Q(zone=zone) | Q(ward__zones=zone))
    if organisation is not None:
        bodies = bodies.filter(
            seats__organisation=organisation, seats__ended__isnull=True
        )
    return bodies.distinct()


def current_seats(partnership, bodies=None):
    """Current seats in the partnership, with person and organisation."""
    seats = Seat.objects.current().filter(body__partnership=partnership)
    if bodies is not None:
        seats = seats.filter(body__in=bodies)
    return seats.select_related("person", "organisation").order_by(
        "body_id", "role", "person__name"
    )


def structure_data(partnership):
    """Everything a review reads, in four queries."""
    every = list(Body.objects.of(partnership))
    current = [b for b in every if b.is_current()]
    ids = {b.pk for b in current}
    seats = [s for s in current_seats(partnership) if s.body_id in ids]
    priorities = list(Priority.objects.of(partnership))
    return checks.StructureData(
        bodies=current, seats=seats, priorities=priorities, all_bodies=every
    )


@dataclass
class ReviewResult:
    """A review computed now: findings and the structure's cost."""

    partnership: object
    date: object
    findings: list
    cost: list

    @property
    def hours_per_year(self):
        return sum(h for _, h in self.cost)

    def as_json(self):
        return {
            "partnership": self.partnership.slug,
            "date": self.date.isoformat(),
            "findings": [f.as_json() for f in self.findings],
        }


def review_structure(partnership, today=None):
    """Review a partnership's structure from its data alone."""
    today = today or timezone.localdate()
    data = structure_data(partnership)
    findings = checks.review(data, today)
    findings += hooks.review_findings(partnership, data.bodies, today)
    return ReviewResult(
        partnership,
        today,
        sorted(findings, key=lambda f: checks.KINDS.index(f.kind)),
        checks.cost_by_organisation(data),
    )


def would_cycle(body, reports_to):
    """Whether making `body` report to `reports_to` closes a circle."""
    node, seen = reports_to, set()
    while node is not None and node.pk not in seen:
        if node.pk == body.pk:
            return True
        seen.add(node.pk)
        node = node.reports_to
    return False


# Writing -------------------------------------------------------------------


def _record_change(body, by, kind, reason, **extra):
    return BodyChange.objects.create(
        body=body,
        kind=kind,
        by=by,
        by_name=by.get_username() if by else "",
        reason=reason,
        **extra,
    )


@transaction.atomic
def create_body(partnership, by, *, reason, priorities=(), terms=None, **fields):
    """Set up a body, with its first terms of reference and a change record."""
    body = Body.objects.create(partnership=partnership, **fields)
    body.priorities.set(priorities)
    if terms:
        _add_terms(body, by, terms, change_note="First version")
    _record_change(
        body,
        by,
        BodyChange.Kind.SET_UP
        if body.status != Body.Status.START_PENDING
        else BodyChange.Kind.START_PENDING,
        reason,
        status_after=body.status,
        on=fields.get("status_since") or timezone.localdate(),
    )
    audit_record(AuditEntry.Action.CREATE, body, by=by)
    return body


@transaction.atomic
def update_body(body, by, *, reason, priorities=None, **fields):
    """Change a body's details (not its status: see change_status)."""
    for name, value in fields.items():
        setattr(body, name, value)
    body.save(update_fields=list(fields))
    if priorities is not None:
        body.priorities.set(priorities)
    _record_change(body, by, BodyChange.Kind.EDITED, reason)
    audit_record(AuditEntry.Action.CHANGE, body, by=by)
    return body


CLOSING = {BodyChange.Kind.MERGED, BodyChange.Kind.DISCONTINUED}


def open_work(body):
    """The open items (issues, taskings...) a body holds, from every app that
    registered a hand-over: what it must hand over before it closes."""
    return hooks.open_work(body)


@transaction.atomic
def change_status(
    body,
    by,
    kind,
    *,
    reason,
    authorised_by="",
    on=None,
    merged_into=None,
    hand_over=None,
):
    """Set up, pause, resume, merge or discontinue a body, on the record.

    Merging or discontinuing needs `hand_over`, {open item key: receiving
    Body, or None to close it}, covering every open item (see open_work):
    nothing a closing body held is lost. ValidationError otherwise.
    """
    on = on or timezone.localdate()
    before = body.status
    handed = 0
    if kind in CLOSING and body.status != Body.Status.DISCONTINUED:
        decisions = hand_over or {}
        handover.check_decisions(body, open_work(body), decisions)
        handed = hooks.hand_over(body, by, decisions, reason=reason) if decisions else 0
    body.status = STATUS_OF_CHANGE[kind]
    body.status_since = on
    fields = ["status", "status_since"]
    if body.status == Body.Status.DISCONTINUED:
        body.ended = on
        fields.append("ended")
    elif kind in (BodyChange.Kind.SET_UP, BodyChange.Kind.RESUMED):
        body.started = body.started or on
        body.ended = None
        fields += ["started", "ended"]
    body.save(update_fields=fields)
    change = _record_change(
        body,
        by,
        kind,
        reason,
        authorised_by=authorised_by,
        on=on,
        merged_into=merged_into,
        status_before=before,
        status_after=body.status,
    )
    audit_record(
        AuditEntry.Action.CHANGE,
        body,
        by=by,
        reason=reason if not handed else f"{reason} ({handed} open items handed over)",
    )
    change.handed_over = handed
    return change


def _add_terms(body, by, values, change_note=""):
    last = body.terms.order_by("-version").first()
    terms = Terms.objects.create(
        body=body,
        version=(last.version + 1) if last else 1,
        created_by=by,
        change_note=change_note,
        **{k: v for k, v in values.items() if k in TERMS_FIELDS},
    )
    body.current_terms = terms
    body.save(update_fields=["current_terms"])
    return terms


@transaction.atomic
def revise_terms(body, by, values, *, change_note):
    """A new version of the terms of reference; the old ones are kept."""
    terms = _add_terms(body, by, values, change_note=change_note)
    _record_change(body, by, BodyChange.Kind.TERMS, change_note)
    audit_record(AuditEntry.Action.CHANGE, terms, by=by, partnership=body.partnership)
    return terms


def ensure_person(partnership, name, *, user=None, organisation=None):
    """The person of that name in the partnership (created if new)."""
    person, created = Person.objects.get_or_create(
        partnership=partnership,
        name=name,
        defaults={"user": user, "organisation": organisation},
    )
    if not created and user is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return person


@transaction.atomic
def add_seat(body, by, *, person_name, user=None, organisation=None, **fields):
    """Give a person a seat on a body."""
    organisation = organisation or (user.organisation if user else None)
    person = ensure_person(
        body.partnership, person_name, user=user, organisation=organisation
    )
    seat = Seat.objects.create(
        body=body, person=person, organisation=organisation, **fields
    )
    audit_record(AuditEntry.Action.CREATE, seat, by=by, partnership=body.partnership)
    return seat


@transaction.atomic
def end_seat(seat, by, on=None):
    """End a seat; the row stays as history."""
    seat.ended = on or timezone.localdate()
    seat.save(update_fields=["ended"])
    audit_record(
        AuditEntry.Action.CHANGE,
        seat,
        by=by,
        reason="seat ended",
        partnership=seat.body.partnership,
    )
    return seat


@transaction.atomic
def record_meeting(body, by, on):
    """Record that a body met (the meetings app will call this too)."""
    if body.last_met is None or on > body.last_met:
        body.last_met = on
        body.save(update_fields=["last_met"])
    audit_record(AuditEntry.Action.CHANGE, body, by=by, reason=f"met on {on:%Y-%m-%d}")
    return body


@transaction.atomic
def record_review(partnership, by, *, today=None, note=""):
    """Keep today's review as a dated record. A finding seen in the previous
    review keeps its decision, so only new findings need one."""
    result = review_structure(partnership, today)
    previous = partnership.reviews.order_by("-on", "-recorded_at").first()
    decided = {}
    if previous is not None:
        decided = {
            f.key: f for f in previous.findings.exclude(state=Finding.State.OPEN)
        }
    saved = StructureReview.objects.create(
        partnership=partnership,
        on=result.date,
        by=by,
        note=note,
        hours_per_year=result.hours_per_year,
    )
    rows = []
    for f in result.findings:
        earlier = decided.get(f.key)
        rows.append(
            Finding(
                review=saved,
                kind=f.kind,
                key=f.key[:200],
                detail=f.detail,
                people=f.people,
                saving_hours_per_year=f.saving_hours_per_year,
                state=earlier.state if earlier else Finding.State.OPEN,
                reason=earlier.reason if earlier else "",
                decided_by=earlier.decided_by if earlier else None,
                decided_at=earlier.decided_at if earlier else None,
            )
        )
    Finding.objects.bulk_create(rows)
    through = Finding.bodies.through
    through.objects.bulk_create(
        through(finding_id=row.pk, body_id=b.pk)
        for row, f in zip(rows, result.findings, strict=True)
        for b in f.bodies
    )
    audit_record(AuditEntry.Action.CREATE, saved, by=by)
    return saved


@transaction.atomic
def decide_finding(finding, by, state, reason):
    """Accept or dismiss a finding, with a reason."""
    finding.state = state
    finding.reason = reason
    finding.decided_by = by
    finding.decided_at = timezone.now()
    finding.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_record(
        AuditEntry.Action.CHANGE,
        finding,
        by=by,
        reason=f"{state}: {reason}",
        partnership=finding.review.partnership,
    )
    return finding
