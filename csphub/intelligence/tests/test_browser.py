"""A briefing, the briefing list and the incident list in headless Chromium,
checked with axe-core for WCAG 2.2 AA (as csphub/web/tests/test_browser.py)."""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
HARINGEY = settings.SHARED_DIR / "data" / "policeuk" / "haringey"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed"
    ),
    pytest.mark.skipif(not HARINGEY.exists(), reason="no police.uk files"),
]


@pytest.fixture
def briefing(reload_demo):
    from csphub.accounts.models import Partnership
    from csphub.intelligence.services import build_briefing, import_crime_file
    from csphub.places.models import Zone

    haringey = Partnership.objects.get(slug="haringey")
    for month in ("2017-06", "2017-07", "2017-08", "2018-04", "2018-05", "2018-06"):
        import_crime_file(haringey, HARINGEY / f"{month}-metropolitan-street.csv")
    south = Zone.objects.get(partnership=haringey, slug="south")
    return build_briefing(haringey, south, date(2018, 6, 1), local_moran=True)


@pytest.fixture
def browser_page(live_server, briefing):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def check_page(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1)
    assert page.locator("h1").count() == 1


def test_briefing_pages_pass_axe(browser_page, live_server, briefing):
    page, url = browser_page, live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}{briefing.get_absolute_url()}")
    assert page.locator("#hotspot-map a").count() == len(briefing.results["hotspots"])
    check_page(page, "intelligence-briefing")
    page.locator("#hotspot-map a").first.click()  # an LSOA's incidents
    assert "area=E01" in page.url
    check_page(page, "intelligence-incidents-lsoa")
    page.goto(f"{url}/intelligence/incidents/?area=zone:south&category=Burglary")
    check_page(page, "intelligence-incidents")
    page.goto(f"{url}/intelligence/briefings/")
    check_page(page, "intelligence-briefing-list")
