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
