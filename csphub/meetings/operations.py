"""Forthcoming operations: partners post them; zone meetings see the next
period's calendar with clashes (same area, overlapping dates) and
duplication (same target) flagged. A restricted police operation is seen only
by the police and the members of its zone's meeting."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q

from csphub.accounts.models import Organisation
from csphub.structure.models import Body

from .models import Meeting, Operation


def visible_operations(partnership, user, *, seated, is_admin):
    """The partnership's operations a user may see."""
    operations = Operation.objects.filter(partnership=partnership).select_related(
        "organisation", "zone", "ward"
    )
    if is_admin:
        return operations
    zones = Body.objects.filter(pk__in=seated, zone__isnull=False).values("zone_id")
    police = (
        user.organisation is not None
        and user.organisation.kind == Organisation.Kind.POLICE
    )
    allowed = Q(restricted=False) | Q(zone__in=zones)
    if police:
        allowed |= Q(restricted=True)
    return operations.filter(allowed)


def add_operation(partnership, by, **fields):
    if (
        fields.get("ends")
        and fields.get("starts")
        and fields["ends"] < fields["starts"]
    ):
        raise ValueError("An operation ends on or after it starts.")
    return Operation.objects.create(partnership=partnership, created_by=by, **fields)


@dataclass
class CalendarRow:
    operation: Operation
    clashes: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)


def _target(text):
    return " ".join(text.lower().split())


def flagged(operations):
    """Each operation with those it clashes with (same area, overlapping
    dates) and duplicates (same target)."""
    rows = [CalendarRow(op) for op in operations]
    for row in rows:
        for other in operations:
            if other.pk == row.operation.pk:
                continue
            if row.operation.same_area(other) and row.operation.overlaps(other):
                row.clashes.append(other)
            if _target(row.operation.target) == _target(other.target):
                row.duplicates.append(other)
    return rows


def period_after(meeting):
    """From the meeting to the body's next one (or a month, if none is set)."""
    following = (
        Meeting.objects.filter(body=meeting.body, date__gt=meeting.date)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return meeting.date, following or meeting.date + timedelta(days=31)


def zone_calendar(meeting, *, restricted):
    """The next period's operations in a zone meeting's zone, flagged."""
    if not meeting.body.zone_id:
        return None
    start, end = period_after(meeting)
    operations = Operation.objects.filter(zone_id=meeting.body.zone_id).overlapping(
        start, end
    )
    if not restricted:
        operations = operations.filter(restricted=False)
    return start, end, flagged(list(operations.select_related("organisation", "ward")))
