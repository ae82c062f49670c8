"""Who may see and change what in residents' reports.

Everyone with a role in a partnership sees its reports (what, where, status,
history) and may enter one taken by phone or e-mail. A resident's identity
and contact details are seen only by users of the organisation the report is
routed to, while it is party to an information-sharing agreement in force
for residents' identities, and every such view is written to the audit
log; a resident who asked to stay anonymous is shown to nobody. A report is
worked (status,
re-route, merge, raise at a ward group) by that organisation's users and by
administrators. Residents reach their own report only through its private
link; case reviews are run by administrators and case handlers.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from csphub.accounts.access import has_role
from csphub.accounts.models import Role
from csphub.accounts.services import record_restricted_view
from csphub.accounts.sharing import DataKind, may_see

from .models import CaseReview, Report, Reporter

ENTER_ROLES = (Role.OFFICER, Role.HANDLER, Role.ADMIN)
REVIEW_ROLES = (Role.HANDLER, Role.ADMIN)


def report_for(request, reference):
    """A report of the current partnership, or 404."""
    return get_object_or_404(
        Report.objects.select_related(
            "category", "organisation", "ward", "zone", "lsoa", "merged_into"
        ),
        partnership=request.partnership,
        reference=reference,
    )


def receives(request, report):
    """Whether the user's organisation is the one the report is routed to."""
    org = request.user.organisation_id
    return org is not None and org == report.organisation_id


def can_work(request, report):
    return report.is_open() and (
        receives(request, report) or has_role(request, Role.ADMIN)
    )


def require(allowed, message="Only the partner the report is with can do this."):
    if not allowed:
        raise PermissionDenied(message)


def shares_identities(request):
    """Whether an information-sharing agreement in force lets the user's
    organisation see residents' identities in this partnership."""
    return may_see(request, DataKind.RESIDENT_IDENTITY)


def reporters_seen(request, report):
    """The residents behind a report as this user may see them: identities
    for the receiving partner (each view audited), otherwise none."""
    reporters = list(report.reporters.all())
    if not (receives(request, report) and shares_identities(request)):
        return reporters, False
    for reporter in reporters:
        if not reporter.anonymous and reporter.anonymised_at is None:
            record_restricted_view(request, reporter, reason="resident's identity")
    return reporters, True


def can_enter(request):
    return has_role(request, *ENTER_ROLES)


def reporter_for_token(token):
    """The resident's own report, by the private link's token, or 404."""
    return get_object_or_404(
        Reporter.objects.select_related(
            "report", "report__category", "report__organisation", "report__partnership"
        ),
        token=token,
        anonymised_at=None,
    )


def can_run_reviews(request):
    return has_role(request, *REVIEW_ROLES)


def review_for(request, reference):
    require(
        can_run_reviews(request),
        "Only case handlers and administrators run case reviews.",
    )
    require(
        shares_identities(request),
        "Your organisation has no information-sharing agreement in force"
        " that covers residents' identities.",
    )
    review = get_object_or_404(
        CaseReview, partnership=request.partnership, reference=reference
    )
    record_restricted_view(request, review, reason="case review applicant")
    return review
