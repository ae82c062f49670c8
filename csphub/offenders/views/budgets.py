"""Pages of personal budget pilots: the fund, allocations, spend, evaluation."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from csphub.accounts.access import submitted

from .. import access, budgets, services
from ..forms import AllocationForm, PilotForm, SpendForm
from ..models import Allocation, BudgetPilot, Nominal, Spend
from .pages import form_page


def pence(amount):
    return int((Decimal(amount) * 100).quantize(Decimal(1)))


@access.iom_required
def pilot_list(request):
    pilots = BudgetPilot.objects.filter(partnership=request.partnership)
    access.audited(request, "personal budget pilots")
    return TemplateResponse(request, "offenders/pilots.html", {"pilots": pilots})


@access.iom_required
def pilot_add(request):
    form = PilotForm(
        request.POST or None, instance=BudgetPilot(partnership=request.partnership)
    )
    if submitted(request, form):
        form.instance.fund_pence = pence(form.cleaned_data["fund"])
        pilot = services.save_record(
            form.instance,
            by=request.user,
            what="personal budget pilot",
            partnership=request.partnership,
        )
        return redirect(pilot)
    return form_page(request, form, "Start a personal budget pilot")


@access.iom_required
def pilot_detail(request, pk):
    pilot = access.pilot_for(request, pk)
    allocations = budgets.allocations_with_balance(pilot)
    allocated = sum(a.amount_pence for a in allocations)
    holders, comparison, due = budgets.evaluate(pilot, timezone.localdate())
    return TemplateResponse(
        request,
        "offenders/pilot.html",
        {
            "pilot": pilot,
            "allocations": allocations,
            "allocated": allocated,
            "spent": sum(a.spent for a in allocations),
            "unallocated": pilot.fund_pence - allocated,
            "balance": sum(a.balance for a in allocations),
            "groups": [holders, comparison],
            "evaluation_due": due,
            "spend_form": SpendForm(),
        },
    )


@access.iom_required
def allocation_add(request, pk):
    pilot = access.pilot_for(request, pk, "add personal budget")
    form = AllocationForm(request.POST or None, instance=Allocation(pilot=pilot))
    if submitted(request, form):
        nominal = Nominal.objects.filter(
            partnership=request.partnership, code=form.cleaned_data["nominal_code"]
        ).first()
        try:
            if nominal is None:
                raise budgets.BudgetError("No nominal in the cohort has that code.")
            budgets.allocate(
                pilot,
                nominal,
                pence(form.cleaned_data["amount"]),
                decided_on=form.cleaned_data["decided_on"],
                risk_decision=form.cleaned_data["risk_decision"],
                by=request.user,
            )
        except budgets.BudgetError as error:
            form.add_error(None, str(error))
        else:
            return redirect(pilot)
    return form_page(request, form, f"Allocate a budget from {pilot}", pilot=pilot)


@access.iom_required
def spend_add(request, pk):
    allocation = get_object_or_404(
        Allocation.objects.select_related("pilot", "nominal"),
        pk=pk,
        pilot__partnership=request.partnership,
    )
    pilot = access.pilot_for(request, allocation.pilot_id, "add budget spend")
    form = SpendForm(request.POST or None, instance=Spend(allocation=allocation))
    if submitted(request, form):
        form.instance.amount_pence = pence(form.cleaned_data["amount"])
        try:
            budgets.spend(allocation, form.instance, by=request.user)
        except budgets.BudgetError as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, f"Spend recorded for {allocation.nominal}.")
            return redirect(pilot)
    title = f"Spend from {allocation.nominal}'s budget"
    return form_page(request, form, title, pilot=pilot)
