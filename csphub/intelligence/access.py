"""Who may see and change what in intelligence.

Every role in a partnership sees which months have data, the incident list
and the briefings. Analysts and administrators load data (police.uk files,
partner data sets and their mappings) and prepare briefings; officers, case
handlers, analysts and administrators record an incident's flags. Another
partnership's data set, briefing or incident is a 404, before any role check.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from csphub.accounts.access import has_role
from csphub.accounts.models import Role

from .models import Briefing, DataSet, Incident

ANALYSTS = frozenset({Role.ANALYST, Role.ADMIN})
LOADERS = ANALYSTS  # crime files and partner data sets
PREPARERS = ANALYSTS  # briefings
FLAGGERS = frozenset({Role.OFFICER, Role.HANDLER}) | ANALYSTS


def may_load(request):
    return has_role(request, *LOADERS)


def may_prepare(request):
    return has_role(request, *PREPARERS)


def may_flag(request):
    return has_role(request, *FLAGGERS)


def require(allowed):
    if not allowed:
        raise PermissionDenied("Your account has no role here that allows this page.")


def data_set_for(request, slug):
    """The partnership's data set, or 404: someone from another partnership
    learns nothing of this one."""
    return get_object_or_404(
        DataSet.objects.select_related("organisation"),
        partnership=request.partnership,
        slug=slug,
    )


def incident_for(request, pk, *related):
    """The partnership's incident (with `related` selected), or 404."""
    return get_object_or_404(
        Incident.objects.select_related(*related),
        pk=pk,
        partnership=request.partnership,
    )


def briefing_for(request, pk):
    return get_object_or_404(
        Briefing.objects.select_related("area", "zone", "created_by", "partnership"),
        pk=pk,
        partnership=request.partnership,
    )
