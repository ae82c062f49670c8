"""A briefing's inputs: its parameters, the place and its units, and what
it reads from the database in a fixed number of grouped queries (read_inputs)."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import numpy as np
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.text import slugify

from csphub.analytics import hotspot
from csphub.lib.months import add_months, month_label
from csphub.places.models import Area, Zone

from .. import sources as data_sources
from ..models import HarmIndex, Incident

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
    recent = recent_months(months, has_data, parameters["hotspot_months"])
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


def recent_months(months, has_data, n):
    """The last n calendar months of the window that have data."""
    return [m for m, has in zip(months[-n:], has_data[-n:], strict=True) if has]


def _repeat_locations(incidents, months, has_data, parameters):
    """police.uk snap points with at least `repeat_min` incidents in the last
    `repeat_months` months: one grouped query."""
    recent = recent_months(months, has_data, parameters["repeat_months"])
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
