"""Pages of the IOM cohort: the cohort, its measures, pathways, one nominal."""

import contextlib
import math
from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required, submitted
from csphub.accounts.models import Role
from csphub.lib.csv_export import csv_response
from csphub.lib.digits import is_digits
from csphub.performance.services import charts_for
from csphub.places.models import Zone

from .. import access, importing, services
from ..forms import (
    ImportForm,
    InterventionForm,
    NeedForm,
    ProgressForm,
    ReasonForm,
    ReferralForm,
    ResponseForm,
)
from ..models import Intervention, Need, Nominal, Pathway, Referral
from .pages import form_page

PAGE = 100


@partnership_required(roles={Role.IOM})
def reason(request):
    access.require_agreement(request)
    form = ReasonForm(request.POST or None)
    if submitted(request, form):
        access.give_reason(request, form.cleaned_data["reason"])
        return redirect(form.cleaned_data["next"] or "offenders:cohort")
    status = 400 if request.method == "POST" else 200
    return access.reason_page(request, form, status=status)


def _filtered(request):
    nominals = Nominal.objects.of(request.partnership)
    today = timezone.localdate()
    stream = request.GET.get("stream", "")
    if stream in Nominal.Stream.values:
        nominals = nominals.filter(stream=stream)
    zone = request.GET.get("zone", "")
    if zone:
        nominals = nominals.filter(zone__slug=zone)
    state = request.GET.get("state", "active")
    if state == "active":
        nominals = nominals.active_on(today)
    elif state == "left":
        nominals = nominals.filter(deselected_on__lte=today)
    return nominals, {"stream": stream, "zone": zone, "state": state}


@access.iom_required
def cohort(request):
    nominals, chosen = _filtered(request)
    total = nominals.count()
    pages = max(1, math.ceil(total / PAGE))
    asked = request.GET.get("page", "1")
    page = min(int(asked), pages) if is_digits(asked) and int(asked) > 0 else 1
    access.audited(request, f"cohort list ({total} nominals)")
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "offenders/cohort.html",
        {
            "nominals": nominals.order_by("code")[(page - 1) * PAGE : page * PAGE],
            "total": total,
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
            "chosen": chosen,
            "streams": Nominal.Stream.choices,
            "zones": Zone.objects.filter(partnership=request.partnership),
            "synthetic": nominals.filter(synthetic=True).exists(),
            "by_stream": nominals.order_by()
            .values("stream")
            .annotate(n=Count("pk"))
            .order_by("stream"),
        },
    )


@access.iom_required
def cohort_export(request):
    nominals, _ = _filtered(request)
    access.audited(request, "cohort CSV", export=True)
    rows = []
    rows.append(
        ["code", "stream", "risk_tier", "selected_on", "selection_reason",
         "deselected_on", "deselection_reason", "lead_organisation", "zone",
         "synthetic"]
    )  # fmt: skip
    for n in nominals.order_by("code"):
        rows.append(
            [n.code, n.stream, n.risk_tier, n.selected_on, n.selection_reason,
             n.deselected_on or "", n.deselection_reason,
             n.lead_organisation or "", n.zone or "", "yes" if n.synthetic else ""]
        )  # fmt: skip
    return csv_response("iom-cohort.csv", rows)


@access.iom_required
def upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    summary = errors = None
    if submitted(request, form):
        upload = form.cleaned_data["file"]
        importer = (
            importing.import_cohort
            if form.cleaned_data["kind"] == "cohort"
            else importing.import_offences
        )
        try:
            summary = importer(
                request.partnership,
                upload.read(),
                upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except importing.CohortFileError as error:
            errors = error.errors[:50]
        else:
            access.audited(request, f"import {upload.name}: {summary}")
            if not form.cleaned_data["dry_run"]:
                services.feed_kpis(request.partnership, by=request.user)
    return TemplateResponse(
        request,
        "offenders/upload.html",
        {"form": form, "summary": summary, "errors": errors},
        status=400 if errors else 200,
    )


@access.iom_required
def measures(request):
    as_of = services.data_as_of(request.partnership)
    text = request.GET.get("as_of", "")
    if text:
        with contextlib.suppress(ValueError):
            as_of = min(timezone.localdate(), date.fromisoformat(text))
    m = services.measures_for(request.partnership, as_of)
    rows = [
        {
            "period": period.item(),
            "size": int(m.cohort_size[i]),
            "selected": int(m.selected[i]),
            "complete": bool(m.complete[i]),
            "reoffenders": int(m.reoffenders[i]),
            "binary": m.binary_rate[i],
            "frequency": m.frequency_rate[i],
            "before": m.before_mean[i],
            "after": m.after_mean[i],
            "median_days": m.median_days_to_first[i],
        }
        for i, period in enumerate(m.periods)
    ]
    access.audited(request, "cohort measures")
    feeds = list(services.feeds_of(request.partnership))
    return TemplateResponse(
        request,
        "offenders/measures.html",
        {
            "rows": rows[::-1],
            "as_of": as_of,
            "feeds": feeds,
            "charts": charts_for([f.indicator for f in feeds], as_of),
        },
    )


@access.iom_required
def pathways(request):
    nominals = Nominal.objects.filter(partnership=request.partnership)
    needs = (
        Need.objects.filter(nominal__in=nominals)
        .order_by("assessed_on", "pk")
        .values_list("nominal_id", "pathway", "stage", "level")
    )
    interventions = (
        Intervention.objects.filter(nominal__in=nominals)
        .values("pathway", "provider__name")
        .annotate(
            offered=Count("pk"),
            started=Count("pk", filter=Q(started_on__isnull=False)),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
        )
        .order_by("pathway", "provider__name")
    )
    referrals = Referral.objects.filter(nominal__in=nominals).values_list(
        "service", "referred_on", "responded_on"
    )
    access.audited(request, "pathways summary")
    return TemplateResponse(
        request,
        "offenders/pathways.html",
        services.pathway_tables(needs, interventions, referrals),
    )


@access.iom_required
def nominal_detail(request, code):
    nominal = access.nominal_for(request, code)
    return TemplateResponse(
        request,
        "offenders/nominal.html",
        {
            "nominal": nominal,
            "needs": services.needs_table(nominal),
            "interventions": nominal.interventions.select_related("provider"),
            "referrals": nominal.referrals.select_related("organisation"),
            "offences": nominal.offences.all(),
            "allocations": nominal.allocations.select_related("pilot"),
        },
    )


@access.iom_required
def needs_assess(request, code):
    nominal = access.nominal_for(request, code, "needs assessment")
    form = NeedForm(request.POST or None, pathways=Pathway.choices)
    if submitted(request, form):
        services.assess_needs(
            nominal,
            form.levels(),
            stage=form.cleaned_data["stage"],
            assessed_on=form.cleaned_data["assessed_on"],
            by=request.user,
        )
        return redirect(nominal)
    return form_page(request, form, f"Assess {nominal}'s needs", nominal=nominal)


def _record_add(request, code, form_class, model, *, purpose, what, title):
    """A new record (an intervention, a referral) of one nominal: its form,
    then one audited save. title names the page, with {nominal} in it."""
    nominal = access.nominal_for(request, code, purpose)
    form = form_class(
        request.POST or None,
        instance=model(nominal=nominal),
        partnership=request.partnership,
    )
    if submitted(request, form):
        services.save_record(
            form.instance, by=request.user, what=what, partnership=request.partnership
        )
        return redirect(nominal)
    return form_page(request, form, title.format(nominal=nominal), nominal=nominal)


@access.iom_required
def intervention_add(request, code):
    return _record_add(
        request,
        code,
        InterventionForm,
        Intervention,
        purpose="add intervention",
        what="intervention offered",
        title="Offer {nominal} an intervention",
    )


@access.iom_required
def intervention_progress(request, pk):
    intervention = get_object_or_404(
        Intervention, pk=pk, nominal__partnership=request.partnership
    )
    nominal = access.nominal_for(request, intervention.nominal.code, "intervention")
    form = ProgressForm(request.POST or None, instance=intervention)
    if submitted(request, form):
        services.save_record(
            intervention,
            by=request.user,
            what="intervention progress",
            partnership=request.partnership,
            update_fields=["started_on", "completed_on"],
        )
        return redirect(nominal)
    return form_page(request, form, f"Progress: {intervention}", nominal=nominal)


@access.iom_required
def referral_add(request, code):
    return _record_add(
        request,
        code,
        ReferralForm,
        Referral,
        purpose="add referral",
        what="one-stop referral",
        title="Refer {nominal} to a service",
    )


@access.iom_required
@require_POST
def referral_response(request, pk):
    referral = get_object_or_404(
        Referral, pk=pk, nominal__partnership=request.partnership
    )
    nominal = access.nominal_for(request, referral.nominal.code, "referral response")
    form = ResponseForm(request.POST, instance=referral)
    if form.is_valid():
        services.save_record(
            referral,
            by=request.user,
            what="referral response",
            partnership=request.partnership,
            update_fields=["responded_on"],
        )
        return redirect(nominal)
    return form_page(request, form, f"Response to {referral}", nominal=nominal)
