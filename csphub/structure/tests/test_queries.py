"""The map, the lists and the review cost the same queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csphub.accounts.models import Partnership

from .factories import make_structure

pytestmark = pytest.mark.django_db
PAGES = ["structure:map", "structure:body-list", "structure:review"]


def queries(client, name):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_bodies(
    name, client_for, django_assert_num_queries
):
    client = client_for("outsider")
    barnet = Partnership.objects.get(slug="barnet")
    make_structure(barnet, 5, 3, 6)
    small = queries(client, name)
    make_structure(barnet, 60, 5, 40)
    with django_assert_num_queries(small):
        client.get(reverse(name))
