"""The cohort page's queries do not grow with the cohort."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_nominal

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/offenders/?state=all", "/offenders/measures/"])
def test_queries_stay_flat_as_the_cohort_grows(iom_client, url):
    before = count(iom_client, url)
    for k in range(30):
        make_nominal(selected_on=date(2016, 1, 1 + k))
    assert count(iom_client, url) == before
