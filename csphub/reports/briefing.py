"""The briefing section reports adds: residents' reports made in the
briefing's area and month, counted by kind (people and reports), with the
open ones and the overdue. Counts only: no resident is named."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from csphub.intelligence.hooks import BriefingSection
from csphub.lib.months import add_months
from csphub.places.models import Area, Zone

from .models import Report


def residents_reports_section(partnership, area, month, user):
    """Reports in a borough, ward or zone in a month (registered in apps.py);
    nothing without a month."""
    if month is None:
        return None
    reports = Report.objects.filter(
        partnership=partnership,
        created_at__date__gte=month,
        created_at__date__lt=add_months(month, 1),
    ).exclude(status=Report.Status.MERGED)
    if isinstance(area, Zone):
        reports = reports.filter(zone=area)
    elif isinstance(area, Area) and area.kind == Area.Kind.WARD:
        reports = reports.filter(ward=area)
    elif not (isinstance(area, Area) and area.kind == Area.Kind.BOROUGH):
        return None
    today = timezone.localdate()
    rows = list(
        reports.values("category__name", "category__asb_type")
        .annotate(
            reports=Sum("reporter_count"),
            people=Sum("people_count"),
            problems=Count("pk"),
            open=Count("pk", filter=~Q(status=Report.Status.CLOSED)),
            overdue=Count(
                "pk",
                filter=Q(first_response_at=None, first_response_due__lt=today)
                & ~Q(status=Report.Status.CLOSED),
            ),
        )
        .order_by("-reports", "category__name")
    )
    if not rows:
        return None
    total = sum(r["reports"] for r in rows)
    people = sum(r["people"] for r in rows)
    top = rows[0]["category__name"].lower()
    return BriefingSection(
        title="Residents' reports",
        template="reports/_briefing_reports.html",
        rows=rows,
        summary=f"Residents made {total} report{'s' if total != 1 else ''}"
        f" ({people} people) about {sum(r['problems'] for r in rows)} problems;"
        f" the most reported was {top}.",
        order=70,
    )
