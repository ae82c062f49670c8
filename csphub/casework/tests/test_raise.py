"""Raising an issue: prefilled from a link (a briefing's trend), raised once
(open issues nearby on the same theme are offered first), bad input named."""

import pytest
from django.urls import reverse

from csphub.casework.models import Issue

from .factories import BRUCE_GROVE, SOUTH, TOTTENHAM_GREEN, body, haringey, make_issue

pytestmark = pytest.mark.django_db
URL = "/casework/issues/raise/"


def test_raise_url_is_stable():
    assert reverse("casework:issue-raise") == URL


def test_prefill_from_a_briefing_link(client_for):
    ward = body(BRUCE_GROVE).ward
    response = client_for("analyst").get(
        URL,
        {
            "area": ward.code,
            "title": "Rising burglary",
            "description": "Up 40% on last year",
            "theme": "burglary",
            "origin": "briefing",
            "briefing": "42",
        },
    )
    form = response.context["form"]
    assert form.initial["area"] == ward.code
    assert form.initial["body"] == body(BRUCE_GROVE).pk  # the ward's ABW group
    assert form.initial["origin"] == "briefing"
    assert form.initial["briefing"] == 42
    html = response.content.decode()
    assert 'value="Rising burglary"' in html and "Up 40% on last year" in html


def test_prefill_by_zone_slug_and_by_lsoa(client_for):
    response = client_for("officer").get(URL, {"area": "south"})
    assert response.context["form"].initial["body"] == body(SOUTH).pk
    lsoa = body(TOTTENHAM_GREEN).ward.children.first()
    if lsoa is not None:  # LSOAs exist where the boundary files were loaded
        response = client_for("officer").get(URL, {"area": lsoa.code})
        assert response.context["form"].initial["lsoa"] == lsoa.code


def test_prefill_from_a_briefing_trend_link(client_for):
    """The link a briefing's flagged trend carries: a zone as `zone:slug`, the
    police.uk category as the theme."""
    from types import SimpleNamespace

    from csphub.intelligence.presentation import raise_issue_url

    trend = {
        "area": "zone:south",
        "area_name": "South zone",
        "category": "Anti-social behaviour",
        "observed": 412,
        "expected": 301.5,
        "excess": 110.5,
    }
    from datetime import date

    url = raise_issue_url(SimpleNamespace(pk=42), trend, date(2018, 6, 1))
    assert url.startswith(URL + "?")
    response = client_for("officer").get(url)
    form = response.context["form"]
    assert form.initial["body"] == body(SOUTH).pk  # the zone's group
    assert form.initial["theme"] == "asb"
    assert form.initial["origin"] == "briefing"
    assert form.initial["briefing"] == 42
    assert "412 incidents against 301.5 expected" in response.content.decode()


def test_unknown_prefill_values_are_ignored_not_errors(client_for):
    response = client_for("officer").get(
        URL, {"area": "nowhere", "origin": "mars", "briefing": "x", "theme": "zzz"}
    )
    assert response.status_code == 200


def post(client, **fields):
    data = {
        "body": body(TOTTENHAM_GREEN).pk,
        "title": "Dumped mattresses",
        "theme": "environment",
        "area": body(TOTTENHAM_GREEN).ward.code,
        "origin": "resident",
        "briefing": "7",
    }
    data.update(fields)
    return client.post(URL, data)


def test_raising_offers_open_issues_nearby_first(client_for):
    near = make_issue(theme="environment", title="Fly-tips behind the shops")
    client = client_for("handler")
    response = post(client)
    assert response.status_code == 200
    assert "Fly-tips behind the shops" in response.content.decode()
    assert not Issue.objects.filter(title="Dumped mattresses").exists()
    response = post(client, not_duplicate="on")
    issue = Issue.objects.get(title="Dumped mattresses")
    assert response.status_code == 302
    assert issue.zone.name == "South" and issue.ward == near.ward
    assert issue.briefing_id == 7 and issue.raised_by.username == "handler"


def test_nothing_nearby_raises_at_once(client_for):
    response = post(client_for("officer"), theme="youth", area="E05000266")
    assert response.status_code == 302
    issue = Issue.objects.get(title="Dumped mattresses")
    assert issue.ward.name == "Alexandra" and issue.zone.name == "West"
    assert issue.events.get().kind == "raised"


def test_bad_input_is_named_and_what_was_typed_kept(client_for):
    response = post(client_for("officer"), title="", lsoa="E01999999", theme="")
    html = response.content.decode()
    assert "Enter a title" in html
    assert "E01999999 is not an LSOA in this borough" in html
    assert "Choose a theme" in html
    assert 'value="E01999999"' in html


def test_outsider_cannot_raise_on_a_haringey_body(client_for):
    response = post(client_for("outsider"), theme="youth")
    assert response.status_code == 200  # the body is not a choice in Barnet
    assert "Choose one of this partnership&#x27;s bodies" in response.content.decode()
    assert not Issue.objects.filter(partnership=haringey(), title="Dumped mattresses")


def test_raising_from_a_ward_group_fills_in_its_ward(client_for):
    group = body(TOTTENHAM_GREEN)
    response = client_for("officer").get(f"{URL}?body={group.slug}")
    form = response.context["form"]
    assert form.initial["body"] == group.pk
    assert form.initial["area"] == group.ward.code
    zone = body(SOUTH)
    form = client_for("officer").get(f"{URL}?body={zone.slug}").context["form"]
    assert form.initial["area"] == zone.zone.slug
