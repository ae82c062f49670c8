"""Every casework page for every persona: who sees it, who may change it."""

import pytest
from django.urls import reverse

from csphub.accounts.models import Organisation
from csphub.casework.models import DigestSetting, Escalation, Issue, Project

from .factories import SOUTH, TOTTENHAM_GREEN, body, haringey, make_issue

pytestmark = pytest.mark.django_db
HARINGEY_PERSONAS = {"officer", "member", "analyst", "handler", "iom", "admin"}


def demo_issue(title="Fly-tipping in alleyways behind the high street"):
    return Issue.objects.get(
        partnership=haringey(), title=title, ward=body(TOTTENHAM_GREEN).ward
    )


def page_urls():
    issue = demo_issue()
    wickes = Project.objects.get(issue__title="Touting for work outside Wickes")
    escalation = Escalation.objects.get(issue=issue, state="pending")
    return {
        "issue": reverse("casework:issue-detail", args=[issue.pk]),
        "action": reverse("casework:action-update", args=[issue.actions.first().pk]),
        "escalation": reverse("casework:escalation-answer", args=[escalation.pk]),
        "oversight": reverse("casework:oversight", args=[body(SOUTH).slug]),
        "status-list": reverse("casework:status-list", args=[body(SOUTH).slug]),
        "project": reverse("casework:project-detail", args=[wickes.pk]),
        "organisation": reverse(
            "casework:organisation-actions",
            args=[Organisation.objects.get(name="Homes for Haringey").pk],
        ),
    }


@pytest.mark.parametrize(
    "page",
    ["issue", "action", "escalation", "oversight", "status-list", "project",
     "organisation"],
)  # fmt: skip
def test_read_pages_answer_each_persona(page, persona, client_for):
    url = page_urls()[page]
    response = client_for(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif persona == "outsider":
        assert response.status_code == 404  # Barnet sees nothing of Haringey
    else:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1


# Who may work the Tottenham Green fly-tipping issue: its ABW group (the
# officer sits on it) and administrators.
WORKERS = {"officer", "admin"}


@pytest.mark.parametrize("name", ["casework:action-add", "casework:issue-escalate"])
def test_only_the_owning_body_works_an_issue(name, persona, client_for):
    issue = demo_issue()
    response = client_for(persona).get(reverse(name, args=[issue.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona == "outsider":
        assert response.status_code == 404
    elif persona in WORKERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_escalation_answer_form_only_for_the_upper_body(persona, client_for):
    url = page_urls()["escalation"]
    response = client_for(persona).get(url)
    if persona in {"member", "admin"}:  # the zone chair, and administrators
        assert "Record the answer" in response.content.decode()
    elif persona in HARINGEY_PERSONAS:
        assert "Record the answer" not in response.content.decode()
        assert client_for(persona).post(url, {}).status_code == 403


def test_task_page_only_for_the_owning_body(persona, client_for):
    issue = Issue.objects.get(title="Street prostitution and kerb-crawling")
    response = client_for(persona).get(reverse("casework:issue-task", args=[issue.pk]))
    expected = {"member": 200, "admin": 200, "anonymous": 302, "outsider": 404}
    assert response.status_code == expected.get(persona, 403)


def test_update_is_post_only(client_for):
    issue = demo_issue()
    url = reverse("casework:issue-update", args=[issue.pk])
    assert client_for("officer").get(url).status_code == 405


def test_forms_keep_what_was_typed_and_say_what_is_wrong(client_for):
    issue = demo_issue()
    response = client_for("officer").post(
        reverse("casework:action-add", args=[issue.pk]),
        {"title": "Clear the alley again", "due_day": "31", "due_month": "2"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clear the alley again" in html
    assert "Enter the due date as a real date: day, month and year" in html
    assert 'href="#id_due_day"' in html  # the summary leads to the day box
    assert 'name="due_day" type="text" inputmode="numeric" value="31"' in html
    assert "Choose the person who owns it" in html


def test_my_actions_lists_the_persons_actions_across_bodies(client_for):
    html = client_for("officer").get(reverse("casework:my-actions")).content.decode()
    assert "My actions" in html
    assert "Olu Okafor" in html or "None." in html


def test_digest_settings_are_per_person(client_for, user_for):
    client = client_for("analyst")
    response = client.post(
        reverse("casework:digest-settings"),
        {"due_within_days": "3", "include_taskings": "on"},
    )
    assert response.status_code == 302
    setting = user_for("analyst").casework_digest
    assert (setting.enabled, setting.due_within_days) == (False, 3)
    assert not hasattr(user_for("member"), "casework_digest") or (
        user_for("member").casework_digest.enabled
    )


def test_issue_csv_neutralises_a_title_that_starts_like_a_formula(client_for):
    make_issue(title='=HYPERLINK("http://example.com","click")')
    response = client_for("officer").get("/casework/issues/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body_text = response.content.decode()
    assert "'=HYPERLINK" in body_text
    assert ",=HYPERLINK" not in body_text


def test_digest_settings_refuse_a_window_past_90_days(client_for, user_for):
    response = client_for("analyst").post(
        reverse("casework:digest-settings"), {"due_within_days": "3000000"}
    )
    assert response.status_code == 200
    assert "less than or equal to 90" in response.content.decode()
    assert not DigestSetting.objects.filter(
        user=user_for("analyst"), due_within_days=3000000
    ).exists()
