"""Near repeats: the pairs of events and the Knox table they count into
(import the public names from ``near_repeat``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from csphub.analytics.near_repeat_events import (
    BATCH_CELLS,
    CLOSED,
    METRICS,
    MODES,
    Band,
    EventArrays,
    check_limits,
    event_arrays,
    spatial_band_list,
    temporal_band_list,
)
from csphub.analytics.records import record_fields

# -- pairs and counting -------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """What both the observed table and the permutations need."""

    rows: tuple[Band, ...]
    cols: tuple[Band, ...]
    pair_i: np.ndarray  # pairs within the last finite distance band
    pair_j: np.ndarray
    pair_row: np.ndarray  # their row index (never the beyond row)
    row_totals: np.ndarray  # pairs per such row: permutations keep them
    days: np.ndarray  # days since the first event (int16 when they fit)
    col_of_lag: np.ndarray  # column index of each day difference 0..span
    lag_limit: int  # day differences from here on are in the beyond column
    col_totals: np.ndarray  # pairs per column over all pairs


def _coordinates(events: EventArrays, mode: str) -> np.ndarray:
    xy = np.column_stack([events.x, events.y])
    if mode == "nrc":
        # The NRC reads coordinates as single precision.
        xy = xy.astype(np.float32).astype(np.float64)
    return xy


def _distances(xy: np.ndarray, i: np.ndarray, j: np.ndarray, metric: str) -> np.ndarray:
    dx = np.abs(xy[i, 0] - xy[j, 0])
    dy = np.abs(xy[i, 1] - xy[j, 1])
    return dx + dy if metric == "manhattan" else np.hypot(dx, dy)


def close_pairs_within(
    xy: np.ndarray, radius: float, metric: str, *, inclusive: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) less than ``radius`` apart (or at most, if inclusive)."""
    tree = cKDTree(xy)
    # A hair wider than the radius, then the exact test on distances computed
    # here, so the k-d tree's own rounding cannot move a pair across a limit.
    search = radius * (1 + 1e-9) + 1e-9
    pairs = tree.query_pairs(search, p=1 if metric == "manhattan" else 2,
                             output_type="ndarray")  # fmt: skip
    i, j = pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp)
    distance = _distances(xy, i, j, metric)
    keep = distance <= radius if inclusive else distance < radius
    return i[keep], j[keep], distance[keep]


def _lag_pair_counts(days: np.ndarray) -> np.ndarray:
    """Number of unordered pairs of events at each day difference 0..span."""
    daily = np.bincount(days).astype(np.int64)
    span = len(daily) - 1
    if span <= 20_000:
        full = np.correlate(daily, daily, mode="full")[span:]
    else:  # long spans: FFT, exact after rounding at these magnitudes
        size = 1 << int(2 * len(daily) - 1).bit_length()
        spectrum = np.fft.rfft(daily.astype(np.float64), size)
        full = np.rint(np.fft.irfft(spectrum * np.conj(spectrum), size)[: span + 1])
        full = full.astype(np.int64)
    full[0] = int((daily * (daily - 1) // 2).sum())
    return full


def _row_index(distance: np.ndarray, limits: np.ndarray, closed: str, same: bool):
    side = "right" if closed == "left" else "left"
    rows = np.searchsorted(limits, distance, side=side)
    if same:
        rows = np.where(distance == 0, 0, rows + 1)
    return rows


def _setup(
    events: EventArrays,
    spatial_limits: tuple[float, ...],
    temporal_limits: tuple[float, ...],
    *,
    mode: str,
    metric: str,
    closed: str,
    same_location: bool,
) -> _Setup:
    rows = spatial_band_list(spatial_limits, mode, closed, same_location)
    cols = temporal_band_list(temporal_limits, mode, closed)
    xy = _coordinates(events, mode)
    i, j, distance = close_pairs_within(
        xy, spatial_limits[-1], metric, inclusive=closed == "right"
    )
    pair_row = _row_index(distance, np.asarray(spatial_limits), closed, same_location)
    days = events.days - events.days.min()
    span = int(days.max())
    lags = np.arange(span + 1)
    side = "right" if closed == "left" else "left"
    col_of_lag = np.searchsorted(np.asarray(temporal_limits), lags, side=side)
    col_totals = np.bincount(
        col_of_lag, weights=_lag_pair_counts(days), minlength=len(cols)
    ).astype(np.int64)
    n_rows = len(rows) - 1
    return _Setup(
        rows=rows,
        cols=cols,
        pair_i=i,
        pair_j=j,
        pair_row=pair_row,
        row_totals=np.bincount(pair_row, minlength=n_rows),
        days=days.astype(np.int16 if span < 2**14 else np.int64),
        col_of_lag=col_of_lag,
        lag_limit=int(np.searchsorted(col_of_lag, len(cols) - 1)),
        col_totals=col_totals,
    )


def _finite_counts(setup: _Setup, days: np.ndarray) -> np.ndarray:
    """Tables of the rows within the last band, one per row of ``days``.

    Only pairs less than ``lag_limit`` days apart are placed one by one (few,
    for near-repeat bands); the last column is the row's total less them.
    """
    size, n_pairs = len(days), len(setup.pair_i)
    n_rows, n_near = len(setup.rows) - 1, len(setup.cols) - 1
    near = np.zeros(size * n_rows * n_near, dtype=np.int64)
    if n_pairs:
        lags = np.take(days, setup.pair_i, axis=1)
        lags -= np.take(days, setup.pair_j, axis=1)
        np.abs(lags, out=lags)
        hits = np.flatnonzero(lags < setup.lag_limit)
        which, pair = np.divmod(hits, n_pairs)
        cells = (which * n_rows + setup.pair_row[pair]) * n_near
        cells += setup.col_of_lag[lags.ravel()[hits]]
        near = np.bincount(cells, minlength=len(near))
    near = near.reshape(size, n_rows, n_near)
    beyond = setup.row_totals - near.sum(axis=-1)
    return np.concatenate([near, beyond[..., None]], axis=-1)


def _full_table(setup: _Setup, finite: np.ndarray) -> np.ndarray:
    """Add the beyond row: column totals less the pairs within the bands."""
    beyond = setup.col_totals - finite.sum(axis=-2)
    return np.concatenate([finite, beyond[..., None, :]], axis=-2)


def simulate_tables(
    setup: _Setup, permutations: int, rng: np.random.Generator
) -> np.ndarray:
    """Tables for ``permutations`` random permutations of the event times."""
    n_pairs = max(len(setup.pair_i), 1)
    batch = max(1, min(permutations, BATCH_CELLS // n_pairs))
    tables = []
    for start in range(0, permutations, batch):
        size = min(batch, permutations - start)
        shuffled = np.stack([rng.permutation(setup.days) for _ in range(size)])
        tables.append(_finite_counts(setup, shuffled))
    out = np.concatenate(tables)
    return _full_table(setup, out)


# -- the Knox table -----------------------------------------------------------


Table = tuple[tuple[int, ...], ...]
FloatTable = tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True)
class KnoxTable:
    """Observed pair counts: ``observed[row][col]``, rows = distance bands.

    ``n_pairs`` = n(n-1)/2 = the sum of the table; ``close_pairs`` = the pairs
    within the last finite distance band.
    """

    observed: Table
    spatial_bands: tuple[Band, ...]
    temporal_bands: tuple[Band, ...]
    mode: str
    metric: str
    closed: str
    n_events: int
    n_pairs: int
    close_pairs: int

    @property
    def row_labels(self) -> tuple[str, ...]:
        return tuple(band.label for band in self.spatial_bands)

    @property
    def col_labels(self) -> tuple[str, ...]:
        return tuple(band.label for band in self.temporal_bands)

    def cell(self, row_label: str, col_label: str) -> int:
        """The count under a row and column label."""
        return self.observed[self.row_labels.index(row_label)][
            self.col_labels.index(col_label)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            **record_fields(self, "mode metric closed n_events n_pairs close_pairs"),
            "spatial_bands": [band.to_dict() for band in self.spatial_bands],
            "temporal_bands": [band.to_dict() for band in self.temporal_bands],
            "observed": [list(row) for row in self.observed],
        }


def _check_options(mode: str, metric: str, closed: str, same_location: bool | None):
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    if closed not in CLOSED:
        raise ValueError(
            f'closed must be "left" ([a, b)) or "right" ((a, b]); got {closed!r}'
        )
    if mode == "nrc" and (closed != "left" or same_location is False):
        raise ValueError(
            'mode="nrc" has fixed conventions: [a, b) bands and a "Same location" '
            'row; use mode="platform" to change them'
        )


def prepare_table(
    events: Any,
    spatial_bands: Sequence[float],
    temporal_bands: Sequence[float],
    mode: str,
    metric: str,
    closed: str,
    same_location: bool | None,
) -> tuple[EventArrays, _Setup]:
    _check_options(mode, metric, closed, same_location)
    spatial = check_limits(spatial_bands, "spatial_bands", whole=False)
    temporal = check_limits(temporal_bands, "temporal_bands", whole=True)
    arrays = event_arrays(events)
    if len(arrays) < 2:
        raise ValueError(f"the Knox test needs at least 2 events, got {len(arrays)}")
    setup = _setup(arrays, spatial, temporal, mode=mode, metric=metric,
                   closed=closed, same_location=same_location is not False)  # fmt: skip
    return arrays, setup


def observed_table(
    arrays: EventArrays, setup: _Setup, mode, metric, closed
) -> KnoxTable:
    observed = _full_table(setup, _finite_counts(setup, setup.days[None, :])[0])
    n = len(arrays)
    return KnoxTable(
        observed=int_rows(observed),
        spatial_bands=setup.rows,
        temporal_bands=setup.cols,
        mode=mode,
        metric=metric,
        closed=closed,
        n_events=n,
        n_pairs=n * (n - 1) // 2,
        close_pairs=len(setup.pair_i),
    )


def int_rows(table: np.ndarray) -> Table:
    return tuple(tuple(int(v) for v in row) for row in table)


def knox_table(
    events: Any,
    *,
    spatial_bands: Sequence[float],
    temporal_bands: Sequence[float],
    mode: str = "platform",
    metric: str = "manhattan",
    closed: str = "left",
    same_location: bool | None = None,
) -> KnoxTable:
    """The observed Knox table (no permutations): see the module docstring.

    ``same_location`` (platform mode) adds the distance-0 row; it defaults to
    True and is always True in NRC mode.
    """
    arrays, setup = prepare_table(events, spatial_bands, temporal_bands, mode,
                                   metric, closed, same_location)  # fmt: skip
    return observed_table(arrays, setup, mode, metric, closed)
