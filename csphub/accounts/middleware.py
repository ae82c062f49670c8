"""Sets request.partnership and request.roles for the signed-in user."""

from .models import Partnership, RoleAssignment


class PartnershipMiddleware:
    """Choose the current partnership: the session's choice, else the user's first.

    A user sees nothing of partnerships they hold no role in, so the choice is
    checked against their roles on every request (one query).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        request.roles = frozenset()
        request.user_partnerships = []
        if request.user.is_authenticated:
            self._attach(request)
        return self.get_response(request)

    def _attach(self, request):
        assignments = list(
            RoleAssignment.objects.filter(user=request.user)
            .select_related("partnership", "partnership__borough")
            .order_by("partnership__name")
        )
        partnerships = {}
        for a in assignments:
            partnerships.setdefault(a.partnership_id, a.partnership)
        request.user_partnerships = list(partnerships.values())
        chosen = partnerships.get(request.session.get("partnership_id"))
        if chosen is None and partnerships:
            chosen = next(iter(partnerships.values()))
        request.partnership = chosen
        if chosen is not None:
            request.roles = frozenset(
                a.role for a in assignments if a.partnership_id == chosen.pk
            )


def current_partnership(request) -> Partnership | None:
    """The partnership the request is working in (None when signed out)."""
    return getattr(request, "partnership", None)
