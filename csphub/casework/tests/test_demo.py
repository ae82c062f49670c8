"""The demo's cases from the Zonal Working report, loaded once."""

import pytest
from django.utils import timezone

from csphub.casework.demo import load_casework_demo
from csphub.casework.models import Action, Escalation, Issue, Project, Tasking

from .factories import SOUTH, body, haringey

pytestmark = pytest.mark.django_db


def test_the_report_cases_are_there():
    partnership = haringey()
    issues = Issue.objects.filter(partnership=partnership)
    for title in ["Broadwater Farm Estate: incomplete actions",
                  "Milton Road: incomplete actions"]:  # fmt: skip
        issue = issues.get(title=title)
        assert issue.status == "resolved"
        assert issue.escalations.get().to_body == body(SOUTH)
    prostitution = issues.get(title="Street prostitution and kerb-crawling")
    assert prostitution.actions.filter(status="done").count() == 2
    wickes = Project.objects.get(issue__title="Touting for work outside Wickes")
    assert wickes.stage == "closed" and wickes.after is not None
    betting = issues.get(title="ASB and criminal damage at betting shops")
    assert betting.body.name == "Betting shops problem-solving group"
    assert Tasking.objects.get(issue=betting).kind == "commission"
    # Without crime data the baseline waits: the project says what is missing.
    assert betting.project.stage in {"analysis", "response"}


def test_a_spread_of_open_overdue_and_blocked_actions_across_the_wards():
    today = timezone.localdate()
    actions = Action.objects.filter(issue__partnership=haringey())
    assert actions.overdue(today).count() >= 10
    assert actions.filter(status="blocked").count() >= 5
    wards = set(
        Issue.objects.filter(partnership=haringey(), ward__isnull=False).values_list(
            "ward", flat=True
        )
    )
    assert len(wards) == 19
    assert Escalation.objects.filter(state="pending").count() == 2


def test_loading_again_changes_nothing():
    partnership = haringey()
    before = (Issue.objects.count(), Action.objects.count(), Escalation.objects.count())
    load_casework_demo(partnership)
    after = (Issue.objects.count(), Action.objects.count(), Escalation.objects.count())
    assert before == after


def test_the_member_chairs_the_south_zone():
    seat = body(SOUTH).seats.get(person__user__username="member")
    assert seat.role == "chair"
