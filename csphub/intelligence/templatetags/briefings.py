"""Template helpers for the briefing pages."""

import re

from django import template
from django.utils.safestring import mark_safe

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


INCIDENT_LINK = re.compile(r'href="(/intelligence/incidents/)\?')


@register.filter
def incidents_lead_back(html, briefing_pk):
    """The briefing's links to its incidents, each carrying the briefing so the
    incident list links back to it."""
    return mark_safe(  # noqa: S308 (our own rendered HTML, one fixed insertion)
        INCIDENT_LINK.sub(rf'href="\1?briefing={int(briefing_pk)}&amp;', str(html))
    )
