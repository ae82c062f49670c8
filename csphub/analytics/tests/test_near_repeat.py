"""Tests of the Knox test and near-repeat chains against the reference fixtures.

The observed tables of ``<shared>/reference/near_repeat`` (three Near Repeat
Calculator runs, three tobydavies ``knox_test`` tables, the two pathological
NRC runs) are each a separate case, checked cell by cell with their labels.
"""

import datetime as dt
import itertools
import json
import math
import re
from functools import cache

import numpy as np
import pytest

from csphub.analytics import near_repeat_table
from csphub.analytics.near_repeat import (
    cell_statistics,
    equal_bands,
    knox,
    knox_table,
    near_repeat_chains,
)

from .reference import Reference

NEAR_REPEAT = Reference("near_repeat")
MISSING = NEAR_REPEAT.needed()


@cache
def _events(dataset):
    """The event file of a fixture data set, as (x, y, date string) rows."""
    name = "pathological_2" if dataset.startswith("pathological") else dataset
    return tuple(
        (float(row["x"]), float(row["y"]), row["date"])
        for row in NEAR_REPEAT.rows(f"{name}_events.csv")
    )


def _observed_cases():
    """One param per expected table: (settings, expected cells)."""
    if not NEAR_REPEAT.dir.is_dir():
        return [pytest.param(None, None, id="fixtures-missing", marks=MISSING)]
    tables = {}
    for row in NEAR_REPEAT.rows("knox_observed_tables_expected.csv"):
        key = tuple(
            row[name]
            for name in ("dataset", "source", "metric", "spatial_bands",
                         "temporal_bands", "interval_convention")
        )  # fmt: skip
        tables.setdefault(key, []).append(row)
    cases = []
    for key, cells in tables.items():
        dataset, source, metric = key[:3]
        case_id = f"{dataset}-{metric}-{source.rsplit(':', 1)[-1][:24]}-{len(cases)}"
        cases.append(pytest.param(_settings(key), cells, id=case_id))
    return cases


def _settings(key):
    """knox_table keyword arguments for one fixture table."""
    dataset, _source, metric, spatial, temporal, convention = key
    settings = {"metric": metric}
    if convention.startswith("NRC 1.3"):
        width, count = re.search(r"bandwidth (\d+) x (\d+)", spatial).groups()
        days, tcount = re.search(r"bandwidth (\d+) days? x (\d+)", temporal).groups()
        settings.update(
            mode="nrc",
            spatial_bands=equal_bands(int(width), int(count)),
            temporal_bands=equal_bands(int(days), int(tcount)),
        )
    else:
        limits = re.search(r"\[([^\]]*)\]", spatial).group(1)
        tlimits = re.search(r"\[([^\]]*)\]", temporal).group(1)
        settings.update(
            mode="platform",
            same_location=False,
            # tobydavies' interval_side='left' is (a, b]; 'right' is [a, b).
            closed="right" if "interval_side='left'" in convention else "left",
            spatial_bands=[float(v) for v in limits.split(",")],
            temporal_bands=[int(v) for v in tlimits.split(",")],
        )
    return dataset, settings


@pytest.mark.parametrize(("settings", "cells"), _observed_cases())
def test_observed_table_reproduces_reference(settings, cells):
    dataset, kwargs = settings
    table = knox_table(_events(dataset), **kwargs)
    assert table.n_events == len(_events(dataset))
    assert sum(map(sum, table.observed)) == table.n_pairs
    for cell in cells:
        row, col = int(cell["row"]) - 1, int(cell["col"]) - 1
        row_band, col_band = table.spatial_bands[row], table.temporal_bands[col]
        if kwargs["mode"] == "nrc":
            assert (row_band.label, col_band.label) == (
                cell["row_label"],
                cell["col_label"],
            )
        else:
            assert row_band.interval == cell["row_label"] + " m"
            assert col_band.interval == cell["col_label"] + " days"
        assert table.observed[row][col] == int(cell["expected_pairs"]), cell


@MISSING
def test_nrc_mode_reads_coordinates_as_float32():
    """One arson pair 399.96 m apart crosses to the 400-600 band only in float32."""
    kwargs = {"spatial_bands": equal_bands(200, 3), "temporal_bands": (1, 2, 3)}
    nrc = knox_table(_events("chicago_arson"), mode="nrc", **kwargs)
    platform = knox_table(_events("chicago_arson"), mode="platform", **kwargs)
    assert nrc.cell("201 to 400", "More than 3") == 140
    assert nrc.cell("401 to 600", "More than 3") == 234
    assert platform.observed[2][3] == 141
    assert platform.observed[3][3] == 233


def test_nrc_labels_mean_one_less_than_they_say():
    events = [(0, 0, 0), (0, 100, 7), (0, 0, 13), (50, 0, 14)]
    table = knox_table(
        events, spatial_bands=(100, 200), temporal_bands=(7, 14), mode="nrc"
    )
    assert table.row_labels == ("Same location", "1 to 100", "101 to 200",
                                "More than 200")  # fmt: skip
    assert table.col_labels == ("0 to 7", "8 to 14", "More than 14")
    # A(0,0,0) B(0,100,7) C(0,0,13) D(50,0,14), Manhattan distances.
    assert table.cell("101 to 200", "8 to 14") == 2  # A-B 100 m 7 d, B-D 150 m 7 d
    assert table.cell("101 to 200", "0 to 7") == 1  # B-C 100 m 6 d
    assert table.cell("Same location", "8 to 14") == 1  # A-C 0 m 13 d
    assert table.cell("1 to 100", "More than 14") == 1  # A-D 50 m 14 d
    assert table.cell("1 to 100", "0 to 7") == 1  # C-D 50 m 1 d
    assert table.n_pairs == 6 == sum(map(sum, table.observed))


def _cell_cases():
    if not NEAR_REPEAT.dir.is_dir():
        return [pytest.param(None, id="fixtures-missing", marks=MISSING)]
    return [
        pytest.param(row, id=f"{row['dataset']}-r{row['row']}c{row['col']}")
        for row in NEAR_REPEAT.rows("nrc_cell_simulations.csv")
    ]


NRC_RUNS = {
    "chicago_be_month1": ((100, 3), (7, 3)),
    "chicago_arson": ((200, 3), (1, 3)),
}


@cache
def _nrc_table(dataset):
    spatial, temporal = NRC_RUNS[dataset]
    return knox_table(
        _events(dataset),
        spatial_bands=equal_bands(*spatial),
        temporal_bands=equal_bands(*temporal),
        mode="nrc",
    )


@pytest.mark.parametrize("row", _cell_cases())
def test_cell_p_value_and_ratio_reproduce_the_nrc(row):
    sims = [int(v) for v in row["sims"].split(";")]
    stats = cell_statistics(int(row["observed"]), sims)
    assert stats.n_sims == int(row["n_sims"]) == len(sims)
    assert (stats.minimum, stats.maximum) == (int(row["sim_min"]), int(row["sim_max"]))
    assert stats.mean == pytest.approx(float(row["sim_mean"]), rel=1e-12)
    assert stats.p_value == pytest.approx(float(row["p_value"]), abs=1e-12)
    expected_ratio = float(row["obs_over_mean"])
    assert stats.ratio == pytest.approx(expected_ratio, rel=1e-12, abs=1e-12)
    # The observed count is the one this package tabulates for that run.
    table = _nrc_table(row["dataset"])
    assert table.observed[int(row["row"]) - 1][int(row["col"]) - 1] == int(
        row["observed"]
    )


def _naive_table(events, table, metric):
    """All pairs, one by one, placed by each band's own interval."""
    counts = [[0] * len(table.temporal_bands) for _ in table.spatial_bands]
    to32 = table.mode == "nrc"
    points = [
        (float(np.float32(x)), float(np.float32(y))) if to32 else (x, y)
        for x, y, _t in events
    ]
    for a, b in itertools.combinations(range(len(events)), 2):
        dx = abs(points[a][0] - points[b][0])
        dy = abs(points[a][1] - points[b][1])
        distance = dx + dy if metric == "manhattan" else math.hypot(dx, dy)
        days = abs(events[a][2] - events[b][2])
        row = next(
            k for k, band in enumerate(table.spatial_bands) if band.contains(distance)
        )
        col = next(
            k for k, band in enumerate(table.temporal_bands) if band.contains(days)
        )
        counts[row][col] += 1
    return tuple(map(tuple, counts))


@pytest.mark.parametrize(
    "options",
    [
        {"mode": "nrc", "metric": "manhattan"},
        {"mode": "nrc", "metric": "euclidean"},
        {"mode": "platform", "metric": "manhattan"},
        {"mode": "platform", "metric": "euclidean", "closed": "right"},
        {"mode": "platform", "metric": "manhattan", "same_location": False},
        {
            "mode": "platform",
            "metric": "euclidean",
            "closed": "right",
            "same_location": False,
        },
    ],  # fmt: skip
    ids=lambda options: "-".join(str(v) for v in options.values()),
)
def test_table_matches_naive_count_of_every_pair(options):
    # Integer grid points, so many pairs sit exactly on band limits.
    rng = np.random.default_rng(7)
    events = [
        (int(x) * 50, int(y) * 50, int(t))
        for x, y, t in zip(
            rng.integers(0, 8, 300),
            rng.integers(0, 8, 300),
            rng.integers(0, 40, 300),
            strict=True,
        )
    ]
    table = knox_table(
        events, spatial_bands=(100, 150, 250), temporal_bands=(3, 7, 14), **options
    )
    assert table.observed == _naive_table(events, table, options["metric"])
    assert sum(map(sum, table.observed)) == table.n_pairs == 300 * 299 // 2


def test_simulated_mean_approaches_the_knox_expectation():
    """Under permuted times a cell expects row total x column total / pairs."""
    rng = np.random.default_rng(3)
    events = list(
        zip(
            rng.uniform(0, 600, 60).tolist(),
            rng.uniform(0, 600, 60).tolist(),
            rng.integers(0, 60, 60).tolist(),
            strict=True,
        )
    )
    result = knox(
        events, spatial_bands=(100, 200), temporal_bands=(7, 14), permutations=4000
    )
    observed = np.array(result.observed)
    knox_expected = np.outer(observed.sum(1), observed.sum(0)) / observed.sum()
    assert np.allclose(np.array(result.expected), knox_expected, rtol=0.05, atol=0.3)
    # Column totals do not change when times are permuted over places.
    assert np.allclose(np.array(result.expected).sum(0), observed.sum(0))


def _clustered_events():
    """Burglaries in pairs: the second a few metres and 0-2 days after the first,
    among background events spread over 5 km and a year."""
    rng = np.random.default_rng(11)
    events = []
    for _ in range(150):
        x, y, t = rng.uniform(0, 5000), rng.uniform(0, 5000), int(rng.integers(0, 365))
        events.append((x, y, t))
        events.append((x + rng.uniform(0, 40), y, t + int(rng.integers(0, 3))))
    for _ in range(30):  # repeats at the very same address
        x, y, t = rng.uniform(0, 5000), rng.uniform(0, 5000), int(rng.integers(0, 360))
        events += [(x, y, t), (x, y, t + 1)]
    return events


def test_knox_flags_repeats_and_near_repeats():
    result = knox(
        _clustered_events(),
        spatial_bands=(100, 200, 300),
        temporal_bands=(7, 14, 21),
        permutations=199,
        seed=5,
    )
    assert result.row_labels[:2] == ("Same location", "(0, 100) m")
    assert result.col_labels[0] == "[0, 7) days"
    assert result.p_values[0][0] == result.min_p_value == 1 / 200
    assert result.significant[0][0] and result.repeat_victimisation
    assert result.ratios[1][0] > 5
    assert [f.row for f in result.near_repeats] == [1]
    finding = result.near_repeats[0]
    assert (finding.columns, finding.up_to_days) == (1, 6)
    assert finding.percent_more == pytest.approx((result.ratios[1][0] - 1) * 100)
    assert not any(result.significant[2][:3])  # no excess 100-200 m away
    assert result.sentences()[0].startswith("Repeat victimisation: pairs of events")
    assert (
        "under 100 m (not the same location) and 0 to 6 days" in (result.sentences()[1])
    )


def test_knox_is_repeatable_from_its_recorded_seed():
    events = _clustered_events()
    kwargs = {"spatial_bands": (100, 200), "temporal_bands": (7, 14)}
    first = knox(events, permutations=49, seed=42, **kwargs)
    again = knox(events, permutations=49, seed=42, **kwargs)
    other = knox(events, permutations=49, seed=43, **kwargs)
    assert first == again and first.seed == 42
    assert first.expected != other.expected
    drawn = knox(events, permutations=49, seed=None, **kwargs)
    assert knox(events, permutations=49, seed=drawn.seed, **kwargs) == drawn


def test_knox_to_dict_is_strict_json():
    result = knox(
        _clustered_events()[:40],
        spatial_bands=(10, 20),
        temporal_bands=(1, 2),
        permutations=19,
        mode="nrc",
    )
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["mode"] == "nrc" and data["seed"] == 12345
    assert data["spatial_bands"][1]["label"] == "1 to 10"
    assert data["spatial_bands"][1]["interval"] == "(0, 10) m"
    assert len(data["observed"]) == len(data["ratios"]) == 4
    assert None in itertools.chain.from_iterable(data["ratios"])  # 0/0 cells
    assert data["min_p_value"] == 0.05


def test_events_accept_dates_datetimes_day_numbers_and_arrays():
    as_dates = [(0, 0, dt.date(2024, 1, 1)), (0, 50, dt.datetime(2024, 1, 3, 23, 0))]
    as_numbers = [(0, 0, 10), (0, 50, 12.0)]
    as_array = np.array([[0, 0, 10], [0, 50, 12]])
    kwargs = {"spatial_bands": (100,), "temporal_bands": (7,)}
    tables = [
        knox_table(e, **kwargs).observed for e in (as_dates, as_numbers, as_array)
    ]
    assert tables[0] == tables[1] == tables[2] == ((0, 0), (1, 0), (0, 0))


@pytest.mark.parametrize(
    ("events", "kwargs", "message"),
    [
        ([(0, 0, 1)], {}, "at least 2 events"),
        ([(0, 0, 1), (0, "x", 2)], {}, "event 1: y must be a number"),
        ([(0, 0, 1), (0, math.nan, 2)], {}, "event 1: y must be finite"),
        ([(0, 0, 1), (0, 0, 2.5)], {}, "event 1: t must be whole days"),
        ([(0, 0, 1), (0, 0, "2024-13-01")], {}, "event 1: t '2024-13-01' is not"),
        ([(0, 0, 1), (0, 0)], {}, "event 1: expected (x, y, t)"),
        ([(0, 0, 1), (0, 0, dt.date(2024, 1, 1))], {}, "mix dates and day numbers"),
        ([(0, 0, 1), (0, 0, 2)], {"spatial_bands": (200, 100)}, "strictly increasing"),
        ([(0, 0, 1), (0, 0, 2)], {"spatial_bands": ()}, "at least one band"),
        ([(0, 0, 1), (0, 0, 2)], {"temporal_bands": (1.5,)}, "whole days"),
        ([(0, 0, 1), (0, 0, 2)], {"mode": "arcgis"}, "mode must be one of"),
        ([(0, 0, 1), (0, 0, 2)], {"metric": "chebyshev"}, "metric must be one of"),
        ([(0, 0, 1), (0, 0, 2)], {"mode": "nrc", "closed": "right"}, "fixed conv"),
        ([(0, 0, 1), (0, 0, 2)], {"permutations": 0}, "permutations must be from"),
        ([(0, 0, 1), (0, 0, 2)], {"seed": -1}, "seed must be an integer"),
        ([(0, 0, 1), (0, 0, 2)], {"alpha": 1.5}, "alpha must be between"),
    ],
)
def test_bad_input_is_refused_with_a_reason(events, kwargs, message):
    arguments = {"spatial_bands": (100,), "temporal_bands": (7,), **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        knox(events, permutations=kwargs.get("permutations", 9), **{
            k: v for k, v in arguments.items() if k != "permutations"
        })  # fmt: skip


def _string_cases():
    if not NEAR_REPEAT.dir.is_dir():
        return [pytest.param(None, id="fixtures-missing", marks=MISSING)]
    rows = NEAR_REPEAT.rows("near_strings_cases.csv")
    return [pytest.param(row, id=row["case"]) for row in rows]


@pytest.mark.parametrize("row", _string_cases())
def test_chains_reproduce_ptools_near_strings(row):
    def numbers(cell):
        return [float(v) for v in cell.split(";")]

    events = list(
        zip(numbers(row["x"]), numbers(row["y"]), numbers(row["t"]), strict=True)
    )
    result = near_repeat_chains(
        events,
        distance=float(row["dist_thresh"]),
        days=int(row["time_thresh"]),
    )
    sizes = np.bincount(result.component)[1:]
    if row["expected_comp_id"]:
        assert list(result.component) == [
            int(v) for v in row["expected_comp_id"].split(";")
        ]
    expected = row["expected_max_comp"]
    if expected == "max(CompNum)=1":  # every event on its own
        assert sizes.max() == 1 and result.chains == ()
    elif expected == "max(CompId)=1":  # one component holds them all
        assert max(result.component) == 1
        assert [chain.size for chain in result.chains] == [len(events)]
    else:
        assert max(result.component) == int(expected)


def test_chains_list_their_events_span_and_ids():
    events = [
        (0, 0, dt.date(2024, 3, 1)),  # a: chain with b, c (c through b)
        (30, 40, dt.date(2024, 3, 3)),  # b: 50 m, 2 days from a
        (60, 80, dt.date(2024, 3, 5)),  # c: 50 m, 2 days from b; 100 m from a
        (5000, 0, dt.date(2024, 3, 2)),  # d: alone
        (5000, 90, dt.date(2024, 3, 9)),  # e: 90 m but 7 days from d
        (2000, 0, dt.date(2024, 4, 1)),  # f, g: the same place, a day apart
        (2000, 0, dt.date(2024, 4, 2)),
    ]
    ids = ["a", "b", "c", "d", "e", "f", "g"]
    result = near_repeat_chains(events, distance=100, days=7, ids=ids)
    assert [chain.ids for chain in result.chains] == [("a", "b", "c"), ("f", "g")]
    first = result.chains[0]
    assert (first.number, first.size, first.links) == (1, 3, 2)
    assert (first.first, first.last, first.span_days) == (
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 5),
        4,
    )
    assert first.span_metres == pytest.approx(100)
    assert first.centre == pytest.approx((30, 40))
    assert result.chains[1].span_metres == 0 and result.chains[1].span_days == 1
    assert result.events_in_chains == 5
    assert result.component == (1, 1, 1, 2, 3, 4, 4)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["chains"][0]["first"] == "2024-03-01"
    # Limits are strict: 100 m apart is not "within 100 m".
    tighter = near_repeat_chains(events, distance=50, days=7, ids=ids)
    assert [chain.ids for chain in tighter.chains] == [("f", "g")]


def test_chain_span_uses_the_farthest_pair():
    rng = np.random.default_rng(2)
    points = rng.uniform(0, 30, (200, 2))
    events = [(x, y, int(k % 3)) for k, (x, y) in enumerate(points)]
    chain = near_repeat_chains(events, distance=50, days=5).chains[0]
    farthest = max(math.dist(p, q) for p, q in itertools.combinations(points, 2))
    assert chain.size == 200 and chain.span_metres == pytest.approx(farthest)
    line = [(float(k), 0.0, 0) for k in range(100)]  # collinear: no hull
    assert near_repeat_chains(line, distance=2, days=1).chains[0].span_metres == 99
    manhattan = near_repeat_chains(events, distance=50, days=5, metric="manhattan")
    farthest_l1 = max(
        abs(p[0] - q[0]) + abs(p[1] - q[1])
        for p, q in itertools.combinations(points, 2)
    )
    assert manhattan.chains[0].span_metres == pytest.approx(farthest_l1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distance": 0}, "distance must be a positive number"),
        ({"days": 0}, "days must be a whole number >= 1"),
        ({"days": 1.5}, "days must be a whole number >= 1"),
        ({"min_size": 1}, "min_size must be a whole number >= 2"),
        ({"metric": "cosine"}, "metric must be one of"),
        ({"ids": ["a"]}, "got 1 ids for 2 events"),
    ],
)
def test_chain_options_are_checked(kwargs, message):
    arguments = {"distance": 100, "days": 7, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        near_repeat_chains([(0, 0, 1), (0, 0, 2)], **arguments)


def test_each_simulated_table_is_the_table_of_a_permutation_of_times():
    """Recount from scratch with the same permutations: the tables agree."""
    events = _clustered_events()[:200]
    kwargs = {"spatial_bands": (100, 300), "temporal_bands": (3, 10)}
    arrays, setup = near_repeat_table.prepare_table(
        events, kwargs["spatial_bands"], kwargs["temporal_bands"],
        "platform", "manhattan", "left", None,
    )  # fmt: skip
    sims = near_repeat_table.simulate_tables(setup, 5, np.random.default_rng(9))
    rng = np.random.default_rng(9)
    for sim in sims:
        times = rng.permutation(arrays.days - arrays.days.min())
        shuffled = [(x, y, int(t)) for (x, y, _), t in zip(events, times, strict=True)]
        assert sim.tolist() == [
            list(r) for r in knox_table(shuffled, **kwargs).observed
        ]


@MISSING
def test_two_events_can_never_be_significant():
    """The NRC's pathological example: permuting two times changes nothing."""
    result = knox(
        _events("pathological_2"),
        spatial_bands=(100, 200),
        temporal_bands=(3, 6),
        permutations=99,
        mode="nrc",
    )
    assert result.table.cell("101 to 200", "4 to 6") == 1
    assert {p for row in result.p_values for p in row} == {1.0}
    assert result.ratios[2][1] == 1.0 and result.ratios[0][0] is None
    assert not any(map(any, result.significant))
    assert result.repeat_victimisation is False and result.near_repeats == ()
    assert result.sentences() == [
        "No indication of repeat victimisation.",
        "No significant near-repeat pattern.",
    ]
