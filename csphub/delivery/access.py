"""Who may see and change what in the delivery plan.

Every role in a partnership sees its strategies, plans, updates, spend and
registers (nothing here is restricted). A priority's plan (objectives,
activities, milestones) is kept by its named owner and administrators; an
activity's quarterly update is given by the activity's owner (or an
administrator), who may also escalate its blocker. A lead agency's
responsibilities are accepted by a person of an allocated or actual lead
organisation. Spend is imported by analysts and administrators; the risk and
gap registers are kept by administrators. Other partnerships' records are
404s.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from csphub.accounts.access import has_role
from csphub.accounts.models import Role
from csphub.strategy.models import Priority, Strategy

from .models import Activity, Gap, Milestone, QuarterlyUpdate, Risk


def is_admin(request):
    return has_role(request, Role.ADMIN)


def require(allowed, why="You may not do this here."):
    if not allowed:
        raise PermissionDenied(why)


def strategy_for(request, pk):
    return get_object_or_404(Strategy, pk=pk, partnership=request.partnership)


def priority_for(request, slug):
    return get_object_or_404(
        Priority.objects.select_related("strategy", "owner", "owner__organisation"),
        partnership=request.partnership,
        slug=slug,
    )


def activity_for(request, pk):
    return get_object_or_404(Activity.objects.of(request.partnership), pk=pk)


def milestone_for(request, pk):
    return get_object_or_404(Milestone.objects.of(request.partnership), pk=pk)


def update_for(request, pk):
    return get_object_or_404(QuarterlyUpdate.objects.of(request.partnership), pk=pk)


def risk_for(request, pk):
    return get_object_or_404(Risk, pk=pk, strategy__partnership=request.partnership)


def gap_for(request, pk):
    return get_object_or_404(Gap, pk=pk, strategy__partnership=request.partnership)


def can_plan(request, priority):
    """The priority's owner and administrators keep its plan."""
    return is_admin(request) or priority.owner_id == request.user.pk


def can_update(request, activity):
    """The activity's owner (and administrators) give its quarterly update."""
    return is_admin(request) or activity.owner_id == request.user.pk


def lead_organisations(priority):
    return {o.pk for o in priority.allocated_leads.all()} | {
        o.pk for o in priority.actual_leads.all()
    }


def can_accept(request, priority):
    """A person of a lead organisation (allocated or actual) accepts its
    responsibilities for that organisation."""
    return request.user.organisation_id in lead_organisations(priority)


def can_import_spend(request):
    return has_role(request, Role.ADMIN, Role.ANALYST)


def can_keep_registers(request):
    return is_admin(request)
