"""What the intelligence app can do: count and map incidents, prepare briefings.

Files are imported by the one pipeline in `loading` (`import_file`,
`import_data`, police.uk or a partner data set); partner data sets are set
up and flagged in `datasets.services`; `tasks` runs both in the background.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from shapely.geometry import shape

from csphub.analytics.hotspot import gi_star_areas
from csphub.lib.months import add_months
from csphub.places.models import Area, Zone

from .briefing import SEED, build, check_month, parameters_with_defaults
from .coverage import data_months
from .loading import import_data, import_file
from .models import Briefing, Incident
from .sources import briefing_sources

# Re-exported: other apps read months and import files from here.
__all__ = ["add_months", "data_months", "import_data", "import_file"]


def monthly_counts(partnership, *, zone=None, ward=None, months=None):
    """{category: [count or None, ...]} over `months` (default: every month).

    Counts come from one grouped query; a month with no file is None ("no
    data"), never 0, and a category absent in a month with data is 0.
    """
    calendar = data_months(partnership)
    if months is None:
        months = [m for m, _ in calendar]
    present = {m for m, has_data in calendar if has_data}
    incidents = Incident.objects.police_uk().filter(
        partnership=partnership, month__in=months
    )
    if zone is not None:
        incidents = incidents.filter(zone=zone)
    if ward is not None:
        incidents = incidents.filter(ward=ward)
    rows = incidents.values_list("category", "month").annotate(n=Count("pk"))
    found = {(category, month): n for category, month, n in rows}
    categories = sorted({category for category, _ in found})
    return {
        category: [
            found.get((category, m), 0) if m in present else None for m in months
        ]
        for category in categories
    }


@dataclass
class HeadlineCount:
    """One category's count in a month, against last year and the last 12 months."""

    category: str
    count: int | None
    last_year: int | None
    mean_12m: float | None


def headline_counts(partnership, month, **area):
    """Counts for `month` with the same month a year before and the mean of the
    12 months before it (months with no data left out of the mean)."""
    months = [add_months(month, -n) for n in range(12, -1, -1)]
    series = monthly_counts(partnership, months=months, **area)
    headlines = []
    for category, values in series.items():
        previous = [v for v in values[:-1] if v is not None]
        headlines.append(
            HeadlineCount(
                category=category,
                count=values[-1],
                last_year=values[0],
                mean_12m=round(sum(previous) / len(previous), 1) if previous else None,
            )
        )
    return sorted(headlines, key=lambda h: -(h.count or 0))


def lsoa_hotspots(partnership, months, *, category=None, seed=12345, permutations=999):
    """Getis-Ord Gi* over the borough's LSOAs for incidents in `months`.

    Binary queen contiguity from the LSOA boundaries; significant by the
    two-sided normal p-value of the z-score with FDR at 5%, the 999-permutation
    p_sim (recorded seed) as a check (METHODS.md 2.3, revised); LSOAs with no
    incidents count as 0. Returns the analytics result, whose areas are LSOA codes, or
    None when there is nothing to test (no boundaries, or every LSOA has the
    same count, such as none at all).
    """
    lsoas = list(
        Area.objects.lsoas()
        .filter(parent__parent_id=partnership.borough_id)
        .exclude(boundary=None)
        .values_list("pk", "code", "boundary")
        .order_by("code")
    )
    if not lsoas:
        return None
    incidents = Incident.objects.police_uk().filter(
        partnership=partnership, month__in=months
    )
    if category:
        incidents = incidents.filter(category=category)
    per_lsoa = dict(incidents.values_list("lsoa_id").annotate(n=Count("pk")).order_by())
    areas = [(code, shape(boundary)) for _, code, boundary in lsoas]
    counts = {code: per_lsoa.get(pk, 0) for pk, code, _ in lsoas}
    if len(set(counts.values())) < 2:
        return None
    return gi_star_areas(areas, counts, seed=seed, permutations=permutations)


def new_briefing(partnership, place, month, by, options):
    """A Briefing row for a place and month, not yet prepared; raises
    BriefingError when the month has no data."""
    seed = options.pop("seed", None)
    parameters = parameters_with_defaults(**options)
    check_month(partnership, month, parameters)  # BriefingError: no data
    return Briefing.objects.create(
        partnership=partnership,
        area=None if isinstance(place, Zone) else place,
        zone=place if isinstance(place, Zone) else None,
        month=month,
        created_by=by,
        seed=SEED if seed is None else seed,
        parameters=parameters,
    )


def build_briefing(partnership, area, month, *, by=None, progress=None, **options):
    """Prepare and store a briefing for an area (borough or ward Area, or Zone)
    and month, inline; returns the Briefing. Raises BriefingError (and keeps a
    failed Briefing) when the month has no data. `options` override
    briefing.DEFAULTS (cell_size, local_moran, ...) and may give a seed."""
    briefing = new_briefing(partnership, area, month, by, options)
    return build(briefing, progress=progress)


def filter_incidents(partnership, *, area="", **filters):
    """A partnership's incidents filtered as the incident list's form allows.

    `area` is a borough, ward or LSOA ONS code or `zone:SLUG`; `category`;
    `flag` (alcohol_related, hate_crime, repeat_victim); `from`/`to` YYYY-MM;
    `point` a (lat, lon) snap point; `box` (lon0, lat0, lon1, lat1); `ids`;
    `source` "police_uk" or a data set's slug. An area outside the partnership
    gives no incidents.
    """
    incidents = Incident.objects.filter(partnership=partnership)
    if area:
        incidents = incidents.filter(_area_filter(partnership, area))
    for name, value in filters.items():
        if value not in (None, "", []):
            incidents = incidents.filter(**INCIDENT_FILTERS[name](value))
    return incidents.order_by("-month", "category", "pk")


# filter name -> value -> queryset filter keywords
INCIDENT_FILTERS = {
    "category": lambda v: {"category": v},
    "flag": lambda v: {v: True} if v in FLAG_FIELDS else {},
    "from": lambda v: {"month__gte": v},  # the first day of a month
    "to": lambda v: {"month__lte": v},
    "point": lambda v: {"latitude": v[0], "longitude": v[1]},
    "box": lambda v: {
        "longitude__gte": v[0],
        "latitude__gte": v[1],
        "longitude__lt": v[2],
        "latitude__lt": v[3],
    },  # fmt: skip
    "ids": lambda v: {"pk__in": v},
    "source": lambda v: (
        {"data_set": None} if v == "police_uk" else {"data_set__slug": v}
    ),
}
FLAG_FIELDS = {"alcohol_related", "hate_crime", "repeat_victim"}


def _area_filter(partnership, code):
    if code.startswith("zone:"):
        return Q(ward__zones__partnership=partnership, ward__zones__slug=code[5:])
    if code == partnership.borough.code:
        return Q()
    return Q(lsoa__code=code) | Q(ward__code=code)


HOTSPOT_KEYS = ("lsoa", "z", "p", "p_sim", "significant")


def briefing_json(briefing):
    """A stored briefing in the JSON shape of `manage.py briefing --format json`.

    `area` is the code the command takes (ONS code or zone:SLUG); trends are
    the flagged ones, ranked by excess; hotspots are the area's LSOAs with
    their Gi* z-score, its two-sided normal p-value `p` (what `significant`,
    after FDR at 5%, is decided on; null in briefings made before that rule),
    the permutation `p_sim` and `p_sim_exceeds_alpha` (significant, yet p_sim
    above 0.05); `near_repeat` is null for police.uk data, which has no dates.
    `sources` lists the data sets used (key and name); each count, trend and
    hotspot has its `source` (a key; a hotspot's is its run's keys joined by
    "+"), `harm` the weights a hotspot run was weighted by (or null), and
    `repeat_victims` counts only (never a victim reference), or null.
    Briefings made before issue 19 used police.uk alone.
    """
    r = briefing.results
    trend_keys = ["area", "category", "observed", "expected", "excess", "signal"]
    trend_keys.append("q_value")
    police = "police_uk"
    return {
        "area": r["area"]["code"],
        "month": r["month"],
        "data_months": r["data_months"],
        "sources": briefing_sources(r),
        "counts": [
            {k: c[k] for k in ("category", "count", "last_year", "mean_12m")}
            | {"source": c.get("source", police)}
            for c in r["counts"]
        ],
        "trends": [
            {k: t[k] for k in trend_keys} | {"source": t.get("source", police)}
            for t in r["trends"]
        ],
        "hotspots": [
            {k: h.get(k) for k in HOTSPOT_KEYS}
            | {"p_sim_exceeds_alpha": h.get("p_sim_exceeds_alpha", False)}
            | {"source": h.get("source", police)}
            | ({"harm": h["harm"]} if "harm" in h else {})
            for h in r["hotspots"]
        ],
        "hotspot_categories": r.get("hotspot_categories", []),
        "harm": r.get("harm"),
        "repeat_locations": r["repeat_locations"],
        "near_repeat": r["near_repeat"],
        "repeat_victims": r.get("repeat_victims"),
    }
