"""Daily background tasks (Django's tasks framework)."""

from django_tasks import task

from . import retention, services


@task()
def apply_retention():
    """The same as `manage.py apply_retention`, for a scheduler to enqueue;
    returns {kind: count}."""
    return {rule.kind: count for rule, _days, count in retention.apply_retention()}


@task()
def warn_expiring_agreements():
    """The same as `manage.py warn_agreements`; returns how many were warned."""
    return len(services.warn_expiring_agreements())
