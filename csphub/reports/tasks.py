"""Background tasks (Django's tasks framework; the database backend by default)."""

from django_tasks import task

from . import retention


@task()
def anonymise_old_reports():
    """Remove personal data past the retention period; returns the counts
    (the same as `manage.py anonymise_reports`, for a scheduler to enqueue)."""
    return retention.anonymise()


@task()
def triage_reports():
    """Route and match every report the Open311 intake took and left waiting
    (intake.py); returns {reference: possible duplicate's reference or ""}."""
    from .intake import triage_pending

    return triage_pending()
