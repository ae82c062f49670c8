"""Context every page needs: the navigation and the partnership switcher."""

from django.urls import reverse

from csphub.accounts.models import Role

# (label, url name, roles that see it; None for every role)
NAVIGATION = [
    ("Home", "web:home", None),
    ("Map", "web:map", None),
    ("Crime data", "intelligence:data-status", None),
    ("Briefings", "intelligence:briefing-list", None),
    ("Partner data", "intelligence:dataset-list", None),
    ("Structure", "structure:map", None),
    ("Casework", "casework:index", None),
    ("Residents' reports", "reports:staff-list", None),
    ("Performance", "performance:indicators", None),
    ("IOM cohort", "offenders:cohort", {Role.IOM}),
    ("Delivery", "delivery:index", None),
    ("Meetings", "meetings:index", None),
    ("Audit log", "accounts:audit-log", {Role.ADMIN}),
    ("Sharing agreements", "accounts:agreement-list", {Role.ADMIN}),
]


def site(request):
    roles = getattr(request, "roles", frozenset())
    items = []
    if roles:
        path = request.path
        for label, name, allowed in NAVIGATION:
            if allowed is None or roles & allowed:
                url = reverse(name)
                current = path == url if url == "/" else path.startswith(url)
                items.append({"label": label, "url": url, "current": current})
    return {
        "navigation": items,
        "partnership": getattr(request, "partnership", None),
        "user_partnerships": getattr(request, "user_partnerships", []),
    }
