"""Every structure page with arguments, for every persona; restricted bodies."""

import pytest
from django.urls import reverse

from csphub.accounts.models import AuditEntry
from csphub.lib.tests.pages import assert_answers, one_h1
from csphub.structure import services
from csphub.structure.models import Body, BodyChange, Seat

from .factories import haringey

pytestmark = pytest.mark.django_db
SIGNED_IN = {"officer", "member", "analyst", "handler", "iom", "admin"}
IOM_PANEL = "integrated-offender-management-panel"


@pytest.mark.parametrize(
    "name,args,allowed",
    [
        ("structure:body-detail", ["csp-executive"], SIGNED_IN),
        ("structure:body-detail", [IOM_PANEL], {"member", "iom", "admin"}),
        ("structure:body-edit", ["csp-executive"], {"admin"}),
        ("structure:terms-edit", ["csp-executive"], {"admin"}),
        ("structure:seat-add", ["csp-executive"], {"admin"}),
        ("structure:body-change", ["csp-executive"], {"admin"}),
        (
            "structure:body-change",
            ["tottenham-green-area-based-working-group"],
            {"admin"},
        ),
    ],
)
def test_body_pages_answer_each_persona(name, args, allowed, persona, client_for):
    response = client_for(persona).get(reverse(name, args=args))
    if persona in allowed:
        assert response.status_code == 200
        assert one_h1(response)
    elif persona == "anonymous":
        assert response.status_code == 302
    elif persona == "outsider":
        assert response.status_code in (403, 404)  # Barnet cannot see Haringey
    elif name == "structure:body-detail":
        assert response.status_code == 404  # a restricted body is not revealed
    else:
        assert response.status_code == 403


def test_review_detail_answers_each_persona(persona, client_for, user_for):
    saved = services.record_review(haringey(), user_for("admin"))
    response = client_for(persona).get(
        reverse("structure:review-detail", args=[saved.pk])
    )
    assert_answers(response, persona, SIGNED_IN, refused={404})


def test_outsider_sees_only_barnet(client_for):
    html = client_for("outsider").get(reverse("structure:map")).content.decode()
    assert "Fortnightly Intelligence Meeting" in html
    assert "CSP Executive" not in html
    review = client_for("outsider").get(reverse("structure:review")).content.decode()
    assert "Burglary" in review and "Head of Community Safety" not in review


def test_restricted_body_hidden_from_officer_and_audited_for_member(client_for):
    officer = client_for("officer")
    for name in ["structure:map", "structure:body-list", "structure:export-popolo"]:
        assert (
            "Integrated Offender Management Panel"
            not in officer.get(reverse(name)).content.decode()
        )
    before = AuditEntry.objects.filter(action="view").count()
    member = client_for("member")
    assert (
        member.get(reverse("structure:body-detail", args=[IOM_PANEL])).status_code
        == 200
    )
    assert (
        "Integrated Offender Management Panel"
        in member.get(reverse("structure:map")).content.decode()
    )
    entries = AuditEntry.objects.filter(
        action="view", record_label__contains="Offender"
    )
    assert entries.count() >= before + 2
    assert entries.first().actor.username == "member"


def test_map_draws_barnet_with_statuses_and_gaps(client_for):
    html = client_for("outsider").get(reverse("structure:map")).content.decode()
    assert "<svg" in html and "Start pending" in html and "Called when needed" in html
    assert "No strategic group of its own" in html
    assert "4 of the priorities have no strategic group of their own" in html


def test_map_filters_and_csv(client_for):
    client = client_for("officer")
    south = client.get(
        reverse("structure:map"), {"zone": haringey().zones.get(name="South").pk}
    )
    html = south.content.decode()
    assert "Bruce Grove Area Based Working group" in html
    assert "Alexandra Area Based Working group" not in html
    bad = client.get(reverse("structure:map"), {"zone": "not-a-zone"})
    assert bad.status_code == 200
    csv = client.get(reverse("structure:body-list"), {"format": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode().startswith("slug,name,kind")


# A valid new body and valid terms of reference, for the tests to change.
NEW_BODY = {
    "name": "Knife crime task group",
    "kind": "task_and_finish",
    "status": "active",
    "reason": "Board decision",
    "end_date": "2026-01-31",
}
NEW_TERMS = {
    "purpose": "New",
    "frequency": "monthly",
    "meeting_minutes": "60",
    "change_note": "First terms",
}


def test_admin_sets_up_changes_and_seats_a_body(client_for):
    client = client_for("admin")

    def post(name, args, data=None):
        response = client.post(reverse(name, args=args), data)
        assert response.status_code == 302, response.content.decode()

    post("structure:body-add", [], NEW_BODY)
    body = Body.objects.get(slug="knife-crime-task-group")
    organisation = body.partnership.memberships.first().organisation_id
    post(
        "structure:seat-add",
        [body.slug],
        {
            "person_name": "Youth worker",
            "organisation": organisation,
            "role": "member",
            "attendance": "always",
        },
    )
    post("structure:seat-end", [Seat.objects.get(body=body).pk])
    post(
        "structure:body-change",
        [body.slug],
        {
            "kind": "discontinued",
            "on": "2026-02-01",
            "reason": "Finished",
            "authorised_by": "CSP Executive",
        },
    )
    assert body.changes.filter(kind=BodyChange.Kind.DISCONTINUED).exists()
    post("structure:terms-edit", [body.slug], NEW_TERMS)


def test_bad_form_input_says_what_and_where(client_for):
    client = client_for("admin")
    taken = NEW_BODY | {"name": "CSP Executive", "end_date": ""}
    response = client.post(reverse("structure:body-add"), taken)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already exists" in html and "needs an end date" in html
    response = client.post(
        reverse("structure:body-edit", args=["csp-executive"]),
        {
            "name": "CSP Executive",
            "kind": "executive",
            "reports_to": Body.objects.get(slug="performance-management-group").pk,
            "reason": "x",
        },
    )
    assert "already reports" in response.content.decode()
    response = client.post(
        reverse("structure:terms-edit", args=["csp-executive"]),
        NEW_TERMS | {"meeting_minutes": "long"},
    )
    assert "whole number of minutes" in response.content.decode()


def test_changes_are_post_only(client_for):
    client = client_for("admin")
    assert client.get(reverse("structure:review-record")).status_code == 405
    assert (
        client.get(reverse("structure:body-met", args=["csp-executive"])).status_code
        == 405
    )
    seat = Seat.objects.filter(body__partnership=haringey()).first()
    assert client.get(reverse("structure:seat-end", args=[seat.pk])).status_code == 405


def test_record_and_decide_a_review(client_for):
    client = client_for("admin")
    response = client.post(
        reverse("structure:review-record"), {"note": "3-month review"}
    )
    assert response.status_code == 302
    saved = haringey().reviews.get()
    finding = saved.findings.first()
    url = reverse("structure:finding-decide", args=[finding.pk])
    response = client.post(url, {"state": "accepted"}, follow=True)
    assert "Reason: This field is required" in response.content.decode()
    client.post(url, {"state": "accepted", "reason": "Merge them"})
    finding.refresh_from_db()
    assert finding.state == "accepted" and finding.decided_by.username == "admin"
    assert (
        client_for("officer")
        .post(url, {"state": "dismissed", "reason": "x"})
        .status_code
        == 403
    )


def test_record_meeting_by_admin_not_officer(client_for):
    # The PREVENT Board: the demo holds no meeting of it (csphub.meetings).
    url = reverse("structure:body-met", args=["prevent-board"])
    assert client_for("officer").post(url, {"on": "2026-01-01"}).status_code == 403
    client_for("admin").post(url, {"on": "2026-01-01"})
    assert str(Body.objects.get(slug="prevent-board").last_met) == "2026-01-01"
    response = client_for("admin").post(url, {"on": "yesterday"}, follow=True)
    assert "Date it met" in response.content.decode()


def test_review_json_and_csv(client_for):
    client = client_for("officer")
    data = client.get(reverse("structure:review"), {"format": "json"}).json()
    assert data["partnership"] == "haringey" and data["findings"]
    csv = client.get(reverse("structure:review"), {"format": "csv"}).content.decode()
    assert csv.startswith("kind,bodies,people")
    changes = client.get(
        reverse("structure:change-list"), {"format": "csv", "kind": "set_up"}
    )
    assert changes.content.decode().startswith("date,body,change")
