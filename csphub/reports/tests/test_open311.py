"""Open311 GeoReport v2: JSON and XML, the same intake as the form, no
reporter's identity out, and clear errors for broken bodies."""

import json
from xml.etree import ElementTree

import pytest

from csphub.reports.models import Report, Reporter

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db


def post(client, fmt="json", **data):
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_services_in_json_and_xml(client):
    services = client.get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in services}
    assert {"noise", "fly-tipping", "drug-dealing"} <= codes
    xml = ElementTree.fromstring(client.get("/open311/v2/services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == len(services)


def test_a_posted_request_is_routed_and_matched_like_the_form(client):
    street = make_street()
    earlier = make_report(street)  # on the form
    response = post(
        client,
        service_code="noise",
        lat=street.latitude,
        long=street.longitude,
        description="Party every night",
        email="ada@example.org",
        first_name="Ada",
    )
    assert response.status_code == 201
    [row] = response.json()
    report = Report.objects.get(reference=row["service_request_id"])
    assert report.organisation == earlier.report.organisation
    assert report.possible_duplicate_of == earlier.report
    assert earlier.report.reference in row["service_notice"]
    reporter = Reporter.objects.get(token=row["token"])
    assert reporter.channel == "open311" and reporter.name == "Ada"
    assert report.ward == street.ward and report.zone is not None


def test_address_string_and_xml_answer(client):
    make_street("Testing Road")
    response = post(
        client,
        "xml",
        service_code="fly-tipping",
        address_string="testing road",
        description="Sofa",
        jurisdiction_id="haringey",
    )
    assert response.status_code == 201
    xml = ElementTree.fromstring(response.content)
    assert xml.find("request/service_request_id").text


def test_requests_never_show_who_reported(client):
    street = make_street()
    reporter = make_report(
        street,
        category="drug-dealing",
        name="Ada Lovelace",
        email="ada@example.org",
        description="My neighbour Bob at number 4 deals",
    )
    ref = reporter.report.reference
    for url in (
        f"/open311/v2/requests/{ref}.json",
        f"/open311/v2/requests.json?service_request_id={ref}",
        "/open311/v2/requests.json?service_code=drug-dealing",
        f"/open311/v2/requests/{ref}.xml",
    ):
        body = client.get(url).content.decode()
        assert ref in body
        for secret in ("Ada", "ada@example.org", "Bob", reporter.token):
            assert secret not in body, url
    [row] = client.get(f"/open311/v2/requests/{ref}.json").json()
    # a report about people: the point is rounded to about 100 m
    assert row["lat"] == round(street.latitude, 3)
    assert row["agency_responsible"] == "Metropolitan Police Service"


def test_requests_filters(client):
    make_report(make_street())
    rows = client.get("/open311/v2/requests.json?status=open&service_code=noise").json()
    assert rows and all(
        r["status"] == "open" and r["service_code"] == "noise" for r in rows
    )
    closed = client.get("/open311/v2/requests.json?status=closed").json()
    assert all(r["status"] == "closed" for r in closed)


@pytest.mark.parametrize(
    "data,status,message",
    [
        ({}, 400, "service_code"),
        ({"service_code": "nope"}, 400, "not a service"),
        ({"service_code": "noise"}, 400, "lat and long, or address_string"),
        (
            {"service_code": "noise", "lat": "north", "long": "1"},
            400,
            "decimal degrees",
        ),
        (
            {
                "service_code": "noise",
                "lat": "51.75",
                "long": "-0.1",
                "jurisdiction_id": "haringey",
                "description": "x",
            },
            400,
            "outside",
        ),
        (
            {
                "service_code": "noise",
                "address_string": "Nowhere Lane",
                "jurisdiction_id": "haringey",
                "description": "x",
            },
            400,
            "not a street",
        ),
        (
            {
                "service_code": "noise",
                "address_string": "Testing Road",
                "jurisdiction_id": "haringey",
            },
            400,
            "description is required",
        ),
        (
            {
                "service_code": "noise",
                "address_string": "Testing Road",
                "jurisdiction_id": "haringey",
                "description": "x",
                "email": "nope",
            },
            400,
            "not an email",
        ),
        (
            {
                "service_code": "noise",
                "address_string": "Testing Road",
                "jurisdiction_id": "atlantis",
                "description": "x",
            },
            404,
            "not served",
        ),
        (
            {
                "service_code": "noise",
                "address_string": "Testing Road",
                "jurisdiction_id": "haringey",
                "description": "x" * 5000,
            },
            400,
            "longer than",
        ),
    ],
)
def test_broken_bodies_get_clear_errors(client, data, status, message):
    make_street("Testing Road")
    response = post(client, **data)
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status and message in error["description"]


def test_non_form_bodies_and_bad_formats(client):
    response = client.post(
        "/open311/v2/requests.json",
        data=json.dumps({"a": 1}),
        content_type="application/json",
    )
    assert (
        response.status_code == 400
        and "form-encoded" in response.json()[0]["description"]
    )
    response = client.post(
        "/open311/v2/requests.json",
        data=b"\xff\xfe garbage",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert client.get("/open311/v2/services.html").status_code == 404
    assert client.get("/open311/v2/requests/NOPE.json").status_code == 404
    bad_date = client.get("/open311/v2/requests.json?start_date=yesterday")
    assert bad_date.status_code == 400
    xml_error = client.get("/open311/v2/requests.xml?status=maybe")
    assert ElementTree.fromstring(xml_error.content).tag == "errors"
