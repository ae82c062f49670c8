"""Tests of the trend statistics against the ptools reference fixtures: the
Poisson E-test and Z, the Weighted Displacement Difference and
Benjamini-Hochberg (the seasonal expectation is in test_seasonal.py, the
"emerging and worrying" flag in test_trend_flags.py).

Every row of ``<shared>/reference/trend/*.csv`` is a separate parametrized
test, compared to the precision the file gives (a figure with n decimals to
half a unit of its last decimal; "(2dp)" and "(rounded)" figures after the
same rounding; a published tolerance where one is given).
"""

import math
import re

import pytest

from csphub.analytics.trend import (
    benjamini_hochberg,
    e_test,
    poisson_z,
    wdd,
    wdd_harm,
)

from .reference import Reference

TREND = Reference("trend")

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


@pytest.mark.parametrize(
    "row", TREND.cases("poisson_etest_cases.csv", lambda r: r["case"])
)
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


@pytest.mark.parametrize("row", TREND.cases("poisson_z_cases.csv", lambda r: r["case"]))
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


@pytest.mark.parametrize("row", TREND.cases("wdd_cases.csv", lambda r: r["case"]))
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
    TREND.require()
    rows = TREND.rows("wdd_harm_case.csv")
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
    hotspot = Reference("hotspot")
    hotspot.require()
    rows = hotspot.rows("fdr_stl_pvalues_input.csv")
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
