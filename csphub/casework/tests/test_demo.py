"""The demo's cases from the Zonal Working report, loaded once."""

import pytest
from django.utils import timezone

from csphub.accounts.models import Organisation
from csphub.casework.demo import CASES, load_casework_demo, read
from csphub.casework.models import Action, Escalation, Issue, Project, Tasking, Theme
from csphub.structure.models import Body

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


def test_no_escalation_is_needed_by_a_day_before_it_was_made():
    escalations = Escalation.objects.filter(issue__partnership=haringey())
    assert escalations.count() >= 4
    for escalation in escalations:
        made = timezone.localdate(escalation.raised_at)
        assert escalation.needed_by >= made, escalation
        if escalation.answered_at:
            assert escalation.answered_at >= escalation.raised_at, escalation
            assert escalation.issue.raised_at <= escalation.raised_at, escalation


def test_a_resolved_blockage_reads_in_order():
    issue = Issue.objects.get(
        partnership=haringey(), title="Milton Road: incomplete actions"
    )
    kinds = [e.kind for e in issue.events.order_by("at", "pk")]
    assert kinds.index("escalated") < kinds.index("answered") < kinds.index("tasked")
    assert kinds[-1] == "status" or kinds[-1] == "update"


def test_owners_sit_in_their_own_zones():
    # The South zone's inspector owns no North or West zone actions: a post
    # named for a zone owns only actions on that zone's issues.
    actions = Action.objects.filter(issue__partnership=haringey()).select_related(
        "owner", "issue__zone", "issue__ward"
    )
    zoned = 0
    for action in actions:
        name = action.owner.name if action.owner else ""
        _, _, zone = name.rpartition(", ")
        if zone not in {"North", "South", "West"}:
            continue
        issue = action.issue
        issue_zone = issue.zone or (issue.ward.zones.first() if issue.ward else None)
        assert issue_zone is not None, f"{name} owns borough-wide {issue}"
        assert issue_zone.name == zone, f"{name} owns {issue}"
        zoned += 1
    assert zoned >= 20


def test_the_demo_file_names_only_what_the_demo_has():
    """An edit to haringey.json that misnames an organisation, a group or a
    theme fails here, not halfway through load_demo."""
    data = read()
    cases, ward_issues = data["cases"], data["ward_issues"]
    named_orgs = set(data["owner_posts"]) | {
        action["organisation"]
        for spec in cases + ward_issues
        for action in spec["actions"]
    }
    for case in cases:
        named_orgs |= set(
            case.get("partners", []) + case.get("aim", {}).get("partners", [])
        )
        named_orgs.add(case.get("answer", {}).get("task_to"))
    named_orgs.discard(None)
    orgs = set(Organisation.objects.values_list("name", flat=True))
    assert named_orgs <= orgs, named_orgs - orgs
    named_bodies = {spec["body"] for spec in cases + data["pending_escalations"]}
    named_bodies |= {seat["body"] for seat in data["user_seats"]}
    named_bodies |= {c["commission"]["to"] for c in cases if "commission" in c}
    named_bodies |= {
        f"{c['ward']} Area Based Working group" for c in cases if "ward" in c
    }
    bodies = set(
        Body.objects.filter(partnership=haringey()).values_list("name", flat=True)
    )
    assert named_bodies <= bodies, named_bodies - bodies
    assert {spec["theme"] for spec in cases + ward_issues} <= set(Theme.values)
    assert {case["kind"] for case in cases} <= set(CASES)
