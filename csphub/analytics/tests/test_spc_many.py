"""xmr_many gives exactly what xmr gives, series by series."""

import numpy as np
import pytest

from csphub.analytics.spc import xmr
from csphub.analytics.spc_many import xmr_each, xmr_fast, xmr_many


def _series(seed):
    rng = np.random.default_rng(seed)
    smooth = rng.normal(size=(150, 30))
    # small integers: ties (which break trends) and points on the mean
    ties = rng.integers(0, 4, size=(150, 30)).astype(float)
    drift = np.cumsum(rng.normal(size=(150, 30)), axis=1)
    spikes = rng.normal(size=(150, 30))
    spikes[:, 12] += 9
    return np.vstack([smooth, ties, drift, spikes])


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"improvement": "decrease", "target": 0.5},
        {"improvement": "neutral"},
        {"screen_outliers": False, "target": -1.0},
        {"fix_after_n_points": 12, "target": 2.0},
        {"run_length": 6, "improvement": "decrease"},
        {"two_of_three_includes_beyond_limits": True},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_xmr_many_equals_xmr_on_every_series(options):
    series = _series(sum(map(ord, str(options))))
    many = xmr_many(series, **options)
    for i, row in enumerate(series):
        one = xmr(row.tolist(), **options)
        limits = one.groups[0].limits
        assert many.mean[i] == limits.mean
        assert many.lpl[i] == limits.lpl and many.upl[i] == limits.upl
        assert many.point_types(i) == [p.point_type for p in one.points]
        assert many.variation_icons[i] == one.variation_icon
        assert many.assurance_icons[i] == one.assurance_icon


def test_xmr_many_takes_one_target_per_series():
    series = np.array([[1.0, 2, 1, 2, 1, 2, 1, 2], [1.0, 2, 1, 2, 1, 2, 1, 2]])
    many = xmr_many(series, target=[10.0, None])
    assert many.assurance_icons == ["consistent_fail", None]


@pytest.mark.parametrize(
    "values",
    [[[1.0, np.nan, 2.0]], [[1.0]], [1.0, 2.0], [[1.0, np.inf]]],
)
def test_xmr_many_refuses_what_it_cannot_compute(values):
    with pytest.raises(ValueError):
        xmr_many(values)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"improvement": "decrease", "target": 0.5},
        {"improvement": "neutral", "run_length": 6},
        {"screen_outliers": False, "fix_after_n_points": 12, "target": 1.0},
        {"two_of_three_includes_beyond_limits": True, "improvement": "decrease"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_xmr_fast_returns_exactly_what_xmr_returns(options):
    rng = np.random.default_rng(7)
    series = _series(11)[::6]
    for row in series:
        values = [None if rng.random() < 0.1 else float(v) for v in row]
        assert xmr_fast(values, **options) == xmr(values, **options)


def test_xmr_fast_hands_what_it_cannot_do_to_xmr():
    assert xmr_fast([None, 3.0]) == xmr([None, 3.0])
    assert xmr_fast([]) == xmr([])
    values = [float(v) for v in range(20)]
    assert xmr_fast(values, rebase_at=[10]) == xmr(values, rebase_at=[10])


def test_xmr_each_batches_mixed_series_exactly():
    rng = np.random.default_rng(3)
    series, improvements, targets = [], [], []
    for k in range(60):
        n = int(rng.integers(1, 40))
        values = [None if rng.random() < 0.1 else float(v) for v in rng.poisson(8, n)]
        series.append(values)
        improvements.append(["increase", "decrease", "neutral"][k % 3])
        targets.append(None if k % 4 == 0 else float(rng.integers(4, 12)))
    results = xmr_each(series, improvements, targets, run_length=6)
    for values, improvement, target, result in zip(
        series, improvements, targets, results, strict=True
    ):
        assert result == xmr(
            values, improvement=improvement, target=target, run_length=6
        )
