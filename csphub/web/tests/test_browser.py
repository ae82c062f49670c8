"""In a real browser (Debian's Chromium, driven by Playwright): sign in, open the
map, take screenshots, and check the pages with axe-core for WCAG 2.2 AA."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Chromium's own background traffic is refused on a closed network; these
# flags keep it quiet and the start fast.
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
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (CI installs it)",
    ),
]


@pytest.fixture
def demo_server(live_server, reload_demo):
    """The live server with the demo loaded."""
    return live_server


@pytest.fixture
def browser_page(demo_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # bypass_csp: axe goes in as a script tag (test_csp_browser.py
        # loads pages under the policy).
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        yield page
        browser.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def check_page(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1)
    assert page.locator("h1").count() == 1


def test_sign_in_open_the_map_and_pass_axe(browser_page, demo_server):
    live_server = demo_server
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, "sign-in")

    page.fill("#id_username", "officer")
    page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "what needs you" in page.inner_text("h1")
    assert "Haringey Community Safety Partnership" in page.content()
    check_page(page, "home")

    page.click("a.govuk-service-navigation__link:text('Map')")
    page.wait_for_url(f"{live_server.url}/map/")
    # Leaflet has replaced the server-drawn SVG: 19 wards and 3 zone outlines.
    page.wait_for_selector("#csphub-map-leaflet path.leaflet-interactive")
    assert page.locator("#csphub-map-leaflet path").count() == 22
    assert page.locator("#csphub-map-static").is_hidden()
    check_page(page, "map")

    page.goto(f"{live_server.url}/accessibility/")
    check_page(page, "accessibility")


def test_map_works_without_javascript(demo_server):
    from playwright.sync_api import sync_playwright

    live_server = demo_server
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/map/")
        links = page.locator("#csphub-map-static svg a")
        assert links.count() == 19
        page.screenshot(path=str(ARTIFACTS / "map-no-js.png"), full_page=True)
        links.first.click()
        assert "/areas/E050" in page.url
        browser.close()
