"""import_areas: ONS-style files load; bad files say what and where, load nothing.

The tests read the small synthetic boundary files that the intelligence tests
also use (csphub/intelligence/tests/fixtures/README.md), so they run without
../shared/data; the real files' own figures are checked too where they are
there."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from csphub.places.models import Area

# Synthetic, in the layout of ../shared/data/places (read by path: places sits
# below intelligence and imports nothing of it).
PLACES = Path(settings.BASE_DIR) / "csphub/intelligence/tests/fixtures/data/places"
LSOAS = PLACES / "haringey-lsoa-2011.geojson"
LOOKUP = PLACES / "haringey-lsoa11-to-ward18.csv"
BOROUGHS = PLACES / "london-boroughs.geojson"
REAL = settings.SHARED_DIR / "data" / "places"
# The files the two loading tests read, with what they hold: the synthetic
# ones always, and the real ones too where ../shared/data has them (those
# tests are about the real files as well: their published figures, 145 LSOAs
# in Haringey's 19 wards, 7 of them Alexandra's, and London's 33 boroughs).
BOUNDARY_FILES = [
    pytest.param(PLACES, {"lsoas": 57, "boroughs": 3, "alexandra": 3}, id="synthetic")
]
if (REAL / LSOAS.name).exists():
    counts = {"lsoas": 145, "boroughs": 33, "alexandra": 7}
    BOUNDARY_FILES.append(pytest.param(REAL, counts, id="real"))


@pytest.fixture
def empty_areas(db, delete_unrecorded):
    """No areas or partnerships loaded, so an import starts from nothing."""
    # Partnerships hold their borough; the model is looked up, not imported,
    # as places sits below accounts.
    delete_unrecorded(
        apps.get_model("accounts", "Partnership").objects.all(),
        Area.objects.filter(kind=Area.Kind.LSOA),
        Area.objects.filter(kind=Area.Kind.WARD),
        Area.objects.all(),
    )
    assert Area.objects.count() == 0


def import_areas(*args):
    call_command("import_areas", *args, stdout=StringIO())


@pytest.mark.parametrize("folder, counts", BOUNDARY_FILES)
def test_files_load_every_lsoa_ward_and_borough(empty_areas, folder, counts):
    lookup = folder / LOOKUP.name
    import_areas(
        "--lsoas", folder / LSOAS.name, "--lookup", lookup,
        "--boroughs", folder / BOROUGHS.name,
    )  # fmt: skip
    haringey = Area.objects.get(code="E09000014")
    assert haringey.kind == Area.Kind.BOROUGH
    wards = {line.split(",")[2] for line in lookup.read_text().splitlines()[1:]}
    assert len(wards) == 19
    assert (
        set(Area.objects.wards().filter(parent=haringey).values_list("code", flat=True))
        == wards
    )
    lsoas = Area.objects.lsoas().filter(parent__parent=haringey)
    assert lsoas.count() == counts["lsoas"]
    assert Area.objects.boroughs().count() == counts["boroughs"]
    assert shape(haringey.boundary).area > 0  # from the boroughs file


@pytest.mark.parametrize("folder, counts", BOUNDARY_FILES)
def test_ward_boundary_is_the_union_of_its_lsoas(empty_areas, folder, counts):
    import_areas("--lsoas", folder / LSOAS.name, "--lookup", folder / LOOKUP.name)
    ward = Area.objects.get(code="E05000266")  # Alexandra
    lsoas = [shape(a.boundary) for a in ward.children.all()]
    assert len(lsoas) == counts["alexandra"]  # per the lookup file
    union_area = sum(s.area for s in lsoas)
    assert shape(ward.boundary).area == pytest.approx(union_area, rel=1e-3)


def test_dry_run_saves_nothing(empty_areas):
    import_areas("--lsoas", LSOAS, "--lookup", LOOKUP, "--dry-run")
    assert Area.objects.count() == 0


def test_reimport_changes_nothing(empty_areas):
    import_areas("--lsoas", LSOAS, "--lookup", LOOKUP)
    before = sorted(Area.objects.values_list("code", "name", "kind", "parent__code"))
    import_areas("--lsoas", LSOAS, "--lookup", LOOKUP)
    after = sorted(Area.objects.values_list("code", "name", "kind", "parent__code"))
    assert before == after


def test_truncated_geojson_names_the_file_and_loads_nothing(empty_areas, tmp_path):
    bad = tmp_path / "truncated.geojson"
    bad.write_bytes(LSOAS.read_bytes()[:5000])
    with pytest.raises(CommandError) as error:
        import_areas("--lsoas", bad, "--lookup", LOOKUP)
    message = str(error.value)
    assert "truncated.geojson" in message
    assert "line 1 column" in message and "truncated" in message
    assert Area.objects.count() == 0


def test_wrong_crs_is_refused(empty_areas, tmp_path):
    data = json.loads(LSOAS.read_text())
    data["crs"] = {
        "type": "name",
        "properties": {"name": "urn:ogc:def:crs:EPSG::27700"},
    }
    bad = tmp_path / "bng.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=r"bng.geojson: coordinate reference system"):
        import_areas("--lsoas", bad, "--lookup", LOOKUP)
    assert Area.objects.count() == 0


def test_projected_coordinates_without_crs_name_the_feature(empty_areas, tmp_path):
    data = json.loads(LSOAS.read_text())
    ring = data["features"][4]["geometry"]["coordinates"][0]
    data["features"][4]["geometry"]["coordinates"][0] = [
        [530000 + x, 190000 + y] for x, y in ring
    ]
    bad = tmp_path / "projected.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        import_areas("--lsoas", bad, "--lookup", LOOKUP)
    code = data["features"][4]["properties"]["LSOA11CD"]
    assert f"projected.geojson: feature 5 ({code})" in str(error.value)
    assert "not longitude/latitude" in str(error.value)
    assert Area.objects.count() == 0


def test_unknown_ward_code_names_the_line(empty_areas, tmp_path):
    lines = LOOKUP.read_text().splitlines()
    ward = lines[7].split(",")[2]
    lines[7] = lines[7].replace(ward, "X99" + ward[3:])
    bad = tmp_path / "lookup.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        CommandError, match=rf"lookup.csv:8: 'X99{ward[3:]}' is not an ONS ward"
    ):
        import_areas("--lsoas", LSOAS, "--lookup", bad)
    assert Area.objects.count() == 0


def test_lsoa_missing_from_lookup_names_the_feature(empty_areas, tmp_path):
    lines = LOOKUP.read_text().splitlines()
    dropped = lines.pop(3).split(",")[0]
    bad = tmp_path / "lookup.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match=rf"\({dropped}\): no ward for this LSOA"):
        import_areas("--lsoas", LSOAS, "--lookup", bad)
    assert Area.objects.count() == 0


def test_lookup_without_its_columns_is_refused(empty_areas, tmp_path):
    bad = tmp_path / "lookup.csv"
    bad.write_text("code,ward\nE01001962,E05000266\n")
    with pytest.raises(
        CommandError, match=r"lookup.csv:1: missing column\(s\) LSOA11CD"
    ):
        import_areas("--lsoas", LSOAS, "--lookup", bad)


def test_missing_file_is_named(empty_areas, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere.geojson: no such file"):
        import_areas("--lsoas", tmp_path / "nowhere.geojson", "--lookup", LOOKUP)


def test_a_bad_boroughs_file_loads_nothing_else_either(empty_areas, tmp_path):
    bad = tmp_path / "boroughs.geojson"
    shutil.copy(BOROUGHS, bad)
    bad.write_text(bad.read_text()[:-50])
    with pytest.raises(CommandError, match="boroughs.geojson: not valid GeoJSON"):
        import_areas("--lsoas", LSOAS, "--lookup", LOOKUP, "--boroughs", bad)
    assert Area.objects.count() == 0
