"""Who may see and change what in performance.

Every role in a partnership reads its register, reviews and highlight
reports; analysts and administrators keep the register; they and the
officers of an indicator's owner organisation enter its values; the people
seated on the performance group (chair, vice-chair, members) and
administrators set RAG ratings; analysts and administrators add business
intelligence's context. Published indicators are public on the scorecard.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from csphub.accounts.models import Role
from csphub.lib.months import parse_period

from . import services
from .models import Indicator, Review

REGISTER_EDITORS = {Role.ANALYST, Role.ADMIN}
VALUE_ENTRY_ROLES = {Role.OFFICER, Role.MEMBER, Role.ANALYST, Role.ADMIN}
CONTEXT_ROLES = {Role.ANALYST, Role.ADMIN}


def indicator_for(request, slug):
    return get_object_or_404(
        Indicator.objects.select_related("priority", "owner"),
        partnership=request.partnership,
        slug=slug,
    )


def review_for(request, period_text):
    period = parse_period(period_text)
    if period is None:
        raise Http404("No such period.")
    return get_object_or_404(
        Review.objects.select_related("body", "partnership"),
        partnership=request.partnership,
        period=period,
    )


def may_edit_register(request):
    return bool(request.roles & REGISTER_EDITORS)


def may_enter_values(request, indicator):
    return services.may_enter_values(request.user, request.roles, indicator)


def may_rate(request, review):
    return services.may_rate(request.user, request.roles, review)


def may_add_context(request):
    return bool(request.roles & CONTEXT_ROLES)


def require(allowed):
    if not allowed:
        raise PermissionDenied("Your role here does not allow this.")
