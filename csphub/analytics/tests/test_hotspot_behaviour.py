"""Tests of the hotspot analytics on synthetic data (no fixtures needed): a
planted cluster, seeds, the point grid and projection, neighbours of areas,
islands, the hot and cold classification and clear errors on bad input. The
reference cases are in test_hotspot.py."""

import math
import warnings

import numpy as np
import pytest
from shapely.geometry import box

from csphub.analytics.hotspot import (
    COLD,
    HOT,
    NOT_SIGNIFICANT,
    area_neighbours,
    fdr_cutoff,
    getis_ord,
    gi_star_areas,
    gi_star_points,
    global_g,
    global_moran,
    local_moran,
    local_moran_areas,
    point_grid,
    project_lonlat,
)


def _planted_points(seed=0, size=15):
    """Points on a 100 m grid: Poisson(10) background, a 3x3 Poisson(30) block."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(10, (size, size))
    counts[6:9, 6:9] = rng.poisson(30, (3, 3))
    xs, ys = [], []
    for row in range(size):
        for col in range(size):
            n = counts[row, col]
            xs.extend(col * 100 + rng.uniform(1, 99, n))
            ys.extend(row * 100 + rng.uniform(1, 99, n))
    return np.array(xs), np.array(ys), counts


def test_planted_cluster_is_the_only_hot_spot():
    """The planted block is hot after FDR, with at most the cells touching it
    (their Gi* neighbourhoods hold block cells); nothing is cold."""
    xs, ys, counts = _planted_points()
    result = gi_star_points(xs, ys, 100, bounds=(0, 0, 1500, 1500))
    block = {(col, row) for col in range(6, 9) for row in range(6, 9)}
    around = {(col, row) for col in range(5, 10) for row in range(5, 10)}
    assert block <= set(result.hot_spots) <= around
    assert result.cold_spots == ()
    areas = result.by_id()
    assert all(areas[cell].count == counts[cell[1], cell[0]] for cell in areas)
    assert all(areas[cell].zs > 2.576 for cell in result.hot_spots)
    assert all(areas[cell].p <= result.fdr_cutoff for cell in result.hot_spots)
    hot = set(result.hot_spots)
    uncorrected = [a for a in result.areas if a.p <= 0.05 and a.id not in hot]
    assert uncorrected, "FDR should matter: some cells pass an uncorrected 5 %"
    assert not any(a.p_sim_exceeds_alpha for a in result.areas)
    assert (result.permutations, result.seed, result.alpha) == (999, 12345, 0.05)
    assert result.fdr_cutoff is not None and result.fdr_cutoff < 0.05


def _grid_values(size=8, seed=3):
    """A small grid of counts with its queen neighbours."""
    counts = np.random.default_rng(seed).poisson(4, size * size)
    grid = point_grid([0.0], [0.0], 1.0, bounds=(0, 0, size, size))
    return dict(zip(grid.cells, counts.tolist(), strict=True)), grid.neighbours()


def test_seed_makes_results_repeatable():
    """The same seed repeats p_sim exactly; another seed changes it."""
    values, neighbours = _grid_values()
    state = np.random.get_state()[1].copy()
    first = getis_ord(values, neighbours, seed=7)
    again = getis_ord(values, neighbours, seed=7)
    other = getis_ord(values, neighbours, seed=8)
    assert np.array_equal(np.random.get_state()[1], state)
    p_first = [area.p_sim for area in first.areas]
    assert p_first == [area.p_sim for area in again.areas]
    assert p_first != [area.p_sim for area in other.areas]
    assert [area.zs for area in first.areas] == [area.zs for area in other.areas]
    assert (first.seed, other.seed) == (7, 8)


def test_seed_none_is_drawn_and_recorded():
    """Without a seed one is drawn, recorded, and repeats the run."""
    values, neighbours = _grid_values()
    drawn = local_moran(values, neighbours, seed=None, permutations=99)
    assert isinstance(drawn.seed, int)
    repeat = local_moran(values, neighbours, seed=drawn.seed, permutations=99)
    assert [a.p_sim for a in drawn.areas] == [a.p_sim for a in repeat.areas]


def test_analytic_only_and_without_kept_simulations():
    """permutations=0 decides the same areas, without p_sim to check them;
    dropping simulations keeps p_sim."""
    values, neighbours = _grid_values()
    analytic = getis_ord(values, neighbours, permutations=0)
    assert (analytic.p_value, analytic.seed) == ("p", None)
    assert all(math.isnan(area.p_sim) for area in analytic.areas)
    assert not any(area.p_sim_exceeds_alpha for area in analytic.areas)
    kept = getis_ord(values, neighbours)
    lean = getis_ord(values, neighbours, keep_simulations=False)
    assert [a.p_sim for a in kept.areas] == [a.p_sim for a in lean.areas]
    assert all(math.isnan(area.z_sim) for area in lean.areas)
    kinds = [a.classification for a in analytic.areas]
    assert kinds == [a.classification for a in kept.areas]


def test_known_esda_warnings_stay_inside():
    """esda's Gi*/R, deprecation and island warnings are handled in the module."""
    values, neighbours = _grid_values()
    values["island"], neighbours["island"] = 30, []
    local_moran(values, neighbours, permutations=9)  # esda imported beforehand
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = getis_ord(values, neighbours, transform="r", permutations=9)
        gi = getis_ord(values, neighbours, star=False, permutations=9)
        moran = local_moran(values, neighbours, permutations=9)
    assert result.transform == "R" and not gi.star
    assert math.isnan(gi.by_id()["island"].zs)
    assert moran.by_id()["island"].cluster == NOT_SIGNIFICANT


def test_point_grid_uses_the_cell_size():
    """Counts per cell, origin at a multiple of the cell size, empty cells kept."""
    xs = [1010, 1090, 1150, 1399.5, 1400]
    ys = [2020, 2080, 2010, 2190, 2200]
    grid = point_grid(xs, ys, 100)
    assert (grid.x_origin, grid.y_origin, grid.n_cols, grid.n_rows) == (
        1000.0,
        2000.0,
        4,
        2,
    )
    counts = grid.count_by_cell()
    assert counts == {
        (0, 0): 2, (1, 0): 1, (2, 0): 0, (3, 0): 0,
        (0, 1): 0, (1, 1): 0, (2, 1): 0, (3, 1): 2,
    }  # fmt: skip
    assert grid.cell_bounds((3, 1)) == (1300.0, 2100.0, 1400.0, 2200.0)
    neighbours = grid.neighbours()
    assert sorted(neighbours[(0, 0)]) == [(0, 1), (1, 0), (1, 1)]
    assert len(neighbours[(1, 0)]) == 5
    rook = point_grid(xs, ys, 100, rook=True).neighbours()
    assert sorted(rook[(0, 0)]) == [(0, 1), (1, 0)]
    wide = point_grid(xs, ys, 250, bounds=(0, 0, 2000, 2500))
    assert (wide.n_cols, wide.n_rows, sum(wide.counts)) == (8, 10, 5)


def test_point_grid_limits():
    """Points outside the bounds and oversized grids are refused."""
    with pytest.raises(ValueError, match="outside bounds"):
        point_grid([5, 500], [5, 5], 10, bounds=(0, 0, 100, 100))
    with pytest.raises(ValueError, match="max_cells"):
        point_grid([0, 100_000], [0, 100_000], 10)
    with pytest.raises(ValueError, match="cell_size"):
        point_grid([0, 1], [0, 1], 0)


def test_project_lonlat_gives_metres():
    """One degree at 45 and 60 degrees north, as in the usual WGS84 tables."""
    for lat, metres_lat, metres_lon in ((45, 111_132, 78_847), (60, 111_412, 55_800)):
        x, y = project_lonlat([0.0, 0.01], [lat, lat + 0.01], origin=(0, lat))
        assert x[1] * 100 == pytest.approx(metres_lon, rel=1e-4)
        assert y[1] * 100 == pytest.approx(metres_lat, rel=1e-4)
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-1.52, -1.48, 300), rng.uniform(52.49, 52.51, 300)
    x, y = project_lonlat(lon, lat)
    assert max(abs(x.min()), x.max()) < 1400 and max(abs(y.min()), y.max()) < 1120
    result = gi_star_points(x, y, 250, permutations=0)
    assert result.grid.cell_size == 250 and sum(result.grid.counts) == 300


def test_polygons_touching_at_a_corner_are_queen_neighbours():
    """Queen links corner-touching squares; rook needs a shared edge."""
    areas = [
        ("a", box(0, 0, 1, 1)),
        ("b", box(1, 0, 2, 1)),
        ("c", box(0, 1, 1, 2)),
        ("d", box(1, 1, 2, 2)),
        ("e", box(2.5, 0.5, 3, 1.5)),
        ("f", box(2, 2, 3, 3)),
    ]
    queen = area_neighbours(areas)
    assert queen["a"] == ["b", "c", "d"]
    assert queen["f"] == ["d"]
    assert queen["e"] == []
    rook = area_neighbours(areas, rook=True)
    assert rook["a"] == ["b", "c"]
    assert rook["f"] == []


def test_touching_without_a_shared_vertex():
    """An edge lying on a longer edge (no shared vertex) is a shared boundary."""
    areas = [
        ("low", box(0, 0, 4, 1)),
        ("high", box(1, 1, 2, 2)),
        ("x", box(5, 5, 6, 6)),
    ]
    assert area_neighbours(areas)["low"] == ["high"]
    assert area_neighbours(areas, rook=True)["high"] == ["low"]


def _row_of_squares_with_island():
    """Six unit squares in a row and one far-away square with a big count."""
    areas = [(f"s{k}", box(k, 0, k + 1, 1)) for k in range(6)]
    areas.append(("island", box(50, 50, 51, 51)))
    counts = {"s0": 1, "s1": 2, "s2": 9, "s3": 8, "s4": 1, "island": 40}
    return areas, counts


def test_island_is_not_significant():
    """An area without neighbours is reported, not tested and never significant."""
    areas, counts = _row_of_squares_with_island()
    result = gi_star_areas(areas, counts)
    island = result.by_id()["island"]
    assert island.island and island.n_neighbours == 0
    assert island.classification == NOT_SIGNIFICANT and island.gi_bin == 0
    assert math.isnan(island.p_sim) and math.isnan(island.zs)
    assert result.by_id()["s5"].count == 0
    tested = [area.p_sim for area in result.areas if not area.island]
    assert result.fdr_cutoff == fdr_cutoff(tested)
    moran = local_moran_areas(areas, {**counts, "s5": 0}).by_id()["island"]
    assert moran.cluster == NOT_SIGNIFICANT and moran.quadrant is None


def test_all_islands_give_no_cutoff():
    """With no area having a neighbour, nothing is tested."""
    values = {"a": 1, "b": 2, "c": 3}
    islands = {"a": [], "b": [], "c": []}
    result = getis_ord(values, islands)
    assert result.fdr_cutoff is None
    assert {area.classification for area in result.areas} == {NOT_SIGNIFICANT}
    moran = local_moran(values, islands)
    assert moran.fdr_cutoff is None
    assert {area.cluster for area in moran.areas} == {NOT_SIGNIFICANT}


def test_hot_and_cold_classification():
    """A significant high cluster is hot and a low one cold, by sign of Zs."""
    size = 12
    counts = np.full((size, size), 10)
    counts[:3, :3] = 30
    counts[-4:, -4:] = 0
    grid = point_grid([0.0], [0.0], 1.0, bounds=(0, 0, size, size))
    values = dict(zip(grid.cells, counts.ravel().tolist(), strict=True))
    areas = getis_ord(values, grid.neighbours()).by_id()
    assert areas[(1, 1)].classification == HOT and areas[(1, 1)].gi_bin == 3
    assert areas[(10, 10)].classification == COLD and areas[(10, 10)].gi_bin < 0
    assert areas[(6, 6)].classification == NOT_SIGNIFICANT


@pytest.mark.parametrize(
    "call",
    [
        lambda: getis_ord({}, {}),
        lambda: local_moran({}, {}),
        lambda: global_g({}, {}),
        lambda: global_moran({}, {}),
        lambda: gi_star_areas([], {}),
        lambda: local_moran_areas([], []),
        lambda: gi_star_points([], [], 100),
        lambda: point_grid([], [], 100),
        lambda: project_lonlat([], []),
        lambda: fdr_cutoff([]),
    ],
    ids=[
        "getis_ord",
        "local_moran",
        "global_g",
        "global_moran",
        "gi_star_areas",
        "local_moran_areas",
        "gi_star_points",
        "point_grid",
        "project_lonlat",
        "fdr_cutoff",
    ],
)
def test_empty_input_is_a_clear_error(call):
    """Empty input raises a ValueError that says so."""
    with pytest.raises(ValueError, match=r"(?i)no areas|empty|no p-values"):
        call()


THREE = {"a": 1.0, "b": 2.0, "c": 4.0}
CHAIN = {"a": ["b"], "b": ["a", "c"], "c": ["b"]}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: getis_ord({"a": 1, "b": 2}, {"a": ["b"], "b": ["a"]}), "at least 3"),
        (lambda: getis_ord({**THREE, "a": -1.0}, CHAIN), "non-negative"),
        (lambda: getis_ord(dict.fromkeys(THREE, 2.0), CHAIN), "all values are equal"),
        (lambda: getis_ord(THREE, {"a": ["b"], "b": ["a"]}), "one entry per area"),
        (lambda: getis_ord(THREE, {**CHAIN, "a": ["a"]}), "distinct other areas"),
        (lambda: getis_ord(THREE, {**CHAIN, "a": ["z"]}), "distinct other areas"),
        (lambda: getis_ord(THREE, CHAIN, transform="W"), "transform"),
        (lambda: getis_ord(THREE, CHAIN, alpha=1.5), "alpha"),
        (lambda: getis_ord(THREE, CHAIN, seed=-1), "seed"),
        (lambda: local_moran(THREE, CHAIN, permutations=0), "permutations"),
        (lambda: global_g(THREE, CHAIN), "at least 4"),
        (lambda: gi_star_areas([("a", box(0, 0, 1, 1))], {"z": 1}), "unknown"),
        (lambda: gi_star_areas([("a", None)], {}), "polygons"),
        (lambda: fdr_cutoff([0.5, 1.5]), "between 0 and 1"),
    ],
)
def test_invalid_input_is_a_clear_error(call, message):
    """Inconsistent input raises a ValueError naming the problem."""
    with pytest.raises(ValueError, match=message):
        call()
