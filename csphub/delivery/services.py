"""What the delivery app can do: plan, ask for and record quarterly updates,
chase late ones, escalate a blocker to casework, report a quarter to the
board, and record lead agencies' acceptances. Spend is in spend.py, charts in
charts.py. Every write takes an explicit actor."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.casework import services as casework
from csphub.casework.models import Issue, Theme
from csphub.strategy.models import Priority
from csphub.structure.models import Body

from . import quarters
from .models import (
    Activity,
    LeadAcceptance,
    Milestone,
    Objective,
    QuarterlyUpdate,
    Rag,
    Reminder,
)


def priorities_of(strategy):
    """A strategy's priorities with leads, owner and outcomes prefetched."""
    return (
        Priority.objects.filter(strategy=strategy)
        .select_related("owner", "owner__organisation")
        .prefetch_related("allocated_leads", "actual_leads", "outcomes")
        .order_by("order", "name")
    )


def driving_bodies(priority, *, seen_by=None, is_admin=False):
    """Current bodies covering the priority, its own first: strategic bodies
    covering fewest priorities lead the list. With `seen_by`, only those that
    user may see (a restricted body only by its members and administrators)."""
    bodies = (
        Body.objects.filter(priorities=priority)
        .current()
        .prefetch_related("priorities")
    )
    if seen_by is not None:
        bodies = bodies.visible_to(seen_by, is_admin=is_admin)
    level = {Body.Level.STRATEGIC: 0, Body.Level.OPERATIONAL: 1, Body.Level.LOCAL: 2}
    return sorted(
        bodies, key=lambda b: (len(b.priorities.all()), level.get(b.level, 3), b.name)
    )


def driving_body(priority):
    """The body that drives the priority: escalations from its plan go here.
    With no body covering the priority, the partnership's board (the top
    strategic board, which owns the strategy) drives it."""
    bodies = driving_bodies(priority)
    if bodies:
        return bodies[0]
    return (
        Body.objects.filter(
            partnership=priority.partnership_id,
            kind=Body.Kind.STRATEGIC_BOARD,
            reports_to__isnull=True,
        )
        .current()
        .order_by("name")
        .first()
    )


def plan_of(priority):
    """The priority's objectives with their activities, milestones and
    dependencies, in five queries."""
    return list(
        Objective.objects.filter(priority=priority).prefetch_related(
            Prefetch(
                "activities",
                Activity.objects.select_related(
                    "owner", "organisation"
                ).prefetch_related(
                    "partners", "milestones", "depends_on", "outside_dependencies"
                ),
            )
        )
    )


def _audited(action, by, record, priority, reason=""):
    """Audit a change to a priority's delivery plan; returns the record."""
    partnership = priority.partnership
    audit(action, actor=by, record=record, reason=reason, partnership=partnership)
    return record


@transaction.atomic
def add_objective(priority, by, *, title):
    order = priority.objectives.count() + 1
    objective = Objective.objects.create(priority=priority, title=title, order=order)
    return _audited(AuditEntry.Action.CREATE, by, objective, priority)


@transaction.atomic
def add_activity(objective, by, *, partners=(), depends_on=(), **fields):
    """Put an activity under an objective."""
    if fields.get("ends") and fields["ends"] < fields["starts"]:
        raise ValidationError({"ends": "The end must be on or after the start."})
    activity = Activity.objects.create(objective=objective, **fields)
    activity.partners.set(partners)
    activity.depends_on.set([a for a in depends_on if a.pk != activity.pk])
    return _audited(AuditEntry.Action.CREATE, by, activity, objective.priority)


@transaction.atomic
def change_activity(form, by):
    """Save a changed activity from its (valid) form, and audit what changed."""
    activity = form.save(commit=False)
    activity.save(update_fields=[f for f in form.changed_data if f not in
                                 ("partners", "depends_on")] or None)  # fmt: skip
    form.save_m2m()
    activity.depends_on.remove(activity)
    changed = ", ".join(form.changed_data)
    priority = activity.objective.priority
    return _audited(AuditEntry.Action.CHANGE, by, activity, priority, changed)


@transaction.atomic
def add_milestone(activity, by, *, name, due):
    milestone = Milestone.objects.create(activity=activity, name=name, due=due)
    return _audited(AuditEntry.Action.CREATE, by, milestone, activity.priority)


@transaction.atomic
def complete_milestone(milestone, by, *, on):
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    priority = milestone.activity.priority
    return _audited(AuditEntry.Action.CHANGE, by, milestone, priority, "done")


def check_rag(rag, reason):
    """Amber and red need a reason; raise ValidationError if it is missing."""
    if rag in (Rag.AMBER, Rag.RED) and not (reason or "").strip():
        raise ValidationError(
            {"reason": "Say why the activity is amber or red: a reason is required."}
        )


@transaction.atomic
def submit_update(
    activity,
    by,
    *,
    quarter,
    rag,
    reason="",
    progress,
    next_quarter,
    blockers="",
    status=None,
):
    """Record an owner's update for a quarter; a later one for the same
    quarter supersedes it in reports (both are kept)."""
    check_rag(rag, reason)
    update = QuarterlyUpdate.objects.create(
        activity=activity,
        quarter=quarters.quarter_of(quarter),
        rag=rag,
        reason=reason.strip(),
        progress=progress,
        next_quarter=next_quarter,
        blockers=blockers.strip(),
        by=by,
    )
    if status and status != activity.status:
        activity.status = status
        activity.save(update_fields=["status"])
    reason = f"{update.quarter_label()} {rag}"
    return _audited(AuditEntry.Action.CREATE, by, update, activity.priority, reason)


class CannotEscalate(ValidationError):
    pass


@transaction.atomic
def escalate_blocker(update, by):
    """Raise the update's blocker as a casework issue on the body that drives
    the priority, once; returns the issue."""
    if update.issue_id:
        raise CannotEscalate("This blocker is already a casework issue.")
    if not update.blockers:
        raise CannotEscalate("This update names no blocker.")
    activity = update.activity
    priority = activity.priority
    body = driving_body(priority)
    if body is None:
        raise CannotEscalate(
            f"No body drives {priority.name}: link a body to the priority first."
        )
    issue = casework.raise_issue(
        priority.partnership,
        body,
        by,
        title=f"Blocked: {activity.title}"[:200],
        description=(
            f"{update.blockers}\n\nFrom the {update.quarter_label()} update"
            f" ({update.get_rag_display()}) on the delivery plan for {priority.name}."
        ),
        theme=Theme.OTHER,
        priority=priority,
        origin=Issue.Origin.PARTNER,
        origin_detail=f"Delivery plan: {activity.title}"[:200],
    )
    casework.record_update(
        issue, by, "Blocked: escalated from the delivery plan.", Issue.Status.BLOCKED
    )
    update.issue = issue
    update.save(update_fields=["issue"])
    return issue


def latest_updates(activities, quarter_list):
    """{(activity id, quarter): newest update} for those quarters."""
    out = {}
    rows = QuarterlyUpdate.objects.filter(
        activity__in=activities, quarter__in=quarter_list
    ).order_by("activity_id", "quarter", "at", "pk")
    for update in rows:
        out[(update.activity_id, update.quarter)] = update
    return out


def owed(partnership, quarter):
    """Live activities running in the quarter with no update for it yet."""
    return (
        Activity.objects.of(partnership)
        .running_in(quarter)
        .exclude(updates__quarter=quarter)
        .order_by("objective__priority__order", "objective__order", "starts", "pk")
    )


def late_updates(partnership, today):
    """(quarter, [activities]) whose update is past due and still missing."""
    quarter = quarters.last_due_quarter(today)
    return quarter, list(owed(partnership, quarter))


@dataclass
class ChaseResult:
    asked: int = 0
    chased: int = 0
    no_owner: int = 0


def chase_updates(partnership, today, *, dry_run=False):
    """Ask each owner once for the reporting quarter's update, and chase once
    each owner whose last-due update is late. Records every e-mail sent."""
    result = ChaseResult()
    late_quarter, late = late_updates(partnership, today)
    asking = quarters.reporting_quarter(today)
    rounds = [(Reminder.Kind.CHASED, late_quarter, late)]
    if asking != late_quarter:
        rounds.append((Reminder.Kind.ASKED, asking, list(owed(partnership, asking))))
    sent = set(
        Reminder.objects.filter(
            activity__objective__priority__partnership=partnership
        ).values_list("activity_id", "quarter", "kind")
    )
    for kind, quarter, activities in rounds:
        for activity in activities:
            if (activity.pk, quarter, kind) in sent:
                continue
            if activity.owner is None or not activity.owner.email:
                result.no_owner += 1
                continue
            if not dry_run:
                _remind(activity, quarter, kind)
            if kind == Reminder.Kind.CHASED:
                result.chased += 1
            else:
                result.asked += 1
    return result


def _remind(activity, quarter, kind):
    context = {
        "activity": activity,
        "quarter": quarters.label(quarter),
        "kind": kind,
        "due": quarters.due_date(quarter),
        "base_url": getattr(settings, "CSPHUB_SITE_URL", ""),
    }
    late = kind == Reminder.Kind.CHASED
    send_mail(
        f"CSP Hub: {'late ' if late else ''}quarterly update for {activity.title}"[
            :200
        ],
        render_to_string("delivery/email/reminder.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [activity.owner.email],
    )
    Reminder.objects.create(
        activity=activity, quarter=quarter, kind=kind, to=activity.owner
    )


@dataclass
class ReportRow:
    activity: object
    update: object  # this quarter's newest, or None
    previous: object  # last quarter's newest, or None
    today: object = None

    @property
    def rag_changed(self):
        return bool(
            self.update and self.previous and self.update.rag != self.previous.rag
        )

    @property
    def late_milestones(self):
        late = getattr(self.activity, "late", None)  # prefetched by the report
        if late is not None:
            return late
        return [m for m in self.activity.milestones.all() if m.is_late(self.today)]


@dataclass
class PriorityReport:
    priority: object
    rows: list = field(default_factory=list)

    @property
    def plain_words(self):
        return in_plain_words(self)

    def counts(self):
        counts = {"green": 0, "amber": 0, "red": 0, "missing": 0, "changed": 0}
        for row in self.rows:
            counts[row.update.rag if row.update else "missing"] += 1
            counts["changed"] += row.rag_changed
        return counts


@dataclass
class DeliveryReport:
    strategy: object
    quarter: object
    priorities: list

    @property
    def quarter_label(self):
        return quarters.label(self.quarter)

    @property
    def previous_label(self):
        return quarters.label(quarters.previous_quarter(self.quarter))


def delivery_report(strategy, quarter):
    """A quarter's updates rolled up per priority, with last quarter's RAG
    beside each. Nine queries, however long the plan and its history."""
    quarter = quarters.quarter_of(quarter)
    previous = quarters.previous_quarter(quarter)
    today = timezone.localdate()
    priorities = list(priorities_of(strategy))
    late = Milestone.objects.filter(done_on__isnull=True, due__lt=today)
    activities = list(
        Activity.objects.filter(objective__priority__strategy=strategy)
        .running_in(quarter)
        .select_related("objective", "owner", "organisation")
        .prefetch_related(Prefetch("milestones", queryset=late, to_attr="late"))
        .order_by("objective__order", "starts", "pk")
    )
    newest = latest_updates([a.pk for a in activities], [quarter, previous])
    by_priority = defaultdict(list)
    for a in activities:
        by_priority[a.objective.priority_id].append(
            ReportRow(
                a, newest.get((a.pk, quarter)), newest.get((a.pk, previous)), today
            )
        )
    return DeliveryReport(
        strategy, quarter, [PriorityReport(p, by_priority[p.pk]) for p in priorities]
    )


def report_pdf(report, base_url=None):
    """The delivery report as PDF bytes (WeasyPrint)."""
    from weasyprint import HTML

    html = render_to_string("delivery/report_pdf.html", {"report": report})
    return HTML(string=html, base_url=base_url).write_pdf()


def requirement_checklist(priority, organisation=None):
    """[(requirement, [acceptances], whether `organisation` accepted it)] for
    the priority's partnership."""
    accepted = defaultdict(list)
    for a in priority.lead_acceptances.select_related("organisation", "by"):
        accepted[a.requirement_id].append(a)
    mine = getattr(organisation, "pk", None)
    return [
        (r, accepted[r.pk], any(a.organisation_id == mine for a in accepted[r.pk]))
        for r in priority.partnership.lead_requirements.all()
    ]


@transaction.atomic
def accept_requirement(priority, requirement, organisation, by):
    """An organisation accepts a lead agency's responsibility for a priority."""
    if requirement.partnership_id != priority.partnership_id:
        raise ValidationError("That requirement is another partnership's.")
    acceptance, created = LeadAcceptance.objects.get_or_create(
        priority=priority,
        requirement=requirement,
        organisation=organisation,
        defaults={"by": by},
    )
    if created:
        _audited(AuditEntry.Action.CREATE, by, acceptance, priority)
    return acceptance


def public_quarter(strategy):
    """The latest quarter with any update on the strategy's plan (the
    public page shows settled news), else the reporting quarter."""
    latest = (
        QuarterlyUpdate.objects.filter(activity__objective__priority__strategy=strategy)
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    return latest or quarters.reporting_quarter(timezone.localdate())


def in_plain_words(priority_report):
    """One sentence on how a priority's plan is going this quarter."""
    c = priority_report.counts()
    total = len(priority_report.rows)
    if not total:
        return "No activities are running this quarter."
    parts = []
    if c["green"]:
        parts.append(f"{c['green']} on track")
    if c["amber"]:
        parts.append(f"{c['amber']} with some problems")
    if c["red"]:
        parts.append(f"{c['red']} in difficulty")
    if c["missing"]:
        parts.append(f"{c['missing']} not yet reported")
    noun = "activity" if total == 1 else "activities"
    return f"Of {total} {noun} this quarter: " + ", ".join(parts) + "."
