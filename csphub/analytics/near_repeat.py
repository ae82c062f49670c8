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

Import everything from here; the code is split by concern into
``near_repeat_events`` (events and bands), ``near_repeat_table`` (pairs and the
observed Knox table), ``near_repeat_chains`` (chains) and this module (the
permutations, p-values, Knox ratios and findings).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from csphub.analytics.near_repeat_chains import (
    Chain,
    NearRepeatChains,
    near_repeat_chains,
)
from csphub.analytics.near_repeat_events import (
    BAND,
    BEYOND,
    CLOSED,
    DEFAULT_ALPHA,
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    MAX_PERMUTATIONS,
    MAX_SEED,
    METRICS,
    MODES,
    SAME_LOCATION,
    Band,
    EventArrays,
    equal_bands,
    event_arrays,
)
from csphub.analytics.near_repeat_table import (
    FloatTable,
    KnoxTable,
    Table,
    int_rows,
    knox_table,
    observed_table,
    prepare_table,
    simulate_tables,
)

__all__ = [
    "BAND",
    "BEYOND",
    "CLOSED",
    "DEFAULT_ALPHA",
    "DEFAULT_PERMUTATIONS",
    "DEFAULT_SEED",
    "MAX_PERMUTATIONS",
    "METRICS",
    "MODES",
    "SAME_LOCATION",
    "Band",
    "CellStatistics",
    "Chain",
    "EventArrays",
    "FloatTable",
    "KnoxResult",
    "KnoxTable",
    "NearRepeatChains",
    "NearRepeatFinding",
    "Table",
    "cell_statistics",
    "equal_bands",
    "event_arrays",
    "knox",
    "knox_table",
    "near_repeat_chains",
]


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


def _of_table(name: str) -> property:
    """A read-only attribute of a ``KnoxResult`` that is its table's."""
    return property(lambda result: getattr(result.table, name), doc=f"``table.{name}``")


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

    # The table's own, read through the result.
    observed = _of_table("observed")
    spatial_bands = _of_table("spatial_bands")
    temporal_bands = _of_table("temporal_bands")
    row_labels = _of_table("row_labels")
    col_labels = _of_table("col_labels")

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
        minimum=int_rows(sims.min(axis=0)),
        maximum=int_rows(sims.max(axis=0)),
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
    arrays, setup = prepare_table(events, spatial_bands, temporal_bands, mode,
                                   metric, closed, same_location)  # fmt: skip
    table = observed_table(arrays, setup, mode, metric, closed)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (MAX_SEED + 1))
    sims = simulate_tables(setup, permutations, np.random.default_rng(seed))
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
