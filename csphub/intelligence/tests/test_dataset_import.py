"""Partner data sets: CSV and XLSX files read through a saved mapping, all or
nothing per file, with the row named when a file is bad."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core.management import call_command

from csphub.intelligence import services
from csphub.intelligence.coverage import data_months
from csphub.intelligence.datasets.parsing import DataSetFileError, check_sample
from csphub.intelligence.importing import IncidentRow
from csphub.intelligence.models import DataSet, Incident, SourceFile
from csphub.lib.tests.commands import run_command

from .dataset_factories import (
    HEADER,
    csv_bytes,
    load_file,
    make_data_set,
    point_in,
    rows,
    xlsx_bytes,
)


@pytest.fixture
def data_set(db):
    return make_data_set()


def nothing_loaded(data_set):
    return (
        not data_set.files.exists()
        and not Incident.objects.filter(data_set=data_set).exists()
    )


def test_a_csv_file_loads_with_real_dates_places_and_flags(data_set):
    result = load_file(data_set, csv_bytes(rows(6)), "jan.csv")
    assert result.status == "loaded" and result.rows_loaded == 6
    incidents = Incident.objects.filter(data_set=data_set).order_by("line")
    first = incidents.select_related("ward", "zone", "lsoa").first()
    assert first.occurred_on == date(2017, 1, 1) and first.month == date(2017, 1, 1)
    assert first.category == "Noise" and first.crime_id == "ASB-201701-0"
    assert first.lsoa.code == "E01001976" and first.ward.name == "Bruce Grove"
    assert first.zone.slug == "south"
    assert first.location == "High Road"  # the postcode is removed
    assert [i.alcohol_related for i in incidents] == [False, True] * 3
    source = SourceFile.objects.get(data_set=data_set)
    assert source.source == "dataset" and source.month == date(2017, 1, 1)
    assert source.last_month == date(2017, 1, 1)


def test_partner_incidents_stay_out_of_police_uk_counts(data_set):
    load_file(data_set, csv_bytes(rows(6)), "jan.csv")
    assert services.data_months(data_set.partnership) == []
    assert services.monthly_counts(data_set.partnership) == {}
    assert data_months(data_set.partnership, data_set) == [(date(2017, 1, 1), True)]


def test_an_xlsx_file_with_date_cells_loads(data_set):
    raw = xlsx_bytes(rows(5, month=2), native_dates=True)
    result = load_file(data_set, raw, "feb.xlsx")
    assert result.rows_loaded == 5
    assert set(
        Incident.objects.filter(data_set=data_set).values_list("month", flat=True)
    ) == {date(2017, 2, 1)}


def test_the_same_file_again_changes_nothing(data_set):
    raw = csv_bytes(rows(6))
    load_file(data_set, raw, "jan.csv")
    ids = set(Incident.objects.filter(data_set=data_set).values_list("pk", flat=True))
    again = load_file(data_set, raw, "jan-copy.csv")
    assert again.status == "unchanged"
    assert (
        set(Incident.objects.filter(data_set=data_set).values_list("pk", flat=True))
        == ids
    )


def test_a_corrected_file_for_the_same_months_replaces_the_old(data_set):
    load_file(data_set, csv_bytes(rows(6)), "jan.csv")
    result = load_file(data_set, csv_bytes(rows(9)), "jan-corrected.csv")
    assert result.status == "replaced" and result.replaced == ["jan.csv"]
    assert list(data_set.files.values_list("name", flat=True)) == ["jan-corrected.csv"]
    assert Incident.objects.filter(data_set=data_set).count() == 9


def test_a_year_file_replaces_its_month_files(data_set):
    load_file(data_set, csv_bytes(rows(3, month=1)), "jan.csv")
    load_file(data_set, csv_bytes(rows(3, month=3)), "mar.csv")
    assert data_months(data_set.partnership, data_set) == [
        (date(2017, 1, 1), True),
        (date(2017, 2, 1), False),
        (date(2017, 3, 1), True),
    ]
    year = rows(4, month=1) + rows(4, month=12)
    for i, row in enumerate(year):
        row[0] = f"Y-{i}"
    result = load_file(data_set, csv_bytes(year), "2017.csv")
    assert result.status == "replaced" and sorted(result.replaced) == [
        "jan.csv",
        "mar.csv",
    ]
    assert data_set.files.get().last_month == date(2017, 12, 1)
    assert len(data_months(data_set.partnership, data_set)) == 12


def test_a_file_partly_overlapping_another_is_rejected(data_set):
    both = rows(3, month=1) + rows(3, month=2)
    for i, row in enumerate(both):
        row[0] = f"Q-{i}"
    load_file(data_set, csv_bytes(both), "jan-feb.csv")
    with pytest.raises(DataSetFileError, match=r"^feb-mar\.csv:1: covers 2017-02 to"):
        later = rows(3, month=2) + rows(3, month=3)
        for i, row in enumerate(later):
            row[0] = f"R-{i}"
        load_file(data_set, csv_bytes(later), "feb-mar.csv")
    assert data_set.files.count() == 1


def test_rows_outside_the_area_are_counted_and_kept_out(data_set):
    body = rows(4)
    body[1][3], body[1][4] = "-0.1276", "51.5072"  # Westminster
    result = load_file(data_set, csv_bytes(body), "jan.csv")
    assert (result.rows_loaded, result.rows_outside) == (3, 1)
    assert Incident.objects.filter(data_set=data_set).count() == 3


def test_easting_and_northing_are_converted_and_placed(db):
    from pyproj import Transformer

    data_set = make_data_set(location_kind=DataSet.LocationKind.EASTING_NORTHING)
    lon, lat = point_in("E01001976")
    e, n = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(
        lon, lat
    )
    body = rows(2)
    for row in body:
        row[3], row[4] = f"{e:.0f}", f"{n:.0f}"
    result = load_file(data_set, csv_bytes(body), "en.csv")
    assert result.rows_loaded == 2
    incident = Incident.objects.filter(data_set=data_set).select_related("lsoa")[0]
    assert incident.lsoa.code == "E01001976"
    assert abs(incident.longitude - lon) < 1e-4 and abs(incident.latitude - lat) < 1e-4


def test_an_lsoa_code_places_a_row_without_coordinates(db):
    data_set = make_data_set(
        location_kind=DataSet.LocationKind.LSOA, lsoa_column="LSOA", x_column=""
    )
    header = ["Ref", "Date reported", "Type", "LSOA", "Street", "Alcohol"]
    body = [
        ["A1", "03/01/2017", "NOI", "E01001976", "Bruce Grove", "N"],
        ["A2", "04/01/2017", "NOI", "E01000001", "City", "N"],
        ["A3", "05/01/2017", "NOI", "", "", "N"],
    ]
    result = load_file(data_set, csv_bytes(body, header), "lsoa.csv")
    assert (result.rows_loaded, result.rows_outside, result.rows_no_location) == (
        1,
        1,
        1,
    )


@pytest.mark.parametrize(
    "change,message",
    [
        (
            (lambda b: b[4].__setitem__(1, "31/02/2017")),
            r"bad\.csv:6: bad date '31/02/2017' in column 'Date reported':"
            r" expected a date like 31/01/2018",
        ),
        (
            (lambda b: b[2].__setitem__(1, "01/01/2099")),
            r"bad\.csv:4: date 01/01/2099 is in the future",
        ),
        (
            (lambda b: b[3].__setitem__(2, "GRF")),
            r"bad\.csv:5: unknown category 'GRF' in column 'Type'",
        ),
        (
            (lambda b: b[6].__setitem__(3, "151.2")),
            r"bad\.csv:8: coordinates 151\.2, .* are outside Great Britain",
        ),
        (
            (lambda b: b[1].__setitem__(3, "west")),
            r"bad\.csv:3: bad coordinates 'west'",
        ),
        (
            (lambda b: b[5].__setitem__(0, "ASB-201701-0")),
            r"bad\.csv:7: reference 'ASB-201701-0' is also on row 2",
        ),
        (
            (lambda b: b.__setitem__(7, b[7][:3])),
            r"bad\.csv:9: expected 7 columns, found 3 \(is the file truncated\?\)",
        ),
    ],
    ids=[
        "bad-date",
        "future-date",
        "unknown-category",
        "outside-range",
        "not-a-number",
        "duplicate-ref",
        "short-row",
    ],
)
def test_bad_rows_reject_the_whole_csv_naming_the_row(data_set, change, message):
    body = rows(8)
    change(body)
    with pytest.raises(DataSetFileError, match="^" + message):
        load_file(data_set, csv_bytes(body), "bad.csv")
    assert nothing_loaded(data_set)


def test_a_missing_column_is_named(data_set):
    header = [h if h != "Type" else "Kind" for h in HEADER]
    with pytest.raises(
        DataSetFileError,
        match=r"^bad\.csv:1: missing column 'Type' \(the mapping's category column\)",
    ):
        load_file(data_set, csv_bytes(rows(3), header), "bad.csv")
    assert nothing_loaded(data_set)


def test_wrong_encoding_names_the_line_and_suggests_the_setting(data_set):
    body = rows(5)
    body[3][5] = "Café Parade"
    raw = csv_bytes(body, encoding="cp1252")
    with pytest.raises(
        DataSetFileError, match=r"^bad\.csv:5: not UTF-8 text .*Windows-1252"
    ):
        load_file(data_set, raw, "bad.csv")
    assert nothing_loaded(data_set)
    data_set.encoding = DataSet.Encoding.WINDOWS_1252
    load_file(data_set, raw, "bad.csv")
    assert Incident.objects.filter(location="Café Parade").exists()


def test_an_unclosed_quote_at_the_end_is_truncation(data_set):
    raw = csv_bytes(rows(4)) + b'ASB-X,05/01/2017,NOI,-0.07,51.59,"High Ro'
    with pytest.raises(DataSetFileError, match=r"^bad\.csv:6: .*truncated"):
        load_file(data_set, raw, "bad.csv")
    assert nothing_loaded(data_set)


def test_bad_xlsx_rows_name_the_spreadsheet_row(data_set):
    body = rows(6)
    body[4][2] = "GRF"
    with pytest.raises(DataSetFileError, match=r"^bad\.xlsx:6: unknown category"):
        load_file(data_set, xlsx_bytes(body), "bad.xlsx")
    assert nothing_loaded(data_set)


def test_a_truncated_xlsx_is_rejected(data_set):
    raw = xlsx_bytes(rows(6))
    with pytest.raises(DataSetFileError, match=r"^bad\.xlsx:1: not a readable XLSX"):
        load_file(data_set, raw[: len(raw) // 2], "bad.xlsx")
    assert nothing_loaded(data_set)


def test_a_corrupt_sheet_inside_an_xlsx_is_rejected(data_set):
    source = zipfile.ZipFile(BytesIO(xlsx_bytes(rows(6))))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as damaged_zip:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            damaged_zip.writestr(item, data)
    with pytest.raises(DataSetFileError, match=r"^bad\.xlsx:\d+: .*(damaged|corrupt)"):
        load_file(data_set, out.getvalue(), "bad.xlsx")
    assert nothing_loaded(data_set)


def test_an_old_xls_file_is_refused_with_what_to_do(data_set):
    with pytest.raises(DataSetFileError, match=r"^old\.xls:1: .*save it as \.xlsx"):
        load_file(data_set, b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")


def test_an_unmapped_data_set_refuses_files(db):
    data_set = make_data_set(date_column="")
    with pytest.raises(DataSetFileError, match="no complete column mapping"):
        load_file(data_set, csv_bytes(rows(2)), "jan.csv")


def test_unmapped_categories_pass_through_when_the_map_is_optional(db):
    data_set = make_data_set(category_map_required=False)
    body = rows(3)
    body[0][2] = "Graffiti"
    load_file(data_set, csv_bytes(body), "jan.csv")
    assert set(
        Incident.objects.filter(data_set=data_set).values_list("category", flat=True)
    ) == {"Graffiti", "Rowdy behaviour", "Street drinking"}


def test_the_sample_is_checked_against_the_mapping(db):
    data_set = make_data_set(sample_rows=rows(3), date_formats=["%Y-%m-%d"])
    problems = check_sample(data_set)
    assert problems[0].startswith("sample row 2: bad date '01/01/2017'")
    data_set.date_formats = ["%d/%m/%Y"]
    assert check_sample(data_set) == []


def test_the_command_imports_checks_and_rejects(data_set, tmp_path):
    good, bad = tmp_path / "jan.csv", tmp_path / "feb.xlsx"
    good.write_bytes(csv_bytes(rows(4)))
    body = rows(4, month=2)
    body[2][1] = "someday"
    bad.write_bytes(xlsx_bytes(body))
    args = ["--partnership", "haringey", "--dataset", data_set.slug]
    code, out, err = run_command("import_dataset", *args, "--dry-run", good)
    assert code == 0 and "jan.csv: checked" in out and nothing_loaded(data_set)
    code, out, err = run_command("import_dataset", *args, tmp_path)
    assert code == 2
    assert "feb.xlsx:4: bad date 'someday'" in err
    assert "1 files imported, 1 rejected." in out
    assert data_set.files.get().name == "jan.csv"


def test_the_command_names_an_unknown_data_set(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no data set 'nope' in haringey"):
        call_command(
            "import_dataset", "--partnership", "haringey", "--dataset", "nope", "x.csv"
        )


def test_placing_many_rows_at_once_agrees_with_one_by_one(data_set):
    from csphub.intelligence.importing import Placer

    lon, lat = point_in("E01001976")
    cases = [
        (lon, lat, ""),  # inside, by point
        (-0.1276, 51.5072, ""),  # Westminster: outside
        (None, None, ""),  # no location
        (None, None, "E01001976"),  # by LSOA code
        (None, None, "E01000001"),  # another borough's LSOA
        (lon, lat, "E01000001"),  # the code decides, as for police.uk
    ]
    rows_ = [
        IncidentRow(i, "", "Noise", x, y, "", code, occurred_on=date(2017, 1, 1))
        for i, (x, y, code) in enumerate(cases)
    ]
    placer = Placer(data_set.partnership)
    assert placer.place_many(rows_) == [placer.place(r) for r in rows_]
    assert [p[0] for p in placer.place_many(rows_)] == [
        "placed", "outside", "no_location", "placed", "outside", "outside",
    ]  # fmt: skip
