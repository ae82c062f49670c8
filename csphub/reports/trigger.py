"""The Community Trigger (ASB case review): counting qualifying reports per
victim and per location across all partners, the review's statutory steps
with their deadlines, and the yearly published figures.

Thresholds are set locally (settings): by default three qualifying reports
in six months, each made within a month of the incident, by one person or
about one location (within 100 m).
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import CaseReview, Reporter, Submission
from .workdays import add_working_days

Step = CaseReview.Step  # the review's statutory steps, in order
DEFAULT_DAYS = {"acknowledge": 5, "decide": 10, "meeting": 20, "outcome": 5}


def threshold():
    return getattr(settings, "CSPHUB_TRIGGER_REPORTS", 3)


def window_days():
    return getattr(settings, "CSPHUB_TRIGGER_MONTHS", 6) * 30 + 3


def location_metres():
    return getattr(settings, "CSPHUB_TRIGGER_METRES", 100)


def step_days(name):
    return {**DEFAULT_DAYS, **getattr(settings, "CSPHUB_TRIGGER_DAYS", {})}[name]


@dataclass
class TriggerStatus:
    by_victim: int
    by_location: int
    threshold: int

    @property
    def met(self):
        return max(self.by_victim, self.by_location) >= self.threshold


def _qualifying(reporters):
    return sum(1 for r in reporters if r.qualifies())


def status_for(reporter, now=None):
    """How many qualifying reports this person, and this place, have made in
    the window, across every partner of the partnership."""
    now = now or timezone.now()
    report = reporter.report
    recent = Reporter.objects.filter(
        report__partnership_id=report.partnership_id,
        created_at__gte=now - timedelta(days=window_days()),
        anonymised_at=None,
    ).only("created_at", "incident_date")
    by_victim = (
        _qualifying(recent.filter(victim_key=reporter.victim_key))
        if reporter.victim_key
        else 1
    )
    metres = location_metres()
    dlat = metres / 111_320
    dlon = dlat / math.cos(math.radians(report.latitude))
    near = recent.filter(
        report__latitude__range=(report.latitude - dlat, report.latitude + dlat),
        report__longitude__range=(report.longitude - dlon, report.longitude + dlon),
    )
    return TriggerStatus(by_victim, _qualifying(near), threshold())


def locations_over_threshold(partnership, now=None):
    """Streets (by name) with at least the threshold of qualifying reports in
    the window: the places a case review may be asked for."""
    now = now or timezone.now()
    rows = (
        Reporter.objects.filter(
            report__partnership=partnership,
            created_at__gte=now - timedelta(days=window_days()),
        )
        .exclude(report__place="")
        .values("report__place", "report__ward__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold())
        .order_by("-n")
    )
    return list(rows)


@transaction.atomic
def apply(
    partnership, *, name, email="", phone="", on_behalf_of="", account, report=None
):
    """An application for a case review: its deadlines are set at once."""
    today = timezone.localdate()
    return CaseReview.objects.create(
        partnership=partnership,
        report=report,
        applicant_name=name,
        applicant_email=email,
        applicant_phone=phone,
        on_behalf_of=on_behalf_of,
        account=account,
        applied_on=today,
        acknowledge_by=add_working_days(today, step_days("acknowledge")),
        decide_by=add_working_days(today, step_days("decide")),
    )


def acknowledge(review, today=None):
    on = today or timezone.localdate()
    _advance(review, Step.APPLIED, Step.ACKNOWLEDGED, acknowledged_on=on)


def decide(review, *, met, reason, today=None):
    """The threshold decision; when met, the review meeting's deadline is set."""
    _expect(review, Step.ACKNOWLEDGED)
    if not reason.strip():
        raise ValidationError("Give the reason for the decision.")
    today = today or timezone.localdate()
    review.decided_on, review.decision_reason = today, reason
    if met:
        review.step = Step.THRESHOLD_MET
        review.meeting_by = add_working_days(today, step_days("meeting"))
    else:
        review.step = Step.THRESHOLD_NOT_MET
    review.save(update_fields=["step", "decided_on", "decision_reason", "meeting_by"])


def hold_meeting(review, *, recommendations, on=None):
    on = on or timezone.localdate()
    _advance(
        review,
        Step.THRESHOLD_MET,
        Step.REVIEW_HELD,
        meeting_on=on,
        recommendations=recommendations,
        outcome_by=add_working_days(on, step_days("outcome")),
    )


def send_outcome(review, today=None):
    on = today or timezone.localdate()
    _advance(review, Step.REVIEW_HELD, Step.OUTCOME_SENT, outcome_sent_on=on)


def ask_pcc(review, today=None):
    """The applicant asks the Police and Crime Commissioner to review the handling."""
    if review.step not in (
        Step.OUTCOME_SENT,
        Step.THRESHOLD_NOT_MET,
    ):
        raise ValidationError(
            "The PCC can be asked once a decision or outcome is sent."
        )
    if review.pcc_review_requested_on:
        raise ValidationError("The PCC has already been asked.")
    review.pcc_review_requested_on = today or timezone.localdate()
    review.save(update_fields=["pcc_review_requested_on"])


def add_submission(review, organisation, by, text):
    if not text.strip():
        raise ValidationError("Write the partner's submission.")
    return Submission.objects.create(
        review=review, organisation=organisation, by=by, text=text
    )


def _advance(review, expected, step, **fields):
    """Move a review on from the `expected` step to `step`, saving `fields`."""
    _expect(review, expected)
    review.step = step
    for name, value in fields.items():
        setattr(review, name, value)
    review.save(update_fields=["step", *fields])


def _expect(review, step):
    if review.step != step:
        raise ValidationError(
            f"This case review is at '{review.get_step_display()}',"
            " not ready for that step."
        )


def year_start(day):
    """The first day of the financial year (April to March) a day falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def yearly_figures(partnership):
    """Per financial year: applications, threshold not met, reviews held,
    reviews with recommendations (the figures a partnership must publish)."""
    years = {}
    for review in CaseReview.objects.filter(partnership=partnership).only(
        "applied_on", "step", "meeting_on", "recommendations"
    ):
        start = year_start(review.applied_on)
        row = years.setdefault(
            start,
            {
                "year": f"{start.year}/{(start.year + 1) % 100:02d}",
                "applications": 0,
                "not_met": 0,
                "held": 0,
                "recommendations": 0,
            },
        )
        row["applications"] += 1
        row["not_met"] += review.step == Step.THRESHOLD_NOT_MET
        held = review.meeting_on is not None
        row["held"] += held
        row["recommendations"] += held and bool(review.recommendations.strip())
    return [years[k] for k in sorted(years, reverse=True)]


def open_reviews(partnership):
    return CaseReview.objects.filter(partnership=partnership).exclude(
        Q(step=Step.OUTCOME_SENT) | Q(step=Step.THRESHOLD_NOT_MET)
    )
