"""Security headers: on every page, and no caching of what signed-in people see."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_response_carries_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_for_signed_in_people_are_never_cached(client_for):
    client = client_for("member")
    for url in ["/", reverse("casework:index"), "/casework/?format=csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_public_pages_are_left_to_the_cache(client):
    page = client.get(reverse("performance:scorecard", args=["haringey"]))
    assert page.status_code == 200
    assert "no-store" not in page.get("Cache-Control", "")


def test_every_page_carries_the_content_security_policy(client, client_for):
    """The same policy in the demo and the tests as in production (there the
    HTTPS headers join it: web/tests/test_production.py)."""
    pages = [
        client.get("/accounts/login/"),
        client.get(reverse("reports:start")),
        client_for("iom").get(reverse("offenders:cohort")),
        client_for("admin").get("/no-such-page/"),
    ]
    for page in pages:
        policy = page["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
