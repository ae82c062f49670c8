"""Trend analytics: "emerging and worrying" trends and the count-change tests.

The names the briefing and casework code against live here: ``TrendSeries``,
``TrendResult``, ``emerging_trends``, ``flagged_trends``, and (implemented in
``counts.py``) ``benjamini_hochberg``, ``e_test``, ``poisson_z``, ``wdd``.

``emerging_trends`` applies the operational definition of METHODS.md
section 4 to many monthly series (e.g. one per ward or zone and category). A
series is flagged when

1. its XmR chart (``csphub.analytics.spc.xmr``, improvement "decrease": higher
   counts are worse) shows special cause of concern in one of the latest 3
   months ("spc"), or
2. the latest month exceeds the seasonal upper bound
   (``csphub.analytics.seasonal``, Farrington flexible) with at least 5
   incidents in the last 4 months ("seasonal"),

and its p-value survives Benjamini-Hochberg at ``alpha`` across every series
tested in the run. The p-values:

* route 1: the exact conditional test of two Poisson rates (binomial test of
  Przyborowski & Wilenski, one-sided): the count of the latest 3 months
  against the count of the chart's earlier months, each over its number of
  observed months. Under equal rates the recent count, given the total, is
  binomial with the recent share of months; the p-value is the chance of a
  recent count at least as high. It is exact, valid at any count, and
  computed for thousands of series at once (the E-test, ``e_test(...,
  alternative="greater")``, is slightly more powerful but needs a double sum
  per series);
* route 2: the seasonal exceedance p-value, taken as 1 when fewer than 5
  incidents were counted in the last 4 months (the route cannot signal then,
  and the normal approximation is poorest at such counts);
* a series' p-value is the Bonferroni combination of its routes,
  ``min(1, k * min(p_route))`` over the k routes that could be computed, so a
  series counts once in the false discovery rate whichever route signalled.

A route's rule must fire for a flag: a small p-value alone never flags.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy import stats

from csphub.analytics import spc
from csphub.analytics.counts import (
    BhResult,
    WddHarmResult,
    WddResult,
    benjamini_hochberg,
    bh_q_values,
    e_test,
    poisson_z,
    wdd,
    wdd_harm,
)
from csphub.analytics.seasonal import (
    SeasonalOptions,
    history_note,
    seasonal_batch,
    status_note,
)

__all__ = [
    "BhResult",
    "SeasonalOptions",
    "TrendResult",
    "TrendSeries",
    "WddHarmResult",
    "WddResult",
    "benjamini_hochberg",
    "e_test",
    "emerging_trends",
    "flagged_trends",
    "poisson_z",
    "wdd",
    "wdd_harm",
]

RECENT_MONTHS = 3  # "special cause ... in the latest 3 months"
MIN_CHART_MONTHS = 12  # MDC: at least 12 points before limits mean much
IMPROVEMENT = "decrease"  # crime and ASB: higher counts are worse

SIGNAL_SPC = "spc"
SIGNAL_SEASONAL = "seasonal"
SIGNAL_BOTH = "spc+seasonal"
SIGNALS = {
    (False, False): "",
    (True, False): SIGNAL_SPC,
    (False, True): SIGNAL_SEASONAL,
    (True, True): SIGNAL_BOTH,
}


@dataclass(frozen=True)
class TrendSeries:
    """Monthly counts of one area and category.

    ``months`` are first-of-month ``datetime.date`` values, consecutive and
    oldest first, ending at the latest month; ``counts`` the matching counts,
    ``None`` for a month with no data (never 0). ``key`` is any hashable value
    the caller uses to recognise the series, e.g. ``(area_code, category)``.
    """

    key: Hashable
    months: Sequence[datetime.date]
    counts: Sequence[int | None]

    def __post_init__(self):
        try:
            hash(self.key)
        except TypeError:
            raise TypeError(f"series key must be hashable, got {self.key!r}") from None
        months = tuple(self.months)
        counts = tuple(self.counts)
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "counts", counts)
        where = f"series {self.key!r}"
        if not months:
            raise ValueError(f"{where}: no months")
        if len(counts) != len(months):
            raise ValueError(f"{where}: {len(months)} months but {len(counts)} counts")
        try:
            _months_ok(months)
        except (TypeError, ValueError):  # again, to name the series
            _check_months(months, where)
        _check_counts(counts, months, where)


@functools.lru_cache(maxsize=64)
def _months_ok(months: tuple) -> bool:
    """Cache of month sequences already checked (series usually share them)."""
    _check_months(months, "")
    return True


def _check_months(months: tuple, where: str) -> None:
    """First-of-month dates, one month apart, oldest first."""
    for month in months:
        if not isinstance(month, datetime.date) or isinstance(month, datetime.datetime):
            raise TypeError(f"{where}: months must be datetime.date, got {month!r}")
        if month.day != 1:
            raise ValueError(f"{where}: {month} is not the first of a month")
    first = months[0].year * 12 + months[0].month
    for offset, month in enumerate(months):
        if month.year * 12 + month.month != first + offset:
            raise ValueError(
                f"{where}: months must be consecutive and oldest first; "
                f"{month} follows {months[offset - 1]}"
            )


def _check_counts(counts: tuple, months: tuple, where: str) -> None:
    """Whole non-negative counts or None."""
    if set(map(type, counts)) <= {int, type(None)}:  # the usual case, quickly
        known = [count for count in counts if count is not None]
        if not known or min(known) >= 0:
            return
    for month, count in zip(months, counts, strict=True):
        if count is None:
            continue
        if isinstance(count, bool) or not isinstance(count, Integral):
            raise TypeError(
                f"{where}, {month:%Y-%m}: counts must be whole numbers or None, "
                f"got {count!r}"
            )
        if count < 0:
            raise ValueError(f"{where}, {month:%Y-%m}: negative count {count}")


@dataclass(frozen=True)
class TrendResult:
    """The trend test of one series for its latest month.

    ``observed`` is the latest month's count; ``expected`` the seasonal
    expectation, or the XmR chart's centre line when no seasonal expectation
    could be made (``note`` says so); ``excess = observed - expected``.
    ``signal`` names the routes whose rule fired (``"spc"``, ``"seasonal"``,
    ``"spc+seasonal"`` or ``""``); ``p_value`` is the series' combined p-value
    and ``q_value`` its Benjamini-Hochberg adjusted p-value across the run;
    ``flagged`` = a route fired and ``q_value <= alpha``. Series that could not
    be tested have ``p_value``/``q_value`` ``None`` and a note saying why.

    Beyond the briefing's fields: ``month`` (the latest month), ``upper`` (the
    seasonal upper bound), ``spc_p_value`` and ``seasonal_p_value`` (each
    route's p-value) and ``spc_rule`` (the chart rule of the latest concern
    point: ``outside_limits``, ``trend``, ``two_of_three`` or ``shift``).
    """

    key: Hashable
    observed: int | None
    expected: float | None
    excess: float | None
    signal: str
    p_value: float | None
    q_value: float | None
    flagged: bool
    spc_signal: bool
    seasonal_signal: bool
    note: str
    month: datetime.date | None = None
    upper: float | None = None
    spc_p_value: float | None = None
    seasonal_p_value: float | None = None
    spc_rule: str | None = None


def flagged_trends(results: Iterable[TrendResult]) -> list[TrendResult]:
    """The flagged results, largest excess count first (never by percentage)."""
    flagged = [result for result in results if result.flagged]
    return sorted(flagged, key=lambda result: -(result.excess or 0.0))


# The chart route, vectorised over series sharing months and missing months


def _run_lengths(condition: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at each column (0 where False)."""
    lengths = np.zeros(condition.shape, dtype=int)
    if condition.shape[1]:
        lengths[:, 0] = condition[:, 0]
    for j in range(1, condition.shape[1]):
        lengths[:, j] = np.where(condition[:, j], lengths[:, j - 1] + 1, 0)
    return lengths


def _chart_candidates(values: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """Rows whose chart might show concern in the ``recent`` columns.

    ``values`` has no missing values (the observed months of series that share
    their missing months). This is a superset, with a little slack for
    rounding, of the rows where ``spc.xmr`` finds a concern point (above the
    upper limit, 2 of 3 near the upper limit above the mean, a 7-point trend
    or 7 points above the mean) among the recent points; ``spc.xmr`` then
    decides. It saves running the chart on every series.
    """
    mean = values.mean(axis=1, keepdims=True)
    ranges = np.abs(np.diff(values, axis=1))
    amr = ranges.mean(axis=1, keepdims=True)
    kept = ranges < spc.SCREENING_FACTOR * amr
    count = kept.sum(axis=1, keepdims=True)
    screened = np.where(
        count > 0,
        (ranges * kept).sum(axis=1, keepdims=True) / np.maximum(count, 1),
        amr,
    )
    slack = 1e-9 * (1 + np.abs(values))
    upper = mean + spc.LIMIT_FACTOR * screened
    near = mean + spc.NEAR_LIMIT_FACTOR * screened
    above = values > mean - slack
    close = values > near - slack
    candidate = np.any((values > upper - slack)[:, recent], axis=1)
    first = recent[0] if recent.size else values.shape[1]
    for start in range(max(first - 2, 0), values.shape[1] - 2):
        window = slice(start, start + 3)
        candidate |= (close[:, window].sum(axis=1) >= 2) & above[:, window].all(axis=1)
    steps = np.diff(values, axis=1)
    pad = np.zeros((values.shape[0], 1), dtype=bool)
    rising = _run_lengths(np.hstack([pad, steps > 0])) + 1
    falling = _run_lengths(np.hstack([pad, steps < 0])) + 1
    shift = _run_lengths(above)
    run = 7  # spc.xmr's default run length
    for lengths in (rising, falling, shift):
        candidate |= np.any(lengths[:, recent] >= run, axis=1)
    return candidate


def spc_concern(values: np.ndarray) -> tuple[bool, str | None]:
    """Run the XmR chart; concern among the latest months, and its rule."""
    chart = spc.xmr(
        [None if math.isnan(v) else float(v) for v in values], improvement=IMPROVEMENT
    )
    rule = None
    for point in chart.points[-RECENT_MONTHS:]:
        if point.point_type == spc.SPECIAL_CAUSE_CONCERN:
            rule = point.rule
    return rule is not None, rule


def chart_route(values: np.ndarray, charted: np.ndarray) -> tuple[np.ndarray, list]:
    """Chart concern flags and rules of the ``charted`` rows of ``values``."""
    signal = np.zeros(values.shape[0], dtype=bool)
    rules: list[str | None] = [None] * values.shape[0]
    missing = np.isnan(values)
    n = values.shape[1]
    patterns: dict[bytes, list[int]] = defaultdict(list)
    for row in np.nonzero(charted)[0]:
        patterns[missing[row].tobytes()].append(int(row))
    for rows in patterns.values():
        columns = np.nonzero(~missing[rows[0]])[0]
        recent = np.nonzero(columns >= n - RECENT_MONTHS)[0]
        compact = values[np.ix_(rows, columns)]
        for row in np.asarray(rows)[_chart_candidates(compact, recent)]:
            signal[row], rules[row] = spc_concern(values[row])
    return signal, rules


def _recent_rate_p_values(values: np.ndarray) -> np.ndarray:
    """One-sided exact conditional test: latest 3 months against the rest."""
    recent = values[:, -RECENT_MONTHS:]
    earlier = values[:, :-RECENT_MONTHS]
    k1 = np.nansum(recent, axis=1)
    k2 = np.nansum(earlier, axis=1)
    n1 = np.sum(~np.isnan(recent), axis=1)
    n2 = np.sum(~np.isnan(earlier), axis=1)
    share = n1 / np.maximum(n1 + n2, 1)
    p_values = stats.binom.sf(k1 - 1, k1 + k2, share)
    return np.where(k1 + k2 > 0, p_values, 1.0)


# Putting it together


@dataclass
class _Group:
    """Series over the same months, as a matrix (NaN = no data)."""

    months: tuple[datetime.date, ...]
    series: list[TrendSeries]
    positions: list[int]  # of each series in the input
    values: np.ndarray


def _groups(series: Iterable[TrendSeries]) -> list[_Group]:
    """Group the series by their months, keeping the input order inside."""
    by_months: dict[tuple, list[tuple[int, TrendSeries]]] = defaultdict(list)
    for position, item in enumerate(series):
        if not isinstance(item, TrendSeries):
            raise TypeError(f"emerging_trends takes TrendSeries values, got {item!r}")
        by_months[(item.months[0], len(item.months))].append((position, item))
    groups = []
    for members in by_months.values():
        values = np.array(
            [
                [math.nan if c is None else c for c in item.counts]
                for _, item in members
            ],
            dtype=float,
        )
        groups.append(
            _Group(
                months=members[0][1].months,
                series=[item for _, item in members],
                positions=[position for position, _ in members],
                values=values,
            )
        )
    return groups


def _chart_means(values: np.ndarray) -> np.ndarray:
    """The XmR centre line of each row (mean of its observed months)."""
    observed = ~np.isnan(values)
    return np.nansum(values, axis=1) / np.maximum(observed.sum(axis=1), 1)


def _evaluate(group: _Group, options: SeasonalOptions) -> dict:
    """Both routes for one group; arrays of length S."""
    values = group.values
    observed_months = np.sum(~np.isnan(values), axis=1)
    latest_missing = np.isnan(values[:, -1])
    charted = (observed_months >= MIN_CHART_MONTHS) & ~latest_missing
    spc_signal, rules = chart_route(values, charted)
    seasonal = seasonal_batch(values, options)
    seasonal_ok = seasonal["status"] == "ok"
    spc_p = np.where(charted, _recent_rate_p_values(values), np.nan)
    seasonal_p = np.where(
        seasonal["enough_cases"],
        seasonal["p_value"],
        np.where(seasonal_ok, 1.0, np.nan),
    )
    routes = np.isfinite(spc_p).astype(int) + np.isfinite(seasonal_p)
    smallest = np.fmin(spc_p, seasonal_p)
    p_value = np.where(routes > 0, np.minimum(1.0, routes * smallest), np.nan)
    expected = np.where(seasonal_ok, seasonal["expected"], _chart_means(values))
    return {
        "values": values,
        "charted": charted,
        "spc_signal": spc_signal & charted,
        "rules": rules,
        "seasonal": seasonal,
        "spc_p": spc_p,
        "seasonal_p": seasonal_p,
        "p_value": p_value,
        "expected": np.where(routes > 0, expected, np.nan),
        "observed_months": observed_months,
        "options": options,
    }


def _note(
    status: str,
    have: int,
    tested: bool,
    charted: bool,
    enough_cases: bool,
    reference_points: int,
    history: str,
    options: SeasonalOptions,
) -> str:
    """Plain-English caveats for one series."""
    if status == "latest_missing":
        return "not tested: no data for the latest month"
    if not tested:
        return (
            f"not tested: too short ({_months(have)} with data; the chart needs "
            f"{MIN_CHART_MONTHS} and the seasonal expectation "
            f"{options.min_reference_points} around the same month of past years)"
        )
    notes = []
    if status != "ok":
        notes.append(status_note(status, reference_points, options))
        notes.append("expected is the chart's centre line")
    else:
        notes.append(history)
    if not charted:
        notes.append(f"no chart: {_months(have)} with data (needs {MIN_CHART_MONTHS})")
    if not enough_cases:
        notes.append(
            f"fewer than {options.limit54[0]} incidents in the last "
            f"{options.limit54[1]} months"
        )
    return "; ".join(note for note in notes if note)


def _months(count: int) -> str:
    return f"{count} month" if count == 1 else f"{count} months"


def _column(values: np.ndarray) -> list:
    """A float array as a list with None for NaN."""
    return [None if value != value else value for value in values.tolist()]


def _notes(evaluated: dict, options: SeasonalOptions) -> list[str]:
    """The note of every series of a group (computed once per distinct case)."""
    seasonal = evaluated["seasonal"]
    history = history_note(seasonal["years_used"], seasonal["full_years"], options)
    cases = zip(
        seasonal["status"].tolist(),
        evaluated["observed_months"].tolist(),
        np.isfinite(evaluated["p_value"]).tolist(),
        evaluated["charted"].tolist(),
        seasonal["enough_cases"].tolist(),
        seasonal["reference_points"].tolist(),
        strict=True,
    )
    cache: dict[tuple, str] = {}
    notes = []
    for case in cases:
        if case not in cache:
            cache[case] = _note(*case, history, options)
        notes.append(cache[case])
    return notes


def _results(group: _Group, evaluated: dict, q_values: dict, alpha: float) -> list:
    """TrendResult values of one group, in input order."""
    columns = zip(
        group.series,
        group.positions,
        evaluated["spc_signal"].tolist(),
        evaluated["seasonal"]["alarm"].tolist(),
        _column(evaluated["expected"]),
        _column(evaluated["p_value"]),
        _column(evaluated["seasonal"]["upper"]),
        _column(evaluated["spc_p"]),
        _column(evaluated["seasonal_p"]),
        evaluated["rules"],
        _notes(evaluated, options=evaluated["options"]),
        strict=True,
    )
    month = group.months[-1]
    results = []
    for (
        item,
        position,
        spc_signal,
        seasonal_signal,
        expected,
        p_value,
        upper,
        spc_p,
        seasonal_p,
        rule,
        note,
    ) in columns:
        signal = SIGNALS[spc_signal, seasonal_signal]
        q_value = q_values.get(position)
        observed = item.counts[-1]
        excess = None if expected is None or observed is None else observed - expected
        results.append(
            TrendResult(
                key=item.key,
                observed=observed,
                expected=expected,
                excess=excess,
                signal=signal,
                p_value=p_value,
                q_value=q_value,
                flagged=bool(signal) and q_value is not None and q_value <= alpha,
                spc_signal=spc_signal,
                seasonal_signal=seasonal_signal,
                note=note,
                month=month,
                upper=upper,
                spc_p_value=spc_p,
                seasonal_p_value=seasonal_p,
                spc_rule=rule,
            )
        )
    return results


def emerging_trends(
    series: Iterable[TrendSeries],
    *,
    alpha: float = 0.05,
    seasonal: SeasonalOptions | None = None,
) -> list[TrendResult]:
    """Test every series for an emerging and worrying trend in its latest month.

    Returns one ``TrendResult`` per series, in input order. Series may end at
    different months and have different lengths; the false discovery rate is
    controlled across all of them. ``seasonal`` overrides the Farrington
    options (``SeasonalOptions(b=5, w=3, limit54=(5, 4), ...)``); its
    ``alpha`` sets the seasonal bound, ``alpha`` here the false discovery rate.
    Use ``flagged_trends`` for the flagged ones ranked by excess.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    options = seasonal or SeasonalOptions()
    groups = _groups(series)
    evaluated = [_evaluate(group, options) for group in groups]
    tested = [
        (position, p)
        for group, result in zip(groups, evaluated, strict=True)
        for position, p in zip(group.positions, result["p_value"], strict=True)
        if np.isfinite(p)
    ]
    q = bh_q_values(np.array([p for _, p in tested], dtype=float))
    q_values = {
        position: float(value) for (position, _), value in zip(tested, q, strict=True)
    }
    placed: dict[int, TrendResult] = {}
    for group, result in zip(groups, evaluated, strict=True):
        for position, item in zip(
            group.positions, _results(group, result, q_values, alpha), strict=True
        ):
            placed[position] = item
    return [placed[position] for position in range(len(placed))]
