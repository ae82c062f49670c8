"""The data sets a briefing's trends and hotspots run on (issue 19).

A source is police.uk street-level crime, one partner data set (a council ASB
log, a fire service's secondary fires), or a source another app registers in
`hooks` (residents' reports). A briefing runs on a chosen mix, each series
keeping its source so the page, PDF and JSON name it. Incidents flagged
alcohol-related or hate crime are counted again as their own series.

Every read here is one grouped query per kind of source; nothing is stored.
"""

from dataclasses import asdict, dataclass

import numpy as np
from django.db.models import Count, Q

from csphub.lib.months import add_months, first_of_month, months_between

from . import counts as incident_counts
from .coverage import coverage
from .hooks import incident_sources
from .models import DataSet, Incident, SourceFile

POLICE_UK = "police_uk"
POLICE_UK_NAME = "data.police.uk street-level crime and ASB"
# Incident flag -> the name of its own series in a briefing and a KPI.
FLAG_SERIES = {
    "alcohol_related": "Alcohol-related (flagged)",
    "hate_crime": "Hate crime (flagged)",
}


class UnknownSource(ValueError):
    """A source key that is not one of the partnership's sources."""


@dataclass(frozen=True)
class Source:
    """One data set a briefing can run on."""

    key: str
    name: str
    organisation: str
    kind: str  # "police_uk", "dataset" or "app"
    data_set_id: int | None = None

    def as_json(self):
        data = asdict(self)
        data.pop("data_set_id")
        data["synthetic"] = "synthetic" in self.name.lower()
        return data


def available_sources(partnership):
    """Every source with data for the partnership: police.uk, its partner data
    sets (in name order), then the other apps' sources (two queries, plus one
    each for the other apps' sources)."""
    found = []
    if SourceFile.objects.filter(
        partnership=partnership, source=SourceFile.Source.POLICE_UK
    ).exists():
        found.append(Source(POLICE_UK, POLICE_UK_NAME, "data.police.uk", "police_uk"))
    for pk, slug, name, organisation in (
        DataSet.objects.filter(partnership=partnership, files__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("pk", "slug", "name", "organisation__name")
    ):
        found.append(Source(slug, name, organisation, "dataset", pk))
    for hooked in incident_sources():
        if hooked.months(partnership):
            found.append(Source(hooked.key, hooked.name, hooked.organisation, "app"))
    return found


def resolve_sources(partnership, keys):
    """The Sources of `keys` (police.uk alone when none), in the order
    available_sources gives; UnknownSource names a key with no data."""
    if not keys:  # the default: police.uk, with data or not (the window says)
        return [Source(POLICE_UK, POLICE_UK_NAME, "data.police.uk", "police_uk")]
    keys = list(dict.fromkeys(keys))
    available = {s.key: s for s in available_sources(partnership)}
    unknown = [k for k in keys if k not in available]
    if unknown:
        names = ", ".join(available) or "none"
        raise UnknownSource(
            f"no data set {', '.join(map(repr, unknown))} with data in"
            f" {partnership}; the sources are {names}"
        )
    return [s for k, s in available.items() if k in keys]


def source_months(partnership, sources):
    """{source key: set of months with data}: police.uk files' months, a data
    set's files' whole months, another app's own months."""
    wanted = {s.key for s in sources}
    months = {s.key: set() for s in sources}
    if POLICE_UK in wanted:
        months[POLICE_UK] = set(
            SourceFile.objects.filter(
                partnership=partnership, source=SourceFile.Source.POLICE_UK
            ).values_list("month", flat=True)
        )
    slugs = {s.data_set_id: s.key for s in sources if s.kind == "dataset"}
    for data_set_id, first, last in SourceFile.objects.filter(
        data_set_id__in=slugs
    ).values_list("data_set_id", "month", "last_month"):
        months[slugs[data_set_id]].update(months_between(first, last or first))
    for hooked in incident_sources():
        if hooked.key in wanted:
            months[hooked.key] = set(hooked.months(partnership))
    return months


def calendar(months_by_source):
    """[(month, has data)] over the union of the sources' months."""
    return coverage((m, None) for months in months_by_source.values() for m in months)


def _incidents(partnership, sources):
    """The partnership's incidents from the chosen police.uk and data sets."""
    data_set_ids = [s.data_set_id for s in sources if s.kind == "dataset"]
    where = Q(data_set_id__in=data_set_ids)
    if any(s.kind == "police_uk" for s in sources):
        where |= Q(data_set=None)
    return Incident.objects.filter(partnership=partnership).filter(where)


def _key_of(sources):
    by_id = {s.data_set_id: s.key for s in sources if s.kind == "dataset"}
    by_id[None] = POLICE_UK
    return by_id


def read_series(partnership, sources, ward_ids, months):
    """(source key, ward id, category, month, n) rows of the chosen sources in
    the wards and months, with each flag's own series (FLAG_SERIES) per source:
    one grouped query for the incidents, one per other app's source."""
    rows = []
    key_of = _key_of(sources)
    if any(s.kind == "police_uk" for s in sources):
        # Counted at import (counts.py), so a borough's years are not scanned;
        # police.uk carries no alcohol or hate flags.
        rows += [
            (POLICE_UK, ward_id, category, month, n)
            for ward_id, category, month, n in incident_counts.ward_month_counts(
                partnership, months, ward_ids
            )
        ]
    data_sets = [s for s in sources if s.kind == "dataset"]
    if data_sets:
        grouped = (
            _incidents(partnership, data_sets)
            .filter(month__in=months, ward_id__in=ward_ids)
            .values_list("data_set_id", "ward_id", "category", "month")
            .annotate(
                n=Count("pk"),
                **{flag: Count("pk", filter=Q(**{flag: True})) for flag in FLAG_SERIES},
            )
            .order_by()
        )
        for data_set_id, ward_id, category, month, n, *flags in grouped:
            key = key_of[data_set_id]
            rows.append((key, ward_id, category, month, n))
            for name, count in zip(FLAG_SERIES.values(), flags, strict=True):
                if count:
                    rows.append((key, ward_id, name, month, count))
    for hooked in incident_sources():
        if any(s.key == hooked.key for s in sources):
            rows += [
                (hooked.key, ward_id, category, first_of_month(month), n)
                for ward_id, category, month, n in hooked.counts(
                    partnership, ward_ids, months
                )
            ]
    return rows


def read_lsoa_counts(partnership, sources, months, categories=(), by_category=True):
    """(source key, lsoa id, category, n) of the chosen sources in the months,
    only `categories` when given (flag series included: "Alcohol-related
    (flagged)" counts the flagged incidents). Without `by_category` (no harm
    weights), police.uk's counts come from the import's LSOA counts with ""
    for the category."""
    key_of = _key_of(sources)
    flags = {name: flag for flag, name in FLAG_SERIES.items()}
    chosen = set(categories)
    rows = []
    counted = not chosen and not by_category
    if counted and any(s.kind == "police_uk" for s in sources):
        rows += [
            (POLICE_UK, lsoa_id, "", n)
            for lsoa_id, n in incident_counts.lsoa_counts(partnership, months).items()
        ]
        sources = [s for s in sources if s.kind != "police_uk"]
    if any(s.kind != "app" for s in sources):
        incidents = _incidents(partnership, sources).filter(month__in=months)
        if chosen and not chosen & set(flags):
            incidents = incidents.filter(category__in=chosen)
        grouped = (
            incidents.values_list("data_set_id", "lsoa_id", "category")
            .annotate(
                n=Count("pk"),
                **{f: Count("pk", filter=Q(**{f: True})) for f in FLAG_SERIES},
            )
            .order_by()
        )
        for data_set_id, lsoa_id, category, n, *flagged in grouped:
            key = key_of[data_set_id]
            if not chosen or category in chosen:
                rows.append((key, lsoa_id, category, n))
            for name, count in zip(FLAG_SERIES.values(), flagged, strict=True):
                if count and name in chosen:
                    rows.append((key, lsoa_id, name, count))
    for hooked in incident_sources():
        if any(s.key == hooked.key for s in sources):
            rows += [
                (hooked.key, lsoa_id, category, n)
                for lsoa_id, category, n in hooked.lsoa_counts(partnership, months)
                if not chosen or category in chosen
            ]
    return rows


def read_points(partnership, sources, ward_ids, months, categories=()):
    """(n, 2) lon, lat of the chosen incidents (police.uk and data sets) in the
    wards and months, for the grid."""
    incidents = _incidents(partnership, sources).filter(
        month__in=months, ward_id__in=ward_ids
    )
    chosen = [c for c in categories if c not in FLAG_SERIES.values()]
    if categories:
        incidents = incidents.filter(category__in=chosen)
    return np.array(
        list(
            incidents.exclude(longitude=None)
            .values_list("longitude", "latitude")
            .order_by()
        ),
        dtype=float,
    ).reshape(-1, 2)


def read_victims(partnership, sources, ward_ids, first, last):
    """(source key, victim key, day, ward id) of the chosen data sets'
    incidents carrying a victim or household hash, from `first` to `last`
    (months): one query. The keys are compared in the briefing and never
    stored in it."""
    data_sets = [s for s in sources if s.kind == "dataset"]
    if not data_sets:
        return []
    key_of = _key_of(data_sets)
    return [
        (key_of[data_set_id], victim, day, ward_id)
        for data_set_id, victim, day, ward_id in Incident.objects.filter(
            partnership=partnership,
            data_set_id__in=[s.data_set_id for s in data_sets],
            ward_id__in=ward_ids,
            month__gte=first,
            month__lte=last,
        )
        .exclude(victim_key="")
        .exclude(occurred_on=None)
        .values_list("data_set_id", "victim_key", "occurred_on", "ward_id")
        .order_by("occurred_on", "pk")
    ]


def last_months(month, n):
    """The n months ending at `month`, oldest first."""
    return [add_months(month, k) for k in range(1 - n, 1)]


def category_names(partnership):
    """Every category the partnership's incidents have, sorted (one query)."""
    return list(
        Incident.objects.filter(partnership=partnership)
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )


def briefing_sources(results):
    """The data sets a stored briefing used, as {key, name, organisation, kind,
    synthetic} (police.uk alone for a briefing made before issue 19)."""
    return results.get("sources") or [
        {
            "key": POLICE_UK,
            "name": POLICE_UK_NAME,
            "organisation": "data.police.uk",
            "kind": "police_uk",
            "synthetic": False,
        }
    ]
