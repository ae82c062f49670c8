"""Agenda planning: proposals gathered from the sources the CSP refresh names,
the planners' decision on each, and the rehearsal of the agenda."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.casework.models import Escalation
from csphub.intelligence.models import Briefing
from csphub.structure.models import Body

from .models import AgendaItem, Decision, Meeting, Proposal, ReportBack

EIA_FIELDS = ["eia_groups", "eia_impact", "eia_mitigation", "eia_not_needed"]
# What a proposal's kind becomes on the agenda, and its default time.
DEFAULT_MINUTES = {"decision": 20, "discussion": 15, "information": 5}


def gather_proposals(meeting, today=None):
    """Propose business for a meeting from every source; idempotent, so it can
    run again as the sources change. Returns the number of new proposals."""
    if meeting.is_held():
        return 0
    today = today or timezone.localdate()
    found = []
    body = meeting.body
    if body.kind == Body.Kind.STRATEGIC_BOARD:
        found += _highlight(meeting)
    if body.kind == Body.Kind.ZONAL and body.zone_id:
        found += _briefing(meeting)
    found += _escalations(meeting)
    found += _overdue_report_backs(meeting, today)
    found += _referrals(meeting)
    found += _deferred(meeting)
    have = set(meeting.proposals.values_list("source_key", flat=True))
    new = [p for p in found if p.source_key not in have]
    Proposal.objects.bulk_create(new)
    return len(new)


# The agenda kind and the order among proposals of what a source finds.
_KIND_AND_ORDER = {
    Proposal.Source.BRIEFING: ("discussion", 0),
    Proposal.Source.ESCALATION: ("decision", 30),
    Proposal.Source.REPORT_BACK: ("discussion", 40),
}


def _proposal(meeting, source, found_on, **fields):
    """A proposal for the meeting found on a briefing, escalation or
    report-back; its key stops the same object being proposed twice."""
    kind, order = _KIND_AND_ORDER[source]
    return Proposal(
        meeting=meeting,
        source=source,
        source_key=f"{source}:{found_on.pk}",
        kind=kind,
        order=order,
        **fields,
    )


def _highlight(meeting):
    """Each exception of the latest highlight report up to the meeting."""
    from csphub.performance import services as performance
    from csphub.performance.models import Review

    review = (
        Review.objects.filter(partnership=meeting.partnership, period__lte=meeting.date)
        .order_by("-period")
        .first()
    )
    if review is None:
        return []
    report = performance.highlight_report(review)
    proposals = []
    for group in report.groups:
        for item in group.exceptions:
            reasons = "; ".join(
                performance.REASONS.get(r, r).lower() for r in item.reasons
            )
            proposals.append(
                Proposal(
                    meeting=meeting,
                    source=Proposal.Source.HIGHLIGHT,
                    source_key=f"kpi:{review.period:%Y-%m}:{item.indicator.pk}",
                    title=f"{item.indicator.name} ({group.name})",
                    detail=f"Exception in the {review.period:%B %Y} highlight"
                    f" report: {reasons}. {item.board_ask}",
                    proposed_by_name=review.body.name
                    if review.body
                    else "Performance group",
                    from_body=review.body,
                    chart_svg=item.variation_svg or "",
                    kind="decision" if "rated_red" in item.reasons else "discussion",
                    order=20,
                )
            )
    return proposals


def _briefing(meeting):
    briefing = (
        Briefing.objects.filter(
            partnership=meeting.partnership,
            zone=meeting.body.zone,
            status=Briefing.Status.DONE,
            month__lte=meeting.date,
        )
        .order_by("-month", "-created_at")
        .first()
    )
    if briefing is None:
        return []
    return [
        _proposal(
            meeting,
            Proposal.Source.BRIEFING,
            briefing,
            title=f"Intelligence briefing: {meeting.body.zone.name} zone,"
            f" {briefing.month:%B %Y}",
            detail="The zone's latest intelligence briefing, taken first.",
            proposed_by_name="Analysts",
            briefing=briefing,
        )
    ]


def _escalations(meeting):
    pending = Escalation.objects.filter(
        to_body=meeting.body, state=Escalation.State.PENDING
    ).select_related("issue", "from_body")
    return [
        _proposal(
            meeting,
            Proposal.Source.ESCALATION,
            e,
            restricted=e.issue.restricted,
            title=f"Escalated by {e.from_body.label}: {e.issue.title}",
            detail=f"Asked: {e.asked} Tried: {e.tried}"
            f" Answer needed by {e.needed_by:%-d %B %Y}.",
            proposed_by_name=e.from_body.name,
            from_body=e.from_body,
            escalation=e,
        )
        for e in pending
    ]


def _overdue_report_backs(meeting, today):
    overdue = (
        ReportBack.objects.overdue(today)
        .filter(
            decision__item__meeting__body=meeting.body,
            decision__item__meeting__date__lt=meeting.date,
        )
        .select_related("organisation", "decision__item__meeting")
    )
    return [
        _proposal(
            meeting,
            Proposal.Source.REPORT_BACK,
            r,
            restricted=r.decision.item.restricted,
            title=f"Overdue report-back: {r.organisation}",
            detail=f"Due {r.due:%-d %B %Y} on the decision of"
            f" {r.decision.item.meeting.date:%-d %B %Y}: {r.decision.text}",
            proposed_by_name="Partnership officer",
            report_back=r,
        )
        for r in overdue
    ]


def _referrals(meeting):
    """Decisions of sub-groups and parallel boards passed to this body."""
    referred = (
        Decision.objects.filter(
            refer_to=meeting.body, item__meeting__date__lte=meeting.date
        )
        .exclude(item__meeting=meeting)
        .select_related("item__meeting__body")
    )
    proposals = []
    for d in referred:
        source_body = d.item.meeting.body
        parallel = source_body.kind == Body.Kind.PARALLEL
        proposals.append(
            Proposal(
                meeting=meeting,
                source=Proposal.Source.PARALLEL
                if parallel
                else Proposal.Source.SUB_GROUP,
                source_key=f"referral:{d.pk}",
                title=f"From {source_body.label}: {d.item.title}",
                detail=d.text,
                proposed_by_name=source_body.name,
                from_body=source_body,
                kind="decision",
                restricted=d.item.restricted,
                order=50,
            )
        )
    return proposals


def _deferred(meeting):
    """Proposals deferred at the body's earlier meetings come back."""
    deferred = Proposal.objects.filter(
        meeting__body=meeting.body,
        meeting__date__lt=meeting.date,
        state=Proposal.State.DEFERRED,
    ).exclude(meeting=meeting)
    return [
        Proposal(
            meeting=meeting,
            source=p.source,
            source_key=f"deferred:{p.pk}",
            title=p.title,
            detail=f"Deferred on {p.decided_at:%-d %B %Y}: {p.reason} {p.detail}"
            if p.decided_at
            else p.detail,
            proposed_by=p.proposed_by,
            proposed_by_name=p.proposed_by_name,
            from_body=p.from_body,
            escalation=p.escalation,
            briefing=p.briefing,
            report_back=p.report_back,
            chart_svg=p.chart_svg,
            kind=p.kind,
            restricted=p.restricted,
            order=p.order,
            **{f: getattr(p, f) for f in EIA_FIELDS},
        )
        for p in deferred
    ]


def propose(meeting, by, **fields):
    """A member's proposal for a meeting's agenda."""
    if meeting.is_held():
        raise ValidationError("This meeting has been held.")
    return Proposal.objects.create(
        meeting=meeting,
        source=Proposal.Source.MEMBER,
        proposed_by=by,
        proposed_by_name=str(by) if by else "",
        order=60,
        **fields,
    )


@transaction.atomic
def decide_proposal(proposal, by, *, state, reason="", kind="", minutes=None):
    """The planning body's decision on a proposal: on the agenda (as an item),
    diverted to a written briefing, deferred or declined, with a reason the
    proposer sees."""
    if state == Proposal.State.PROPOSED:
        raise ValidationError("Choose what to do with the proposal.")
    if state != Proposal.State.AGENDA and not reason:
        raise ValidationError("Give the reason the proposer will see.")
    if proposal.state == Proposal.State.AGENDA and state != Proposal.State.AGENDA:
        AgendaItem.objects.filter(proposal=proposal, decisions__isnull=True).delete()
    proposal.state, proposal.reason = state, reason
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    proposal.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    if state == Proposal.State.AGENDA and not hasattr_item(proposal):
        kind = kind or proposal.kind
        AgendaItem.objects.create(
            meeting=proposal.meeting,
            proposal=proposal,
            order=proposal.order,
            title=proposal.title[:300],
            kind=kind,
            sought=proposal.detail if kind == AgendaItem.Kind.DECISION else "",
            lead=proposal.proposed_by_name[:200],
            minutes=minutes or DEFAULT_MINUTES.get(kind, 15),
            restricted=proposal.restricted,
        )
    audit(
        AuditEntry.Action.CHANGE,
        actor=by,
        record=proposal.meeting,
        reason=f"proposal {proposal.pk}: {proposal.get_state_display()}",
    )
    return proposal


def hasattr_item(proposal):
    return AgendaItem.objects.filter(proposal=proposal).exists()


@dataclass
class Rehearsal:
    """The agenda's items (a list) rehearsed against the meeting's length."""

    length: int
    items: list

    def of_kind(self, kind):
        return [i for i in self.items if i.kind == kind]

    @property
    def total(self):
        return sum(i.minutes for i in self.items)

    @property
    def overrun(self):
        return max(0, self.total - self.length)

    @property
    def decision_minutes(self):
        return sum(i.minutes for i in self.of_kind(AgendaItem.Kind.DECISION))

    @property
    def decision_share(self):
        return round(100 * self.decision_minutes / self.total) if self.total else 0

    @property
    def no_decision_sought(self):
        """Decision items with nothing sought."""
        decisions = self.of_kind(AgendaItem.Kind.DECISION)
        return [i for i in decisions if not i.sought.strip()]

    @property
    def could_be_briefings(self):
        """Information items, which could be written instead."""
        return self.of_kind(AgendaItem.Kind.INFORMATION)


def rehearse(meeting, items):
    """Total time against the length, the share on decisions, decision items
    with nothing sought, and information items that could be written."""
    return Rehearsal(meeting.length_minutes(), list(items))


def timings(meeting, items):
    """(item, start time) pairs: the agenda with timings."""
    from datetime import datetime, timedelta

    at = datetime.combine(meeting.date, meeting.start)
    out = []
    for item in items:
        out.append((item, at.time()))
        at += timedelta(minutes=item.minutes)
    return out


def next_meeting(body, after):
    return (
        Meeting.objects.filter(body=body, date__gt=after)
        .exclude(status__in=[Meeting.Status.HELD, Meeting.Status.APPROVED])
        .order_by("date")
        .first()
    )
