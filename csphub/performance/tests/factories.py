"""Test data: the demo register, plus small indicators built to a purpose."""

from datetime import date

from csphub.accounts.models import Organisation, Partnership
from csphub.lib.months import add_months
from csphub.performance.models import Indicator, Measurement


def haringey():
    return Partnership.objects.get(slug="haringey")


def make_indicator(partnership=None, **fields):
    partnership = partnership or haringey()
    defaults = {
        "name": "Test indicator",
        "slug": "test-indicator",
        "source": Indicator.Source.CSP,
        "improvement": Indicator.Improvement.DECREASE,
        "owner": Organisation.objects.get(name="Haringey Council – Neighbourhoods"),
    }
    defaults.update(fields)
    return Indicator.objects.create(partnership=partnership, **defaults)


def add_values(indicator, values, start=date(2016, 1, 1)):
    """One value a period from `start`; None leaves the period missing."""
    for i, value in enumerate(values):
        if value is not None:
            Measurement.objects.create(
                indicator=indicator,
                period=add_months(start, i * indicator.step),
                value=value,
                source=Measurement.Source.ENTERED,
            )
