"""Quarterly updates: RAG rules, the report, chasing, blockers to casework."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from csphub.casework.digest import digest_for
from csphub.casework.models import Issue
from csphub.strategy.models import Strategy

from .. import quarters, services
from ..models import Activity, QuarterlyUpdate, Reminder
from .factories import haringey, make_activity, priority

pytestmark = pytest.mark.django_db


def _strategy():
    return Strategy.objects.filter(partnership=haringey(), priorities__isnull=False)[0]


def _post_update(client, activity, **fields):
    today = timezone.localdate()
    data = {
        "quarter": quarters.reporting_quarter(today).isoformat(),
        "rag": "green", "reason": "", "progress": "Went well.",
        "next_quarter": "More of the same.", "blockers": "",
        "status": activity.status,
    }  # fmt: skip
    data.update(fields)
    return client.post(reverse("delivery:update-submit", args=[activity.pk]), data)


def test_amber_and_red_need_a_reason(client_for):
    activity = make_activity(owner="officer")
    client = client_for("officer")
    response = _post_update(client, activity, rag="red")
    assert response.status_code == 200
    assert "a reason is required" in response.content.decode()
    assert not activity.updates.exists()
    assert (
        _post_update(client, activity, rag="red", reason="No money.").status_code == 302
    )
    assert activity.updates.get().rag == "red"


@pytest.mark.parametrize("persona", ["member", "analyst", "handler", "iom"])
def test_only_the_owner_or_an_admin_gives_the_update(client_for, persona):
    activity = make_activity(owner="officer")
    assert _post_update(client_for(persona), activity).status_code == 403
    assert _post_update(client_for("admin"), activity).status_code == 302


def test_owner_submits_and_the_delivery_report_changes(client_for):
    today = timezone.localdate()
    quarter = quarters.last_due_quarter(today)
    activity = Activity.objects.get(title__startswith="Publish what the board")
    report = services.delivery_report(_strategy(), quarter)
    row = _row(report, activity)
    assert row.update is None  # the demo leaves it late
    response = _post_update(
        client_for("member"), activity, quarter=quarter.isoformat(), rag="amber",
        reason="The minutes were late twice.",
    )  # fmt: skip
    assert response.status_code == 302
    row = _row(services.delivery_report(_strategy(), quarter), activity)
    assert row.update.rag == "amber" and row.previous.rag == "green"
    assert row.rag_changed
    page = client_for("admin").get(
        reverse("delivery:report", args=[_strategy().pk]) + f"?quarter={quarter}"
    )
    html = page.content.decode()
    assert "The minutes were late twice." in html
    assert "changed RAG since" in html


def _row(report, activity):
    return next(
        r for pr in report.priorities for r in pr.rows if r.activity.pk == activity.pk
    )


def test_the_report_is_a_pdf_too(client_for):
    response = client_for("analyst").get(
        reverse("delivery:report", args=[_strategy().pk]) + "?format=pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_late_updates_are_shown_and_chased_once(client_for):
    today = timezone.localdate()
    html = client_for("officer").get(reverse("delivery:late")).content.decode()
    assert "Publish what the board decided" in html
    mail.outbox = []
    first = services.chase_updates(haringey(), today)
    assert first.chased >= 1
    chased = [m for m in mail.outbox if "late quarterly update" in m.subject]
    assert any("Publish what the board decided" in m.subject for m in chased)
    assert Reminder.objects.filter(kind=Reminder.Kind.CHASED).exists()
    again = services.chase_updates(haringey(), today)
    assert again.chased == 0  # once only
    html = client_for("officer").get(reverse("delivery:late")).content.decode()
    assert "Yes" in html


def test_owners_are_asked_before_the_quarter_ends():
    quarter = date(2026, 4, 1)
    make_activity(owner="officer", title="Asked activity")
    day = quarters.quarter_end(quarter) - timedelta(days=3)
    mail.outbox = []
    result = services.chase_updates(haringey(), day)
    assert result.asked >= 1
    assert any("Asked activity" in m.subject for m in mail.outbox)


def test_the_daily_digest_carries_updates_owed():
    user = Activity.objects.get(title__startswith="Publish what the board").owner
    digest = digest_for(user, now=timezone.now())
    texts = [i.text for _, items in digest.groups for i in items]
    assert any("Quarterly update for Publish what the board" in t for t in texts)
    flags = [i.flag for _, items in digest.groups for i in items]
    assert any(f.startswith("late by") for f in flags)


def test_chase_command_prints_counts(capsys):
    from django.core.management import call_command

    call_command("chase_updates", partnership="haringey", dry_run=True)
    assert "haringey:" in capsys.readouterr().out


def test_blocker_becomes_a_casework_issue_at_the_driving_body(client_for):
    update = QuarterlyUpdate.objects.filter(
        activity__objective__priority=priority("Prevention"), rag="red"
    ).first()
    assert update.blockers
    client = client_for("officer")  # the activity's owner
    response = client.post(reverse("delivery:update-escalate", args=[update.pk]))
    update.refresh_from_db()
    issue = update.issue
    assert (
        response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    )
    assert issue.body == services.driving_body(priority("Prevention"))
    assert priority("Prevention") in issue.body.priorities.all()
    assert issue.status == Issue.Status.BLOCKED
    assert issue.priority == priority("Prevention")
    again = client.post(reverse("delivery:update-escalate", args=[update.pk]))
    assert again.status_code == 302
    assert Issue.objects.filter(title__startswith="Blocked: Co-commission").count() == 1


@pytest.mark.parametrize("persona", ["member", "analyst", "handler", "iom"])
def test_others_cannot_escalate_an_owners_blocker(client_for, persona):
    update = QuarterlyUpdate.objects.filter(rag="red").first()
    url = reverse("delivery:update-escalate", args=[update.pk])
    assert client_for(persona).post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404


def test_late_milestone_shows_in_the_report():
    quarter = quarters.last_due_quarter(timezone.localdate())
    report = services.delivery_report(_strategy(), quarter)
    assert any(r.late_milestones for pr in report.priorities for r in pr.rows)


def test_report_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    quarter = quarters.last_due_quarter(timezone.localdate())
    with django_assert_max_num_queries(9):
        report = services.delivery_report(_strategy(), quarter)
        [r.late_milestones for pr in report.priorities for r in pr.rows]


def test_quarters():
    assert quarters.label(date(2025, 4, 1)) == "2025/26 Q1"
    assert quarters.label(date(2026, 1, 1)) == "2025/26 Q4"
    assert quarters.parse("2025/26 Q4") == date(2026, 1, 1)
    assert quarters.parse("2025-Q2") == date(2025, 7, 1)
    assert quarters.reporting_quarter(date(2026, 6, 20)) == date(2026, 4, 1)
    assert quarters.reporting_quarter(date(2026, 6, 1)) == date(2026, 1, 1)
    # January-March is due by 14 April
    assert quarters.last_due_quarter(date(2026, 4, 14)) == date(2025, 10, 1)
    assert quarters.last_due_quarter(date(2026, 4, 15)) == date(2026, 1, 1)


def test_the_scheduled_task_chases():
    from csphub.delivery.tasks import chase_quarterly_updates

    mail.outbox = []
    assert chase_quarterly_updates.enqueue().return_value == len(mail.outbox) >= 1
