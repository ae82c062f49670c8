"""What structure tells an administrator's home page: people without a
seat and bodies not meeting as often as their terms say. Called by
csphub.web."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from csphub.lib.needs import Line, Need

from .models import Body, Person, Seat


def people_without_a_seat(partnership):
    """People of the partnership who hold no current seat on any body."""
    people = (
        Person.objects.filter(partnership=partnership)
        .exclude(Exists(Seat.objects.current().filter(person=OuterRef("pk"))))
        .select_related("organisation")
        .order_by("name")
    )
    rows = list(people)
    n = len(rows)
    return Need(
        f"{'people' if n != 1 else 'person'} without a seat on any body",
        n, reverse("structure:body-list"),
        [Line(p.name + (f", {p.organisation.name}" if p.organisation_id else ""),
              reverse("structure:body-list")) for p in rows[:10]],
    )  # fmt: skip


def bodies_not_meeting(partnership, today):
    """Active bodies late for a meeting by their terms' frequency (the
    structure review's "not meeting" finding)."""
    bodies = Body.objects.filter(
        partnership=partnership, status=Body.Status.ACTIVE
    ).select_related("current_terms")
    late = []
    for body in bodies:
        days = body.meeting_overdue_by(today)
        if days is not None:
            late.append((body, days))
    late.sort(key=lambda pair: -pair[1])
    n = len(late)
    return Need(
        f"bod{'ies' if n != 1 else 'y'} not meeting as often as their terms say",
        n, reverse("structure:review"),
        [Line(f"{b.name}: last met {b.last_met:%-d %B %Y}", b.get_absolute_url(),
              f"{d} days late", True) for b, d in late[:5]],
        late=n,
    )  # fmt: skip
