"""Who may see and change what in the structure.

Every role in a partnership sees its structure; restricted bodies are seen
only by people holding a current seat on them and by administrators, and
every view of one is written to the audit log. Administrators change it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from csphub.accounts.access import has_role
from csphub.accounts.models import Role
from csphub.accounts.services import record_restricted_view

from . import services
from .models import Body, Finding, Seat

EDITORS = {Role.ADMIN}


def is_admin(request):
    return has_role(request, Role.ADMIN)


def bodies_for(request):
    """The bodies of the current partnership this user may see."""
    return services.visible_bodies(
        request.partnership, request.user, is_admin=is_admin(request)
    )


def body_for(request, slug):
    """The body by slug, or 404 when it is elsewhere or hidden from this user
    (a restricted body's existence is not revealed)."""
    body = get_object_or_404(
        Body.objects.select_related(
            "reports_to", "zone", "ward", "current_terms", "partnership"
        ),
        partnership=request.partnership,
        slug=slug,
    )
    if not services.can_see(body, request.user, is_admin=is_admin(request)):
        raise Http404("No such body.")
    if body.restricted:
        record_restricted_view(request, body, reason="body page")
    return body


def seat_for(request, pk):
    return get_object_or_404(Seat.objects.of(request.partnership), pk=pk)


def finding_for(request, pk):
    return get_object_or_404(Finding.objects.of(request.partnership), pk=pk)


def can_record_meeting(request, body):
    """Administrators, and the body's chair or secretariat."""
    if is_admin(request):
        return True
    return (
        body.seats.current()
        .filter(
            person__user=request.user,
            role__in=[Seat.Role.CHAIR, Seat.Role.VICE_CHAIR, Seat.Role.SECRETARIAT],
        )
        .exists()
    )
