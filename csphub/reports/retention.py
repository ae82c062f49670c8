"""Personal data is kept only as long as needed: residents' details on closed
reports, and applicants' on finished case reviews, are removed after the
retention period (CSPHUB_REPORTS_RETENTION_DAYS, two years by default).
What stays: the report itself (kind, place, status, history) for the counts."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import CaseReview, Photo, Report, Reporter

log = logging.getLogger(__name__)

# What anonymising writes over each one's personal fields: a reporter's are
# blanked; a case review's applicant and account say that they were removed.
REPORTER_REMOVED = dict.fromkeys(
    ["name", "email", "phone", "description", "victim_key", "client_key"], ""
)
CASE_REVIEW_REMOVED = {
    "applicant_name": "(removed)",
    "applicant_email": "",
    "applicant_phone": "",
    "on_behalf_of": "",
    "account": "(removed after the retention period)",
}


def retention_days():
    return getattr(settings, "CSPHUB_REPORTS_RETENTION_DAYS", 730)


def due_for_anonymising(now=None, cutoff=None):
    """(reporters, case reviews) whose personal data is past retention."""
    if cutoff is None:
        cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    reporters = Reporter.objects.filter(
        anonymised_at=None,
        report__status__in=Report.FINISHED,
        report__closed_at__lt=cutoff,
    )
    reviews = CaseReview.objects.filter(
        anonymised_at=None,
        step__in=[CaseReview.Step.OUTCOME_SENT, CaseReview.Step.THRESHOLD_NOT_MET],
        applied_on__lt=cutoff.date(),
    )
    return reporters, reviews


@transaction.atomic
def anonymise(*, dry_run=False, now=None, cutoff=None):
    """Remove the personal data past retention (or closed before `cutoff`);
    returns and logs the counts."""
    now = now or timezone.now()
    reporters, reviews = due_for_anonymising(now, cutoff)
    counts = {"reporters": reporters.count(), "case_reviews": reviews.count()}
    photos = Photo.objects.filter(reporter__in=reporters)
    counts["photos"] = photos.count()
    if not dry_run:
        for photo in photos:
            photo.image.delete(save=False)
        photos.delete()
        reporters.update(**REPORTER_REMOVED, anonymised_at=now)
        reviews.update(**CASE_REVIEW_REMOVED, anonymised_at=now)
    log.warning(
        "reports retention%s: %d reporters, %d photos, %d case reviews",
        " (dry run)" if dry_run else "",
        counts["reporters"],
        counts["photos"],
        counts["case_reviews"],
    )
    return counts
