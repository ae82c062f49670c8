"""In a real browser (Debian's Chromium, driven by Playwright): sign in, open the
map, take screenshots, and check the pages with axe-core for WCAG 2.2 AA."""

from conftest import ARTIFACTS, BROWSER_TEST, check_page, chromium_page, follow, sign_in

pytestmark = BROWSER_TEST


def test_sign_in_open_the_map_and_pass_axe(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, "sign-in")

    sign_in(page, live_server.url, "officer")
    assert "what needs you" in page.inner_text("h1")
    assert "Haringey Community Safety Partnership" in page.content()
    check_page(page, "home")

    follow(page, "a.govuk-service-navigation__link:text('Map')")
    page.wait_for_url(f"{live_server.url}/map/")
    # Leaflet has replaced the server-drawn SVG: 19 wards and 3 zone outlines.
    page.wait_for_selector("#csphub-map-leaflet path.leaflet-interactive")
    assert page.locator("#csphub-map-leaflet path").count() == 22
    assert page.locator("#csphub-map-static").is_hidden()
    check_page(page, "map")

    page.goto(f"{live_server.url}/accessibility/")
    check_page(page, "accessibility")


def test_map_works_without_javascript(live_server, reload_demo):
    with chromium_page(java_script_enabled=False) as page:
        sign_in(page, live_server.url, "officer")
        page.goto(f"{live_server.url}/map/")
        links = page.locator("#csphub-map-static svg a")
        assert links.count() == 19
        page.screenshot(path=str(ARTIFACTS / "map-no-js.png"), full_page=True)
        follow(page, links.first)
        assert "/areas/E050" in page.url
