"""What the strategy app can do so far: keep a partnership's priorities."""

from django.utils.text import slugify

from .models import Priority, Strategy


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
