"""The Community Trigger: counting, the offer, a case review's steps and the
published figures."""

from datetime import date, timedelta

import pytest

from csphub.reports import trigger
from csphub.reports.models import CaseReview

from .factories import haringey, make_report, make_street

pytestmark = pytest.mark.django_db


def test_third_qualifying_report_offers_a_case_review(client):
    street = make_street()
    first = make_report(street, email="v@example.org", days_ago=100)
    second = make_report(
        make_street("Else Road", "Highgate"), email="v@example.org", days_ago=50
    )
    assert not trigger.status_for(second).met
    page = client.get(second.get_absolute_url()).content.decode()
    assert "ask for an ASB case review" not in page.lower()
    third = make_report(make_street("Third Road", "Harringay"), email="V@example.org")
    status = trigger.status_for(third)
    assert status.by_victim == 3 and status.met
    page = client.get(third.get_absolute_url()).content.decode()
    assert "Ask for a case review" in page
    assert first.victim_key == third.victim_key


def test_reports_made_long_after_the_incident_or_too_long_ago_do_not_count():
    street = make_street()
    make_report(street, email="v@example.org", days_ago=200)  # outside 6 months
    late = make_report(street, email="v@example.org")
    late.incident_date = date.today() - timedelta(days=60)  # reported 2 months on
    late.save()
    third = make_report(street, email="v@example.org")
    assert trigger.status_for(third).by_victim == 1


def test_three_people_about_one_place_meet_the_threshold():
    street = make_street()
    for n in range(2):
        make_report(street, email=f"n{n}@example.org", days_ago=20 * n)
    third = make_report(street, email="n9@example.org")
    status = trigger.status_for(third)
    assert status.by_victim == 1 and status.by_location >= 3 and status.met


def test_apply_from_the_report_and_follow_the_review(client):
    reporter = make_report(name="Ada", email="ada@example.org")
    url = f"/community-trigger/apply/?report={reporter.token}"
    form = client.get(url).content.decode()
    assert "ada@example.org" in form
    missing = client.post(
        url, {"partnership": "haringey", "name": "Ada", "account": "x"}
    )
    assert "Give an email address or phone number" in missing.content.decode()
    response = client.post(
        url,
        {
            "partnership": "haringey",
            "name": "Ada",
            "email": "ada@example.org",
            "account": "Three reports, nothing done.",
            "report": reporter.token,
        },
    )
    review = CaseReview.objects.latest("pk")
    assert response["Location"] == f"/community-trigger/applications/{review.token}/"
    assert review.report == reporter.report
    assert review.acknowledge_by > review.applied_on
    assert "Application received" in client.get(response["Location"]).content.decode()


def test_the_statutory_steps_in_order_with_working_day_deadlines():
    review = trigger.apply(haringey(), name="A", email="a@example.org", account="x")
    with pytest.raises(Exception, match="not ready"):
        trigger.hold_meeting(review, recommendations="r")
    trigger.acknowledge(review, today=date(2026, 12, 21))
    trigger.decide(review, met=True, reason="Three reports", today=date(2026, 12, 22))
    # 20 working days after 22 Dec 2026, skipping Christmas and New Year
    assert review.meeting_by == date(2027, 1, 22)
    trigger.hold_meeting(review, recommendations="Mediation", on=date(2027, 1, 20))
    trigger.send_outcome(review)
    trigger.ask_pcc(review)
    assert review.pcc_review_requested_on
    with pytest.raises(Exception, match="already"):
        trigger.ask_pcc(review)


@pytest.mark.parametrize(
    "persona,status",
    [
        ("handler", 200),
        ("admin", 200),
        ("officer", 403),
        ("analyst", 403),
        ("anonymous", 302),
    ],
)
def test_case_review_pages_for_handlers_and_admins(persona, status, client_for):
    review = CaseReview.objects.filter(partnership=haringey()).first()
    response = client_for(persona).get(review.get_absolute_url())
    assert response.status_code == status


def test_handler_runs_the_steps_and_partners_submit(client_for):
    review = trigger.apply(haringey(), name="A", email="a@example.org", account="x")
    handler = client_for("handler")
    base = f"/reports/case-reviews/{review.reference}"
    handler.post(f"{base}/acknowledge/")
    handler.post(f"{base}/decide/", {"met": "no", "reason": ""})
    review.refresh_from_db()
    assert review.step == "acknowledged"  # no reason, no decision
    handler.post(f"{base}/decide/", {"met": "yes", "reason": "Three reports"})
    client_for("member").post(f"{base}/submit/", {"text": "Police attended twice."})
    handler.post(
        f"{base}/meeting/", {"meeting_on": "2026-12-10", "recommendations": "Mediate"}
    )
    handler.post(f"{base}/outcome/")
    review.refresh_from_db()
    assert review.step == "outcome" and review.submissions.count() == 1
    page = handler.get(review.get_absolute_url()).content.decode()
    assert "Police attended twice." in page


def test_published_figures_page_and_csv(client):
    partnership = haringey()
    before = {r["year"]: r for r in trigger.yearly_figures(partnership)}
    held = trigger.apply(partnership, name="A", email="a@example.org", account="x")
    trigger.acknowledge(held)
    trigger.decide(held, met=True, reason="met")
    trigger.hold_meeting(held, recommendations="Mediation")
    refused = trigger.apply(partnership, name="B", email="b@example.org", account="x")
    trigger.acknowledge(refused)
    trigger.decide(refused, met=False, reason="Two reports only")
    year = trigger.yearly_figures(partnership)[0]
    old = before.get(
        year["year"], {"applications": 0, "not_met": 0, "held": 0, "recommendations": 0}
    )
    assert year["applications"] == old["applications"] + 2
    assert year["not_met"] == old["not_met"] + 1
    assert year["held"] == old["held"] + 1
    assert year["recommendations"] == old["recommendations"] + 1
    page = client.get("/community-trigger/").content.decode()
    assert year["year"] in page and "Ask for a case review" in page
    csv = client.get("/community-trigger/figures.csv").content.decode()
    assert f"haringey,{year['year']},{year['applications']},{year['not_met']}" in csv


def test_demo_figures_show_the_review_in_progress(client):
    years = trigger.yearly_figures(haringey())
    assert years[0]["applications"] >= 1 and years[0]["held"] == 0
