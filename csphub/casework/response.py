"""Response times: how long from an issue being raised to its first action,
and to its resolution (Calderdale's measure: a problem solved "in 2 days"
instead of "4 weeks"), per body and per organisation, as medians and
distributions over a period; and the monthly KPIs the performance group
adopts from them (counted through performance.hooks).

Reads in a fixed number of queries whatever the number of issues: the
medians and bands are worked out in Python from one row per issue.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from statistics import median

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from csphub.accounts.models import Organisation
from csphub.lib.months import add_months
from csphub.performance.models import Indicator, Measurement
from csphub.performance.services import record_measurement, save_indicator

from .models import Action, Issue, ResponseIndicator

# (upper bound in days, label): the bands of the distribution.
BANDS = [
    (2, "Within 2 days"),
    (7, "3 to 7 days"),
    (28, "8 days to 4 weeks"),
    (None, "Over 4 weeks"),
]
PERIODS = [3, 6, 12, 24]  # months a page may look back
DEFAULT_MONTHS = 12
DAY = 86400


def days_between(start, end):
    """Days from start to end; an action dated before its issue was raised
    (entered late, backdated) counts as at once, never as negative."""
    return max(0.0, (end - start).total_seconds() / DAY)


def band_of(days):
    for i, (upper, _) in enumerate(BANDS):
        if upper is None or days <= upper:
            return i
    return len(BANDS) - 1  # pragma: no cover - the last band has no bound


@dataclass
class Times:
    """One measure over a set of issues: the days each took, and how many
    have not got there yet."""

    days: list = field(default_factory=list)
    waiting: int = 0

    @property
    def count(self):
        return len(self.days)

    @property
    def median(self):
        return round(median(self.days), 1) if self.days else None

    @property
    def bands(self):
        counts = [0] * len(BANDS)
        for d in self.days:
            counts[band_of(d)] += 1
        return [(label, n) for (_, label), n in zip(BANDS, counts, strict=True)]

    @property
    def share_within_2(self):
        """For templates: the share within Calderdale's two days."""
        return self.share_within(2)

    def share_within(self, days):
        if not self.days:
            return None
        return round(100 * sum(1 for d in self.days if d <= days) / len(self.days))


@dataclass
class Row:
    """Response times of one body or organisation."""

    subject: object
    raised: int = 0
    first_action: Times = field(default_factory=Times)
    resolution: Times = field(default_factory=Times)


@dataclass
class ResponseTimes:
    start: object
    end: object
    bodies: list
    organisations: list
    total: Row
    bands: list = field(default_factory=lambda: [label for _, label in BANDS])


def period_bounds(months, today):
    """[start, end) datetimes of the last `months` months up to today."""
    end_day = today + timedelta(days=1)
    start_day = add_months(today.replace(day=1), -(months - 1))
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start_day, time()), tz),
        timezone.make_aware(datetime.combine(end_day, time()), tz),
    )


def _add(row, issue, first):
    row.raised += 1
    if first is not None:
        row.first_action.days.append(days_between(issue["raised_at"], first))
    else:
        row.first_action.waiting += 1
    if issue["status"] in Issue.DONE and issue["closed_at"]:
        row.resolution.days.append(days_between(issue["raised_at"], issue["closed_at"]))
    else:
        row.resolution.waiting += 1


def response_times(issues, bodies, *, start, end):
    """Response times of `issues` (a queryset) raised in [start, end): one row
    per body of `bodies` (the issues each owns), one per organisation (the
    issues it acted on: to its own first action, and to resolution), and
    the total. Three queries."""
    raised = issues.filter(raised_at__gte=start, raised_at__lt=end).order_by()
    rows = list(
        raised.annotate(first=Min("actions__created_at")).values(
            "pk", "body_id", "raised_at", "closed_at", "status", "first"
        )
    )
    by_body = {b.pk: Row(b) for b in bodies}
    total = Row("All")
    for issue in rows:
        _add(total, issue, issue["first"])
        if issue["body_id"] in by_body:
            _add(by_body[issue["body_id"]], issue, issue["first"])
    by_id = {issue["pk"]: issue for issue in rows}
    firsts = defaultdict(dict)
    for issue_id, org_id, first in (
        Action.objects.filter(issue__in=raised.values("pk"))
        .order_by()
        .values_list("issue_id", "organisation_id")
        .annotate(first=Min("created_at"))
    ):
        firsts[org_id][issue_id] = first
    names = Organisation.objects.in_bulk(list(firsts))
    organisations = []
    for org_id, issue_firsts in firsts.items():
        row = Row(names[org_id])
        for issue_id, first in issue_firsts.items():
            _add(row, by_id[issue_id], first)
        organisations.append(row)
    organisations.sort(key=lambda r: (-r.raised, r.subject.name))
    return ResponseTimes(
        start=start,
        end=end,
        bodies=[r for r in by_body.values() if r.raised],
        organisations=organisations,
        total=total,
    )


# KPIs -----------------------------------------------------------------------


def _kpi_name(measure, subject):
    what = (
        "first action"
        if measure == ResponseIndicator.Measure.FIRST_ACTION
        else "resolution"
    )
    return f"Median days from an issue being raised to its {what}: {subject}"


@transaction.atomic
def adopt_response_kpi(partnership, by, *, measure, body=None, organisation=None):
    """Add a response-time KPI to the partnership's register (or find the one
    already adopted) and count its values. Lower is better; the performance
    group sets its target like any other's."""
    subject = body or organisation
    # A partnership adopts one KPI per measure and body (or organisation).
    kpi = {"measure": measure, "body": body, "organisation": organisation}
    found = ResponseIndicator.objects.filter(
        indicator__partnership=partnership, **kpi
    ).first()
    if found is not None:
        return found, False
    name = _kpi_name(measure, subject)
    scope = (
        f"on {body.name} and the groups below it"
        if body
        else f"on which {organisation.name} acted"
    )
    slug = slugify(f"response-{measure}-{subject}")[:70]
    taken = set(
        Indicator.objects.filter(
            partnership=partnership, slug__startswith=slug
        ).values_list("slug", flat=True)
    )
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    indicator = Indicator(
        partnership=partnership,
        name=name[:300],
        slug=slug,
        theme="Response times",
        source=Indicator.Source.CSP,
        description=(
            "Counted from the action logs each month: of the issues raised in"
            f" the month {scope}, the median number of days until "
            + ("the first action." if measure == "first_action" else "resolution.")
            + " Issues still waiting are left out until they get there."
        ),
        unit=Indicator.Unit.NUMBER,
        improvement=Indicator.Improvement.DECREASE,
        frequency=Indicator.Frequency.MONTHLY,
        owner=organisation,
    )
    save_indicator(indicator, by, created=True)
    link = ResponseIndicator.objects.create(indicator=indicator, adopted_by=by, **kpi)
    count_response_kpis(partnership, by)
    return link, True


def _monthly(link, issues):
    """{month: median days} for one adopted KPI."""
    if link.organisation_id:
        rows = (
            Action.objects.filter(
                issue__in=issues, organisation_id=link.organisation_id
            )
            .order_by()
            .values("issue_id", "issue__raised_at", "issue__closed_at", "issue__status")
            .annotate(first=Min("created_at"))
        )
        rows = [
            {
                "raised_at": r["issue__raised_at"],
                "closed_at": r["issue__closed_at"],
                "status": r["issue__status"],
                "first": r["first"],
            }
            for r in rows
        ]
    else:
        rows = issues.annotate(first=Min("actions__created_at")).values(
            "raised_at", "closed_at", "status", "first"
        )
    days = defaultdict(list)
    for r in rows:
        month = timezone.localtime(r["raised_at"]).date().replace(day=1)
        if link.measure == ResponseIndicator.Measure.FIRST_ACTION:
            end = r["first"]
        else:
            end = r["closed_at"] if r["status"] in Issue.DONE else None
        if end is not None:
            days[month].append(days_between(r["raised_at"], end))
    return {m: round(median(d), 1) for m, d in days.items()}


def count_response_kpis(partnership, by=None):
    """Count every adopted response-time KPI for every month with issues that
    got there; the values written (new or changed). Registered with
    performance.hooks, so opening a review recounts them."""
    from .services import bodies_below

    links = list(
        ResponseIndicator.objects.filter(
            indicator__partnership=partnership
        ).select_related("indicator", "body", "organisation")
    )
    if not links:
        return 0
    every = None
    written = 0
    for link in links:
        issues = Issue.objects.filter(partnership=partnership)
        if link.body_id:
            every = every or list(
                link.body.partnership.bodies.only(
                    "pk", "reports_to_id", "name", "slug", "kind", "restricted"
                )
            )
            below = bodies_below(link.body, every)
            issues = issues.filter(body_id__in=[b.pk for b in below])
        recorded = dict(
            Measurement.objects.current()
            .filter(indicator=link.indicator)
            .values_list("period", "value")
        )
        for month, value in sorted(_monthly(link, issues).items()):
            if recorded.get(month) == value:
                continue
            record_measurement(
                link.indicator,
                month,
                float(value),
                by=by,
                source=Measurement.Source.COMPUTED,
                source_detail="Casework action logs: " + link.get_measure_display(),
            )
            written += 1
    return written
