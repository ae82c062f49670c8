"""Tests of the Knox test and near-repeat chains against the reference fixtures.

The observed tables of ``<shared>/reference/near_repeat`` (three Near Repeat
Calculator runs, three tobydavies ``knox_test`` tables, the two pathological
NRC runs) are each a separate case, checked cell by cell with their labels.
"""

import csv
import os
import re
from functools import cache
from pathlib import Path

import pytest

from csphub.analytics.near_repeat import equal_bands, knox_table

REFERENCE_DIR = (
    Path(
        os.environ.get(
            "CSPHUB_SHARED", Path(__file__).resolve().parents[3] / ".." / "shared"
        )
    ).resolve()
    / "reference"
)
NEAR_REPEAT_DIR = REFERENCE_DIR / "near_repeat"
MISSING = pytest.mark.skipif(
    not NEAR_REPEAT_DIR.is_dir(),
    reason=f"near-repeat fixtures not found at {NEAR_REPEAT_DIR}; "
    "set CSPHUB_SHARED to the shared folder",
)


def _read_rows(name):
    with open(NEAR_REPEAT_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def _events(dataset):
    """The event file of a fixture data set, as (x, y, date string) rows."""
    name = "pathological_2" if dataset.startswith("pathological") else dataset
    return tuple(
        (float(row["x"]), float(row["y"]), row["date"])
        for row in _read_rows(f"{name}_events.csv")
    )


def _observed_cases():
    """One param per expected table: (settings, expected cells)."""
    if not NEAR_REPEAT_DIR.is_dir():
        return [pytest.param(None, None, id="fixtures-missing", marks=MISSING)]
    tables = {}
    for row in _read_rows("knox_observed_tables_expected.csv"):
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
