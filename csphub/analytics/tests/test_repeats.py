"""Tests of repeat locations, on made-up incidents and on police.uk files."""

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from csphub.analytics.hotspot import project_lonlat
from csphub.analytics.repeats import Incident, month_index, repeat_locations

from .reference import SHARED_DIR

# The real City of London files when ../shared/data has them (the test is
# about police.uk's own snap points), else the synthetic ones in their layout
# (csphub/intelligence/tests/fixtures/README.md; read by path: analytics
# imports no other app).
REAL_CITY = SHARED_DIR / "data" / "policeuk" / "city-of-london"
SYNTHETIC_CITY = (
    Path(__file__).resolve().parents[2]
    / "intelligence/tests/fixtures/data/policeuk/city-of-london"
)
POLICEUK_DIR = REAL_CITY if REAL_CITY.is_dir() else SYNTHETIC_CITY


def _at(x, y, month, category="Burglary", ident=None, label=""):
    return Incident(ident or f"{x},{y},{month},{category}", month, category, x, y,
                    label=label)  # fmt: skip


def test_places_with_enough_incidents_ranked_by_count_with_categories():
    incidents = [
        _at(0, 0, "2024-05", "Burglary", "a1", "On or near Park Road"),
        _at(0, 0, "2024-06", "Burglary", "a2", "On or near Park Road"),
        _at(0, 0, "2024-06", "Vehicle crime", "a3", "On or near Park Road"),
        _at(0, 0, "2024-06", "Burglary", "a4"),
        _at(100, 0, "2024-04", "Robbery", "b1"),
        _at(100, 0, "2024-06", "Robbery", "b2"),
        _at(100, 0, "2024-06", "Burglary", "b3"),
        _at(500, 0, "2024-06", "Robbery", "c1"),
        _at(500, 0, "2024-06", "Robbery", "c2"),
        _at(900, 0, "2024-06", "Robbery", "d1"),
    ]
    result = repeat_locations(incidents, min_count=2, months=12)
    assert [(loc.x, loc.count) for loc in result.locations] == [
        (0.0, 4), (100.0, 3), (500.0, 2)
    ]  # fmt: skip
    top = result.locations[0]
    assert top.rank == 1 and top.label == "On or near Park Road"
    assert top.incident_ids == ("a1", "a2", "a3", "a4")
    assert top.categories == (("Burglary", 3), ("Vehicle crime", 1))
    assert top.by_month == (("2024-05", 1), ("2024-06", 3))
    assert (top.first_month, top.last_month, top.points) == ("2024-05", "2024-06", 1)
    assert result.locations[1].categories == (("Robbery", 2), ("Burglary", 1))
    assert (result.from_month, result.until_month) == ("2023-07", "2024-06")
    assert result.considered == 10 and result.outside_window == 0
    assert repeat_locations(incidents, min_count=3).locations[-1].x == 100
    data = json.loads(json.dumps(result.to_dict()))
    assert data["locations"][0]["categories"][0] == {"category": "Burglary", "count": 3}


def test_only_the_last_months_count():
    incidents = [
        _at(0, 0, "2023-12"),
        _at(0, 0, "2024-01"),
        _at(0, 0, "2024-03"),
        _at(0, 0, dt.date(2024, 3, 20)),
        _at(50, 0, "2024-04"),  # the latest month: the window ends here
    ]
    result = repeat_locations(incidents, min_count=2, months=3)
    assert (result.from_month, result.until_month) == ("2024-02", "2024-04")
    assert [loc.count for loc in result.locations] == [2]
    assert result.outside_window == 2
    earlier = repeat_locations(incidents, min_count=2, months=3, until="2024-01")
    assert [loc.count for loc in earlier.locations] == [2]
    assert earlier.locations[0].by_month == (("2023-12", 1), ("2024-01", 1))


def test_tolerance_snaps_nearby_points_to_the_busiest_without_chaining():
    incidents = [
        *[_at(0, 0, "2024-01") for _ in range(3)],  # the busiest point
        _at(3, 0, "2024-01"),  # 3 m away: joins it
        _at(6, 0, "2024-01"),  # 6 m from the leader, 3 m from the joiner
        _at(7, 0, "2024-01"),
    ]
    exact = repeat_locations(incidents, min_count=2)
    assert [(loc.x, loc.count) for loc in exact.locations] == [(0.0, 3)]
    snapped = repeat_locations(incidents, min_count=2, tolerance=4)
    assert [(loc.x, loc.count, loc.points) for loc in snapped.locations] == [
        (0.0, 4, 2), (6.0, 2, 2)
    ]  # fmt: skip


def test_location_keys_group_exactly_and_incidents_without_location_are_counted():
    incidents = [
        {"id": 1, "month": "2024-01", "category": "ASB", "location": "UPRN 100"},
        {"id": 2, "month": "2024-01", "category": "ASB", "location": "UPRN 100"},
        {"id": 3, "month": "2024-01", "category": "ASB", "location": "UPRN 101"},
        {"id": 4, "month": "2024-01", "category": "ASB"},  # no location
        {"id": 5, "month": (2024, 1), "category": "ASB", "x": None, "y": None},
    ]
    result = repeat_locations(incidents, min_count=2)
    (place,) = result.locations
    assert (place.key, place.x, place.count, place.incident_ids) == (
        "UPRN 100", None, 2, (1, 2)
    )  # fmt: skip
    assert result.without_location == 2 and result.considered == 3


def test_no_incidents_gives_no_locations():
    result = repeat_locations([], min_count=2)
    assert result.locations == () and result.until_month is None


@pytest.mark.parametrize(
    ("incidents", "kwargs", "message"),
    [
        ([_at(0, 0, "2024-13")], {}, "incident '0,0,2024-13,Burglary': not a month"),
        ([_at(0, 0, "May 2024")], {}, "not a month (YYYY-MM or a date)"),
        ([Incident(7, "2024-01", x=1.0)], {}, "incident 7: give both x and y"),
        ([Incident(7, "2024-01", x="a", y=1)], {}, "incident 7: x and y must be num"),
        ([], {"min_count": 1}, "min_count must be a whole number >= 2"),
        ([], {"months": 0}, "months must be a whole number >= 1"),
        ([], {"tolerance": -1}, "tolerance must be a number >= 0"),
    ],
)
def test_bad_input_is_refused_with_a_reason(incidents, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        repeat_locations(incidents, **kwargs)


def test_month_index_reads_months_and_dates():
    assert month_index("2024-02") == month_index(dt.datetime(2024, 2, 9)) == (
        month_index((2024, 2))
    ) == 2024 * 12 + 1  # fmt: skip


def test_police_uk_snap_points_are_repeat_locations():
    """City of London street files: crimes at one published point are one place."""
    rows = []
    for path in sorted(POLICEUK_DIR.glob("2016-*/*-street.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            rows += [row for row in csv.DictReader(handle) if row["Longitude"]]
    assert rows
    x, y = project_lonlat(
        [float(r["Longitude"]) for r in rows], [float(r["Latitude"]) for r in rows]
    )
    incidents = [
        Incident(k, row["Month"], row["Crime type"], float(px), float(py),
                 label=row["Location"])
        for k, (row, px, py) in enumerate(zip(rows, x, y, strict=True))
    ]  # fmt: skip
    result = repeat_locations(incidents, min_count=5, months=3)
    window = {r["Month"] for r in rows if "2016-10" <= r["Month"] <= "2016-12"}
    by_point = Counter(
        (r["Longitude"], r["Latitude"]) for r in rows if r["Month"] in window
    )
    expected = sorted((n for n in by_point.values() if n >= 5), reverse=True)
    assert [loc.count for loc in result.locations] == expected
    top = result.locations[0]
    labels = Counter(rows[k]["Location"] for k in top.incident_ids)
    assert top.label == labels.most_common(1)[0][0]
    assert sum(n for _, n in top.categories) == top.count
    # A metre's tolerance merges nothing: snap points are further apart.
    snapped = repeat_locations(incidents, min_count=5, months=3, tolerance=1)
    assert snapped.locations == result.locations
