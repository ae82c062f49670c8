"""What the strategy app can do so far: keep a partnership's priorities."""

from django.utils.text import slugify

from .models import Outcome, Priority, Strategy


def ensure_strategy(partnership, name, *, starts=None, ends=None):
    """Create or update a strategy by name (idempotent)."""
    strategy, _ = Strategy.objects.update_or_create(
        partnership=partnership, name=name, defaults={"starts": starts, "ends": ends}
    )
    return strategy


def ensure_priority(partnership, name, *, order=0, description="", strategy=None):
    """Create or update a priority by its slug (idempotent)."""
    priority, _ = Priority.objects.update_or_create(
        partnership=partnership,
        slug=slugify(name)[:60],
        defaults={
            "name": name,
            "order": order,
            "description": description,
            "strategy": strategy,
        },
    )
    return priority


def set_leads(priority, *, allocated=(), actual=(), note="", owner=None):
    """Record a priority's allocated leads and its leads in practice."""
    priority.allocated_leads.set(allocated)
    priority.actual_leads.set(actual)
    priority.actual_lead_note = note
    priority.owner = owner
    priority.save(update_fields=["actual_lead_note", "owner"])
    return priority


def ensure_outcome(priority, name, *, order=0, description=""):
    """Create or update a priority's outcome by name (idempotent)."""
    outcome, _ = Outcome.objects.update_or_create(
        priority=priority,
        name=name,
        defaults={"order": order, "description": description},
    )
    return outcome
