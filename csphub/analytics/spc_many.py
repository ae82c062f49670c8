"""Many XmR charts at once: ``xmr`` vectorised over complete series of one length.

A national comparison (every partnership, every indicator) is tens of
thousands of series; calling ``spc.xmr`` on each costs about a millisecond in
Python loops. ``xmr_many`` computes the same limits, rules, point types and
icons with numpy over a 2-D array (one row per series) and gives exactly the
results of ``spc.xmr`` for each row (a test checks it on random series with
ties and points on the mean).

It covers series with no missing periods and no rebase; use ``spc.xmr`` for
those. Screened moving ranges are averaged row by row, with the same numpy call
as ``spc.process_limits``, so the limits are bit-identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .spc import (
    COMMON_CAUSE,
    LIMIT_FACTOR,
    NEAR_LIMIT_FACTOR,
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_OF_THREE,
    SCREENING_FACTOR,
    SHORT_GROUP_THRESHOLD,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
    ProcessLimits,
    XmrGroup,
    XmrPoint,
    XmrResult,
    as_values,
    assurance_icon,
    check_options,
    improvement_sign,
    variation_icon,
    xmr,
)

# point_type codes of XmrMany.codes
CODE_NAMES = {
    0: COMMON_CAUSE,
    1: SPECIAL_CAUSE_IMPROVEMENT,
    -1: SPECIAL_CAUSE_CONCERN,
    2: SPECIAL_CAUSE_NEUTRAL_HIGH,
    -2: SPECIAL_CAUSE_NEUTRAL_LOW,
}
# rule codes of XmrMany.rules
RULE_NAMES = {
    0: None,
    1: RULE_OUTSIDE_LIMITS,
    2: RULE_TREND,
    3: RULE_TWO_OF_THREE,
    4: RULE_SHIFT,
}


@dataclass(frozen=True)
class XmrMany:
    """XmR charts of many series: per-series limits, per-point type codes, icons.

    ``codes[i, t]`` is 0 for common cause, 1 improvement, -1 concern, 2 / -2
    neutral high / low (``CODE_NAMES``); ``point_types(i)`` gives the names.
    """

    mean: np.ndarray
    amr: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray
    near_lpl: np.ndarray
    near_upl: np.ndarray
    codes: np.ndarray
    rules: np.ndarray
    relative_to_mean: np.ndarray
    outside_limits: np.ndarray
    close_to_limits: np.ndarray
    baseline_n: int
    variation_icons: list
    assurance_icons: list
    short_group_warning: bool

    def point_types(self, i):
        """The point_type names of series ``i``, as ``spc.xmr`` gives them."""
        return [CODE_NAMES[int(c)] for c in self.codes[i]]


def _windows(a, width):
    return sliding_window_view(a, width, axis=1)


def _spread_back(ends, run_length):
    """A point is part of a run when it or one of the next run_length - 1 ends one."""
    n, m = ends.shape
    padded = np.concatenate([ends, np.zeros((n, run_length - 1), bool)], axis=1)
    return _windows(padded, run_length).any(axis=2)


def _limits(y, screen_outliers, fix_after_n_points):
    baseline = y[:, :fix_after_n_points] if fix_after_n_points else y
    mean = np.mean(baseline, axis=1)
    moving = np.abs(np.diff(baseline, axis=1))
    amr = np.mean(moving, axis=1)
    if screen_outliers:
        keep = moving < SCREENING_FACTOR * amr[:, None]
        kept = keep.sum(axis=1)
        whole = kept == moving.shape[1]
        # Rows with screened ranges: the mean of the kept ones, one row at a
        # time, so the sum is taken exactly as process_limits takes it.
        for i in np.flatnonzero(~whole & (kept > 0)):
            amr[i] = np.mean(moving[i][keep[i]])
    return mean, amr


def _rule_parts(y, rtm, close, run_length):
    steps = np.sign(np.diff(y, axis=1)).astype(int)
    n, m = y.shape
    trend_ends = np.zeros((n, m), bool)
    step_windows = _windows(steps, run_length - 1)
    trend_ends[:, run_length - 1 :] = (step_windows == 1).all(axis=2) | (
        step_windows == -1
    ).all(axis=2)
    trend = _spread_back(trend_ends, run_length)

    close_i = close.astype(int)
    pad = np.zeros((n, 2), int)
    close_pad = np.concatenate([pad, close_i, pad], axis=1)
    rtm_pad = np.concatenate([pad, rtm, pad], axis=1)
    qualifies = (_windows(close_pad, 3).sum(axis=2) >= 2) & (
        np.abs(_windows(rtm_pad, 3).sum(axis=2)) == 3
    )
    two_of_three = _windows(qualifies, 3).any(axis=2) & close

    shift_ends = np.zeros((n, m), bool)
    rtm_windows = _windows(rtm, run_length)
    last = rtm_windows[:, :, -1:]
    shift_ends[:, run_length - 1 :] = (last[:, :, 0] != 0) & (rtm_windows == last).all(
        axis=2
    )
    shift = _spread_back(shift_ends, run_length)

    right = np.concatenate([steps, steps[:, -1:]], axis=1)
    left = np.concatenate([np.zeros((n, 1), int), steps], axis=1)
    next_in_trend = np.concatenate([trend[:, 1:], np.zeros((n, 1), bool)], axis=1)
    trend_step = np.where(trend & next_in_trend, right, left)
    return trend, trend_step, two_of_three, shift


def xmr_many(
    values,
    *,
    improvement: str = "increase",
    target=None,
    screen_outliers: bool = True,
    fix_after_n_points: int | None = None,
    run_length: int = 7,
    two_of_three_includes_beyond_limits: bool = False,
) -> XmrMany:
    """``spc.xmr`` on each row of a 2-D array of complete series.

    ``target`` is None, one number for every series, or one per series (None
    or NaN for none). Raises ValueError for missing or infinite values, fewer
    than two points, or the options ``spc.xmr`` rejects.
    """
    check_options(improvement, fix_after_n_points, run_length)
    y = np.ascontiguousarray(np.asarray(values, dtype=float))
    if y.ndim != 2 or y.shape[1] < 2:
        raise ValueError("values must be a 2-D array of series of at least 2 points")
    if y.shape[1] < run_length:
        raise ValueError(f"series need at least run_length ({run_length}) points")
    if not np.all(np.isfinite(y)):
        raise ValueError("xmr_many needs complete series; use xmr for missing values")
    mean, amr = _limits(y, screen_outliers, fix_after_n_points)
    lpl, upl = mean - LIMIT_FACTOR * amr, mean + LIMIT_FACTOR * amr
    near_lpl, near_upl = mean - NEAR_LIMIT_FACTOR * amr, mean + NEAR_LIMIT_FACTOR * amr
    rtm = np.sign(y - mean[:, None]).astype(int)
    outside = (y > upl[:, None]) | (y < lpl[:, None])
    beyond_near = (y < near_lpl[:, None]) | (y > near_upl[:, None])
    close = (
        beyond_near if two_of_three_includes_beyond_limits else beyond_near & ~outside
    )
    trend, trend_step, two_of_three, shift = _rule_parts(y, rtm, close, run_length)

    side = np.where(rtm > 0, 1, -1)
    direction = np.where(
        outside,
        np.where(rtm == 1, 1, -1),
        np.where(
            trend,
            np.where(trend_step == 1, 1, -1),
            np.where(two_of_three | shift, side, 0),
        ),
    )
    rules = np.where(
        outside, 1, np.where(trend, 2, np.where(two_of_three, 3, np.where(shift, 4, 0)))
    )
    sign = improvement_sign(improvement)
    codes = direction * sign if sign else direction * 2
    targets = _targets(target, y.shape[0])
    return XmrMany(
        mean=mean,
        amr=amr,
        lpl=lpl,
        upl=upl,
        near_lpl=near_lpl,
        near_upl=near_upl,
        codes=codes,
        rules=rules,
        relative_to_mean=rtm,
        outside_limits=outside,
        close_to_limits=close,
        baseline_n=min(fix_after_n_points or y.shape[1], y.shape[1]),
        variation_icons=[
            variation_icon(CODE_NAMES[int(c)], improvement) for c in codes[:, -1]
        ],
        assurance_icons=[
            assurance_icon(float(lo), float(hi), t, improvement)
            for lo, hi, t in zip(lpl, upl, targets, strict=True)
        ],
        short_group_warning=y.shape[1] < SHORT_GROUP_THRESHOLD,
    )


def _targets(target, n):
    if target is None:
        return [None] * n
    array = np.broadcast_to(np.asarray(target, dtype=float), (n,))
    return [None if np.isnan(t) else float(t) for t in array]


def xmr_fast(values, *, rebase_at=(), **options) -> XmrResult:
    """Exactly ``spc.xmr(values, ...)``, computed by the vectorised path.

    Missing periods are handled as ``xmr`` handles them (left out of every
    calculation, put back as points with no value). Series ``xmr_many``
    cannot take (a rebase, fewer than two observed points) go to ``xmr``.
    """
    if rebase_at:
        return xmr(values, rebase_at=rebase_at, **options)
    improvement = options.pop("improvement", "increase")
    target = options.pop("target", None)
    return xmr_each([values], [improvement], [target], **options)[0]


def xmr_each(series, improvements, targets, **options) -> list:
    """``spc.xmr`` of each series with its own improvement direction and target
    (other options shared), exactly, in as few vectorised batches as there are
    (observed length, direction) pairs.

    A page that charts sixty indicators calls this once: ``xmr`` on each costs
    about a millisecond a chart in per-point loops.
    """
    prepared = [as_values(values) for values in series]
    observed = [np.flatnonzero(~np.isnan(y)) for y in prepared]
    results = [None] * len(prepared)
    batches = {}
    for i, (seen, improvement) in enumerate(zip(observed, improvements, strict=True)):
        if seen.size < 8:  # shorter than a run window: the loops cost nothing
            results[i] = xmr(
                series[i], improvement=improvement, target=targets[i], **options
            )
        else:
            batches.setdefault((seen.size, improvement), []).append(i)
    for (_, improvement), members in batches.items():
        rows = np.vstack([prepared[i][observed[i]] for i in members])
        many = xmr_many(
            rows,
            improvement=improvement,
            target=[np.nan if targets[i] is None else targets[i] for i in members],
            **options,
        )
        for row, i in enumerate(members):
            results[i] = _result(many, row, prepared[i], observed[i], improvement)
            results[i] = _with_target(results[i], targets[i])
    return results


def _with_target(result, target):
    if result.target == target:
        return result
    return XmrResult(
        result.points,
        result.groups,
        result.improvement,
        target,
        result.variation_icon,
        result.assurance_icon,
        result.short_group_warning,
    )


def _result(many, row, y, observed, improvement):
    """One row of an XmrMany as the XmrResult ``xmr`` gives."""
    limits = ProcessLimits(
        n=many.baseline_n,
        mean=float(many.mean[row]),
        amr=float(many.amr[row]),
        lpl=float(many.lpl[row]),
        upl=float(many.upl[row]),
        near_lpl=float(many.near_lpl[row]),
        near_upl=float(many.near_upl[row]),
    )
    # Python lists, not numpy scalars: indexing those costs more than the maths
    at = {index: k for k, index in enumerate(observed.tolist())}
    values, rtm = y.tolist(), many.relative_to_mean[row].tolist()
    outside = many.outside_limits[row].tolist()
    close = many.close_to_limits[row].tolist()
    rules, codes = many.rules[row].tolist(), many.codes[row].tolist()
    points = []
    for index in range(y.size):
        k = at.get(index)
        seen = k is not None
        points.append(
            XmrPoint(
                index,
                values[index] if seen else None,
                0,
                limits.mean,
                limits.lpl,
                limits.upl,
                limits.near_lpl,
                limits.near_upl,
                rtm[k] if seen else None,
                seen and outside[k],
                seen and close[k],
                RULE_NAMES[rules[k]] if seen else None,
                CODE_NAMES[codes[k]] if seen else None,
            )
        )
    warning = observed.size < SHORT_GROUP_THRESHOLD
    return XmrResult(
        points=tuple(points),
        groups=(XmrGroup(0, y.size, int(observed.size), limits, warning),),
        improvement=improvement,
        target=None,
        variation_icon=many.variation_icons[row],
        assurance_icon=many.assurance_icons[row],
        short_group_warning=warning,
    )
