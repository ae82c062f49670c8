"""Who may see what: decorators that views in every app use."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Role

ALL_ROLES = frozenset(Role.values)


def partnership_required(view=None, *, roles=ALL_ROLES):
    """Require a signed-in user with one of `roles` in the current partnership.

    Signed-out visitors are sent to sign in; signed-in users without such a
    role get 403. The view can rely on request.partnership being set.
    """

    def decorate(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.partnership is None or not (request.roles & set(roles)):
                raise PermissionDenied(
                    "Your account has no role here that allows this page."
                )
            return view_func(request, *args, **kwargs)

        return wrapped

    if view is not None:
        return decorate(view)
    return decorate


def has_role(request, *roles):
    """Whether the user holds any of `roles` in the current partnership."""
    return bool(request.roles & set(roles))
