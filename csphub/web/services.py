"""What the web app gathers from the apps below it for its pages."""

from django.db.models import Count, Prefetch
from django.urls import reverse

from csphub.places.mapping import NO_ZONE_FILL, PALETTE, MapShape
from csphub.places.models import Area, Zone


def zones_with_wards(partnership, *, boundaries=True):
    """The partnership's zones, each with its wards (and their LSOA counts).

    Boundaries are the bulk of the rows: leave them out where nothing is drawn.
    """
    wards = Area.objects.wards().annotate(lsoa_count=Count("children")).order_by("name")
    zones = Zone.objects.all()
    if not boundaries:
        wards, zones = wards.defer("boundary"), zones.defer("boundary")
    zones = list(
        zones.filter(partnership=partnership)
        .prefetch_related(Prefetch("wards", queryset=wards))
        .order_by("name")
    )
    for zone in zones:
        zone.lsoa_total = sum(w.lsoa_count for w in zone.wards.all())
    return zones


def borough_wards(partnership):
    """The wards of the partnership's borough with their LSOA counts."""
    if partnership.borough_id is None:
        return []
    return list(
        Area.objects.wards()
        .filter(parent_id=partnership.borough_id)
        .annotate(lsoa_count=Count("children"))
        .order_by("name")
    )


def zone_colours(zones):
    """{zone id: fill colour}, stable by zone name."""
    return {z.pk: PALETTE[i % len(PALETTE)] for i, z in enumerate(zones)}


def ward_zone_index(zones):
    """{ward id: zone} for wards that belong to one of the zones."""
    return {ward.pk: zone for zone in zones for ward in zone.wards.all()}


def area_link_shapes(areas, fill):
    """The areas' shapes in one fill, each linked to the area's page."""
    return [
        MapShape(
            area.boundary,
            area.name,
            href=reverse("web:area-detail", args=[area.code]),
            fill=fill,
            stroke="#505a5f",
        )
        for area in areas
    ]


def borough_map_shapes(partnership, zones, wards):
    """Shapes for the borough map: wards filled by zone, zone outlines on top."""
    colours = zone_colours(zones)
    zone_of = ward_zone_index(zones)
    shapes = []
    for ward in wards:
        zone = zone_of.get(ward.pk)
        shapes.append(
            MapShape(
                geometry=ward.boundary,
                label=f"{ward.name} ward" + (f", {zone.name} zone" if zone else ""),
                text=ward.name,
                href=reverse("web:area-detail", args=[ward.code]),
                fill=colours[zone.pk] if zone else NO_ZONE_FILL,
                stroke="#505a5f",
            )
        )
    for zone in zones:
        shapes.append(
            MapShape(
                geometry=zone.boundary,
                label=f"{zone.name} zone",
                fill="none",
                stroke="#0b0c0c",
                stroke_width=3,
                show_label=False,
            )
        )
    return shapes


def leaflet_features(shapes):
    """The map's shapes as GeoJSON features for the Leaflet enhancement."""
    return [
        {
            "type": "Feature",
            "geometry": s.geometry,
            "properties": {
                "label": s.label,
                "href": s.href,
                "fill": s.fill,
                "stroke": s.stroke,
                "weight": s.stroke_width,
            },
        }
        for s in shapes
        if s.geometry
    ]


def area_in_partnership(partnership, area):
    """Whether an area is the partnership's borough or lies within it."""
    borough_id = partnership.borough_id
    if borough_id is None:
        return False
    return borough_id in (area.pk, area.parent_id) or (
        area.parent is not None and area.parent.parent_id == borough_id
    )


def place_contact(partnership, *, zone=None, ward=None, contacts=None):
    """The named contact for a zone or ward (None when nobody is named) and
    the current groups that deal with it: the ward's Area Based Working
    group, or the zone's zonal group (two queries; one when `contacts`, the
    zone contacts of places.services.place_contacts, are already read)."""
    from csphub.places.models import PlaceContact
    from csphub.structure.models import Body

    if zone is not None:
        contact = (
            contacts.get(zone.pk)
            if contacts is not None
            else PlaceContact.objects.of(partnership).filter(zone=zone).first()
        )
        bodies = Body.objects.filter(zone=zone, kind=Body.Kind.ZONAL)
    else:
        contact = PlaceContact.objects.of(partnership).filter(ward=ward).first()
        bodies = Body.objects.filter(ward=ward, kind=Body.Kind.ABW)
    bodies = bodies.filter(partnership=partnership, restricted=False).current()
    return {"contact": contact, "bodies": list(bodies.order_by("name"))}
