"""The done-when flow in headless Chromium without JavaScript help: a
priority owner gives a red update with a blocker, sees the delivery report
change, and escalates the blocker to casework; the plan's pages and Barnet's
spend and leads pass axe (WCAG 2.2 AA)."""

from conftest import BROWSER_TEST, check_page, follow, sign_in

pytestmark = BROWSER_TEST


def test_owner_updates_sees_report_change_and_escalates(browser_page, live_server):
    page, url = browser_page, live_server.url
    sign_in(page, url, "member")
    page.goto(f"{url}/delivery/")
    check_page(page, "delivery-index")
    follow(page, "text=Public confidence")
    check_page(page, "delivery-priority")
    follow(page, "text=Noel Park project: working with residents on community safety")
    check_page(page, "delivery-activity")
    follow(page, "text=Give the quarterly update")
    page.check("input[name=rag][value=red]")
    page.fill("#id_progress", "Two of four street meetings held.")
    page.fill("#id_next_quarter", "Hold the other two.")
    page.fill("#id_blockers", "No venue in Noel Park for evening meetings.")
    follow(page, "button:has-text('Save')")
    assert "a reason is required" in page.content()
    check_page(page, "delivery-update-error")
    page.fill("#id_reason", "Meetings cancelled for want of a venue.")
    follow(page, "button:has-text('Save')")
    assert "recorded" in page.content()
    follow(page, "button:has-text('Escalate the blocker')")
    assert "Blocked: Noel Park project" in page.content()
    page.goto(f"{url}/delivery/")
    follow(page, "text=Delivery report")
    assert "Meetings cancelled for want of a venue." in page.content()
    check_page(page, "delivery-report")
    page.goto(f"{url}/delivery/")
    follow(page, "text=Timeline")
    check_page(page, "delivery-timeline")


def test_barnet_spend_and_registers_pass_axe(browser_page, live_server):
    page, url = browser_page, live_server.url
    sign_in(page, url, "outsider")
    page.goto(f"{url}/delivery/spend/")
    assert "£3,544,748" in page.content()
    check_page(page, "delivery-spend")
    page.goto(f"{url}/delivery/leads/")
    check_page(page, "delivery-leads")
    page.goto(f"{url}/delivery/")
    follow(page, "text=Risks")
    check_page(page, "delivery-risks")
    page.goto(f"{url}/delivery/")
    follow(page, "text=Gaps and opportunities")
    check_page(page, "delivery-gaps")
