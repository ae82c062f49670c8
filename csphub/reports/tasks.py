"""Background tasks (Django's tasks framework; the database backend by default)."""

import time
from datetime import UTC, datetime

from django.db import transaction
from django_tasks import TaskResultStatus, task

from . import intake, retention

# A queued triage starts this long after the first report it is for, and
# takes every report waiting by then: one task a second per process, not one
# a report.
TRIAGE_DELAY_S = 1.0
_next_triage = 0.0  # when this process's last queued triage starts (time.time)


@task()
def anonymise_old_reports():
    """Remove personal data past the retention period; returns the counts
    (the same as `manage.py anonymise_reports`, for a scheduler to enqueue)."""
    return retention.anonymise()


@task()
def triage_reports():
    """Route and match every report the Open311 intake took and left waiting
    (intake.py); returns {reference: possible duplicate's reference or ""}."""
    return intake.triage_pending()


def take_report_and_triage(
    partnership, category, placement, details, *, channel, address
):
    """The Open311 intake: the report written and its triage queued in one
    transaction (intake.take_report). Returns (reporter, the possible
    duplicate's reference or "") - known only where the triage ran inline
    (tests, a task backend that runs tasks at once)."""
    with transaction.atomic():
        reporter = intake.take_report(
            partnership, category, placement, details, channel=channel, address=address
        )
        matched = schedule_triage()
    return reporter, matched.get(reporter.report.reference, "")


def schedule_triage():
    """Queue a triage in the current transaction unless one queued by this
    process starts after now (it will find this report). Returns what the
    triage found where it ran at once ({reference: duplicate reference})."""
    global _next_triage
    if not triage_reports.get_backend().supports_defer:
        result = triage_reports.enqueue()  # run here and now
        done = result.status == TaskResultStatus.SUCCESSFUL
        return result.return_value if done else {}
    now = time.time()
    if now < _next_triage:
        return {}
    start = now + TRIAGE_DELAY_S
    triage_reports.using(run_after=datetime.fromtimestamp(start, UTC)).enqueue()

    def queued():
        global _next_triage
        _next_triage = start

    transaction.on_commit(queued)
    return {}
