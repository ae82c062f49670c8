"""The structure map, a body page and the review in headless Chromium, checked
with axe-core for WCAG 2.2 AA (the approach of csphub/web/tests/test_browser.py)."""

from conftest import BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST


def test_structure_pages_pass_axe(browser_page, live_server):
    page, url = browser_page, live_server.url
    sign_in(page, url, "admin")
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
    follow(page, "text=Switch partnership")
    page.goto(f"{url}/structure/")
    assert "No strategic group of its own" in page.content()
    check_page(page, "structure-map-barnet")
    page.goto(f"{url}/structure/review/")
    check_page(page, "structure-review-barnet")
