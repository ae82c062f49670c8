"""Monthly counts for briefings: from the data, with no-data months kept apart."""

from datetime import date

import pytest

from csphub.accounts.models import Partnership
from csphub.intelligence.models import Incident
from csphub.intelligence.services import (
    add_months,
    headline_counts,
    monthly_counts,
)
from csphub.places.models import Zone

from .crime_files import import_street_crime
from .fixtures import HARINGEY  # synthetic files in the real layout


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_street_crime(
        partnership, ("2016-02", "2016-04", "2017-02", "2017-03", "2017-04"), HARINGEY
    )
    return partnership


def test_add_months_crosses_years():
    assert add_months(date(2016, 11, 1), 3) == date(2017, 2, 1)
    assert add_months(date(2016, 1, 1), -1) == date(2015, 12, 1)


def test_counts_match_the_incidents_and_leave_missing_months_as_none(haringey):
    months = [date(2016, 2, 1), date(2016, 3, 1), date(2016, 4, 1)]
    counts = monthly_counts(haringey, months=months)
    burglary = counts["Burglary"]
    assert burglary[1] is None  # no file for 2016-03: no data, not zero
    assert (
        burglary[0]
        == Incident.objects.filter(category="Burglary", month=months[0]).count()
    )
    total = sum(v[2] for v in counts.values())
    assert total == Incident.objects.filter(month=months[2]).count()


def test_zone_counts_are_the_zones_incidents(haringey):
    south = Zone.objects.get(slug="south")
    counts = monthly_counts(haringey, zone=south, months=[date(2017, 3, 1)])
    expected = Incident.objects.filter(zone=south, month=date(2017, 3, 1)).count()
    assert sum(v[0] for v in counts.values()) == expected


def test_headlines_compare_with_last_year_and_the_mean_of_months_with_data(haringey):
    south = Zone.objects.get(slug="south")
    headlines = {
        h.category: h for h in headline_counts(haringey, date(2017, 3, 1), zone=south)
    }
    theft = headlines["Other theft"]
    by_month = {
        m: Incident.objects.filter(zone=south, category="Other theft", month=m).count()
        for m in (
            date(2016, 3, 1),
            date(2017, 2, 1),
            date(2017, 3, 1),
            date(2016, 4, 1),
        )
    }
    assert theft.count == by_month[date(2017, 3, 1)]
    assert theft.last_year is None  # 2016-03 has no data
    # the 12 months before: only 2016-04 and 2017-02 have data here
    assert theft.mean_12m == round(
        (by_month[date(2016, 4, 1)] + by_month[date(2017, 2, 1)]) / 2, 1
    )


def test_counts_use_one_query_for_any_number_of_categories(
    haringey, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the months with data, then the counts
        monthly_counts(haringey, months=[date(2017, 2, 1), date(2017, 3, 1)])
