"""The home dashboard, the borough map, area and zone pages, and site pages."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from csphub.accounts.access import has_role, partnership_required, submitted
from csphub.accounts.models import AuditEntry, Role
from csphub.accounts.services import audit
from csphub.lib.paging import page_of, query_without_page
from csphub.places.mapping import MapShape, svg_map
from csphub.places.models import Area, PlaceContact, Zone
from csphub.places.services import place_contacts, set_place_contact

from . import search, services
from .forms import PlaceContactForm
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
    shapes += services.area_link_shapes(children, fill="#a6cee3")
    is_ward = area.kind == Area.Kind.WARD
    return TemplateResponse(
        request,
        "web/area_detail.html",
        {
            "area": area,
            "children": children,
            "zones": zones,
            "place": (
                services.place_contact(request.partnership, ward=area)
                if is_ward
                else None
            ),
            "place_name": area.name,
            "can_edit_contact": is_ward and has_role(request, Role.ADMIN),
            "contact_edit_url": reverse("web:area-contact", args=[area.code]),
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
    zone_contacts, ward_contacts = place_contacts(request.partnership)
    for ward in wards:
        ward.contact = ward_contacts.get(ward.pk)
    shapes = services.area_link_shapes(wards, fill="#b2df8a")
    return TemplateResponse(
        request,
        "web/zone_detail.html",
        {
            "zone": zone,
            "wards": wards,
            "place": services.place_contact(
                request.partnership, zone=zone, contacts=zone_contacts
            ),
            "place_name": f"the {zone.name} zone",
            "can_edit_contact": has_role(request, Role.ADMIN),
            "contact_edit_url": reverse("web:zone-contact", args=[zone.slug]),
            "lsoa_count": sum(w.lsoa_count for w in wards),
            "svg": svg_map(shapes, title=f"Map of the {zone.name} zone's wards"),
        },
    )


def _contact_edit(request, place, back, **where):
    partnership = request.partnership
    found = PlaceContact.objects.filter(partnership=partnership, **where).first()
    form = PlaceContactForm(partnership, request.POST or None, instance=found)
    if submitted(request, form):
        contact = set_place_contact(partnership, **where, **form.cleaned_data)
        audit(
            AuditEntry.Action.CHANGE if found else AuditEntry.Action.CREATE,
            actor=request.user,
            record=contact,
            partnership=partnership,
        )
        messages.success(request, f"Contact for {place} saved.")
        return redirect(f"{back}#contact")
    return TemplateResponse(
        request,
        "web/contact_form.html",
        {"form": form, "title": f"Contact for {place}", "back": back},
    )


@partnership_required(roles={Role.ADMIN})
def zone_contact(request, slug):
    zone = get_object_or_404(Zone, partnership=request.partnership, slug=slug)
    back = reverse("web:zone-detail", args=[slug])
    return _contact_edit(request, f"the {zone.name} zone", back, zone=zone)


@partnership_required(roles={Role.ADMIN})
def area_contact(request, code):
    ward = get_object_or_404(Area.objects.wards(), code=code)
    if not services.area_in_partnership(request.partnership, ward):
        raise Http404("No such ward in this partnership.")
    back = reverse("web:area-detail", args=[code])
    return _contact_edit(request, f"{ward.name} ward", back, ward=ward)


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
