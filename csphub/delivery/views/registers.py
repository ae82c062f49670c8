"""The risk and gap registers of a strategy, and its public page."""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.access import partnership_required, submitted
from csphub.accounts.models import AuditEntry, Partnership
from csphub.accounts.services import audit
from csphub.performance.models import Indicator
from csphub.strategy.models import Strategy

from .. import access, charts, services
from ..forms import GapForm, RiskForm


def _register_page(request, strategy, register, **rows):
    """A strategy's risk or gap register, `register` naming the page."""
    return TemplateResponse(
        request,
        f"delivery/{register}.html",
        {
            "strategy": strategy,
            "today": timezone.localdate(),
            "can_edit": access.can_keep_registers(request),
            **rows,
        },
    )


@partnership_required
def risks(request, pk):
    strategy = access.strategy_for(request, pk)
    rows = list(strategy.risks.all())
    heat = charts.heat_map(rows)
    return _register_page(request, strategy, "risks", risks=rows, heat=heat)


@partnership_required
def gaps(request, pk):
    strategy = access.strategy_for(request, pk)
    return _register_page(request, strategy, "gaps", gaps=strategy.gaps.all())


def _entry_page(request, strategy, form, register, title):
    """Add or change an entry of a register; the entry is audited."""
    access.require(access.can_keep_registers(request))
    back = reverse(f"delivery:{register}", args=[strategy.pk])
    if submitted(request, form):
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


def entry_views(form_class, entry_for, register, what):
    """The add and change pages of a register's entries: `register` names the
    register's page, `what` an entry ("a risk")."""

    @partnership_required
    def add(request, pk):
        strategy = access.strategy_for(request, pk)
        form = form_class(request.POST or None)
        return _entry_page(request, strategy, form, register, f"Add {what}")

    @partnership_required
    def change(request, pk):
        entry = entry_for(request, pk)
        form = form_class(request.POST or None, instance=entry)
        return _entry_page(request, entry.strategy, form, register, f"Change {what}")

    return add, change


risk_add, risk_edit = entry_views(RiskForm, access.risk_for, "risks", "a risk")
gap_add, gap_edit = entry_views(GapForm, access.gap_for, "gaps", "a gap or opportunity")


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
