"""Background tasks (Django's tasks framework; the database backend by default)."""

from django_tasks import task

from . import retention


@task()
def anonymise_old_reports():
    """Remove personal data past the retention period; returns the counts
    (the same as `manage.py anonymise_reports`, for a scheduler to enqueue)."""
    return retention.anonymise()
