"""Residents' reports as a data set a briefing's trends and hotspots run on
(issue 19): reports registers an IncidentSource in intelligence's hooks."""

import json
from datetime import date

import pytest

from csphub.accounts.models import Partnership
from csphub.intelligence.presentation import briefing_document
from csphub.intelligence.services import briefing_json, build_briefing
from csphub.intelligence.sources import available_sources
from csphub.places.models import Zone
from csphub.reports.models import Report

from .factories import make_report, make_street


@pytest.fixture
def haringey(db):
    return Partnership.objects.get(slug="haringey")


def test_residents_reports_are_a_named_source_of_a_briefing(haringey):
    south = Zone.objects.get(partnership=haringey, slug="south")
    ward = south.wards.order_by("name").first()
    street = make_street(name="Partner Test Road", ward_name=ward.name)
    make_report(street=street, category="noise")
    make_report(street=street, category="noise", email="other@example.org")
    assert "reports:residents" in [s.key for s in available_sources(haringey)]
    month = date.today().replace(day=1)
    briefing = build_briefing(
        haringey, south, month, sources=["reports:residents"], permutations=99
    )
    data = briefing_json(briefing)
    assert data["sources"][0]["name"] == "Residents' reports"
    counted = Report.objects.filter(
        partnership=haringey, zone=south, created_at__date__gte=month
    ).exclude(status=Report.Status.MERGED)
    rows = [c for c in data["counts"] if c["source"] == "reports:residents"]
    assert sum(c["count"] or 0 for c in rows) == counted.count() >= 1
    assert {h["source"] for h in data["hotspots"]} <= {"reports:residents"}
    page = briefing_document(briefing)
    assert "Data used: Residents&#x27; reports" in page
    assert "resident@example.org" not in json.dumps(briefing.results)
