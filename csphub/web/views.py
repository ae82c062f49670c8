"""The home dashboard, the borough map, area and zone pages, and site pages."""

from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from csphub.accounts.access import partnership_required
from csphub.accounts.models import Role
from csphub.lib.paging import page_of, query_without_page
from csphub.places.mapping import MapShape, svg_map
from csphub.places.models import Area, Zone

from . import search, services
from .home import home_for


@partnership_required
def home(request):
    partnership = request.partnership
    return TemplateResponse(
        request,
        "web/home.html",
        {
            "home": home_for(request),
            "zones": services.zones_with_wards(partnership, boundaries=False),
            "role_labels": sorted(Role(r).label for r in request.roles),
            "today": timezone.localdate(),
        },
    )


@partnership_required
def borough_map(request):
    partnership = request.partnership
    zones = services.zones_with_wards(partnership)
    wards = services.borough_wards(partnership)
    shapes = services.borough_map_shapes(partnership, zones, wards)
    zone_of = services.ward_zone_index(zones)
    colours = services.zone_colours(zones)
    return TemplateResponse(
        request,
        "web/map.html",
        {
            "zones": [(z, colours[z.pk]) for z in zones],
            "wards": [(w, zone_of.get(w.pk)) for w in wards],
            "svg": svg_map(
                shapes, title=f"Map of {partnership.name}'s zones and wards"
            ),
            "features": services.leaflet_features(shapes),
        },
    )


@partnership_required
def area_detail(request, code):
    area = get_object_or_404(
        Area.objects.select_related("parent", "parent__parent"), code=code
    )
    if not services.area_in_partnership(request.partnership, area):
        raise Http404("No such area in this partnership.")
    children = list(area.children.order_by("name"))
    zones = (
        list(area.zones.filter(partnership=request.partnership))
        if area.kind == Area.Kind.WARD
        else []
    )
    shapes = [
        MapShape(
            area.boundary, area.name, fill="#ffffff", stroke_width=2, show_label=False
        )
    ]
    shapes += [
        MapShape(
            c.boundary,
            c.name,
            href=reverse("web:area-detail", args=[c.code]),
            fill="#a6cee3",
            stroke="#505a5f",
        )
        for c in children
    ]
    return TemplateResponse(
        request,
        "web/area_detail.html",
        {
            "area": area,
            "children": children,
            "zones": zones,
            "svg": svg_map(
                shapes, title=f"Map of {area.name}", labels=area.kind != Area.Kind.WARD
            ),
        },
    )


@partnership_required
def zone_detail(request, slug):
    zone = get_object_or_404(Zone, partnership=request.partnership, slug=slug)
    zones = [
        z for z in services.zones_with_wards(request.partnership) if z.pk == zone.pk
    ]
    wards = list(zones[0].wards.all())
    shapes = [
        MapShape(
            w.boundary,
            w.name,
            href=reverse("web:area-detail", args=[w.code]),
            fill="#b2df8a",
            stroke="#505a5f",
        )
        for w in wards
    ]
    return TemplateResponse(
        request,
        "web/zone_detail.html",
        {
            "zone": zone,
            "wards": wards,
            "lsoa_count": sum(w.lsoa_count for w in wards),
            "svg": svg_map(shapes, title=f"Map of the {zone.name} zone's wards"),
        },
    )


@require_GET
def accessibility(request):
    return TemplateResponse(request, "web/accessibility.html", {})


@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # any database failure means "cannot serve"
        return JsonResponse(
            {"status": "error", "database": f"error: {e.__class__.__name__}"},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@partnership_required
@require_GET
def search_page(request):
    text = request.GET.get("q", "").replace("\x00", "")[:200].strip()
    group = request.GET.get("kind", "")
    groups = dict(search.GROUPS)
    group = group if group in groups else ""
    results = search.search(
        request.partnership, request.user, request.roles, text, group
    )
    page = page_of(results.hits, request.GET.get("page"), per_page=search.PAGE_SIZE)
    entries = search.shown(page.object_list)
    search.audit_shown(request, entries)
    return TemplateResponse(
        request,
        "web/search.html",
        {
            "results": results,
            "page": page,
            "entries": entries,
            "group_label": groups.get(group, ""),
            "filters": [
                (label, n, "?" + urlencode({"q": text, "kind": value}))
                for value, label in search.GROUPS
                if (n := results.counts.get(value))
            ],
            "all_url": f"?{urlencode({'q': text})}",
            "query": query_without_page(request),
        },
    )
