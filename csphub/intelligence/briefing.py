"""Intelligence briefings: what an analyst would put before a zonal meeting.

`read_inputs` reads what a briefing needs from the database in a handful of
grouped queries; `compute` turns those inputs into the stored results with no
database access (so the London-size benchmark can feed it the same inputs from
memory); `build` runs both for a Briefing row and records progress.

Methods (../shared/reference/METHODS.md): emerging trends per ward and zone x
category through `csphub.analytics.trend` (section 4); Getis-Ord Gi* over the
borough's LSOAs with binary queen contiguity from the boundaries, star=True,
and over a grid of points, significant by the two-sided normal p-value of the
z-score with FDR at 5% over all areas of the run (section 2.3, revised), the
999-permutation p_sim with a recorded seed beside it as a check; local Moran's
I (permutation p-values, FDR) where asked.
"""

import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import numpy as np
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.text import slugify
from shapely.geometry import shape

from csphub.analytics import hotspot
from csphub.lib.months import add_months, month_label
from csphub.places.models import Area, Zone

from . import briefing_text, sources as data_sources
from .models import Briefing, HarmIndex, Incident

DEFAULTS = {
    "window_months": 60,  # trends' history (5 years); from the first month of data
    "hotspot_months": 3,  # Gi* and the grid count the last 3 months
    "permutations": hotspot.DEFAULT_PERMUTATIONS,
    "alpha": 0.05,
    "cell_size": 250,  # metres
    "local_moran": False,
    "repeat_months": 3,
    "repeat_min": 10,
    "repeat_limit": 20,
    # Near-repeat chains of dated (partner) incidents: linked when less than
    # this many metres and days apart (METHODS.md section 3.3, ptools' strings).
    "chain_metres": 200,
    "chain_days": 14,
    "chain_min_size": 3,
    # Issue 19: the data sets the trends and hotspots run on (source keys,
    # sources.available_sources; none = police.uk alone), the hotspot run's
    # own mix (none = the same), its categories (none = all) and whether it
    # is weighted by the partnership's harm index; repeat victims' window.
    "sources": [],
    "hotspot_sources": [],
    "hotspot_categories": [],
    "harm_weighted": False,
    "victim_months": 12,
}
SEED = hotspot.DEFAULT_SEED


class BriefingError(ValueError):
    """A briefing cannot be prepared as asked; the message says why."""


def resolve_area(partnership, code):
    """The borough or ward (by ONS code) or zone (`zone:SLUG`) of a partnership."""
    code = (code or "").strip()
    if code.lower().startswith("zone:"):
        slug = slugify(code[5:])
        zone = Zone.objects.filter(partnership=partnership, slug=slug).first()
        if zone is None:
            names = ", ".join(
                f"zone:{s}"
                for s in Zone.objects.filter(partnership=partnership).values_list(
                    "slug", flat=True
                )
            )
            raise BriefingError(f"no zone {code!r} in {partnership}; try {names}")
        return zone
    area = Area.objects.filter(code=code.upper()).first()
    if area is None:
        raise BriefingError(f"no area with ONS code {code!r}")
    borough_id = partnership.borough_id
    if area.pk == borough_id or (
        area.kind == Area.Kind.WARD and area.parent_id == borough_id
    ):
        return area
    raise BriefingError(
        f"{area} is not the borough or one of its wards in {partnership}:"
        " a briefing is for the borough, a ward or a zone (zone:SLUG)"
    )


def place_code(place):
    return f"zone:{place.slug}" if isinstance(place, Zone) else place.code


def place_name(place):
    return f"{place.name} zone" if isinstance(place, Zone) else place.name


def place_kind(place):
    return "zone" if isinstance(place, Zone) else place.kind


def incidents_url(
    area, *, category="", first=None, last=None, point=None, ids=None, source=None
):
    """The incident list behind a figure (police.uk figures unless `ids` or
    `source`, a data set's slug); a flagged series lists the flagged incidents.
    None for a source that is not incidents (residents' reports)."""
    source = source or data_sources.POLICE_UK
    if ":" in source:
        return None
    query = {"area": area}
    if not ids and source != "*":  # "*": every source (a hotspot run's mix)
        query["source"] = source
    if ids:
        query["ids"] = ",".join(str(i) for i in ids)
    flags = {name: flag for flag, name in data_sources.FLAG_SERIES.items()}
    if category in flags:
        query["flag"] = flags[category]
    elif category:
        query["category"] = category
    if first:
        query["from"] = f"{first:%Y-%m}"
    if last:
        query["to"] = f"{last:%Y-%m}"
    if point:
        query["point"] = f"{point[0]},{point[1]}"
    return reverse("intelligence:incident-list") + "?" + urlencode(query)


@dataclass
class Unit:
    """An area whose monthly counts are tested for trends: a ward, zone or borough."""

    code: str
    name: str
    kind: str
    ward_ids: list


@dataclass
class BriefingInputs:
    """Everything `compute` reads, as the database (or the benchmark) gives it."""

    area: Unit
    month: date
    months: list  # consecutive, oldest first, ending at `month`
    has_data: list  # per month
    categories: list
    ward_counts: dict  # ward id -> int array (categories x months)
    units: list  # trend units
    lsoas: list  # (code, name, ward id, GeoJSON geometry), the whole borough
    lsoa_counts: dict  # code -> incidents in the hotspot months
    points: np.ndarray  # (n, 2) lon, lat of the area's incidents, hotspot months
    repeats: list  # dicts: location, latitude, longitude, count, lsoa
    repeat_total: int = 0
    dated: list = field(default_factory=list)  # (id, source, category, lon, lat, day)
    ward_names: dict = field(default_factory=dict)  # ward id -> name
    ward_boundaries: dict = field(default_factory=dict)  # ward name -> GeoJSON
    # Issue 19 (defaults: police.uk alone, as the benchmark feeds it).
    sources: list = field(default_factory=list)  # Source.as_json() dicts
    hotspot_sources: list = field(default_factory=list)  # keys
    category_sources: list = field(default_factory=list)  # key per category row
    row_has_data: list = field(default_factory=list)  # has_data per category row
    lsoa_category_counts: list = field(default_factory=list)  # (code, cat, n)
    harm: dict | None = None  # {"name", "source", "weights"} when weighted
    victims: list = field(default_factory=list)  # (source, hash, day, ward id)


def window(calendar, month, parameters):
    """The months of a briefing and whether each has data; BriefingError if the
    month itself has no data."""
    present = {m for m, has in calendar if has}
    if month not in present:
        if not present:
            raise BriefingError("no crime data has been imported for this partnership")
        latest = max(present)
        raise BriefingError(
            f"there is no crime data for {month_label(month)}: choose a month"
            f" with data, such as {month_label(latest)}"
        )
    first = max(min(present), add_months(month, 1 - parameters["window_months"]))
    months = []
    m = first
    while m <= month:
        months.append(m)
        m = add_months(m, 1)
    return months, [m in present for m in months]


def _units(partnership, place, wards):
    ward_units = [Unit(w.code, w.name, "ward", [w.pk]) for w in wards]
    if isinstance(place, Zone):
        return [
            *ward_units,
            Unit(place_code(place), place_name(place), "zone", [w.pk for w in wards]),
        ]
    if place.kind == Area.Kind.WARD:
        return ward_units
    zones = Zone.objects.filter(partnership=partnership).prefetch_related("wards")
    zone_units = [
        Unit(place_code(z), place_name(z), "zone", [w.pk for w in z.wards.all()])
        for z in zones
    ]
    everything = Unit(place.code, place.name, "borough", [w.pk for w in wards])
    return [*ward_units, *zone_units, everything]


def _wards(place):
    if isinstance(place, Zone):
        return list(place.wards.order_by("name"))
    if place.kind == Area.Kind.WARD:
        return [place]
    return list(Area.objects.wards().filter(parent=place).order_by("name"))


def read_inputs(partnership, place, month, parameters):
    """Read a briefing's inputs in a fixed number of grouped queries."""
    chosen, hotspot_chosen = chosen_sources(partnership, parameters)
    by_source = data_sources.source_months(
        partnership, list({s.key: s for s in [*chosen, *hotspot_chosen]}.values())
    )
    months, has_data = window(
        data_sources.calendar({s.key: by_source[s.key] for s in chosen}),
        month,
        parameters,
    )
    wards = _wards(place)
    ward_ids = [w.pk for w in wards]
    series = _series_counts(partnership, chosen, ward_ids, months)
    categories, category_sources, ward_counts = series
    recent = _recent(months, has_data, parameters["hotspot_months"])
    lsoas = list(
        Area.objects.lsoas()
        .filter(parent__parent_id=partnership.borough_id)
        .exclude(boundary=None)
        .order_by("code")
        .values_list("pk", "code", "name", "parent_id", "boundary")
    )
    lsoa_code = {pk: code for pk, code, *_ in lsoas}
    per_lsoa = _hotspot_counts(
        partnership, hotspot_chosen, recent, parameters, lsoa_code
    )
    # police.uk only: repeat locations are police.uk's snap points.
    incidents = Incident.objects.police_uk().filter(partnership=partnership)
    in_area = incidents.filter(ward_id__in=ward_ids)
    points = data_sources.read_points(
        partnership,
        hotspot_chosen,
        ward_ids,
        recent,
        parameters["hotspot_categories"],
    )
    repeats, repeat_total = _repeat_locations(in_area, months, has_data, parameters)
    lsoa_ward = {pk: ward for pk, _, _, ward, _ in lsoas}
    ward_name = {w.pk: w.name for w in wards}
    for r in repeats:
        lsoa_id = r.pop("lsoa_id")
        r["lsoa"] = lsoa_code.get(lsoa_id, "")
        r["ward"] = ward_name.get(lsoa_ward.get(lsoa_id), "")
    return BriefingInputs(
        area=Unit(place_code(place), place_name(place), place_kind(place), ward_ids),
        month=month,
        months=months,
        has_data=has_data,
        categories=categories,
        ward_counts=ward_counts,
        units=_units(partnership, place, wards),
        lsoas=[(code, name, ward, boundary) for _, code, name, ward, boundary in lsoas],
        lsoa_counts=per_lsoa["counts"],
        points=points,
        repeats=repeats,
        repeat_total=repeat_total,
        dated=_dated_incidents(partnership, ward_ids, months, has_data, parameters),
        ward_names={w.pk: w.name for w in wards},
        ward_boundaries={w.name: w.boundary for w in wards if w.boundary},
        sources=[
            s.as_json() | {"months": sum(m in by_source[s.key] for m in months)}
            for s in chosen
        ],
        hotspot_sources=[s.key for s in hotspot_chosen],
        category_sources=category_sources,
        row_has_data=[
            [m in by_source[key] for m in months] for key in category_sources
        ],
        lsoa_category_counts=per_lsoa["by_category"],
        harm=_harm_index(partnership) if parameters["harm_weighted"] else None,
        victims=data_sources.read_victims(
            partnership,
            chosen,
            ward_ids,
            add_months(month, 1 - parameters["victim_months"]),
            month,
        ),
    )


def check_month(partnership, month, parameters):
    """BriefingError when the month has no data in the chosen sources (or a
    source is unknown)."""
    chosen, _ = chosen_sources(partnership, parameters)
    by_source = data_sources.source_months(partnership, chosen)
    window(data_sources.calendar(by_source), month, parameters)
    if parameters["harm_weighted"]:
        _harm_index(partnership)


def chosen_sources(partnership, parameters):
    """(the trends' Sources, the hotspot run's Sources); BriefingError names an
    unknown source."""
    try:
        chosen = data_sources.resolve_sources(partnership, parameters["sources"])
        hotspot_chosen = (
            data_sources.resolve_sources(partnership, parameters["hotspot_sources"])
            if parameters["hotspot_sources"]
            else chosen
        )
    except data_sources.UnknownSource as e:
        raise BriefingError(str(e)) from None
    return chosen, hotspot_chosen


def _series_counts(partnership, chosen, ward_ids, months):
    """(categories, their sources, {ward id: categories x months counts}): one
    row per source and category, flagged incidents' series included."""
    rows = data_sources.read_series(partnership, chosen, ward_ids, months)
    order = {s.key: i for i, s in enumerate(chosen)}
    pairs = sorted(
        {(key, c) for key, _, c, _, _ in rows}, key=lambda p: (order[p[0]], p[1])
    )
    row_index = {p: i for i, p in enumerate(pairs)}
    month_index = {m: i for i, m in enumerate(months)}
    ward_counts = {
        w: np.zeros((len(pairs), len(months)), dtype=np.int64) for w in ward_ids
    }
    for key, ward_id, category, m, n in rows:
        if ward_id in ward_counts and m in month_index:
            ward_counts[ward_id][row_index[(key, category)], month_index[m]] += n
    return [c for _, c in pairs], [k for k, _ in pairs], ward_counts


def _hotspot_counts(partnership, hotspot_chosen, recent, parameters, lsoa_code):
    """The hotspot run's counts per LSOA code, in total and by category."""
    rows = data_sources.read_lsoa_counts(
        partnership,
        hotspot_chosen,
        recent,
        parameters["hotspot_categories"],
        by_category=parameters["harm_weighted"],
    )
    counts, by_category = {}, {}
    for _, lsoa_id, category, n in rows:
        code = lsoa_code.get(lsoa_id)
        if code is None:
            continue
        counts[code] = counts.get(code, 0) + n
        by_category[(code, category)] = by_category.get((code, category), 0) + n
    return {
        "counts": counts,
        "by_category": [(code, c, n) for (code, c), n in sorted(by_category.items())],
    }


def _harm_index(partnership):
    index = HarmIndex.objects.filter(partnership=partnership).first()
    if index is None:
        raise BriefingError(
            "there are no harm weights for this partnership: load them on the"
            " harm weights page, or run the hotspots by count"
        )
    return {"name": index.name, "source": index.source, "weights": index.weights()}


def _dated_incidents(partnership, ward_ids, months, has_data, parameters):
    """Incidents with a day and a location in the hotspot months: the partner
    data sets' (police.uk gives months only)."""
    first = months[max(0, len(months) - parameters["hotspot_months"])]
    return list(
        Incident.objects.filter(
            partnership=partnership,
            ward_id__in=ward_ids,
            month__gte=first,
            month__lte=months[-1],
        )
        .exclude(occurred_on=None)
        .exclude(longitude=None)
        .order_by("occurred_on", "pk")
        .values_list(
            "pk", "data_set__name", "category", "longitude", "latitude", "occurred_on"
        )
    )


def _recent(months, has_data, n):
    """The last n calendar months of the window that have data."""
    return [m for m, has in zip(months[-n:], has_data[-n:], strict=True) if has]


def _repeat_locations(incidents, months, has_data, parameters):
    """police.uk snap points with at least `repeat_min` incidents in the last
    `repeat_months` months: one grouped query."""
    recent = _recent(months, has_data, parameters["repeat_months"])
    rows = list(
        incidents.filter(month__in=recent)
        .exclude(latitude=None)
        .values("latitude", "longitude", "location")
        .annotate(count=Count("pk"), lsoa_id=Min("lsoa_id"))
        .filter(count__gte=parameters["repeat_min"])
        .order_by("-count", "location", "latitude")
    )
    return rows[: parameters["repeat_limit"]], len(rows)


# Computing the results (no database)


def compute(inputs, parameters, seed, progress=None):
    """The briefing's results, a JSON-ready dict, from its inputs."""
    progress = progress or (lambda percent, step: None)
    results = {
        "area": {
            "code": inputs.area.code,
            "name": inputs.area.name,
            "kind": inputs.area.kind,
        },
        "month": f"{inputs.month:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in inputs.months],
        "data_months": [
            f"{m:%Y-%m}"
            for m, h in zip(inputs.months, inputs.has_data, strict=True)
            if h
        ],
        "no_data_months": [
            f"{m:%Y-%m}"
            for m, h in zip(inputs.months, inputs.has_data, strict=True)
            if not h
        ],
        "hotspot_months": [
            f"{m:%Y-%m}"
            for m in _recent(
                inputs.months, inputs.has_data, parameters["hotspot_months"]
            )
        ],
        "seed": seed,
        "permutations": parameters["permutations"],
        **_sources_used(inputs, parameters),
    }
    progress(10, "Counting incidents by category and month")
    area_counts = _sum_wards(inputs, inputs.area.ward_ids)
    results["counts"], results["total"] = _headlines(inputs, area_counts)
    results.update(_source_totals(inputs, area_counts, results["sources"]))
    primary = results["sources"][0]["key"]
    results["series"] = {
        "months": results["months"],
        "total": _masked(
            _plain_rows(inputs, area_counts, primary).sum(axis=0),
            _source_has_data(inputs, primary),
        ),
    }
    progress(25, "Testing for emerging and worrying trends")
    results.update(_trends(inputs, parameters))
    progress(50, "Finding hotspots (Gi* over LSOAs, 999 permutations)")
    results.update(_lsoa_hotspots(inputs, parameters, seed))
    progress(70, "Finding hotspots on a grid")
    results["grid"] = _grid_hotspots(inputs, parameters, seed)
    if parameters["local_moran"]:
        progress(80, "Local Moran's I")
        results["local_moran"] = _local_moran(inputs, parameters, seed)
    progress(90, "Drawing the map and writing the summary")
    results["repeat_locations"] = inputs.repeats
    results["repeat_total"] = inputs.repeat_total
    results["near_repeat"] = _near_repeats(inputs, parameters)
    results["near_repeat_note"] = _near_repeat_note(results["near_repeat"], parameters)
    results["repeat_victims"] = _repeat_victims(inputs)
    results["map_svg"] = briefing_text.hotspot_map(inputs, results)
    results["grid_svg"] = briefing_text.grid_map(inputs, results)
    results["summary"] = briefing_text.summary_sentences(results)
    results["summary"] += _partner_sentences(results)
    return results


def _row_source(inputs, i):
    return inputs.category_sources[i] if inputs.category_sources else "police_uk"


def _row_has_data(inputs, i):
    return inputs.row_has_data[i] if inputs.row_has_data else inputs.has_data


def _plain_rows(inputs, counts, source=None):
    """The counts without the flagged series (they count incidents again),
    of one source when given."""
    flagged = set(data_sources.FLAG_SERIES.values())
    keep = [
        i
        for i, c in enumerate(inputs.categories)
        if c not in flagged and source in (None, _row_source(inputs, i))
    ]
    return counts[keep] if len(keep) != len(inputs.categories) else counts


def _source_has_data(inputs, source):
    for i in range(len(inputs.categories)):
        if _row_source(inputs, i) == source:
            return _row_has_data(inputs, i)
    return inputs.has_data


def _source_totals(inputs, counts, sources):
    """The headline total is the first source's (police.uk when chosen): data
    sets can record the same incidents (a council ASB log and police.uk ASB),
    so they are totalled one by one, never added together."""
    totals = []
    for source in sources:
        count, last_year, mean = _headline(
            _plain_rows(inputs, counts, source["key"]).sum(axis=0),
            _source_has_data(inputs, source["key"]),
        )
        totals.append(
            {
                "source": source["key"],
                "name": source["name"],
                "count": count,
                "last_year": last_year,
                "mean_12m": mean,
            }
        )
    first = totals[0]
    return {
        "total": {k: first[k] for k in ("count", "last_year", "mean_12m")},
        "total_source": first["name"] if len(totals) > 1 else "",
        "source_totals": totals,
    }


def _sources_used(inputs, parameters):
    """The briefing's sources (key, name, organisation, kind, synthetic), the
    hotspot run's mix and categories, and its harm weights."""
    used = data_sources.briefing_sources({"sources": inputs.sources})
    hotspot_keys = inputs.hotspot_sources or [s["key"] for s in used]
    harm = None
    if inputs.harm is not None:
        from csphub.analytics.harm import harm_values

        _, missing = harm_values(inputs.lsoa_category_counts, inputs.harm["weights"])
        harm = {**inputs.harm, "unweighted_categories": missing}
    return {
        "sources": used,
        "hotspot_sources": hotspot_keys,
        "hotspot_source": "+".join(hotspot_keys),
        "hotspot_categories": list(parameters.get("hotspot_categories") or []),
        "harm": harm,
    }


def _repeat_victims(inputs):
    """Repeat victimisation in the chosen data sets that carry a victim or
    household reference (as a keyed hash): counts only, never a hash."""
    from csphub.analytics.repeat_victims import repeat_victimisation

    if not inputs.victims:
        return None
    names = {s["key"]: s["name"] for s in inputs.sources}
    r = repeat_victimisation(
        (victim, day, inputs.ward_names.get(ward, ""))
        for _, victim, day, ward in inputs.victims
    )
    return {
        "sources": sorted({names.get(k, k) for k, *_ in inputs.victims}),
        "first": min(day for _, _, day, _ in inputs.victims).isoformat(),
        "last": max(day for _, _, day, _ in inputs.victims).isoformat(),
        "incidents": r.incidents,
        "victims": r.victims,
        "repeat_victims": r.repeat_victims,
        "repeat_incidents": r.repeat_incidents,
        "share": _round(r.share, 3),
        "median_days": _round(r.median_gap),
        "gap_bands": [{"label": label, "count": n} for label, n in r.gap_bands],
        "areas": [
            {"ward": a, "incidents": n, "victims": v} for a, n, v in r.areas[:20]
        ],
    }


def _partner_sentences(results):
    """Summary sentences about the partner data (issue 19)."""
    sentences = []
    partner = [t for t in results["trends"] if t["source"] != data_sources.POLICE_UK]
    if partner:
        t = partner[0]
        sentences.append(
            f"From partner data: {t['category'].lower()} in {t['area_name']}"
            f" ({t['source_name']}) is flagged, {t['observed']} against"
            f" {t['expected']} expected."
        )
    rv = results["repeat_victims"]
    if rv and rv["repeat_victims"]:
        sentences.append(
            f"{round(100 * rv['share'])}% of the incidents with a victim or"
            f" household reference were against {rv['repeat_victims']} repeat"
            f" victim{'s' if rv['repeat_victims'] != 1 else ''}."
        )
    return sentences


def _sum_wards(inputs, ward_ids):
    total = np.zeros((len(inputs.categories), len(inputs.months)), dtype=np.int64)
    for w in ward_ids:
        if w in inputs.ward_counts:
            total += inputs.ward_counts[w]
    return total


def _masked(values, has_data):
    return [int(v) if h else None for v, h in zip(values, has_data, strict=True)]


def _headline(values, has_data):
    """(count, last year, mean of the 12 months before) of one series."""
    series = _masked(values, has_data)
    last_year = series[-13] if len(series) >= 13 else None
    previous = [v for v in series[-13:-1] if v is not None]
    mean = round(sum(previous) / len(previous), 1) if previous else None
    return series[-1], last_year, mean


def _headlines(inputs, counts):
    rows = []
    for i, category in enumerate(inputs.categories):
        count, last_year, mean = _headline(counts[i], _row_has_data(inputs, i))
        rows.append(
            {
                "category": category,
                "source": _row_source(inputs, i),
                "count": count,
                "last_year": last_year,
                "mean_12m": mean,
            }
        )
    rows.sort(key=lambda r: (-(r["count"] or 0), r["category"], r["source"]))
    count, last_year, mean = _headline(
        _plain_rows(inputs, counts).sum(axis=0), inputs.has_data
    )
    return rows, {"count": count, "last_year": last_year, "mean_12m": mean}


def _trends(inputs, parameters):
    """Emerging and worrying trends (METHODS.md section 4) for every unit x
    category, ranked by excess count; the flagged ones with their series."""
    from csphub.analytics.trend import TrendSeries, emerging_trends

    series, by_key = [], {}
    for unit in inputs.units:
        counts = _sum_wards(inputs, unit.ward_ids)
        for i, category in enumerate(inputs.categories):
            if not counts[i].any():
                continue  # never recorded here: nothing to test
            key = (unit.code, category, _row_source(inputs, i))
            values = _masked(counts[i], _row_has_data(inputs, i))
            series.append(TrendSeries(key, list(inputs.months), values))
            by_key[key] = (unit, values)
    tested = emerging_trends(series, alpha=parameters["alpha"]) if series else []
    flagged = sorted((r for r in tested if r.flagged), key=lambda r: -(r.excess or 0))
    names = {s["key"]: s["name"] for s in inputs.sources}
    trends = []
    for r in flagged:
        unit, values = by_key[r.key]
        trends.append(
            {
                "area": unit.code,
                "area_name": unit.name,
                "area_kind": unit.kind,
                "category": r.key[1],
                "source": r.key[2],
                "source_name": names.get(r.key[2], data_sources.POLICE_UK_NAME),
                "observed": r.observed,
                "expected": _round(r.expected),
                "excess": _round(r.excess),
                "signal": None if r.signal is None else str(r.signal),
                "q_value": _round(r.q_value, 4),
                "p_value": _round(r.p_value, 4),
                "spc_signal": bool(r.spc_signal),
                "seasonal_signal": bool(r.seasonal_signal),
                "note": r.note or "",
                "counts": values,
            }
        )
    return {"trends": trends, "trend_tests": len(tested)}


def _round(value, digits=1):
    if value is None:
        return None
    value = float(value)
    return None if not np.isfinite(value) else round(value, digits)


def _lsoa_hotspots(inputs, parameters, seed):
    """Gi* over every LSOA of the borough; the briefing area's LSOAs reported."""
    areas = [(code, shape(geometry)) for code, _, _, geometry in inputs.lsoas]
    counts = {code: inputs.lsoa_counts.get(code, 0) for code, *_ in inputs.lsoas}
    harm = _harm_by_lsoa(inputs)
    values = counts if harm is None else {c: harm.get(c, 0.0) for c in counts}
    empty = {"hotspots": [], "hotspot_fdr_cutoff": None, "hotspot_areas_tested": 0}
    if len(areas) < 3:
        return {
            **empty,
            "hotspot_note": "The borough's LSOA boundaries are not loaded,"
            " so there is no hotspot map.",
        }
    if len(set(values.values())) < 2:
        return {
            **empty,
            "hotspot_note": "Every LSOA has the same count in these months,"
            " so there are no hotspots to find.",
        }
    result = hotspot.gi_star_areas(
        areas,
        values,
        seed=seed,
        permutations=parameters["permutations"],
        alpha=parameters["alpha"],
        keep_simulations=False,
    )
    names = {code: (name, ward) for code, name, ward, _ in inputs.lsoas}
    wards = set(inputs.area.ward_ids)
    rows = [
        {
            "lsoa": a.id,
            "name": names[a.id][0],
            "ward": inputs.ward_names.get(names[a.id][1], ""),
            "count": int(counts[a.id]),
            **({} if harm is None else {"harm": _round(harm.get(a.id, 0.0))}),
            "source": "+".join(inputs.hotspot_sources) or "police_uk",
            **_significance(a),
        }
        for a in result.areas
        if names[a.id][1] in wards
    ]
    rows.sort(key=lambda r: -(r["z"] if r["z"] is not None else -99))
    return {
        "hotspots": rows,
        "hotspot_p_value": result.p_value,
        "hotspot_fdr_cutoff": result.fdr_cutoff,
        "hotspot_areas_tested": sum(not a.island for a in result.areas),
        "hotspot_note": "",
    }


def _harm_by_lsoa(inputs):
    """{LSOA code: harm} when the run is weighted by the harm index, else None."""
    if inputs.harm is None:
        return None
    from csphub.analytics.harm import harm_values

    values, _ = harm_values(inputs.lsoa_category_counts, inputs.harm["weights"])
    return values


def _significance(area):
    """The Gi* figures of one LSOA or cell (METHODS.md 2.3, revised): z, the
    two-sided normal p the FDR correction used, the permutation check."""
    return {
        "z": _round(area.zs, 3),
        "p": _figures(area.p),
        "p_sim": _round(area.p_sim, 4),
        "significant": area.classification != hotspot.NOT_SIGNIFICANT,
        "p_sim_exceeds_alpha": area.p_sim_exceeds_alpha,
        "classification": area.classification,
        "gi_bin": area.gi_bin,
    }


def _figures(value, digits=3):
    """A p-value to `digits` significant figures (they run to 1e-10 and below)."""
    if value is None or not np.isfinite(value):
        return None
    return float(f"{float(value):.{digits}g}")


def _grid_hotspots(inputs, parameters, seed):
    """Gi* of the area's incident points on square cells of `cell_size` metres."""
    points = inputs.points
    if len(points) < 10:
        return None
    origin = (float(points[:, 0].mean()), float(points[:, 1].mean()))
    x, y = hotspot.project_lonlat(points[:, 0], points[:, 1], origin=origin)
    kx, ky = (
        v[0]
        for v in hotspot.project_lonlat([origin[0] + 1], [origin[1] + 1], origin=origin)
    )
    try:
        result = hotspot.gi_star_points(
            x,
            y,
            float(parameters["cell_size"]),
            seed=seed,
            permutations=parameters["permutations"],
            alpha=parameters["alpha"],
            keep_simulations=False,
        )
    except ValueError:  # all cells equal, or too many cells for the size
        return None
    grid = result.grid
    cells = []
    for a in result.areas:
        # Only hot cells: the grid covers the points' bounding box, and its
        # empty cells beyond the area's edge would all come out cold.
        if a.classification != hotspot.HOT:
            continue
        x0, y0, x1, y1 = grid.cell_bounds(a.id)
        bounds = [
            origin[0] + x0 / kx,
            origin[1] + y0 / ky,
            origin[0] + x1 / kx,
            origin[1] + y1 / ky,
        ]
        cells.append(
            {
                "bounds": [round(b, 6) for b in bounds],
                "count": int(a.count),
                **_significance(a),
            }
        )
    cells.sort(key=lambda c: -c["z"])
    return {
        "cell_size": parameters["cell_size"],
        "cells_tested": grid.n_cols * grid.n_rows,
        "hot": cells,
        "fdr_cutoff": result.fdr_cutoff,
    }


def _local_moran(inputs, parameters, seed):
    areas = [(code, shape(geometry)) for code, _, _, geometry in inputs.lsoas]
    if len(areas) < 3:
        return []
    counts = [inputs.lsoa_counts.get(code, 0) for code, *_ in inputs.lsoas]
    if len(set(counts)) < 2:
        return []
    result = hotspot.local_moran_areas(
        areas,
        counts,
        seed=seed,
        permutations=parameters["permutations"],
        keep_simulations=False,
    )
    names = {code: (name, ward) for code, name, ward, _ in inputs.lsoas}
    wards = set(inputs.area.ward_ids)
    return [
        {
            "lsoa": a.id,
            "name": names[a.id][0],
            "count": int(a.value),
            "cluster": a.cluster,
            "i": _round(a.i, 3),
            "p_sim": _round(a.p_sim, 4),
        }
        for a in result.areas
        if a.cluster != hotspot.NOT_SIGNIFICANT and names[a.id][1] in wards
    ]


def _near_repeats(inputs, parameters):
    """Near-repeat chains of the dated incidents, per data set and category;
    None when no incident here has a day (police.uk has months only)."""
    from csphub.analytics.near_repeat import near_repeat_chains

    if not inputs.dated:
        return None
    groups = {}
    for row in inputs.dated:
        groups.setdefault((row[1] or "police.uk", row[2]), []).append(row)
    lon = np.array([r[3] for r in inputs.dated])
    lat = np.array([r[4] for r in inputs.dated])
    origin = (float(lon.mean()), float(lat.mean()))
    chains = []
    for (source, category), rows in sorted(groups.items()):
        x, y = hotspot.project_lonlat(
            [r[3] for r in rows], [r[4] for r in rows], origin=origin
        )
        found = near_repeat_chains(
            list(zip(x.tolist(), y.tolist(), [r[5] for r in rows], strict=True)),
            distance=parameters["chain_metres"],
            days=parameters["chain_days"],
            ids=[r[0] for r in rows],
            min_size=parameters["chain_min_size"],
        )
        for chain in found.chains:
            members = [rows[i] for i in chain.events]
            chains.append({
                "source": source,
                "category": category,
                "size": chain.size,
                "first": chain.first.isoformat(),
                "last": chain.last.isoformat(),
                "span_days": chain.span_days,
                "span_metres": round(chain.span_metres),
                "latitude": round(sum(m[4] for m in members) / len(members), 6),
                "longitude": round(sum(m[3] for m in members) / len(members), 6),
                "incidents": [m[0] for m in members],
            })  # fmt: skip
    chains.sort(key=lambda c: (-c["size"], c["first"], c["source"], c["category"]))
    return {
        "distance_metres": parameters["chain_metres"],
        "days": parameters["chain_days"],
        "min_size": parameters["chain_min_size"],
        "dated_incidents": len(inputs.dated),
        "chain_count": len(chains),
        "chains": chains[:20],
    }


def _near_repeat_note(near_repeat, parameters):
    police = (
        "police.uk data gives only the month of each incident, so it has no"
        " near-repeat analysis."
    )
    if near_repeat is None:
        return (
            "Near-repeat analysis needs the day of each incident. " + police
            + " No partner data set with dates covers this area and period."
        )  # fmt: skip
    n = near_repeat["chain_count"]
    return (
        f"{police} Partner data with dates: {near_repeat['dated_incidents']}"
        f" incidents here, in {n} near-repeat chain{'s' if n != 1 else ''} of"
        f" {parameters['chain_min_size']} or more (each incident less than"
        f" {parameters['chain_metres']} m and {parameters['chain_days']} days"
        " from another in its chain)."
    )


# Running a briefing


def build(briefing, *, progress=None):
    """Compute and store a briefing's results, recording progress on the row."""
    started = time.perf_counter()
    place = briefing.place()

    def report(percent, step):
        Briefing.objects.filter(pk=briefing.pk).update(progress=percent, step=step)
        if progress:
            progress(percent, step)

    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.RUNNING)
    try:
        report(2, "Reading the incidents")
        inputs = read_inputs(
            briefing.partnership, place, briefing.month, briefing.parameters
        )
        results = compute(inputs, briefing.parameters, briefing.seed, report)
    except BriefingError as e:
        briefing.status, briefing.message = Briefing.Status.FAILED, str(e)
        briefing.save(update_fields=["status", "message"])
        raise
    briefing.results = results
    briefing.data_months = results["data_months"]
    briefing.status, briefing.progress, briefing.step = Briefing.Status.DONE, 100, ""
    briefing.seconds = round(time.perf_counter() - started, 3)
    briefing.save(
        update_fields=[
            "results",
            "data_months",
            "status",
            "progress",
            "step",
            "seconds",
        ]
    )
    return briefing


def parameters_with_defaults(**given):
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise BriefingError(f"unknown briefing options: {', '.join(sorted(unknown))}")
    parameters = {**DEFAULTS, **{k: v for k, v in given.items() if v is not None}}
    for name in ("sources", "hotspot_sources", "hotspot_categories"):
        parameters[name] = list(dict.fromkeys(parameters[name]))
    if not 50 <= float(parameters["cell_size"]) <= 2000:
        raise BriefingError("the grid cell size must be from 50 to 2000 metres")
    return parameters
