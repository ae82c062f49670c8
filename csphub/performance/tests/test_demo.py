"""The demo register's data file: what an edit to it must keep."""

from datetime import date

import pytest

from csphub.accounts.models import Organisation
from csphub.performance.demo import read
from csphub.performance.models import Indicator
from csphub.strategy.models import Priority

from .factories import haringey

pytestmark = pytest.mark.django_db

CHOICES = {
    "source": Indicator.Source,
    "unit": Indicator.Unit,
    "improvement": Indicator.Improvement,
    "frequency": Indicator.Frequency,
    "status": Indicator.Status,
    "computed_from": Indicator.Computed,
}


def rows(data):
    mopac7 = {k: v for k, v in data["mopac7"].items() if k != "indicators"}
    yield from ({**mopac7, **row} for row in data["mopac7"]["indicators"])
    for priority_rows in data["register"].values():
        yield from priority_rows


def test_every_row_of_the_file_is_a_kpi_of_the_demo():
    data = read()
    names = [row["name"] for row in rows(data)]
    assert len(names) == len(set(names))
    loaded = Indicator.objects.filter(partnership=haringey())
    assert sorted(loaded.values_list("name", flat=True)) == sorted(names)


def test_the_file_uses_the_register_choices_organisations_and_priorities():
    """An edit that misnames a choice, an owner, a priority or a date fails
    here, not halfway through load_demo."""
    data = read()
    orgs = set(Organisation.objects.values_list("name", flat=True))
    priorities = set(Priority.objects.of(haringey()).values_list("name", flat=True))
    assert set(data["register"]) <= priorities
    for row in rows(data):
        for key, choices in CHOICES.items():
            assert row.get(key, choices.values[0]) in choices.values, (row, key)
        assert row.get("owner") is None or row["owner"] in orgs, row
        for key in ("baseline_period", "target_date"):
            assert row.get(key) is None or date.fromisoformat(row[key]), row
        history = row["history"]
        assert history is None or set(history) == {
            "level", "noise", "change_per_period", "shift"
        }, row  # fmt: skip
    for slug in [*data["rating_overrides"], *data["kept_off_the_board"]]:
        assert Indicator.objects.filter(partnership=haringey(), slug=slug).exists()
