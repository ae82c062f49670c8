"""The monthly count tables a briefing reads (counts.py): kept by the import in
the file's own transaction, equal to counting the incidents, and a briefing
from them equal to one counted from the raw rows."""

from datetime import date

import pytest
from django.db.models import Count

from csphub.accounts.models import Partnership
from csphub.intelligence import briefing, counts
from csphub.intelligence.importing import CrimeFileError
from csphub.intelligence.models import Incident, LsoaMonthCount, WardMonthCount
from csphub.intelligence.services import (
    add_months,
    import_data,
    import_file,
)
from csphub.places.models import Area, Zone

from .dataset_factories import csv_bytes, load_file, make_data_set, rows
from .fixtures import data_dir

# the real files where ../shared/data has them, else the synthetic fixtures
HARINGEY = data_dir() / "policeuk" / "haringey"
MAY = date(2018, 5, 1)


def police(partnership):
    return Incident.objects.police_uk().filter(partnership=partnership)


def raw_ward_month_counts(partnership, months, ward_ids):
    """The grouped count of the incidents that the briefing used to run."""
    return list(
        police(partnership)
        .filter(month__in=months, ward_id__in=ward_ids)
        .values_list("ward_id", "category", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )


def raw_lsoa_counts(partnership, months):
    return dict(
        police(partnership)
        .filter(month__in=months)
        .values_list("lsoa_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    month = date(2017, 3, 1)
    while month <= MAY:
        import_file(partnership, HARINGEY / f"{month:%Y-%m}-metropolitan-street.csv")
        month = add_months(month, 1)
    # Partner incidents in the same months: kept apart from police.uk's.
    data_set = make_data_set(partnership)
    load_file(data_set, csv_bytes(rows(9, month=4, year=2018)), "a.csv")
    return partnership


def all_months(partnership):
    return sorted(set(police(partnership).values_list("month", flat=True)))


def every_ward_id():
    return list(Area.objects.wards().values_list("pk", flat=True))


def test_the_import_counts_what_it_loads(haringey):
    months = all_months(haringey)
    got = counts.ward_month_counts(haringey, months, every_ward_id())
    assert sorted(got) == sorted(
        raw_ward_month_counts(haringey, months, every_ward_id())
    )
    assert counts.lsoa_counts(haringey, months) == raw_lsoa_counts(haringey, months)
    assert sum(n for *_, n in got) == police(haringey).count() > 500
    # The partner rows are counted too, under their data set.
    partner = WardMonthCount.objects.exclude(data_set=None)
    assert sum(partner.values_list("n", flat=True)) == 9


def test_replacing_a_file_replaces_its_counts(haringey):
    raw = (HARINGEY / f"{MAY:%Y-%m}-metropolitan-street.csv").read_bytes()
    lines = raw.splitlines(keepends=True)
    fewer = b"".join(lines[:-100])  # a revised file: the last 100 rows gone
    import_data(haringey, fewer, f"{MAY:%Y-%m}-metropolitan-street.csv")
    assert counts.lsoa_counts(haringey, [MAY]) == raw_lsoa_counts(haringey, [MAY])
    wards = every_ward_id()
    assert sorted(counts.ward_month_counts(haringey, [MAY], wards)) == sorted(
        raw_ward_month_counts(haringey, [MAY], wards)
    )


def test_a_bad_file_leaves_no_counts(haringey):
    before = WardMonthCount.objects.count(), LsoaMonthCount.objects.count()
    good = (HARINGEY / "2018-06-metropolitan-street.csv").read_bytes()
    broken = good + b"not,a,row\n"
    with pytest.raises(CrimeFileError):
        import_data(haringey, broken, "2018-06-metropolitan-street.csv")
    assert (WardMonthCount.objects.count(), LsoaMonthCount.objects.count()) == before


def test_rebuild_counts_again_from_the_incidents(haringey):
    months = all_months(haringey)
    wards = every_ward_id()
    expected = sorted(counts.ward_month_counts(haringey, months, wards))
    WardMonthCount.objects.all().delete()
    LsoaMonthCount.objects.filter(month=MAY).delete()
    ward_rows, lsoa_rows = counts.rebuild(haringey)
    assert ward_rows == WardMonthCount.objects.count() > 0
    assert lsoa_rows == LsoaMonthCount.objects.count() > 0
    assert sorted(counts.ward_month_counts(haringey, months, wards)) == expected
    assert counts.lsoa_counts(haringey, months) == raw_lsoa_counts(haringey, months)


def results_from_raw_rows(partnership, place, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(counts, "ward_month_counts", raw_ward_month_counts)
        m.setattr(counts, "lsoa_counts", raw_lsoa_counts)
        return compute(partnership, place)


def compute(partnership, place):
    parameters = {**briefing.DEFAULTS, "permutations": 99}
    inputs = briefing.read_inputs(partnership, place, MAY, parameters)
    return briefing.compute(inputs, parameters, briefing.SEED)


@pytest.mark.parametrize("which", ["borough", "zone", "ward"])
def test_a_briefing_from_counts_equals_one_from_raw_rows(haringey, which, monkeypatch):
    place = {
        "borough": lambda: haringey.borough,
        "zone": lambda: Zone.objects.get(partnership=haringey, slug="south"),
        "ward": lambda: Area.objects.wards().get(name="Tottenham Green"),
    }[which]()
    from_counts = compute(haringey, place)
    assert from_counts["total"]["count"] > 0
    assert from_counts == results_from_raw_rows(haringey, place, monkeypatch)
