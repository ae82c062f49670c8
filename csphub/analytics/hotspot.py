"""Hotspots: Getis-Ord Gi* and local Moran's I through PySAL esda, with FDR.

The statistics are computed by esda 2.9.0 and libpysal 4.14.1 as in section 2
of the analytics reference ``METHODS.md``; this module builds the weights, calls
esda and returns per-area results:

* ``getis_ord``: local Gi* (``star=True``, the default) or Gi. The platform
  convention is Gi* with **binary** weights (``transform="B"``), whose z-score
  is the general Ord & Getis (1995) one; esda's row-standardised default
  (``transform="R"``) gives other z-scores and is kept to reproduce esda.
* ``local_moran``: local Moran's I with quadrants HH, LH, LL and HL.
* ``global_g``, ``global_moran``: the global statistics.
* ``fdr_cutoff``: ``esda.fdr`` (Benjamini-Hochberg, Bonferroni if nothing
  passes). An area is significant when its p-value is at most the cut-off at
  ``alpha`` (5 %) over all areas that have neighbours.

Gi* significance (METHODS.md 2.3, revised) is decided as ArcGIS's Hot Spot
Analysis decides it with its false discovery rate option: the two-sided normal
p-value of the z-score, ``p = 2 * norm.sf(|zs|)``, corrected by ``fdr_cutoff``
over all areas of the run. A 999-permutation pseudo p-value cannot be used for
this: its floor of 1/1000 is above the 0.05/n that Benjamini-Hochberg needs of
the smallest p-value over a borough's n areas. The permutation ``p_sim`` is
kept beside it as a check, and an area significant by ``p`` whose ``p_sim``
exceeds ``alpha`` is marked (``p_sim_exceeds_alpha``). Local Moran's I has no
such analytic p-value here, so its significance stays by permutation.

Permutations (999 by default) use a fixed seed recorded in the result, so a
run repeats exactly with the same esda version. ``p_sim`` is esda's "directed"
(folded) pseudo p-value, the smaller tail, given exactly as
``(larger + 1) / (permutations + 1)`` (esda holds it as float32). esda seeds
numpy's global random state; the caller's state is restored.

The low-level functions take ``values`` (area id to value; their order fixes
the order of the random draws) and ``neighbours`` (area id to its neighbours'
ids, weights 1). The conveniences build neighbours from polygons
(``area_neighbours``, ``gi_star_areas``, ``local_moran_areas``) or count points
on a grid (``point_grid``, ``gi_star_points``; ``project_lonlat`` for lon/lat).

An area without neighbours (an island) is not tested: its z-score and p-values
are NaN, it is left out of the FDR count and never significant.

esda and libpysal are imported on first use: they pull in geopandas, which
takes seconds.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely

DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345
DEFAULT_ALPHA = 0.05
DEFAULT_MAX_CELLS = 100_000
MAX_SEED = 2**32 - 1

HOT = "hot"
COLD = "cold"
NOT_SIGNIFICANT = "not_significant"

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
GI_BIN_THRESHOLDS = ((2.576, 3), (1.96, 2), (1.645, 1))

WGS84_A = 6_378_137.0
WGS84_E2 = 6.694379990141317e-3

QUEEN_OFFSETS = ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))
ROOK_OFFSETS = ((0, -1), (-1, 0), (1, 0), (0, 1))

Areas = Sequence[tuple[Hashable, Any]]
Neighbours = Mapping[Hashable, Sequence[Hashable]]


# LocalG and LocalMoran are filled positionally by _records: id, the float
# fields, n_neighbours, island, then the rest. Keep that field order.


@dataclass(frozen=True)
class LocalG:
    """Getis-Ord Gi or Gi* of one area or grid cell.

    ``gs``, ``egs``, ``vgs`` and ``zs`` are esda's statistic, expectation,
    variance and z-score; ``p_norm`` is one-sided, ``norm.sf(|zs|)``, and
    ``p`` two-sided, ``2 * p_norm``: the p-value the FDR correction uses.
    ``gi_bin`` is the uncorrected ArcGIS-style bin, +/-3, 2, 1 for |zs| at
    least 2.576, 1.96, 1.645 (99, 95, 90 %), else 0. ``classification`` is
    ``hot``, ``cold`` or ``not_significant`` after FDR, by the sign of ``zs``.
    ``p_sim_exceeds_alpha`` marks a significant area whose permutation
    ``p_sim`` is above ``alpha`` (the check does not confirm it).
    """

    id: Hashable
    count: float
    gs: float
    egs: float
    vgs: float
    zs: float
    p_norm: float
    p: float
    p_sim: float
    z_sim: float
    p_z_sim: float
    n_neighbours: int
    island: bool
    gi_bin: int
    classification: str
    p_sim_exceeds_alpha: bool


@dataclass(frozen=True)
class LocalMoran:
    """Local Moran's I of one area.

    ``z`` is the value standardised with the population sd, ``lag`` its
    spatial lag, ``i`` the statistic; ``ei``/``vi`` are its moments under total
    randomisation and ``eic``/``vic`` under conditional randomisation (Sokal et
    al. 1998). ``quadrant`` is HH, LH, LL or HL (value, then lag; ``None`` for
    an island); ``cluster`` is the quadrant if significant after FDR, else
    ``not_significant``.
    """

    id: Hashable
    value: float
    z: float
    lag: float
    i: float
    ei: float
    vi: float
    eic: float
    vic: float
    p_sim: float
    z_sim: float
    p_z_sim: float
    n_neighbours: int
    island: bool
    quadrant: str | None
    cluster: str


@dataclass(frozen=True)
class LocalGResult:
    """Gi or Gi* of every area, with the settings that produced it.

    ``p_value`` names the p-value FDR used: ``p``, the two-sided normal
    p-value of the z-score (METHODS.md 2.3, revised), with or without
    permutations. ``fdr_cutoff`` is ``None`` when every area is an island.
    ``grid`` is set when the areas are the cells of a ``PointGrid``.
    """

    areas: tuple[LocalG, ...]
    star: bool
    transform: str
    permutations: int
    seed: int | None
    alpha: float
    p_value: str
    fdr_cutoff: float | None
    grid: PointGrid | None = None

    def by_id(self) -> dict[Hashable, LocalG]:
        """The areas keyed by id."""
        return {area.id: area for area in self.areas}

    @property
    def hot_spots(self) -> tuple[Hashable, ...]:
        """Ids of the areas classified hot."""
        return tuple(area.id for area in self.areas if area.classification == HOT)

    @property
    def cold_spots(self) -> tuple[Hashable, ...]:
        """Ids of the areas classified cold."""
        return tuple(area.id for area in self.areas if area.classification == COLD)


@dataclass(frozen=True)
class LocalMoranResult:
    """Local Moran's I of every area, with the settings that produced it."""

    areas: tuple[LocalMoran, ...]
    transformation: str
    permutations: int
    seed: int | None
    alpha: float
    fdr_cutoff: float | None

    def by_id(self) -> dict[Hashable, LocalMoran]:
        """The areas keyed by id."""
        return {area.id: area for area in self.areas}


@dataclass(frozen=True)
class GlobalG:
    """Global Getis-Ord G (binary weights); ``p_norm``/``p_z_sim`` one-sided."""

    g: float
    eg: float
    vg: float
    z_norm: float
    p_norm: float
    p_sim: float
    z_sim: float
    p_z_sim: float
    permutations: int
    seed: int | None


@dataclass(frozen=True)
class GlobalMoran:
    """Global Moran's I; ``p_norm``, ``p_rand`` and ``p_z_sim`` are one-tailed.

    ``vi_norm``/``vi_rand`` are the variances under normality and under
    randomisation. Double a one-tailed p-value for the two-tailed one.
    """

    i: float
    ei: float
    vi_norm: float
    vi_rand: float
    z_norm: float
    z_rand: float
    p_norm: float
    p_rand: float
    p_sim: float
    z_sim: float
    p_z_sim: float
    transformation: str
    permutations: int
    seed: int | None


@dataclass(frozen=True)
class PointGrid:
    """Points counted on a grid of square cells of ``cell_size`` metres.

    Cell ``(col, row)`` starts at ``x_origin + col * cell_size``,
    ``y_origin + row * cell_size``. The origin is a multiple of the cell size,
    so with British National Grid coordinates the cells are National Grid
    squares. ``counts`` holds every cell, empty ones too, row by row from the
    south-west. Cells sharing an edge or a corner are neighbours (queen), or
    only those sharing an edge with ``rook=True``.
    """

    cell_size: float
    x_origin: float
    y_origin: float
    n_cols: int
    n_rows: int
    rook: bool
    counts: tuple[int, ...]

    @property
    def cells(self) -> tuple[tuple[int, int], ...]:
        """All cell ids ``(col, row)``, in the order of ``counts``."""
        return tuple((c, r) for r in range(self.n_rows) for c in range(self.n_cols))

    def count_by_cell(self) -> dict[tuple[int, int], int]:
        """Number of points per cell, in grid order."""
        return dict(zip(self.cells, self.counts, strict=True))

    def cell_bounds(self, cell: tuple[int, int]) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)`` of a cell, in metres."""
        x_min = self.x_origin + cell[0] * self.cell_size
        y_min = self.y_origin + cell[1] * self.cell_size
        return (x_min, y_min, x_min + self.cell_size, y_min + self.cell_size)

    def neighbours(self) -> dict[tuple[int, int], list[tuple[int, int]]]:
        """Queen (or rook) neighbours of every cell."""
        offsets = ROOK_OFFSETS if self.rook else QUEEN_OFFSETS
        return {
            (c, r): [
                (c + dc, r + dr)
                for dc, dr in offsets
                if 0 <= c + dc < self.n_cols and 0 <= r + dr < self.n_rows
            ]
            for c, r in self.cells
        }


# Input checks and esda plumbing


def _check_run_options(permutations: int, seed: int | None, alpha: float) -> int | None:
    """Validate the shared options; the seed to record (None without permutations).

    A seed is drawn when none is given, so that every run can be repeated.
    """
    if isinstance(permutations, bool) or not isinstance(permutations, int):
        raise TypeError(f"permutations must be an integer, got {permutations!r}")
    if permutations < 0:
        raise ValueError(f"permutations must be 0 or more, got {permutations}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if seed is None:
        seed = int(np.random.default_rng().integers(0, MAX_SEED))
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1, got {seed!r}")
    return seed if permutations else None


def _check_transform(transform: str) -> str:
    """Binary ("B") or row-standardised ("R") weights."""
    if not isinstance(transform, str) or transform.upper() not in ("B", "R"):
        raise ValueError(f'transform must be "B" or "R", got {transform!r}')
    return transform.upper()


def _neighbour_rows(ids: list[Hashable], neighbours: Neighbours) -> list[list[int]]:
    """Neighbour lists as positions in ``ids``, checked for consistency."""
    index = {area_id: k for k, area_id in enumerate(ids)}
    missing = [area_id for area_id in ids if area_id not in neighbours]
    extra = [area_id for area_id in neighbours if area_id not in index]
    if missing or extra:
        raise ValueError(
            "neighbours must have one entry per area (an empty list for an area "
            f"without neighbours); missing {missing[:5]}, unknown {extra[:5]}"
        )
    rows = []
    for area_id in ids:
        listed = list(neighbours[area_id])
        unknown = [other for other in listed if other not in index]
        if unknown or area_id in listed or len(set(listed)) != len(listed):
            raise ValueError(
                f"neighbours of {area_id!r} must be distinct other areas, "
                f"got {listed!r}"
            )
        rows.append([index[other] for other in listed])
    return rows


def _prepare(
    values: Mapping[Hashable, float], neighbours: Neighbours, minimum: int
) -> tuple[list[Hashable], np.ndarray, list[list[int]]]:
    """Ids in order, values as floats and neighbour positions."""
    if not isinstance(values, Mapping) or not isinstance(neighbours, Mapping):
        raise TypeError("values and neighbours must be mappings keyed by area id")
    if not values:
        raise ValueError("no areas given: values is empty")
    if len(values) < minimum:
        raise ValueError(f"at least {minimum} areas are needed, got {len(values)}")
    ids = list(values)
    y = np.array([values[area_id] for area_id in ids], dtype=float)
    if not np.all(np.isfinite(y)):
        raise ValueError("values must be finite numbers")
    if np.all(y == y[0]):
        raise ValueError("all values are equal, so the statistic is undefined")
    return ids, y, _neighbour_rows(ids, neighbours)


def _weights(rows: list[list[int]]) -> Any:
    """A fresh binary libpysal ``W`` over positions ``0..n-1``."""
    from libpysal.weights import W

    ids = list(range(len(rows)))
    return W(dict(enumerate(rows)), id_order=ids, silence_warnings=True)


@contextmanager
def _esda_call(seed: int | None = None) -> Iterator[None]:
    """Silence esda's known warnings; restore numpy's global random state."""
    state = np.random.get_state()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The alternative hypothesis")
            warnings.filterwarnings("ignore", message="The weights matrix is not")
            warnings.filterwarnings("ignore", message=r"Gi\* requested")
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="esda")
            if seed is not None:
                np.random.seed(seed)
            yield
    finally:
        np.random.set_state(state)


def _local_simulations(
    esda_result: Any, islands: np.ndarray, permutations: int
) -> list[np.ndarray]:
    """``p_sim``, ``z_sim`` and ``p_z_sim``; NaN for islands and if not run/kept."""
    nan = np.full(islands.shape, np.nan)
    if not permutations:
        return [nan, nan, nan]
    scale = permutations + 1
    p_sim = np.rint(np.asarray(esda_result.p_sim, dtype=float) * scale) / scale
    z_sim = getattr(esda_result, "z_sim", None)
    if z_sim is None or np.isscalar(z_sim):
        return [np.where(islands, np.nan, p_sim), nan, nan]
    return [np.where(islands, np.nan, v) for v in (p_sim, z_sim, esda_result.p_z_sim)]


def fdr_cutoff(p_values: Sequence[float], alpha: float = DEFAULT_ALPHA) -> float:
    """False discovery rate cut-off of ``esda.fdr`` (Benjamini-Hochberg).

    The largest ``k * alpha / n`` with ``p_(k) < k * alpha / n`` (p-values in
    ascending order); when none passes, the Bonferroni bound ``alpha / n``. A
    test is significant when its p-value is at most the cut-off.
    """
    from esda.util import fdr

    p = np.asarray(p_values, dtype=float).ravel()
    if p.size == 0:
        raise ValueError("no p-values given")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("p-values must be between 0 and 1")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    return float(fdr(p, alpha))


def _significant(
    p: np.ndarray, islands: np.ndarray, alpha: float
) -> tuple[np.ndarray, float | None]:
    """FDR over the areas with neighbours: significance mask and cut-off."""
    if islands.all():
        return np.zeros(p.shape, dtype=bool), None
    cutoff = fdr_cutoff(p[~islands], alpha)
    return ~islands & (p <= cutoff), cutoff


def _records(cls: type, ids: list, columns: list, rows: list, tail: list) -> tuple:
    """Per-area records: id, float columns, neighbour count, island, tail."""
    table = np.column_stack(columns).tolist()
    return tuple(
        cls(area_id, *table[k], len(rows[k]), not rows[k], *tail[k])
        for k, area_id in enumerate(ids)
    )


def _gi_bin(z: float) -> int:
    """Uncorrected 99/95/90 % bin of a z-score, signed (0 for NaN)."""
    for threshold, level in GI_BIN_THRESHOLDS:
        if abs(z) >= threshold:
            return level if z > 0 else -level
    return 0


# Local statistics


def getis_ord(
    values: Mapping[Hashable, float],
    neighbours: Neighbours,
    *,
    star: bool = True,
    transform: str = "B",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
    alpha: float = DEFAULT_ALPHA,
    keep_simulations: bool = True,
) -> LocalGResult:
    """Local Getis-Ord Gi* (or Gi with ``star=False``) via ``esda.G_Local``.

    ``values`` maps area id to a non-negative count; its order fixes the order
    of the permutation draws. ``neighbours`` maps every area id to the ids of
    its neighbours (weight 1; not itself). Gi* adds a self-weight of 1 (with
    ``transform="R"`` esda takes the row maximum, 1 here, then
    row-standardises). Significance: ``p = 2 * p_norm`` (two-sided), FDR at
    ``alpha`` over the areas with neighbours; ``p_sim`` is the check beside
    it (NaN with ``permutations=0``, and then no area is marked).
    ``seed=None`` draws a seed and records it. ``keep_simulations=False`` saves
    memory (``permutations`` floats per area) but leaves ``z_sim`` and
    ``p_z_sim`` NaN. At least 3 areas are needed.
    """
    from esda.getisord import G_Local

    seed = _check_run_options(permutations, seed, alpha)
    transform = _check_transform(transform)
    ids, y, rows = _prepare(values, neighbours, 3)
    if np.any(y < 0):
        raise ValueError("Getis-Ord G needs non-negative values (counts)")
    runs = permutations if any(rows) else 0  # esda cannot permute only islands
    with _esda_call():
        g = G_Local(
            y,
            _weights(rows),
            transform=transform,
            permutations=runs,
            star=bool(star),
            keep_simulations=keep_simulations,
            n_jobs=1,
            seed=seed,
        )
    islands = np.array([not row for row in rows])
    zs, p_norm = np.where(islands, np.nan, g.Zs), np.where(islands, np.nan, g.p_norm)
    p = np.minimum(2 * p_norm, 1.0)  # two-sided; NaN stays NaN for islands
    simulated = _local_simulations(g, islands, runs)
    significant, cutoff = _significant(p, islands, alpha)
    unconfirmed = significant & (simulated[0] > alpha)  # NaN p_sim: never
    kinds = [
        (HOT if z > 0 else COLD) if s else NOT_SIGNIFICANT
        for z, s in zip(zs, significant, strict=True)
    ]
    tail = [
        (_gi_bin(z), kind, bool(u))
        for z, kind, u in zip(zs, kinds, unconfirmed, strict=True)
    ]
    columns = [y, g.Gs, g.EGs, g.VGs, zs, p_norm, p, *simulated]
    return LocalGResult(
        areas=_records(LocalG, ids, columns, rows, tail),
        star=bool(star),
        transform=transform,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        p_value="p",
        fdr_cutoff=cutoff,
    )


def local_moran(
    values: Mapping[Hashable, float],
    neighbours: Neighbours,
    *,
    transformation: str = "R",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
    alpha: float = DEFAULT_ALPHA,
    keep_simulations: bool = True,
) -> LocalMoranResult:
    """Local Moran's I via ``esda.Moran_Local``, with quadrants and FDR.

    Arguments as for ``getis_ord``. Weights are row-standardised
    (``transformation="R"``, esda's default) or binary (``"B"``). Significance
    is by permutation only, so ``permutations`` must be at least 1. esda's
    quadrant codes 1-4 are HH, LH, LL, HL (not GeoDa's order).
    """
    from esda.moran import Moran_Local

    seed = _check_run_options(permutations, seed, alpha)
    if permutations < 1:
        raise ValueError("local_moran needs permutations >= 1 for its p-values")
    transformation = _check_transform(transformation)
    ids, y, rows = _prepare(values, neighbours, 3)
    runs = permutations if any(rows) else 0  # esda cannot permute only islands
    with _esda_call():
        lm = Moran_Local(
            y,
            _weights(rows),
            transformation=transformation,
            permutations=runs,
            keep_simulations=keep_simulations,
            n_jobs=1,
            seed=seed,
        )
    islands = np.array([not row for row in rows])
    simulated = _local_simulations(lm, islands, runs)
    significant, cutoff = _significant(simulated[0], islands, alpha)
    quadrants = [
        None if no else QUADRANTS[int(q)] for no, q in zip(islands, lm.q, strict=True)
    ]
    tail = [
        (q, q if s else NOT_SIGNIFICANT)
        for q, s in zip(quadrants, significant, strict=True)
    ]
    columns = [y, lm.z, lm.w.sparse @ lm.z, lm.Is, lm.EI, lm.VI, lm.EIc, lm.VIc]
    return LocalMoranResult(
        areas=_records(LocalMoran, ids, columns + simulated, rows, tail),
        transformation=transformation,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        fdr_cutoff=cutoff,
    )


# Global statistics


def _global_simulations(esda_result: Any, permutations: int) -> list[float]:
    """``p_sim``, ``z_sim`` and ``p_z_sim`` of a global statistic, or NaN."""
    if not permutations:
        return [math.nan] * 3
    return [float(getattr(esda_result, n)) for n in ("p_sim", "z_sim", "p_z_sim")]


def global_g(
    values: Mapping[Hashable, float],
    neighbours: Neighbours,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
) -> GlobalG:
    """Global Getis-Ord G via ``esda.G`` (binary weights, at least 4 areas).

    Permutations shuffle all values with numpy's global generator seeded with
    ``seed``; the caller's random state is restored afterwards.
    """
    from esda.getisord import G

    seed = _check_run_options(permutations, seed, DEFAULT_ALPHA)
    _, y, rows = _prepare(values, neighbours, 4)
    if np.any(y < 0):
        raise ValueError("Getis-Ord G needs non-negative values (counts)")
    with _esda_call(seed):
        g = G(y, _weights(rows), permutations=permutations)
    analytic = [float(getattr(g, n)) for n in ("G", "EG", "VG", "z_norm", "p_norm")]
    simulated = _global_simulations(g, permutations)
    return GlobalG(*analytic, *simulated, permutations, seed)


def global_moran(
    values: Mapping[Hashable, float],
    neighbours: Neighbours,
    *,
    transformation: str = "R",
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
) -> GlobalMoran:
    """Global Moran's I via ``esda.Moran``, with one-tailed p-values.

    Weights are row-standardised (``"R"``) or binary (``"B"``); at least 4
    areas are needed. Permutations are seeded as in ``global_g``.
    """
    from esda.moran import Moran

    seed = _check_run_options(permutations, seed, DEFAULT_ALPHA)
    transformation = _check_transform(transformation)
    _, y, rows = _prepare(values, neighbours, 4)
    with _esda_call(seed):
        mi = Moran(
            y,
            _weights(rows),
            transformation,
            permutations=permutations,
            two_tailed=False,
        )
    names = ("I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand")
    analytic = [float(getattr(mi, name)) for name in names]
    simulated = _global_simulations(mi, permutations)
    return GlobalMoran(*analytic, *simulated, transformation, permutations, seed)


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


def gi_star_points(
    x: Sequence[float],
    y: Sequence[float],
    cell_size: float,
    *,
    bounds: tuple[float, float, float, float] | None = None,
    rook: bool = False,
    max_cells: int = DEFAULT_MAX_CELLS,
    **options: Any,
) -> LocalGResult:
    """Gi* of point counts on a regular grid; the result carries the grid.

    ``x``/``y`` are projected metres (``project_lonlat`` converts lon/lat).
    The grid comes from ``point_grid``; cells are ``(col, row)`` ids with
    queen (or rook) neighbours. ``options`` are the keyword arguments of
    ``getis_ord``.
    """
    grid = point_grid(x, y, cell_size, bounds=bounds, rook=rook, max_cells=max_cells)
    result = getis_ord(grid.count_by_cell(), grid.neighbours(), **options)
    return replace(result, grid=grid)
