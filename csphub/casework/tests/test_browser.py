"""Casework in headless Chromium (Debian's, driven by Playwright; the set-up is
the root conftest's, as in csphub/structure/tests/test_browser.py).

As the demo zone chair (`member`, chair of the South Zonal Working group) every
casework page a member opens before a meeting passes axe-core for WCAG 2.0,
2.1 and 2.2 A and AA and has exactly one <h1>. Then, with JavaScript off, the
done-when flow: the chair opens the escalation awaiting the zone, accepts it,
tasks a ward group below the zone with the issue, and a member of that ward
group sees the tasking on the group's oversight page.
"""

from datetime import timedelta

from django.utils import timezone

from conftest import BROWSER_TEST, check_page, follow, shot, sign_in

pytestmark = BROWSER_TEST

SOUTH = "south-zonal-working-group"
TYPED_TITLE = "Broken street lights on the path to the station"


def demo_cases():
    """What the demo made that the test opens, found through the ORM."""
    from csphub.casework.models import Escalation, Issue, Project
    from csphub.casework.services import bodies_below
    from csphub.structure.models import Body, Seat

    south = Body.objects.get(slug=SOUTH)
    issue = (
        Issue.objects.filter(body=south, zone__name="South", restricted=False)
        .order_by("pk")
        .first()
    )
    project = Project.objects.filter(issue__zone__name="South").order_by("pk").first()
    escalation = Escalation.objects.get(
        to_body=south, state=Escalation.State.PENDING, issue__body__kind=Body.Kind.ABW
    )
    wards = [b for b in bodies_below(south) if b.kind == Body.Kind.ABW]
    # A ward group below the zone where a demo user holds a seat: the
    # escalating group first, since its members follow the issue up.
    seats = sorted(
        Seat.objects.filter(body__in=wards, person__user__isnull=False)
        .select_related("body", "person__user")
        .order_by("pk"),
        key=lambda s: s.body_id != escalation.from_body_id,
    )
    assert seats, "no demo user sits on a ward group below the South zone"
    return south, issue, project, escalation, seats[0].body, seats[0].person.user


def test_casework_pages_pass_axe_and_escalation_is_answered_without_js(
    new_page, live_server
):
    url = live_server.url
    south, issue, project, escalation, ward, ward_user = demo_cases()
    assert issue is not None and project is not None

    # 1. Every page the zone chair opens, with scripts on, through axe-core.
    page = new_page()
    sign_in(page, url, "member")
    for path, name in [
        ("/casework/", "casework-index"),
        (f"/casework/bodies/{SOUTH}/", "casework-oversight-south"),
        (issue.get_absolute_url(), "casework-issue"),
        ("/casework/issues/raise/", "casework-raise"),
        ("/casework/my-actions/", "casework-my-actions"),
        (project.get_absolute_url(), "casework-project"),
        (f"/casework/bodies/{SOUTH}/problem-solving/", "casework-status-list"),
    ]:
        page.goto(f"{url}{path}")
        assert page.url == f"{url}{path}", f"{path} went to {page.url}"
        check_page(page, name)

    # The raise form sent with only a title: the error summary, the title kept.
    page.goto(f"{url}/casework/issues/raise/")
    page.fill("#id_title", TYPED_TITLE)
    follow(page, "button:has-text('Raise the issue')")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert "Choose the body whose action log it goes on" in summary.inner_text()
    assert "Choose a theme" in summary.inner_text()
    assert page.input_value("#id_title") == TYPED_TITLE
    check_page(page, "casework-raise-errors")
    page.context.close()

    # 2. The done-when flow with JavaScript off.
    page = new_page(java_script_enabled=False)
    sign_in(page, url, "member")
    page.goto(f"{url}/casework/bodies/{SOUTH}/")
    awaiting = page.locator(
        "h2:has-text('Escalated to South Zonal Working group, awaiting an answer')"
    )
    assert awaiting.count() == 1
    link = page.locator(f"a[href='{escalation.get_absolute_url()}']")
    assert link.first.inner_text() == escalation.issue.title
    shot(page, "casework-nojs-oversight-south")
    follow(page, link.first)
    assert page.url == f"{url}{escalation.get_absolute_url()}"
    assert page.locator("h1").inner_text() == escalation.issue.title
    page.check("input[name=decision][value=accepted]")
    page.fill("#id_answer", "The zone takes it on and tasks the ward group below.")
    shot(page, "casework-nojs-escalation")
    follow(page, "button:has-text('Record the answer')")
    issue_url = f"{url}{escalation.issue.get_absolute_url()}"
    assert page.url == issue_url
    assert "Answer recorded" in page.content()
    assert f"Issue on the action log of {south.name}" in page.content()
    follow(page, "a.govuk-button:has-text('Task or commission')")
    assert page.url.endswith(f"/casework/issues/{escalation.issue_id}/task/")
    page.select_option("#id_to", label=ward.name)
    page.check("input[name=kind][value=task]")
    expects = "Clear the alleyways weekly and report what was found."
    page.fill("#id_expects", expects)
    due = timezone.localdate() + timedelta(days=21)
    page.fill("#id_due_day", str(due.day))
    page.fill("#id_due_month", str(due.month))
    page.fill("#id_due_year", str(due.year))
    follow(page, "button:has-text('Send the tasking')")
    assert page.url == issue_url, page.locator(".govuk-error-summary").all_inner_texts()
    assert f"Tasked to {ward.name}" in page.content()
    taskings = page.locator("table:has(caption:has-text('Taskings on this issue'))")
    assert ward.name in taskings.inner_text()
    shot(page, "casework-nojs-tasked")
    page.context.close()

    # 3. A member of the ward group sees the tasking, scripts still off.
    page = new_page(java_script_enabled=False)
    sign_in(page, url, ward_user.username)
    page.goto(f"{url}/casework/")
    follow(page, f"ul.govuk-list a:has-text('{ward.name}')")
    assert page.url == f"{url}/casework/bodies/{ward.slug}/"
    received = page.locator("table:has(caption:has-text('Taskings received'))")
    assert received.count() == 1, f"no taskings on {ward.name}'s oversight page"
    row = received.locator("tr", has_text=escalation.issue.title)
    assert row.count() == 1
    assert south.name in row.inner_text() and expects in row.inner_text()
    shot(page, "casework-nojs-ward-tasking")
    page.context.close()
