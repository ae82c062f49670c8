"""An issue's history: each step is an IssueEvent row, and any step is activity.

Below `services` and `projects`, which both record steps through it.
"""

from django.utils import timezone

from .models import Issue, IssueEvent


def record_event(issue, by, kind, note="", before="", after=""):
    """Record one step in an issue's history (who, what, the status change)."""
    return IssueEvent.objects.create(
        issue=issue,
        kind=kind,
        by=by,
        by_name=str(by) if by else "",
        note=note,
        status_before=before,
        status_after=after,
    )


def touch_issue(issue, status=None, now=None):
    """Mark activity on an issue (what the stalled flag reads), and move it to
    `status` if given; closing stamps closed_at."""
    issue.last_activity_at = now or timezone.now()
    fields = ["last_activity_at"]
    if status is not None and status != issue.status:
        issue.status = status
        fields.append("status")
        if status in Issue.DONE:
            issue.closed_at = issue.last_activity_at
            fields.append("closed_at")
    issue.save(update_fields=fields)
