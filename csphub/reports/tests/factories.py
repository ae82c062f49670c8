"""Building blocks for the reports tests: a street placed in a real LSOA of
the demo borough, and reports made through the services."""

from datetime import timedelta

from django.utils import timezone
from shapely.geometry import shape

from csphub.accounts.models import Partnership
from csphub.places.models import Area
from csphub.reports import gazetteer, services
from csphub.reports.models import Category, Street


def haringey():
    return Partnership.objects.select_related("borough").get(slug="haringey")


def make_street(name="Testing Road", ward_name="Noel Park", offset=0.0):
    """A gazetteer point inside an LSOA of the ward (its representative point)."""
    partnership = haringey()
    lsoa = (
        Area.objects.lsoas()
        .filter(parent__name=ward_name, parent__parent=partnership.borough)
        .exclude(boundary=None)
        .order_by("code")
        .first()
    )
    point = shape(lsoa.boundary).representative_point()
    gazetteer.build_boxes(partnership.borough)
    return Street.objects.create(
        borough=partnership.borough,
        name=name,
        latitude=point.y + offset,
        longitude=point.x,
        lsoa=lsoa,
        ward=lsoa.parent,
    )


def make_report(street=None, category="noise", days_ago=0, **details):
    """A report made on the form (Reporter returned), backdated if asked."""
    partnership = haringey()
    street = street or make_street()
    details.setdefault("description", "Loud music every night.")
    details.setdefault("email", "resident@example.org")
    details.setdefault("incident_date", timezone.localdate() - timedelta(days=days_ago))
    reporter = services.submit_report(
        partnership,
        Category.objects.get(code=category),
        gazetteer.place_street(partnership, street),
        services.Details(**details),
    )
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        type(reporter).objects.filter(pk=reporter.pk).update(created_at=when)
        reporter.refresh_from_db()
    return reporter
