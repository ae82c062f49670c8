"""Repeat locations: places with at least N incidents in the last M months.

police.uk publishes each crime at an anonymised "snap point" (a street, a
station, a car park) shared by all crimes there, so incidents with the same
coordinates are the same place. ``repeat_locations`` groups incidents by:

* a location key, when an incident has one (a snap point id, a UPRN, an
  address key): the same key is the same place, exactly; or
* its coordinates: the same x/y is the same place, and with ``tolerance`` > 0
  points closer than that are snapped together (for the same snap point
  written with different rounding, or partner data geocoded a few metres
  apart). Snapping is "leader" clustering that cannot chain: the most used
  point (then the lowest x, then y) takes every unclaimed point within the
  tolerance, then the next, and so on; the place sits at its leader.

Coordinates should be projected (metres) for a tolerance in metres; lon/lat
can be projected with ``hotspot.project_lonlat``. With ``tolerance=0`` any
coordinates work, lon/lat included.

Only incidents in the window ``[until - months + 1, until]`` count (``until``
defaults to the latest month among the incidents). Places with at least
``min_count`` of them are listed, most incidents first, then the most
recently active, then by first appearance, with counts per category and per
month. Incidents without a location (police.uk publishes some) are counted
and left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
from scipy.spatial import cKDTree

from csphub.analytics.records import record_fields

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")


class Incident(NamedTuple):
    """One incident for ``repeat_locations``.

    ``month``: ``"YYYY-MM"``, an ISO date, a date/datetime or ``(year,
    month)``. Give ``x``/``y`` or a ``location`` key (or neither: no
    location). ``label`` names the place for people, e.g. police.uk's "On or
    near Station Road". Mappings with these keys work as well.
    """

    id: Hashable
    month: Any
    category: str = ""
    x: float | None = None
    y: float | None = None
    location: Hashable | None = None
    label: str = ""


@dataclass(frozen=True)
class RepeatLocation:
    """A place with its incidents in the window.

    ``key`` is the location key (None for a place found by coordinates);
    ``x``/``y`` its point (the leader's, for snapped coordinates; None for a
    key). ``label`` is the most common label among its incidents.
    ``categories`` and ``by_month`` are ``(name, count)``, categories by count
    (then name), months in order; ``points`` counts the distinct coordinates
    snapped into it.
    """

    rank: int
    key: Hashable | None
    x: float | None
    y: float | None
    label: str
    count: int
    incident_ids: tuple[Hashable, ...]
    categories: tuple[tuple[str, int], ...]
    by_month: tuple[tuple[str, int], ...]
    first_month: str
    last_month: str
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **record_fields(self, "rank key x y label count"),
            "incident_ids": list(self.incident_ids),
            "categories": [{"category": c, "count": n} for c, n in self.categories],
            "by_month": [{"month": m, "count": n} for m, n in self.by_month],
            **record_fields(self, "first_month last_month points"),
        }


@dataclass(frozen=True)
class RepeatLocations:
    """Repeat locations, ranked, with the settings and what was left out.

    ``from_month``/``until_month`` bound the window (None when there were no
    incidents). ``considered`` incidents fell in the window with a location;
    ``outside_window`` and ``without_location`` were left out.
    """

    locations: tuple[RepeatLocation, ...]
    min_count: int
    months: int
    from_month: str | None
    until_month: str | None
    tolerance: float
    considered: int
    outside_window: int
    without_location: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **record_fields(
                self,
                "min_count months from_month until_month tolerance",
                "considered outside_window without_location",
            ),
            "locations": [location.to_dict() for location in self.locations],
        }


def month_index(value: Any) -> int:
    """A month as ``year * 12 + month - 1``; ValueError if it is not one."""
    if isinstance(value, dt.date):  # datetimes too
        return value.year * 12 + value.month - 1
    if isinstance(value, tuple) and len(value) == 2:
        year, month = value
    elif isinstance(value, str) and (match := MONTH_PATTERN.match(value.strip())):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        raise ValueError(f"not a month (YYYY-MM or a date): {value!r}")
    if not (isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12):
        raise ValueError(f"not a month (YYYY-MM or a date): {value!r}")
    return year * 12 + month - 1


def month_name(index: int) -> str:
    """``YYYY-MM`` of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _field(incident: Any, name: str, default: Any = None) -> Any:
    if isinstance(incident, Mapping):
        return incident.get(name, default)
    return getattr(incident, name, default)


@dataclass
class _Row:
    order: int
    id: Hashable
    month: int
    category: str
    label: str
    place: Any  # ("key", key) or ("xy", x, y)


def _place(incident: Any, where: str) -> tuple | None:
    key = _field(incident, "location")
    x, y = _field(incident, "x"), _field(incident, "y")
    if key is not None and key != "":
        return ("key", key)
    if x is None and y is None:
        return None
    if x is None or y is None:
        raise ValueError(f"{where}: give both x and y, or neither")
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: x and y must be numbers") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{where}: x and y must be finite")
    return ("xy", x, y)


def _rows(incidents: Iterable[Any]) -> tuple[list[_Row], int]:
    rows, without = [], 0
    for index, incident in enumerate(incidents):
        identifier = _field(incident, "id", index)
        where = f"incident {identifier!r}"
        try:
            month = month_index(_field(incident, "month"))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        place = _place(incident, where)
        if place is None:
            without += 1
            continue
        category = str(_field(incident, "category", "") or "")
        label = str(_field(incident, "label", "") or "")
        rows.append(_Row(index, identifier, month, category, label, place))
    return rows, without


def _snap(points: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Leader of each distinct point, and the distinct points themselves."""
    unique, inverse, counts = np.unique(
        points, axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.ravel()
    leader = np.arange(len(unique))
    if tolerance > 0 and len(unique) > 1:
        leader[:] = -1
        tree = cKDTree(unique)
        for k in np.lexsort((unique[:, 1], unique[:, 0], -counts)):
            if leader[k] >= 0:
                continue
            near = np.asarray(tree.query_ball_point(unique[k], tolerance), dtype=int)
            near = near[leader[near] < 0]
            leader[near] = k
            leader[k] = k
    return leader[inverse], unique


def _groups(rows: list[_Row], tolerance: float) -> dict[Any, list[_Row]]:
    groups: dict[Any, list[_Row]] = {}
    xy_rows = [row for row in rows if row.place[0] == "xy"]
    if xy_rows:
        points = np.array([row.place[1:] for row in xy_rows], dtype=np.float64)
        leaders, unique = _snap(points, tolerance)
        for row, leader in zip(xy_rows, leaders, strict=True):
            place = ("xy", float(unique[leader, 0]), float(unique[leader, 1]))
            groups.setdefault(place, []).append(row)
    for row in rows:
        if row.place[0] == "key":
            groups.setdefault(row.place, []).append(row)
    return groups


def _location(place: tuple, members: list[_Row]) -> RepeatLocation:
    categories = Counter(row.category for row in members)
    months = Counter(row.month for row in members)
    labels = Counter(row.label for row in members if row.label)
    is_key = place[0] == "key"
    return RepeatLocation(
        rank=0,
        key=place[1] if is_key else None,
        x=None if is_key else place[1],
        y=None if is_key else place[2],
        label=min(labels, key=lambda name: (-labels[name], name)) if labels else "",
        count=len(members),
        incident_ids=tuple(row.id for row in members),
        categories=tuple(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_month=tuple((month_name(m), n) for m, n in sorted(months.items())),
        first_month=month_name(min(months)),
        last_month=month_name(max(months)),
        points=len({row.place for row in members}),
    )


def _check(min_count: int, months: int, tolerance: float) -> None:
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 2:
        raise ValueError(f"min_count must be a whole number >= 2, got {min_count!r}")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(f"months must be a whole number >= 1, got {months!r}")
    if not (
        isinstance(tolerance, int | float)
        and math.isfinite(tolerance)
        and tolerance >= 0
    ):
        raise ValueError(f"tolerance must be a number >= 0, got {tolerance!r}")


def repeat_locations(
    incidents: Sequence[Incident | Mapping[str, Any]] | Iterable[Any],
    *,
    min_count: int = 3,
    months: int = 12,
    until: Any = None,
    tolerance: float = 0.0,
) -> RepeatLocations:
    """Places with at least ``min_count`` incidents in the last ``months`` months.

    ``incidents``: ``Incident`` tuples or mappings with the same keys (e.g.
    ``QuerySet.values(...)``). ``until``: the last month of the window
    (``"YYYY-MM"`` or a date); by default the latest month among the
    incidents. ``tolerance``: snap coordinates closer than this together (in
    the coordinates' units; 0 = exactly the same point only). Raises
    ValueError naming the incident for a bad month or half a coordinate.
    """
    _check(min_count, months, tolerance)
    rows, without = _rows(incidents)
    if not rows:
        return RepeatLocations(
            (), min_count, months, None, None, float(tolerance), 0, 0, without
        )
    last = max(row.month for row in rows) if until is None else month_index(until)
    first = last - months + 1
    kept = [row for row in rows if first <= row.month <= last]
    located = [
        (min(row.order for row in members), _location(place, members))
        for place, members in _groups(kept, tolerance).items()
        if len(members) >= min_count
    ]
    # Most incidents, then most recently active, then first seen in the input.
    ranked = sorted(
        located,
        key=lambda pair: (-pair[1].count, -month_index(pair[1].last_month), pair[0]),
    )
    return RepeatLocations(
        locations=tuple(
            replace(location, rank=rank) for rank, (_, location) in enumerate(ranked, 1)
        ),
        min_count=min_count,
        months=months,
        from_month=month_name(first),
        until_month=month_name(last),
        tolerance=float(tolerance),
        considered=len(kept),
        outside_window=len(rows) - len(kept),
        without_location=without,
    )
