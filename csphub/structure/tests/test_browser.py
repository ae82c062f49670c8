"""The structure map, a body page and the review in headless Chromium, checked
with axe-core for WCAG 2.2 AA (the approach of csphub/web/tests/test_browser.py)."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

# The same set-up as csphub/web/tests/test_browser.py (web sits above this app,
# so it is repeated rather than imported).
CHROMIUM = Path("/usr/bin/chromium")
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
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


@pytest.fixture
def browser_page(live_server, reload_demo):
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
