"""Each persona's main task in headless Chromium, on a laptop (1,366 px) and a
phone (390 px), with scripts on and off (issue 20's done-when test).

- the officer raises an issue from their ward group's page, adds an action
  and escalates the issue to the zone;
- the analyst goes from a briefing's hotspot to its incidents and back;
- the board member finds the off-track KPIs in the register and reads one
  KPI's chart;
- the administrator adds a member to a group.

Every page on the way must not scroll sideways, must not speak to developers,
must have one <h1> and, where scripts run, must pass axe-core. Screenshots go
to test-artifacts/persona-*.png.
"""

from datetime import date, timedelta

import pytest

from conftest import (
    BROWSER_TEST,
    assert_axe_passes,
    chromium_page,
    follow,
    shot,
    sign_in,
)
from csphub.web.tests.test_reflow import developer_terms, overflow

pytestmark = BROWSER_TEST

WIDTHS = {
    "laptop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}
WARD_GROUP = "Tottenham Green Area Based Working group"


def check(page, name, scripts):
    """The page fits, speaks plainly, has one h1 and (with scripts) passes axe."""
    shot(page, f"persona-{name}")
    assert overflow(page) is None, f"{name}: {overflow(page)}"
    assert developer_terms(page) == [], name
    if scripts:  # axe-core is a script
        assert_axe_passes(page, name)


def fill_date(page, field, when):
    page.fill(f"#id_{field}_day", str(when.day))
    page.fill(f"#id_{field}_month", str(when.month))
    page.fill(f"#id_{field}_year", str(when.year))


def officer_task(page, url, tag, scripts):
    from csphub.structure.models import Body

    group = Body.objects.get(name=WARD_GROUP)
    upper = group.reports_to
    page.goto(f"{url}/casework/bodies/{group.slug}/")
    check(page, f"officer-{tag}-1-group", scripts)
    follow(page, f"a:has-text('Raise an issue for {group.name}')")
    selected = page.locator("#id_body option:checked").inner_text()
    assert selected.startswith(group.name), selected
    title = f"Fly-tipping behind the parade ({tag})"
    page.fill("#id_title", title)
    page.select_option("#id_theme", index=1)
    check(page, f"officer-{tag}-2-raise", scripts)
    follow(page, "button:has-text('Raise the issue')")
    if page.locator("#id_not_duplicate").count():
        # The ward was filled in from the group: open issues there come first.
        check(page, f"officer-{tag}-2b-nearby", scripts)
        page.check("#id_not_duplicate")
        follow(page, "button:has-text('Raise the issue')")
    assert page.locator("h1").inner_text() == title
    follow(page, "a:has-text('Add an action')")
    page.fill("#id_title", "Clear the alley and post warning signs")
    page.select_option("#id_owner", index=1)
    fill_date(page, "due", date.today() + timedelta(days=14))
    check(page, f"officer-{tag}-3-action", scripts)
    follow(page, "button:has-text('Add the action')")
    assert "Clear the alley" in page.inner_text("main")
    follow(page, f"a:has-text('Escalate to {upper.label}')")
    page.fill("#id_tried", "Cleared twice; it came back within a week.")
    page.fill("#id_asked", "Enforcement from the council's street services.")
    fill_date(page, "needed_by", date.today() + timedelta(days=10))
    check(page, f"officer-{tag}-4-escalate", scripts)
    follow(page, f"button:has-text('Escalate to {upper.label}')")
    assert f"Escalated to {upper.name}" in page.inner_text("main")
    check(page, f"officer-{tag}-5-escalated", scripts)


def analyst_task(page, url, tag, scripts, briefing):
    page.goto(f"{url}{briefing.get_absolute_url()}")
    check(page, f"analyst-{tag}-1-briefing", scripts)
    hotspot = page.locator(
        "#hotspots ~ * table a[href*='/intelligence/incidents/']"
    ).first
    follow(page, hotspot)
    assert "/intelligence/incidents/" in page.url
    check(page, f"analyst-{tag}-2-incidents", scripts)
    follow(page, "a.govuk-back-link:has-text('Back to the briefing')")
    assert page.url.endswith(briefing.get_absolute_url())


def member_task(page, url, tag, scripts):
    page.goto(f"{url}/performance/")
    check(page, f"member-{tag}-1-register", scripts)
    follow(page, "a:has-text('Show only the KPIs off track')")
    check(page, f"member-{tag}-2-off-track", scripts)
    follow(page, "main table a[href^='/performance/indicators/']")
    assert page.locator(".csphub-chart svg, svg.csphub-chart").count() >= 1
    check(page, f"member-{tag}-3-kpi", scripts)


def admin_task(page, url, tag, scripts):
    from csphub.structure.models import Body

    group = Body.objects.get(name=WARD_GROUP)
    page.goto(f"{url}{group.get_absolute_url()}")
    check(page, f"admin-{tag}-1-group", scripts)
    follow(page, "a:has-text('Add a member')")
    name = f"Priya Shah ({tag})"
    page.fill("#id_person_name", name)
    page.select_option("#id_organisation", label="Homes for Haringey")
    fill_date(page, "started", date.today())
    check(page, f"admin-{tag}-2-add", scripts)
    follow(page, "button:has-text('Add member')")
    assert f"{name} is now a member of {group.name}" in page.inner_text("main")
    check(page, f"admin-{tag}-3-added", scripts)


@pytest.fixture
def south_briefing(reload_demo, police_uk):
    """A South zone briefing for June 2018 built from the police.uk files (the
    real ones or the synthetic ones, whose hotspots are in the South zone)."""
    from csphub.accounts.models import Partnership
    from csphub.intelligence.services import build_briefing, import_file
    from csphub.places.models import Zone

    haringey = Partnership.objects.get(slug="haringey")
    for month in ("2018-04", "2018-05", "2018-06"):
        import_file(haringey, police_uk / f"{month}-metropolitan-street.csv")
    south = Zone.objects.get(partnership=haringey, slug="south")
    return build_briefing(haringey, south, date(2018, 6, 1), permutations=99)


def test_each_persona_does_their_main_task_on_laptop_and_phone(
    live_server, south_briefing
):
    url = live_server.url
    for width, viewport in WIDTHS.items():
        for scripts in (True, False):
            tag = f"{width}-{'js' if scripts else 'nojs'}"
            for persona in ("officer", "analyst", "member", "admin"):
                with chromium_page(
                    viewport=viewport, java_script_enabled=scripts
                ) as page:
                    sign_in(page, url, persona)
                    if persona == "officer":
                        officer_task(page, url, tag, scripts)
                    elif persona == "analyst":
                        analyst_task(page, url, tag, scripts, south_briefing)
                    elif persona == "member":
                        member_task(page, url, tag, scripts)
                    else:
                        admin_task(page, url, tag, scripts)
