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

Import everything from here; the code is split by concern into
``hotspot_types`` (settings and result types), ``hotspot_esda`` (input checks,
esda plumbing, ``fdr_cutoff``), ``hotspot_stats`` (the local and global
statistics) and ``hotspot_places`` (polygons and grids).
"""

from csphub.analytics import hotspot_types
from csphub.analytics.hotspot_esda import fdr_cutoff
from csphub.analytics.hotspot_places import (
    area_neighbours,
    gi_star_areas,
    gi_star_points,
    local_moran_areas,
    point_grid,
    project_lonlat,
)
from csphub.analytics.hotspot_stats import (
    getis_ord,
    global_g,
    global_moran,
    local_moran,
)
from csphub.analytics.hotspot_types import *  # noqa: F403 (every result type)

__all__ = [
    *hotspot_types.__all__,
    "area_neighbours",
    "fdr_cutoff",
    "getis_ord",
    "gi_star_areas",
    "gi_star_points",
    "global_g",
    "global_moran",
    "local_moran",
    "local_moran_areas",
    "point_grid",
    "project_lonlat",
]
