"""Tests of the trend analytics: the ptools reference fixtures, the seasonal
expectation and the "emerging and worrying" flag.

Every row of ``<shared>/reference/trend/*.csv`` is a separate parametrized
test, compared to the precision the file gives (a figure with n decimals to
half a unit of its last decimal; "(2dp)" and "(rounded)" figures after the
same rounding; a published tolerance where one is given).
"""

import csv
import datetime
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize

from csphub.analytics.seasonal import (
    SeasonalOptions,
    fit_quasi_poisson,
    reference_indexes,
    seasonal_expectation,
)
from csphub.analytics.trend import (
    TrendSeries,
    benjamini_hochberg,
    chart_route,
    e_test,
    emerging_trends,
    flagged_trends,
    poisson_z,
    spc_concern,
    wdd,
    wdd_harm,
)

SHARED_DIR = Path(
    os.environ.get("CSPHUB_SHARED_DIR")
    or os.environ.get("CSPHUB_SHARED")
    or Path(__file__).resolve().parents[3] / ".." / "shared"
).resolve()
TREND_DIR = SHARED_DIR / "reference" / "trend"

# Fixture names -> WddResult attributes.
WDD_FIELDS = {
    "Est_Local": "local_estimate",
    "Est_Displace": "displacement_estimate",
    "Est_Total": "estimate",
    "Est": "estimate",
    "SE": "se",
    "Z": "z",
    "LowCI": "ci_low",
    "HighCI": "ci_high",
}


def _read_rows(name):
    """Rows of a fixture CSV as dictionaries."""
    with open(TREND_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cases(name, id_of):
    """One pytest param per fixture row, or one skipped param without fixtures."""
    if not TREND_DIR.is_dir():
        reason = (
            f"trend reference fixtures not found at {TREND_DIR}; "
            "set CSPHUB_SHARED_DIR to the shared folder"
        )
        return [
            pytest.param(None, id="fixtures-missing", marks=pytest.mark.skip(reason))
        ]
    return [pytest.param(row, id=id_of(row)) for row in _read_rows(name)]


def _half_unit(text):
    """Half a unit of the last decimal written in ``text`` (exact for integers)."""
    if "." not in text:
        return 1e-9
    decimals = len(text.split(".")[1])
    return 0.5 * 10**-decimals + 1e-12


def _expectations(text):
    """Parse ``Name=value; ...`` into (name, check) pairs.

    A check is a function of the actual value that returns True when it
    matches the published figure to its precision.
    """
    text = text.replace(" (tolerance 1e-5)", "")
    checks = []
    for item in text.split("; "):
        name, value = item.split("=", 1)
        if name == "95% CI":
            low, high = re.fullmatch(r"\((-?\d+),(-?\d+)\) \(rounded\)", value).groups()
            checks.append(("LowCI", lambda x, e=int(low): round(x) == e))
            checks.append(("HighCI", lambda x, e=int(high): round(x) == e))
        elif value.startswith("sqrt("):
            root = math.sqrt(float(value[5:-1]))
            checks.append((name, lambda x, e=root: abs(x - e) < 1e-9))
        elif value.endswith(" (2dp)"):
            figure = float(value[: -len(" (2dp)")])
            checks.append((name, lambda x, e=figure: round(x, 2) == e))
        else:
            figure, tolerance = float(value), _half_unit(value)
            checks.append((name, lambda x, e=figure, tol=tolerance: abs(x - e) <= tol))
    return checks


def _pair(row, prefix):
    """(pre, post) counts of a fixture row, or None when absent."""
    if not row[f"{prefix}_pre"]:
        return None
    return (float(row[f"{prefix}_pre"]), float(row[f"{prefix}_post"]))


def _floats(cell):
    return [float(item) for item in cell.split(";")] if cell else []


# Poisson E-test


@pytest.mark.parametrize("row", _cases("poisson_etest_cases.csv", lambda r: r["case"]))
def test_e_test_case(row):
    """ptools e_test cases: Krishnamoorthy & Thomson's examples and edge cases."""
    p = e_test(
        int(row["k1"]),
        int(row["k2"]),
        float(row["n1"]),
        float(row["n2"]),
        float(row["d"]),
    )
    expected = row["expected_p"]
    if expected.startswith("undefined"):
        assert math.isnan(p)
    elif expected == "<=1":
        assert 0 <= p <= 1
    else:
        tolerance = float(row["tolerance"])
        assert abs(p - float(expected)) <= tolerance
        if tolerance < 1e-4:  # published rounded to 4 decimals
            assert round(p, 4) == float(expected)


def test_e_test_order_of_counts_does_not_matter():
    """With d = 0 the two-sided test is symmetric (ptools test)."""
    assert e_test(6, 2) == pytest.approx(e_test(2, 6), abs=1e-15)


def test_e_test_rates_and_one_sided():
    """The same counts as rates give the same p-value; one side is smaller."""
    assert e_test(3, 0, 2, 2) == pytest.approx(e_test(3, 0), abs=1e-12)
    greater = e_test(12, 4, alternative="greater")
    less = e_test(12, 4, alternative="less")
    assert greater < e_test(12, 4) < 1
    assert less > 0.9
    assert e_test(4, 12, alternative="less") == pytest.approx(greater, abs=1e-12)


def test_e_test_large_counts_run_quickly_and_stay_sane():
    """Large counts are summed over the region that carries the probability."""
    p = e_test(4000, 4100)
    assert 0.2 < p < 0.35
    assert e_test(4000, 3500) < 1e-6


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((3, -2), {}, "k2 must be at least 0"),
        ((3, 3, 1, -1), {}, "n2 must be greater than 0"),
        ((2.5, 3), {}, "k1 must be a whole number"),
        (("3", 3), {}, "k1 must be a number"),
        ((3, 3), {"alternative": "up"}, "alternative must be one of"),
        ((1, 1), {"d": -5}, "non-positive rate"),
    ],
)
def test_e_test_rejects_bad_input(args, kwargs, message):
    """Bad input is an error that says what is wrong (ptools returns -1)."""
    with pytest.raises((ValueError, TypeError), match=message):
        e_test(*args, **kwargs)


# Poisson Z


@pytest.mark.parametrize("row", _cases("poisson_z_cases.csv", lambda r: r["case"]))
def test_poisson_z_case(row):
    """Wheeler's example: 16 -> 25 gives Z = 2.0."""
    z = poisson_z(float(row["current"]), float(row["historical_mean"]))
    assert abs(z - float(row["expected"])) <= _half_unit(row["expected"])


def test_poisson_z_direction_and_validation():
    assert poisson_z(16, 25) == -2.0
    assert poisson_z(9, 9) == 0.0
    with pytest.raises(ValueError, match="current must be at least 0"):
        poisson_z(-1, 4)
    with pytest.raises(ValueError, match="comparison must be finite"):
        poisson_z(4, math.inf)


# Weighted Displacement Difference


@pytest.mark.parametrize("row", _cases("wdd_cases.csv", lambda r: r["case"]))
def test_wdd_case(row):
    """ptools wdd cases, including the paper example and the weights."""
    area_weights = _floats(row["area_weights"])  # ptools: control, treated, ...
    kwargs = {}
    if area_weights:
        control_w, treated_w, dispctl_w, disp_w = area_weights
        kwargs["area_weights"] = (treated_w, control_w, disp_w, dispctl_w)
    if row["time_weights"]:
        kwargs["time_weights"] = tuple(_floats(row["time_weights"]))
    result = wdd(
        _pair(row, "treated"),
        _pair(row, "control"),
        _pair(row, "disp"),
        _pair(row, "dispctl"),
        alpha=0.05,
        **kwargs,
    )
    for name, check in _expectations(row["expected"]):
        actual = getattr(result, WDD_FIELDS[name])
        assert check(actual), f"{name}: {actual}"


def test_wdd_harm_case():
    """ptools 'Cumulative Harm': five crime types combined with harm weights."""
    if not TREND_DIR.is_dir():
        pytest.skip(f"trend reference fixtures not found at {TREND_DIR}")
    rows = _read_rows("wdd_harm_case.csv")
    results = [wdd(_pair(row, "treated"), _pair(row, "control")) for row in rows]
    harm = wdd_harm(results, [float(row["weight"]) for row in rows], alpha=0.05)
    (expected,) = {row["expected_total"] for row in rows}
    for name, check in _expectations(expected):
        actual = getattr(harm, WDD_FIELDS[name])
        assert check(actual), f"{name}: {actual}"
        # ptools' own tolerance: relative 1e-5
        assert "tolerance 1e-5" in expected


def test_wdd_inference_is_consistent():
    """Z, p-value and interval follow from the estimate and its variance."""
    result = wdd((207, 110), (308, 318), (178, 157), (150, 140))
    assert result.variance == 1568
    assert result.z == pytest.approx(result.estimate / math.sqrt(1568))
    assert result.p_value == pytest.approx(0.00288, abs=1e-5)
    assert result.local_estimate + result.displacement_estimate == result.estimate
    ninety = wdd((207, 110), (308, 318), (178, 157), (150, 140), alpha=0.1)
    assert result.ci_low < ninety.ci_low < ninety.ci_high < result.ci_high
    plain = wdd((20, 10), (20, 20))
    assert not plain.has_displacement
    assert plain.estimate == plain.local_estimate == -10
    assert plain.displacement_se == 0


def test_wdd_with_no_counts_has_no_inference():
    result = wdd((0, 0), (0, 0))
    assert result.estimate == 0 and result.se == 0
    assert math.isnan(result.z) and math.isnan(result.p_value)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (((1, 2, 3), (1, 2)), {}, r"target must be a pair \(before, after\)"),
        (((1, 2), (1, -2)), {}, "control after must be at least 0"),
        (((1, 2), (1, 2), (1, 2)), {}, "give both displacement"),
        (((1, 2), (1, 2)), {"time_weights": (1, 0)}, "greater than 0"),
        (((1, 2), (1, 2)), {"area_weights": (1, 1)}, "area_weights must be 4"),
        (((1, 2), (1, 2)), {"alpha": 1.5}, "alpha must be between 0 and 1"),
    ],
)
def test_wdd_rejects_bad_input(args, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        wdd(*args, **kwargs)


def test_wdd_harm_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="one weight per WDD result"):
        wdd_harm([wdd((1, 2), (1, 2))], [1, 2])


# Benjamini-Hochberg


def test_benjamini_hochberg_q_values():
    """Adjusted p-values as R's p.adjust(method = "BH")."""
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "BH")
    result = benjamini_hochberg([0.01, 0.04, 0.03, 0.2, 0.005])
    assert result.q_values == pytest.approx([0.025, 0.05, 0.05, 0.2, 0.025])
    assert result.rejected == (True, True, True, False, True)
    assert (
        benjamini_hochberg([0.01, 0.04, 0.03, 0.2, 0.005], 0.01).rejected
        == (False,) * 5
    )


def test_benjamini_hochberg_agrees_with_esda_cutoff():
    """Rejections equal the step-up cut-off of esda.fdr on the stl p-values."""
    path = SHARED_DIR / "reference" / "hotspot" / "fdr_stl_pvalues_input.csv"
    if not path.is_file():
        pytest.skip(f"hotspot fixtures not found at {path.parent}")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    column = next(name for name in rows[0] if name.startswith("p"))
    p_values = [float(row[column]) for row in rows]
    for alpha, cutoff in ((0.1, 0.002564102564102564), (0.05, 0.001282051282051282)):
        rejected = benjamini_hochberg(p_values, alpha).rejected
        assert rejected == tuple(p <= cutoff for p in p_values)


def test_benjamini_hochberg_edge_cases():
    assert benjamini_hochberg([]).q_values == ()
    assert benjamini_hochberg([1.0, 1.0]).q_values == (1.0, 1.0)
    with pytest.raises(ValueError, match="between 0 and 1; item 1"):
        benjamini_hochberg([0.5, 1.2])
    with pytest.raises(ValueError, match="must be finite"):
        benjamini_hochberg([0.5, math.nan])


# Seasonal expectation (Farrington flexible)


def _seasonal_counts(rng, years=3, level=10.0, amplitude=0.3):
    months = np.arange(12 * years)
    return rng.poisson(level * (1 + amplitude * np.sin(2 * np.pi * months / 12)))


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


# Emerging and worrying trends

MONTHS = [datetime.date(2015 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(36)]


def _series(key, counts, months=MONTHS):
    return TrendSeries(key, months, [None if c is None else int(c) for c in counts])


def _noise(rng, count, level=8.0):
    return [_series(("noise", i), rng.poisson(level, 36)) for i in range(count)]


def test_step_change_is_flagged_by_the_chart():
    rng = np.random.default_rng(1)
    step = rng.poisson(np.r_[np.full(30, 6.0), np.full(6, 16.0)])
    results = emerging_trends([_series("step", step), *_noise(rng, 50)])
    result = results[0]
    assert result.spc_signal and "spc" in result.signal
    assert result.flagged and result.q_value <= 0.05
    assert result.excess == pytest.approx(result.observed - result.expected)
    assert result.spc_rule in {"outside_limits", "two_of_three", "shift", "trend"}


def test_seasonal_spike_is_flagged_by_the_seasonal_route():
    """A summer that is busy every year is expected; one far above is not."""
    rng = np.random.default_rng(2)
    seasonal = _seasonal_counts(rng, amplitude=0.3).tolist()
    expected_peak = emerging_trends([_series("usual", seasonal)])[0]
    assert not expected_peak.flagged
    spiked = [*seasonal[:-1], seasonal[-1] + 25]
    result = emerging_trends([_series("spike", spiked), *_noise(rng, 50)])[0]
    assert result.seasonal_signal and "seasonal" in result.signal
    assert result.flagged
    assert result.upper < result.observed


def test_stable_noise_gives_almost_no_flags():
    """500 stable Poisson series: raw signals at the routes' own rate, but
    Benjamini-Hochberg keeps the false flags near zero."""
    rng = np.random.default_rng(2018)
    levels = rng.uniform(1, 30, 500)
    series = [
        _series(("ward", i), rng.poisson(levels[i], 36)) for i in range(len(levels))
    ]
    results = emerging_trends(series)
    raw = sum(bool(result.signal) for result in results)
    flagged = sum(result.flagged for result in results)
    assert raw >= 10  # the routes alone would raise many false alarms
    assert flagged <= 1
    assert all(result.q_value is not None for result in results)


def test_bh_is_across_all_series_of_the_run():
    """A moderate rise is flagged alone but not among thousands of tests."""
    rng = np.random.default_rng(3)
    counts = rng.poisson(10, 36)
    counts[-1] = 21
    alone = emerging_trends([_series("moderate", counts)])[0]
    assert alone.signal and alone.flagged
    crowd = emerging_trends([_series("moderate", counts), *_noise(rng, 2000)])[0]
    assert crowd.signal and crowd.p_value == pytest.approx(alone.p_value, rel=1e-12)
    assert crowd.q_value > alone.q_value
    assert not crowd.flagged


def test_flagged_trends_ranked_by_excess_not_percentage():
    rng = np.random.default_rng(4)
    small = rng.poisson(2, 36)
    small[-1] = 14  # +600%, excess about 12
    large = rng.poisson(50, 36)
    large[-1] = 110  # +120%, excess about 60
    results = emerging_trends(
        [_series("small", small), _series("large", large), *_noise(rng, 20)]
    )
    ranked = flagged_trends(results)
    assert [result.key for result in ranked[:2]] == ["large", "small"]
    assert all(result.flagged for result in ranked)


def test_missing_months_are_not_zero():
    rng = np.random.default_rng(5)
    counts = rng.poisson(12, 36).tolist()
    gappy = list(counts)
    gappy[9] = None
    result = emerging_trends([_series("gap", gappy)])[0]
    assert result.p_value is not None
    zero = list(counts)
    zero[9] = 0
    # a zero month would drag the chart's centre down and make the latest
    # months look higher
    assert emerging_trends([_series("zero", zero)])[0].spc_p_value < (
        result.spc_p_value
    )
    latest = emerging_trends([_series("latest", [*counts[:-1], None])])[0]
    assert latest.p_value is None and not latest.flagged
    assert latest.note == "not tested: no data for the latest month"


def test_short_series_get_a_reason_not_an_exception():
    months = MONTHS[-6:]
    result = emerging_trends([_series("new", [1, 2, 3, 9, 12, 30], months)])[0]
    assert result.p_value is None and result.q_value is None
    assert not result.flagged and result.signal == ""
    assert result.note.startswith("not tested: too short (6 months with data")
    single = emerging_trends([_series("one", [4], MONTHS[:1])])[0]
    assert "(1 month with data" in single.note
    chart_only = emerging_trends([_series("year", [4] * 11 + [9], MONTHS[-12:])])[0]
    assert chart_only.p_value is not None
    assert "expected is the chart's centre line" in chart_only.note
    assert chart_only.expected == pytest.approx(sum([4] * 11 + [9]) / 12)


def test_results_keep_input_order_across_different_months():
    rng = np.random.default_rng(6)
    later = [*MONTHS[1:], datetime.date(2018, 7, 1)]
    series = [
        _series("a", rng.poisson(5, 36)),
        _series("b", rng.poisson(5, 36), later),
        _series("c", rng.poisson(5, 24), MONTHS[-24:]),
        _series("d", rng.poisson(5, 36)),
    ]
    results = emerging_trends(series)
    assert [result.key for result in results] == ["a", "b", "c", "d"]
    assert results[1].month == datetime.date(2018, 7, 1)
    assert emerging_trends([]) == []


def test_chart_prefilter_never_misses_a_chart_signal():
    """The vectorised shortcut finds every series spc.xmr finds."""
    rng = np.random.default_rng(7)
    rows = []
    for index in range(400):
        kind = index % 4
        if kind == 0:
            row = rng.poisson(rng.uniform(0.2, 30), 36).astype(float)
        elif kind == 1:
            row = rng.poisson(np.linspace(rng.uniform(1, 10), 25, 36)).astype(float)
        elif kind == 2:
            rates = np.r_[np.full(29, 5.0), np.full(7, rng.uniform(5, 12))]
            row = rng.poisson(rates).astype(float)
        else:
            row = rng.integers(0, 3, 36).astype(float)
        if index % 5 == 0:
            row[rng.integers(0, 35)] = np.nan
        rows.append(row)
    values = np.array(rows)
    signal, _ = chart_route(values, np.ones(len(rows), dtype=bool))
    brute = [spc_concern(row)[0] for row in values]
    assert signal.tolist() == brute
    assert 0 < sum(brute) < len(rows)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TrendSeries("k", MONTHS, [1] * 35), "36 months but 35 counts"),
        (
            lambda: TrendSeries("k", [MONTHS[0], MONTHS[2]], [1, 2]),
            "consecutive and oldest first",
        ),
        (
            lambda: TrendSeries("k", [MONTHS[1], MONTHS[0]], [1, 2]),
            "consecutive and oldest first",
        ),
        (
            lambda: TrendSeries("k", [datetime.date(2018, 1, 15)], [1]),
            "is not the first of a month",
        ),
        (
            lambda: TrendSeries("k", [datetime.datetime(2018, 1, 1)], [1]),
            "months must be datetime.date",
        ),
        (lambda: TrendSeries("k", MONTHS[:2], [1, -1]), "2015-08: negative count"),
        (lambda: TrendSeries("k", MONTHS[:2], [1, 2.5]), "whole numbers or None"),
        (lambda: TrendSeries("k", MONTHS[:2], [1, True]), "whole numbers or None"),
        (lambda: TrendSeries(["k"], MONTHS[:1], [1]), "key must be hashable"),
        (lambda: TrendSeries("k", [], []), "no months"),
        (lambda: emerging_trends([("k", MONTHS, [1] * 36)]), "takes TrendSeries"),
        (lambda: emerging_trends([], alpha=0), "alpha must be between 0 and 1"),
    ],
)
def test_trend_input_is_validated(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_alpha_is_the_false_discovery_rate():
    """``alpha`` sets the BH level; the seasonal bound keeps its own alpha."""
    rng = np.random.default_rng(8)
    series = _noise(rng, 200)
    strict = emerging_trends(series)
    loose = emerging_trends(series, alpha=0.9)
    assert [r.signal for r in strict] == [r.signal for r in loose]
    assert [r.q_value for r in strict] == [r.q_value for r in loose]
    assert sum(r.flagged for r in loose) > sum(r.flagged for r in strict)
    assert all(r.flagged == (bool(r.signal) and r.q_value <= 0.9) for r in loose)
    wider = emerging_trends(series, seasonal=SeasonalOptions(alpha=0.2))
    assert sum(r.seasonal_signal for r in wider) > sum(
        r.seasonal_signal for r in strict
    )
