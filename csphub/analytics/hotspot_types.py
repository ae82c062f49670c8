"""Hotspots: the settings and the result types of ``hotspot`` (import from there)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Areas",
    "COLD",
    "DEFAULT_ALPHA",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_PERMUTATIONS",
    "DEFAULT_SEED",
    "GI_BIN_THRESHOLDS",
    "GlobalG",
    "GlobalMoran",
    "HOT",
    "LocalG",
    "LocalGResult",
    "LocalMoran",
    "LocalMoranResult",
    "NOT_SIGNIFICANT",
    "Neighbours",
    "PointGrid",
    "QUADRANTS",
]

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


# LocalG and LocalMoran are filled positionally by hotspot_esda._records: id, the float
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
