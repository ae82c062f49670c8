import pytest

from csphub.accounts.models import Partnership
from csphub.strategy.models import Priority
from csphub.strategy.services import ensure_priority, ensure_strategy

pytestmark = pytest.mark.django_db


def test_ensure_priority_is_idempotent_and_keeps_order():
    haringey = Partnership.objects.get(slug="haringey")
    strategy = ensure_strategy(haringey, "Test strategy")
    first = ensure_priority(haringey, "Knife crime", order=9, strategy=strategy)
    again = ensure_priority(haringey, "Knife crime", order=10)
    assert first.pk == again.pk
    again.refresh_from_db()
    assert again.order == 10
    assert again.slug == "knife-crime"


def test_priorities_belong_to_one_partnership():
    haringey = Partnership.objects.get(slug="haringey")
    barnet = Partnership.objects.get(slug="barnet")
    ensure_priority(barnet, "Only in Barnet")
    assert not Priority.objects.of(haringey).filter(name="Only in Barnet").exists()
    names = [p.name for p in Priority.objects.of(haringey)]
    assert names == sorted(names, key=names.index)  # ordered, no error
