"""The structure map, drawn on the server as SVG so it works without
JavaScript, prints, and goes into a PDF board pack.

Bands, top to bottom: partnership-wide bodies (rows by depth in the reporting
tree), one column per priority (bodies covering only that priority), cross-
cutting bodies (several priorities), and one column per zone (zonal, problem-
solving and Area Based Working groups). Reporting lines are arrows from a body
to the body it reports to. Status is drawn as Barnet's map does: fill and
border differ, and a status line is written, so it reads in greyscale too.
"""

import textwrap
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .models import Body

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 160, 54, 14, 16, 12
HEADER_H = 40
LINE_CHARS = 26

# status -> (fill, stroke, dash array, status line)
STATUS_STYLE = {
    Body.Status.ACTIVE: ("#ffffff", "#0b0c0c", "", ""),
    Body.Status.START_PENDING: ("#fff2a8", "#0b0c0c", "6 3", "Start pending"),
    Body.Status.WHEN_NEEDED: ("#d2e2f1", "#0b0c0c", "2 2", "Called when needed"),
    Body.Status.DISCONTINUED: ("#d9d9d9", "#505a5f", "1 3", "Discontinued"),
}
GAP_STYLE = ("#fbe3df", "#942514", "6 3", "")
LEGEND = [
    (*STATUS_STYLE[Body.Status.ACTIVE][:3], "Active"),
    (*STATUS_STYLE[Body.Status.START_PENDING][:3], "Start pending"),
    (*STATUS_STYLE[Body.Status.WHEN_NEEDED][:3], "Called when needed"),
    (*STATUS_STYLE[Body.Status.DISCONTINUED][:3], "Discontinued"),
    (*GAP_STYLE[:3], "No theme-specific strategic group"),
]
LEVEL_ORDER = {Body.Level.STRATEGIC: 0, Body.Level.OPERATIONAL: 1, Body.Level.LOCAL: 2}
AREA_KIND_ORDER = {Body.Kind.ZONAL: 0, Body.Kind.PROBLEM_SOLVING: 1}


@dataclass
class Box:
    x: float
    y: float
    body: Body | None = None
    text: str = ""
    style: tuple = GAP_STYLE
    column: tuple | None = None  # (band top, x) of a column band's column


def place_bands(bodies, priorities, zones, zone_of_ward):
    """{band name: list of columns (lists of bodies)}, bodies placed once."""
    depth = _depths(bodies)
    top, by_priority, cross, by_zone = defaultdict(list), {}, [], defaultdict(list)
    by_priority = {p.pk: [] for p in priorities}
    for body in bodies:
        zone = body.zone or zone_of_ward.get(body.ward_id)
        covered = [p for p in body.priorities.all() if p.pk in by_priority]
        if zone is not None or body.ward_id:
            by_zone[zone.pk if zone else None].append(body)
        elif len(covered) == 1:
            by_priority[covered[0].pk].append(body)
        elif covered:
            cross.append(body)
        else:
            top[depth[body.pk]].append(body)
    for column in by_priority.values():
        column.sort(key=lambda b: (LEVEL_ORDER.get(b.level, 3), b.name))
    for column in by_zone.values():
        column.sort(key=lambda b: (AREA_KIND_ORDER.get(b.kind, 2), b.name))
    zone_columns = [(z.name + " zone", by_zone.get(z.pk, [])) for z in zones]
    if by_zone.get(None):
        zone_columns.append(("Other areas", by_zone[None]))
    return {
        "top": [sorted(top[d], key=lambda b: b.name) for d in sorted(top)],
        "priorities": [(p, by_priority[p.pk]) for p in priorities],
        "cross": sorted(cross, key=lambda b: b.name),
        "zones": [(name, col) for name, col in zone_columns if col],
    }


def _depths(bodies):
    """Steps up the reporting tree to a body with no line (cycles stop)."""
    parent = {b.pk: b.reports_to_id for b in bodies}
    depths = {}
    for pk in parent:
        steps, node, seen = 0, parent[pk], {pk}
        while node in parent and node not in seen:
            seen.add(node)
            steps += 1
            node = parent[node]
        depths[pk] = steps
    return depths


class Canvas:
    def __init__(self, columns):
        self.columns = max(columns, 1)
        self.width = PAD * 2 + self.columns * (BOX_W + GAP_X) - GAP_X
        self.y = PAD
        self.parts = []
        self.boxes = {}
        self.gaps = []

    def x_of(self, index, count):
        """Centre `count` boxes in the canvas; the x of box `index`."""
        used = count * (BOX_W + GAP_X) - GAP_X
        return (self.width - used) / 2 + index * (BOX_W + GAP_X)

    def heading(self, text):
        self.parts.append(
            format_html(
                '<text x="{}" y="{}" class="s-band">{}</text>', PAD, self.y + 16, text
            )
        )
        self.y += 26

    def row(self, bodies, columns=None):
        columns = columns or len(bodies)
        for i, body in enumerate(bodies):
            self.boxes[body.pk] = Box(self.x_of(i, min(columns, len(bodies))), self.y)
            self.boxes[body.pk].body = body
        self.y += BOX_H + GAP_Y

    def grid(self, bodies):
        per_row = self.columns
        for start in range(0, len(bodies), per_row):
            self.row(bodies[start : start + per_row], per_row)

    def column_band(self, columns, gaps=frozenset()):
        """Columns with a header each; `gaps` are column indexes that get a
        'no strategic group' box on top."""
        count = len(columns)
        tallest = 0
        for i, (header, bodies) in enumerate(columns):
            x = self.x_of(i, count)
            self.parts.append(_header(x, self.y, header))
            y = self.y + HEADER_H
            if i in gaps:
                self.gaps.append(Box(x, y, text="No strategic group of its own"))
                y += BOX_H + GAP_Y
            for body in bodies:
                self.boxes[body.pk] = Box(x, y, body, column=(self.y, x))
                y += BOX_H + GAP_Y
            tallest = max(tallest, y - self.y)
        self.y += tallest


def structure_svg(bands, *, title, gap_priorities=frozenset(), hrefs=None):
    """The map as an SVG string; `hrefs` maps body id to its page."""
    priority_columns = [(p.name, col) for p, col in bands["priorities"]]
    widest = max(
        [len(priority_columns), len(bands["zones"]), 4]
        + [len(row) for row in bands["top"]]
    )
    canvas = Canvas(min(widest, 12))
    legend(canvas)
    if bands["top"]:
        canvas.heading("Partnership-wide")
        for row in bands["top"]:
            canvas.grid(row)
    if priority_columns:
        canvas.heading("Priorities and themes")
        gaps = {
            i for i, (p, _) in enumerate(bands["priorities"]) if p.pk in gap_priorities
        }
        canvas.column_band(priority_columns, gaps)
    if bands["cross"]:
        canvas.heading("Cross-cutting (several priorities)")
        canvas.grid(bands["cross"])
    if bands["zones"]:
        canvas.heading("Zones and wards")
        canvas.column_band(bands["zones"])
    arrows = reporting_lines(canvas.boxes)
    boxes = format_html_join(
        "",
        "{}",
        ((_box(b, (hrefs or {}).get(pk, "")),) for pk, b in canvas.boxes.items()),
    )
    gaps = format_html_join("", "{}", ((_box(g, ""),) for g in canvas.gaps))
    return format_html(
        '<svg class="csphub-structure" width="{w}" viewBox="0 0 {w} {h}"'
        ' role="group" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "{}{}{}{}{}</svg>",
        title,
        _STYLE,
        mark_safe("".join(str(p) for p in canvas.parts)),
        arrows,
        boxes,
        gaps,
        w=canvas.width,
        h=round(canvas.y + PAD),
    )


# The text and line classes (.s-band, .s-head, .s-name, .s-status, .s-line)
# are styled in csphub/web/assets/csphub.scss: a <style> inside the SVG would
# need the Content-Security-Policy to allow inline styles.
_STYLE = mark_safe(
    '<defs><marker id="s-arrow" viewBox="0 0 10 10" refX="9" refY="5"'
    ' markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
    '<path d="M0 0L10 5L0 10z" fill="#505a5f"/></marker></defs>'
)


def legend(canvas):
    """One key per status, then the reporting line, wrapped onto as many rows
    as the canvas needs (a narrow map still shows every key whole)."""
    x = PAD
    for fill, stroke, dash, label in LEGEND:
        if x > PAD and x + 28 + len(label) * 6 > canvas.width - PAD:
            x, canvas.y = PAD, canvas.y + 22
        canvas.parts.append(
            format_html(
                '<rect x="{}" y="{}" width="22" height="14" fill="{}" stroke="{}"'
                ' stroke-width="1.5" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" class="s-name">{}</text>',
                x,
                canvas.y,
                fill,
                stroke,
                dash or "none",
                x + 28,
                canvas.y + 11,
                label,
            )
        )
        x += 36 + len(label) * 6
    if x + 96 > canvas.width - PAD:
        x, canvas.y = PAD, canvas.y + 22
    canvas.parts.append(
        format_html(
            '<path class="s-line" d="M{} {}H{}" marker-end="url(#s-arrow)"/>'
            '<text x="{}" y="{}" class="s-name">reports to</text>',
            x,
            canvas.y + 7,
            x + 30,
            x + 36,
            canvas.y + 11,
        )
    )
    canvas.y += 30


def _header(x, y, text):
    lines = textwrap.wrap(text, LINE_CHARS)[:2]
    return format_html_join(
        "",
        '<text x="{}" y="{}" class="s-head">{}</text>',
        ((x, y + 13 + 14 * i, line) for i, line in enumerate(lines)),
    )


def _box(box, href):
    body = box.body
    if body is not None:
        fill, stroke, dash, status = STATUS_STYLE[body.status]
        name = body.name
        if body.restricted:
            status = (status + ", restricted") if status else "Restricted"
    else:
        fill, stroke, dash, status = box.style
        name = box.text
    lines = textwrap.wrap(name, LINE_CHARS) or [""]
    room = 2 if status else 3
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = lines[-1][: LINE_CHARS - 1] + "…"
    text = format_html_join(
        "",
        '<text x="{}" y="{}" class="s-name">{}</text>',
        ((box.x + 6, box.y + 15 + 13 * i, line) for i, line in enumerate(lines)),
    )
    if status:
        text += format_html(
            '<text x="{}" y="{}" class="s-status">{}</text>',
            box.x + 6,
            box.y + BOX_H - 7,
            status,
        )
    shape = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" stroke="{}"'
        ' stroke-width="1.5" stroke-dasharray="{}"><title>{}</title></rect>{}',
        box.x,
        box.y,
        BOX_W,
        BOX_H,
        fill,
        stroke,
        dash or "none",
        name + (f" ({status})" if status else ""),
        text,
    )
    if href:
        # No aria-label: the name is the visible text (WCAG 2.5.3).
        return format_html('<a href="{}">{}</a>', href, shape)
    return shape


def reporting_lines(boxes):
    paths = []
    for box in boxes.values():
        parent = boxes.get(box.body.reports_to_id)
        if parent is None or parent is box:
            continue
        if box.column is not None and box.column == parent.column:
            paths.append(_branch(box, parent))
            continue
        if _blocked(box, parent, boxes):
            paths.append(_gutter(box, parent))
            continue
        x1 = box.x + BOX_W / 2
        x2 = parent.x + BOX_W / 2
        if parent.y < box.y:
            y1, y2 = box.y, parent.y + BOX_H
        elif parent.y > box.y:
            y1, y2 = box.y + BOX_H, parent.y
        else:
            y1 = y2 = box.y + BOX_H / 2
            x1, x2 = (
                (box.x, parent.x + BOX_W)
                if parent.x < box.x
                else (
                    box.x + BOX_W,
                    parent.x,
                )
            )
        mid = (y1 + y2) / 2
        paths.append(
            f'<path class="s-line" d="M{x1:.0f} {y1:.0f}C{x1:.0f} {mid:.0f}'
            f' {x2:.0f} {mid:.0f} {x2:.0f} {y2:.0f}" marker-end="url(#s-arrow)"/>'
        )
    return mark_safe('<g aria-hidden="true">' + "".join(paths) + "</g>")


def _branch(box, parent):
    """A body in its parent's column: a branch off a trunk down the column's
    left edge into the parent's side, so the groups under one parent read as
    a tree, not as a chain through one another."""
    trunk = box.x - GAP_X / 2
    y1, y2 = box.y + BOX_H / 2, parent.y + BOX_H / 2
    return (
        f'<path class="s-line" d="M{box.x:.0f} {y1:.0f}H{trunk:.0f}V{y2:.0f}'
        f'H{parent.x:.0f}" marker-end="url(#s-arrow)"/>'
    )


def _blocked(box, parent, boxes):
    """Whether a straight line from a box up or down to its parent would run
    through other boxes of the same x (and read as a chain through them)."""
    if parent.x != box.x:
        return False
    low, high = sorted((box.y, parent.y))
    return any(b.x == box.x and low < b.y < high for b in boxes.values())


def _gutter(box, parent):
    """A line to a parent straight above or below, round the boxes between
    them by the gutter on their right."""
    centre, gutter = box.x + BOX_W / 2, box.x + BOX_W + 4
    if parent.y < box.y:
        y1, y2, step = box.y, parent.y + BOX_H, -GAP_Y / 2
    else:
        y1, y2, step = box.y + BOX_H, parent.y, GAP_Y / 2
    return (
        f'<path class="s-line" d="M{centre:.0f} {y1:.0f}V{y1 + step:.0f}'
        f"H{gutter:.0f}V{y2 - step:.0f}H{centre:.0f}V{y2:.0f}"
        '" marker-end="url(#s-arrow)"/>'
    )
