"""What meetings add to the structure review (through structure's hook): bodies
whose held meetings spend little time on decisions or are poorly attended."""

from collections import Counter

from csphub.structure.review import ReviewFinding

from .effectiveness import effectiveness
from .models import Meeting

MIN_MEETINGS = 2  # judged only on at least this many held meetings in a year
DECISION_SHARE = 25  # percent of agenda time on decisions, below which it flags
ATTENDANCE_SHARE = 60  # percent of expected attendance, below which it flags


def effectiveness_findings(partnership, bodies, today):
    """A finding per body whose last year of meetings falls below the marks."""
    held = Counter(
        Meeting.objects.filter(
            partnership=partnership,
            status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED],
            date__gt=today.replace(year=today.year - 1),
            date__lte=today,
        ).values_list("body_id", flat=True)
    )
    findings = []
    for body in bodies:
        if held[body.pk] < MIN_MEETINGS:
            continue
        result = effectiveness(body, end=today)
        came = sum(row[1] for row in result.attendance)
        expected = sum(row[2] for row in result.attendance)
        attendance = round(100 * came / expected) if expected else None
        reasons = []
        if result.decision_share is not None and result.decision_share < DECISION_SHARE:
            reasons.append(f"{result.decision_share}% of agenda time on decisions")
        if attendance is not None and attendance < ATTENDANCE_SHARE:
            reasons.append(f"{attendance}% attendance")
        if reasons:
            findings.append(
                ReviewFinding(
                    kind="meeting_effectiveness",
                    key=f"meeting_effectiveness:{body.slug}",
                    detail=f"{body.name}, over {result.meetings_held} meetings in the"
                    f" last year: {' and '.join(reasons)}.",
                    bodies=[body],
                )
            )
    return findings
