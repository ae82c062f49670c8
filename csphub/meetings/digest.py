"""What meetings add to the daily digest (through casework's hook): the
report-backs a person's organisation owes that are overdue."""

from csphub.casework.digest import DigestItem

from .models import ReportBack


def overdue_report_backs(user, today):
    """Overdue report-backs owed by the user's organisation, to chase."""
    if not user.organisation_id:
        return []
    overdue = (
        ReportBack.objects.overdue(today)
        .filter(
            organisation_id=user.organisation_id,
            decision__item__meeting__partnership__roles__user=user,
        )
        .select_related("decision__item__meeting__body")
        .distinct()
    )
    pairs = []
    for r in overdue:
        meeting = r.decision.item.meeting
        late = (today - r.due).days
        pairs.append(
            (
                meeting.body.name,
                DigestItem(
                    "report_back",
                    r.due,
                    f"Report-back owed on the decision of {meeting}:"
                    f" {r.decision.text[:120]}. Due {r.due:%-d %B %Y}.",
                    r.get_absolute_url(),
                    f"overdue by {late} day{'s' if late != 1 else ''}",
                ),
            )
        )
    return pairs
