"""The structure map, a body page and the review in headless Chromium, checked
with axe-core for WCAG 2.2 AA (the approach of csphub/web/tests/test_browser.py)."""

import os

import pytest

from conftest import CHROMIUM, check_page, chromium_page


@pytest.fixture
def browser_page(live_server, reload_demo):
    with chromium_page() as page:
        yield page


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed"
    ),
]


def test_structure_pages_pass_axe(browser_page, live_server):
    page, url = browser_page, live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/structure/")
    assert page.locator("svg.csphub-structure a").count() > 20
    check_page(page, "structure-map")
    page.goto(f"{url}/structure/bodies/south-zonal-working-group/")
    check_page(page, "structure-body")
    page.goto(f"{url}/structure/review/")
    check_page(page, "structure-review")
    page.select_option(
        "#partnership-switcher", label="Safer Communities Partnership Barnet"
    )
    page.click("text=Switch partnership")
    page.goto(f"{url}/structure/")
    assert "No strategic group of its own" in page.content()
    check_page(page, "structure-map-barnet")
    page.goto(f"{url}/structure/review/")
    check_page(page, "structure-review-barnet")
