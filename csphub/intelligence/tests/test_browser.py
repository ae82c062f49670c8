"""A briefing, the briefing list and the incident list in headless Chromium,
checked with axe-core for WCAG 2.2 AA (as csphub/web/tests/test_browser.py)."""

from datetime import date

import pytest

from conftest import BROWSER_TEST, check_page, chromium_page, follow, sign_in

from .crime_files import import_street_crime

pytestmark = BROWSER_TEST


@pytest.fixture
def briefing(reload_demo):
    from csphub.accounts.models import Partnership
    from csphub.intelligence.services import build_briefing
    from csphub.places.models import Zone

    haringey = Partnership.objects.get(slug="haringey")
    import_street_crime(
        haringey, ("2017-06", "2017-07", "2017-08", "2018-04", "2018-05", "2018-06")
    )
    south = Zone.objects.get(partnership=haringey, slug="south")
    return build_briefing(haringey, south, date(2018, 6, 1), local_moran=True)


@pytest.fixture
def browser_page(live_server, briefing):
    with chromium_page() as page:
        yield page


def test_briefing_pages_pass_axe(browser_page, live_server, briefing):
    page, url = browser_page, live_server.url
    sign_in(page, url, "analyst")
    page.goto(f"{url}{briefing.get_absolute_url()}")
    assert page.locator("#hotspot-map a").count() == len(briefing.results["hotspots"])
    check_page(page, "intelligence-briefing")
    follow(page, page.locator("#hotspot-map a").first)  # an LSOA's incidents
    assert "area=E01" in page.url
    check_page(page, "intelligence-incidents-lsoa")
    page.goto(f"{url}/intelligence/incidents/?area=zone:south&category=Burglary")
    check_page(page, "intelligence-incidents")
    page.goto(f"{url}/intelligence/briefings/")
    check_page(page, "intelligence-briefing-list")
