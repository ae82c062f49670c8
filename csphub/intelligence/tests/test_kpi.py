"""Crime KPIs counted from police.uk incidents; missing months stay missing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from csphub.accounts.models import Partnership
from csphub.intelligence.kpi import count_crime_kpis
from csphub.intelligence.models import Incident
from csphub.performance.models import Indicator, Measurement

from .crime_files import import_street_crime
from .fixtures import HARINGEY  # synthetic files in the real layout


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_street_crime(partnership, ("2016-02", "2016-04"), HARINGEY)
    return partnership


def current(indicator, month):
    return (
        Measurement.objects.current().filter(indicator=indicator, period=month).first()
    )


def test_counts_match_incidents_and_keep_the_illustrative_value(haringey):
    burglary = Indicator.objects.get(partnership=haringey, slug="reduce-burglary")
    illustrative = current(burglary, date(2016, 2, 1))
    assert illustrative.source == "illustrative"  # the test demo has no crime data
    count_crime_kpis(haringey)
    counted = current(burglary, date(2016, 2, 1))
    expected = Incident.objects.filter(
        partnership=haringey, month=date(2016, 2, 1), category="Burglary"
    ).count()
    assert counted.value == expected > 0
    assert counted.source == "computed" and "Burglary" in counted.source_detail
    assert counted.replaces == illustrative  # the old value is kept
    # 2016-03 has no file: not counted, so not 0 (the illustrative value stays)
    march = current(burglary, date(2016, 3, 1))
    assert march is None or march.source == "illustrative"


def test_counting_again_changes_nothing(haringey):
    assert count_crime_kpis(haringey) > 0
    before = Measurement.objects.count()
    assert count_crime_kpis(haringey) == 0  # values written: only changed ones
    assert Measurement.objects.count() == before


def test_analysts_mapping_decides_what_is_counted(haringey):
    indicator = Indicator.objects.create(
        partnership=haringey,
        name="Vehicle crime",
        slug="vehicle-crime",
        source="csp",
        computed_from="crime",
        crime_categories=["Vehicle crime", "Bicycle theft"],
    )
    count_crime_kpis(haringey)
    value = current(indicator, date(2016, 4, 1)).value
    assert (
        value
        == Incident.objects.filter(
            partnership=haringey,
            month=date(2016, 4, 1),
            category__in=["Vehicle crime", "Bicycle theft"],
        ).count()
    )
    assert current(indicator, date(2016, 3, 1)) is None  # missing, never 0


def test_compute_kpis_command(haringey):
    out = StringIO()
    call_command("compute_kpis", "--partnership", "haringey", stdout=out)
    assert "5 crime KPIs counted" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("compute_kpis", "--partnership", "nowhere")
