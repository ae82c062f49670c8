"""Top-level URLs: only include()s."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("csphub.accounts.urls")),
    path("places/", include("csphub.places.urls")),
    path("meetings/", include("csphub.meetings.urls")),
    path("casework/", include("csphub.casework.urls")),
    path("offenders/", include("csphub.offenders.urls")),
    path("delivery/", include("csphub.delivery.urls")),
    path("intelligence/", include("csphub.intelligence.urls")),
    path("structure/", include("csphub.structure.urls")),
    path("performance/", include("csphub.performance.urls")),
    path("", include("csphub.reports.urls")),
    path("admin/", admin.site.urls),
    path("", include("csphub.web.urls")),
]
