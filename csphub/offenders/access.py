"""Who may reach the IOM cohort: IOM officers of the current partnership only.

Every other role, and every other partnership, gets 403 (a signed-out visitor
is sent to sign in); a nominal of another partnership is a 404. The
officer's organisation must also be party to an information-sharing
agreement in force covering the IOM cohort (csphub.accounts.sharing). An IOM
officer gives a reason once per session (per partnership) before the first
page; every page and export after that is written to the audit log with it.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from csphub.accounts.access import partnership_required
from csphub.accounts.models import AuditEntry, Role
from csphub.accounts.services import audit
from csphub.accounts.sharing import DataKind, may_see

from .forms import ReasonForm
from .models import BudgetPilot, Nominal


def _reason_key(request):
    return f"iom_reason_{request.partnership.pk}"


def session_reason(request):
    """The reason the officer gave this session, or None."""
    return request.session.get(_reason_key(request))


def give_reason(request, reason):
    """Remember the session's reason and audit that the cohort was opened."""
    request.session[_reason_key(request)] = reason
    audit(
        AuditEntry.Action.VIEW, reason=f"IOM cohort opened: {reason}", request=request
    )


def require_agreement(request):
    """403 unless the officer's organisation is party to an information-sharing
    agreement in force that covers the IOM cohort."""
    if not may_see(request, DataKind.IOM):
        raise PermissionDenied(
            "Your organisation has no information-sharing agreement in force"
            " that covers the IOM cohort."
        )


def iom_required(view):
    """IOM officers of the current partnership, with a reason for this session.

    Without a reason the page is the reason form (it posts to offenders:reason
    and comes back here).
    """

    @partnership_required(roles={Role.IOM})
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_agreement(request)
        if session_reason(request) is None:
            return reason_page(request, ReasonForm(initial={"next": request.path}))
        return view(request, *args, **kwargs)

    return wrapped


def reason_page(request, form, status=200):
    return TemplateResponse(
        request, "offenders/reason.html", {"form": form}, status=status
    )


def audited(request, what, record=None, *, export=False):
    """Write a view (or export) of cohort data to the audit log."""
    action = AuditEntry.Action.EXPORT if export else AuditEntry.Action.VIEW
    reason = f"{what}: {session_reason(request)}"
    audit(action, record=record, reason=reason, request=request)


def nominal_for(request, code, what="nominal page"):
    """The partnership's nominal (404 elsewhere), its view audited."""
    nominal = get_object_or_404(Nominal.objects.of(request.partnership), code=code)
    audited(request, what, nominal)
    return nominal


def pilot_for(request, pk, what="personal budget pilot"):
    pilot = get_object_or_404(BudgetPilot, partnership=request.partnership, pk=pk)
    audited(request, what, pilot)
    return pilot
