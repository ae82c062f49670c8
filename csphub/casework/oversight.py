"""Oversight: what a body and every body below it hold, counted per body and
flagged, in a fixed number of queries; the pending escalations; the CSV rows.

Reads only: every write is a verb in services.py.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page
from django.db.models import Count, Q
from django.utils import timezone

from csphub.lib.paging import page_of
from csphub.structure.models import Body

from .models import FLAG_FILTERS, LIVE_ISSUE, Action, Escalation, Issue, Tasking
from .problems import problems_in
from .services import stalled_days_default, visible_bodies_below


def issue_counts_by_body(issues, **more):
    """{body id: {live, blocked, escalated}} of `issues`, in one query, with
    `more` counts named as annotations."""
    return {
        r["body_id"]: r
        for r in issues.order_by()
        .values("body_id")
        .annotate(
            live=Count("pk", filter=LIVE_ISSUE),
            blocked=Count("pk", filter=Q(status=Issue.Status.BLOCKED)),
            escalated=Count("pk", filter=Q(status=Issue.Status.ESCALATED)),
            **more,
        )
    }


@dataclass
class Oversight:
    """What a body oversees: its own and every lower body's issues."""

    body: Body
    bodies: list
    rows: list  # per body: dict of counts
    totals: dict
    page: Page  # of issues, most urgent first (Django's: number, paginator)
    escalations: list = field(default_factory=list)
    taskings_given: list = field(default_factory=list)
    taskings_received: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # linked problems, one row each

    @cached_property
    def issues(self):
        """This page of issues."""
        return list(self.page)

    @property
    def count(self):
        """The issues listed on all pages (a linked problem's are its row's)."""
        return self.page.paginator.count


def _oversight_sets(
    body, user, today, now=None, stalled_days=None, filters=None, is_admin=False
):
    now = now or timezone.now()
    stalled_days = stalled_days or (filters or {}).get("stalled_days")
    filters = filters or {}
    below = visible_bodies_below(body, user, is_admin=is_admin)
    base = (
        Issue.objects.filter(
            partnership_id=body.partnership_id, body_id__in=[b.pk for b in below]
        )
        .visible_to(user)
        .matching(**filters)
    )
    issues = base.flagged(today, now, stalled_days or stalled_days_default())
    return below, base, issues


def oversight_issues(body, user, *, today, filters=None, is_admin=False):
    """Every issue oversight covers, flagged and filtered, most urgent first
    (for the CSV export)."""
    filters = filters or {}
    _, _, issues = _oversight_sets(
        body, user, today, filters=filters, is_admin=is_admin
    )
    return (
        issues.with_flag(filters.get("flag"))
        .select_related("body", "ward", "zone", "lsoa")
        .order_by("-severity", "-last_activity_at", "-pk")
    )


def body_oversight(
    body,
    user,
    *,
    today,
    now=None,
    stalled_days=None,
    filters=None,
    page=1,
    is_admin=False,
):
    """Everything owned by `body` and the bodies below it that the user may
    see, counted per body and flagged, in a fixed number of queries whatever
    the size."""
    filters = filters or {}
    below, base, issues = _oversight_sets(
        body, user, today, now, stalled_days, filters, is_admin
    )
    counts = issue_counts_by_body(
        issues,
        overdue=Count("pk", filter=Q(has_overdue=True)),
        stalled=Count("pk", filter=Q(is_stalled=1)),
        total=Count("pk"),
    )
    action_counts = {
        r["issue__body_id"]: r
        for r in Action.objects.filter(issue__in=base.values("pk"))
        .order_by()
        .values("issue__body_id")
        .annotate(
            live=Count("pk", filter=Q(status__in=Action.LIVE)),
            overdue=Count("pk", filter=Q(status__in=Action.LIVE, due__lt=today)),
        )
    }
    keys = ["live", "blocked", "escalated", "overdue", "stalled", "total"]
    rows, totals = [], dict.fromkeys([*keys, "actions", "actions_overdue"], 0)
    for b in below:
        c, a = counts.get(b.pk, {}), action_counts.get(b.pk, {})
        row = {k: c.get(k, 0) for k in keys}
        row.update(
            body=b, actions=a.get("live", 0), actions_overdue=a.get("overdue", 0)
        )
        rows.append(row)
        for k in totals:
            totals[k] += row[k]
    flag = filters.get("flag")
    problems = problems_in(issues.with_flag(flag))
    # A linked problem is one row above the list, not one per issue.
    listed = issues.with_flag(flag).filter(problem_link__isnull=True)
    if flag in FLAG_FILTERS:
        count = listed.count()
    else:
        count = totals["total"] - sum(len(p["issues"]) for p in problems)
    page = page_of(
        listed.select_related("body", "ward", "zone", "lsoa").order_by(
            "-severity", "-last_activity_at", "-pk"
        ),
        page,
        count=count,
    )
    return Oversight(
        body=body,
        bodies=below,
        rows=rows,
        totals=totals,
        page=page,
        problems=problems,
        escalations=list(
            Escalation.objects.visible_to(user)
            .pending()
            .filter(to_body=body)
            .select_related("issue", "from_body", "action")
        ),
        taskings_given=list(
            Tasking.objects.visible_to(user)
            .filter(from_body=body, state=Tasking.State.OPEN)
            .select_related("issue", "to_body", "to_organisation")
        ),
        taskings_received=list(
            Tasking.objects.visible_to(user)
            .filter(to_body=body)
            .exclude(state=Tasking.State.WITHDRAWN)
            .select_related("issue", "from_body")
        ),
    )


def escalations_to(bodies, user):
    """Escalations awaiting an answer from any of `bodies`, oldest first."""
    return (
        Escalation.objects.visible_to(user)
        .pending()
        .filter(to_body__in=bodies)
        .select_related("issue", "from_body", "to_body", "issue__zone")
        .order_by("needed_by", "pk")
    )


CSV_HEADER = [
    "id", "title", "owner", "theme", "status", "zone", "ward", "lsoa", "place",
    "origin", "raised", "last activity", "flag",
]  # fmt: skip


def issue_rows(issues):
    """CSV rows for issues (flag from `severity` where annotated)."""
    names = {2: "red", 1: "amber", 0: ""}
    yield CSV_HEADER
    for i in issues:
        yield [
            i.pk,
            i.title,
            i.body.name,
            i.get_theme_display(),
            i.get_status_display(),
            i.zone.name if i.zone_id else "",
            i.ward.name if i.ward_id else "",
            i.lsoa.code if i.lsoa_id else "",
            i.location,
            i.get_origin_display(),
            f"{i.raised_at:%Y-%m-%d}",
            f"{i.last_activity_at:%Y-%m-%d}",
            names.get(getattr(i, "severity", 0), ""),
        ]
