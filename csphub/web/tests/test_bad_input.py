"""Values str.isdigit() accepts and int() refuses, and months that are not
months, get a clear answer, never a 500 (issue 16, defect 2)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "0000-01", "٢٠١٨-06", "2018-13"]


@pytest.mark.parametrize("value", ODD)
def test_query_values_never_give_a_500(client_for, value):
    client = client_for("admin")
    urls = [
        (reverse("casework:index"), {"page": value, "area": value}),
        (reverse("casework:issue-raise"), {"briefing": value, "area": value}),
        (reverse("intelligence:incident-list"), {"month": value, "ids": value}),
        (reverse("intelligence:incident-list"), {"page": value}),
    ]
    for url, query in urls:
        response = client.get(url, query)
        assert response.status_code in {200, 400, 404}, (url, query)


@pytest.mark.parametrize("value", ODD)
def test_posted_values_never_give_a_500(client_for, value):
    client = client_for("admin")
    switch = client.post(reverse("accounts:partnership-switch"), {"partnership": value})
    assert switch.status_code in {302, 400, 404}
