"""Near repeats: events as arrays, and the distance and day bands (import the
public names from ``near_repeat``)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from csphub.analytics.records import record_fields

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
        return record_fields(
            self,
            "label interval description lower upper",
            "lower_closed upper_closed kind",
        )


def equal_bands(width: float, count: int) -> tuple[float, ...]:
    """Upper limits of ``count`` bands of equal ``width``, as the NRC sets them."""
    if not (isinstance(width, int | float) and math.isfinite(width) and width > 0):
        raise ValueError(f"band width must be a positive number, got {width!r}")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"number of bands must be a whole number >= 1, got {count!r}")
    return tuple(width * (k + 1) for k in range(count))


def check_limits(limits: Any, name: str, *, whole: bool) -> tuple[float, ...]:
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


def spatial_band_list(
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


def temporal_band_list(
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
