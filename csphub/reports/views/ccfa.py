"""Councillor Call for Action: opened from a report by a councillor (a body
member) or an administrator; its referral pack as a page and as PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required
from csphub.accounts.models import Role

from .. import access, ccfa
from ..models import CouncillorCall

CCFA_ROLES = (Role.MEMBER, Role.ADMIN)


@require_POST
@partnership_required(roles=CCFA_ROLES)
def ccfa_open(request, reference):
    report = access.report_for(request, reference)
    try:
        call = ccfa.open_call(report, request.user, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, "Councillor Call for Action opened: its pack is below.")
    return redirect(call)


def _call_for(request, pk):
    return get_object_or_404(
        CouncillorCall.objects.select_related(
            "report", "report__category", "opened_by"
        ),
        pk=pk,
        partnership=request.partnership,
    )


@partnership_required
def ccfa_detail(request, pk):
    call = _call_for(request, pk)
    return TemplateResponse(request, "reports/ccfa_detail.html", ccfa.history(call))


@partnership_required
def ccfa_pdf(request, pk):
    call = _call_for(request, pk)
    pdf = ccfa.pack_pdf(call, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ccfa-{call.report.reference}.pdf"'
    )
    return response
