"""The daily digest: per person, grouped by body, newest first, nothing on a
quiet day, per-person settings; sent by a task and by `send_digests`."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from csphub.accounts.models import User
from csphub.casework import services
from csphub.casework.digest import digest_for, send_digests
from csphub.casework.models import Action, DigestSetting

from .factories import (
    BRUCE_GROVE,
    SOUTH,
    body,
    make_action,
    make_issue,
    person_of,
    seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet(db, monkeypatch):
    """No demo action is due for anyone, so each test says what is."""
    # Apps above casework add their own items (hooks.py); not these tests'.
    monkeypatch.setattr("csphub.casework.hooks._providers", [])
    Action.objects.update(status=Action.Status.DONE)
    DigestSetting.objects.all().delete()
    # Now, not a moment before: the demo (loaded at the start of the session,
    # perhaps under a second ago) answered escalations that must not count.
    before = timezone.now()
    DigestSetting.objects.bulk_create(
        DigestSetting(user=user, last_sent_at=before) for user in User.objects.all()
    )


def messages_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@csphub.invalid"]]


def test_nothing_is_sent_when_there_is_nothing(quiet):
    result = send_digests()
    assert result.sent == 0 and mail.outbox == []


def test_actions_due_grouped_by_body_newest_first(quiet, user_for):
    make_action(make_issue(title="Old problem"), due_in=-5, title="Overdue thing")
    make_action(make_issue(owner=body(BRUCE_GROVE)), due_in=2, title="Soon thing")
    make_action(make_issue(), due_in=30, title="Far-off thing")
    digest = digest_for(user_for("officer"))
    names = [name for name, _ in digest.groups]
    assert names == [BRUCE_GROVE, "Tottenham Green Area Based Working group"]
    texts = [i.text for _, items in digest.groups for i in items]
    assert any("Overdue thing" in t for t in texts)
    assert not any("Far-off thing" in t for t in texts)
    assert digest.groups[1][1][0].flag == "overdue by 5 days"


def test_apps_above_add_items_through_the_hook(quiet, user_for):
    from csphub.casework.digest import DigestItem
    from csphub.casework.hooks import provide_digest_items

    def provider(user, today):
        return [("Delivery plan", DigestItem("update", today, "Update owed", "/x/"))]

    provide_digest_items(provider)
    digest = digest_for(user_for("officer"))
    assert digest.groups == [("Delivery plan", [digest.groups[0][1][0]])]
    assert digest.groups[0][1][0].text == "Update owed"


def test_send_digests_sends_a_text_and_html_pair_and_records_it(quiet):
    make_action(make_issue(), due_in=1, title="Ring the landlord")
    result = send_digests()
    assert result.sent == 1
    (message,) = messages_to("officer")
    assert "Ring the landlord" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Ring the landlord" in html
    assert DigestSetting.objects.get(user__username="officer").last_sent_at
    # The next run has nothing new for them but the same action still due.
    mail.outbox.clear()
    DigestSetting.objects.filter(user__username="officer").update(enabled=False)
    assert send_digests().sent == 0


def test_escalations_answered_and_taskings_received(quiet, user_for):
    seat("analyst", BRUCE_GROVE)
    issue = make_issue()
    escalation = services.escalate(
        issue, user_for("officer"), tried="t", asked="a", needed_by=date.today()
    )
    services.answer_escalation(
        escalation, user_for("member"), decision="tasked", answer="Bruce Grove has it",
        task_to=body(BRUCE_GROVE), expects="Report", due=date.today(),
    )  # fmt: skip
    officer = digest_for(user_for("officer"))
    assert any(
        "answered the escalation" in i.text for _, g in officer.groups for i in g
    )
    analyst = digest_for(user_for("analyst"))
    assert [name for name, _ in analyst.groups] == [BRUCE_GROVE]
    assert "tasked" in analyst.groups[0][1][0].text
    setting = DigestSetting(user=user_for("analyst"), include_taskings=False)
    assert digest_for(user_for("analyst"), setting).is_empty()


def test_only_what_has_happened_since_the_last_digest(quiet, user_for):
    seat("analyst", SOUTH)
    issue = make_issue(owner=body(SOUTH))
    services.task(issue, body(SOUTH), None, to=body(BRUCE_GROVE), expects="x",
                  due=date.today())  # fmt: skip
    setting = DigestSetting.objects.get(user=user_for("officer"))
    setting.last_sent_at = timezone.now() + timedelta(minutes=1)
    assert digest_for(user_for("officer"), setting).is_empty()


def test_task_and_command_send(quiet):
    make_action(make_issue(), due_in=0, title="Due today")
    # Imported here: declaring a task picks its backend, and the test settings
    # (tasks run at once) are applied after collection.
    from csphub.casework.tasks import send_daily_digests

    assert send_daily_digests.enqueue().return_value == 1
    assert len(messages_to("officer")) == 1
    mail.outbox.clear()
    DigestSetting.objects.update(last_sent_at=timezone.now())
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "Digests would send: 1" in out.getvalue() and mail.outbox == []


def test_restricted_issues_stay_out_of_others_digests(quiet, user_for):
    from .factories import IOM_PANEL

    secret = make_issue(owner=body(IOM_PANEL), restricted=True, title="Secret")
    make_action(secret, due_in=1)  # owned by the officer, not a panel member
    assert digest_for(user_for("officer")).is_empty()


def test_one_persons_failure_does_not_stop_the_others(quiet, user_for):
    """A window saved before the field was bounded (3,000,000 days overflows a
    date) is read as the bound, and a digest that fails for any other reason
    is counted and logged while everyone else still gets theirs."""
    make_action(make_issue(), due_in=1, title="Ring the landlord")
    DigestSetting.objects.filter(user=user_for("officer")).update(
        due_within_days=3000000
    )
    send_digests()
    assert messages_to("officer")  # read as 90 days: no OverflowError
    mail.outbox.clear()
    DigestSetting.objects.update(last_sent_at=timezone.now() - timedelta(days=1))
    User.objects.filter(username="analyst").update(email="not an address\n")
    make_action(
        make_issue(), due_in=1, title="Call the school", owner=person_of("analyst")
    )
    result = send_digests()
    assert result.failed == 1
    assert messages_to("officer") and not messages_to("analyst")
