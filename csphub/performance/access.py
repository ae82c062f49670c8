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
from csphub.structure.models import Seat

from .models import Indicator, Review

# Analysts and administrators keep the register and add context.
REGISTER_EDITORS = frozenset({Role.ANALYST, Role.ADMIN})
CONTEXT_ROLES = REGISTER_EDITORS
# Officers and members enter values for indicators their organisation owns.
OWNER_ROLES = frozenset({Role.OFFICER, Role.MEMBER})
VALUE_ENTRY_ROLES = REGISTER_EDITORS | OWNER_ROLES
RAG_SETTER_SEATS = [Seat.Role.CHAIR, Seat.Role.VICE_CHAIR, Seat.Role.MEMBER]


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


def user_may_enter_values(user, roles, indicator):
    """Analysts and administrators; officers of the indicator's owner organisation."""
    if roles & REGISTER_EDITORS:
        return True
    return bool(
        indicator.owner_id
        and user.organisation_id == indicator.owner_id
        and roles & OWNER_ROLES
    )


def may_enter_values(request, indicator):
    return user_may_enter_values(request.user, request.roles, indicator)


def may_rate(request, review):
    """Administrators and people with a current seat (chair, vice-chair,
    member) on the reviewing body."""
    if Role.ADMIN in request.roles:
        return True
    if review is None or review.body_id is None:
        return False
    return (
        review.body.seats.current()
        .filter(person__user=request.user, role__in=RAG_SETTER_SEATS)
        .exists()
    )


def may_add_context(request):
    return bool(request.roles & CONTEXT_ROLES)


def require(allowed):
    if not allowed:
        raise PermissionDenied("Your role here does not allow this.")
