"""Builders for delivery tests, over the demo partnerships."""

from datetime import date

from csphub.accounts.models import Organisation, Partnership, User
from csphub.strategy.models import Priority

from ..models import Activity, Objective


def haringey():
    return Partnership.objects.get(slug="haringey")


def barnet():
    return Partnership.objects.get(slug="barnet")


def priority(name="Prevention", partnership=None):
    return Priority.objects.get(partnership=partnership or haringey(), name=name)


def make_activity(*, owner="officer", priority_name="Prevention", **fields):
    p = priority(priority_name)
    objective, _ = Objective.objects.get_or_create(priority=p, title="Test objective")
    user = User.objects.get(username=owner) if owner else None
    defaults = {
        "title": "Test activity",
        "owner": user,
        "organisation": user.organisation
        if user
        else Organisation.objects.get(name="Haringey Council"),
        "starts": date(2016, 4, 1),
        "status": Activity.Status.IN_PROGRESS,
    }
    defaults.update(fields)
    return Activity.objects.create(objective=objective, **defaults)
