"""What a zone or ward page leads to: its groups and their leads, its open
issues (overdue first), and its latest briefing."""

from django import template
from django.utils import timezone

from csphub.casework.models import Issue
from csphub.casework.services import flagged, stalled_days_default
from csphub.intelligence.models import Briefing
from csphub.structure.models import Body, Seat

register = template.Library()


@register.inclusion_tag("web/_place_links.html", takes_context=True)
def place_links(context, *, zone=None, ward=None):
    request = context["request"]
    partnership = request.partnership
    where = {"zone": zone} if zone else {"ward": ward}
    admin = "admin" in getattr(request, "roles", set())
    bodies = list(
        Body.objects.filter(partnership=partnership, **where)
        .current()
        .visible_to(request.user, is_admin=admin)
        .order_by("name")
    )
    leads = {
        s.body_id: s
        for s in Seat.objects.filter(
            body__in=bodies, role=Seat.Role.CHAIR, ended__isnull=True
        ).select_related("person")
    }
    issues = flagged(
        Issue.objects.of(partnership).visible_to(request.user).open().filter(**where),
        timezone.localdate(),
        timezone.now(),
        stalled_days_default(),
    ).order_by("-has_overdue", "-severity", "-last_activity_at")
    briefing_where = {"zone": zone} if zone else {"area": ward}
    briefing = (
        Briefing.objects.of(partnership)
        .filter(**briefing_where)
        .defer("results")
        .first()
    )
    return {
        "groups": [(b, leads.get(b.pk)) for b in bodies],
        "issues": issues[:10],
        "issue_count": issues.count(),
        "briefing": briefing,
        "place": zone or ward,
        "zone": zone,
    }
