"""Issue 19: partner data shapes the analysis. Trends and hotspots run on any
data set or a mix, each named; flagged series; hotspots of harm; repeat
victims counted from keyed hashes, never a reference."""

import hashlib
import hmac
import io
import json
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from csphub.accounts.models import Partnership, User
from csphub.intelligence.briefing import BriefingError
from csphub.intelligence.datasets.parsing import DataSetFileError
from csphub.intelligence.harm import HarmFileError, load_harm_weights
from csphub.intelligence.kpi import count_crime_kpis
from csphub.intelligence.models import HarmIndex, Incident
from csphub.intelligence.presentation import briefing_document
from csphub.intelligence.services import briefing_json, build_briefing
from csphub.intelligence.sources import available_sources
from csphub.intelligence.tests.dataset_factories import (
    csv_bytes,
    load_file,
    make_data_set,
    point_in,
)
from csphub.places.models import Area, Zone

from .fixtures import data_dir

JUNE = date(2018, 6, 1)
FAST = {"permutations": 99}
HEADER = ["Ref", "Date reported", "Type", "Lon", "Lat", "Street", "Alcohol", "HH"]
SLUG = "haringey-council-asb-log-test"


def months():
    m, out = date(2017, 5, 1), []
    while m <= JUNE:
        out.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


def partner_rows(lsoa, quiet):
    """A quiet year of noise in `quiet`, then a June 2018 spike in `lsoa`;
    household HH-1 three times (1, 5 and 40 days apart), HH-2 twice."""
    body, n = [], 0
    lon, lat = point_in(quiet)
    for m in months()[:-1]:
        for day in (3, 17):
            n += 1
            body.append([f"R{n}", f"{day:02}/{m:%m/%Y}", "NOI", lon, lat, "A Road",
                         "N", f"X-{n}"])  # fmt: skip
    lon, lat = point_in(lsoa)
    households = {1: "HH-1", 2: "HH-1", 6: "hh-1 ", 10: "HH-2", 11: "HH-2"}
    for i in range(1, 31):
        n += 1
        day = {1: 1, 2: 2, 6: 7}.get(i, min(i, 28))
        alcohol = "Y" if i % 3 == 0 else "N"
        body.append([f"R{n}", f"{day:02}/06/2018", "ROW", lon, lat, "High Road",
                     alcohol, households.get(i, f"S-{i}")])  # fmt: skip
    return body


@pytest.fixture
def haringey(db):
    return Partnership.objects.get(slug="haringey")


@pytest.fixture
def south(haringey):
    return Zone.objects.get(partnership=haringey, slug="south")


@pytest.fixture
def lsoas(south):
    codes = list(
        Area.objects.lsoas()
        .filter(parent__in=south.wards.all())
        .exclude(boundary=None)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return codes[0], codes[-1]


@pytest.fixture
def partner(haringey, lsoas):
    data_set = make_data_set(haringey, columns=HEADER, victim_column="HH")
    load_file(data_set, csv_bytes(partner_rows(*lsoas), header=HEADER), "asb.csv")
    return data_set


def build(partnership, place, **options):
    return build_briefing(partnership, place, JUNE, **FAST, **options)


def test_a_partner_data_set_is_a_source_with_its_name(haringey, partner):
    keys = {s.key: s.name for s in available_sources(haringey)}
    assert keys[SLUG] == "Haringey Council ASB log (test)"


def test_partner_briefing_names_its_source_on_trends_hotspots_and_page(
    haringey, south, partner, lsoas
):
    briefing = build(haringey, south, sources=[SLUG])
    data = briefing_json(briefing)
    assert data["sources"] == [
        {
            "key": SLUG,
            "name": "Haringey Council ASB log (test)",
            "organisation": "Haringey Council",
            "kind": "dataset",
            "synthetic": False,
            "months": 14,
        }
    ]
    rowdy = [t for t in data["trends"] if t["category"] == "Rowdy behaviour"]
    assert rowdy and {t["source"] for t in data["trends"]} == {SLUG}
    zone_trend = next(t for t in rowdy if t["area"] == "zone:south")
    assert zone_trend["observed"] == 30
    assert {h["source"] for h in data["hotspots"]} == {SLUG}
    by_lsoa = {h["lsoa"]: h for h in data["hotspots"]}
    assert by_lsoa[lsoas[0]]["z"] > 0
    # Counts are the data set's, June's only, with the flagged series too.
    counts = {(c["category"], c["source"]): c["count"] for c in data["counts"]}
    assert counts[("Rowdy behaviour", SLUG)] == 30
    assert counts[("Alcohol-related (flagged)", SLUG)] == 10
    assert counts[("Noise", SLUG)] is None or counts[("Noise", SLUG)] == 0
    assert briefing.results["total"]["count"] == 30  # flags are not added again
    page = briefing_document(briefing)
    assert "Data used: Haringey Council ASB log (test), from Haringey Council" in page
    assert "Source: Haringey Council ASB log (test)" in page
    assert f"source={SLUG}" in page  # figures link to the data set's incidents
    json.dumps(data)


def test_a_mix_keeps_each_series_source_and_month_coverage(haringey, south, partner):
    from csphub.intelligence.services import import_file

    for m in ("2018-05", "2018-06"):
        import_file(
            haringey,
            data_dir() / "policeuk/haringey" / f"{m}-metropolitan-street.csv",
        )  # fmt: skip
    briefing = build(haringey, south, sources=["police_uk", SLUG])
    r = briefing.results
    assert [s["key"] for s in r["sources"]] == ["police_uk", SLUG]
    police = Incident.objects.police_uk().filter(ward__in=south.wards.all(), month=JUNE)
    counts = {(c["category"], c["source"]): c for c in r["counts"]}
    burglary = counts[("Burglary", "police_uk")]
    assert burglary["count"] == police.filter(category="Burglary").count()
    # police.uk has no file for June 2017: "no data", never 0; the partner has.
    assert burglary["last_year"] is None
    assert counts[("Noise", SLUG)]["last_year"] == 2
    # Data sets can record the same incidents: totalled apart, never added.
    assert r["total"]["count"] == police.count()
    totals = {t["source"]: t["count"] for t in r["source_totals"]}
    assert totals == {"police_uk": police.count(), SLUG: 30}
    assert "crimes and ASB incidents in data.police.uk" in r["summary"][0]
    assert briefing_json(briefing)["hotspots"][0]["source"] == f"police_uk+{SLUG}"


def test_hotspots_limited_to_categories_and_weighted_by_harm(
    haringey, south, partner, lsoas
):
    analyst = User.objects.get(username="analyst")
    load_harm_weights(
        haringey,
        b"category,weight\nRowdy behaviour,2.5\nNoise,1\n",
        "weights.csv",
        index_name="Severity weights",
        source="ONS Crime Severity Score 2024, mapped by the analyst",
        by=analyst,
    )
    briefing = build(
        haringey,
        south,
        sources=[SLUG],
        hotspot_categories=["Rowdy behaviour", "Street drinking"],
        harm_weighted=True,
    )
    data = briefing_json(briefing)
    assert data["hotspot_categories"] == ["Rowdy behaviour", "Street drinking"]
    assert data["harm"]["source"].startswith("ONS Crime Severity Score")
    assert data["harm"]["weights"] == {"Rowdy behaviour": 2.5, "Noise": 1.0}
    spike = next(h for h in data["hotspots"] if h["lsoa"] == lsoas[0])
    quiet = next(h for h in data["hotspots"] if h["lsoa"] == lsoas[1])
    assert spike["harm"] == 75.0  # 30 rowdy x 2.5 (the hotspot months)
    assert quiet["harm"] == 0.0  # its noise is not a chosen category
    page = briefing_document(briefing)
    assert "Severity weights" in page and "ONS Crime Severity Score 2024" in page
    assert "only Rowdy behaviour, Street drinking." in page


def test_harm_weighting_without_weights_is_refused(haringey, south, partner):
    with pytest.raises(BriefingError, match="no harm weights"):
        build(haringey, south, sources=[SLUG], harm_weighted=True)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "weights.csv:1: the file is empty"),
        (b"category,score\nBurglary,3\n", "weights.csv:1: missing column 'weight'"),
        (b"category,weight\nBurglary,3\nRobbery,lots\n", "weights.csv:3: weight"),
        (b"category,weight\nBurglary,3\nburglary,4\n", "weights.csv:3: category"),
        (b"category,weight\nBurglary,-1\n", "weights.csv:2: weight '-1'"),
        (b"category,weight\n,1\n", "weights.csv:2: the category is empty"),
        (b"category,weight\nBurglary,nan\n", "weights.csv:2: weight 'nan'"),
        (b"category,weight\n", "weights.csv:2: the file has no weights"),
        (b"category,weight\n\xff,1\n", "weights.csv:2: not UTF-8"),
    ],
)
def test_a_bad_harm_file_loads_nothing(haringey, body, error):
    analyst = User.objects.get(username="analyst")
    kept = load_harm_weights(
        haringey, b"category,weight\nRobbery,9\n", "old.csv",
        index_name="Old", source="ONS", by=analyst,
    )  # fmt: skip
    with pytest.raises(HarmFileError) as e:
        load_harm_weights(
            haringey, body, "weights.csv", index_name="New", source="x", by=analyst
        )
    assert str(e.value).startswith(error)
    index = HarmIndex.objects.get(pk=kept.pk)
    assert index.name == "Old" and index.weights() == {"Robbery": 9.0}


def test_victim_reference_is_stored_only_as_a_keyed_hash(partner):
    incidents = Incident.objects.filter(data_set=partner)
    expected = hmac.new(
        settings.CSPHUB_VICTIM_KEY.encode(), b"HH-1", hashlib.sha256
    ).hexdigest()
    hh1 = incidents.filter(victim_key=expected)
    assert hh1.count() == 3  # "hh-1 " is the same household
    for values in incidents.values():
        assert not any(
            isinstance(v, str) and v.strip().upper().startswith(("HH-", "X-", "S-"))
            for v in values.values()
        )


def test_without_a_key_a_victim_column_loads_nothing(haringey, lsoas, settings):
    settings.CSPHUB_VICTIM_KEY = ""
    data_set = make_data_set(haringey, columns=HEADER, victim_column="HH")
    with pytest.raises(DataSetFileError, match="asb.csv:1: the victim"):
        load_file(data_set, csv_bytes(partner_rows(*lsoas), header=HEADER), "asb.csv")
    assert not Incident.objects.filter(data_set=data_set).exists()


def test_briefing_shows_repeat_victims_never_a_reference(haringey, south, partner):
    briefing = build(haringey, south, sources=[SLUG])
    rv = briefing_json(briefing)["repeat_victims"]
    in_window = 30 + 2 * 11  # June, and the 11 months before with 2 each
    assert rv["incidents"] == in_window
    assert rv["repeat_victims"] == 2 and rv["repeat_incidents"] == 5
    assert rv["share"] == round(5 / in_window, 3)
    assert rv["median_days"] == 1.0  # gaps 1, 5 (HH-1) and 1 (HH-2)
    bands = {b["label"]: b["count"] for b in rv["gap_bands"]}
    assert bands["within a week"] == 3
    ward = Area.objects.get(code=partner.incidents.filter(victim_key__gt="")
                            .order_by("-month").first().ward.code)  # fmt: skip
    assert rv["areas"] == [{"ward": ward.name, "incidents": 5, "victims": 2}]
    stored = json.dumps(briefing.results)
    for key in Incident.objects.exclude(victim_key="").values_list(
        "victim_key", flat=True
    ):
        assert key not in stored
    assert "HH-1" not in stored and "HH-1" not in briefing_document(briefing)
    assert "Repeat victims" in briefing_document(briefing)


def test_flagged_series_feed_a_kpi(haringey, partner):
    from csphub.intelligence.services import import_file
    from csphub.performance.models import Indicator, Measurement

    import_file(
        haringey,
        data_dir() / "policeuk/haringey/2018-06-metropolitan-street.csv",
    )
    indicator = Indicator.objects.filter(partnership=haringey).first()
    Indicator.objects.filter(pk=indicator.pk).update(
        computed_from=Indicator.Computed.CRIME,
        status=Indicator.Status.MEASURED,
        crime_categories=["Alcohol-related (flagged)"],
        frequency=Indicator.Frequency.MONTHLY,
    )
    count_crime_kpis(haringey)
    value = Measurement.objects.current().get(indicator=indicator, period=JUNE)
    assert (
        value.value
        == Incident.objects.filter(alcohol_related=True, month=JUNE).count()
        == 10
    )


def test_command_takes_sources_and_refuses_an_unknown_one(haringey, partner, capsys):
    call_command(
        "briefing", "--partnership", "haringey", "--area", "zone:south",
        "--month", "2018-06", "--source", SLUG, "--hotspot-category",
        "Rowdy behaviour", stderr=io.StringIO(),
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert [s["key"] for s in data["sources"]] == [SLUG]
    assert all(t["source"] == SLUG for t in data["trends"])
    with pytest.raises(CommandError, match="no data set 'nonsense'") as e:
        call_command(
            "briefing", "--partnership", "haringey", "--area", "zone:south",
            "--month", "2018-06", "--source", "nonsense",
        )  # fmt: skip
    assert e.value.returncode == 2
