"""import_crime: police.uk files import as published; bad files are rejected
whole with the line named. The files are the synthetic fixtures in the real
layout (fixtures/README.md), so these tests run without ../shared/data."""

from datetime import date

import pytest
from django.core.management import call_command

from csphub.accounts.models import Partnership
from csphub.intelligence.importing import CrimeFileError
from csphub.intelligence.models import Incident, SourceFile
from csphub.intelligence.services import data_months, import_file
from csphub.lib.tests.commands import run_command
from csphub.places.models import Area

from .crime_files import import_street_crime
from .fixtures import CITY, HARINGEY


@pytest.fixture
def haringey(db):
    return Partnership.objects.get(slug="haringey")


@pytest.fixture
def city(db):
    """A partnership for the City of London: its boundary, no LSOAs loaded."""
    return Partnership.objects.create(
        name="City of London CSP",
        slug="city",
        borough=Area.objects.get(code="E09000001"),
    )


def lines(path):
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_haringey_month_is_placed_in_lsoas_wards_and_zones(haringey):
    path = HARINGEY / "2016-01-metropolitan-street.csv"
    result = import_file(haringey, path)
    rows = len(lines(path)) - 1
    assert result.status == "loaded"
    assert result.rows_read == rows
    assert result.rows_loaded + result.rows_outside + result.rows_no_location == rows
    assert result.rows_outside > 0  # a few rows fall in neighbouring boroughs
    incidents = Incident.objects.filter(source_file__name=path.name)
    assert incidents.count() == result.rows_loaded
    assert not incidents.filter(lsoa=None).exists()
    assert not incidents.filter(zone=None).exists()
    bruce_grove = incidents.filter(ward__code="E05000268")
    assert bruce_grove.exists()
    assert {i.zone.slug for i in bruce_grove.select_related("zone")} == {"south"}
    asb = incidents.filter(category="Anti-social behaviour")
    assert asb.exists() and set(asb.values_list("crime_id", flat=True)) == {""}


def test_the_same_file_again_changes_nothing(haringey):
    path = HARINGEY / "2016-02-metropolitan-street.csv"
    first = import_file(haringey, path)
    ids = set(Incident.objects.values_list("pk", flat=True))
    again = import_file(haringey, path)
    assert again.status == "unchanged"
    assert again.rows_loaded == first.rows_loaded
    assert set(Incident.objects.values_list("pk", flat=True)) == ids


def test_a_revised_file_replaces_the_older_one(haringey, tmp_path):
    original = HARINGEY / "2016-02-metropolitan-street.csv"
    older = tmp_path / original.name
    older.write_text("".join(lines(original)[:101]), encoding="utf-8")
    import_file(haringey, older)
    assert Incident.objects.filter(month=date(2016, 2, 1)).count() <= 100
    result = import_file(haringey, original)
    assert result.status == "replaced"
    assert SourceFile.objects.filter(month=date(2016, 2, 1)).count() == 1
    assert Incident.objects.filter(month=date(2016, 2, 1)).count() == result.rows_loaded


def test_a_month_with_no_file_is_no_data_not_zero(haringey):
    import_street_crime(haringey, ("2016-02", "2016-04"), HARINGEY)
    assert data_months(haringey) == [
        (date(2016, 2, 1), True),
        (date(2016, 3, 1), False),
        (date(2016, 4, 1), True),
    ]


def test_city_of_london_files_import_as_they_are(city):
    code, out, err = run_command(
        "import_crime", "--partnership", "city", CITY / "2015-01", CITY / "2015-02"
    )
    assert code == 0, err
    assert "2 files imported, 0 rejected" in out
    files = SourceFile.objects.filter(partnership=city)
    assert files.count() == 2
    for f in files:
        assert f.force == "City of London Police"
        assert f.rows_loaded > 0
        assert f.rows_loaded + f.rows_outside + f.rows_no_location == f.rows_read
    assert sum(f.rows_no_location for f in files) > 0  # rows without coordinates


@pytest.mark.parametrize(
    "damage,message",
    [
        (lambda ls: ls[:50] + [ls[50][:40]], r":51: expected 12 columns, found"),
        (lambda ls: ["Crime ID,Month,Category\n", *ls[1:]], r":1: the columns are"),
        (
            lambda ls: [*ls[:9], ls[9].replace(",-0.", ",west-0.", 1), *ls[10:]],
            r":10: bad coordinates",
        ),
        (
            lambda ls: [*ls[:19], ls[19].replace("2016-01", "2016-13", 1), *ls[20:]],
            r":20: month '2016-13' is not YYYY-MM",
        ),
        (
            lambda ls: [*ls[:29], ls[29].replace("2016-01", "2016-02", 1), *ls[30:]],
            r":30: month 2016-02 differs from the file's 2016-01",
        ),
    ],
    ids=["truncated", "wrong-columns", "bad-coordinates", "bad-month", "two-months"],
)
def test_bad_files_are_rejected_whole_naming_the_line(
    haringey, tmp_path, damage, message
):
    source = HARINGEY / "2016-01-metropolitan-street.csv"
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(damage(lines(source))), encoding="utf-8")
    with pytest.raises(CrimeFileError, match=r"^bad\.csv" + message):
        import_file(haringey, bad)
    assert not SourceFile.objects.filter(name="bad.csv").exists()
    assert not Incident.objects.exists()


def test_wrong_encoding_is_rejected_naming_the_line(haringey, tmp_path):
    text = (HARINGEY / "2016-01-metropolitan-street.csv").read_text(encoding="utf-8")
    rows = text.splitlines(keepends=True)
    rows[6] = rows[6].replace("On or near", "On or née")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("".join(rows).encode("latin-1"))
    with pytest.raises(CrimeFileError, match=r"^latin1\.csv:7: not UTF-8"):
        import_file(haringey, bad)
    assert not Incident.objects.exists()


def test_command_exits_2_and_still_loads_the_good_files(haringey, tmp_path):
    bad = tmp_path / "2016-05-metropolitan-street.csv"
    bad.write_text("not,a,police.uk,file\n", encoding="utf-8")
    good = HARINGEY / "2016-06-btp-street.csv"
    code, out, err = run_command("import_crime", "--partnership", "haringey", bad, good)
    assert code == 2
    assert "2016-05-metropolitan-street.csv:1: the columns are" in err
    assert "1 files imported, 1 rejected" in out
    assert SourceFile.objects.get().force == "British Transport Police"


def test_command_names_an_unknown_partnership(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no partnership with slug 'nowhere'"):
        call_command("import_crime", "--partnership", "nowhere", str(HARINGEY))


def test_data_page_shows_months_files_and_the_gap(haringey, client_for):
    import_street_crime(haringey, ("2016-02", "2016-04"), HARINGEY)
    client = client_for("analyst")
    html = client.get("/intelligence/data/").content.decode()
    assert "No data for March 2016" in html
    assert "2016-04-metropolitan-street.csv" in html
    assert "February 2016 to April 2016" in html
    csv_text = client.get("/intelligence/data/?format=csv").content.decode()
    assert "2016-03,no data" in csv_text
    outsider = client_for("outsider").get("/intelligence/data/").content.decode()
    assert "2016-04-metropolitan-street.csv" not in outsider
    assert "No crime data has been imported" in outsider


def test_data_page_queries_do_not_grow_with_files(
    haringey, client_for, django_assert_num_queries
):
    client = client_for("analyst")
    import_file(haringey, HARINGEY / "2016-02-metropolitan-street.csv")
    client.get("/intelligence/data/")
    with django_assert_num_queries(6):
        client.get("/intelligence/data/")
    import_file(haringey, HARINGEY / "2016-04-metropolitan-street.csv")
    import_file(haringey, HARINGEY / "2016-04-btp-street.csv")
    with django_assert_num_queries(6):
        client.get("/intelligence/data/")


def test_flags_partners_recorded_survive_a_revised_file(haringey, tmp_path):
    from csphub.accounts.models import User
    from csphub.intelligence.datasets.services import record_flags
    from csphub.intelligence.models import FlagChange

    original = HARINGEY / "2016-02-metropolitan-street.csv"
    older = tmp_path / original.name
    older.write_text("".join(lines(original)[:101]), encoding="utf-8")
    import_file(haringey, older)
    flagged = Incident.objects.exclude(crime_id="").first()
    record_flags(
        flagged, {"alcohol_related": True}, by=User.objects.get(username="officer")
    )
    import_file(haringey, original)
    again = Incident.objects.get(crime_id=flagged.crime_id)
    assert again.pk != flagged.pk and again.alcohol_related
    assert FlagChange.objects.get().incident == again


def test_postgresql_imports_through_copy(haringey):
    from django.db import connection

    from csphub.intelligence import loading

    expected = "write_copy" if connection.vendor == "postgresql" else "write_execute"
    assert loading.row_writer().__name__.startswith(expected)


def test_a_failure_while_rows_are_written_loads_nothing(haringey, monkeypatch):
    """All or nothing on both paths (COPY and executemany), even when the
    failure comes after several batches have been sent."""
    from csphub.intelligence import importing, loading

    monkeypatch.setattr(loading, "BATCH", 50)
    place = importing.Placer.place
    calls = []

    def failing_place(self, row):
        calls.append(1)
        if len(calls) > 120:  # after two batches have been written
            raise RuntimeError("disk full")
        return place(self, row)

    monkeypatch.setattr(importing.Placer, "place", failing_place)
    with pytest.raises(RuntimeError):
        import_file(haringey, HARINGEY / "2016-01-metropolitan-street.csv")
    assert not Incident.objects.exists()
    assert not SourceFile.objects.exists()
