"""The influence map's public pages: who decides what for a ward or zone."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from csphub.accounts.models import Partnership
from csphub.places.mapping import PALETTE, MapShape, svg_map
from csphub.places.models import Area, Zone

from .. import influence


def index(request):
    """Every partnership's zones and wards, as a map and as lists."""
    sections = []
    for partnership in Partnership.objects.exclude(borough=None).select_related(
        "borough"
    ):
        zones, wards = influence.places_of(partnership)
        fill = {}
        for n, zone in enumerate(zones):
            for w in zone.wards.all():
                fill[w.pk] = PALETTE[n % len(PALETTE)]
        shapes = [
            MapShape(
                geometry=w.boundary,
                label=f"{w.name} ward",
                href=f"{partnership.slug}/wards/{w.code}/",
                fill=fill.get(w.pk, "#eeeeee"),
                text=w.name,
            )
            for w in Area.objects.wards().filter(parent=partnership.borough)
            if w.boundary
        ]
        svg = (
            svg_map(shapes, title=f"Wards of {partnership.borough.name}")
            if shapes
            else ""
        )
        sections.append((partnership, zones, wards, svg))
    return TemplateResponse(
        request, "reports/influence_index.html", {"sections": sections}
    )


def ward(request, partnership, code):
    partnership = get_object_or_404(Partnership, slug=partnership)
    place = get_object_or_404(
        Area.objects.wards().defer("boundary"), code=code, parent=partnership.borough
    )
    return _page(request, partnership, place, f"{place.name} ward")


def zone(request, partnership, slug):
    partnership = get_object_or_404(Partnership, slug=partnership)
    place = get_object_or_404(
        Zone.objects.defer("boundary"), partnership=partnership, slug=slug
    )
    return _page(request, partnership, place, f"{place.name} zone")


def _page(request, partnership, place, name):
    context = influence.area_influence(partnership, place)
    context.update(partnership=partnership, place=place, name=name)
    return TemplateResponse(request, "reports/influence_area.html", context)
