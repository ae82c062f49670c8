"""Bad input gets a clear message and never a 500."""

import pytest
from django.test import Client

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db

JUNK = [
    "",
    "x" * 10000,
    "<script>alert(1)</script>",
    "nan",
    "inf",
    "-1e999",
    "\x00",
    "²",
]


def started():
    client = Client()
    client.post("/report/", {"partnership": "haringey"})
    return client


@pytest.mark.parametrize("value", JUNK)
def test_form_pages_survive_junk(value):
    make_street("Testing Road")
    client = started()
    for step, field in [
        ("where", "street"),
        ("where", "latitude"),
        ("where", "postcode"),
        ("what", "category"),
        ("now", "happening_now"),
        ("when", "incident_date"),
        ("describe", "description"),
        ("contact", "email"),
        ("contact", "phone"),
    ]:
        response = client.post(f"/report/{step}/", {field: value, "longitude": value})
        assert response.status_code in (200, 302), (step, field)
    assert client.post("/report/nearby/", {"join": value}).status_code in (200, 302)
    assert client.post("/report/check/").status_code == 302
    assert client.get("/report/no-such-step/").status_code == 404
    assert client.post("/report/", {"partnership": value}).status_code == 200


@pytest.mark.parametrize("value", JUNK)
def test_staff_actions_survive_junk(value, client_for):
    report = make_report().report
    client = client_for("admin")
    base = f"/reports/{report.reference}"
    for url, data in [
        (f"{base}/status/", {"status": value, "outcome": value}),
        (f"{base}/reroute/", {"organisation": value, "reason": value}),
        (f"{base}/merge/", {"into": value}),
        (f"{base}/raise/", {"body": value}),
        (f"{base}/raise/", {"issue": value}),
        (f"{base}/ccfa/", {"reason": value}),
        (
            "/reports/enter/",
            {"street": value, "category": value, "incident_date": value},
        ),
        ("/community-trigger/apply/", {"partnership": value, "name": value}),
    ]:
        response = client.post(url, data)
        assert response.status_code in (200, 302), url
    assert client.get(f"/reports/?show={value}").status_code == 200
    assert client.get("/reports/NOSUCHREF/").status_code == 404
