"""Councillor Call for Action: a ward councillor opens one from a problem,
and its history (residents' reports, casework actions, escalations, the
partners' responses) is assembled into a referral pack for scrutiny.

The pack carries no resident's identity, nor partners' internal notes."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.casework.models import Issue

from . import trigger
from .models import CouncillorCall, Report, Reporter, ReportEvent


def open_call(report, by, reason):
    """Open a Councillor Call for Action on a report, saying why."""
    if not reason.strip():
        raise ValidationError("Say why you are calling for action.")
    ProhibitNullCharactersValidator()(reason)  # PostgreSQL text refuses NUL
    return CouncillorCall.objects.create(
        partnership=report.partnership, report=report, opened_by=by, reason=reason
    )


def history(call):
    """Everything the pack shows, gathered once."""
    report = call.report
    metres = trigger.location_metres()
    dlat = metres / 111_320
    place_reports = Report.objects.filter(
        partnership=report.partnership,
        latitude__range=(report.latitude - dlat, report.latitude + dlat),
        longitude__range=(report.longitude - 1.6 * dlat, report.longitude + 1.6 * dlat),
    ).select_related("category", "organisation")
    issue = (
        Issue.objects.filter(pk=report.issue_id, restricted=False)
        .select_related("body")
        .first()
        if report.issue_id
        else None
    )
    return {
        "call": call,
        "report": report,
        "accounts": Reporter.objects.filter(report=report).only(
            "created_at", "description", "incident_date", "frequency", "channel"
        ),
        "events": ReportEvent.objects.filter(report=report, public=True).select_related(
            "organisation"
        ),
        "place_reports": place_reports.order_by("created_at"),
        "issue": issue,
        "actions": issue.actions.select_related("organisation") if issue else [],
        "escalations": issue.escalations.select_related("from_body", "to_body")
        if issue
        else [],
        "made_at": timezone.now(),
    }


def pack_html(call):
    return render_to_string("reports/ccfa_pack.html", history(call))


def pack_pdf(call, base_url=None):
    from weasyprint import HTML

    return HTML(string=pack_html(call), base_url=base_url).write_pdf()
