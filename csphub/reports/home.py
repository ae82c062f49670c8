"""What residents' reports tell the home page: reports routed to a
person's organisation that are past their first-response date. Called by
csphub.web."""

from django.urls import reverse

from csphub.lib.needs import Line, Need

from . import services
from .models import Report


def overdue_for(user, partnership, today):
    """Open reports routed to the person's organisation with no first
    response by its date (the "mine-overdue" list of reports:staff-list).
    Only what, where and when: never the residents behind them."""
    if not user.organisation_id:
        return Need("", 0, "")
    rows = services.overdue(
        Report.objects.filter(
            partnership=partnership, organisation_id=user.organisation_id
        ),
        today,
    ).select_related("category")
    n = rows.count()
    lines = []
    for r in rows.order_by("first_response_due", "pk")[:5]:
        days = (today - r.first_response_due).days
        lines.append(Line(str(r), r.get_absolute_url(),
                          f"response overdue by {days} day{'s' if days != 1 else ''}",
                          True))  # fmt: skip
    return Need(
        f"residents' report{'s' if n != 1 else ''} routed to your organisation"
        " overdue for a first response",
        n, reverse("reports:staff-list") + "?show=mine-overdue", lines, late=n,
    )  # fmt: skip
