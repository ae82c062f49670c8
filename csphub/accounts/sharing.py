"""Information-sharing agreements: the one check every app's access makes.

Restricted data (a resident's identity, a restricted casework issue, the IOM
cohort) is shown only when the user's organisation is a party to an agreement
of the partnership that is in force today and covers that kind of data. An
agreement that has expired closes access the day after its expiry date.

Apps call `may_see(request, kind)` from their access module (the answer is
kept on the request: one query per request), or put `covering_exists(...)`
in a queryset for lists that are not built from a request.
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Agreement, DataKind

__all__ = ["DataKind", "covering_exists", "may_see", "organisation_may_see"]


def kinds_in_force(organisation_id, partnership, on=None):
    """The kinds of data the organisation may see in the partnership on a day."""
    if organisation_id is None or partnership is None:
        return frozenset()
    on = on or timezone.localdate()
    return frozenset(
        Agreement.objects.in_force(on)
        .filter(partnership=partnership, parties=organisation_id)
        .values_list("coverage__kind", flat=True)
        .distinct()
    ) - {None}


def organisation_may_see(organisation_id, partnership, kind, on=None):
    """Whether an agreement in force lets the organisation see `kind` there."""
    return kind in kinds_in_force(organisation_id, partnership, on)


def may_see(request, kind):
    """Whether the signed-in user's organisation may see `kind` of restricted
    data in the current partnership today (kept on the request)."""
    if not request.user.is_authenticated:
        return False
    if not hasattr(request, "_sharing_kinds"):
        request._sharing_kinds = kinds_in_force(
            request.user.organisation_id, getattr(request, "partnership", None)
        )
    return kind in request._sharing_kinds


def covering_exists(kind, organisation_id, partnership=None, on=None):
    """An Exists() for a queryset whose rows have a `partnership`: true where
    the organisation is party to an agreement in force covering `kind`."""
    on = on or timezone.localdate()
    agreements = (
        Agreement.objects.in_force(on)
        .covering(kind)
        .filter(
            partnership=partnership
            if partnership is not None
            else OuterRef("partnership"),
            parties=organisation_id,
        )
    )
    return Exists(agreements)
