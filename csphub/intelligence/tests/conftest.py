"""Without ../shared/data the demo has Haringey's wards but no LSOAs: the
synthetic boundaries of fixtures/ stand in, so the tests run anywhere."""

import pytest

from . import fixtures


@pytest.fixture(autouse=True)
def _synthetic_boundaries(request, _demo_loaded, django_db_blocker):
    names = request.fixturenames
    if "django_db_setup" not in names and not request.node.get_closest_marker(
        "django_db"
    ):
        return  # no database
    if fixtures.real_data():
        return  # the demo loaded the real boundaries
    from csphub.places.models import Area

    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        borough = Area.objects.lsoas().filter(parent__parent__code=fixtures.BOROUGH)
        if not borough.exists():
            fixtures.load_boundaries()
