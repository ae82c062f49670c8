"""XmR statistical process control charts with the NHS "Making Data Count" rules.

The calculations follow NHSRplotthedots 0.2.2 (nhs-r-community/NHSRplotthedots
@050b07d7), as described in section 1 of the analytics reference ``METHODS.md``:

* limits: mean and average moving range (AMR), with moving ranges screened at
  3.267 x AMR by default (``screen_outliers=False`` reproduces the MDC Excel
  tool), process limits at mean +/- 2.66 x AMR and near-limit (2 sigma) lines at
  mean +/- (2/3 x 2.66) x AMR;
* special-cause rules, in order of precedence: a point outside the limits, a
  trend of 7 points, 2 of 3 points near a limit on one side of the mean, and a
  shift of 7 points on one side of the mean;
* point types by improvement direction, the variation icon of the latest point
  and the assurance icon against a target.

Two options exist for the points where the references disagree:
``run_length=6`` (MDC Excel tool option, issue #202) and
``two_of_three_includes_beyond_limits=True`` (the Excel tool's counting of all
points beyond 2 sigma, issue #194). The defaults reproduce NHSRplotthedots.

The rule helpers keep the names of the reference functions without their
``ptd_`` prefix (``seven_point_one_side_mean`` and so on), so that the
reference unit cases can be checked function by function; the run-based ones
take the run length as a keyword, 7 by default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

LIMIT_FACTOR = 2.66
NEAR_LIMIT_FACTOR = 2 * (LIMIT_FACTOR / 3)
SCREENING_FACTOR = 3.267
MIN_FIX_AFTER_N_POINTS = 12
SHORT_GROUP_THRESHOLD = 13
RUN_LENGTHS = (6, 7)

IMPROVEMENT_SIGNS = {"increase": 1, "decrease": -1, "neutral": 0}

COMMON_CAUSE = "common_cause"
SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"

RULE_OUTSIDE_LIMITS = "outside_limits"
RULE_TREND = "trend"
RULE_TWO_OF_THREE = "two_of_three"
RULE_SHIFT = "shift"


@dataclass(frozen=True)
class ProcessLimits:
    """Centre line and limits computed from a baseline of ``n`` points.

    Limits are ``None`` when there are fewer than two baseline points, since no
    moving range exists; ``mean`` is ``None`` only for an empty baseline.
    """

    n: int
    mean: float | None
    amr: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None


@dataclass(frozen=True)
class XmrGroup:
    """One rebase group: periods ``start`` to ``stop - 1`` and their limits."""

    start: int
    stop: int
    n_observed: int
    limits: ProcessLimits
    short_group_warning: bool


@dataclass(frozen=True)
class XmrPoint:
    """One period of the chart.

    ``rule`` is the special-cause rule that decided the point
    (``outside_limits``, ``trend``, ``two_of_three`` or ``shift``), or ``None``
    for common cause and for missing periods.
    """

    index: int
    value: float | None
    group: int
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None
    relative_to_mean: int | None
    outside_limits: bool
    close_to_limits: bool
    rule: str | None
    point_type: str | None


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart: its points, rebase groups and summary icons."""

    points: tuple[XmrPoint, ...]
    groups: tuple[XmrGroup, ...]
    improvement: str
    target: float | None
    variation_icon: str | None
    assurance_icon: str | None
    short_group_warning: bool


# Rule helpers (reference names; vectors in, numpy integer arrays out)


def _check_run_length(run_length: int) -> None:
    """Reject run lengths that cannot form a run."""
    if isinstance(run_length, bool) or not isinstance(run_length, int):
        raise TypeError(f"run_length must be an integer, got {run_length!r}")
    if run_length < 2:
        raise ValueError(f"run_length must be at least 2, got {run_length}")


def seven_point_one_side_mean(
    relative_to_mean: Sequence[float], *, run_length: int = 7
) -> np.ndarray:
    """Flag the last point of every run of points on one side of the mean.

    A point is flagged (1) when it and the ``run_length - 1`` points before it
    all have the same non-zero ``relative_to_mean``. A point on the mean (0)
    never counts, so it breaks a run.
    """
    _check_run_length(run_length)
    rtm = np.asarray(relative_to_mean, dtype=float)
    flags = np.zeros(rtm.size, dtype=int)
    for i in range(run_length - 1, rtm.size):
        window = rtm[i - run_length + 1 : i + 1]
        flags[i] = int(window[-1] != 0 and bool(np.all(window == window[-1])))
    return flags


def part_of_seven_trend(flags: Sequence[float], *, run_length: int = 7) -> np.ndarray:
    """Spread run-end flags back over the whole run.

    A point is part of a run (1) when it, or one of the ``run_length - 1``
    points after it, carries a flag of +1 or -1 (the absolute value is used, as
    fixed in NHSRplotthedots issue #167).
    """
    _check_run_length(run_length)
    ends = np.abs(np.asarray(flags, dtype=float)) == 1
    part = np.zeros(ends.size, dtype=int)
    for i in range(ends.size):
        part[i] = int(bool(np.any(ends[i : i + run_length])))
    return part


def seven_point_trend(y: Sequence[float], *, run_length: int = 7) -> np.ndarray:
    """Flag the last point of every strictly monotone run of ``run_length``.

    Returns +1 where the point ends an increasing run, -1 where it ends a
    decreasing run and 0 otherwise. Equal consecutive values break a trend.
    """
    _check_run_length(run_length)
    values = np.asarray(y, dtype=float)
    flags = np.zeros(values.size, dtype=int)
    for i in range(run_length - 1, values.size):
        steps = np.sign(np.diff(values[i - run_length + 1 : i + 1]))
        if np.all(steps == 1):
            flags[i] = 1
        elif np.all(steps == -1):
            flags[i] = -1
    return flags


def two_in_three(
    close_to_limits: Sequence[float], relative_to_mean: Sequence[float] | float
) -> np.ndarray:
    """Flag points inside any 3-point window that meets the 2-of-3 rule.

    A window qualifies when at least two of its points are close to a limit and
    all three lie on the same side of the mean (issue #143). A scalar or
    length-1 ``relative_to_mean`` is recycled, as in R.
    """
    close = np.asarray(close_to_limits, dtype=float)
    if close.size == 0:
        return np.zeros(0, dtype=int)
    rtm = np.broadcast_to(np.asarray(relative_to_mean, dtype=float), close.shape)
    close_padded = np.concatenate(([0.0, 0.0], close, [0.0, 0.0]))
    rtm_padded = np.concatenate(([0.0, 0.0], rtm, [0.0, 0.0]))
    flags = np.zeros(close.size, dtype=int)
    for i in range(close.size):
        flags[i] = int(
            any(
                close_padded[j : j + 3].sum() >= 2
                and abs(rtm_padded[j : j + 3].sum()) == 3
                for j in range(i, i + 3)
            )
        )
    return flags


def part_of_two_in_three(
    window_flags: Sequence[float], close_to_limits: Sequence[float]
) -> np.ndarray:
    """Keep only the close-to-limit points of qualifying 2-of-3 windows."""
    window = np.asarray(window_flags, dtype=float)
    close = np.asarray(close_to_limits, dtype=float)
    return ((window == 1) & (np.abs(close) == 1)).astype(int)


# Limits


def process_limits(
    baseline: Sequence[float], *, screen_outliers: bool = True
) -> ProcessLimits:
    """Mean, average moving range and limits from consecutive baseline values.

    With ``screen_outliers`` the moving ranges at or above 3.267 x AMR are
    dropped and the AMR is recomputed once over the rest. When every moving
    range is zero, screening would drop them all (R then returns NaN limits);
    here the AMR stays 0, so the limits collapse onto the mean.
    """
    values = np.asarray(baseline, dtype=float)
    if values.size == 0:
        return ProcessLimits(0, None, None, None, None, None, None)
    mean = float(np.mean(values))
    if values.size == 1:
        return ProcessLimits(1, mean, None, None, None, None, None)
    moving_ranges = np.abs(np.diff(values))
    amr = float(np.mean(moving_ranges))
    if screen_outliers:
        kept = moving_ranges[moving_ranges < SCREENING_FACTOR * amr]
        if kept.size:
            amr = float(np.mean(kept))
    return ProcessLimits(
        n=int(values.size),
        mean=mean,
        amr=amr,
        lpl=mean - LIMIT_FACTOR * amr,
        upl=mean + LIMIT_FACTOR * amr,
        near_lpl=mean - NEAR_LIMIT_FACTOR * amr,
        near_upl=mean + NEAR_LIMIT_FACTOR * amr,
    )


def _limit_flags(
    y: np.ndarray, limits: ProcessLimits, include_beyond_limits: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``relative_to_mean``, ``outside_limits`` and ``close_to_limits``."""
    no_flags = np.zeros(y.size, dtype=bool)
    if limits.mean is None:
        return np.zeros(y.size, dtype=int), no_flags, no_flags
    relative = np.sign(y - limits.mean).astype(int)
    if limits.lpl is None or limits.upl is None:
        return relative, no_flags, no_flags
    outside = (y > limits.upl) | (y < limits.lpl)
    beyond_near = (y < limits.near_lpl) | (y > limits.near_upl)
    close = beyond_near if include_beyond_limits else beyond_near & ~outside
    return relative, outside, close


# Special-cause classification


def _trend_directions(y: np.ndarray, part_of_trend: np.ndarray) -> np.ndarray:
    """Sign of the step that places each point in its trend.

    Inside a trend the step to the next point is used; at the last point of a
    trend, the step from the previous point (as in NHSRplotthedots).
    """
    if y.size < 2:
        return np.zeros(y.size, dtype=int)
    steps = np.sign(np.diff(y)).astype(int)
    right = np.append(steps, steps[-1])
    left = np.insert(steps, 0, 0)
    next_in_trend = np.append(part_of_trend[1:], 0)
    use_right = (part_of_trend != 0) & (next_in_trend != 0)
    return np.where(use_right, right, left)


def special_cause_rules(
    y: Sequence[float],
    relative_to_mean: Sequence[float],
    close_to_limits: Sequence[float],
    outside_limits: Sequence[float],
    *,
    run_length: int = 7,
) -> tuple[list[str | None], list[int]]:
    """Apply the four rules to one group of consecutive points.

    Returns, per point, the rule that decided it (precedence: outside limits,
    trend, 2 of 3, shift; ``None`` for common cause) and its direction: +1 for
    above the mean or increasing, -1 for below or decreasing, 0 for none.
    """
    values = np.asarray(y, dtype=float)
    rtm = np.asarray(relative_to_mean, dtype=int)
    close = np.asarray(close_to_limits, dtype=int)
    outside = np.asarray(outside_limits, dtype=bool)
    trend = part_of_seven_trend(
        seven_point_trend(values, run_length=run_length), run_length=run_length
    )
    two_of_three = part_of_two_in_three(two_in_three(close, rtm), close)
    shift = part_of_seven_trend(
        seven_point_one_side_mean(rtm, run_length=run_length), run_length=run_length
    )
    steps = _trend_directions(values, trend)
    rules: list[str | None] = []
    directions: list[int] = []
    for i in range(values.size):
        side = 1 if rtm[i] > 0 else -1
        if outside[i]:
            rules.append(RULE_OUTSIDE_LIMITS)
            directions.append(1 if rtm[i] == 1 else -1)
        elif trend[i]:
            rules.append(RULE_TREND)
            directions.append(1 if steps[i] == 1 else -1)
        elif two_of_three[i]:
            rules.append(RULE_TWO_OF_THREE)
            directions.append(side)
        elif shift[i]:
            rules.append(RULE_SHIFT)
            directions.append(side)
        else:
            rules.append(None)
            directions.append(0)
    return rules, directions


def point_type(direction: int, improvement: str) -> str:
    """Name a point from its special-cause direction and improvement direction."""
    sign = improvement_sign(improvement)
    if direction == 0:
        return COMMON_CAUSE
    if sign == 0:
        return (
            SPECIAL_CAUSE_NEUTRAL_HIGH if direction > 0 else SPECIAL_CAUSE_NEUTRAL_LOW
        )
    if direction * sign > 0:
        return SPECIAL_CAUSE_IMPROVEMENT
    return SPECIAL_CAUSE_CONCERN


def variation_icon(point_type_name: str | None, improvement: str) -> str | None:
    """Variation icon for a point type, oriented by the improvement direction."""
    increase = improvement_sign(improvement) > 0
    icons = {
        COMMON_CAUSE: "common_cause",
        SPECIAL_CAUSE_NEUTRAL_HIGH: "neutral_high",
        SPECIAL_CAUSE_NEUTRAL_LOW: "neutral_low",
        SPECIAL_CAUSE_IMPROVEMENT: "improvement_high"
        if increase
        else "improvement_low",
        SPECIAL_CAUSE_CONCERN: "concern_low" if increase else "concern_high",
    }
    return icons.get(point_type_name) if point_type_name is not None else None


def assurance_icon(
    lpl: float | None, upl: float | None, target: float | None, improvement: str
) -> str | None:
    """Assurance icon of a target against the process limits.

    ``None`` without a target, with a neutral direction or without limits. A
    target exactly on a limit is ``inconsistent``.
    """
    sign = improvement_sign(improvement)
    if target is None or sign == 0 or lpl is None or upl is None:
        return None
    if target > upl:
        return "consistent_fail" if sign > 0 else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if sign > 0 else "consistent_fail"
    return "inconsistent"


def improvement_sign(improvement: str) -> int:
    """Map an improvement direction to +1, -1 or 0."""
    try:
        return IMPROVEMENT_SIGNS[improvement]
    except (KeyError, TypeError):
        raise ValueError(
            "improvement must be 'increase', 'decrease' or 'neutral', "
            f"got {improvement!r}"
        ) from None


# The chart


def as_values(values: Sequence[float | None]) -> np.ndarray:
    """Convert the series to floats, with NaN for missing periods."""
    converted = [math.nan if value is None else float(value) for value in values]
    array = np.asarray(converted, dtype=float)
    if np.any(np.isinf(array)):
        raise ValueError("values must be finite numbers, None or NaN")
    return array


def _group_starts(rebase_at: Sequence[int], n: int) -> list[int]:
    """Sorted start indexes of the rebase groups, always including 0."""
    starts = {0}
    for index in rebase_at:
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"rebase_at must hold integer indexes, got {index!r}")
        if not 0 <= index < n:
            raise ValueError(f"rebase_at index {index} is outside 0..{n - 1}")
        starts.add(int(index))
    return sorted(starts)


def check_options(
    improvement: str, fix_after_n_points: int | None, run_length: int
) -> None:
    """Validate the chart options."""
    improvement_sign(improvement)
    if fix_after_n_points is not None and (
        isinstance(fix_after_n_points, bool)
        or not isinstance(fix_after_n_points, int)
        or fix_after_n_points < MIN_FIX_AFTER_N_POINTS
    ):
        raise ValueError(
            "fix_after_n_points must be None or an integer of at least "
            f"{MIN_FIX_AFTER_N_POINTS}, got {fix_after_n_points!r}"
        )
    if run_length not in RUN_LENGTHS:
        raise ValueError(
            f"run_length must be 7 (NHSRplotthedots) or 6 (MDC Excel option), "
            f"got {run_length!r}"
        )


@dataclass(frozen=True)
class _Options:
    """Chart options passed down to the per-group calculation."""

    improvement: str
    screen_outliers: bool
    fix_after_n_points: int | None
    run_length: int
    two_of_three_includes_beyond_limits: bool


def _chart_group(
    y: np.ndarray, start: int, stop: int, group: int, options: _Options
) -> tuple[XmrGroup, list[XmrPoint]]:
    """Limits, rules and points of one rebase group."""
    indexes = np.arange(start, stop)
    observed = indexes[~np.isnan(y[start:stop])]
    obs_y = y[observed]
    baseline = obs_y[: options.fix_after_n_points]
    limits = process_limits(baseline, screen_outliers=options.screen_outliers)
    relative, outside, close = _limit_flags(
        obs_y, limits, options.two_of_three_includes_beyond_limits
    )
    rules, directions = special_cause_rules(
        obs_y, relative, close, outside, run_length=options.run_length
    )
    by_index = {
        int(index): (k, rules[k], point_type(directions[k], options.improvement))
        for k, index in enumerate(observed)
    }
    points = []
    for index in range(start, stop):
        k, rule, kind = by_index.get(index, (None, None, None))
        points.append(
            XmrPoint(
                index=index,
                value=None if k is None else float(obs_y[k]),
                group=group,
                mean=limits.mean,
                lpl=limits.lpl,
                upl=limits.upl,
                near_lpl=limits.near_lpl,
                near_upl=limits.near_upl,
                relative_to_mean=None if k is None else int(relative[k]),
                outside_limits=k is not None and bool(outside[k]),
                close_to_limits=k is not None and bool(close[k]),
                rule=rule,
                point_type=kind,
            )
        )
    summary = XmrGroup(
        start=start,
        stop=stop,
        n_observed=int(observed.size),
        limits=limits,
        short_group_warning=observed.size < SHORT_GROUP_THRESHOLD,
    )
    return summary, points


def xmr(
    values: Sequence[float | None],
    *,
    improvement: str = "increase",
    target: float | None = None,
    screen_outliers: bool = True,
    fix_after_n_points: int | None = None,
    rebase_at: Sequence[int] = (),
    run_length: int = 7,
    two_of_three_includes_beyond_limits: bool = False,
) -> XmrResult:
    """Compute an XmR chart with the Making Data Count rules and icons.

    Args:
        values: the series in time order, one value per period. ``None`` or NaN
            marks a missing period.
        improvement: ``"increase"``, ``"decrease"`` or ``"neutral"``.
        target: optional target for the assurance icon.
        screen_outliers: screen moving ranges at 3.267 x AMR (NHSRplotthedots
            default). ``False`` reproduces the MDC Excel tool.
        fix_after_n_points: compute each group's limits from its first n
            observed points only; at least 12.
        rebase_at: period indexes where a new group, with its own limits and
            rules, starts.
        run_length: points needed for a trend or a shift: 7 (default) or 6.
        two_of_three_includes_beyond_limits: count points beyond the process
            limits towards the 2-of-3 rule (MDC Excel tool since Nov 2023);
            ``False`` follows NHSRplotthedots 0.2.2.

    Missing periods are excluded from every calculation: each group's limits,
    moving ranges and rules use its observed points in order, so a moving range
    and a run may span a missing period, ``fix_after_n_points`` and the short
    group warning count observed points, and the missing period itself neither
    extends nor breaks a run. A missing point keeps its group's lines but has
    ``value``, ``relative_to_mean``, ``rule`` and ``point_type`` of ``None``.
    Without missing values the results equal NHSRplotthedots.

    The variation icon is that of the latest observed point. The assurance
    icon uses the limits of the last group. A group with fewer than 13
    observed points has trial limits and sets ``short_group_warning``.

    Raises:
        ValueError: for an unknown improvement direction, ``fix_after_n_points``
            below 12, a run length other than 6 or 7, a rebase index outside the
            series or an infinite value.
    """
    check_options(improvement, fix_after_n_points, run_length)
    y = as_values(values)
    options = _Options(
        improvement,
        screen_outliers,
        fix_after_n_points,
        run_length,
        two_of_three_includes_beyond_limits,
    )
    starts = _group_starts(rebase_at, y.size) if y.size else []
    stops = [*starts[1:], y.size] if starts else []
    groups: list[XmrGroup] = []
    points: list[XmrPoint] = []
    for number, (start, stop) in enumerate(zip(starts, stops, strict=True)):
        group, group_points = _chart_group(y, start, stop, number, options)
        groups.append(group)
        points.extend(group_points)
    observed = [point for point in points if point.value is not None]
    latest = observed[-1].point_type if observed else None
    last_limits = groups[-1].limits if groups else None
    return XmrResult(
        points=tuple(points),
        groups=tuple(groups),
        improvement=improvement,
        target=target,
        variation_icon=variation_icon(latest, improvement),
        assurance_icon=assurance_icon(
            last_limits.lpl if last_limits else None,
            last_limits.upl if last_limits else None,
            target,
            improvement,
        ),
        short_group_warning=any(group.short_group_warning for group in groups),
    )
