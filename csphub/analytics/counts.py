"""Count-change tests used by crime analysts (METHODS.md section 4).

* ``poisson_z``: the Poisson Z of two counts, ``2(sqrt(current) - sqrt(comparison))``
  (Wheeler 2018), approximately standard normal when nothing has changed.
* ``e_test``: the Poisson E-test of Krishnamoorthy & Thomson (2004) for two
  counts or rates, computed as apwheele/ptools 1.0.2 ``e_test`` computes it.
* ``wdd`` and ``wdd_harm``: the Weighted Displacement Difference of Wheeler &
  Ratcliffe (2018), with the time and area weights and the harm-weighted total
  of ptools ``wdd`` / ``wdd_harm``.
* ``benjamini_hochberg``: adjusted p-values (q-values) and rejections for a
  false discovery rate.

All are pure functions of numbers; they reproduce the ptools cases in
``<shared>/reference/trend`` (see ``tests/test_trend.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy import stats

E_TEST_ALTERNATIVES = ("two-sided", "greater", "less")


def _number(value, name: str, *, minimum: float | None = 0.0) -> float:
    """A finite real number, optionally at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum:g}, got {value!r}")
    return number


def _count(value, name: str) -> int:
    """A non-negative whole number (a count of incidents)."""
    number = _number(value, name)
    if number != int(number):
        raise ValueError(f"{name} must be a whole number of incidents, got {value!r}")
    return int(number)


def _positive(value, name: str) -> float:
    """A finite number greater than zero (an exposure or a weight)."""
    number = _number(value, name, minimum=None)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}")
    return number


# Poisson Z


def poisson_z(current, comparison) -> float:
    """Poisson Z of a current count against a comparison count or mean.

    ``2 * (sqrt(current) - sqrt(comparison))``: the square-root transform makes
    Poisson counts roughly normal with variance 1/4, so the difference is
    roughly N(0, 1) when the rate has not changed. 16 -> 25 gives 2.0.
    ``comparison`` may be a historical mean (not necessarily whole).
    """
    current_value = _number(current, "current")
    comparison_value = _number(comparison, "comparison")
    return 2.0 * (math.sqrt(current_value) - math.sqrt(comparison_value))


# Poisson E-test


def _upper_terminus(rate: float, eps: float) -> int:
    """ptools ``minPMF``: first count above ``trunc(rate)`` with pmf <= eps."""
    start = math.trunc(rate) + 1
    span = int(40 * math.sqrt(rate + 1.0)) + 100
    while True:
        counts = np.arange(start, start + span)
        small = np.nonzero(stats.poisson.pmf(counts, rate) <= eps)[0]
        if small.size:
            return int(counts[small[0]])
        start += span


def _lower_terminus(rate: float, eps: float) -> int:
    """Mirror of ``_upper_terminus`` on the left: last count below the mode
    with pmf <= eps, or 0. Terms further left add less than eps each."""
    mode = math.trunc(rate)
    if mode == 0:
        return 0
    counts = np.arange(0, mode)
    small = np.nonzero(stats.poisson.pmf(counts, rate) <= eps)[0]
    return int(counts[small[-1]]) if small.size else 0


def e_test(
    k1,
    k2,
    n1=1.0,
    n2=1.0,
    d=0.0,
    *,
    alternative: str = "two-sided",
    eps: float = 1e-20,
) -> float:
    """Poisson E-test (Krishnamoorthy & Thomson 2004) as ptools ``e_test``.

    Tests ``k1/n1 = k2/n2 + d``: ``k1`` and ``k2`` are counts observed over
    exposures ``n1`` and ``n2`` (months, area, population). As in ptools the
    statistic is ``T = (k1/n1 - k2/n2 - d) / sqrt(lhat)`` with the pooled rate
    ``lhat = (k1 + k2)/(n1 + n2) - d*n1/(n1 + n2)``, and the p-value sums the
    probabilities of every pair ``(x1, x2)`` whose statistic (with pooled rate
    ``(x1 + x2)/(n1 + n2)``) is at least as extreme, under ``X1 ~
    Poisson(n1(lhat + d))`` and ``X2 ~ Poisson(n2 lhat)``.

    ``alternative="two-sided"`` (ptools, comparing ``|T|``); ``"greater"``
    tests ``k1/n1 > k2/n2 + d`` and ``"less"`` the reverse, one-sided.

    Differences from ptools, none visible at its published precision: the sum
    also stops on the left where the pmf falls below ``eps`` (ptools starts at
    0), which lets large counts run without building a huge grid; the result is
    capped at 1; and both counts zero gives NaN (the test is undefined; ptools
    returns -1), while negative counts or exposures raise ``ValueError``
    (ptools returns -1).
    """
    x1_observed = _count(k1, "k1")
    x2_observed = _count(k2, "k2")
    n1_value = _positive(n1, "n1")
    n2_value = _positive(n2, "n2")
    d_value = _number(d, "d", minimum=None)
    if alternative not in E_TEST_ALTERNATIVES:
        raise ValueError(
            f"alternative must be one of {', '.join(E_TEST_ALTERNATIVES)}, "
            f"got {alternative!r}"
        )
    if x1_observed == 0 and x2_observed == 0:
        return math.nan
    total = n1_value + n2_value
    lhat = (x1_observed + x2_observed) / total - (d_value * n1_value) / total
    rate2 = n2_value * lhat
    rate1 = n1_value * (lhat + d_value)
    if lhat <= 0 or rate1 <= 0:
        raise ValueError(
            f"d={d_value:g} implies a non-positive rate under the null hypothesis"
        )
    observed = (x1_observed / n1_value - x2_observed / n2_value - d_value) / math.sqrt(
        lhat
    )
    upper = _upper_terminus(max(rate1, rate2), eps)
    x1 = np.arange(_lower_terminus(rate1, eps), upper + 1, dtype=float)[:, None]
    x2 = np.arange(_lower_terminus(rate2, eps), upper + 1, dtype=float)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / total
        statistic = (x1 / n1_value - x2 / n2_value - d_value) / np.sqrt(pooled)
    if alternative == "two-sided":
        extreme = np.abs(statistic) >= abs(observed)
    elif alternative == "greater":
        extreme = statistic >= observed
    else:
        extreme = statistic <= observed
    p1 = stats.poisson.pmf(x1, rate1)
    p2 = stats.poisson.pmf(x2, rate2)
    return float(min(1.0, np.sum(p1 * p2 * extreme)))


# Weighted Displacement Difference


@dataclass(frozen=True)
class _NormalInference:
    """An estimate with its variance and normal inference: standard error,
    Z, two-sided p-value, and confidence interval at ``1 - alpha``."""

    estimate: float
    variance: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float


@dataclass(frozen=True)
class WddResult(_NormalInference):
    """Weighted Displacement Difference of a place-based intervention.

    ``estimate`` is the change in the target area net of the control area's
    change, plus the displacement area's change net of its control's (counts
    per unit of the weights; negative is a fall). ``variance`` is the Poisson
    variance of the estimate (the sum of the weighted counts) and ``se`` its
    square root; ``z = estimate/se``; ``p_value`` is two-sided (normal); the
    confidence interval is at ``1 - alpha``. ``local_*`` and ``displacement_*``
    are the two parts (ptools ``Est_Local``/``SE_Local``,
    ``Est_Displace``/``SE_Displace``).
    """

    local_estimate: float
    local_se: float
    displacement_estimate: float
    displacement_se: float
    has_displacement: bool


def _pair(value, name: str) -> tuple[float, float]:
    """Counts before and after, as a pair of non-negative numbers."""
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
        raise ValueError(f"{name} must be a pair (before, after), got {value!r}")
    return (
        _number(value[0], f"{name} before"),
        _number(value[1], f"{name} after"),
    )


def _weights(value, size: int, name: str) -> tuple[float, ...]:
    """A sequence of ``size`` positive weights."""
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != size:
        raise ValueError(f"{name} must be {size} positive numbers, got {value!r}")
    return tuple(_positive(item, name) for item in value)


def _difference(
    area: tuple[float, float],
    comparison: tuple[float, float],
    area_weight: float,
    comparison_weight: float,
    time_weights: tuple[float, ...],
) -> tuple[float, float]:
    """Weighted change in an area minus that of its comparison, and variance."""
    before_w, after_w = time_weights
    area_after = area[1] / (after_w * area_weight)
    area_before = area[0] / (before_w * area_weight)
    comparison_after = comparison[1] / (after_w * comparison_weight)
    comparison_before = comparison[0] / (before_w * comparison_weight)
    estimate = (area_after - area_before) - (comparison_after - comparison_before)
    variance = (
        area[1] / (after_w * area_weight) ** 2
        + area[0] / (before_w * area_weight) ** 2
        + comparison[1] / (after_w * comparison_weight) ** 2
        + comparison[0] / (before_w * comparison_weight) ** 2
    )
    return estimate, variance


def _normal_inference(estimate: float, variance: float, alpha: float) -> dict:
    """The fields of a ``_NormalInference`` for an estimate and its variance."""
    se = math.sqrt(variance)
    level = float(stats.norm.ppf(1 - alpha / 2))
    if se == 0:
        se, z, p_value = 0.0, math.nan, math.nan
        low = high = estimate
    else:
        z = estimate / se
        p_value = float(2 * stats.norm.sf(abs(z)))
        low, high = estimate - level * se, estimate + level * se
    return {
        "estimate": estimate,
        "variance": variance,
        "se": se,
        "z": z,
        "p_value": p_value,
        "ci_low": low,
        "ci_high": high,
        "alpha": alpha,
    }


def _check_alpha(alpha) -> float:
    """A significance level strictly between 0 and 1."""
    value = _number(alpha, "alpha", minimum=None)
    if not 0 < value < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    return value


def wdd(
    target,
    control,
    displacement=None,
    displacement_control=None,
    *,
    time_weights=(1.0, 1.0),
    area_weights=(1.0, 1.0, 1.0, 1.0),
    alpha: float = 0.05,
) -> WddResult:
    """Weighted Displacement Difference (Wheeler & Ratcliffe 2018).

    Args:
        target: counts (before, after) in the area that received the
            intervention.
        control: counts (before, after) in its control area.
        displacement: counts (before, after) in the displacement (buffer) area
            around the target, or ``None``.
        displacement_control: counts (before, after) in the control area of the
            displacement area; given together with ``displacement``.
        time_weights: lengths of the before and after periods (e.g. ``(2, 1)``
            for two years before and one after); the estimate is then per unit
            of time.
        area_weights: sizes of the target, control, displacement and
            displacement-control areas, in that order (note: ptools orders them
            control, treated, displacement control, displacement); the estimate
            is then per unit of area.
        alpha: 1 - confidence level of the interval (0.05 gives 95%; ptools'
            default is 0.1).

    ``WDD = dT - dC + dD - dCd`` with ``d = after - before`` (each count divided
    by its time and area weights), and its variance is the sum of the counts,
    each divided by its squared weight (Poisson counts). Wheeler & Ratcliffe's
    example, target (207, 110), control (308, 318), displacement (178, 157) and
    its control (150, 140), gives -118, SE sqrt(1568), Z -2.98 and a 95%
    interval of (-196, -40).
    """
    target_counts = _pair(target, "target")
    control_counts = _pair(control, "control")
    if (displacement is None) != (displacement_control is None):
        raise ValueError(
            "give both displacement and displacement_control counts, or neither"
        )
    has_displacement = displacement is not None
    displacement_counts = (
        _pair(displacement, "displacement") if has_displacement else (0.0, 0.0)
    )
    displacement_control_counts = (
        _pair(displacement_control, "displacement_control")
        if has_displacement
        else (0.0, 0.0)
    )
    times = _weights(time_weights, 2, "time_weights")
    areas = _weights(area_weights, 4, "area_weights")
    level = _check_alpha(alpha)
    local, local_var = _difference(
        target_counts, control_counts, areas[0], areas[1], times
    )
    displaced, displaced_var = _difference(
        displacement_counts, displacement_control_counts, areas[2], areas[3], times
    )
    estimate = local + displaced
    variance = local_var + displaced_var
    return WddResult(
        **_normal_inference(estimate, variance, level),
        local_estimate=local,
        local_se=math.sqrt(local_var),
        displacement_estimate=displaced,
        displacement_se=math.sqrt(displaced_var),
        has_displacement=has_displacement,
    )


@dataclass(frozen=True)
class WddHarmResult(_NormalInference):
    """Harm-weighted total of several WDD estimates (ptools ``wdd_harm``)."""


def wdd_harm(
    results: Sequence[WddResult], weights: Sequence[float], *, alpha: float = 0.05
) -> WddHarmResult:
    """Combine WDD results for several crime types with harm weights.

    The total is ``sum(weight * estimate)`` with variance
    ``sum(weight^2 * se^2)`` (Wheeler 2020, "Amending the WDD test to
    incorporate harm weights"). Each result's total estimate and standard error
    are used (ptools passes the local ones; they are the same when no
    displacement area was given).
    """
    if len(results) != len(weights) or not results:
        raise ValueError(
            "wdd_harm needs one weight per WDD result and at least one result, "
            f"got {len(results)} results and {len(weights)} weights"
        )
    for result in results:
        if not isinstance(result, WddResult):
            raise TypeError(f"results must be WddResult values, got {result!r}")
    factors = [_number(weight, "harm weight") for weight in weights]
    level = _check_alpha(alpha)
    estimate = sum(w * r.estimate for w, r in zip(factors, results, strict=True))
    variance = sum(w * w * r.variance for w, r in zip(factors, results, strict=True))
    return WddHarmResult(**_normal_inference(estimate, variance, level))


# Benjamini-Hochberg


@dataclass(frozen=True)
class BhResult:
    """Benjamini-Hochberg adjustment, in the order of the input p-values.

    ``q_values`` are the adjusted p-values ``min_{j >= i} min(1, p_(j) m / j)``;
    ``rejected[i]`` is ``q_values[i] <= alpha``, which is the step-up rule
    ``p_(k) <= k alpha / m`` (esda's ``fdr`` uses a strict ``<``).
    """

    q_values: tuple[float, ...]
    rejected: tuple[bool, ...]
    alpha: float


def bh_q_values(p_values: np.ndarray) -> np.ndarray:
    """Vectorised BH q-values of a 1-D float array of valid p-values."""
    m = p_values.size
    if m == 0:
        return np.zeros(0)
    order = np.argsort(p_values, kind="stable")
    ranked = p_values[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    q_values = np.empty(m)
    q_values[order] = adjusted
    return q_values


def benjamini_hochberg(p_values, alpha: float = 0.05) -> BhResult:
    """Benjamini-Hochberg false discovery rate control across ``p_values``.

    Raises ``ValueError`` for a p-value outside [0, 1] or NaN: a missing test
    should be left out, not passed as NaN.
    """
    level = _check_alpha(alpha)
    values = np.asarray(
        [_number(p, "p-value", minimum=None) for p in p_values], dtype=float
    )
    bad = np.nonzero((values < 0) | (values > 1))[0]
    if bad.size:
        index = int(bad[0])
        raise ValueError(
            f"p-values must lie between 0 and 1; item {index} is {values[index]!r}"
        )
    q_values = bh_q_values(values)
    return BhResult(
        q_values=tuple(float(q) for q in q_values),
        rejected=tuple(bool(q <= level) for q in q_values),
        alpha=level,
    )
