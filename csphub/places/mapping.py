"""Maps drawn on the server as SVG: they work without JavaScript, print, and go
into PDF packs. Leaflet enhances them in the browser where scripts run."""

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Fills readable under black text and distinguishable in greyscale print.
PALETTE = ["#a6cee3", "#fdbf6f", "#b2df8a", "#cab2d6", "#fb9a99", "#ffff99", "#d9d9d9"]
NO_ZONE_FILL = "#eeeeee"


@dataclass
class MapShape:
    """One area to draw: its GeoJSON geometry, where it links to, how it looks."""

    geometry: dict
    label: str
    href: str = ""
    fill: str = NO_ZONE_FILL
    stroke: str = "#0b0c0c"
    stroke_width: float = 1.0
    show_label: bool = True
    text: str = ""  # the name printed on the map; the label when empty


def _polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _bounds(shapes):
    xs, ys = [], []
    for s in shapes:
        for polygon in _polygons(s.geometry):
            for lon, lat in polygon[0]:
                xs.append(lon)
                ys.append(lat)
    return min(xs), min(ys), max(xs), max(ys)


class _Projection:
    """Equirectangular projection scaled at the map's middle latitude: at a
    borough's scale the distortion is far below a pixel."""

    def __init__(self, bounds, width, padding):
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        span_x = max((maxx - minx) * self.kx, 1e-9)
        span_y = max(maxy - miny, 1e-9)
        self.scale = (width - 2 * padding) / span_x
        self.minx, self.maxy, self.padding = minx, maxy, padding
        self.width = width
        self.height = round(span_y * self.scale + 2 * padding)

    def point(self, lon, lat):
        x = (lon - self.minx) * self.kx * self.scale + self.padding
        y = (self.maxy - lat) * self.scale + self.padding
        return x, y

    def path(self, geometry):
        parts = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                points = [self.point(lon, lat) for lon, lat in ring]
                parts.append(
                    "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"
                )
        return "".join(parts)


def _label_position(geometry, projection):
    """The middle of the largest polygon's bounding box (cheap and good enough
    for ward-sized shapes)."""
    polygons = _polygons(geometry)
    if not polygons:
        return None
    ring = max(polygons, key=lambda p: len(p[0]))[0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return projection.point((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def svg_map(shapes, *, title, width=800, padding=8, labels=True, css_id=""):
    """An SVG map of shapes, each a link to its page where it has one."""
    shapes = [s for s in shapes if s.geometry]
    if not shapes:
        return ""
    projection = _Projection(_bounds(shapes), width, padding)
    body = format_html_join("", "{}", ((_shape_svg(s, projection),) for s in shapes))
    text = ""
    if labels:
        text = format_html_join(
            "",
            '<text class="csphub-map__label" x="{}" y="{}" text-anchor="middle">'
            "{}</text>",
            (
                (f"{pos[0]:.1f}", f"{pos[1]:.1f}", s.text or s.label)
                for s in shapes
                if s.show_label and (pos := _label_position(s.geometry, projection))
            ),
        )
    return format_html(
        '<svg class="csphub-map" {} viewBox="0 0 {} {}" role="group" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}{}</svg>',
        mark_safe(f'id="{css_id}"') if css_id else "",
        projection.width,
        projection.height,
        title,
        body,
        text,
    )


def _shape_svg(shape, projection):
    path = format_html(
        '<path d="{}" fill="{}" stroke="{}" stroke-width="{}" fill-rule="evenodd">'
        "<title>{}</title></path>",
        projection.path(shape.geometry),
        shape.fill,
        shape.stroke,
        shape.stroke_width,
        shape.label,
    )
    if shape.href:
        return format_html(
            '<a href="{}" aria-label="{}">{}</a>', shape.href, shape.label, path
        )
    return path
