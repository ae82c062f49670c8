"""Gi* hotspots over Haringey's LSOAs from the real data."""

from datetime import date

import pytest

from csphub.accounts.models import Partnership
from csphub.intelligence.models import Incident
from csphub.intelligence.services import import_file, lsoa_hotspots
from csphub.places.models import Area

from .fixtures import data_dir

# the real files where ../shared/data has them, else the synthetic fixtures
HARINGEY = data_dir() / "policeuk" / "haringey"
MONTHS = [date(2018, 4, 1), date(2018, 5, 1), date(2018, 6, 1)]


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    for m in MONTHS:
        import_file(partnership, HARINGEY / f"{m:%Y-%m}-metropolitan-street.csv")
    return partnership


def test_every_lsoa_is_tested_with_its_count_and_a_recorded_seed(haringey):
    result = lsoa_hotspots(haringey, MONTHS, seed=7)
    assert result.seed == 7 and result.permutations == 999
    lsoas = Area.objects.lsoas().filter(parent__parent=haringey.borough)
    assert len(result.areas) == lsoas.count()  # 145 in the real data
    counts = {a.id: a.count for a in result.areas}
    assert sum(counts.values()) == Incident.objects.filter(month__in=MONTHS).count()
    assert result.hot_spots  # Tottenham's high street and Wood Green stand out


def test_the_same_seed_repeats_exactly(haringey):
    first = lsoa_hotspots(haringey, MONTHS, permutations=99, seed=3)
    again = lsoa_hotspots(haringey, MONTHS, permutations=99, seed=3)
    assert [a.p_sim for a in first.areas] == [a.p_sim for a in again.areas]
    assert [a.classification for a in first.areas] == [
        a.classification for a in again.areas
    ]


def test_a_category_with_no_incidents_finds_no_hotspots(haringey):
    result = lsoa_hotspots(
        haringey, MONTHS, category="No such category", permutations=99
    )
    assert result is None
