"""Who may see what: decorators that views in every app use, and the flow of
their form pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from .models import Role
from .services import record_restricted_view

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


def audit_restricted(request, records, reason):
    """Write one audit line for each restricted record shown (a body, an issue)."""
    for record in records:
        if record.restricted:
            record_restricted_view(request, record, reason=reason)


def submitted(request, form):
    """Whether the request posts `form` and the form is valid (a GET shows it)."""
    return request.method == "POST" and form.is_valid()


def form_flow(request, form, save, then=None, message=None):
    """A form page's flow once the view has checked access and built `form`.

    When the request posts a valid form, `save(**cleaned_data)` (one service
    call) runs, `message` is shown and the answer is a redirect to `then`, or
    to what `save` returned when `then` is None; `message` and `then` may be
    functions of what `save` returned. Otherwise the answer is None and the
    view shows the form again: a ValidationError `save` raises goes on the
    form (on the fields it names, if it names any).
    """
    if not submitted(request, form):
        return None
    try:
        result = save(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if message:
        messages.success(request, message(result) if callable(message) else message)
    if then is None:
        return redirect(result)
    return redirect(then(result) if callable(then) else then)


def post_back(request, back, save, form=None, message="Saved.", invalid=""):
    """A change posted from the page that shows it (a status, a step), which
    the answer redirects `back` to whatever happens.

    The form's errors (after `invalid`) or a ValidationError that
    `save(**cleaned_data)` raises come back as an error message; success as
    `message`, which may be a function called after `save`.
    """
    if form is not None and not form.is_valid():
        errors = "; ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, invalid + errors)
        return redirect(back)
    try:
        save(**(form.cleaned_data if form is not None else {}))
        messages.success(request, message() if callable(message) else message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
