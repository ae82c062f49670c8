"""Background tasks (Django's tasks framework; the database backend by default)."""

from django_tasks import task

from . import digest


@task()
def send_daily_digests():
    """Send each person their daily digest; returns how many were sent."""
    return digest.send_digests().sent
