"""What accounts tells an administrator's home page: information-sharing
agreements that expire within the warning period, or have expired, so that
access to restricted data does not close by surprise. Called by csphub.web."""

from datetime import timedelta

from django.urls import reverse

from csphub.lib.needs import Line, Need

from .models import Agreement
from .services import EXPIRY_WARNING_DAYS

RECENTLY_EXPIRED_DAYS = 90


def agreements_expiring(partnership, today):
    """Agreements in force that end within EXPIRY_WARNING_DAYS, and those that
    ended in the last RECENTLY_EXPIRED_DAYS (late: access has closed)."""
    agreements = list(
        Agreement.objects.filter(
            partnership=partnership,
            expires_on__gte=today - timedelta(days=RECENTLY_EXPIRED_DAYS),
            expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS),
        ).order_by("expires_on", "title")
    )
    lines = []
    for agreement in agreements[:5]:
        url = reverse("accounts:agreement-edit", args=[agreement.pk])
        if agreement.expires_on < today:
            flag, late = f"expired {agreement.expires_on:%-d %B %Y}", True
        else:
            flag, late = f"expires {agreement.expires_on:%-d %B %Y}", False
        lines.append(Line(agreement.title, url, flag, late))
    n = len(agreements)
    return Need(
        f"information-sharing agreement{'s' if n != 1 else ''} expiring or expired",
        n,
        reverse("accounts:agreement-list"),
        lines,
        late=sum(a.expires_on < today for a in agreements),
    )
