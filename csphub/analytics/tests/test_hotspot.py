"""Tests of the hotspot analytics against the PySAL esda 2.9.0 reference fixtures.

The fixtures in ``<shared>/reference/hotspot`` are reproduced through the
functions of ``csphub.analytics.hotspot`` (never by calling esda directly):
Gi/Gi* of the 6-point case for both transforms with and without star, global G
and Moran's I, the FDR cut-offs and the local Moran desmith case. Values marked
RNG-specific (permutation p-values) are checked too, with the fixture's seed
and number of permutations, since the pinned esda version is installed.

The behaviour on synthetic data, which needs no fixtures, is tested in
test_hotspot_behaviour.py.
"""

import re
from functools import cache

import numpy as np
import pytest

from csphub.analytics.hotspot import (
    NOT_SIGNIFICANT,
    fdr_cutoff,
    getis_ord,
    global_g,
    global_moran,
    local_moran,
)

from .reference import Reference

HOTSPOT = Reference("hotspot")

RTOL = 1e-5  # libpysal.common.RTOL, esda's own test tolerance
ATOL = 1e-7  # libpysal.common.ATOL

GI_ATTRIBUTES = {
    "Gs": "gs",
    "EGs": "egs",
    "VGs": "vgs",
    "Zs": "zs",
    "p_norm": "p_norm",
    "p_sim": "p_sim",
    "z_sim": "z_sim",
    "p_z_sim": "p_z_sim",
}
ESDA_QUADRANTS = {"1": "HH", "2": "LH", "3": "LL", "4": "HL"}


def _close(actual, expected, rtol=RTOL, atol=ATOL):
    """``numpy.isclose`` with esda's tolerances, as a plain bool."""
    return bool(np.isclose(actual, expected, rtol=rtol, atol=atol))


def _neighbours_from(name, ids, cast=str):
    """Neighbour lists from an ``i,j[,w]`` fixture, in ``ids`` order."""
    neighbours = {area_id: [] for area_id in ids}
    for row in HOTSPOT.rows(name):
        assert float(row.get("w", 1)) == 1, "binary weights expected"
        neighbours[cast(row["i"])].append(cast(row["j"]))
    return neighbours


# Fixture inputs, read once


@cache
def _points6():
    """Values and distance-band (15) neighbours of the 6-point case."""
    values = {
        int(row["id"]): float(row["value"])
        for row in HOTSPOT.rows("gi_points6_input.csv")
    }
    neighbours = _neighbours_from(
        "gi_points6_weights_distband15_binary.csv", list(values), int
    )
    return values, neighbours


@cache
def _points6_result(transform, star):
    """Gi/Gi* of the 6-point case, as esda's test runs it (seed 10, 999)."""
    values, neighbours = _points6()
    return getis_ord(
        values, neighbours, transform=transform, star=star, seed=10, permutations=999
    )


def _values_and_gal(name, column, gal_name):
    """The `column` values of a fixture by id, with a GAL fixture's neighbours."""
    values = {row["id"]: float(row[column]) for row in HOTSPOT.rows(name)}
    return values, _neighbours_from(gal_name, list(values))


@cache
def _desmith():
    """Values and GAL neighbours of the de Smith local Moran case."""
    return _values_and_gal(
        "lisa_desmith_input.csv", "z", "lisa_desmith_weights_gal.csv"
    )


@cache
def _desmith_result():
    """Local Moran of desmith as esda's test runs it (seed 12345, 99)."""
    values, neighbours = _desmith()
    return local_moran(values, neighbours, seed=12345, permutations=99)


@cache
def _stl():
    """St Louis homicide rates HR8893 and GAL contiguity."""
    return _values_and_gal("moran_stl_input.csv", "HR8893", "moran_stl_weights_gal.csv")


@cache
def _fdr_p_values():
    """The 78 permutation p-values esda's FDR test feeds to ``fdr``."""
    return [
        float(row["p_sim_seed10_999perm_esda"])
        for row in HOTSPOT.rows("fdr_stl_pvalues_input.csv")
    ]


def _lattice_3x3():
    """Binary rook 3x3 lattice, y = 1..9 row-major (esda test_variance)."""
    values = {k: float(k + 1) for k in range(9)}
    neighbours = {
        k: [
            r * 3 + c
            for r, c in ((k // 3 - 1, k % 3), (k // 3, k % 3 - 1),
                         (k // 3, k % 3 + 1), (k // 3 + 1, k % 3))
            if 0 <= r < 3 and 0 <= c < 3
        ]
        for k in range(9)
    }  # fmt: skip
    return values, neighbours


# Fixture cases


@pytest.mark.parametrize(
    "row",
    HOTSPOT.cases(
        "gi_points6_expected.csv",
        lambda row: (
            f"{row['transform']}-star{row['star']}-{row['id']}-{row['statistic']}"
        ),
    ),
)
def test_gi_points6_value(row):
    """Every Gi/Gi* vector value of esda's 6-point test, both transforms."""
    result = _points6_result(row["transform"], row["star"] == "True")
    area = result.by_id()[int(row["id"])]
    actual = getattr(area, GI_ATTRIBUTES[row["statistic"]])
    assert _close(actual, float(row["value"]))
    asserted = re.search(r"\(([-0-9.e]+)\)", row["asserted_in_esda_test"])
    if asserted:
        assert _close(actual, float(asserted.group(1)))


def test_gi_points6_settings_and_fdr():
    """The run records its settings; 6 points give only the Bonferroni bound."""
    HOTSPOT.require()
    result = _points6_result("B", True)
    assert (result.star, result.transform) == (True, "B")
    assert (result.permutations, result.seed, result.p_value) == (999, 10, "p")
    assert [a.p for a in result.areas] == pytest.approx(
        [2 * a.p_norm for a in result.areas]
    )
    assert result.fdr_cutoff == pytest.approx(0.05 / 6)
    assert all(area.classification == NOT_SIGNIFICANT for area in result.areas)
    assert [area.n_neighbours for area in result.areas] == [2, 3, 1, 3, 4, 1]


def _global_case_value(case, statistic):
    """The value a ``global_and_fdr_cases.csv`` row names, from this module."""
    if case == "getis_ord_global_G_points6":
        result = global_g(*_points6())
        return {"G": result.g, "p_norm (one-sided)": result.p_norm}[statistic]
    if case == "global_moran_stl_HR8893":
        result = global_moran(*_stl())
        return {
            "I (row-standardised)": result.i,
            "p_norm (one-tailed)": result.p_norm,
            "EI": result.ei,
            "z_norm": result.z_norm,
        }[statistic]
    if case == "global_moran_lat3x3_y1to9":
        result = global_moran(*_lattice_3x3(), transformation="B")
        return {
            "VI_rand (binary rook 3x3)": result.vi_rand,
            "VI_norm": result.vi_norm,
            "I": result.i,
        }[statistic]
    if case == "fdr_stl_local_moran":
        alpha = float(re.search(r"alpha=([0-9.]+)", statistic).group(1))
        return fdr_cutoff(_fdr_p_values(), alpha)
    if case == "local_moran_desmith":
        first = _desmith_result().areas[0]
        return first.z_sim if statistic.startswith("z_sim") else first.p_z_sim
    raise AssertionError(f"unhandled fixture case {case!r}")


@pytest.mark.parametrize(
    "row",
    HOTSPOT.cases(
        "global_and_fdr_cases.csv",
        lambda row: f"{row['case']}-{row['statistic'].split(' ')[0]}",
    ),
)
def test_global_and_fdr_case(row):
    """Global G, global Moran's I, FDR cut-offs and desmith z_sim/p_z_sim."""
    actual = _global_case_value(row["case"], row["statistic"])
    assert _close(actual, float(row["expected"]))


@pytest.mark.parametrize(
    "row", HOTSPOT.cases("lisa_desmith_expected.csv", lambda r: r["id"])
)
def test_lisa_desmith_area(row):
    """Is, quadrant and the analytical moments of each desmith area."""
    area = _desmith_result().by_id()[row["id"]]
    assert area.quadrant == ESDA_QUADRANTS[row["quadrant"]]
    checks = {
        "z_std": area.z,
        "Is": area.i,
        "EI": area.ei,
        "VI": area.vi,
        "EIc": area.eic,
        "VIc": area.vic,
        "asserted_EI": area.ei,
        "asserted_VI": area.vi,
        "asserted_EIc": area.eic,
        "asserted_VIc": area.vic,
        "p_sim_seed12345_99perm_esda": area.p_sim,
        "z_sim_seed12345_99perm_esda": area.z_sim,
        "p_z_sim_seed12345_99perm_esda": area.p_z_sim,
    }
    wrong = {
        column: (actual, row[column])
        for column, actual in checks.items()
        if not _close(actual, float(row[column]))
    }
    assert not wrong


def test_lisa_desmith_fdr_classification():
    """With 10 areas and 99 permutations nothing survives FDR at 5 %."""
    HOTSPOT.require()
    result = _desmith_result()
    assert result.fdr_cutoff == pytest.approx(0.05 / 10)
    assert {area.cluster for area in result.areas} == {NOT_SIGNIFICANT}
    assert (result.seed, result.permutations, result.transformation) == (
        12345,
        99,
        "R",
    )


def test_stl_local_moran_reproduces_the_fdr_input_p_values():
    """Local Moran of stl (seed 10, 999) gives esda's p-values, then FDR."""
    HOTSPOT.require()
    result = local_moran(*_stl(), seed=10, permutations=999)
    expected = _fdr_p_values()
    assert np.allclose([area.p_sim for area in result.areas], expected, RTOL, ATOL)
    assert result.fdr_cutoff == pytest.approx(0.001282051282051282)
    significant = [area for area in result.areas if area.cluster != NOT_SIGNIFICANT]
    assert significant
    assert all(area.p_sim <= result.fdr_cutoff for area in significant)
    assert all(area.cluster == area.quadrant for area in significant)
    assert len(significant) == sum(p <= result.fdr_cutoff for p in expected)
