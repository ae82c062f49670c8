"""Briefings built from the real Haringey police.uk files: the figures are the
incidents', the statistics are recorded, the JSON has the issue's keys."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from csphub.accounts.models import Partnership
from csphub.intelligence import briefing as briefing_module, briefing_text
from csphub.intelligence.briefing import BriefingError, resolve_area
from csphub.intelligence.models import Briefing, Incident
from csphub.intelligence.presentation import briefing_document
from csphub.intelligence.services import (
    add_months,
    briefing_json,
    build_briefing,
    import_file,
)
from csphub.places.models import Area, Zone

from .crime_files import HARINGEY, import_street_crime

JUNE = date(2018, 6, 1)
FAST = {"permutations": 99}  # 999 (the default) only where the test is about it


def import_months(partnership, first, last):
    month = first
    while month <= last:
        import_file(partnership, HARINGEY / f"{month:%Y-%m}-metropolitan-street.csv")
        month = add_months(month, 1)


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_months(partnership, date(2017, 5, 1), JUNE)
    return partnership


@pytest.fixture
def south(haringey):
    return Zone.objects.get(partnership=haringey, slug="south")


@pytest.fixture
def south_briefing(haringey, south):
    return build_briefing(haringey, south, JUNE, **FAST)


def zone_incidents(zone, **filters):
    return Incident.objects.filter(ward__in=zone.wards.all(), **filters)


def test_headline_counts_are_the_incidents(south_briefing, south):
    counts = {c["category"]: c for c in south_briefing.results["counts"]}
    burglary = counts["Burglary"]
    assert (
        burglary["count"]
        == zone_incidents(south, category="Burglary", month=JUNE).count()
    )
    assert (
        burglary["last_year"]
        == zone_incidents(south, category="Burglary", month=date(2017, 6, 1)).count()
    )
    previous = [
        zone_incidents(south, category="Burglary", month=add_months(JUNE, -n)).count()
        for n in range(1, 13)
    ]
    assert burglary["mean_12m"] == round(sum(previous) / 12, 1)
    total = south_briefing.results["total"]["count"]
    assert total == zone_incidents(south, month=JUNE).count()


def test_the_briefing_is_stored_with_seed_parameters_and_data_months(south_briefing):
    b = Briefing.objects.get(pk=south_briefing.pk)
    assert b.status == Briefing.Status.DONE and b.progress == 100
    assert b.seed == briefing_module.SEED and b.results["seed"] == b.seed
    assert b.parameters["permutations"] == 99 and b.parameters["cell_size"] == 250
    assert b.data_months[0] == "2017-05" and b.data_months[-1] == "2018-06"
    assert b.place_code() == "zone:south" and b.seconds > 0


def test_json_has_exactly_the_keys_of_the_issue(south_briefing):
    data = briefing_json(south_briefing)
    assert list(data) == [
        "area", "month", "data_months", "sources", "counts", "trends", "hotspots",
        "hotspot_categories", "harm", "repeat_locations", "near_repeat",
        "repeat_victims",
    ]  # fmt: skip
    assert data["area"] == "zone:south" and data["month"] == "2018-06"
    assert [s["key"] for s in data["sources"]] == ["police_uk"]
    assert set(data["counts"][0]) == {
        "category", "count", "last_year", "mean_12m", "source"
    }  # fmt: skip
    assert set(data["hotspots"][0]) == {
        "lsoa", "z", "p", "p_sim", "significant", "p_sim_exceeds_alpha", "source"
    }  # fmt: skip
    assert {h["source"] for h in data["hotspots"]} == {"police_uk"}
    for trend in data["trends"]:
        assert set(trend) == {
            "area", "category", "observed", "expected", "excess", "signal",
            "q_value", "source",
        }  # fmt: skip
    assert data["harm"] is None and data["repeat_victims"] is None
    assert data["near_repeat"] is None  # police.uk has months, not days
    json.dumps(data)


def test_hotspots_are_the_zones_lsoas_tested_over_the_borough(south_briefing, south):
    hotspots = south_briefing.results["hotspots"]
    zone_lsoas = set(
        Area.objects.lsoas()
        .filter(parent__in=south.wards.all())
        .values_list("code", flat=True)
    )
    assert {h["lsoa"] for h in hotspots} == zone_lsoas
    recent = [date(2018, 4, 1), date(2018, 5, 1), JUNE]
    first = next(h for h in hotspots)
    assert (
        first["count"]
        == Incident.objects.filter(lsoa__code=first["lsoa"], month__in=recent).count()
    )
    assert [h["z"] for h in hotspots] == sorted(
        (h["z"] for h in hotspots), reverse=True
    )
    assert any(h["significant"] for h in hotspots)  # Tottenham stands out
    svg = south_briefing.results["map_svg"]
    assert 'aria-label="Gi* hotspot map of South zone"' in svg
    assert "<title>Tottenham Green ward</title>" in svg  # wards, for orientation


def test_hotspots_are_decided_on_the_normal_p_value_after_fdr(haringey, south_briefing):
    """METHODS.md 2.3 (revised): two-sided normal p of z, BH at 5% over every
    LSOA of the borough; p_sim beside it, significant ones it does not
    confirm marked."""
    r = south_briefing.results
    assert r["hotspot_p_value"] == "p"
    lsoas = Area.objects.lsoas().filter(parent__parent_id=haringey.borough_id)
    assert r["hotspot_areas_tested"] == lsoas.exclude(boundary=None).count()
    cutoff = r["hotspot_fdr_cutoff"]
    for h in r["hotspots"]:
        assert h["significant"] == (h["p"] <= cutoff * 1.001)  # p to 3 figures
        assert h["p_sim_exceeds_alpha"] == (h["significant"] and h["p_sim"] > 0.05)
    hot = [h for h in r["hotspots"] if h["significant"]]
    assert hot and all(h["z"] > 0 for h in hot)
    grid = r["grid"]
    assert all(c["p"] <= grid["fdr_cutoff"] * 1.001 for c in grid["hot"])


def test_the_same_seed_gives_the_same_p_values(haringey, south, south_briefing):
    again = build_briefing(haringey, south, JUNE, **FAST)
    assert [h["p_sim"] for h in again.results["hotspots"]] == [
        h["p_sim"] for h in south_briefing.results["hotspots"]
    ]


def test_grid_hotspots_are_hot_cells_of_the_chosen_size(haringey, south):
    b = build_briefing(haringey, south, JUNE, cell_size=500, **FAST)
    grid = b.results["grid"]
    assert grid["cell_size"] == 500 and grid["hot"]
    assert all(c["classification"] == "hot" for c in grid["hot"])
    cell = grid["hot"][0]
    lon0, lat0, lon1, lat1 = cell["bounds"]
    inside = zone_incidents(
        south,
        month__gte=date(2018, 4, 1),
        longitude__gte=lon0,
        longitude__lt=lon1,
        latitude__gte=lat0,
        latitude__lt=lat1,
    ).count()
    assert abs(inside - cell["count"]) <= 2  # cell edges rounded to 6 decimals


def test_local_moran_only_when_asked(haringey, south, south_briefing):
    assert "local_moran" not in south_briefing.results
    # 999: with 99 permutations no local Moran cluster survives FDR.
    b = build_briefing(haringey, south, JUNE, local_moran=True)
    clusters = b.results["local_moran"]
    assert clusters and {c["cluster"] for c in clusters} <= {"HH", "LL", "HL", "LH"}


def test_repeat_locations_are_snap_points_over_the_threshold(south_briefing, south):
    results = south_briefing.results
    repeats = results["repeat_locations"]
    assert 0 < len(repeats) <= 20 and results["repeat_total"] >= len(repeats)
    top = repeats[0]
    assert (
        top["count"]
        == zone_incidents(
            south,
            month__gte=date(2018, 4, 1),
            latitude=top["latitude"],
            longitude=top["longitude"],
            location=top["location"],
        ).count()
    )
    assert all(r["count"] >= 10 for r in repeats)
    assert [r["count"] for r in repeats] == sorted(
        (r["count"] for r in repeats), reverse=True
    )


def test_the_summary_speaks_in_counts_not_percentages(south_briefing):
    summary = south_briefing.results["summary"]
    assert summary[0].startswith("In June 2018, the South zone recorded")
    assert not any("%" in s for s in summary)
    assert any("police.uk data gives only the month" in s for s in summary)


def test_ward_and_borough_briefings(haringey):
    ward = build_briefing(haringey, resolve_area(haringey, "E05000268"), JUNE, **FAST)
    assert ward.results["area"] == {
        "code": "E05000268", "name": "Bruce Grove", "kind": "ward"
    }  # fmt: skip
    assert (
        len(ward.results["hotspots"]) == Area.objects.filter(parent=ward.area).count()
    )
    borough = build_briefing(
        haringey, resolve_area(haringey, "E09000014"), JUNE, **FAST
    )
    lsoas = Area.objects.lsoas().filter(parent__parent=haringey.borough)
    assert len(borough.results["hotspots"]) == lsoas.count()  # 145 in the real data
    assert (
        borough.results["total"]["count"] == Incident.objects.filter(month=JUNE).count()
    )


def test_a_month_with_no_data_shows_no_data_and_is_refused(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_street_crime(partnership, ("2016-02", "2016-04", "2017-02", "2017-03"))
    south = Zone.objects.get(partnership=partnership, slug="south")
    with pytest.raises(BriefingError, match="no crime data for March 2016"):
        build_briefing(partnership, south, date(2016, 3, 1))
    assert not Briefing.objects.exists()
    b = build_briefing(partnership, south, date(2017, 3, 1), **FAST)
    assert all(c["last_year"] is None for c in b.results["counts"])  # 2016-03
    gaps = ["2016-03", *(f"2016-{m:02d}" for m in range(5, 13)), "2017-01"]
    assert b.results["no_data_months"] == gaps
    assert "no data" in " ".join(b.results["summary"])


@pytest.mark.parametrize(
    "code,message",
    [
        ("zone:nowhere", "no zone 'zone:nowhere'"),
        ("E01001962", "is not the borough or one of its wards"),
        ("E09000003", "is not the borough"),  # Barnet
        ("X", "no area with ONS code"),
    ],
)
def test_areas_outside_the_partnership_are_refused(db, code, message):
    with pytest.raises(BriefingError, match=message):
        resolve_area(Partnership.objects.get(slug="haringey"), code)


def test_zone_codes_accept_the_name(db):
    haringey = Partnership.objects.get(slug="haringey")
    assert resolve_area(haringey, "zone:South").slug == "south"


def test_command_writes_json_with_the_issue_keys(haringey, tmp_path):
    out = tmp_path / "south.json"
    call_command(
        "briefing", "--partnership", "haringey", "--area", "zone:south",
        "--month", "2018-06", "--format", "json", "--out", str(out), "--seed", "7",
    )  # fmt: skip
    data = json.loads(out.read_text())
    assert data["area"] == "zone:south" and data["near_repeat"] is None
    made = Briefing.objects.get()
    assert made.seed == 7 and made.parameters["permutations"] == 999  # the default


def test_command_writes_html_and_pdf(haringey, tmp_path):
    html, pdf = tmp_path / "w.html", tmp_path / "w.pdf"
    args = ["--partnership", "haringey", "--area", "E05000268", "--month", "2018-06"]
    call_command("briefing", *args, "--format", "html", "--out", str(html))
    assert "<h1>Bruce Grove, June 2018</h1>" in html.read_text()
    call_command("briefing", *args, "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args,reason",
    [
        (["--partnership", "nope", "--area", "zone:south", "--month", "2018-06"],
         "no partnership with slug 'nope'"),
        (["--partnership", "haringey", "--area", "zone:south", "--month", "June"],
         "--month must be YYYY-MM"),
        (["--partnership", "haringey", "--area", "zone:x", "--month", "2018-06"],
         "no zone 'zone:x'"),
        (["--partnership", "haringey", "--area", "zone:south", "--month", "2030-01"],
         "no crime data has been imported"),
        (["--partnership", "haringey", "--area", "zone:south", "--month", "2018-06",
          "--format", "pdf"], "--format pdf needs --out PATH"),
        (["--partnership", "haringey", "--area", "zone:south", "--month", "2018-06",
          "--cell-size", "5"], "cell size must be from 50 to 2000"),
    ],
)  # fmt: skip
def test_bad_arguments_exit_2_with_a_reason(db, args, reason):
    with pytest.raises(CommandError, match=reason) as error:
        call_command("briefing", *args)
    assert error.value.returncode == 2


def test_demo_prepares_a_briefing_for_each_zone_once(haringey):
    from csphub.intelligence.demo import prepare_demo_briefings

    lines = prepare_demo_briefings(haringey)
    assert lines == ["Briefings prepared for June 2018: North, South, West zones."]
    done = Briefing.objects.filter(status=Briefing.Status.DONE, month=JUNE)
    assert sorted(b.zone.slug for b in done) == ["north", "south", "west"]
    assert prepare_demo_briefings(haringey) == [
        "Briefings for June 2018 are up to date."
    ]
    assert done.count() == 3


def test_flagged_trends_are_ranked_by_excess_and_are_the_incidents(
    south_briefing, south
):
    results = south_briefing.results
    trends = results["trends"]
    assert trends and results["trend_tests"] > len(trends)
    assert [t["excess"] for t in trends] == sorted(
        (t["excess"] for t in trends), reverse=True
    )
    for t in trends:
        place = {"ward__in": south.wards.all()}
        if t["area_kind"] == "ward":
            place = {"ward__code": t["area"]}
        observed = Incident.objects.filter(
            category=t["category"], month=JUNE, **place
        ).count()
        assert t["observed"] == observed == t["counts"][-1]
        assert t["q_value"] <= 0.05 and t["signal"]
        assert t["excess"] == pytest.approx(t["observed"] - t["expected"], abs=0.11)


def test_a_hotspot_the_permutations_do_not_confirm_is_marked(south_briefing):
    """Significant after FDR with p_sim above 0.05: the table, the summary and
    the JSON say so."""
    results = south_briefing.results
    hot = next(h for h in results["hotspots"] if h["significant"])
    hot.update(p_sim=0.2, p_sim_exceeds_alpha=True)
    results["summary"] = briefing_text.summary_sentences(results)
    assert any("does not confirm 1 of them" in s for s in results["summary"])
    html = briefing_document(south_briefing)
    assert "not confirmed by permutations (above 0.05)" in html
    assert "How hotspots were decided" in html and "Benjamini–Hochberg" in html
    marked = [
        h for h in briefing_json(south_briefing)["hotspots"] if h["p_sim_exceeds_alpha"]
    ]
    assert [h["lsoa"] for h in marked] == [hot["lsoa"]]


def test_a_briefing_made_before_the_revised_rule_still_shows(south_briefing):
    """Stored results without `p` (permutation rule) render and export."""
    results = south_briefing.results
    for h in results["hotspots"]:
        del h["p"], h["p_sim_exceeds_alpha"]
    del results["hotspot_areas_tested"], results["hotspot_p_value"]
    html = briefing_document(south_briefing)
    assert "the rule this briefing was made with" in html
    data = briefing_json(south_briefing)
    assert all(
        h["p"] is None and not h["p_sim_exceeds_alpha"] for h in data["hotspots"]
    )
