"""The demo's synthetic partner data sets: drawn from loaded police.uk months,
loaded through the real import path, labelled synthetic."""

from datetime import date

import pytest
from django.urls import reverse

from csphub.accounts.models import Partnership
from csphub.intelligence.datasets.demo import load_dataset_demo
from csphub.intelligence.models import DataSet, Incident
from csphub.intelligence.services import monthly_counts

from .crime_files import import_street_crime


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_street_crime(partnership, ("2016-02", "2016-04"))
    return partnership


def test_synthetic_data_sets_load_through_the_import_with_real_dates(haringey):
    police_before = monthly_counts(haringey)
    lines = load_dataset_demo(haringey)
    assert len(lines) == 2
    council = DataSet.objects.get(partnership=haringey, slug="council-asb-log")
    fire = DataSet.objects.get(partnership=haringey, slug="lfb-secondary-fires")
    for data_set in (council, fire):
        assert "synthetic" in data_set.name.lower()
        assert data_set.description.startswith("Synthetic")
        source = data_set.files.get()
        assert (source.month, source.last_month) == (date(2016, 2, 1), date(2016, 4, 1))
        assert source.rows_loaded > 0
    assert fire.files.get().name.endswith(".xlsx")
    days = set(council.incidents.values_list("occurred_on", flat=True))
    assert len(days) > 40  # real calendar days, not one per month
    assert council.incidents.filter(month=date(2016, 3, 1)).exists()  # no gap
    assert council.incidents.filter(alcohol_related=True).exists()
    assert not council.incidents.filter(zone=None).exists()
    assert monthly_counts(haringey) == police_before  # police counts untouched
    again = load_dataset_demo(haringey)
    assert "0 files loaded now" in again[0]


def test_synthetic_shows_on_the_pages(haringey, client_for):
    load_dataset_demo(haringey)
    client = client_for("officer")
    html = client.get(reverse("intelligence:dataset-list")).content.decode()
    assert html.count(">Synthetic</strong>") == 2
    incident = Incident.objects.filter(data_set__slug="lfb-secondary-fires").first()
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "synthetic demonstration data set" in html


def test_demo_zone_briefings_name_partner_data_and_count_repeat_victims(haringey):
    from csphub.intelligence.demo import load_harm_demo, prepare_demo_briefings
    from csphub.intelligence.models import Briefing, HarmIndex
    from csphub.intelligence.services import briefing_json

    load_dataset_demo(haringey)
    load_harm_demo(haringey)
    index = HarmIndex.objects.get(partnership=haringey)
    assert "synthetic" in index.name.lower() and "not ONS figures" in index.source
    council = DataSet.objects.get(partnership=haringey, slug="council-asb-log")
    assert council.victim_column == "Household ref"
    keys = council.incidents.exclude(victim_key="").values_list("victim_key", flat=True)
    assert keys and all(len(k) == 64 and not k.startswith("HH-") for k in keys)
    prepare_demo_briefings(haringey)
    south = Briefing.objects.get(zone__slug="south", status=Briefing.Status.DONE)
    data = briefing_json(south)
    assert [s["key"] for s in data["sources"]] == [
        "police_uk", "council-asb-log", "lfb-secondary-fires"
    ]  # fmt: skip
    assert {h["source"] for h in data["hotspots"]} == {"police_uk+lfb-secondary-fires"}
    assert any(c["source"] == "council-asb-log" for c in data["counts"])
    assert data["repeat_victims"]["repeat_victims"] > 0
