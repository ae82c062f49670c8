"""Response times of a body and the bodies below it, and adopting them as KPIs."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required
from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.lib.csv_export import csv_response
from csphub.performance.access import REGISTER_EDITORS

from .. import access, response, services
from ..forms import AdoptResponseKPIForm, ResponsePeriodForm
from ..models import Issue


def body_response_times(request, body, months, today):
    """Response times of the issues on `body` and the bodies below it that
    the user may see (four queries)."""
    below = services.visible_bodies_below(
        body, request.user, is_admin=access.is_admin(request)
    )
    issues = Issue.objects.filter(
        partnership_id=body.partnership_id, body_id__in=[b.pk for b in below]
    ).visible_to(request.user)
    start, end = response.period_bounds(months, today)
    return response.response_times(issues, below, start=start, end=end)


def _rows(times):
    yield [
        "group or organisation", "kind", "issues raised",
        "median days to first action", "share first action within 2 days (%)",
        "waiting for a first action", "median days to resolution",
        "still unresolved",
    ] + [f"first action: {label}" for label in times.bands]  # fmt: skip
    for kind, rows in (("body", times.bodies), ("organisation", times.organisations)):
        for r in rows:
            yield [
                str(r.subject), kind, r.raised, r.first_action.median,
                r.first_action.share_within(2), r.first_action.waiting,
                r.resolution.median, r.resolution.waiting,
            ] + [n for _, n in r.first_action.bands]  # fmt: skip


@partnership_required
def response_times(request, slug):
    body = access.body_for(request, slug)
    form = ResponsePeriodForm(request.GET if "months" in request.GET else None)
    months = form.months_or_default()
    today = timezone.localdate()
    times = body_response_times(request, body, months, today)
    if request.GET.get("format") == "csv":
        audit(
            AuditEntry.Action.EXPORT, reason=f"response times {slug}", request=request
        )
        return csv_response(f"response-times-{body.slug}.csv", _rows(times))
    return TemplateResponse(
        request,
        "casework/response_times.html",
        {
            "body": body,
            "times": times,
            "distribution": [
                (label, first, done)
                for (label, first), (_, done) in zip(
                    times.total.first_action.bands,
                    times.total.resolution.bands,
                    strict=True,
                )
            ],
            "form": form,
            "months": months,
            "today": today,
            "can_adopt": bool(request.roles & REGISTER_EDITORS),
            "adopted": list(body.response_indicators.select_related("indicator")),
        },
    )


@require_POST
@partnership_required(roles=REGISTER_EDITORS)
def response_adopt(request, slug):
    body = access.body_for(request, slug)
    form = AdoptResponseKPIForm(request.partnership, request.POST)
    back = reverse("casework:response-times", args=[slug])
    if not form.is_valid():
        messages.error(request, "Choose what to measure: first action or resolution.")
        return redirect(back)
    organisation = form.cleaned_data["organisation"]
    link, created = response.adopt_response_kpi(
        request.partnership,
        request.user,
        measure=form.cleaned_data["measure"],
        body=None if organisation else body,
        organisation=organisation,
    )
    messages.success(
        request,
        f"{link.indicator.name}: "
        + ("added to the KPI register." if created else "already in the register."),
    )
    return redirect(link.indicator.get_absolute_url())
