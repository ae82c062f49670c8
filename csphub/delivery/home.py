"""What delivery tells the home page: the quarterly updates a person owes
on the activities they own (as the digest's "updates you owe"). Called by
csphub.web."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from csphub.lib.needs import Line, Need

from . import quarters
from .models import Activity, QuarterlyUpdate


def updates_owed(user, partnership, today):
    """An update owed for the reporting quarter (asked) and the last due one
    (late), for each of the person's live activities without one."""
    lines, late = [], 0
    for quarter in sorted({quarters.reporting_quarter(today),
                           quarters.last_due_quarter(today)}):  # fmt: skip
        due = quarters.due_date(quarter)
        for activity in (
            Activity.objects.filter(
                owner=user, objective__priority__partnership=partnership
            )
            .running_in(quarter)
            .exclude(
                Exists(
                    QuarterlyUpdate.objects.filter(
                        activity=OuterRef("pk"), quarter=quarter
                    )
                )
            )
            .order_by("title")
        ):
            days = (today - due).days
            late += days > 0
            lines.append(
                Line(
                    f"{activity.title} ({quarters.label(quarter)})",
                    reverse("delivery:update-submit", args=[activity.pk]),
                    f"late by {days} day{'s' if days != 1 else ''}"
                    if days > 0
                    else f"due {due:%-d %b}",
                    days > 0,
                )
            )
    n = len(lines)
    return Need(
        f"quarterly update{'s' if n != 1 else ''} you owe on the delivery plan",
        n, reverse("delivery:my-organisation"), lines[:5], late=late,
    )  # fmt: skip
