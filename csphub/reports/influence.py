"""The influence map: for a ward or zone, which bodies decide what for the
place and when they meet, its priorities and what was done, who deals with
each kind of report, how to report and how to escalate. Public: nothing
restricted, and no resident's identity."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from csphub.casework.models import Issue
from csphub.places.models import Area, Zone
from csphub.structure.models import Body

from . import services
from .models import Category, Report

# days between meetings, for the "expected next" estimate from the terms
INTERVALS = {
    "weekly": 7,
    "fortnightly": 14,
    "monthly": 30,
    "six_weekly": 42,
    "bimonthly": 61,
    "quarterly": 91,
    "half_yearly": 182,
    "yearly": 365,
}


def _bodies(partnership, ward, zone):
    bodies = (
        Body.objects.filter(partnership=partnership, restricted=False)
        .current()
        .select_related("current_terms", "zone", "ward")
    )
    place = Q(kind__in=[Body.Kind.STRATEGIC_BOARD, Body.Kind.EXECUTIVE])
    if zone is not None:
        place |= Q(zone=zone)
    if ward is not None:
        place |= Q(ward=ward)
    rows = []
    for body in bodies.filter(place).order_by("level", "name"):
        terms = body.current_terms
        frequency = terms.frequency if terms else ""
        expected = None
        if body.last_met and frequency in INTERVALS:
            expected = body.last_met + timedelta(days=INTERVALS[frequency])
        rows.append(
            {
                "body": body,
                "decides": (terms.decisions or terms.purpose) if terms else "",
                "frequency": terms.get_frequency_display() if terms else "",
                "chair": terms.chairing if terms else "",
                "last_met": body.last_met,
                "expected": expected,
            }
        )
    return rows


def _who_deals(partnership, ward, zone):
    rules = services.routing_rules(partnership)
    lsoa = None
    rows = []
    for category in Category.objects.all():
        rule = services.pick_rule(rules, category, lsoa, ward, zone)
        rows.append((category, rule))
    return rows


def _done(partnership, ward, zone, today):
    since = today - timedelta(days=365)
    issues = Issue.objects.filter(
        partnership=partnership,
        restricted=False,
        status__in=Issue.DONE,
        closed_at__date__gte=since,
    ).select_related("body")
    reports = Report.objects.filter(
        partnership=partnership,
        status=Report.Status.CLOSED,
        closed_at__date__gte=since,
    ).select_related("category", "organisation", "lsoa")
    if ward is not None:
        issues, reports = issues.filter(ward=ward), reports.filter(ward=ward)
    else:
        issues = issues.filter(Q(zone=zone) | Q(ward__zones=zone)).distinct()
        reports = reports.filter(zone=zone)
    counts = (
        reports.values("category__name")
        .annotate(n=Count("pk"), people=Count("reporters"))
        .order_by("-n")
    )
    return (
        list(issues.order_by("-closed_at")[:20]),
        list(reports.order_by("-closed_at")[:20]),
        list(counts),
    )


def area_influence(partnership, place):
    """Everything the page shows for a ward (Area) or a Zone."""
    today = timezone.localdate()
    if isinstance(place, Zone):
        ward, zone = None, place
    else:
        ward, zone = (
            place,
            Zone.objects.filter(partnership=partnership, wards=place).first(),
        )
    bodies = _bodies(partnership, ward, zone)
    issues, reports, counts = _done(partnership, ward, zone, today)
    priorities = []
    for row in bodies:
        for priority in row["body"].priorities.all():
            if priority not in priorities:
                priorities.append(priority)
    rules = _who_deals(partnership, ward, zone)
    default = services.pick_rule(
        services.routing_rules(partnership), Category(pk=0), None, ward, zone
    )
    return {
        "ward": ward,
        "zone": zone,
        "bodies": bodies,
        "priorities": priorities,
        "issues": issues,
        "reports": reports,
        "counts": counts,
        "rules": rules,
        "contact": default,
        "open_reports": Report.objects.filter(
            partnership=partnership, **({"ward": ward} if ward else {"zone": zone})
        )
        .open()
        .count(),
    }


def places_of(partnership):
    """(zones, wards) of a partnership for the index page."""
    zones = list(Zone.objects.filter(partnership=partnership).prefetch_related("wards"))
    wards = list(
        Area.objects.wards().filter(parent=partnership.borough).defer("boundary")
    )
    return zones, wards
