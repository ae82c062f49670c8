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
counts), and the "beyond" column of each row from the row's total, so only
pairs close in both space and time are placed one by one. 999 permutations
over 5,000 events take a second or two (``bench/bench_near_repeat.py``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import ConvexHull, QhullError, cKDTree

DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345
DEFAULT_ALPHA = 0.05
MAX_PERMUTATIONS = 99_999
MAX_SEED = 2**32 - 1
MODES = ("platform", "nrc")
METRICS = ("manhattan", "euclidean")
CLOSED = ("left", "right")
# Pairs x permutations taken at once: bounds memory (int16 day differences).
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


def _simulate(setup: _Setup, permutations: int, rng: np.random.Generator) -> np.ndarray:
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
    observed = _full_table(setup, _finite_counts(setup, setup.days[None, :])[0])
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


# -- permutations, p-values and Knox ratios -----------------------------------


@dataclass(frozen=True)
class CellStatistics:
    """One cell against its simulated counts, as the NRC prints it.

    ``p_value = (1 + #{sims >= observed}) / (n_sims + 1)``; ``ratio`` =
    observed / mean of the sims (the Knox ratio, "observed over mean
    expected"), ``ratio_median`` = observed / median (wsteenbeek); a ratio is
    None when its denominator is 0.
    """

    observed: int
    n_sims: int
    minimum: int
    maximum: int
    mean: float
    median: float
    p_value: float
    ratio: float | None
    ratio_median: float | None


def _ratio(observed: float, denominator: float) -> float | None:
    return observed / denominator if denominator > 0 else None


def cell_statistics(observed: int, simulated: Sequence[int]) -> CellStatistics:
    """p-value and Knox ratios of one cell from its simulated counts."""
    sims = np.asarray(simulated, dtype=np.float64)
    if sims.ndim != 1 or sims.size == 0:
        raise ValueError("simulated must be a non-empty sequence of counts")
    mean, median = float(sims.mean()), float(np.median(sims))
    return CellStatistics(
        observed=int(observed),
        n_sims=int(sims.size),
        minimum=int(sims.min()),
        maximum=int(sims.max()),
        mean=mean,
        median=median,
        p_value=(1 + int((sims >= observed).sum())) / (sims.size + 1),
        ratio=_ratio(observed, mean),
        ratio_median=_ratio(observed, median),
    )


@dataclass(frozen=True)
class NearRepeatFinding:
    """A distance band whose first temporal band(s) are significant.

    The NRC's summary rule: near repeats are flagged for a distance band when
    its first temporal band is significant, "for up to" the last of the
    consecutive significant bands from the first (``columns`` of them,
    ``up_to_days`` = that band's last whole day). ``ratio`` is the first
    cell's Knox ratio and ``percent_more`` = (ratio - 1) x 100, as the NRC
    words it ("7325 percent greater").
    """

    row: int
    distance_band: Band
    columns: int
    up_to_days: int
    last_column_label: str
    ratio: float | None
    percent_more: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "distance_band": self.distance_band.label,
            "distance": self.distance_band.description,
            "columns": self.columns,
            "up_to_days": self.up_to_days,
            "last_column_label": self.last_column_label,
            "ratio": _json_number(self.ratio),
            "percent_more": _json_number(self.percent_more),
        }


def _json_number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


@dataclass(frozen=True)
class KnoxResult:
    """The Knox test: observed table, simulations, p-values and Knox ratios.

    Per cell (``[row][col]``, rows = distance bands): ``expected`` is the mean
    of the simulated counts, ``median``/``minimum``/``maximum`` theirs too,
    ``p_values`` as ``cell_statistics``, ``ratios`` = observed / expected
    (None where expected is 0), ``ratios_median`` = observed / median.
    ``significant`` highlights a cell when ``p <= alpha`` and observed >
    ``min_ratio`` x expected (over-represented; the NRC's highlighted cells).
    ``repeat_victimisation`` is the "Same location" x first temporal band cell
    (None without that row) and ``near_repeats`` the distance bands flagged by
    the NRC's summary rule; only the first column counts for both (the NRC
    ignores a significant "Same location, 2 to 2 days").

    ``seed`` is the seed of numpy's ``default_rng`` that drew the
    permutations: the same events, settings, seed and numpy version repeat
    the run exactly.
    """

    table: KnoxTable
    expected: FloatTable
    median: FloatTable
    minimum: Table
    maximum: Table
    p_values: FloatTable
    ratios: FloatTable
    ratios_median: FloatTable
    significant: tuple[tuple[bool, ...], ...]
    permutations: int
    seed: int
    alpha: float
    min_ratio: float
    repeat_victimisation: bool | None
    near_repeats: tuple[NearRepeatFinding, ...]

    @property
    def observed(self) -> Table:
        return self.table.observed

    @property
    def spatial_bands(self) -> tuple[Band, ...]:
        return self.table.spatial_bands

    @property
    def temporal_bands(self) -> tuple[Band, ...]:
        return self.table.temporal_bands

    @property
    def row_labels(self) -> tuple[str, ...]:
        return self.table.row_labels

    @property
    def col_labels(self) -> tuple[str, ...]:
        return self.table.col_labels

    @property
    def min_p_value(self) -> float:
        """The smallest p-value this many permutations can give."""
        return 1 / (self.permutations + 1)

    def sentences(self) -> list[str]:
        """The findings in plain English, as the NRC's summary states them."""
        return _sentences(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: lists, None for undefined ratios, band descriptions."""

        def rows(table):
            return [[_json_number(v) for v in row] for row in table]

        data = self.table.to_dict()
        data.update(
            permutations=self.permutations,
            seed=self.seed,
            alpha=self.alpha,
            min_ratio=self.min_ratio,
            min_p_value=self.min_p_value,
            expected=rows(self.expected),
            median=rows(self.median),
            minimum=[list(row) for row in self.minimum],
            maximum=[list(row) for row in self.maximum],
            p_values=rows(self.p_values),
            ratios=rows(self.ratios),
            ratios_median=rows(self.ratios_median),
            significant=[list(row) for row in self.significant],
            repeat_victimisation=self.repeat_victimisation,
            near_repeats=[finding.to_dict() for finding in self.near_repeats],
            sentences=self.sentences(),
        )
        return data


def _check_run(permutations: int, seed: int | None, alpha: float, min_ratio: float):
    if isinstance(permutations, bool) or not isinstance(permutations, int):
        raise ValueError(f"permutations must be a whole number, got {permutations!r}")
    if not 1 <= permutations <= MAX_PERMUTATIONS:
        raise ValueError(
            f"permutations must be from 1 to {MAX_PERMUTATIONS}, got {permutations}"
        )
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED
    ):
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1, got {seed!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if not (math.isfinite(min_ratio) and min_ratio >= 0):
        raise ValueError(f"min_ratio must be a number >= 0, got {min_ratio!r}")


def _float_rows(table: np.ndarray) -> FloatTable:
    return tuple(
        tuple(None if math.isnan(v) else float(v) for v in row) for row in table
    )


def _divide(observed: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(observed.shape, np.nan)
    np.divide(observed, denominator, out=out, where=denominator > 0)
    return out


def _near_repeats(table: KnoxTable, significant: np.ndarray, ratios: FloatTable):
    findings = []
    last_col = len(table.temporal_bands) - 1  # the beyond column never counts
    for row, band in enumerate(table.spatial_bands):
        if band.kind != BAND or not significant[row, 0]:
            continue
        columns = 1
        while columns < last_col and significant[row, columns]:
            columns += 1
        col_band = table.temporal_bands[columns - 1]
        upper = int(col_band.upper)
        ratio = ratios[row][0]
        findings.append(
            NearRepeatFinding(
                row=row,
                distance_band=band,
                columns=columns,
                up_to_days=upper if col_band.upper_closed else upper - 1,
                last_column_label=col_band.label,
                ratio=ratio,
                percent_more=None if ratio is None else (ratio - 1) * 100,
            )
        )
    return tuple(findings)


def _result(
    table: KnoxTable,
    sims: np.ndarray,
    *,
    seed: int,
    alpha: float,
    min_ratio: float,
) -> KnoxResult:
    observed = np.asarray(table.observed, dtype=np.int64)
    permutations = sims.shape[0]
    expected = sims.mean(axis=0)
    median = np.median(sims, axis=0)
    p_values = (1 + (sims >= observed).sum(axis=0)) / (permutations + 1)
    ratios = _divide(observed, expected)
    significant = (p_values <= alpha) & (observed > min_ratio * expected)
    significant &= observed > 0
    ratio_rows = _float_rows(ratios)
    has_same = table.spatial_bands[0].kind == SAME_LOCATION
    return KnoxResult(
        table=table,
        expected=_float_rows(expected),
        median=_float_rows(median),
        minimum=_int_rows(sims.min(axis=0)),
        maximum=_int_rows(sims.max(axis=0)),
        p_values=_float_rows(p_values),
        ratios=ratio_rows,
        ratios_median=_float_rows(_divide(observed, median)),
        significant=tuple(tuple(bool(v) for v in row) for row in significant),
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        min_ratio=min_ratio,
        repeat_victimisation=bool(significant[0, 0]) if has_same else None,
        near_repeats=_near_repeats(table, significant, ratio_rows),
    )


def knox(
    events: Any,
    *,
    spatial_bands: Sequence[float],
    temporal_bands: Sequence[float],
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int | None = DEFAULT_SEED,
    mode: str = "platform",
    metric: str = "manhattan",
    closed: str = "left",
    same_location: bool | None = None,
    alpha: float = DEFAULT_ALPHA,
    min_ratio: float = 1.0,
) -> KnoxResult:
    """The Knox test with a Monte Carlo permutation null (module docstring).

    ``events``: ``(x, y, t)`` rows. ``spatial_bands``/``temporal_bands``:
    ascending upper limits in metres and whole days. ``permutations`` (1 to
    99,999): random permutations of the event times over the fixed places;
    with 999 the smallest p-value is 0.001, with 19 (the NRC's "iterations")
    0.05. ``seed``: recorded in the result; None draws one (and records it).
    ``alpha`` and ``min_ratio`` set which cells are ``significant``
    (``min_ratio`` 1.2 is the "meaningful" threshold often quoted from the
    NRC manual, unverified; the default only asks for over-representation).
    """
    _check_run(permutations, seed, alpha, min_ratio)
    arrays, setup = _prepare_table(events, spatial_bands, temporal_bands, mode,
                                   metric, closed, same_location)  # fmt: skip
    table = _table(arrays, setup, mode, metric, closed)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (MAX_SEED + 1))
    sims = _simulate(setup, permutations, np.random.default_rng(seed))
    return _result(table, sims, seed=seed, alpha=alpha, min_ratio=min_ratio)


def _sentences(result: KnoxResult) -> list[str]:
    table = result.table
    first = table.temporal_bands[0]
    lines = []
    if result.repeat_victimisation is not None:
        ratio = result.ratios[0][0]
        if result.repeat_victimisation:
            lines.append(
                f"Repeat victimisation: pairs of events at the same location "
                f"{first.description} apart are {ratio:.1f} times as many as "
                f"expected by chance (p = {result.p_values[0][0]:.3g})."
            )
        else:
            lines.append("No indication of repeat victimisation.")
    for finding in result.near_repeats:
        row = finding.row
        times = "" if finding.ratio is None else f"{finding.ratio:.1f} times "
        lines.append(
            f"Near repeats: pairs of events {finding.distance_band.description} "
            f"and {first.description} apart are {times}as many as expected by "
            f"chance (p = {result.p_values[row][0]:.3g}); more than expected "
            f"{_up_to(finding.up_to_days)}."
        )
    if not result.near_repeats:
        lines.append("No significant near-repeat pattern.")
    return lines


def _up_to(days: int) -> str:
    if days == 0:
        return "on the same day"
    return f"up to {days} day{'' if days == 1 else 's'} apart"


# -- near-repeat chains -------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """Events linked, directly or through others, within the chain distance
    and days: one connected component (a "near string").

    ``events`` are indices into the input, in time order (then input order);
    ``ids`` the caller's identifiers for them. ``span_days`` = last - first
    day; ``span_metres`` = the largest distance between two of its events (in
    the chain's metric); ``centre`` = mean x, y; ``links`` = linked pairs.
    """

    number: int
    events: tuple[int, ...]
    ids: tuple[Hashable, ...]
    size: int
    first: dt.date | int
    last: dt.date | int
    span_days: int
    span_metres: float
    centre: tuple[float, float]
    links: int

    def to_dict(self) -> dict[str, Any]:
        def day(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        return {
            "number": self.number,
            "size": self.size,
            "events": list(self.events),
            "ids": list(self.ids),
            "first": day(self.first),
            "last": day(self.last),
            "span_days": self.span_days,
            "span_metres": self.span_metres,
            "centre": list(self.centre),
            "links": self.links,
        }


@dataclass(frozen=True)
class NearRepeatChains:
    """Near-repeat chains, largest first (then earliest).

    Two events are linked when less than ``distance`` apart and less than
    ``days`` apart (both strict, as ptools' ``near_strings``). ``component``
    gives every event's component number, 1-based in order of first
    appearance in the input (ptools' ``CompId``), lone events included;
    ``chains`` holds the components of at least ``min_size`` events.
    """

    chains: tuple[Chain, ...]
    component: tuple[int, ...]
    distance: float
    days: int
    metric: str
    min_size: int
    n_events: int

    @property
    def events_in_chains(self) -> int:
        return sum(chain.size for chain in self.chains)

    def to_dict(self) -> dict[str, Any]:
        return {
            "distance": self.distance,
            "days": self.days,
            "metric": self.metric,
            "min_size": self.min_size,
            "n_events": self.n_events,
            "events_in_chains": self.events_in_chains,
            "chains": [chain.to_dict() for chain in self.chains],
        }


def _diameter(xy: np.ndarray, metric: str) -> float:
    """Largest distance between two of the points."""
    if len(xy) < 2:
        return 0.0
    if metric == "manhattan":  # max |dx| + |dy| over the two diagonals
        return float(max(np.ptp(xy[:, 0] + xy[:, 1]), np.ptp(xy[:, 0] - xy[:, 1])))
    if len(xy) > 50:
        try:
            xy = xy[ConvexHull(xy).vertices]
        except QhullError:  # all on a line: its ends are the extremes
            ends = np.lexsort((xy[:, 1], xy[:, 0]))[[0, -1]]
            return float(np.hypot(*(xy[ends[0]] - xy[ends[1]])))
    i, j = np.triu_indices(len(xy), 1)
    return float(np.hypot(*(xy[i] - xy[j]).T).max())


def _check_chain_options(distance: float, days: int, metric: str, min_size: int):
    if not (
        isinstance(distance, int | float) and math.isfinite(distance) and distance > 0
    ):
        raise ValueError(f"distance must be a positive number, got {distance!r}")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a whole number >= 1, got {days!r}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 2:
        raise ValueError(f"min_size must be a whole number >= 2, got {min_size!r}")


def _components(arrays: EventArrays, distance: float, days: int, metric: str):
    """Component label per event (0-based, by first appearance) and links."""
    n = len(arrays)
    xy = np.column_stack([arrays.x, arrays.y])
    i, j, _ = _close_pairs(xy, distance, metric, inclusive=False)
    near = np.abs(arrays.days[i] - arrays.days[j]) < days
    i, j = i[near], j[near]
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=False)
    # Renumber by first appearance, as ptools does.
    _, first = np.unique(labels, return_index=True)
    order = np.empty(len(first), dtype=np.int64)
    order[np.argsort(first)] = np.arange(len(first))
    return order[labels], i


def near_repeat_chains(
    events: Any,
    *,
    distance: float,
    days: int,
    ids: Sequence[Hashable] | None = None,
    metric: str = "euclidean",
    min_size: int = 2,
) -> NearRepeatChains:
    """Near-repeat chains: events linked within ``distance`` and ``days``.

    ``events``: ``(x, y, t)`` rows as for ``knox``. ``ids``: an identifier per
    event for the listing (default: the index). Both limits are strict (less
    than), as ptools' ``near_strings``; the metric defaults to Euclidean as
    there. Chains of fewer than ``min_size`` events are not listed.
    """
    _check_chain_options(distance, days, metric, min_size)
    arrays = event_arrays(events)
    n = len(arrays)
    if ids is not None and len(ids) != n:
        raise ValueError(f"got {len(ids)} ids for {n} events")
    labels, link_rows = _components(arrays, float(distance), days, metric)
    sizes = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
    links = np.bincount(labels[link_rows], minlength=len(sizes))
    chains = [
        _chain(arrays, np.flatnonzero(labels == label), ids, metric, int(links[label]))
        for label in np.flatnonzero(sizes >= min_size)
    ]
    chains.sort(key=lambda chain: (-chain.size, chain.first, chain.events[0]))
    return NearRepeatChains(
        chains=tuple(
            replace(chain, number=number) for number, chain in enumerate(chains, 1)
        ),
        component=tuple(int(v) + 1 for v in labels),
        distance=float(distance),
        days=days,
        metric=metric,
        min_size=min_size,
        n_events=n,
    )


def _chain(
    arrays: EventArrays,
    members: np.ndarray,
    ids: Sequence[Hashable] | None,
    metric: str,
    links: int,
) -> Chain:
    members = members[np.argsort(arrays.days[members], kind="stable")]
    xy = np.column_stack([arrays.x[members], arrays.y[members]])
    first, last = int(arrays.days[members[0]]), int(arrays.days[members[-1]])
    return Chain(
        number=0,
        events=tuple(int(k) for k in members),
        ids=tuple(int(k) if ids is None else ids[k] for k in members),
        size=len(members),
        first=arrays.day_value(first),
        last=arrays.day_value(last),
        span_days=last - first,
        span_metres=_diameter(xy, metric),
        centre=(float(xy[:, 0].mean()), float(xy[:, 1].mean())),
        links=links,
    )
