"""What a zone or ward page leads to: its groups and their leads, its open
issues (overdue first), its latest briefing, the next meeting of its groups,
and the residents' reports made there."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from csphub.casework.models import Issue
from csphub.casework.services import flagged, stalled_days_default
from csphub.intelligence.models import Briefing
from csphub.meetings.models import Meeting
from csphub.reports.models import Report
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
    today = timezone.localdate()
    next_meeting = (
        Meeting.objects.of(partnership).filter(body__in=bodies).upcoming(today).first()
        if bodies
        else None
    )
    return {
        "next_meeting": next_meeting,
        "residents": _residents_reports(partnership, where, today),
        "groups": [(b, leads.get(b.pk)) for b in bodies],
        "issues": issues[:10],
        "issue_count": issues.count(),
        "briefing": briefing,
        "place": zone or ward,
        "zone": zone,
    }


def _residents_reports(partnership, where, today):
    """Open residents' reports here: how many, how many wait past their first
    response date, and the three most reported problems (two queries)."""
    reports = Report.objects.filter(partnership=partnership, **where).open()
    totals = reports.aggregate(
        open=Count("pk"),
        overdue=Count(
            "pk", filter=Q(first_response_at=None, first_response_due__lt=today)
        ),
    )
    top = (
        reports.values("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")[:3]
    )
    return {**totals, "top": [(r["category__name"], r["n"]) for r in top]}
