"""Tests of the "emerging and worrying" flag: which series the chart and the
seasonal routes flag, the false discovery rate across a run, and the ranking
by excess."""

import datetime

import numpy as np
import pytest

from csphub.analytics.seasonal import SeasonalOptions
from csphub.analytics.trend import (
    TrendSeries,
    chart_route,
    emerging_trends,
    flagged_trends,
    spc_concern,
)

MONTHS = [datetime.date(2015 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(36)]


def _series(key, counts, months=MONTHS):
    return TrendSeries(key, months, [None if c is None else int(c) for c in counts])


def _seasonal_counts(rng, years=3, level=10.0, amplitude=0.3):
    months = np.arange(12 * years)
    return rng.poisson(level * (1 + amplitude * np.sin(2 * np.pi * months / 12)))


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
