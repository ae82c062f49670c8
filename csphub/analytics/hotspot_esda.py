"""Hotspots: input checks, esda plumbing and the FDR cut-off (``hotspot``'s
helpers; import the public names from ``hotspot``)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from csphub.analytics.hotspot_types import (
    DEFAULT_ALPHA,
    GI_BIN_THRESHOLDS,
    MAX_SEED,
    Neighbours,
)

# Input checks and esda plumbing


def check_run_options(permutations: int, seed: int | None, alpha: float) -> int | None:
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


def check_transform(transform: str) -> str:
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


def prepare_inputs(
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


def binary_weights(rows: list[list[int]]) -> Any:
    """A fresh binary libpysal ``W`` over positions ``0..n-1``."""
    from libpysal.weights import W

    ids = list(range(len(rows)))
    return W(dict(enumerate(rows)), id_order=ids, silence_warnings=True)


@contextmanager
def esda_call(seed: int | None = None) -> Iterator[None]:
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


def run_local(
    statistic: type,
    y: np.ndarray,
    rows: list[list[int]],
    permutations: int,
    seed: int | None,
    keep_simulations: bool,
    **options: Any,
) -> tuple[Any, np.ndarray, list[np.ndarray]]:
    """Run an esda local statistic (``G_Local``, ``Moran_Local``) on binary
    weights, single-threaded: the esda result, the islands (areas without
    neighbours) and ``local_simulations``. ``options`` go to esda as they are.
    """
    runs = permutations if any(rows) else 0  # esda cannot permute only islands
    with esda_call():
        result = statistic(
            y,
            binary_weights(rows),
            permutations=runs,
            keep_simulations=keep_simulations,
            n_jobs=1,
            seed=seed,
            **options,
        )
    islands = np.array([not row for row in rows])
    return result, islands, local_simulations(result, islands, runs)


def local_simulations(
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


def fdr_significant(
    p: np.ndarray, islands: np.ndarray, alpha: float
) -> tuple[np.ndarray, float | None]:
    """FDR over the areas with neighbours: significance mask and cut-off."""
    if islands.all():
        return np.zeros(p.shape, dtype=bool), None
    cutoff = fdr_cutoff(p[~islands], alpha)
    return ~islands & (p <= cutoff), cutoff


def area_records(cls: type, ids: list, columns: list, rows: list, tail: list) -> tuple:
    """Per-area records: id, float columns, neighbour count, island, tail."""
    table = np.column_stack(columns).tolist()
    return tuple(
        cls(area_id, *table[k], len(rows[k]), not rows[k], *tail[k])
        for k, area_id in enumerate(ids)
    )


def gi_bin_of(z: float) -> int:
    """Uncorrected 99/95/90 % bin of a z-score, signed (0 for NaN)."""
    for threshold, level in GI_BIN_THRESHOLDS:
        if abs(z) >= threshold:
            return level if z > 0 else -level
    return 0
