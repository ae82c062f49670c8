"""Background tasks (Django's tasks framework; the database backend by default)."""

from django.utils import timezone
from django_tasks import task

from csphub.accounts.models import Partnership

from . import services


@task()
def chase_quarterly_updates():
    """Ask owners for the reporting quarter's update and chase late ones, in
    every partnership; returns how many e-mails were sent. Run daily."""
    today = timezone.localdate()
    sent = 0
    for partnership in Partnership.objects.all():
        result = services.chase_updates(partnership, today)
        sent += result.asked + result.chased
    return sent
