"""Near repeats: the Knox test as Ratcliffe's Near Repeat Calculator, and chains.

Section 3 of the analytics reference ``METHODS.md``. Events are ``(x, y, t)``:
``x``/``y`` in metres (or any projected unit; lon/lat must be projected first,
e.g. with ``hotspot.project_lonlat``) and ``t`` a date, a datetime (its
calendar date), an ISO date string or a whole day number. Time differences are
whole days.

* ``knox_table``: every unordered pair of events cross-tabulated by spatial
  band (rows) and temporal band (columns). All n(n-1)/2 pairs are counted: the
  last row and column hold the pairs beyond the last band.
* ``knox``: the table, plus a Monte Carlo null distribution that permutes the
  event times over the fixed locations; per cell the mean (``expected``),
  ``p = (1 + #{sims >= observed}) / (permutations + 1)`` and the Knox ratio
  ``observed / mean(sims)``, as the NRC prints them.
* ``near_repeat_chains``: connected components of events less than D apart and
  less than T days apart (ptools' "near strings"), for briefings.

Two conventions, named by ``mode``:

* ``"nrc"``: Near Repeat Calculator 1.3 exactly. Coordinates are read as
  float32 (a pair at 399.96 m moves band under it); a "Same location" row for
  distance exactly 0; rows ``(0, b1), [b1, b2), ..., [bk, inf)`` and columns
  ``[0, t1), [t1, t2), ..., [tk, inf)`` days, with the NRC's labels, where
  "a to b" means ``[a - 1, b)`` ("0 to 7" days is 0-6 days apart, "8 to 14" is
  7-13; "1 to 100" m is more than 0 and under 100 m).
* ``"platform"`` (default): full double precision, the same counting with
  honest interval labels (``"[7, 14) days"``). ``closed="right"`` counts
  ``(a, b]`` instead, first band ``[0, b]`` (tobydavies' ``knox_test``
  default); ``same_location=False`` drops the distance-0 row.

Bands are given as ascending upper limits, e.g. ``spatial_bands=(100, 200,
300)`` and ``temporal_bands=(7, 14, 21)``; ``equal_bands(100, 3)`` makes them.
The default metric is Manhattan, as the NRC's and wsteenbeek's defaults.

Only pairs within the last finite distance band are found (a k-d tree) and
recounted per permutation; the "beyond" row comes from per-column totals over
all pairs, which permuting times does not change (a lag histogram of the daily
counts). So 999 permutations over thousands of events take about a second.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345
DEFAULT_ALPHA = 0.05
MAX_PERMUTATIONS = 99_999
MAX_SEED = 2**32 - 1
MODES = ("platform", "nrc")
METRICS = ("manhattan", "euclidean")
CLOSED = ("left", "right")
# Cells gathered per batch of permutations: bounds memory (int32 lags).
BATCH_CELLS = 4_000_000

SAME_LOCATION = "same_location"
BAND = "band"
BEYOND = "beyond"


# -- events -------------------------------------------------------------------


@dataclass(frozen=True)
class EventArrays:
    """Events as arrays: coordinates (float64) and whole day numbers.

    ``dated`` says the times were dates, so days are proleptic ordinals
    (``date.toordinal()``) and are shown as dates.
    """

    x: np.ndarray
    y: np.ndarray
    days: np.ndarray
    dated: bool

    def __len__(self) -> int:
        return len(self.days)

    def day_value(self, day: int) -> dt.date | int:
        """A day number as the caller gave it: a date, or the number."""
        return dt.date.fromordinal(int(day)) if self.dated else int(day)


def _day_of(value: Any, index: int) -> tuple[int, bool]:
    """Whole day number of one event time, and whether it was a date."""
    if isinstance(value, dt.datetime):
        return value.date().toordinal(), True
    if isinstance(value, dt.date):
        return value.toordinal(), True
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]").item().toordinal(), True
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).toordinal(), True
        except ValueError:
            raise ValueError(
                f"event {index}: t {value!r} is not a date (YYYY-MM-DD)"
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(
            f"event {index}: t must be a date or a whole day number, got {value!r}"
        )
    number = float(value)
    if not math.isfinite(number) or number != round(number):
        raise ValueError(f"event {index}: t must be whole days, got {value!r}")
    return int(round(number)), False


def event_arrays(events: Any) -> EventArrays:
    """Check and convert events: a sequence of ``(x, y, t)`` rows.

    A numeric numpy array of shape (n, 3) is taken as it is (t in whole days).
    Raises ValueError naming the first bad event (0-based index).
    """
    if isinstance(events, EventArrays):
        return events
    if isinstance(events, np.ndarray) and events.dtype.kind in "iuf":
        if events.ndim != 2 or events.shape[1] != 3:
            raise ValueError(
                f"events must have 3 columns (x, y, t), got {events.shape}"
            )
        return _numeric_events(events[:, 0], events[:, 1], events[:, 2])
    xs, ys, days, kinds = [], [], [], set()
    for index, row in enumerate(events):
        try:
            x, y, t = row
        except (TypeError, ValueError):
            raise ValueError(
                f"event {index}: expected (x, y, t), got {row!r}"
            ) from None
        day, dated = _day_of(t, index)
        xs.append(_coordinate(x, index, "x"))
        ys.append(_coordinate(y, index, "y"))
        days.append(day)
        kinds.add(dated)
    if len(kinds) > 1:
        raise ValueError("event times mix dates and day numbers; use one or the other")
    return EventArrays(
        np.asarray(xs, dtype=np.float64),
        np.asarray(ys, dtype=np.float64),
        np.asarray(days, dtype=np.int64),
        kinds == {True},
    )


def _coordinate(value: Any, index: int, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"event {index}: {name} must be a number, got {value!r}"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"event {index}: {name} must be finite, got {value!r}")
    return number


def _numeric_events(x: Any, y: Any, t: Any) -> EventArrays:
    x, y, t = (np.asarray(v, dtype=np.float64) for v in (x, y, t))
    for name, values in (("x", x), ("y", y), ("t", t)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(f"event {bad[0]}: {name} must be finite")
    fractional = np.flatnonzero(t != np.round(t))
    if fractional.size:
        index = fractional[0]
        raise ValueError(f"event {index}: t must be whole days, got {t[index]}")
    return EventArrays(x, y, np.round(t).astype(np.int64), False)


# -- bands --------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One row (distance) or column (days) of a Knox table.

    ``lower``/``upper`` bound it (``upper`` None = unbounded) and
    ``lower_closed``/``upper_closed`` say whether the bounds are included.
    ``kind`` is ``same_location`` (distance exactly 0), ``band`` or ``beyond``
    (past the last band). ``label`` is the table heading in the run's
    convention (NRC labels in NRC mode); ``interval`` is always the true
    interval; ``description`` is plain English.
    """

    label: str
    interval: str
    description: str
    lower: float
    upper: float | None
    lower_closed: bool
    upper_closed: bool
    kind: str

    def contains(self, value: float) -> bool:
        """Whether a distance or day difference falls in this band."""
        above = value >= self.lower if self.lower_closed else value > self.lower
        if self.upper is None:
            return above
        below = value <= self.upper if self.upper_closed else value < self.upper
        return above and below

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "interval": self.interval,
            "description": self.description,
            "lower": self.lower,
            "upper": self.upper,
            "lower_closed": self.lower_closed,
            "upper_closed": self.upper_closed,
            "kind": self.kind,
        }


def equal_bands(width: float, count: int) -> tuple[float, ...]:
    """Upper limits of ``count`` bands of equal ``width``, as the NRC sets them."""
    if not (isinstance(width, int | float) and math.isfinite(width) and width > 0):
        raise ValueError(f"band width must be a positive number, got {width!r}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"number of bands must be a whole number >= 1, got {count!r}")
    return tuple(width * (k + 1) for k in range(count))


def _check_limits(limits: Any, name: str, *, whole: bool) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in limits)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a sequence of numbers, got {limits!r}"
        ) from None
    if not values:
        raise ValueError(f"{name} must hold at least one band limit")
    if not all(math.isfinite(v) and v > 0 for v in values):
        raise ValueError(f"{name} must be positive finite numbers, got {limits!r}")
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing, got {limits!r}")
    if whole and any(v != round(v) for v in values):
        raise ValueError(f"{name} must be whole days, got {limits!r}")
    return values


def _num(value: float) -> str:
    return f"{value:g}"


def _interval(low: float, high: float | None, low_in: bool, high_in: bool) -> str:
    left = "[" if low_in else "("
    if high is None:
        return f"{left}{_num(low)}, ∞)"
    return f"{left}{_num(low)}, {_num(high)}{']' if high_in else ')'}"


def _spatial_bands(
    limits: tuple[float, ...], mode: str, closed: str, same_location: bool
) -> tuple[Band, ...]:
    left = closed == "left"
    bands = []
    if same_location:
        bands.append(Band("Same location", "[0, 0] m", "same location (0 m)",
                          0.0, 0.0, True, True, SAME_LOCATION))  # fmt: skip
    lows = (0.0, *limits[:-1])
    for k, (low, high) in enumerate(zip(lows, limits, strict=True)):
        low_in = (k > 0 and left) or (k == 0 and not same_location)
        high_in = not left
        interval = _interval(low, high, low_in, high_in) + " m"
        label = f"{_num(low + 1)} to {_num(high)}" if mode == "nrc" else interval
        if low == 0:
            description = f"{'up to' if high_in else 'under'} {_num(high)} m"
            if same_location:
                description += " (not the same location)"
        else:
            description = (
                f"{'over ' if not low_in else ''}{_num(low)} m to "
                f"{'' if high_in else 'under '}{_num(high)} m"
            )
        bands.append(
            Band(label, interval, description, low, high, low_in, high_in, BAND)
        )
    last = limits[-1]
    interval = _interval(last, None, left, False) + " m"
    label = f"More than {_num(last)}" if mode == "nrc" else interval
    description = f"{_num(last)} m or more" if left else f"over {_num(last)} m"
    bands.append(Band(label, interval, description, last, None, left, False, BEYOND))
    return tuple(bands)


def _temporal_bands(
    limits: tuple[float, ...], mode: str, closed: str
) -> tuple[Band, ...]:
    left = closed == "left"
    bands = []
    lows = (0.0, *limits[:-1])
    for k, (low, high) in enumerate(zip(lows, limits, strict=True)):
        low_in = k == 0 or left
        first_day = int(low) if low_in else int(low) + 1
        last_day = int(high) - 1 if left else int(high)
        interval = _interval(low, high, low_in, not left) + " days"
        if mode == "nrc":
            label = f"{0 if k == 0 else _num(low + 1)} to {_num(high)}"
        else:
            label = interval
        description = (
            f"{first_day} day{'' if first_day == 1 else 's'}"
            if first_day == last_day
            else f"{first_day} to {last_day} days"
        )
        bands.append(
            Band(label, interval, description, low, high, low_in, not left, BAND)
        )
    last = limits[-1]
    interval = _interval(last, None, left, False) + " days"
    label = f"More than {_num(last)}" if mode == "nrc" else interval
    description = f"{int(last) if left else int(last) + 1} days or more"
    bands.append(Band(label, interval, description, last, None, left, False, BEYOND))
    return tuple(bands)


# -- pairs and counting -------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """What both the observed table and the permutations need."""

    rows: tuple[Band, ...]
    cols: tuple[Band, ...]
    pair_i: np.ndarray  # pairs within the last finite distance band
    pair_j: np.ndarray
    pair_row: np.ndarray  # their row index (never the beyond row)
    days: np.ndarray  # int32 days since the first event
    col_of_lag: np.ndarray  # column index of each day difference 0..span
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


def _close_pairs(
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
    rows = _spatial_bands(spatial_limits, mode, closed, same_location)
    cols = _temporal_bands(temporal_limits, mode, closed)
    xy = _coordinates(events, mode)
    i, j, distance = _close_pairs(
        xy, spatial_limits[-1], metric, inclusive=closed == "right"
    )
    pair_row = _row_index(distance, np.asarray(spatial_limits), closed, same_location)
    days = (events.days - events.days.min()).astype(np.int32)
    lags = np.arange(int(days.max()) + 1)
    side = "right" if closed == "left" else "left"
    col_of_lag = np.searchsorted(np.asarray(temporal_limits), lags, side=side)
    col_totals = np.bincount(
        col_of_lag, weights=_lag_pair_counts(days), minlength=len(cols)
    ).astype(np.int64)
    return _Setup(rows, cols, i, j, pair_row.astype(np.int32), days,
                  col_of_lag.astype(np.int32), col_totals)  # fmt: skip


def _finite_counts(setup: _Setup, days: np.ndarray) -> np.ndarray:
    """Counts of the rows within the last band, for one assignment of days."""
    n_cols = len(setup.cols)
    lags = np.abs(days[setup.pair_i] - days[setup.pair_j])
    cells = setup.pair_row * n_cols + setup.col_of_lag[lags]
    counts = np.bincount(cells, minlength=(len(setup.rows) - 1) * n_cols)
    return counts.reshape(len(setup.rows) - 1, n_cols)


def _full_table(setup: _Setup, finite: np.ndarray) -> np.ndarray:
    """Add the beyond row: column totals less the pairs within the bands."""
    beyond = setup.col_totals - finite.sum(axis=-2)
    return np.concatenate([finite, beyond[..., None, :]], axis=-2)


def _simulate(setup: _Setup, permutations: int, rng: np.random.Generator) -> np.ndarray:
    """Tables for ``permutations`` random permutations of the event times."""
    n_rows, n_cols = len(setup.rows) - 1, len(setup.cols)
    n_cells = n_rows * n_cols
    n_pairs = max(len(setup.pair_i), 1)
    batch = max(1, min(permutations, BATCH_CELLS // n_pairs))
    base = setup.pair_row * n_cols
    out = np.empty((permutations, n_rows, n_cols), dtype=np.int64)
    for start in range(0, permutations, batch):
        size = min(batch, permutations - start)
        shuffled = rng.permuted(np.tile(setup.days, (size, 1)), axis=1)
        lags = np.abs(shuffled[:, setup.pair_i] - shuffled[:, setup.pair_j])
        cells = setup.col_of_lag[lags] + base
        cells += (np.arange(size, dtype=np.int32) * n_cells)[:, None]
        counts = np.bincount(cells.ravel(), minlength=size * n_cells)
        out[start : start + size] = counts.reshape(size, n_rows, n_cols)
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
            "mode": self.mode,
            "metric": self.metric,
            "closed": self.closed,
            "n_events": self.n_events,
            "n_pairs": self.n_pairs,
            "close_pairs": self.close_pairs,
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


def _prepare_table(
    events: Any,
    spatial_bands: Sequence[float],
    temporal_bands: Sequence[float],
    mode: str,
    metric: str,
    closed: str,
    same_location: bool | None,
) -> tuple[EventArrays, _Setup]:
    _check_options(mode, metric, closed, same_location)
    spatial = _check_limits(spatial_bands, "spatial_bands", whole=False)
    temporal = _check_limits(temporal_bands, "temporal_bands", whole=True)
    arrays = event_arrays(events)
    if len(arrays) < 2:
        raise ValueError(f"the Knox test needs at least 2 events, got {len(arrays)}")
    setup = _setup(arrays, spatial, temporal, mode=mode, metric=metric,
                   closed=closed, same_location=same_location is not False)  # fmt: skip
    return arrays, setup


def _table(arrays: EventArrays, setup: _Setup, mode, metric, closed) -> KnoxTable:
    observed = _full_table(setup, _finite_counts(setup, setup.days))
    n = len(arrays)
    return KnoxTable(
        observed=_int_rows(observed),
        spatial_bands=setup.rows,
        temporal_bands=setup.cols,
        mode=mode,
        metric=metric,
        closed=closed,
        n_events=n,
        n_pairs=n * (n - 1) // 2,
        close_pairs=len(setup.pair_i),
    )


def _int_rows(table: np.ndarray) -> Table:
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
    arrays, setup = _prepare_table(events, spatial_bands, temporal_bands, mode,
                                   metric, closed, same_location)  # fmt: skip
    return _table(arrays, setup, mode, metric, closed)
