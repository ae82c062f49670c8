"""The review, the highlight report and the public scorecard in headless
Chromium, checked with axe-core for WCAG 2.2 AA (as csphub/web/tests)."""

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


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_performance_pages_pass_axe(browser_page, live_server):
    page, url = browser_page, live_server.url
    page.goto(f"{url}/performance/scorecard/haringey/")  # public: no sign-in
    assert page.locator("svg.csphub-spc").count() >= 5
    check_page(page, "performance-scorecard")
    sign_in(page, url, "member")
    page.goto(f"{url}/performance/reviews/2018-06/")
    assert page.locator("svg.csphub-spc").count() > 20
    check_page(page, "performance-review")
    page.goto(f"{url}/performance/reviews/2018-06/highlight/")
    assert "not reported because" in page.content()
    check_page(page, "performance-highlight")
    page.goto(f"{url}/performance/reviews/2018-06/reduce-burglary/rate/")
    page.check("input[name=rag][value=red]")
    page.click("text=Save the rating")
    assert "There is a problem" in page.content()
    check_page(page, "performance-rate-errors")
    page.goto(f"{url}/performance/")
    check_page(page, "performance-register")
    page.goto(f"{url}/performance/indicators/reduce-burglary/")
    check_page(page, "performance-indicator")
