"""Tests of the seasonal expectation (Farrington flexible, METHODS.md): the
reference windows, the fit checked by hand and against a direct likelihood
fit, the down-weighting of past outbreaks and the reasons given instead of a
figure."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from csphub.analytics.seasonal import (
    SeasonalOptions,
    fit_quasi_poisson,
    reference_indexes,
    seasonal_expectation,
)


def test_reference_months_are_farrington_windows():
    """Same month +/- w in each past year; never the last w + 1 months."""
    indexes, years = reference_indexes(72, SeasonalOptions())
    assert years == 5
    assert indexes.size == 5 * 7
    assert list(indexes[-7:]) == list(range(71 - 12 - 3, 71 - 12 + 4))
    short, short_years = reference_indexes(36, SeasonalOptions())
    assert short_years == 3  # police.uk: two full windows and part of a third
    assert list(short) == [0, 1, 2, *range(8, 15), *range(20, 27)]


def test_seasonal_intercept_only_by_hand():
    """With no trend and no outliers the expectation is the baseline mean,
    and the bound and p-value follow Farrington's 2/3-power formula."""
    counts = [10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11] * 3
    counts[-1] = 17
    result = seasonal_expectation(counts)
    indexes, _ = reference_indexes(36, SeasonalOptions())
    baseline = np.array(counts, dtype=float)[indexes]
    mean = baseline.mean()
    assert result.expected == pytest.approx(mean, rel=1e-9)
    assert not result.trend_used
    dispersion = np.sum((baseline - mean) ** 2 / mean) / (baseline.size - 1)
    phi = max(dispersion, 1.0)
    var_mu = dispersion * mean / baseline.size  # se of mu: mu * sqrt(disp/(n mu))
    se = math.sqrt(4 / 9 * mean ** (1 / 3) * (phi + var_mu / mean))
    upper = (mean ** (2 / 3) + 1.6448536269514722 * se) ** 1.5
    assert result.upper == pytest.approx(upper, rel=1e-9)
    p_value = float(_norm_sf((17 ** (2 / 3) - mean ** (2 / 3)) / se))
    assert result.p_value == pytest.approx(p_value, rel=1e-9)
    assert result.alarm == (upper < 17)
    assert "3 of 5 years" in result.note


def _norm_sf(z):
    return 0.5 * math.erfc(z / math.sqrt(2))


def test_seasonal_glm_matches_direct_likelihood_fit():
    """The IRLS trend fit equals a direct maximisation of the Poisson
    likelihood (an independent check of the GLM)."""
    rng = np.random.default_rng(5)
    counts = rng.poisson(np.linspace(30, 5, 60)).astype(float)
    options = SeasonalOptions()
    indexes, _ = reference_indexes(60, options)
    y = counts[indexes]
    times = (indexes - 59).astype(float)
    design = np.column_stack([np.ones(times.size), times])
    fit = fit_quasi_poisson(
        y[None], np.ones((1, y.size)), design, np.array([float(y.size)])
    )

    def negative_log_likelihood(beta):
        eta = design @ beta
        return np.sum(np.exp(eta) - y * eta)

    direct = minimize(negative_log_likelihood, [1.0, 0.0], method="BFGS").x
    assert fit.beta[0] == pytest.approx(direct, abs=1e-4)
    result = seasonal_expectation(counts.astype(int).tolist())
    assert result.trend_used  # falling: significant, no extrapolation
    assert result.expected < np.mean(y)


def test_seasonal_trend_dropped_when_it_would_extrapolate():
    """A rising trend predicting above every baseline count is dropped."""
    rng = np.random.default_rng(6)
    counts = rng.poisson(np.linspace(5, 40, 60)).tolist()
    result = seasonal_expectation(counts)
    assert not result.trend_used


def test_seasonal_downweights_past_outbreaks():
    """A past outbreak in the baseline barely moves the expectation."""
    counts = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 9, 11] * 3
    plain = seasonal_expectation(counts)
    outbreak = list(counts)
    outbreak[23 - 12] = 60  # same month last year
    reweighted = seasonal_expectation(outbreak)
    unweighted = seasonal_expectation(outbreak, reweight=False)
    assert reweighted.expected < unweighted.expected
    assert reweighted.expected - plain.expected < 0.5 * (
        unweighted.expected - plain.expected
    )


def test_seasonal_missing_months_are_missing_not_zero():
    counts = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 9, 11] * 3
    with_gap = list(counts)
    with_gap[11] = None  # a baseline month with no data
    as_zero = list(counts)
    as_zero[11] = 0
    gap = seasonal_expectation(with_gap)
    zero = seasonal_expectation(as_zero)
    assert gap.reference_points == zero.reference_points - 1
    assert gap.expected > zero.expected
    latest_missing = seasonal_expectation([*counts[:-1], None])
    assert latest_missing.expected is None
    assert latest_missing.note.startswith("no data for the latest month")


def test_seasonal_limit54_and_short_history():
    """No alarm with fewer than 5 incidents in the last 4 months; a clear
    reason when there is too little history."""
    low = [0] * 35 + [1]
    low[5] = 1
    result = seasonal_expectation(low)
    assert result.recent_count == 1 and not result.enough_cases
    assert not result.alarm
    short = seasonal_expectation([3, 4, 5, 6, 2, 3, 4, 5, 6, 7])
    assert short.expected is None and "too little history" in short.note
    nothing = seasonal_expectation([0] * 35 + [4])
    assert nothing.expected is None and "no incidents" in nothing.note


def test_seasonal_options_are_checked():
    with pytest.raises(ValueError, match="window"):
        SeasonalOptions(w=6)
    with pytest.raises(ValueError, match="b must be"):
        SeasonalOptions(b=0)
    with pytest.raises(ValueError, match="empty"):
        seasonal_expectation([])
    with pytest.raises(ValueError, match="whole numbers of at least 0"):
        seasonal_expectation([1, 2, -3])
    with pytest.raises(ValueError, match="whole numbers of at least 0"):
        seasonal_expectation([1, 2.5, 3])
