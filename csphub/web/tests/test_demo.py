"""load_demo: idempotent, and honest when the shared data is missing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from csphub.accounts.models import Partnership, RoleAssignment, User
from csphub.intelligence.tests import fixtures
from csphub.places.models import Area, Zone
from csphub.web.demo import load_demo

LSOA_FILE = "places/haringey-lsoa-2011.geojson"


def counts():
    return {
        "areas": Area.objects.count(),
        "zones": Zone.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "partnerships": Partnership.objects.count(),
    }


@pytest.mark.django_db
def test_running_it_again_keeps_the_data_and_adds_nothing():
    before = counts()
    user = User.objects.get(username="officer")
    user.job_title = "Neighbourhood manager"
    user.save(update_fields=["job_title"])
    shared = fixtures.shared_dir()  # ../shared, or the synthetic files without it
    load_demo(shared, crime=False)
    assert counts() == before
    out = StringIO()
    with override_settings(SHARED_DIR=shared):
        call_command("load_demo", stdout=out)  # with the crime data this time
    assert counts() == before
    assert User.objects.get(username="officer").job_title == "Neighbourhood manager"
    assert "password: " in out.getvalue()
    files = len(list((shared / "data" / "policeuk" / "haringey").rglob("*.csv")))
    assert f"Crime data: {files} police.uk files" in out.getvalue()


@pytest.mark.django_db
def test_demo_has_the_documents_zones_and_haringeys_areas():
    haringey = Partnership.objects.get(slug="haringey")
    assert haringey.borough.code == "E09000014"
    south = Zone.objects.get(partnership=haringey, slug="south")
    assert sorted(south.wards.values_list("name", flat=True)) == [
        "Bruce Grove",
        "Harringay",
        "Seven Sisters",
        "St Ann's",
        "Tottenham Green",
        "Tottenham Hale",
        "West Green",
    ]
    assert Area.objects.wards().filter(parent=haringey.borough).count() == 19
    lsoas = json.loads((fixtures.data_dir() / LSOA_FILE).read_text())["features"]
    assert len(lsoas) == (145 if fixtures.real_data() else 57)
    in_demo = Area.objects.lsoas().filter(parent__parent=haringey.borough)
    assert in_demo.count() == len(lsoas)


@pytest.mark.django_db
def test_without_shared_data_it_loads_the_tree_and_says_what_is_missing(
    tmp_path, delete_unrecorded
):
    delete_unrecorded(
        Zone.objects.all(),
        Partnership.objects.all(),
        Area.objects.lsoas(),
        Area.objects.wards(),
        Area.objects.all(),
    )
    report = load_demo(shared_dir=tmp_path)
    assert report.missing and "Boundary files not found" in report.missing[0]
    assert Area.objects.wards().count() == 19
    assert Zone.objects.get(slug="south").wards.count() == 7
    assert Area.objects.lsoas().count() == 0
