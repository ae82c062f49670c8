"""Charts drawn as SVG on the server, so the page and a PDF show the same:
the plan's timeline (Gantt-style, with today's line and late milestones) and
the risk heat map. Each page also shows the chart's data as a table."""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 960
LABEL = 320
ROW = 22
TOP = 34
KIND_COLOUR = {"project": "#1d70b8", "bau": "#5694ca"}
RED, GREEN, GREY = "#d4351c", "#00703c", "#505a5f"


@dataclass
class Chart:
    svg: str
    height: int


def _span(activities, today):
    starts = [a.starts for a in activities] + [today]
    ends = [a.ends or a.starts for a in activities] + [today]
    ends += [m.due for a in activities for m in a.milestones.all()]
    first = date(min(starts).year, 1, 1)
    last = date(max(ends).year + 1, 1, 1)
    return first, last


def _activity_row(item, y, x, today, last):
    """SVG for one activity: its label, its bar (an ongoing one runs to the
    chart's end, faded) and its milestones."""
    title = item.title if len(item.title) <= 48 else item.title[:46] + "…"
    out = [f'<text x="14" y="{y + 15}">{escape(title)}</text>']
    end = item.ends or last
    colour = KIND_COLOUR.get(item.kind, GREY)
    opacity = "1" if item.ends else "0.45"
    left, right = x(item.starts), max(x(end), x(item.starts) + 2)
    out.append(
        f'<rect x="{left:.1f}" y="{y + 5}" width="{right - left:.1f}" height="12"'
        f' fill="{colour}" fill-opacity="{opacity}"><title>{escape(item.title)}:'
        f" {item.starts:%d %b %Y} to {f'{end:%d %b %Y}' if item.ends else 'ongoing'}"
        "</title></rect>"
    )
    for m in item.milestones.all():
        mx = x(m.due)
        late = m.is_late(today)
        fill = RED if late else GREEN if m.done_on else "#0b0c0c"
        out.append(
            f'<path d="M{mx:.1f} {y + 3} l6 8 l-6 8 l-6 -8 z" fill="{fill}"'
            f' stroke="#fff" stroke-width="1"><title>{escape(m.name)}: due'
            f" {m.due:%d %b %Y}{' – late' if late else ''}"
            f"{' – done' if m.done_on else ''}</title></path>"
        )
        if late:
            out.append(
                f'<text x="{mx + 8:.1f}" y="{y + 15}" class="late"'
                ' fill="#d4351c" font-weight="bold">late</text>'
            )
    return out


def timeline(activities, today):
    """A Gantt chart of activities grouped by priority: bars from start to
    end (an ongoing one to the chart's end, faded), milestones as diamonds (red
    and marked 'late' when past due and not done), and today's line."""
    if not activities:
        return Chart(mark_safe(""), 0)
    first, last = _span(activities, today)
    days = (last - first).days

    def x(day):
        return LABEL + (WIDTH - LABEL - 10) * (day - first).days / days

    rows, priority = [], None
    for a in activities:
        if a.objective.priority_id != priority:
            priority = a.objective.priority_id
            rows.append(("priority", a.objective.priority))
        rows.append(("activity", a))
    height = TOP + ROW * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" role="img" aria-labelledby="timeline-title"'
        ' font-family="Arial,sans-serif" font-size="11" fill="#0b0c0c">'
        '<title id="timeline-title">Timeline of the delivery plan: each'
        " activity from start to end, milestones as diamonds, late ones in red;"
        " the same data is in the table below</title>",
    ]
    for year in range(first.year, last.year + 1):
        left = x(date(year, 1, 1))
        out.append(
            f'<line x1="{left:.1f}" y1="{TOP - 14}" x2="{left:.1f}" y2="{height}"'
            ' stroke="#b1b4b6" stroke-width="0.5"/>'
        )
        if year < last.year:
            out.append(f'<text x="{left + 3:.1f}" y="{TOP - 18}">{year}</text>')
    for i, (kind, item) in enumerate(rows):
        y = TOP + ROW * i
        if kind == "priority":
            out.append(
                '<text class="p" font-weight="bold" font-size="12" x="4"'
                f' y="{y + 15}">{escape(item.name)}</text>'
            )
            continue
        out += _activity_row(item, y, x, today, last)
    tx = x(today)
    out.append(
        f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{height}" stroke="{RED}"'
        f' stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="{tx + 3:.1f}" y="{TOP - 4}"'
        f' fill="#d4351c" font-weight="bold">Today</text>'
    )
    out.append("</svg>")
    return Chart(mark_safe("".join(out)), height)


def _heat_colour(score):
    if score >= 15:
        return "#d4351c"
    if score >= 8:
        return "#f47738"
    if score >= 4:
        return "#ffdd00"
    return "#85994b"


@dataclass
class HeatMap:
    svg: str
    grid: list  # [(impact, [(likelihood, count)])], impact 5 down to 1


def heat_map(risks):
    """A 5 x 5 grid of likelihood (across) by impact (up), each cell showing
    how many risks sit in it, coloured by likelihood x impact."""
    counts = {}
    for risk in risks:
        key = (risk.likelihood, risk.impact)
        counts[key] = counts.get(key, 0) + 1
    cell, left, top = 64, 70, 10
    size = left + cell * 5 + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30}"'
        f' width="{size}" role="img" aria-labelledby="heat-title"'
        ' font-family="Arial,sans-serif" font-size="12" fill="#0b0c0c">'
        '<title id="heat-title">Risk heat map: number of risks by likelihood and'
        " impact; the same data is in the table below</title>"
    ]
    grid = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            n = counts.get((likelihood, impact), 0)
            row.append((likelihood, n))
            cx, cy = left + cell * (likelihood - 1), top + cell * (5 - impact)
            out.append(
                f'<rect x="{cx}" y="{cy}" width="{cell}" height="{cell}"'
                f' fill="{_heat_colour(likelihood * impact)}" stroke="#fff"/>'
            )
            if n:
                out.append(
                    f'<text x="{cx + cell / 2}" y="{cy + cell / 2 + 6}"'
                    ' text-anchor="middle" font-size="18" font-weight="bold">'
                    f"{n}</text>"
                )
        out.append(
            f'<text x="{left - 8}" y="{top + cell * (5 - impact) + cell / 2 + 4}"'
            f' text-anchor="end">{impact}</text>'
        )
        grid.append((impact, row))
    for likelihood in range(1, 6):
        out.append(
            f'<text x="{left + cell * (likelihood - 0.5)}" y="{top + cell * 5 + 16}"'
            f' text-anchor="middle">{likelihood}</text>'
        )
    out.append(
        f'<text x="{left + cell * 2.5}" y="{top + cell * 5 + 32}"'
        ' text-anchor="middle">Likelihood</text>'
    )
    out.append(
        f'<text x="14" y="{top + cell * 2.5}" text-anchor="middle"'
        f' transform="rotate(-90 14 {top + cell * 2.5})">Impact</text></svg>'
    )
    return HeatMap(mark_safe("".join(out)), grid)
