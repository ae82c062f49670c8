"""The review, the highlight report and the public scorecard in headless
Chromium, checked with axe-core for WCAG 2.2 AA (as csphub/web/tests)."""

from conftest import BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST


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
    follow(page, "text=Save the rating")
    assert "There is a problem" in page.content()
    check_page(page, "performance-rate-errors")
    page.goto(f"{url}/performance/")
    check_page(page, "performance-register")
    page.goto(f"{url}/performance/indicators/reduce-burglary/")
    check_page(page, "performance-indicator")
