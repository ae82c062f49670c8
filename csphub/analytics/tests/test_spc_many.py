"""xmr_many gives exactly what xmr gives, series by series."""

import numpy as np
import pytest

from csphub.analytics.spc import xmr
from csphub.analytics.spc_many import xmr_many


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
