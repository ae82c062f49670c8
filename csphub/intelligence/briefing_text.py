"""The words and pictures of a briefing, from its results: the SVG hotspot
maps (drawn once, when the briefing is computed, and stored with it) and the
plain-English summary sentences. No database access."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from csphub.analytics import hotspot
from csphub.lib.months import add_months, month_label, parse_month, span
from csphub.places.mapping import MapShape, svg_map

# Gi* bins (uncorrected 99/95/90 %) as ArcGIS colours them, readable in print.
BIN_FILLS = {
    3: "#b2182b",
    2: "#ef8a62",
    1: "#fddbc7",
    0: "#f7f7f7",
    -1: "#d1e5f0",
    -2: "#67a9cf",
    -3: "#2166ac",
}
BIN_SHORT = {
    3: "Hot 99%",
    2: "Hot 95%",
    1: "Hot 90%",
    0: "–",
    -1: "Cold 90%",
    -2: "Cold 95%",
    -3: "Cold 99%",
}
BIN_LABELS = {
    3: "Hot spot, 99% confidence",
    2: "Hot spot, 95% confidence",
    1: "Hot spot, 90% confidence",
    0: "Not significant",
    -1: "Cold spot, 90% confidence",
    -2: "Cold spot, 95% confidence",
    -3: "Cold spot, 99% confidence",
}


# Outlines on the LSOA map: significant after FDR, and significant but not
# confirmed by the permutation check (p_sim above 0.05).
SIGNIFICANT_STROKE = "#0b0c0c"
UNCONFIRMED_STROKE = "#f47738"
UNCONFIRMED_TEXT = (
    "significant after the false discovery rate correction, but its"
    " permutation p-value is above 0.05"
)


def _hotspot_source(results):
    """The incident list's source filter for the hotspot run: its one data set,
    or none for a mix (issue 19)."""
    keys = results.get("hotspot_sources") or ["police_uk"]
    return {"source": keys[0]} if len(keys) == 1 and ":" not in keys[0] else {}


def _lsoa_href(base, results, code):
    months = results["hotspot_months"]
    query = {"area": code, "from": months[0], "to": months[-1]}
    return base + "?" + urlencode(query | _hotspot_source(results))


def hotspot_map(inputs, results):
    """SVG of the area's LSOAs coloured by Gi* bin, each linking to its incidents."""
    if not results["hotspots"] or not results["hotspot_months"]:
        return ""
    geometry = {code: g for code, _, _, g in inputs.lsoas}
    base = reverse("intelligence:incident-list")
    shapes = []
    for row in results["hotspots"]:
        label = (
            f"{row['name']}: {row['count']} incidents,"
            f" {BIN_LABELS[row['gi_bin']].lower()}"
        )
        label += _significance_text(row)
        shapes.append(
            MapShape(
                geometry[row["lsoa"]],
                label,
                href=_lsoa_href(base, results, row["lsoa"]),
                fill=BIN_FILLS[row["gi_bin"]],
                stroke=_stroke(row),
                stroke_width=2.5 if row["significant"] else 0.6,
                show_label=False,
            )
        )
    shapes += _ward_outlines(inputs)
    return str(
        svg_map(
            shapes,
            title=f"Gi* hotspot map of {results['area']['name']}",
            width=640,
            css_id="hotspot-map",
        )
    )


def _unconfirmed(row):
    return row["significant"] and row.get("p_sim_exceeds_alpha", False)


def _significance_text(row):
    """What the label adds about significance (METHODS.md 2.3, revised)."""
    if _unconfirmed(row):
        return f", {UNCONFIRMED_TEXT} ({row['p_sim']})"
    if row["significant"]:
        return ", significant after the false discovery rate correction"
    return ""


def _stroke(row):
    if _unconfirmed(row):
        return UNCONFIRMED_STROKE
    return SIGNIFICANT_STROKE if row["significant"] else "#505a5f"


def _ward_outlines(inputs):
    """Ward boundaries drawn over the LSOAs, named, for orientation (clicks
    pass through their unfilled insides to the LSOAs)."""
    return [
        MapShape(geometry, f"{name} ward", fill="none", stroke="#505a5f",
                 stroke_width=1.2, text=name)
        for name, geometry in sorted(inputs.ward_boundaries.items())
    ]  # fmt: skip


def _cell_geometry(bounds):
    x0, y0, x1, y1 = bounds
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


def grid_map(inputs, results):
    """SVG of the area's LSOA outlines with the significant grid cells."""
    grid = results["grid"]
    if not grid or not grid["hot"] or not results["hotspots"]:
        return ""
    geometry = {code: g for code, _, _, g in inputs.lsoas}
    shapes = [
        MapShape(
            geometry[r["lsoa"]],
            r["name"],
            fill="#ffffff",
            stroke="#b1b4b6",
            stroke_width=0.6,
            show_label=False,
        )
        for r in results["hotspots"]
    ]
    for c in grid["hot"]:
        x0, y0, x1, y1 = c["bounds"]
        label = (
            f"{grid['cell_size']} m cell: {c['count']} incidents,"
            f" {BIN_LABELS[c['gi_bin']].lower()}"
        ) + _significance_text({"significant": True, **c})
        shapes.append(
            MapShape(
                _cell_geometry(c["bounds"]),
                label,
                href=_cell_href(results, c),
                fill=BIN_FILLS[c["gi_bin"]],
                stroke=_stroke({"significant": True, **c}),
                stroke_width=0.8,
                show_label=False,
            )
        )
    shapes += _ward_outlines(inputs)
    return str(
        svg_map(
            shapes,
            title=f"Grid hotspots ({grid['cell_size']} m cells)"
            f" in {results['area']['name']}",
            width=640,
            css_id="grid-map",
        )
    )


def _cell_href(results, cell):
    months = results["hotspot_months"]
    first, last = (date.fromisoformat(f"{m}-01") for m in (months[0], months[-1]))
    query = {
        "area": results["area"]["code"],
        "from": f"{first:%Y-%m}",
        "to": f"{last:%Y-%m}",
        "box": ",".join(str(b) for b in cell["bounds"]),
    }
    query |= _hotspot_source(results)
    return reverse("intelligence:incident-list") + "?" + urlencode(query)


def _number(n):
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


def summary_sentences(results):
    """A few plain-English sentences from the findings: counts and excess,
    never a percentage as the headline."""
    name, month = results["area"]["name"], parse_month(results["month"])
    if results["area"]["kind"] == "zone":
        name = "the " + name
    total = results["total"]
    sentences = []
    text = (
        f"In {month_label(month)}, {name} recorded {_number(total['count'])}"
        " crimes and ASB incidents"
    )
    if results.get("total_source"):  # several data sets: the first one's total
        text += f" in {results['total_source']}"
    comparisons = []
    if total["last_year"] is not None:
        comparisons.append(
            f"{_number(total['last_year'])} in {month_label(add_months(month, -12))}"
        )
    if total["mean_12m"] is not None:
        comparisons.append(
            f"an average of {_number(total['mean_12m'])} a month"
            " over the previous 12 months"
        )
    sentences.append(
        text + (", against " + " and ".join(comparisons) if comparisons else "") + "."
    )
    if results["counts"]:
        top = results["counts"][0]
        sentences.append(
            f"The largest category was {top['category']} ({_number(top['count'])})."
        )
    sentences.append(_trend_sentence(results))
    hot = [
        r
        for r in results["hotspots"]
        if r["significant"] and r["classification"] == hotspot.HOT
    ]
    if hot:
        months = results["hotspot_months"]
        span = _span(months)
        sentences.append(
            f"Gi* finds {len(hot)} hotspot LSOA{'s' if len(hot) != 1 else ''}"
            " here after"
            f" the false discovery rate correction; the strongest is {hot[0]['name']}"
            f"{' in ' + hot[0]['ward'] if hot[0]['ward'] else ''},"
            f" with {_number(hot[0]['count'])} incidents in {span}."
            + _unconfirmed_sentence(hot)
        )
    elif results["hotspots"]:
        sentences.append(
            "No LSOA here is a significant hotspot after the false discovery"
            " rate correction."
        )
    if results["repeat_locations"]:
        r = results["repeat_locations"][0]
        sentences.append(
            f"The busiest location was “{r['location']}”,"
            f" with {_number(r['count'])} incidents"
            f" in {_span(results['hotspot_months'])}."
        )
    if results["no_data_months"]:
        gaps = ", ".join(month_label(parse_month(m)) for m in results["no_data_months"])
        sentences.append(f"There is no data for {gaps}: shown as no data, not as zero.")
    sentences.append(results["near_repeat_note"])
    return sentences


def _unconfirmed_sentence(hot):
    """Hotspots the permutation check does not confirm, named; '' if none."""
    names = [r["name"] for r in hot if _unconfirmed(r)]
    if not names:
        return ""
    listed = ", ".join(names[:3]) + (
        f" and {len(names) - 3} more" if len(names) > 3 else ""
    )
    return (
        f" The permutation check does not confirm {len(names)} of them"
        f" ({listed}): their permutation p-value is above 0.05."
    )


def _span(months):
    return span(months) or "the last months"


def _the(trend):
    return "the " if trend["area_kind"] == "zone" else ""


def _trend_sentence(results):
    trends = results["trends"]
    if not trends:
        return (
            f"No emerging or worrying trend passed the tests this month"
            f" ({results['trend_tests']} ward and zone by category series tested)."
        )
    parts = [
        f"{t['category']} in {_the(t)}{t['area_name']} ({t['observed']} against"
        f" {t['expected']}"
        f" expected, {t['excess']:g} more)"
        for t in trends[:3]
    ]
    more = f", and {len(trends) - 3} more" if len(trends) > 3 else ""
    count = len(trends)
    return (
        f"{count} emerging trend{'s' if count != 1 else ''}: "
        + "; ".join(parts)
        + more
        + "."
    )


def legend():
    """(fill, label) of each Gi* bin, hot to cold."""
    return [(BIN_FILLS[b], BIN_LABELS[b]) for b in (3, 2, 1, 0, -1, -2, -3)]
