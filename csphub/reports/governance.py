"""What reports gives accounts' governance seams: a resident's records for a
subject access report, and the retention of residents' details."""

from django.db.models import Q

from csphub.accounts.hooks import (
    RetentionRule,
    SubjectSection,
    provide_retention,
    provide_subject_records,
)

from . import retention
from .models import CaseReview, Reporter


def _matching(field_prefix, identifier):
    return (
        Q(**{f"{field_prefix}email__iexact": identifier})
        | Q(**{f"{field_prefix}phone": identifier})
        | Q(**{f"{field_prefix}name__iexact": identifier})
    )


def resident_records(partnership, subject, identifier):
    """Every report a resident made, and every case review they applied for,
    found by e-mail address, telephone number or name."""
    if subject != "resident":
        return None
    reporters = (
        Reporter.objects.filter(report__partnership=partnership)
        .filter(_matching("", identifier))
        .select_related("report", "report__category", "report__organisation")
        .prefetch_related("photos")
    )
    reviews = CaseReview.objects.filter(partnership=partnership).filter(
        _matching("applicant_", identifier)
    )
    records = [(r, _reporter_rows(r)) for r in reporters]
    records += [(review, _review_rows(review)) for review in reviews]
    return SubjectSection(
        "Residents' reports and case reviews",
        records,
        note="Reports are found by the e-mail address, telephone number or name"
        " the resident gave.",
    )


def _reporter_rows(reporter):
    report = reporter.report
    return [
        ("Report", f"{report.reference}: {report.category.name}"),
        ("Where", report.place or "—"),
        ("Routed to", str(report.organisation or "—")),
        ("Status", report.get_status_display()),
        (
            "Reported",
            f"{reporter.created_at:%d %B %Y} by {reporter.get_channel_display()}",
        ),
        ("Name", reporter.name or "—"),
        ("E-mail address", reporter.email or "—"),
        ("Telephone", reporter.phone or "—"),
        ("What they said", reporter.description or "—"),
        ("Photos", str(len(reporter.photos.all()))),
        ("Asked to stay anonymous", "Yes" if reporter.anonymous else "No"),
    ]


def _review_rows(review):
    return [
        ("Case review", review.reference),
        ("Applied", f"{review.applied_on:%d %B %Y}"),
        ("Step", review.get_step_display()),
        ("Name", review.applicant_name),
        ("E-mail address", review.applicant_email or "—"),
        ("Telephone", review.applicant_phone or "—"),
    ]


def _resident_details(cutoff, dry_run):
    counts = retention.anonymise(dry_run=dry_run, cutoff=cutoff)
    return counts["reporters"] + counts["case_reviews"]


def register():
    provide_subject_records(resident_records)
    provide_retention(
        RetentionRule(
            "resident_details",
            "residents' details on closed reports and finished case reviews",
            retention.retention_days(),
            _resident_details,
            verb="anonymised",
        )
    )
