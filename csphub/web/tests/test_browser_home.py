"""The home page and search in Chromium: axe finds no WCAG 2.2 AA violation
for the officer, board member, analyst and administrator, at 1366 px and on
a 390 px phone (where nothing scrolls sideways); screenshots go to
test-artifacts/."""

import pytest

from conftest import BROWSER_TEST, check_page, chromium_page, follow, sign_in

pytestmark = BROWSER_TEST
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def fits(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth"
        " <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_home_and_search_pass_axe(live_server, reload_demo, width):
    url = live_server.url
    with chromium_page(viewport=WIDTHS[width]) as page:
        for persona in ("officer", "member", "analyst", "admin"):
            sign_in(page, url, persona)
            check_page(page, f"home-{persona}-{width}")
            assert fits(page), f"home for {persona} scrolls sideways at {width}"
            page.goto(f"{url}/accounts/login/")
            page.context.clear_cookies()
        sign_in(page, url, "member")
        page.fill("#header-search", "tottenham")
        with page.expect_navigation():
            page.press("#header-search", "Enter")
        assert "/search/?q=tottenham" in page.url
        assert page.locator(".csphub-results__item").count() > 0
        check_page(page, f"search-{width}")
        assert fits(page), f"search scrolls sideways at {width}"
        follow(page, "text=Areas (")
        check_page(page, f"search-areas-{width}")
        page.goto(f"{url}/search/?q=zzzznothing")
        check_page(page, f"search-nothing-{width}")
