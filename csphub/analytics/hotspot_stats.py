"""Hotspots: the local and global statistics through esda (import from ``hotspot``)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

from csphub.analytics.hotspot_esda import (
    area_records,
    binary_weights,
    check_run_options,
    check_transform,
    esda_call,
    fdr_significant,
    gi_bin_of,
    prepare_inputs,
    run_local,
)
from csphub.analytics.hotspot_types import (
    COLD,
    DEFAULT_ALPHA,
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    HOT,
    NOT_SIGNIFICANT,
    QUADRANTS,
    GlobalG,
    GlobalMoran,
    LocalG,
    LocalGResult,
    LocalMoran,
    LocalMoranResult,
    Neighbours,
)

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

    seed = check_run_options(permutations, seed, alpha)
    transform = check_transform(transform)
    ids, y, rows = prepare_inputs(values, neighbours, 3)
    if np.any(y < 0):
        raise ValueError("Getis-Ord G needs non-negative values (counts)")
    g, islands, simulated = run_local(
        G_Local, y, rows, permutations, seed, keep_simulations,
        transform=transform, star=bool(star),
    )  # fmt: skip
    zs, p_norm = np.where(islands, np.nan, g.Zs), np.where(islands, np.nan, g.p_norm)
    p = np.minimum(2 * p_norm, 1.0)  # two-sided; NaN stays NaN for islands
    significant, cutoff = fdr_significant(p, islands, alpha)
    unconfirmed = significant & (simulated[0] > alpha)  # NaN p_sim: never
    kinds = [
        (HOT if z > 0 else COLD) if s else NOT_SIGNIFICANT
        for z, s in zip(zs, significant, strict=True)
    ]
    tail = [
        (gi_bin_of(z), kind, bool(u))
        for z, kind, u in zip(zs, kinds, unconfirmed, strict=True)
    ]
    columns = [y, g.Gs, g.EGs, g.VGs, zs, p_norm, p, *simulated]
    return LocalGResult(
        areas=area_records(LocalG, ids, columns, rows, tail),
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

    seed = check_run_options(permutations, seed, alpha)
    if permutations < 1:
        raise ValueError("local_moran needs permutations >= 1 for its p-values")
    transformation = check_transform(transformation)
    ids, y, rows = prepare_inputs(values, neighbours, 3)
    lm, islands, simulated = run_local(
        Moran_Local, y, rows, permutations, seed, keep_simulations,
        transformation=transformation,
    )  # fmt: skip
    significant, cutoff = fdr_significant(simulated[0], islands, alpha)
    quadrants = [
        None if no else QUADRANTS[int(q)] for no, q in zip(islands, lm.q, strict=True)
    ]
    tail = [
        (q, q if s else NOT_SIGNIFICANT)
        for q, s in zip(quadrants, significant, strict=True)
    ]
    columns = [y, lm.z, lm.w.sparse @ lm.z, lm.Is, lm.EI, lm.VI, lm.EIc, lm.VIc]
    return LocalMoranResult(
        areas=area_records(LocalMoran, ids, columns + simulated, rows, tail),
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

    seed = check_run_options(permutations, seed, DEFAULT_ALPHA)
    _, y, rows = prepare_inputs(values, neighbours, 4)
    if np.any(y < 0):
        raise ValueError("Getis-Ord G needs non-negative values (counts)")
    with esda_call(seed):
        g = G(y, binary_weights(rows), permutations=permutations)
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

    seed = check_run_options(permutations, seed, DEFAULT_ALPHA)
    transformation = check_transform(transformation)
    _, y, rows = prepare_inputs(values, neighbours, 4)
    with esda_call(seed):
        mi = Moran(
            y,
            binary_weights(rows),
            transformation,
            permutations=permutations,
            two_tailed=False,
        )
    names = ("I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand")
    analytic = [float(getattr(mi, name)) for name in names]
    simulated = _global_simulations(mi, permutations)
    return GlobalMoran(*analytic, *simulated, transformation, permutations, seed)
