"""Lists cost the same number of queries however many reports they show."""

import pytest

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db


def test_partner_list_queries_do_not_grow(client_for, django_assert_max_num_queries):
    client = client_for("analyst")
    client.get("/reports/?show=all")
    street = make_street()
    for _ in range(5):
        make_report(street)
    with django_assert_max_num_queries(12):
        response = client.get("/reports/?show=all")
    assert response.status_code == 200


def test_open311_list_queries_do_not_grow(client, django_assert_max_num_queries):
    street = make_street()
    for _ in range(5):
        make_report(street)
    with django_assert_max_num_queries(3):
        assert client.get("/open311/v2/requests.json").status_code == 200
