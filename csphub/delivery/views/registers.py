"""The risk and gap registers of a strategy, and its public page."""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.access import partnership_required
from csphub.accounts.models import AuditEntry, Partnership
from csphub.accounts.services import audit
from csphub.performance.models import Indicator
from csphub.strategy.models import Strategy

from .. import access, charts, services
from ..forms import GapForm, RiskForm


@partnership_required
def risks(request, pk):
    strategy = access.strategy_for(request, pk)
    rows = list(strategy.risks.all())
    return TemplateResponse(
        request,
        "delivery/risks.html",
        {
            "strategy": strategy,
            "risks": rows,
            "heat": charts.heat_map(rows),
            "today": timezone.localdate(),
            "can_edit": access.can_keep_registers(request),
        },
    )


@partnership_required
def gaps(request, pk):
    strategy = access.strategy_for(request, pk)
    return TemplateResponse(
        request,
        "delivery/gaps.html",
        {
            "strategy": strategy,
            "gaps": strategy.gaps.all(),
            "today": timezone.localdate(),
            "can_edit": access.can_keep_registers(request),
        },
    )


def _save(request, form, strategy, back, title):
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.strategy = strategy
        created = entry.pk is None
        entry.save()
        audit(
            AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
            request=request,
            record=entry,
        )
        return redirect(back)
    return TemplateResponse(
        request, "delivery/form.html", {"form": form, "title": title, "back": back}
    )


@partnership_required
def risk_add(request, pk):
    strategy = access.strategy_for(request, pk)
    access.require(access.can_keep_registers(request))
    back = reverse("delivery:risks", args=[strategy.pk])
    return _save(request, RiskForm(request.POST or None), strategy, back, "Add a risk")


@partnership_required
def risk_edit(request, pk):
    risk = access.risk_for(request, pk)
    access.require(access.can_keep_registers(request))
    back = reverse("delivery:risks", args=[risk.strategy_id])
    form = RiskForm(request.POST or None, instance=risk)
    return _save(request, form, risk.strategy, back, "Change a risk")


@partnership_required
def gap_add(request, pk):
    strategy = access.strategy_for(request, pk)
    access.require(access.can_keep_registers(request))
    back = reverse("delivery:gaps", args=[strategy.pk])
    form = GapForm(request.POST or None)
    return _save(request, form, strategy, back, "Add a gap or opportunity")


@partnership_required
def gap_edit(request, pk):
    gap = access.gap_for(request, pk)
    access.require(access.can_keep_registers(request))
    back = reverse("delivery:gaps", args=[gap.strategy_id])
    form = GapForm(request.POST or None, instance=gap)
    return _save(request, form, gap.strategy, back, "Change a gap or opportunity")


def public_strategy(request, partnership, pk):
    """A strategy in plain words, for residents: no sign-in."""
    partnership = get_object_or_404(Partnership, slug=partnership)
    strategy = get_object_or_404(
        Strategy, pk=pk, partnership=partnership, published=True
    )
    report = services.delivery_report(strategy, services.public_quarter(strategy))
    indicators = (
        Indicator.objects.of(partnership).published().select_related("priority")
    )
    return TemplateResponse(
        request,
        "delivery/public_strategy.html",
        {
            "public_partnership": partnership,
            "strategy": strategy,
            "report": report,
            "indicators": [
                i
                for i in indicators
                if i.priority and i.priority.strategy_id == strategy.pk
            ],
        },
    )
