"""Issue 19 items 5, 6 and 8 in headless Chromium: the response-times page,
a linked problem's page and the zone's oversight row, and the zone and ward
pages with their named contact, each at 1366 and 390 px wide, passing
axe-core (scripts on), then the same pages with JavaScript off."""

from conftest import BROWSER_TEST, check_page, shot, sign_in

from ..models import LinkedProblem

pytestmark = BROWSER_TEST

SOUTH = "south-zonal-working-group"


def pages():
    problem = LinkedProblem.objects.get(title="Street drinking across the South zone")
    return [
        ("response-times", f"/casework/bodies/{SOUTH}/response-times/",
         "median days to a first action"),
        ("oversight-linked", f"/casework/bodies/{SOUTH}/",
         "Street drinking across the South zone"),
        ("linked-problem", problem.get_absolute_url(), "Linked issues"),
        ("zone-contact", "/zones/south/", "South zone Neighbourhood Manager"),
        ("ward-contact", "/areas/E05000280/",
         "Tottenham Green Safer Neighbourhood Team sergeant"),
    ]  # fmt: skip


def test_loop_pages_at_two_widths_with_and_without_scripts(
    new_page,
    live_server,
):
    url = live_server.url
    for width in (1366, 390):
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, url, "analyst")
        for name, path, text in pages():
            page.goto(f"{url}{path}")
            assert text in page.content(), name
            check_page(page, f"loop-{name}-{width}")
        page.context.close()
    page = new_page(java_script_enabled=False)
    sign_in(page, url, "member")
    for name, path, text in pages():
        page.goto(f"{url}{path}")
        assert text in page.content(), name
        shot(page, f"loop-nojs-{name}")
    page.goto(f"{url}/casework/bodies/{SOUTH}/response-times/?months=3")
    assert page.locator("#id_months").input_value() == "3"
    page.context.close()
