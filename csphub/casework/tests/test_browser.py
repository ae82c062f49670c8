"""Casework pages in headless Chromium, checked with axe-core for WCAG 2.2 AA
(the set-up is the root conftest's), as the zone chair opens them before a
meeting; and the oversight page without JavaScript."""

import os

import pytest

from conftest import ARTIFACTS, CHROMIUM, check_page, chromium_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed"
    ),
]
SOUTH = "/casework/bodies/south-zonal-working-group/"


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo"))
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_casework_pages_pass_axe(live_server, reload_demo):
    from csphub.casework.models import Issue, Project

    issue = Issue.objects.filter(title__startswith="Broadwater Farm").first()
    project = Project.objects.first()
    url = live_server.url
    with chromium_page() as page:
        sign_in(page, url, "member")
        for path, name in [
            ("/casework/", "casework-index"),
            (SOUTH, "casework-oversight-south"),
            (f"{SOUTH}problem-solving/", "casework-status-list"),
            (issue.get_absolute_url(), "casework-issue"),
            (project.get_absolute_url(), "casework-project"),
            ("/casework/issues/raise/", "casework-raise"),
            ("/casework/my-actions/", "casework-my-actions"),
            ("/casework/issues/", "casework-issues"),
        ]:
            page.goto(f"{url}{path}")
            check_page(page, name)


def test_oversight_without_javascript_shows_what_is_escalated(live_server, reload_demo):
    url = live_server.url
    with chromium_page(java_script_enabled=False) as page:
        sign_in(page, url, "member")
        page.goto(f"{url}{SOUTH}")
        html = page.content()
        assert "Escalated to South Zonal Working group, awaiting an answer" in html
        assert "Fly-tipping in alleyways behind the high street" in html
        with page.expect_navigation():
            page.click("text=Fly-tipping in alleyways behind the high street")
        assert page.locator("h1").count() == 1
        assert "Fly-tipping" in page.locator("h1").inner_text()
        # axe needs scripts: the same page passed it with them, above.
        page.screenshot(path=str(ARTIFACTS / "casework-escalated-issue-nojs.png"))
