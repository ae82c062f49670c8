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


# Residents' reports as a data set a briefing's trends and hotspots can run on
# (issue 19), registered in apps.py: counts by ward or LSOA, category and
# month of the report (merged duplicates left out). Counts only.


def _counted(partnership):
    return Report.objects.filter(partnership=partnership).exclude(
        status=Report.Status.MERGED
    )


def report_months(partnership):
    """The months from the first report to the latest: a month between them
    with no report had none (the reporting pages were open)."""
    from django.db.models import Max, Min

    from csphub.lib.months import first_of_month, months_between

    span = _counted(partnership).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if span["first"] is None:
        return set()
    first = first_of_month(timezone.localtime(span["first"]).date())
    last = first_of_month(timezone.localtime(span["last"]).date())
    return set(months_between(first, last))


def _in_months(reports, months):
    from django.db.models import DateField
    from django.db.models.functions import TruncMonth

    months = sorted(months)
    if not months:
        return reports.none(), None
    return (
        reports.filter(
            created_at__date__gte=months[0],
            created_at__date__lt=add_months(months[-1], 1),
        ),
        TruncMonth("created_at", output_field=DateField()),
    )


def report_counts(partnership, ward_ids, months):
    """(ward id, category, month, reports) in the wards and months."""
    reports, month = _in_months(
        _counted(partnership).filter(ward_id__in=ward_ids), months
    )
    if month is None:
        return []
    wanted = set(months)
    return [
        row
        for row in reports.annotate(m=month)
        .values_list("ward_id", "category__name", "m")
        .annotate(n=Count("pk"))
        .order_by()
        if row[2] in wanted
    ]


def report_lsoa_counts(partnership, months):
    """(lsoa id, category, reports) in the months."""
    reports, month = _in_months(_counted(partnership).exclude(lsoa=None), months)
    if month is None:
        return []
    wanted = set(months)
    counts = {}
    for lsoa_id, category, m, n in (
        reports.annotate(m=month)
        .values_list("lsoa_id", "category__name", "m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if m in wanted:
            counts[(lsoa_id, category)] = counts.get((lsoa_id, category), 0) + n
    return [(lsoa_id, category, n) for (lsoa_id, category), n in counts.items()]
