"""The influence map: public, per ward and zone, never naming a resident."""

import pytest

from csphub.reports import services

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db


def test_ward_page_says_who_decides_and_what_was_done(client):
    street = make_street("Influence Road", "Noel Park")
    reporter = make_report(street, name="Ada Lovelace", email="ada@example.org")
    services.update_status(
        reporter.report, None, status="closed", outcome="Speakers seized"
    )
    page = client.get(f"/your-area/haringey/wards/{street.ward.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "Noel Park ward: who decides what" in html
    assert "Haringey Community Safety Partnership Board" in html
    assert "Speakers seized" in html and "Influence Road" in html
    assert "Ada" not in html and "ada@example.org" not in html
    assert "London Fire Brigade" in html  # deliberate fires go to the fire service
    assert "/community-trigger/" in html and "Councillor Call for Action" in html


def test_zone_page_and_index(client):
    assert "North zone" in client.get("/your-area/").content.decode()
    page = client.get("/your-area/haringey/zones/south/").content.decode()
    assert "South Zonal Working group" in page


def test_unknown_places_are_404(client):
    assert client.get("/your-area/haringey/wards/E05999999/").status_code == 404
    assert client.get("/your-area/nowhere/zones/south/").status_code == 404
    assert client.get("/your-area/barnet/zones/south/").status_code == 404
