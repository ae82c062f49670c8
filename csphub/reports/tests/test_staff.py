"""Partners' pages: who sees a resident's identity (audited), who works a
report, routing, re-routing, merging, raising at a ward group."""

import pytest
from django.core import mail

from csphub.accounts.models import AuditEntry, Organisation
from csphub.casework.models import Issue
from csphub.reports import services
from csphub.reports.models import Report, Reporter

from .factories import haringey, make_report, make_street

pytestmark = pytest.mark.django_db

# noise in Noel Park goes to the council's community safety team, where the
# demo's admin and analyst work; the officer, member and handler work elsewhere.
RECEIVES = {"admin", "analyst"}
WORKS = {"admin", "analyst"}


def test_every_persona_on_a_reports_page(persona, client_for):
    reporter = make_report(name="Ada Lovelace", phone="020 7946 0000")
    url = reporter.report.get_absolute_url()
    response = client_for(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona == "outsider":
        assert response.status_code == 404  # another partnership's report
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert ("Ada Lovelace" in page) == (persona in RECEIVES)
    assert ("Save the update" in page) == (persona in WORKS)
    viewed = AuditEntry.objects.filter(
        action="view", record_type="reports.Reporter", record_id=str(reporter.pk)
    )
    assert viewed.exists() == (persona in RECEIVES)


def test_an_anonymous_resident_is_shown_to_no_one(client_for):
    make_report(name="Grace Hopper", anonymous=True)
    report = Report.objects.latest("pk")
    page = client_for("admin").get(report.get_absolute_url()).content.decode()
    assert "Grace Hopper" not in page
    assert "asked not to share" in page


@pytest.mark.parametrize("persona", ["officer", "member", "handler", "iom"])
def test_only_the_receiving_partner_changes_a_report(persona, client_for):
    report = make_report().report
    url = f"/reports/{report.reference}/status/"
    response = client_for(persona).post(url, {"status": "in_hand"})
    assert response.status_code == 403


def test_status_update_with_public_and_internal_notes(client_for):
    reporter = make_report(email="ada@example.org")
    report = reporter.report
    client = client_for("analyst")
    client.post(
        f"/reports/{report.reference}/status/",
        {
            "status": "in_hand",
            "public_note": "Visited.",
            "internal_note": "Known address.",
        },
    )
    report.refresh_from_db()
    assert report.status == "in_hand" and report.first_response_at
    assert mail.outbox[-1].to == ["ada@example.org"]
    resident = client_for("anonymous").get(reporter.get_absolute_url()).content.decode()
    assert "Visited." in resident and "Known address." not in resident


def test_closing_needs_an_outcome(client_for):
    report = make_report().report
    client = client_for("admin")
    page = client.post(
        f"/reports/{report.reference}/status/", {"status": "closed"}, follow=True
    ).content.decode()
    assert "Say what the outcome was" in page
    client.post(
        f"/reports/{report.reference}/status/",
        {"status": "closed", "outcome": "Noise abatement notice served"},
    )
    report.refresh_from_db()
    assert report.status == "closed" and report.closed_at


def test_reroute_tells_the_resident_who_has_it(client_for):
    reporter = make_report(email="ada@example.org")
    police = Organisation.objects.get(name="Metropolitan Police Service")
    client_for("admin").post(
        f"/reports/{reporter.report.reference}/reroute/",
        {"organisation": police.pk, "reason": "Drug dealing behind the noise."},
    )
    reporter.report.refresh_from_db()
    assert reporter.report.organisation == police
    assert "Metropolitan Police Service" in mail.outbox[-1].subject
    page = client_for("anonymous").get(reporter.get_absolute_url()).content.decode()
    assert "Metropolitan Police Service" in page
    assert "Drug dealing behind" not in page  # the reason is for partners
    # now the police (the member) receive it and see who reported it
    staff = client_for("member").get(reporter.report.get_absolute_url())
    assert "ada@example.org" in staff.content.decode()


def test_routing_rules_by_category_and_estate():
    partnership = haringey()
    fire = make_report(make_street(), category="secondary-fire").report
    assert fire.organisation.name == "London Fire Brigade"
    estate = make_report(make_street("Estate Walk", "Northumberland Park")).report
    assert estate.organisation.name == "Homes for Haringey"
    drugs = make_report(
        make_street("Estate Walk", "Northumberland Park"), "drug-dealing"
    )
    assert drugs.report.organisation.name == "Metropolitan Police Service"
    assert partnership.routing_rules.count() > 5


def test_merge_moves_the_residents_and_their_updates(client_for):
    street = make_street()
    first = make_report(street, email="a@example.org")
    second = make_report(
        make_street("Other Road", offset=0.0004), email="b@example.org"
    )
    assert second.report.possible_duplicate_of == first.report
    client_for("admin").post(
        f"/reports/{second.report.reference}/merge/",
        {"into": first.report.reference.lower()},
    )
    second.report.refresh_from_db()
    first.report.refresh_from_db()
    assert second.report.status == "merged"
    assert first.report.people_count == 2
    assert Reporter.objects.get(pk=second.pk).report == first.report
    services.update_status(first.report, None, status="in_hand", public_note="On it.")
    assert {m.to[0] for m in mail.outbox[-2:]} == {"a@example.org", "b@example.org"}


def test_raise_as_a_casework_issue_in_one_click(client_for):
    report = make_report().report
    bodies = services.ward_groups(report)
    client_for("admin").post(
        f"/reports/{report.reference}/raise/", {"body": bodies[0].pk}
    )
    report.refresh_from_db()
    issue = Issue.objects.get(pk=report.issue_id)
    assert issue.origin == Issue.Origin.RESIDENT and issue.ward == report.ward
    other = make_report(make_street("Far Road", "Highgate")).report
    response = client_for("admin").post(
        f"/reports/{other.reference}/raise/", {"issue": "abc"}, follow=True
    )
    assert "issue" in response.content.decode()
    client_for("admin").post(f"/reports/{other.reference}/raise/", {"issue": issue.pk})
    other.refresh_from_db()
    assert other.issue_id == issue.pk


def test_officer_enters_a_phone_report(client_for):
    make_street("Testing Road")
    response = client_for("officer").post(
        "/reports/enter/",
        {
            "channel": "phone",
            "category": "fly-tipping",
            "street": "Testing Road",
            "incident_date": "2026-11-28",
            "description": "Sofa dumped.",
            "name": "Caller",
        },
    )
    assert response.status_code == 302
    reporter = Reporter.objects.latest("pk")
    assert reporter.channel == "phone" and reporter.entered_by.username == "officer"
    bad = client_for("officer").post("/reports/enter/", {"street": "Nowhere"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_overdue_reports_are_flagged_and_counted_per_partner(client_for):
    old = make_report(days_ago=40).report
    Report.objects.filter(pk=old.pk).update(first_response_due="2026-10-01")
    page = client_for("analyst").get("/reports/?show=overdue").content.decode()
    assert old.reference in page and "Overdue" in page
    csv = client_for("analyst").get("/reports/?show=overdue&format=csv")
    assert old.reference in csv.content.decode()
    assert "Ada" not in csv.content.decode()


def test_resident_reopens_within_28_days_and_answers_satisfaction(client_for):
    reporter = make_report()
    services.update_status(reporter.report, None, status="closed", outcome="Warned")
    client = client_for("anonymous")
    page = client.get(reporter.get_absolute_url()).content.decode()
    assert "It is not fixed" in page and "How did we do" in page
    client.post(f"{reporter.get_absolute_url()}satisfaction/", {"satisfied": "no"})
    client.post(f"{reporter.get_absolute_url()}reopen/", {"note": "Still loud."})
    reporter.refresh_from_db()
    assert reporter.satisfied is False
    assert reporter.report.status == "assessing"


def test_unknown_follow_link_is_404(client):
    assert client.get("/report/follow/not-a-token/").status_code == 404


def test_a_reports_history_gives_status_changes_in_words(client_for):
    from csphub.reports.models import ReportEvent

    event = ReportEvent.objects.filter(status="in_hand").select_related("report")
    report = event.first().report
    html = client_for("analyst").get(f"/reports/{report.reference}/").content.decode()
    assert "(in hand)" in html and "in_hand" not in html
