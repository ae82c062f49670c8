"""A stored briefing as people read it: the page, the PDF and the HTML document.

Everything comes from the briefing's stored results (no statistics are run
here); charts are drawn and incident links built at render time, and other
apps' sections (hooks.briefing_sections) are asked for the person reading.
"""

from datetime import date
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from csphub.lib.charts import trend as charts
from csphub.lib.months import add_months, month_label, parse_month, span

from .briefing import incidents_url
from .briefing_text import BIN_LABELS, BIN_SHORT, legend
from .hooks import briefing_sections
from .sources import POLICE_UK_NAME, briefing_sources


def _counts(results, area, month):
    last_year = add_months(month, -12)
    names = {s["key"]: s["name"] for s in results.get("sources", [])}
    rows = []
    for row in results["counts"]:
        category, source = row["category"], row.get("source")
        rows.append(
            {
                **row,
                "source_name": names.get(source, POLICE_UK_NAME),
                "url": incidents_url(
                    area, category=category, first=month, last=month, source=source
                ),
                "last_year_url": incidents_url(
                    area,
                    category=category,
                    first=last_year,
                    last=last_year,
                    source=source,
                ),
                "mean_url": incidents_url(
                    area,
                    source=source,
                    category=category,
                    first=add_months(month, -12),
                    last=add_months(month, -1),
                ),
            }
        )
    return rows


def raise_issue_url(briefing, trend, month):
    """The casework form, filled in from a flagged trend: raised in one step."""
    query = {
        "area": trend["area"],
        "title": f"{trend['category']} rising in {trend['area_name']}",
        "description": (
            f"The intelligence briefing for {month_label(month)} flagged"
            f" {trend['category'].lower()} in {trend['area_name']}:"
            f" {trend['observed']} incidents against {trend['expected']} expected"
            f" (excess {trend['excess']})."
        ),
        "theme": trend["category"],
        "origin": "briefing",
        "briefing": briefing.pk,
    }
    return f"{reverse('casework:issue-raise')}?{urlencode(query)}"


def _trends(briefing, results, month):
    months = results["months"]
    trends = []
    for t in results["trends"]:
        title = f"{t['category']} in {t['area_name']}, monthly"
        trends.append(
            {
                "source_name": POLICE_UK_NAME,  # briefings before issue 19
                **t,
                "url": incidents_url(
                    t["area"],
                    category=t["category"],
                    first=month,
                    last=month,
                    source=t.get("source"),
                ),
                "chart": charts.line_chart(
                    months, t["counts"], title=title, expected=t["expected"]
                ),
                "reading": charts.reading(months, t["counts"], expected=t["expected"]),
                "table": list(zip(months, t["counts"], strict=True)),
                "signal_label": _signal_label(t["signal"]),
                "raise_url": raise_issue_url(briefing, t, month),
            }
        )
    return trends


SIGNALS = {"spc": "control chart", "seasonal": "above seasonal expectation"}


def _signal_label(signal):
    """'spc+seasonal' -> 'control chart, above seasonal expectation'."""
    if not signal:
        return ""
    return ", ".join(SIGNALS.get(part, part) for part in signal.split("+"))


def briefing_context(briefing, user):
    """Template context of a finished briefing, for `user` (None: the command)."""
    results = briefing.results
    area = results["area"]["code"]
    month = parse_month(results["month"])
    hotspot_months = [parse_month(m) for m in results["hotspot_months"]]
    first, last = (
        (hotspot_months[0], hotspot_months[-1]) if hotspot_months else (None, None)
    )
    keys = results.get("hotspot_sources") or ["police_uk"]
    hotspot_source = keys[0] if len(keys) == 1 else "*"
    hotspots = [
        {
            **h,
            "p": h.get("p"),  # absent from briefings made before issue 21
            "unconfirmed": h["significant"] and h.get("p_sim_exceeds_alpha", False),
            "bin_label": BIN_LABELS[h["gi_bin"]],
            "bin_short": BIN_SHORT[h["gi_bin"]],
            "url": incidents_url(
                h["lsoa"], first=first, last=last, source=hotspot_source
            ),
        }
        for h in results["hotspots"]
    ]
    repeats = [
        {
            **r,
            "url": incidents_url(
                area, first=first, last=last, point=(r["latitude"], r["longitude"])
            ),
        }
        for r in results["repeat_locations"]
    ]
    chains = [
        {
            **c,
            "first_day": date.fromisoformat(c["first"]),
            "last_day": date.fromisoformat(c["last"]),
            "url": incidents_url(area, ids=c["incidents"]),
        }
        for c in (results["near_repeat"] or {}).get("chains", [])
    ]
    sections = briefing_sections(briefing.partnership, briefing.place(), month, user)
    series = results["series"]
    return partner_context(results) | {
        "results": results,
        "month_label": month_label(month),
        "area_name": results["area"]["name"],
        "counts": _counts(results, area, month),
        "total_url": incidents_url(area, first=month, last=month),
        "total_chart": charts.line_chart(
            series["months"],
            series["total"],
            title=f"All crime and ASB in {results['area']['name']}"
            + (f" ({results['total_source']})" if results.get("total_source") else "")
            + ", monthly",
        ),
        "total_reading": charts.reading(series["months"], series["total"]),
        "total_table": list(zip(series["months"], series["total"], strict=True)),
        "trends": _trends(briefing, results, month),
        "hotspots_marked": [h for h in hotspots if h["significant"] or h["gi_bin"]],
        "hotspots_all": hotspots,
        "hotspot_span": span(hotspot_months),
        # Briefings made before issue 21 decided significance on p_sim.
        "hotspot_rule_revised": "hotspot_areas_tested" in results,
        "map_svg": mark_safe(results.get("map_svg", "")),  # drawn by briefing.py
        "grid_svg": mark_safe(results.get("grid_svg", "")),
        "legend": legend(),
        "repeats": repeats,
        "chains": chains,
        "sections": sections,
        "summary": results["summary"] + [s.summary for s in sections if s.summary],
        "no_data_months": [
            month_label(parse_month(m)) for m in results["no_data_months"]
        ],
    }


def partner_context(results):
    """What the page shows of issue 19: the data sets used (named), each
    count's and trend's source, the hotspot run's mix, categories and harm
    weights, and repeat victims (counts only)."""
    sources = briefing_sources(results)
    names = {s["key"]: s["name"] for s in sources}
    hotspot_keys = results.get("hotspot_sources") or ["police_uk"]
    harm = results.get("harm")
    victims = results.get("repeat_victims")
    return {
        "sources": sources,
        "several_sources": len(sources) > 1,
        "source_names": names,
        "hotspot_source_names": [names.get(k, k) for k in hotspot_keys],
        "hotspot_categories": results.get("hotspot_categories") or [],
        "harm": harm,
        "harm_weights": sorted(
            (harm or {}).get("weights", {}).items(), key=lambda w: (-w[1], w[0])
        ),
        "repeat_victims": victims,
        "repeat_victims_span": (
            (date.fromisoformat(victims["first"]), date.fromisoformat(victims["last"]))
            if victims
            else None
        ),
        "repeat_victims_percent": (
            round(100 * victims["share"]) if victims and victims["share"] else 0
        ),
    }


def file_name(briefing):
    return f"briefing-{briefing.place_code().replace(':', '-')}-{briefing.month:%Y-%m}"


def briefing_document(briefing, user=None):
    """The briefing as one self-contained HTML document (the PDF's source)."""
    context = {"briefing": briefing, **briefing_context(briefing, user)}
    return render_to_string("intelligence/briefing_document.html", context)


def briefing_pdf(briefing, user=None, *, base_url=None):
    """The briefing as PDF bytes (WeasyPrint), with the same SVG map and charts."""
    from weasyprint import HTML

    base = (
        base_url.build_absolute_uri("/")
        if hasattr(base_url, "build_absolute_uri")
        else base_url
    )  # noqa: E501
    # Tagged PDF/UA: screen readers follow its structure, title and language.
    html = HTML(string=briefing_document(briefing, user), base_url=base)
    return html.write_pdf(pdf_variant="pdf/ua-1")
