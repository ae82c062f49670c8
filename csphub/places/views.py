"""Public GeoJSON of ONS areas (open data under the Open Government Licence).

Partnership pages about areas (maps, zones) live in csphub.web, which knows
who is signed in; this app serves only reference data that anyone may see.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Area


@require_GET
def area_geojson(request, code):
    """An area and its child areas as a GeoJSON FeatureCollection."""
    area = get_object_or_404(Area, code=code)
    features = [
        {
            "type": "Feature",
            "properties": {"code": a.code, "name": a.name, "kind": a.kind},
            "geometry": a.boundary,
        }
        for a in [area, *area.children.order_by("name")]
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response
