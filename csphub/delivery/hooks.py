"""What delivery offers through the seams of the apps below it: the daily
digest's "updates you owe" (casework) and the structure review's lead-gap
finding (structure). Registered from DeliveryConfig.ready()."""

from django.urls import reverse

from csphub.casework.digest import DigestItem
from csphub.casework.hooks import provide_digest_items
from csphub.strategy.models import Priority
from csphub.structure.hooks import provide_review_findings
from csphub.structure.review import ReviewFinding

from . import quarters
from .models import Activity


def updates_owed(user, today):
    """A digest line for each activity whose owner owes an update: the
    reporting quarter's (asked) and the last due one's (late)."""
    items = []
    asking = quarters.reporting_quarter(today)
    late = quarters.last_due_quarter(today)
    for quarter in sorted({asking, late}):
        due = quarters.due_date(quarter)
        owed = (
            Activity.objects.filter(owner=user)
            .running_in(quarter)
            .exclude(updates__quarter=quarter)
            .select_related("objective__priority")
        )
        for activity in owed:
            days = (today - due).days
            flag = f"late by {days} day{'s' if days != 1 else ''}" if days > 0 else ""
            items.append(
                (
                    f"Delivery plan: {activity.objective.priority.name}",
                    DigestItem(
                        "update",
                        due,
                        f"Quarterly update for {activity.title}"
                        f" ({quarters.label(quarter)}), due {due:%d %B %Y}",
                        reverse("delivery:update-submit", args=[activity.pk]),
                        flag or f"due {due:%d %b}",
                    ),
                )
            )
    return items


def lead_gap_findings(partnership, bodies, today):
    """A finding for each priority whose leads in practice differ from its
    allocated leads, saying which have accepted the lead agency's
    responsibilities."""
    findings = []
    priorities = Priority.objects.of(partnership).prefetch_related(
        "allocated_leads", "actual_leads", "bodies", "lead_acceptances__organisation"
    )
    for p in priorities:
        if not p.lead_gap():
            continue
        allocated = " and ".join(o.name for o in p.allocated_leads.all()) or "nobody"
        actual = " and ".join(o.name for o in p.actual_leads.all()) or "nobody"
        accepted = sorted({a.organisation.name for a in p.lead_acceptances.all()})
        findings.append(
            ReviewFinding(
                kind="lead_gap",
                key=f"lead_gap:{p.slug}",
                detail=(
                    f"{p.name}: the strategy allocates the lead to {allocated};"
                    f" in practice it is led by {actual}"
                    f"{' ' + p.actual_lead_note if p.actual_lead_note else ''}."
                    + (
                        f" Lead responsibilities accepted by {', '.join(accepted)}."
                        if accepted
                        else " No organisation has accepted the lead"
                        " agency's responsibilities for it."
                    )
                ),
                bodies=[b for b in p.bodies.all() if b.is_current()],
            )
        )
    return findings


def register():
    provide_digest_items(updates_owed)
    provide_review_findings(lead_gap_findings)
