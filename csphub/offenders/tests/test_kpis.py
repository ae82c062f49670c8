"""The cohort's measures feed the IOM KPIs, suppressing groups under 5."""

from datetime import date

import pytest
from django.core.management import call_command

from csphub.offenders import services
from csphub.offenders.demo import AS_OF, FEEDS
from csphub.offenders.models import BudgetPilot, KpiFeed, Nominal
from csphub.performance.models import Indicator, Measurement

from .factories import haringey, make_nominal, make_offence

pytestmark = pytest.mark.django_db

RATE, SIZE = list(FEEDS)


def values(slug):
    return dict(
        Measurement.objects.current()
        .filter(indicator__slug=slug, indicator__partnership=haringey())
        .values_list("period", "value")
    )


def test_demo_kpis_are_computed_not_illustrative():
    rows = Measurement.objects.current().filter(
        indicator__slug__in=FEEDS, indicator__partnership=haringey()
    )
    assert rows.exists()
    assert set(rows.values_list("source", flat=True)) == {"computed"}


def test_demo_rate_falls_as_the_scheme_matures():
    rate = values(RATE)
    periods = sorted(rate)
    assert periods[0] <= date(2015, 1, 1)
    # the last quarter due by June 2018 is Q4 2016 (its 18 months end 30 June)
    assert periods[-1] <= date(2016, 10, 1)
    first, last = [rate[p] for p in periods[:3]], [rate[p] for p in periods[-3:]]
    assert sum(last) < sum(first)


def test_demo_cohort_size_matches_the_nominals():
    size = values(SIZE)
    end = date(2016, 3, 31)
    expected = Nominal.objects.of(haringey()).active_on(end).count()
    assert size[date(2016, 1, 1)] == expected


def _fresh_cohort(selections):
    BudgetPilot.objects.filter(partnership=haringey()).delete()
    Nominal.objects.filter(partnership=haringey()).delete()
    return [make_nominal(selected_on=d) for d in selections]


def test_periods_of_fewer_than_five_people_are_suppressed():
    # four selected in Q1 2015, six in Q2 2015
    q1 = _fresh_cohort([date(2015, 1, 5 + i) for i in range(4)])
    q2 = [make_nominal(selected_on=date(2015, 4, 5 + i)) for i in range(6)]
    make_offence(q1[0], date(2015, 3, 1))
    make_offence(q2[0], date(2015, 5, 1))
    make_offence(q2[1], date(2015, 6, 1))
    services.feed_kpis(haringey(), date(2017, 6, 30))
    rate = values(RATE)
    assert date(2015, 1, 1) not in rate  # 4 people: suppressed
    assert rate[date(2015, 4, 1)] == pytest.approx(33.3)  # 2 of 6
    size = values(SIZE)
    assert date(2015, 1, 1) not in size  # 4 in the cohort at the end of Q1
    assert size[date(2015, 4, 1)] == 10


def test_a_period_suppressed_later_loses_its_old_value():
    indicator = Indicator.objects.get(partnership=haringey(), slug=RATE)
    _fresh_cohort([date(2015, 1, 5 + i) for i in range(3)])
    services.feed_kpis(haringey(), date(2017, 6, 30))
    assert date(2015, 1, 1) not in values(RATE)
    assert Measurement.objects.filter(indicator=indicator, current=False).exists()


def test_compute_iom_kpis_links_and_feeds(capsys):
    indicator = Indicator.objects.get(
        partnership=haringey(),
        slug="reduce-re-offending-among-the-gang-exit-caseload-local-ambition-for-60",
    )
    call_command(
        "compute_iom_kpis",
        "--partnership",
        "haringey",
        "--as-of",
        AS_OF.isoformat(),
        "--link",
        f"{indicator.slug}=frequency_rate",
    )
    assert KpiFeed.objects.get(indicator=indicator).measure == "frequency_rate"
    assert (
        Measurement.objects.current()
        .filter(indicator=indicator, source="computed")
        .exists()
    )


def test_board_member_sees_the_kpi_chart_and_no_way_to_a_nominal(client_for):
    html = client_for("member").get(f"/performance/indicators/{RATE}/").content.decode()
    assert "<svg" in html and "computed" in html.lower()
    assert "/offenders/" not in html and "SYN-" not in html
