"""Hotspots: areas from polygons and points on a grid (import from ``hotspot``)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import shapely

from csphub.analytics.hotspot_stats import getis_ord, local_moran
from csphub.analytics.hotspot_types import (
    DEFAULT_MAX_CELLS,
    WGS84_A,
    WGS84_E2,
    Areas,
    LocalGResult,
    LocalMoranResult,
    PointGrid,
)

# Areas from polygons


def area_neighbours(areas: Areas, *, rook: bool = False) -> dict[Hashable, list]:
    """Contiguity neighbours of ``(id, shapely polygon)`` pairs.

    Queen (default): areas are neighbours when they touch anywhere, even at a
    single corner or where a corner of one lies on an edge of the other
    (libpysal's vertex-based ``Queen`` needs a shared vertex). Rook: only when
    their boundaries share a line. Overlapping areas count as touching.
    Neighbour lists follow the order of ``areas``.
    """
    ids, geometries = _split_areas(areas)
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    left, right = left[left != right], right[left != right]
    if rook:
        shared = shapely.relate_pattern(
            geometries[left], geometries[right], "****1****"
        )
        left, right = left[shared], right[shared]
    neighbours: dict[Hashable, list] = {area_id: [] for area_id in ids}
    for a, b in sorted(zip(left.tolist(), right.tolist(), strict=True)):
        neighbours[ids[a]].append(ids[b])
    return neighbours


def _split_areas(areas: Areas) -> tuple[list, np.ndarray]:
    """Ids and polygon geometries, checked."""
    if not areas:
        raise ValueError("no areas given")
    ids = [area_id for area_id, _ in areas]
    if len(set(ids)) != len(ids):
        raise ValueError("area ids must be unique")
    geometries = np.array([geometry for _, geometry in areas], dtype=object)
    bad = [
        area_id
        for area_id, geometry in zip(ids, geometries, strict=True)
        if not isinstance(geometry, shapely.Geometry)
        or geometry.is_empty
        or geometry.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        raise ValueError(f"areas need non-empty shapely polygons; not so for {bad[:5]}")
    return ids, geometries


def _area_values(
    ids: list, values: Mapping[Hashable, float] | Sequence[float], default: Any
) -> dict[Hashable, float]:
    """Values in area order, from a mapping (missing: default) or a sequence."""
    if not isinstance(values, Mapping):
        if len(values) != len(ids):
            raise ValueError(f"got {len(values)} values for {len(ids)} areas")
        return dict(zip(ids, values, strict=True))
    known = set(ids)
    unknown = [key for key in values if key not in known]
    missing = [area_id for area_id in ids if area_id not in values]
    if unknown or (missing and default is None):
        raise ValueError(
            f"values must be keyed by the area ids; unknown {unknown[:5]}, "
            f"missing {missing[:5]}"
        )
    return {area_id: values.get(area_id, default) for area_id in ids}


def gi_star_areas(
    areas: Areas,
    counts: Mapping[Hashable, float] | Sequence[float],
    *,
    rook: bool = False,
    **options: Any,
) -> LocalGResult:
    """Gi* over polygons (e.g. LSOAs) with queen (or rook) contiguity.

    ``areas`` is a list of ``(id, shapely polygon)``; ``counts`` maps id to
    count (areas missing from it count 0) or lists counts in area order.
    ``options`` are the keyword arguments of ``getis_ord``.
    """
    neighbours = area_neighbours(areas, rook=rook)
    return getis_ord(_area_values(list(neighbours), counts, 0.0), neighbours, **options)


def local_moran_areas(
    areas: Areas,
    values: Mapping[Hashable, float] | Sequence[float],
    *,
    rook: bool = False,
    **options: Any,
) -> LocalMoranResult:
    """Local Moran's I over polygons with queen (or rook) contiguity.

    ``values`` gives every area a value, by id or in area order. ``options``
    are the keyword arguments of ``local_moran``.
    """
    neighbours = area_neighbours(areas, rook=rook)
    area_values = _area_values(list(neighbours), values, None)
    return local_moran(area_values, neighbours, **options)


# Points on a grid


def project_lonlat(
    lon: Sequence[float],
    lat: Sequence[float],
    *,
    origin: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude (WGS84 degrees) to local x/y in metres.

    A local equirectangular projection about ``origin`` (lon, lat; by default
    the centre of the points' bounding box), scaled by the WGS84 ellipsoid's
    radii of curvature at the origin. It is not the Ordnance Survey National
    Grid: there is no datum shift and cells do not line up with National Grid
    squares. Between points within 20 km of the origin in Great Britain,
    distances are within about 0.4 % of the ellipsoidal ones, ample for cells
    of 100 m or more. Longitudes must not cross the 180th meridian.
    """
    lons = np.asarray(lon, dtype=float).ravel()
    lats = np.asarray(lat, dtype=float).ravel()
    if lons.size == 0 or lons.shape != lats.shape:
        raise ValueError("lon and lat must be non-empty and of the same length")
    if not (np.all(np.abs(lons) <= 180) and np.all(np.abs(lats) <= 90)):
        raise ValueError("lon must be within +/-180 and lat within +/-90 degrees")
    if origin is None:
        origin = ((lons.min() + lons.max()) / 2, (lats.min() + lats.max()) / 2)
    phi = math.radians(origin[1])
    denominator = 1 - WGS84_E2 * math.sin(phi) ** 2
    prime_vertical = WGS84_A / math.sqrt(denominator)
    meridional = WGS84_A * (1 - WGS84_E2) / denominator**1.5
    x = prime_vertical * math.cos(phi) * np.radians(lons - origin[0])
    return x, meridional * np.radians(lats - origin[1])


def _coordinates(x: Sequence[float], y: Sequence[float]) -> tuple[Any, Any]:
    """Point coordinates as float arrays, checked."""
    xs = np.asarray(x, dtype=float).ravel()
    ys = np.asarray(y, dtype=float).ravel()
    if xs.size == 0 or xs.shape != ys.shape:
        raise ValueError("x and y must be non-empty and of the same length")
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        raise ValueError("x and y must be finite numbers")
    return xs, ys


def point_grid(
    x: Sequence[float],
    y: Sequence[float],
    cell_size: float,
    *,
    bounds: tuple[float, float, float, float] | None = None,
    rook: bool = False,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> PointGrid:
    """Count projected points (metres) on a grid of ``cell_size`` metre cells.

    The grid covers ``bounds`` (``x_min, y_min, x_max, y_max``; by default the
    points' bounding box) from the multiples of ``cell_size`` at or below the
    minima. Empty cells are kept; points outside ``bounds`` are an error, and
    points on the grid's top or right edge fall in the last cell.
    """
    xs, ys = _coordinates(x, y)
    if not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"cell_size must be a positive number, got {cell_size}")
    x_min, y_min, x_max, y_max = bounds or (xs.min(), ys.min(), xs.max(), ys.max())
    if not (x_min <= x_max and y_min <= y_max):
        raise ValueError(f"bounds must be (x_min, y_min, x_max, y_max), got {bounds}")
    outside = (xs < x_min) | (xs > x_max) | (ys < y_min) | (ys > y_max)
    if outside.any():
        raise ValueError(f"{int(outside.sum())} points lie outside bounds {bounds}")
    x_origin = math.floor(x_min / cell_size) * cell_size
    y_origin = math.floor(y_min / cell_size) * cell_size
    n_cols = max(1, math.ceil((x_max - x_origin) / cell_size))
    n_rows = max(1, math.ceil((y_max - y_origin) / cell_size))
    if n_cols * n_rows > max_cells:
        raise ValueError(
            f"a {n_cols} x {n_rows} grid exceeds max_cells={max_cells}; "
            "use a larger cell_size or smaller bounds"
        )
    cols = np.clip(np.floor((xs - x_origin) / cell_size), 0, n_cols - 1).astype(int)
    rows = np.clip(np.floor((ys - y_origin) / cell_size), 0, n_rows - 1).astype(int)
    counts = np.bincount(rows * n_cols + cols, minlength=n_cols * n_rows)
    return PointGrid(
        float(cell_size), float(x_origin), float(y_origin), n_cols, n_rows,
        rook, tuple(counts.tolist()),
    )  # fmt: skip


GRID_OPTIONS = ("bounds", "rook", "max_cells")  # point_grid's keyword arguments


def gi_star_points(
    x: Sequence[float], y: Sequence[float], cell_size: float, **options: Any
) -> LocalGResult:
    """Gi* of point counts on a regular grid; the result carries the grid.

    ``x``/``y`` are projected metres (``project_lonlat`` converts lon/lat).
    The grid comes from ``point_grid``; cells are ``(col, row)`` ids with
    queen (or rook) neighbours. ``options`` are the keyword arguments of
    ``point_grid`` (``bounds``, ``rook``, ``max_cells``) and of ``getis_ord``.
    """
    grid_options = {name: options.pop(name) for name in GRID_OPTIONS if name in options}
    grid = point_grid(x, y, cell_size, **grid_options)
    result = getis_ord(grid.count_by_cell(), grid.neighbours(), **options)
    return replace(result, grid=grid)
