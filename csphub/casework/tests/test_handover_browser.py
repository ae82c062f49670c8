"""The done-when of issue 19 item 4, in headless Chromium with JavaScript off:
the administrator closes a ward group in the demo and its open issues go to
the group picked, with the move on each issue's history."""

from conftest import BROWSER_TEST, check_page, follow, shot, sign_in
from csphub.structure.models import Body

from ..models import Issue, IssueEvent
from .factories import BRUCE_GROVE, TOTTENHAM_GREEN

pytestmark = BROWSER_TEST


def test_closing_a_ward_group_hands_its_issues_to_the_group_picked(
    new_page,
    live_server,
):
    url = live_server.url
    ward = Body.objects.get(name=TOTTENHAM_GREEN)
    to = Body.objects.get(name=BRUCE_GROVE, partnership=ward.partnership)
    open_ids = set(Issue.objects.filter(body=ward).open().values_list("pk", flat=True))
    assert open_ids, "the demo ward group holds open issues"
    for width in (1366, 390):  # axe needs scripts: checked before the flow
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, url, "admin")
        page.goto(f"{url}/structure/bodies/{ward.slug}/change/")
        check_page(page, f"structure-handover-form-{width}")
        page.context.close()
    page = new_page(java_script_enabled=False)
    sign_in(page, url, "admin")
    page.goto(f"{url}/structure/bodies/{ward.slug}/change/")
    assert page.locator("label:has-text('Hand its open work to')").count() == 1
    page.check("input[name=kind][value=discontinued]")
    page.fill("#id_on_day", "1")
    page.fill("#id_on_month", "4")
    page.fill("#id_on_year", "2026")
    page.fill("#id_reason", "Merged with Bruce Grove's group")
    page.select_option("#id_hand_all_to", label=to.name)
    follow(page, "button:has-text('Save')")
    assert page.url == f"{url}{ward.get_absolute_url()}", page.locator(
        ".govuk-error-summary"
    ).all_inner_texts()
    assert "open items handed over or closed" in page.content()
    shot(page, "structure-handover-done")
    assert (
        set(Issue.objects.filter(pk__in=open_ids, body=to).values_list("pk", flat=True))
        == open_ids
    )
    assert IssueEvent.objects.filter(
        issue_id__in=open_ids, kind=IssueEvent.Kind.OWNER
    ).count() == len(open_ids)
    issue = Issue.objects.filter(pk__in=open_ids).first()
    page.goto(f"{url}{issue.get_absolute_url()}")
    assert f"Handed over from {ward.name} to {to.name}" in page.content()
    page.context.close()
