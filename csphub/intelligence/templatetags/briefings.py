"""Template helpers for the briefing pages."""

from django import template

register = template.Library()


@register.filter
def with_superseded(briefings):
    """(briefing, superseded) pairs, newest first: a briefing is superseded when
    a newer one covers the same place and month."""
    ordered = sorted(briefings, key=lambda b: (b.month, b.created_at), reverse=True)
    seen = set()
    pairs = []
    for b in ordered:
        key = (b.area_id, b.zone_id, b.month)
        pairs.append((b, key in seen))
        seen.add(key)
    return pairs
