"""Meetings in headless Chromium (Debian's, driven by Playwright; the set-up is
the root conftest's).

axe-core finds no WCAG 2.2 AA violation on the meetings pages, signed in and
public. Then, with JavaScript off, the done-when flow on the demo: the
Executive member plans the next board from the automatic proposals and the
rehearsal; the public pack comes out as a PDF without the exempt item; the
chair records a decision with an action, a communication and report-backs; a
partner reports back through the site; the next agenda lists what is overdue.
"""

import subprocess
from datetime import timedelta

from django.utils import timezone

from conftest import ARTIFACTS, BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST

BOARD = "Haringey Community Safety Partnership Board"
EXEMPT = "Serious organised crime"


def demo_meetings():
    from csphub.meetings.models import Meeting, ReportBack

    today = timezone.localdate()
    board = Meeting.objects.filter(body__name=BOARD)
    upcoming = board.filter(date__gte=today).order_by("date").first()
    held = board.filter(date__lt=today).order_by("-date").first()
    decision_item = held.items.filter(kind="decision").first()
    decision = decision_item.decisions.first()
    report_back = ReportBack.objects.filter(decision=decision).first()
    return upcoming, held, decision_item, decision, report_back


def fill_date(page, name, day):
    """Fill a GOV.UK date input (day, month and year boxes)."""
    page.fill(f"#id_{name}_day", str(day.day))
    page.fill(f"#id_{name}_month", str(day.month))
    page.fill(f"#id_{name}_year", str(day.year))


def test_meetings_pages_pass_axe(new_page, live_server):
    upcoming, held, item, decision, report_back = demo_meetings()
    url = live_server.url
    page = new_page()
    for name, path in [
        ("public-index", "/meetings/"),
        ("public-meeting", held.get_absolute_url()),
        ("public-pack", f"/meetings/{held.pk}/pack/public/"),
    ]:
        page.goto(url + path)
        check_page(page, f"meetings-{name}")
    sign_in(page, url, "admin")
    proposal = upcoming.proposals.first()
    for name, path in [
        ("index", "/meetings/"),
        ("meeting", upcoming.get_absolute_url()),
        ("planning", f"/meetings/{upcoming.pk}/planning/"),
        ("proposal", proposal.get_absolute_url()),
        ("item", item.get_absolute_url()),
        ("decision", decision.get_absolute_url()),
        ("report-back", report_back.get_absolute_url()),
        ("attendance", f"/meetings/{held.pk}/attendance/"),
        ("full-pack", f"/meetings/{upcoming.pk}/pack/full/"),
        ("body", f"/meetings/bodies/{upcoming.body.slug}/"),
        ("operations", "/meetings/operations/"),
        ("mine", "/meetings/mine/"),
        ("add", "/meetings/add/"),
    ]:
        page.goto(url + path)
        check_page(page, f"meetings-{name}")
    page.goto(url + "/meetings/add/")
    follow(page, "main button[type=submit]")  # empty: the error summary
    check_page(page, "meetings-add-errors")


def pdf_text(pdf):
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True
    )
    return done.stdout.decode()


def test_plan_pack_decide_report_back_without_javascript(new_page, live_server):
    upcoming, held, item, _, _ = demo_meetings()
    url = live_server.url
    yesterday = timezone.localdate() - timedelta(days=1)

    # The Executive member plans the next board from the proposals.
    planner = new_page(java_script_enabled=False)
    sign_in(planner, url, "member")
    planner.goto(f"{url}/meetings/{upcoming.pk}/planning/")
    assert planner.get_by_text("Time on decisions").count() == 1
    waiting = planner.locator("table").nth(0).locator("a").first
    title = waiting.inner_text()
    follow(planner, waiting)
    planner.check("input[value=agenda]")
    planner.select_option("#id_kind", "decision")
    planner.fill("#id_minutes", "20")
    follow(planner, "button:has-text('Save the decision')")
    assert planner.locator("table").nth(1).get_by_text(title).count() >= 1
    planner.screenshot(path=str(ARTIFACTS / "meetings-flow-planned.png"))

    # The public pack leaves out the exempt item; the full pack holds it.
    public = planner.request.get(f"{url}/meetings/{held.pk}/pack/public/pdf/")
    assert public.headers["content-type"] == "application/pdf"
    text = pdf_text(public.body())
    assert item.title in text and EXEMPT not in text and "OFFICIAL" in text
    full = planner.request.get(f"{url}/meetings/{held.pk}/pack/full/pdf/")
    assert EXEMPT in pdf_text(full.body())

    # The chair records a decision with an action, a communication and
    # report-backs (the police's still due, probation's overdue already).
    chair = new_page(java_script_enabled=False)
    sign_in(chair, url, "admin")
    chair.goto(url + item.get_absolute_url())
    follow(chair, "text=Record a decision")
    chair.fill("#id_text", "Agreed: pilot a joint night-time economy team.")
    chair.fill("#id_proposed_by", "Borough Commander")
    follow(chair, "main button[type=submit]")
    decision_url = chair.url
    follow(chair, "text=Add an action")
    chair.fill("#id_title", "Recruit the team")
    chair.select_option("#id_owner", index=1)
    chair.select_option("#id_organisation", label="Metropolitan Police Service")
    fill_date(chair, "due", yesterday + timedelta(days=60))
    follow(chair, "main button[type=submit]")
    follow(chair, "text=Decide a communication")
    chair.fill("#id_message", "A new team for Wood Green at night")
    chair.fill("#id_audience", "Residents and businesses")
    chair.fill("#id_channels", "Press release")
    chair.fill("#id_sender", "Council communications")
    fill_date(chair, "by", yesterday + timedelta(days=8))
    follow(chair, "main button[type=submit]")
    for org, due in [
        ("Metropolitan Police Service", yesterday + timedelta(days=30)),
        ("London Probation", yesterday),
    ]:
        chair.goto(decision_url)
        follow(chair, "text=Ask a partner to report back")
        chair.select_option("#id_organisation", label=org)
        fill_date(chair, "due", due)
        follow(chair, "main button[type=submit]")
    assert chair.get_by_text("Recruit the team").count() == 1
    assert chair.get_by_text("A new team for Wood Green at night").count() >= 1
    chair.screenshot(path=str(ARTIFACTS / "meetings-flow-decision.png"), full_page=True)

    # The police member reports back through the site.
    planner.goto(f"{url}/meetings/mine/")
    follow(planner, planner.get_by_text("Agreed: pilot a joint night-time").first)
    planner.fill("#id_governance_body", "Haringey BCU senior leadership team")
    planner.fill("#id_account", "Agreed two officers for the team from June.")
    follow(planner, "main button[type=submit]")
    assert planner.get_by_text("Agreed two officers").count() == 1

    # The next agenda lists what is overdue.
    planner.goto(f"{url}/meetings/{upcoming.pk}/planning/")
    follow(planner, "button:has-text('Gather proposals again')")
    assert planner.get_by_text("Overdue report-back: London Probation").count() >= 1
    planner.screenshot(path=str(ARTIFACTS / "meetings-flow-overdue.png"))
