"""The IOM officer's flow in headless Chromium without JavaScript-only
steps, every page checked with axe-core for WCAG 2.2 AA; and the board
member's view of the re-offending KPI."""

from conftest import BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST
KPI = "reduce-re-offending-by-iom-cohort-by-40-over-4-years"


def test_iom_officer_runs_the_cohort(browser_page, live_server):
    page, url = browser_page, live_server.url
    sign_in(page, url, "iom")
    follow(page, "text=IOM cohort")
    check_page(page, "offenders-reason")
    page.fill("#id_reason", "Monthly IOM panel preparation")
    follow(page, "button:has-text('Continue')")
    assert "Synthetic data" in page.content()
    check_page(page, "offenders-cohort")
    follow(page, "table >> a >> nth=0")
    assert "Needs by pathway" in page.content()
    check_page(page, "offenders-nominal")
    follow(page, "text=Assess needs")
    follow(page, "button:has-text('Save')")
    assert "There is a problem" in page.content()
    check_page(page, "offenders-needs-errors")
    for name in ("measures", "pathways", "import", "budgets"):
        page.goto(f"{url}/offenders/{name}/")
        check_page(page, f"offenders-{name}")
    follow(page, "text=Personal budgets pilot (synthetic)")
    assert "Budget holders" in page.content()
    check_page(page, "offenders-pilot")


def test_board_member_sees_the_kpi_and_not_the_cohort(browser_page, live_server):
    page, url = browser_page, live_server.url
    sign_in(page, url, "member")
    # The IOM KPIs are public and named on the home page; the cohort is not
    # offered: no link into the offenders app, no "IOM cohort" navigation.
    assert page.locator("a[href^='/offenders/']").count() == 0
    assert page.locator("nav a:text-is('IOM cohort')").count() == 0
    page.goto(f"{url}/performance/indicators/{KPI}/")
    assert page.locator("svg.csphub-spc").count() >= 1
    check_page(page, "offenders-kpi-board-member")
    response = page.goto(f"{url}/offenders/")
    assert response.status == 403
