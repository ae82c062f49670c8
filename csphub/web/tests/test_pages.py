"""The borough map, area and zone pages: content, access and query counts."""

import re

import pytest
from django.urls import reverse

from conftest import PERSONAS
from csphub.lib.tests.pages import assert_answers
from csphub.places.models import Area, Zone

HARINGEY_PERSONAS = set(PERSONAS) - {"anonymous", "outsider"}
PAGES_WITH_ARGUMENTS = [
    ("web:zone-detail", ["south"]),
    ("web:area-detail", ["E09000014"]),  # the borough
    ("web:area-detail", ["E05000268"]),  # Bruce Grove ward
    ("web:area-detail", ["E01001962"]),  # an LSOA
]


@pytest.mark.parametrize("name,args", PAGES_WITH_ARGUMENTS)
def test_area_pages_answer_each_persona(name, args, persona, client_for):
    response = client_for(persona).get(reverse(name, args=args))
    # Barnet's officer: not in their borough
    assert_answers(response, persona, HARINGEY_PERSONAS, refused={404})


def test_map_shows_every_ward_with_its_zone(client_for):
    html = client_for("officer").get(reverse("web:map")).content.decode()
    svg_links = re.findall(r'<a href="/areas/(E05\d+)/" aria-label="([^"]+)"', html)
    assert len(svg_links) == 19
    assert ("E05000268", "Bruce Grove ward, South zone") in svg_links
    assert "Northumberland Park" in html and "White Hart Lane" in html
    assert html.count('<th scope="row" class="govuk-table__header"><a') == 3 + 19


def test_map_features_for_leaflet_match_the_svg(client_for):
    response = client_for("officer").get(reverse("web:map"))
    features = response.context["features"]
    assert len(features) == 19 + 3  # wards, then zone outlines
    assert {f["properties"]["label"] for f in features[19:]} == {
        "North zone",
        "South zone",
        "West zone",
    }


def test_zone_page_lists_its_wards_and_lsoa_count(client_for):
    html = client_for("officer").get(reverse("web:zone-detail", args=["south"]))
    text = html.content.decode()
    wards = Zone.objects.get(slug="south", partnership__slug="haringey").wards.all()
    lsoas = Area.objects.lsoas().filter(parent__in=wards).count()
    assert lsoas > len(wards) and f"7 wards, {lsoas} LSOAs." in text
    assert "Tottenham Hale" in text and "Alexandra" not in text


def test_ward_page_names_its_zone_and_lsoas(client_for):
    html = client_for("officer").get(reverse("web:area-detail", args=["E05000268"]))
    text = html.content.decode()
    assert 'href="/zones/south/"' in text
    lsoas = Area.objects.lsoas().filter(parent__code="E05000268").count()
    assert lsoas > 1 and text.count('href="/areas/E010') == lsoas * 2  # map, table


def test_area_outside_any_partnership_borough_is_404(client_for):
    response = client_for("officer").get(reverse("web:area-detail", args=["E09000003"]))
    assert response.status_code == 404


def test_public_geojson_of_an_area_and_its_children(db, client):
    response = client.get(reverse("places:area-geojson", args=["E05000268"]))
    assert response.status_code == 200
    data = response.json()
    assert data["features"][0]["properties"]["code"] == "E05000268"
    lsoas = Area.objects.lsoas().filter(parent__code="E05000268").count()
    assert lsoas > 1 and len(data["features"]) == 1 + lsoas


@pytest.mark.parametrize(
    "name,args,queries",
    [
        # what needs the officer, what changed (web/home.py asks each app)
        ("web:home", [], 29),
        ("web:map", [], 6),
        # + the place's groups, their chairs, open issues and their count,
        # the latest briefing, the next meeting, residents' reports (2)
        ("web:zone-detail", ["south"], 16),  # + the contacts and the zonal group
        ("web:area-detail", ["E09000014"], 5),
        ("web:area-detail", ["E05000268"], 16),  # + the contact and the group
    ],
)
def test_pages_use_a_fixed_number_of_queries(
    name, args, queries, client_for, django_assert_num_queries
):
    client = client_for("officer")
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_zone_page_leads_to_its_groups_issues_and_briefings(client_for):
    html = client_for("officer").get(reverse("web:zone-detail", args=["south"]))
    text = html.content.decode()
    assert 'href="/casework/bodies/south-zonal-working-group/"' in text
    assert "Open issues here, overdue first" in text
    assert "Latest briefing" in text


def test_ward_page_leads_to_its_group(client_for):
    html = client_for("officer").get(reverse("web:area-detail", args=["E05000268"]))
    text = html.content.decode()
    assert "Who works on it" in text
    assert "/casework/bodies/" in text


def test_zone_page_leads_to_its_next_meeting_and_residents_reports(client_for):
    from django.utils import timezone

    from csphub.meetings.models import Meeting
    from csphub.places.models import Zone
    from csphub.reports.models import Report

    south = Zone.objects.get(partnership__slug="haringey", slug="south")
    text = (
        client_for("officer")
        .get(reverse("web:zone-detail", args=["south"]))
        .content.decode()
    )
    meeting = (
        Meeting.objects.filter(body__zone=south).upcoming(timezone.localdate()).first()
    )
    assert "Next meeting" in text
    if meeting:
        assert meeting.get_absolute_url() in text
    else:
        assert "No meeting of this zone&#x27;s groups is planned yet" in text
    count = Report.objects.filter(zone=south).open().count()
    assert count and f"{count} open reports from residents here" in text
