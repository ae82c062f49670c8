"""Tests of the XmR chart against the NHSRplotthedots / nhspy reference fixtures.

Every case of the fixture files in ``<shared>/reference/spc`` is a separate
parametrized test. The three nhspy cases flagged
``consistent_with_R_reference = no`` are checked against the R behaviour.
"""

import math

import pytest

from csphub.analytics.spc import (
    assurance_icon,
    part_of_seven_trend,
    part_of_two_in_three,
    process_limits,
    seven_point_one_side_mean,
    seven_point_trend,
    two_in_three,
    xmr,
)

from .reference import Reference

SPC = Reference("spc")

# R (NHSRplotthedots 0.2.2) results for the nhspy cases that contradict it:
# R never counts points on the mean, and takes abs() of the trend flags (#167).
R_EXPECTED = {
    ("seven_point_one_side_mean", "zeros"): [0, 0, 0, 0, 0, 0, 0],
    ("part_of_seven_trend", "desc"): [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ("part_of_seven_trend", "negative"): [
        1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0,
    ],
}  # fmt: skip

ASSURANCE_ICON_NAMES = {
    "pass": "consistent_pass",
    "fail": "consistent_fail",
    "inconsistent": "inconsistent",
    "": None,
}


def _floats(cell):
    """A ``;``-separated vector of numbers."""
    return [float(item) for item in cell.split(";")] if cell else []


def _ints(cell):
    """A ``;``-separated vector of integers."""
    return [int(item) for item in cell.split(";")] if cell else []


def _close(actual, expected, tolerance):
    """Compare to a published, rounded figure."""
    return actual is not None and abs(actual - expected) <= tolerance + 1e-12


def _rule_case_id(row):
    """Unique id: reference, function and case."""
    source = "R" if row["source"].startswith("nhs-r-community") else "nhspy"
    function = row["function"].split("(")[0]
    return f"{source}-{function}-{row['case']}"


def _apply_rule_function(row):
    """Run the rule helper a fixture row names on its inputs."""
    function = row["function"]
    if function.startswith("part_of_two_in_three"):
        close = _ints(row["input_1"])
        window = two_in_three(close, _ints(row["input_2"]))
        return part_of_two_in_three(window, close)
    if function == "two_in_three":
        return two_in_three(_ints(row["input_1"]), _ints(row["input_2"]))
    helpers = {
        "seven_point_one_side_mean": seven_point_one_side_mean,
        "part_of_seven_trend": part_of_seven_trend,
        "seven_point_trend": seven_point_trend,
    }
    return helpers[function](_floats(row["input_1"]))


@pytest.mark.parametrize("row", SPC.cases("spc_rule_unit_cases.csv", _rule_case_id))
def test_rule_unit_case(row):
    """Each rule-helper case gives the published vector (R where they differ)."""
    actual = [int(value) for value in _apply_rule_function(row)]
    published = _ints(row["expected"])
    if row["consistent_with_R_reference"] == "no":
        expected = R_EXPECTED[(row["function"], row["case"])]
        assert actual != published
    else:
        expected = published
    assert actual == expected


def test_rule_unit_fixture_flags_exactly_the_known_divergences():
    """The R overrides cover exactly the rows marked as diverging from R."""
    SPC.require()
    flagged = {
        (row["function"], row["case"])
        for row in SPC.rows("spc_rule_unit_cases.csv")
        if row["consistent_with_R_reference"] == "no"
    }
    assert flagged == set(R_EXPECTED)


@pytest.mark.parametrize(
    "row", SPC.cases("spc_limits_cases.csv", lambda row: row["case"])
)
def test_limits_case(row):
    """Mean, limits and near-limit lines match to the published rounding."""
    values = _floats(row["values"])
    screen = row["screen_outliers"] == "True"
    tolerance = float(row["tolerance"])
    fix = int(row["fix_after_n_points"]) if row["fix_after_n_points"] else None
    if fix is not None and fix < 12:
        # nhspy accepts a short baseline; R requires 12 points, and so does xmr.
        with pytest.raises(ValueError, match="fix_after_n_points"):
            xmr(values, screen_outliers=screen, fix_after_n_points=fix)
        limits = process_limits(values[:fix], screen_outliers=screen)
    else:
        result = xmr(values, screen_outliers=screen, fix_after_n_points=fix)
        limits = result.groups[0].limits
        first = result.points[0]
        assert (first.mean, first.lpl, first.upl) == (
            limits.mean,
            limits.lpl,
            limits.upl,
        )
    for column, actual in (
        ("expected_mean", limits.mean),
        ("expected_lpl", limits.lpl),
        ("expected_upl", limits.upl),
        ("expected_nlpl", limits.near_lpl),
        ("expected_nupl", limits.near_upl),
    ):
        if row[column]:
            assert _close(actual, float(row[column]), tolerance), column


@pytest.mark.parametrize(
    "row", SPC.cases("spc_point_type_cases.csv", lambda row: row["case"])
)
def test_point_type_case(row):
    """Per-point classification or special-cause flag as published."""
    result = xmr(
        _floats(row["values"]),
        improvement=row["improvement_direction"],
        screen_outliers=row["screen_outliers"] == "True",
    )
    point_types = [point.point_type for point in result.points]
    expected_types = row["expected_point_type"]
    if expected_types.startswith("(last two)"):
        assert point_types[-2:] == expected_types.split(" ", 2)[2].split(";")
    elif expected_types:
        assert point_types == expected_types.split(";")
    if row["expected_special_cause_flag"]:
        expected_flags = [
            flag == "True" for flag in row["expected_special_cause_flag"].split(";")
        ]
        assert [kind != "common_cause" for kind in point_types] == expected_flags
        assert [p.outside_limits for p in result.points] == expected_flags
        assert not any(point.close_to_limits for point in result.points)


@pytest.mark.parametrize(
    "row",
    SPC.cases(
        "spc_assurance_cases.csv",
        lambda row: f"{row['facet']}-{row['improvement_direction']}",
    ),
)
def test_assurance_case(row):
    """Assurance icon from limits, target and improvement direction."""
    actual = assurance_icon(
        float(row["lpl"]),
        float(row["upl"]),
        float(row["target"]),
        row["improvement_direction"],
    )
    expected = row["expected_assurance_type"]
    assert actual == (None if expected == "NA" else expected)


def _icon_case_id(row):
    """Scenario id, with the facet when the scenario is faceted."""
    return (
        row["case"] if row["facet"] == "no facet" else f"{row['case']}-f{row['facet']}"
    )


@pytest.mark.parametrize("row", SPC.cases("spc_icons_expected.csv", _icon_case_id))
def test_icon_scenario(row):
    """Variation and assurance icons of the end-to-end scenarios s1-s9."""
    inputs = SPC.rows("spc_icons_input.csv")
    if row["facet_column"]:
        inputs = [item for item in inputs if item[row["facet_column"]] == row["facet"]]
    result = xmr(
        [float(item[row["value_column"]]) for item in inputs],
        improvement=row["improvement_direction"],
        target=float(row["target"]) if row["target"] else None,
    )
    assert result.variation_icon == row["expected_variation_icon"]
    assert result.assurance_icon == ASSURANCE_ICON_NAMES[row["expected_assurance_icon"]]


def test_fixture_files_hold_all_expected_cases():
    """No fixture row is dropped silently: 64 + 17 + 4 + 9 cases, 11 icon rows."""
    SPC.require()
    counts = {
        name: len(SPC.rows(name))
        for name in (
            "spc_rule_unit_cases.csv",
            "spc_limits_cases.csv",
            "spc_point_type_cases.csv",
            "spc_assurance_cases.csv",
            "spc_icons_expected.csv",
        )
    }
    assert list(counts.values()) == [64, 17, 4, 9, 11]


# Behaviour beyond the fixtures

STABLE = [5.0, 6.0, 5.0, 7.0, 6.0, 5.0, 6.0, 7.0, 5.0, 6.0, 5.0, 6.0, 7.0, 6.0]


def test_missing_values_are_excluded_and_reported_without_type():
    """Missing periods do not move the limits and get no point type."""
    with_gaps = [*STABLE[:4], None, *STABLE[4:9], math.nan, *STABLE[9:]]
    result = xmr(with_gaps)
    complete = xmr(STABLE)
    assert len(result.points) == len(with_gaps)
    assert result.groups[0].limits == complete.groups[0].limits
    gaps = [point for point in result.points if point.value is None]
    assert [point.index for point in gaps] == [4, 10]
    assert all(point.point_type is None and point.rule is None for point in gaps)
    assert all(point.mean == complete.groups[0].limits.mean for point in gaps)
    observed_types = [p.point_type for p in result.points if p.value is not None]
    assert observed_types == [p.point_type for p in complete.points]


def test_missing_period_neither_breaks_nor_extends_a_shift():
    """Seven observed points above the mean around a gap form a shift."""
    values = [*STABLE, 5.0, 6.5, 6.5, 6.5, None, 6.5, 6.5, 6.5, 6.5]
    result = xmr(values, fix_after_n_points=14)
    rules = [p.rule for p in result.points[15:]]
    assert rules == ["shift"] * 3 + [None] + ["shift"] * 4
    assert result.variation_icon == "improvement_high"
    shorter = xmr(values[:-1], fix_after_n_points=14)
    assert all(p.rule is None for p in shorter.points)


def test_latest_missing_uses_latest_observed_point_for_the_icon():
    """The variation icon comes from the latest observed point."""
    assert xmr([*STABLE, 40.0, None]).variation_icon == "improvement_high"


@pytest.mark.parametrize("fix", [1, 5, 11, 0, -3, 12.5, True])
def test_fix_after_n_points_below_twelve_is_rejected(fix):
    """Fixing needs at least 12 integer points."""
    with pytest.raises(ValueError, match="at least 12"):
        xmr(STABLE, fix_after_n_points=fix)


def test_fix_after_n_points_uses_the_first_points_only():
    """Fixed limits ignore later points, which are still classified."""
    values = [*STABLE[:12], 30.0, 31.0]
    result = xmr(values, fix_after_n_points=12)
    assert result.groups[0].limits == process_limits(STABLE[:12])
    assert [p.rule for p in result.points[-2:]] == ["outside_limits"] * 2


def test_rebase_computes_separate_limits_and_rules():
    """Each rebase group has its own limits; runs do not cross the rebase."""
    high = [value + 20 for value in STABLE]
    result = xmr([*STABLE, *high], rebase_at=[len(STABLE)])
    first, second = result.groups
    assert (first.start, first.stop, second.start) == (0, 14, 14)
    assert first.limits == process_limits(STABLE)
    assert second.limits == process_limits(high)
    assert {p.group for p in result.points[14:]} == {1}
    assert all(p.point_type == "common_cause" for p in result.points)
    assert not result.short_group_warning
    unrebased = xmr([*STABLE, *high])
    assert unrebased.points[-1].point_type == "special_cause_improvement"


def test_rebase_index_must_be_inside_the_series():
    """A rebase index beyond the series is an error."""
    with pytest.raises(ValueError, match="rebase_at"):
        xmr(STABLE, rebase_at=[len(STABLE)])


def test_short_group_warning():
    """Fewer than 13 points in a group gives trial limits."""
    assert xmr(STABLE[:12]).short_group_warning
    assert not xmr(STABLE[:13]).short_group_warning
    assert xmr(STABLE, rebase_at=[10]).short_group_warning


def test_run_length_six_option():
    """Six points on one side, or six increasing, need ``run_length=6``."""
    shift = [*STABLE, 5.0, *[6.5] * 6]
    assert xmr(shift, fix_after_n_points=14).points[-1].rule is None
    six = xmr(shift, fix_after_n_points=14, run_length=6)
    assert [p.rule for p in six.points[-7:]] == [None] + ["shift"] * 6
    trend = [*STABLE, 5.0, 5.2, 5.4, 5.6, 5.8, 6.0]
    assert xmr(trend, fix_after_n_points=14).points[-1].rule is None
    six = xmr(trend, fix_after_n_points=14, run_length=6)
    assert [p.rule for p in six.points[-7:]] == [None] + ["trend"] * 6
    assert list(seven_point_trend([1, 2, 3, 4, 5, 6], run_length=6)) == [0] * 5 + [1]
    with pytest.raises(ValueError, match="run_length"):
        xmr(STABLE, run_length=8)


def test_two_of_three_option_counts_points_beyond_limits():
    """Beyond-limit points count towards 2 of 3 only with the option."""
    values = [*STABLE, 5.0, 8.0, 7.0, 12.0]
    default = xmr(values, fix_after_n_points=14).points
    assert [p.rule for p in default[-3:]] == [None, None, "outside_limits"]
    widened = xmr(
        values, fix_after_n_points=14, two_of_three_includes_beyond_limits=True
    ).points
    assert [p.rule for p in widened[-3:]] == ["two_of_three", None, "outside_limits"]


def test_decreasing_trend_is_a_concern_when_increase_is_better():
    """A 7-point fall is flagged as a decreasing trend."""
    values = [*STABLE, 7.0, 6.8, 6.6, 6.4, 6.2, 6.0, 5.8]
    result = xmr(values, improvement="increase")
    assert [p.rule for p in result.points[-7:]] == ["trend"] * 7
    assert result.points[-1].point_type == "special_cause_concern"
    assert result.variation_icon == "concern_low"
    neutral = xmr(values, improvement="neutral")
    assert neutral.points[-1].point_type == "special_cause_neutral_low"


def test_constant_series_has_zero_width_limits():
    """All-equal values give limits on the mean instead of NaN."""
    result = xmr([3.0] * 15)
    limits = result.groups[0].limits
    assert limits.lpl == limits.mean == limits.upl == 3.0
    assert all(p.point_type == "common_cause" for p in result.points)


def test_invalid_improvement_is_rejected():
    """Only increase, decrease and neutral are accepted."""
    with pytest.raises(ValueError, match="improvement"):
        xmr(STABLE, improvement="up")


def test_empty_series():
    """An empty series gives no points and no icons."""
    result = xmr([])
    assert result.points == ()
    assert result.variation_icon is None
    assert result.assurance_icon is None
