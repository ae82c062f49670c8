"""Residents' reports in headless Chromium (Debian's, driven by Playwright;
set-up as in the root conftest).

The done-when flow with JavaScript off: a resident reports noise in a street
that already has an open noise report, joins it instead ("this is happening
to me too"), follows it by its private link, and sees the update when the
receiving partner acts; it is her third qualifying report, so her page offers
an ASB case review. Then, with scripts on, axe-core checks the form's pages
(including its error state), the follow page, the Community Trigger page and
the partner's page of the report.
"""

from datetime import timedelta

from django.utils import timezone

from conftest import ARTIFACTS, BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST

EMAIL = "resident@example.org"


def submit(page, button="Continue"):
    follow(page, page.get_by_role("button", name=button))


def setting_the_scene():
    from .factories import make_report, make_street

    street = make_street("Browser Road")
    neighbour = make_report(street, email="neighbour@example.org")
    for days, ward in ((90, "Highgate"), (40, "Harringay")):
        make_report(make_street(f"Old Road {days}", ward), email=EMAIL, days_ago=days)
    return neighbour.report


def test_resident_joins_a_report_follows_it_and_is_offered_a_case_review(
    new_page, live_server
):
    from csphub.reports import services

    existing = setting_the_scene()
    url = live_server.url
    page = new_page(java_script_enabled=False)
    page.goto(f"{url}/report/")
    page.get_by_label("Haringey Community Safety Partnership").check()
    submit(page, "Start now")
    page.get_by_label("Street name").fill("Browser Road")
    submit(page)
    page.get_by_label("Noise (nuisance ASB)").check()
    submit(page)
    assert page.locator("h1").inner_text() == "Is it one of these reports?"
    page.get_by_label("This is happening to me too: Noise, Browser Road").check()
    submit(page)
    page.get_by_label("No").check()
    submit(page)
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    page.get_by_label("When did it last happen?").fill(day)
    page.get_by_label("Every day or most days").check()
    submit(page)
    submit(page)  # neither alcohol nor hate
    page.get_by_label("Describe what is happening").fill("Music until 3am.")
    submit(page)
    page.get_by_label("Email address").fill(EMAIL)
    submit(page)
    assert "Adding you to" in page.content()
    submit(page, "Add me to this report")
    assert "/report/follow/" in page.url
    link = page.url
    assert existing.reference in page.content()
    assert "2 people, 2 reports" in page.content()
    assert "Ask for a case review" in page.content()  # her third report
    page.screenshot(path=str(ARTIFACTS / "reports-follow-nojs.png"), full_page=True)

    existing.refresh_from_db()
    services.update_status(
        existing,
        None,
        status="action_taken",
        public_note="Noise abatement notice served.",
    )
    page.goto(link)
    assert "Noise abatement notice served." in page.content()
    assert "Action taken" in page.content()
    follow(page, page.get_by_role("link", name="Ask for a case review"))
    assert page.get_by_label("Email address").input_value() == EMAIL


def test_pages_pass_axe(new_page, live_server):
    from csphub.reports.models import Report

    existing = setting_the_scene()
    url = live_server.url
    page = new_page()
    page.goto(f"{url}/report/")
    check_page(page, "reports-start")
    page.get_by_label("Haringey Community Safety Partnership").check()
    submit(page, "Start now")
    submit(page)  # nothing given: the error summary
    assert "There is a problem" in page.content()
    check_page(page, "reports-where-error")
    page.locator("#reports-where-map").click()  # the map fills in the point
    assert page.get_by_label("Latitude (a point on the map)").input_value()
    submit(page)
    check_page(page, "reports-what")
    page.go_back()
    page.get_by_label("Latitude (a point on the map)").fill("")
    page.get_by_label("Longitude (a point on the map)").fill("")
    page.get_by_label("Street name").fill("Browser Road")
    submit(page)
    page.get_by_label("Noise (nuisance ASB)").check()
    submit(page)
    check_page(page, "reports-nearby")
    page.goto(f"{url}/community-trigger/")
    check_page(page, "reports-trigger-figures")
    page.goto(f"{url}/report/follow/{existing.reporters.first().token}/")
    check_page(page, "reports-follow")
    staff = new_page()
    sign_in(staff, url, "analyst")
    staff.goto(f"{url}{existing.get_absolute_url()}")
    check_page(staff, "reports-staff-detail")
    staff.goto(f"{url}/reports/")
    check_page(staff, "reports-staff-list")
    assert Report.objects.count() > 0
